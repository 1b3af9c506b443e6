/**
 * An exact JSON reader for WriteData records. `JSON.parse` turns every number into a double, which loses digits
 * beyond 2^53 (BIGINT UNSIGNED 18446744073709551615 would become 18446744073709552000) and rounds long decimals;
 * node 20 gives revivers no access to the source text. This reader keeps each number as its source text and each
 * object as its keys and values in order (no prototype keys), so values reach the database digit for digit.
 *
 * A record's own fields must be distinct (a field named twice is refused). Objects inside a value keep duplicate keys
 * as written: PostgreSQL's json and MariaDB's JSON store the text as it is (QueryData shows it so, and it is written
 * back unchanged); jsonb and MySQL 8's JSON keep the last, as the server decides.
 *
 * Strict RFC 8259: no comments, no trailing commas, no single quotes, no leading zeros, no NaN/Infinity.
 * Error messages give a position and what was expected, never the text around it (records may be sensitive).
 */

/** A JSON number, kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** A JSON object: keys in source order (each once in a record's top level; see the file comment). */
export class JsonObject {
  private map: Map<string, JsonValue> | undefined;

  constructor(
    readonly keys: readonly string[],
    readonly values: readonly JsonValue[],
  ) {}

  /** The value of a key, or undefined when the object has no such key. */
  get(key: string): JsonValue | undefined {
    const position = this.keys.indexOf(key);
    return position < 0 ? undefined : this.values[position];
  }

  /** The entries as a Map (built on first use). */
  get entries(): ReadonlyMap<string, JsonValue> {
    if (this.map === undefined) {
      this.map = new Map();
      for (let position = 0; position < this.keys.length; position++) {
        this.map.set(this.keys[position]!, this.values[position]!);
      }
    }
    return this.map;
  }
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Nesting deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 512;

const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Objects with more keys than this check duplicates with a Set rather than by scanning the keys. */
const LINEAR_DUPLICATE_CHECK = 16;

/**
 * The keys of the last top-level object read, where they were plain (no escapes; null otherwise). Records of one
 * request almost always have the same keys in the same order: a key whose source text is exactly a plain key of
 * the previous record at the same position is that string (reused, so its hash is computed once), and keys that
 * match the previous record's, position by position, are distinct because those were.
 */
let lastKeys: readonly (string | null)[] = [];

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

class Reader {
  private position = 0;
  private readonly length: number;

  constructor(private readonly text: string) {
    this.length = text.length;
  }

  read(): JsonValue {
    const value = this.value(0);
    this.skipWhitespace();
    if (this.position < this.length) this.fail('end of input');
    return value;
  }

  private fail(expected: string): never {
    const found = this.position >= this.length ? 'the end of the input' : 'another character';
    throw new JsonSyntaxError(`expected ${expected} at position ${this.position}, found ${found}`);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let position = this.position;
    while (position < this.length) {
      const code = text.charCodeAt(position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      position++;
    }
    this.position = position;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipWhitespace();
    switch (this.text.charCodeAt(this.position)) {
      case 0x7b: // {
        return this.object(depth);
      case 0x5b: // [
        return this.array(depth);
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) this.fail('a JSON value');
    this.position += word.length;
    return value;
  }

  private digitsFrom(position: number): number {
    const text = this.text;
    while (position < this.length && isDigit(text.charCodeAt(position))) position++;
    return position;
  }

  /** -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? ; "01" or "1." leave a digit or a dot behind for the caller to refuse. */
  private number(): JsonNumber {
    const text = this.text;
    const start = this.position;
    let position = start;
    if (text.charCodeAt(position) === 0x2d) position++;
    const first = text.charCodeAt(position);
    if (first === 0x30) position++;
    else if (first >= 0x31 && first <= 0x39) position = this.digitsFrom(position + 1);
    else this.fail('a JSON value');
    if (text.charCodeAt(position) === 0x2e && isDigit(text.charCodeAt(position + 1))) {
      position = this.digitsFrom(position + 2);
    }
    const exponent = text.charCodeAt(position);
    if (exponent === 0x65 || exponent === 0x45) {
      let next = position + 1;
      const sign = text.charCodeAt(next);
      if (sign === 0x2b || sign === 0x2d) next++;
      if (isDigit(text.charCodeAt(next))) position = this.digitsFrom(next + 1);
    }
    this.position = position;
    return new JsonNumber(text.slice(start, position));
  }

  private string(): string {
    const text = this.text;
    const length = this.length;
    let position = this.position + 1; // after the opening quote
    let start = position;
    let result = '';
    for (;;) {
      let code = -1;
      while (position < length) {
        code = text.charCodeAt(position);
        if (code === 0x22 || code === 0x5c || code < 0x20) break;
        position++;
      }
      if (position >= length) {
        this.position = position;
        this.fail('a closing quote');
      }
      if (code === 0x22) {
        this.position = position + 1;
        return result === '' ? text.slice(start, position) : result + text.slice(start, position);
      }
      this.position = position;
      if (code !== 0x5c) this.fail('an escaped control character');
      result += text.slice(start, position);
      let replacement: string;
      switch (text.charCodeAt(position + 1)) {
        case 0x22:
          replacement = '"';
          break;
        case 0x5c:
          replacement = '\\';
          break;
        case 0x2f:
          replacement = '/';
          break;
        case 0x62:
          replacement = '\b';
          break;
        case 0x66:
          replacement = '\f';
          break;
        case 0x6e:
          replacement = '\n';
          break;
        case 0x72:
          replacement = '\r';
          break;
        case 0x74:
          replacement = '\t';
          break;
        case 0x75: {
          const hex = text.slice(position + 2, position + 6);
          if (!HEX4.test(hex)) this.fail('four hex digits after \\u');
          result += String.fromCharCode(Number.parseInt(hex, 16));
          position += 6;
          start = position;
          continue;
        }
        default:
          this.fail('a valid escape sequence');
      }
      result += replacement;
      position += 2;
      start = position;
    }
  }

  private array(depth: number): JsonValue[] {
    this.position++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.position) === 0x5d) {
      this.position++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const code = this.text.charCodeAt(this.position);
      if (code === 0x5d) {
        this.position++;
        return items;
      }
      if (code !== 0x2c) this.fail('"," or "]"');
      this.position++;
    }
  }

