/**
 * QueryData's nextToken: opaque to AppFlow, meaningful only to this connector.
 *
 * Format (version 1): base64url(JSON payload) + "." + base64url(first 16 bytes of HMAC-SHA256(payload)).
 * The MAC catches corruption and tampering by anyone without the key. The key is PAGING_TOKEN_KEY, or a public
 * default when that is unset (then anyone who reads the source can sign a token), so the MAC is not what makes a
 * token safe: every field is validated against the plan of the request (paging mode, key arity, the type and size of
 * each key cell, offset and limit ranges, the query fingerprint) before anything in it is used, and its values only
 * ever reach SQL as bound parameters.
 * The payload is bound to the query it continues (entity, filter, selected fields, paging key) through `q`, so a
 * token cannot be replayed against another query.
 */
import { createHash, createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { ColumnMeta, KeyCell } from '../engines/engine';
import { InvalidArgumentError } from '../errors';
import { LIMITS } from '../protocol/constants';
import { base64CellBytes, NUMBER_JSON_BYTES } from '../values/keyCells';

export type { KeyCell };

export const TOKEN_VERSION = 1;

export interface PageToken {
  /** Hash of the query this token continues. */
  readonly query: string;
  /** 'keyset': resume after `after`, up to `until`; 'offset': tables without a usable key. */
  readonly mode: 'keyset' | 'offset';
  readonly after: readonly KeyCell[] | null;
  /** The highest key when the first page was read: rows inserted above it later are not part of this read. */
  readonly until: readonly KeyCell[] | null;
  readonly offset: number;
  /** What is left of the filter's LIMIT, or null when there is none. */
  readonly remaining: number | null;
}

export interface TokenKey {
  readonly secret: Buffer;
  /** True when PAGING_TOKEN_KEY is unset and tokens are signed with the key anyone can read in the source. */
  readonly publicDefault?: boolean;
}

const PUBLIC_DEFAULT_MATERIAL = 'appflow-mysql-connector/v1';

/** PAGING_TOKEN_KEY (any non-empty string) makes tokens verifiable only by deployments that share it. */
export function createTokenKey(material: string | undefined = process.env.PAGING_TOKEN_KEY): TokenKey {
  const publicDefault = material === undefined || material === '';
  return {
    secret: createHash('sha256')
      .update(publicDefault ? PUBLIC_DEFAULT_MATERIAL : material)
      .digest(),
    publicDefault,
  };
}

/** Identifies a query: tokens from one query are refused by another. */
export function queryFingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16);
}

/** A KeyObject per key: createHmac imports a raw key on every call, which took half of each MAC's time. */
const keyObjects = new WeakMap<TokenKey, KeyObject>();

function mac(key: TokenKey, payload: string): Buffer {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key.secret);
    keyObjects.set(key, keyObject);
  }
  return createHmac('sha256', keyObject).update(payload).digest().subarray(0, 16);
}

/**
 * Text is stored as a JSON string unless escaping would make it longer than its base64 form (control characters
 * take 6 bytes each in JSON): then as `{"s": base64 of its UTF-8}`. Either way a cell of B bytes of UTF-8 takes at
 * most `base64CellBytes(B)` bytes of JSON, which is what the paging plan counts on (see `tokenLengthBound`).
 */
function encodeCell(cell: KeyCell) {
  if (typeof cell === 'object') return { b: cell.b64 };
  if (typeof cell === 'number') return cell;
  const utf8 = Buffer.from(cell, 'utf8');
  if (Buffer.byteLength(JSON.stringify(cell), 'utf8') <= base64CellBytes(utf8.length)) return cell;
  return { s: utf8.toString('base64') };
}

function encodeCells(cells: readonly KeyCell[] | null) {
  return cells === null ? null : cells.map(encodeCell);
}

