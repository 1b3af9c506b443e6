/**
 * handler/paging/token.ts without a database: the exact payload a nextToken carries, the bound the read plan counts
 * on, and every refusal of decodeToken word for word (a refused token must say what does not fit, and nothing
 * else may slip through). The runtime tests (test/runtime/tokenIntegrity.test.ts, paging*.test.ts) show the same
 * through the bundle; these run in a second and are what Stryker mutates the module against
 * (mutants/stryker/paging-token.json).
 */
import { createHash, createHmac } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import type { ColumnMeta, KeyCell } from '../../handler/engines/engine';
import { InvalidArgumentError } from '../../handler/errors';
import {
  createTokenKey,
  decodeToken,
  encodeToken,
  type PageToken,
  queryFingerprint,
  type TokenExpectation,
  tokenLengthBound,
} from '../../handler/paging/token';

const key = createTokenKey('test key');
const QUERY = queryFingerprint(['letters', 'id > 1', 'id,letter', 'id']);

/** Only the fields token.ts reads matter; the rest keep a column's ordinary defaults. */
function column(name: string, keyCellBytesAtMost = 24): ColumnMeta {
  return { name, keyCellBytesAtMost } as ColumnMeta;
}

const KEY = [column('id'), column('letter')];
const anyCell = () => true;

const keyset = (overrides: Partial<TokenExpectation> = {}): TokenExpectation => ({
  query: QUERY,
  mode: 'keyset',
  keyColumns: KEY,
  checkCell: anyCell,
  limit: null,
  ...overrides,
});
const offsetMode = (overrides: Partial<TokenExpectation> = {}): TokenExpectation => ({
  query: QUERY,
  mode: 'offset',
  keyColumns: null,
  checkCell: anyCell,
  limit: null,
  ...overrides,
});

const keysetToken = (overrides: Partial<PageToken> = {}): PageToken => ({
  query: QUERY,
  mode: 'keyset',
  after: [3, 'c'],
  until: [5, 'e'],
  offset: 0,
  remaining: null,
  ...overrides,
});

/** The payload of a token as the JSON text it carries. */
const payloadOf = (token: string) => Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');