  /** A key: the previous record's key at this position when the text is exactly that, else read as a string. */
  private key(known: string | null | undefined): string {
    if (known != null) {
      const end = this.position + 1 + known.length;
      if (this.text.charCodeAt(end) === 0x22 && this.text.startsWith(known, this.position + 1)) {
        this.position = end + 1;
        return known;
      }
    }
    return this.string();
  }

  private object(depth: number): JsonObject {
    const text = this.text;
    this.position++;
    const keys: string[] = [];
    const values: JsonValue[] = [];
    this.skipWhitespace();
    if (text.charCodeAt(this.position) === 0x7d) {
      this.position++;
      return new JsonObject(keys, values);
    }
    const top = depth === 0;
    const previous = top ? lastKeys : [];
    // Every key so far is the previous record's key at the same position (and so distinct from the others).
    let asBefore = top;
    let plain: (string | null)[] | undefined;
    let seen: Set<string> | undefined;
    for (;;) {
      this.skipWhitespace();
      if (text.charCodeAt(this.position) !== 0x22) this.fail('a property name in double quotes');
      const start = this.position;
      const known = asBefore ? previous[keys.length] : undefined;
      const key = this.key(known);
      if (key !== known) {
        if (asBefore) {
          asBefore = false;
          plain = previous.slice(0, keys.length);
        }
        if (top) {
          if (seen === undefined && keys.length >= LINEAR_DUPLICATE_CHECK) seen = new Set(keys);
          if (seen ? seen.has(key) : keys.includes(key)) {
            throw new JsonSyntaxError(`property "${key.slice(0, 64)}" appears twice`);
          }
        }
        // Plain: read without escapes (an escape always makes the text longer than the value).
        plain?.push(key.length === this.position - start - 2 ? key : null);
      }
      seen?.add(key);
      keys.push(key);
      this.skipWhitespace();
      if (text.charCodeAt(this.position) !== 0x3a) this.fail('":"');
      this.position++;
      values.push(this.value(depth + 1));
      this.skipWhitespace();
      const code = text.charCodeAt(this.position);
      if (code === 0x7d) {
        this.position++;
        if (top && (plain !== undefined || keys.length !== previous.length)) lastKeys = plain ?? keys;
        return new JsonObject(keys, values);
      }
      if (code !== 0x2c) this.fail('"," or "}"');
      this.position++;
    }
  }
}

/** Parses JSON text, keeping numbers as text. Throws JsonSyntaxError. */
export function readJson(text: string): JsonValue {
  return new Reader(text).read();
}

/** Serializes a value read by `readJson` back to compact JSON text, numbers exactly as they were written. */
export function toJsonText(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return '[' + value.map(toJsonText).join(',') + ']';
  let text = '';
  for (let position = 0; position < value.keys.length; position++) {
    text += (text ? ',' : '{') + JSON.stringify(value.keys[position]) + ':' + toJsonText(value.values[position]!);
  }
  return text ? text + '}' : '{}';
}

/** A short name of a value's JSON type, for error messages (never the value). */
export function jsonTypeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'string') return 'a string';
  if (value instanceof JsonNumber) return 'a number';
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}