export function encodeToken(key: TokenKey, token: PageToken): string {
  const payload = JSON.stringify({
    v: TOKEN_VERSION,
    q: token.query,
    m: token.mode === 'keyset' ? 'k' : 'o',
    a: encodeCells(token.after),
    u: encodeCells(token.until),
    o: token.offset,
    r: token.remaining,
  });
  const body = Buffer.from(payload, 'utf8').toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** Everything of the payload but the two keys: `{"v":1,"q":"<16>","m":"k","a":,"u":,"o":<n>,"r":<n>}`. */
const FIXED_PAYLOAD_BYTES = 60 + 2 * NUMBER_JSON_BYTES;

/** The longest token a read paged by these key columns can produce: both keys (resume and snapshot) at their largest. */
export function tokenLengthBound(keyColumns: readonly ColumnMeta[]): number {
  const key = 2 + keyColumns.reduce((sum, column) => sum + column.keyCellBytesAtMost + 1, 0);
  const payload = FIXED_PAYLOAD_BYTES + 2 * key;
  return Math.ceil((payload * 4) / 3) + 1 + 22;
}

/** What a token must fit to be used by a request: taken from the request's own plan, never from the token. */
export interface TokenExpectation {
  readonly query: string;
  readonly mode: 'keyset' | 'offset';
  /** The paging key (keyset mode). */
  readonly keyColumns: readonly ColumnMeta[] | null;
  /** True when a cell is a value the key column can hold (the engine's `values.checkKeyCell`). */
  readonly checkCell: (cell: KeyCell, column: ColumnMeta) => boolean;
  /** The filter's LIMIT, or null when it has none. */
  readonly limit: number | null;
}

const invalid = (why: string) =>
  new InvalidArgumentError(
    `nextToken is not a token this connector issued for this query (${why}); start the read again without it`,
  );

/** The fields `encodeToken` writes, all of them always. */
const PAYLOAD_FIELDS = ['v', 'q', 'm', 'a', 'u', 'o', 'r'];

/** One cell as written, or null when it has none of the shapes `encodeCell` writes. */
function decodeCell(cell: unknown): KeyCell | null {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (!cell || typeof cell !== 'object' || Array.isArray(cell)) return null;
  const entries = Object.entries(cell as Record<string, unknown>);
  if (entries.length !== 1) return null;
  const [[name, value]] = entries as [[string, unknown]];
  if (typeof value !== 'string') return null;
  const bytes = Buffer.from(value, 'base64');
  // Only the canonical spelling: no other text decodes to the same bytes (nor any text that is not base64 at all,
  // whose stray characters Buffer skips).
  if (bytes.toString('base64') !== value) return null;
  if (name === 'b') return { b64: value };
  if (name === 's') {
    const text = bytes.toString('utf8');
    return Buffer.from(text, 'utf8').equals(bytes) ? text : null;
  }
  return null;
}

/** A key of the token, checked cell by cell against the paging key's columns. */
function decodeKey(
  value: unknown,
  columns: readonly ColumnMeta[],
  checkCell: TokenExpectation['checkCell'],
  what: string,
): KeyCell[] {
  if (!Array.isArray(value)) throw invalid(`${what} is missing`);
  if (value.length !== columns.length) throw invalid(`${what} does not have the ${columns.length} fields of the key`);
  return value.map((raw, index) => {
    const column = columns[index]!;
    const cell = decodeCell(raw);
    if (cell === null || !checkCell(cell, column)) {
      throw invalid(`${what} holds a value that does not fit key field "${column.name.slice(0, 64)}"`);
    }
    return cell;
  });
}

/**
 * Reads a token and checks every field against what the request expects; InvalidArgumentError, with a message that
 * says what does not fit (never a value from the token), for anything else.
 */
export function decodeToken(key: TokenKey, text: string, expected: TokenExpectation): PageToken {
  if (text.length > LIMITS.maxTokenLength) throw invalid('too long');
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(text);
  if (!match) throw invalid('not in the expected format');
  const [, body, signature] = match as unknown as [string, string, string];
  const expectedMac = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  // base64url leaves spare bits in the last character: only the canonical spelling of a token is accepted.
  if (given.toString('base64url') !== signature || Buffer.from(body, 'base64url').toString('base64url') !== body) {
    throw invalid('not in the expected format');
  }
  if (given.length !== expectedMac.length || !timingSafeEqual(given, expectedMac)) {
    throw invalid('integrity check failed');
  }
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('unreadable');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload) || payload.v !== TOKEN_VERSION) {
    throw invalid('unknown version');
  }
  const fields = Object.keys(payload);
  if (fields.length !== PAYLOAD_FIELDS.length || !PAYLOAD_FIELDS.every((field) => fields.includes(field))) {
    throw invalid('unexpected fields');
  }
  if (payload.q !== expected.query) throw invalid('it belongs to a different entity, filter or field selection');
  const mode = payload.m === 'k' ? 'keyset' : payload.m === 'o' ? 'offset' : null;
  if (!mode) throw invalid('unknown paging mode');
  if (mode !== expected.mode)
    throw invalid(`it pages by ${mode === 'keyset' ? 'key' : 'offset'}, this entity does not`);

  const offset = payload.o;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw invalid('bad offset');
  const remaining = payload.r;
  if (remaining !== null && (typeof remaining !== 'number' || !Number.isSafeInteger(remaining) || remaining < 1)) {
    throw invalid('bad remaining limit');
  }
  if (expected.limit === null ? remaining !== null : remaining === null || remaining > expected.limit) {
    throw invalid('its remaining limit does not fit the filter’s LIMIT');
  }

  if (mode === 'offset') {
    if (payload.a !== null || payload.u !== null) throw invalid('keys in an offset token');
    return { query: expected.query, mode, after: null, until: null, offset, remaining };
  }
  const keyColumns = expected.keyColumns;
  if (!keyColumns || keyColumns.length === 0) throw invalid('this entity has no paging key');
  if (offset !== 0) throw invalid('an offset in a key token');
  return {
    query: expected.query,
    mode,
    after: decodeKey(payload.a, keyColumns, expected.checkCell, 'the resume key'),
    until: decodeKey(payload.u, keyColumns, expected.checkCell, 'the snapshot key'),
    offset: 0,
    remaining,
  };
}