/** A token for any payload text, signed the way the format says (base64url body, first 16 bytes of HMAC-SHA256). */
function signed(payload: string, secret = key.secret): string {
  const body = Buffer.from(payload, 'utf8').toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest().subarray(0, 16).toString('base64url')}`;
}

/** A token for a payload object: the fields encodeToken writes, with these changed. */
const payload = (fields: Record<string, unknown>) =>
  signed(JSON.stringify({ v: 1, q: QUERY, m: 'k', a: [3, 'c'], u: [5, 'e'], o: 0, r: null, ...fields }));

const refusal = (why: string) =>
  `nextToken is not a token this connector issued for this query (${why}); start the read again without it`;

function refuses(t: ExecutionContext, text: string, expected: TokenExpectation, why: string, tokenKey = key) {
  t.throws(
    () => decodeToken(tokenKey, text, expected),
    { instanceOf: InvalidArgumentError, message: refusal(why) },
    why,
  );
}

test('createTokenKey: PAGING_TOKEN_KEY hashed with SHA-256; unset or empty is the public default', (t) => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest();
  t.deepEqual(createTokenKey('s3cret'), { secret: sha256('s3cret'), publicDefault: false });
  const publicKey = { secret: sha256('appflow-mysql-connector/v1'), publicDefault: true };
  t.deepEqual(createTokenKey(undefined), publicKey);
  t.deepEqual(createTokenKey(''), publicKey);
  const saved = process.env.PAGING_TOKEN_KEY;
  try {
    process.env.PAGING_TOKEN_KEY = 'from the environment';
    t.deepEqual(createTokenKey(), { secret: sha256('from the environment'), publicDefault: false });
    delete process.env.PAGING_TOKEN_KEY;
    t.deepEqual(createTokenKey(), publicKey);
  } finally {
    if (saved === undefined) delete process.env.PAGING_TOKEN_KEY;
    else process.env.PAGING_TOKEN_KEY = saved;
  }
});

test('queryFingerprint: 16 base64url characters of the SHA-256 of the parts joined by NUL', (t) => {
  t.is(queryFingerprint(['a', 'b']), createHash('sha256').update('a\u0000b').digest('base64url').slice(0, 16));
  t.is(queryFingerprint(['a', 'b']).length, 16);
  t.not(queryFingerprint(['a', 'b']), queryFingerprint(['ab']));
  t.not(queryFingerprint(['a', 'b']), queryFingerprint(['a', 'b', '']));
});

test('encodeToken: the payload is exactly the seven fields, keys cell by cell', (t) => {
  const token = encodeToken(key, keysetToken({ after: [3, 'c', { b64: 'AAE=' }], remaining: 7 }));
  t.regex(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  t.is(payloadOf(token), `{"v":1,"q":"${QUERY}","m":"k","a":[3,"c",{"b":"AAE="}],"u":[5,"e"],"o":0,"r":7}`);
  t.is(token, signed(payloadOf(token)), 'the signature is the first 16 bytes of HMAC-SHA256 of the body');
  const offsetToken = encodeToken(key, {
    query: QUERY,
    mode: 'offset',
    after: null,
    until: null,
    offset: 40,
    remaining: null,
  });
  t.is(payloadOf(offsetToken), `{"v":1,"q":"${QUERY}","m":"o","a":null,"u":null,"o":40,"r":null}`);
});

test('encodeToken: text is a JSON string unless escaping makes it longer than its base64 form', (t) => {
  const cellOf = (text: string) => JSON.parse(payloadOf(encodeToken(key, keysetToken({ after: [text] })))).a[0];
  t.is(cellOf('plain'), 'plain');
  t.is(cellOf('\u0001'), '\u0001'); // 8 bytes of JSON against 12 of base64
  // 16 bytes either way ("ab\u0001\u0002" as JSON, {"s":"YWIBAg=="} as base64): kept as text.
  t.is(cellOf('é\u0001\u0002'), 'é\u0001\u0002'); // é is 2 bytes of UTF-8: 16 bytes either way again
  t.is(cellOf('ab\u0001\u0002'), 'ab\u0001\u0002');
  t.deepEqual(cellOf('\u0001\u0002'), { s: 'AQI=' }); // 14 bytes of JSON against 12
  t.deepEqual(cellOf('é\u0001\u0002\u0003'), { s: 'w6kBAgM=' }); // 22 bytes of JSON against 16
});

test('decodeToken reads back what encodeToken wrote', (t) => {
  for (const token of [
    keysetToken(),
    keysetToken({ after: [{ b64: 'AAE=' }, '\u0001\u0002'], until: [-1.5, ''], remaining: 10 }),
    keysetToken({ after: ['é\u0001\u0002', 'x'], remaining: 1 }),
  ]) {
    const limit = token.remaining === null ? null : 10;
    t.deepEqual(decodeToken(key, encodeToken(key, token), keyset({ limit })), token);
  }
  const offsetToken: PageToken = { query: QUERY, mode: 'offset', after: null, until: null, offset: 0, remaining: null };
  t.deepEqual(decodeToken(key, encodeToken(key, offsetToken), offsetMode()), offsetToken);
  const later = { ...offsetToken, offset: 9007199254740991, remaining: 1 };
  t.deepEqual(decodeToken(key, encodeToken(key, later), offsetMode({ limit: 1 })), later);
});

test('tokenLengthBound: both keys at their largest, base64url, the dot and the 22-character signature', (t) => {
  // payload 60 + 2 × 24 + 2 × (2 + 11 + 25) = 184 bytes → 246 characters of base64url.
  t.is(tokenLengthBound([column('a', 10), column('b', 24)]), 246 + 1 + 22);
  t.is(tokenLengthBound([]), 150 + 1 + 22); // payload 108 + 2 × 2 = 112 bytes
  // The longest token such a read can write fits the bound, within the slack of the fixed fields' estimate
  // (258 bytes of payload against 262: 344 characters of base64url against 350).
  const widest = -Number.MAX_VALUE; // 24 bytes of JSON, like every cell here
  const keyColumns = [column('a'), column('b'), column('c')];
  const cells = [widest, widest, widest];
  const text = encodeToken(key, keysetToken({ after: cells, until: cells, offset: widest, remaining: widest }));
  t.true(text.length <= tokenLengthBound(keyColumns), `${text.length}`);
  t.is(text.length, 344 + 1 + 22);
  t.is(tokenLengthBound(keyColumns), 350 + 1 + 22);
});

test('decodeToken refuses what is not a token by its shape, before anything else', (t) => {
  const good = encodeToken(key, keysetToken());
  const [body, signature] = good.split('.') as [string, string];
  refuses(t, `${good}${'A'.repeat(2049 - good.length)}`, keyset(), 'too long');
  // 2048 characters is not too long: refused for its format only.
  refuses(t, `${body}${'A'.repeat(2048 - good.length)}.${signature}`, keyset(), 'not in the expected format');
  for (const text of [
    '',
    good.replace('.', ''),
    `${body}.${signature.slice(1)}`,
    `${body}.${signature}A`,
    `${body}=.${signature}`,
    ` ${good}`,
    `${good}\n`,
    `${body}..${signature}`,
    `.${signature}`,
  ]) {
    refuses(t, text, keyset(), 'not in the expected format');
  }
});

test('decodeToken accepts only the canonical spelling of the signature and the body', (t) => {
  // 16 bytes take 22 characters: the last one carries 2 bits and 4 spare ones.
  const good = encodeToken(key, keysetToken());
  const [body, signature] = good.split('.') as [string, string];
  const last = signature.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const spare = alphabet[alphabet.indexOf(last) ^ 1]!;
  t.deepEqual(Buffer.from(`${signature.slice(0, -1)}${spare}`, 'base64url'), Buffer.from(signature, 'base64url'));
  refuses(t, `${body}.${signature.slice(0, -1)}${spare}`, keyset(), 'not in the expected format');
  // A body whose length leaves spare bits: the same bytes spelled with them set.
  const odd = ['c', 'cc', 'ccc']
    .map((letter) => payload({ a: [3, letter] }))
    .find((text) => text.indexOf('.') % 4 !== 0)!;
  const oddBody = odd.split('.')[0]!;
  t.notThrows(() => decodeToken(key, odd, keyset()));
  const lastBody = oddBody.at(-1)!;
  const spareBody = `${oddBody.slice(0, -1)}${alphabet[alphabet.indexOf(lastBody) ^ 1]!}`;
  t.deepEqual(Buffer.from(spareBody, 'base64url'), Buffer.from(oddBody, 'base64url'));
  const resigned = `${spareBody}.${createHmac('sha256', key.secret).update(spareBody).digest().subarray(0, 16).toString('base64url')}`;
  refuses(t, resigned, keyset(), 'not in the expected format');
});

test('decodeToken refuses a token signed with another key, or changed after signing', (t) => {
  const good = encodeToken(key, keysetToken());
  refuses(t, good, keyset(), 'integrity check failed', createTokenKey('another key'));
  refuses(t, good, keyset(), 'integrity check failed', createTokenKey(undefined));
  const [body, signature] = good.split('.') as [string, string];
  const other = signature[0] === 'A' ? 'B' : 'A';
  refuses(t, `${body}.${other}${signature.slice(1)}`, keyset(), 'integrity check failed');
  const changed = Buffer.from(payloadOf(good).replace('"o":0', '"o":1'), 'utf8').toString('base64url');
  refuses(t, `${changed}.${signature}`, keyset(), 'integrity check failed');
});

test('decodeToken refuses a signed payload that is not the version-1 object', (t) => {
  refuses(t, signed('{"v":1,'), keyset(), 'unreadable');
  refuses(t, signed('not json'), keyset(), 'unreadable');
  for (const text of ['null', '1', '"v"', 'true', '[1]', '{}', '{"v":"1"}'])
    refuses(t, signed(text), keyset(), 'unknown version');
  refuses(t, payload({ v: 2 }), keyset(), 'unknown version');
  refuses(t, payload({ v: 0 }), keyset(), 'unknown version');
});

test('decodeToken refuses a payload without exactly the seven fields', (t) => {
  refuses(t, payload({ extra: 1 }), keyset(), 'unexpected fields');
  const { r: _r, ...withoutR } = { v: 1, q: QUERY, m: 'k', a: [3, 'c'], u: [5, 'e'], o: 0, r: null };
  refuses(t, signed(JSON.stringify(withoutR)), keyset(), 'unexpected fields');
  refuses(t, signed(JSON.stringify({ ...withoutR, x: null })), keyset(), 'unexpected fields');
  const { v: _v, ...withoutV } = { v: 1, q: QUERY, m: 'k', a: [3, 'c'], u: [5, 'e'], o: 0, r: null };
  refuses(t, signed(JSON.stringify({ ...withoutV, x: 1 })), keyset(), 'unknown version');
});

test('decodeToken refuses a token of another query or another paging mode', (t) => {
  refuses(
    t,
    payload({ q: queryFingerprint(['other']) }),
    keyset(),
    'it belongs to a different entity, filter or field selection',
  );
  refuses(t, payload({ m: 'x' }), keyset(), 'unknown paging mode');
  refuses(t, payload({ m: 'K' }), keyset(), 'unknown paging mode');
  refuses(t, payload({ m: null }), keyset(), 'unknown paging mode');
  refuses(t, payload({ m: 'k' }), offsetMode(), 'it pages by key, this entity does not');
  refuses(t, payload({ m: 'o', a: null, u: null }), keyset(), 'it pages by offset, this entity does not');
});

test('decodeToken refuses an offset or remaining limit out of range', (t) => {
  const offsetPayload = (fields: Record<string, unknown>) => payload({ m: 'o', a: null, u: null, ...fields });
  for (const o of [-1, 1.5, '1', null, 9007199254740992]) refuses(t, offsetPayload({ o }), offsetMode(), 'bad offset');
  for (const r of [0, -1, 1.5, '1', 9007199254740992]) {
    refuses(t, offsetPayload({ r }), offsetMode({ limit: 10 }), 'bad remaining limit');
  }
  const misfit = 'its remaining limit does not fit the filter’s LIMIT';
  refuses(t, offsetPayload({ r: 5 }), offsetMode(), misfit);
  refuses(t, offsetPayload({ r: null }), offsetMode({ limit: 10 }), misfit);
  refuses(t, offsetPayload({ r: 11 }), offsetMode({ limit: 10 }), misfit);
  t.is(decodeToken(key, offsetPayload({ r: 10 }), offsetMode({ limit: 10 })).remaining, 10);
  t.is(decodeToken(key, offsetPayload({ r: 1 }), offsetMode({ limit: 10 })).remaining, 1);
});

test('decodeToken refuses keys where they do not belong', (t) => {
  refuses(t, payload({ m: 'o', a: [1], u: null }), offsetMode(), 'keys in an offset token');
  refuses(t, payload({ m: 'o', a: null, u: [1] }), offsetMode(), 'keys in an offset token');
  refuses(t, payload({ m: 'o', a: [], u: null }), offsetMode(), 'keys in an offset token');
  refuses(t, payload({}), keyset({ keyColumns: null }), 'this entity has no paging key');
  refuses(t, payload({}), keyset({ keyColumns: [] }), 'this entity has no paging key');
  refuses(t, payload({ o: 3 }), keyset(), 'an offset in a key token');
});

test('decodeToken checks each key: present, one cell per key field, each cell a value of its field', (t) => {
  for (const [name, what] of [
    ['a', 'the resume key'],
    ['u', 'the snapshot key'],
  ] as const) {
    refuses(t, payload({ [name]: null }), keyset(), `${what} is missing`);
    refuses(t, payload({ [name]: { 0: 3, 1: 'c' } }), keyset(), `${what} is missing`);
    refuses(t, payload({ [name]: [3] }), keyset(), `${what} does not have the 2 fields of the key`);
    refuses(t, payload({ [name]: [3, 'c', 'd'] }), keyset(), `${what} does not have the 2 fields of the key`);
    const misfit = (field: string) => `${what} holds a value that does not fit key field "${field}"`;
    for (const cell of [
      null,
      true,
      [],
      [3],
      { b: 'AAE=', s: 'AAE=' },
      {},
      { x: 'AAE=' },
      { b: 5 },
      { b: 'AA E=' },
      { b: 'AAE' },
      { b: 'AAF=' },
      { s: '/w==' },
    ]) {
      refuses(t, payload({ [name]: [3, cell] }), keyset(), misfit('letter'));
    }
    refuses(
      t,
      signed(payloadOf(payload({})).replace(name === 'a' ? '"a":[3,' : '"u":[5,', `"${name}":[1e400,`)),
      keyset(),
      misfit('id'),
    );
    const numbersOnly = (cell: KeyCell) => typeof cell === 'number';
    refuses(
      t,
      payload({ a: [3, 4], u: [5, 6], [name]: [3, 'c'] }),
      keyset({ checkCell: numbersOnly, keyColumns: [column('id'), column('n')] }),
      misfit('n'),
    );
    const long = 'x'.repeat(70);
    refuses(
      t,
      payload({ a: [3, 4], u: [5, 6], [name]: [3, 'c'] }),
      keyset({ checkCell: numbersOnly, keyColumns: [column('id'), column(long)] }),
      misfit('x'.repeat(64)),
    );
  }
  // The cells as written: base64 of bytes, base64 of UTF-8 text (canonical only), and the column each is checked with.
  const seen: string[] = [];
  const record = (cell: KeyCell, col: ColumnMeta) => {
    seen.push(`${col.name}=${JSON.stringify(cell)}`);
    return true;
  };
  const decoded = decodeToken(
    key,
    payload({ a: [{ b: 'AAE=' }, { s: 'w6k=' }], u: [{ b: '' }, { s: '' }] }),
    keyset({ checkCell: record }),
  );
  t.deepEqual(decoded.after, [{ b64: 'AAE=' }, 'é']);
  t.deepEqual(decoded.until, [{ b64: '' }, '']);
  t.deepEqual(seen, ['id={"b64":"AAE="}', 'letter="é"', 'id={"b64":""}', 'letter=""']);
});
