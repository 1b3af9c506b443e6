/**
 * An exact JSON reader for WriteData records. `JSON.parse` turns every number into a double, which loses digits
 * beyond 2^53 (BIGINT UNSIGNED 18446744073709551615 would become 18446744073709552000) and rounds long decimals;
 * node 20 gives revivers no access to the source text. This reader keeps each number as its source text and each
 * object as a Map (no prototype keys, duplicate keys detected), so values reach the database digit for digit.
 *
 * Strict RFC 8259: no comments, no trailing commas, no single quotes, no leading zeros, no NaN/Infinity.
 * Error messages give a position and what was expected, never the text around it (records may be sensitive).
 */

/** A JSON number, kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** A JSON object: keys in source order. */
export class JsonObject {
  constructor(readonly entries: ReadonlyMap<string, JsonValue>) {}
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Nesting deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const PLAIN_CHARS = /[^"\\\u0000-\u001f]+/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Reader {
  private position = 0;

  constructor(private readonly text: string) {}

  read(): JsonValue {
    const value = this.value(0);
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('end of input');
    return value;
  }

  private fail(expected: string): never {
    const found = this.position >= this.text.length ? 'the end of the input' : 'another character';
    throw new JsonSyntaxError(`expected ${expected} at position ${this.position}, found ${found}`);
  }

  private skipWhitespace(): void {
    const text = this.text;
    let position = this.position;
    while (position < text.length) {
      const code = text.charCodeAt(position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      position++;
    }
    this.position = position;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipWhitespace();
    const char = this.text[this.position];
    switch (char) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
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

  private number(): JsonNumber {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('a JSON value');
    this.position += match[0].length;
    // "01" or "1." leave a digit or a dot behind, caught by the caller as an unexpected character.
    return new JsonNumber(match[0]);
  }

  private string(): string {
    const text = this.text;
    this.position++; // opening quote
    let result = '';
    for (;;) {
      PLAIN_CHARS.lastIndex = this.position;
      const plain = PLAIN_CHARS.exec(text);
      if (plain) {
        result += plain[0];
        this.position += plain[0].length;
      }
      const char = text[this.position];
      if (char === '"') {
        this.position++;
        return result;
      }
      if (char !== '\\') this.fail(char === undefined ? 'a closing quote' : 'an escaped control character');
      const escaped = text[this.position + 1];
      if (escaped === 'u') {
        const hex = text.slice(this.position + 2, this.position + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('four hex digits after \\u');
        result += String.fromCharCode(Number.parseInt(hex, 16));
        this.position += 6;
      } else {
        const replacement = escaped === undefined ? undefined : ESCAPES[escaped];
        if (replacement === undefined) this.fail('a valid escape sequence');
        result += replacement;
        this.position += 2;
      }
    }
  }

  private array(depth: number): JsonValue[] {
    this.position++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const char = this.text[this.position];
      this.position++;
      if (char === ']') return items;
      if (char !== ',') {
        this.position--;
        this.fail('"," or "]"');
      }
    }
  }

  private object(depth: number): JsonObject {
    this.position++;
    const entries = new Map<string, JsonValue>();
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return new JsonObject(entries);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('a property name in double quotes');
      const key = this.string();
      if (entries.has(key)) {
        throw new JsonSyntaxError(`property "${key.slice(0, 64)}" appears twice`);
      }
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail('":"');
      this.position++;
      entries.set(key, this.value(depth + 1));
      this.skipWhitespace();
      const char = this.text[this.position];
      this.position++;
      if (char === '}') return new JsonObject(entries);
      if (char !== ',') {
        this.position--;
        this.fail('"," or "}"');
      }
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
  for (const [key, item] of value.entries) text += (text ? ',' : '{') + JSON.stringify(key) + ':' + toJsonText(item);
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
