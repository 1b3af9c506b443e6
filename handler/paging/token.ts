/**
 * QueryData's nextToken: opaque to AppFlow, meaningful only to this connector.
 *
 * Format (version 1): base64url(JSON payload) + "." + base64url(first 16 bytes of HMAC-SHA256(payload)).
 * The MAC catches corruption and tampering; the payload is then validated field by field against the table's paging
 * key before anything in it is used, and even then its values only ever reach SQL as bound parameters.
 * The payload is bound to the query it continues (entity, filter, selected fields) through `q`, so a token cannot be
 * replayed against another query.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '../errors';
import { LIMITS } from '../protocol/constants';

export const TOKEN_VERSION = 1;

/** A key cell: numbers and text as they came from the driver, binary as base64. */
export type KeyCell = string | number | { readonly b64: string };

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
}

/** PAGING_TOKEN_KEY (any string) makes tokens verifiable only by deployments that share it. */
export function createTokenKey(
  material: string = process.env.PAGING_TOKEN_KEY ?? 'appflow-mysql-connector/v1',
): TokenKey {
  return { secret: createHash('sha256').update(material).digest() };
}

/** Identifies a query: tokens from one query are refused by another. */
export function queryFingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16);
}

function mac(key: TokenKey, payload: string): Buffer {
  return createHmac('sha256', key.secret).update(payload).digest().subarray(0, 16);
}

function encodeCells(cells: readonly KeyCell[] | null) {
  return cells === null ? null : cells.map((cell) => (typeof cell === 'object' ? { b: cell.b64 } : cell));
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

const invalid = (why: string) =>
  new InvalidArgumentError(
    `nextToken is not a token this connector issued for this query (${why}); start the read again without it`,
  );

function decodeCells(value: unknown, what: string): KeyCell[] | null {
  if (value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || value.length > 16) throw invalid(`${what} is malformed`);
  return value.map((cell) => {
    if (typeof cell === 'string' && cell.length <= 1024) return cell;
    if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
    if (cell && typeof cell === 'object' && typeof (cell as { b?: unknown }).b === 'string') {
      const b64 = (cell as { b: string }).b;
      if (/^[A-Za-z0-9+/]*={0,2}$/.test(b64) && b64.length <= 1400) return { b64 };
    }
    throw invalid(`${what} holds a malformed value`);
  });
}

export function decodeToken(key: TokenKey, text: string, expectedQuery: string): PageToken {
  if (text.length > LIMITS.maxTokenLength) throw invalid('too long');
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(text);
  if (!match) throw invalid('not in the expected format');
  const [, body, signature] = match as unknown as [string, string, string];
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  // base64url leaves spare bits in the last character: only the canonical spelling of a token is accepted.
  if (given.toString('base64url') !== signature || Buffer.from(body, 'base64url').toString('base64url') !== body) {
    throw invalid('not in the expected format');
  }
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('integrity check failed');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('unreadable');
  }
  if (!payload || typeof payload !== 'object' || payload.v !== TOKEN_VERSION) throw invalid('unknown version');
  if (payload.q !== expectedQuery) throw invalid('it belongs to a different entity, filter or field selection');
  const mode = payload.m === 'k' ? 'keyset' : payload.m === 'o' ? 'offset' : null;
  if (!mode) throw invalid('unknown paging mode');
  const offset = payload.o;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw invalid('bad offset');
  const remaining = payload.r;
  if (remaining !== null && (typeof remaining !== 'number' || !Number.isSafeInteger(remaining) || remaining < 1)) {
    throw invalid('bad remaining limit');
  }
  return {
    query: expectedQuery,
    mode,
    after: decodeCells(payload.a, 'the resume key'),
    until: decodeCells(payload.u, 'the snapshot key'),
    offset,
    remaining: remaining as number | null,
  };
}
