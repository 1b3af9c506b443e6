/**
 * Records arrive as JSON text. The runner keeps each value's exact text (a BIGINT UNSIGNED or a DECIMAL can exceed
 * what a JavaScript number holds), so CSV cells and records written back carry every digit the connector sent.
 */

/** One property of a record: its name and the exact JSON text of its value. */
export interface RecordField {
  readonly name: string;
  readonly raw: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && WHITESPACE.has(text[index]!)) index++;
  return index;
}

/** Index just past the JSON string starting at `index` (which is a quote). */
function endOfString(text: string, index: number): number {
  index++;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else index++;
  }
  return index;
}

/** Index just past the JSON value starting at `index`. */
function endOfValue(text: string, index: number): number {
  const first = text[index];
  if (first === '"') return endOfString(text, index);
  if (first === '{' || first === '[') {
    let depth = 0;
    while (index < text.length) {
      const char = text[index]!;
      if (char === '"') {
        index = endOfString(text, index);
        continue;
      }
      if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) return index + 1;
      }
      index++;
    }
    return index;
  }
  while (index < text.length && !WHITESPACE.has(text[index]!) && text[index] !== ',' && text[index] !== '}') index++;
  return index;
}

/**
 * Splits a record (the JSON text of one object) into its properties, keeping each value's text.
 * Returns null when the text is not a JSON object.
 */
export function splitRecord(text: string): RecordField[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  // The text is valid JSON, so the scanner below only has to find boundaries.
  const fields: RecordField[] = [];
  let index = skipWhitespace(text, 0) + 1;
  while (true) {
    index = skipWhitespace(text, index);
    if (text[index] === '}') break;
    const keyEnd = endOfString(text, index);
    const name = JSON.parse(text.slice(index, keyEnd)) as string;
    index = skipWhitespace(text, keyEnd) + 1; // past ':'
    index = skipWhitespace(text, index);
    const valueEnd = endOfValue(text, index);
    fields.push({ name, raw: text.slice(index, valueEnd) });
    index = skipWhitespace(text, valueEnd);
    if (text[index] === ',') index++;
  }
  return fields;
}

/** Rebuilds a record from fields, keeping each value's exact text. */
export function joinRecord(fields: readonly RecordField[]): string {
  return `{${fields.map((field) => `${JSON.stringify(field.name)}:${field.raw}`).join(',')}}`;
}

/** A value as plain text: strings unquoted, null as null, everything else (numbers, JSON) as its exact text. */
export function plainValue(raw: string): string | null {
  if (raw === 'null') return null;
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  return raw;
}
