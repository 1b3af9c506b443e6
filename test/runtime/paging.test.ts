import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  await connection.query(`CREATE TABLE grid (
      a INT NOT NULL, b VARCHAR(10) NOT NULL, payload VARCHAR(40) NOT NULL, PRIMARY KEY (a, b))`);
  await connection.query(`CREATE TABLE heap (n INT NOT NULL, label VARCHAR(20) NULL)`);
  await connection.query(`CREATE TABLE keyed_by_unique (code VARCHAR(20) NOT NULL, value INT NULL, UNIQUE KEY (code))`);
  const grid: unknown[][] = [];
  const heap: unknown[][] = [];
  for (let index = 0; index < 2500; index++) {
    // b values sort differently as text than as numbers: the key order is the collation's, and keyset follows it.
    grid.push([index % 50, `k${Math.floor(index / 50)}`, `row ${index} "quoted"`]);
    // Every heap row appears twice: a keyless table may hold exact duplicates, and both must be delivered.
    const n = Math.floor(index / 2);
    heap.push([n, n % 7 === 0 ? null : `label ${n}`]);
  }
  await connection.query('INSERT INTO grid (a, b, payload) VALUES ?', [grid]);
  await connection.query('INSERT INTO heap (n, label) VALUES ?', [heap]);
  await connection.query('INSERT INTO keyed_by_unique VALUES ?', [
    Array.from({ length: 300 }, (_, index) => [`code-${String(index).padStart(4, '0')}`, index]),
  ]);
  await connection.end();
});
test.after.always(async () => {
  await stage?.teardown();
});

async function readAll(entity: string, extra: Record<string, unknown> = {}) {
  const records: string[] = [];
  const tokens: string[] = [];
  const responseSizes: number[] = [];
  let nextToken: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const response = await invoke(stage.bundle, queryDataEvent(stage.target, entity, { ...extra, nextToken }));
    if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
    responseSizes.push(Buffer.byteLength(JSON.stringify(response)));
    records.push(...(response.records as string[]));
    nextToken = response.nextToken as string | null;
    if (!nextToken) break;
    tokens.push(nextToken);
  }
  return { records, tokens, responseSizes, pages: responseSizes.length };
}

for (const maxResults of [100, 1000]) {
  test(`composite key: pages of ${maxResults} deliver every row exactly once, in key order`, async (t) => {
    const { records, tokens, pages } = await readAll('grid', { maxResults });
    t.is(records.length, 2500);
    const keys = records.map((record) => {
      const { a, b } = JSON.parse(record) as { a: number; b: string };
      return `${a}|${b}`;
    });
    t.is(new Set(keys).size, 2500);
    t.is(pages, Math.ceil(2500 / maxResults));
    t.is(new Set(tokens).size, tokens.length, 'a token never repeats');
    const expectedOrder = [...keys].sort((x, y) => {
      const [ax, bx] = x.split('|') as [string, string];
      const [ay, by] = y.split('|') as [string, string];
      return Number(ax) - Number(ay) || (bx < by ? -1 : bx > by ? 1 : 0);
    });
    t.deepEqual(keys, expectedOrder);
  });

  test(`keyless table: pages of ${maxResults} deliver every row, duplicates included, exactly once`, async (t) => {
    const { records, pages } = await readAll('heap', { maxResults });
    t.is(records.length, 2500);
    t.is(pages, Math.ceil(2500 / maxResults));
    const counts = new Map<string, number>();
    for (const record of records) counts.set(record, (counts.get(record) ?? 0) + 1);
    t.is(counts.size, 1250);
    t.true([...counts.values()].every((count) => count === 2));
  });
}

test('a table whose only key is a unique NOT NULL index pages by that index', async (t) => {
  const { records, pages } = await readAll('keyed_by_unique', { maxResults: 70 });
  t.is(pages, 5);
  t.deepEqual(
    records.map((record) => (JSON.parse(record) as { value: number }).value),
    Array.from({ length: 300 }, (_, index) => index),
  );
});

test('LIMIT caps the total across pages and ends with a null token', async (t) => {
  const { records, pages, tokens } = await readAll('grid', { maxResults: 100, filterExpression: 'a >= 10 LIMIT 250' });
  t.is(records.length, 250);
  t.is(pages, 3);
  t.is(tokens.length, 2);
  t.true(records.every((record) => (JSON.parse(record) as { a: number }).a >= 10));

  const exact = await readAll('grid', { maxResults: 100, filterExpression: 'LIMIT 200' });
  t.is(exact.records.length, 200);
  t.is(exact.pages, 2, 'the budget is used up exactly at a page end: no empty extra page');
});

test('rows of ~64 KB with maxResults 1000 arrive complete, every response under 5.5 MB', async (t) => {
  const connection = await stage.database.connect();
  await connection.query('CREATE TABLE wide (id INT PRIMARY KEY, body MEDIUMTEXT NOT NULL)');
  // Quotes and backslashes double in size when the runtime escapes the record strings: the budget must count that.
  const body = (index: number) => `${index}:` + '"\\'.repeat(16_000) + 'x'.repeat(32_000);
  for (let start = 0; start < 300; start += 50) {
    const rows = Array.from({ length: 50 }, (_, offset) => [start + offset, body(start + offset)]);
    await connection.query('INSERT INTO wide (id, body) VALUES ?', [rows]);
  }
  await connection.end();
  const { records, responseSizes, pages } = await readAll('wide', { maxResults: 1000 });
  t.is(records.length, 300);
  t.true(pages > 1, `more than one page (${pages})`);
  t.true(Math.max(...responseSizes) < 5_500_000, `largest response ${Math.max(...responseSizes)} bytes`);
  records.forEach((record, index) => {
    t.is((JSON.parse(record) as { body: string }).body, body(index));
  });
});

test('a single row too large for any response fails with a message naming its largest field, not its key', async (t) => {
  const connection = await stage.database.connect();
  await connection.query('CREATE TABLE giant (id INT PRIMARY KEY, body LONGTEXT NOT NULL)');
  await connection.query("INSERT INTO giant VALUES (1, 'small'), (2, REPEAT('\"', 3000000))");
  await connection.end();
  const first = await invoke(stage.bundle, queryDataEvent(stage.target, 'giant', { maxResults: 1 }));
  t.is((first.records as string[]).length, 1);
  const second = await invoke(
    stage.bundle,
    queryDataEvent(stage.target, 'giant', { maxResults: 10, nextToken: first.nextToken }),
  );
  t.like(second, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  t.regex(
    (second.errorDetails as { errorMessage: string }).errorMessage,
    /a record of entity "giant" is \d+ bytes .*largest fields: body \(3000000 bytes\).*select fewer fields/,
  );
  t.notRegex((second.errorDetails as { errorMessage: string }).errorMessage, /id=/);
});

test('forged, corrupted or foreign tokens are refused with InvalidArgument and never reach SQL', async (t) => {
  const first = await invoke(stage.bundle, queryDataEvent(stage.target, 'grid', { maxResults: 10 }));
  const token = first.nextToken as string;
  const [body, mac] = token.split('.') as [string, string];
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { a: unknown[] };
  payload.a = ["1' OR '1'='1", 'x'];
  const forgedBody = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
  // The last base64url character of the 16-byte MAC carries 4 spare bits: a variant decodes to the same bytes.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const spareBits = mac.slice(0, -1) + alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1];
  const candidates = {
    forged: `${forgedBody}.${mac}`,
    flipped,
    garbage: "'; DROP TABLE grid; --",
    empty_mac: `${body}.`,
    spare_bits: `${body}.${spareBits}`,
    huge: 'A'.repeat(5000),
  };
  for (const [name, candidate] of Object.entries(candidates)) {
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'grid', { maxResults: 10, nextToken: candidate }),
    );
    t.like(response, { isSuccess: false, records: null, errorDetails: { errorCode: 'InvalidArgument' } }, name);
  }
  const otherQuery = await invoke(
    stage.bundle,
    queryDataEvent(stage.target, 'grid', { maxResults: 10, nextToken: token, filterExpression: 'a = 1' }),
  );
  t.like(otherQuery, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  t.regex(
    (otherQuery.errorDetails as { errorMessage: string }).errorMessage,
    /different entity, filter or field selection/,
  );
  const count = (await stage.database.query('SELECT COUNT(*) AS n FROM grid')) as { n: number }[];
  t.is(Number(count[0]!.n), 2500);
});

test('the first page fixes the end of the read: rows inserted beyond the snapshot key during the flow are left for the next run', async (t) => {
  const connection = await stage.database.connect();
  await connection.query('CREATE TABLE growing (id INT PRIMARY KEY, v INT)');
  await connection.query('INSERT INTO growing VALUES ?', [
    Array.from({ length: 30 }, (_, index) => [index * 10, index]),
  ]);
  const first = await invoke(stage.bundle, queryDataEvent(stage.target, 'growing', { maxResults: 10 }));
  // Inserted while the flow runs: one below the current position (skipped), one ahead of it (read), one
  // beyond the snapshot (not read in this run).
  await connection.query('INSERT INTO growing VALUES (5, 100), (155, 101), (1000, 102)');
  await connection.end();
  const records = [...(first.records as string[])];
  let nextToken = first.nextToken as string | null;
  while (nextToken) {
    const page = await invoke(stage.bundle, queryDataEvent(stage.target, 'growing', { maxResults: 10, nextToken }));
    records.push(...(page.records as string[]));
    nextToken = page.nextToken as string | null;
  }
  const ids = records.map((record) => (JSON.parse(record) as { id: number }).id);
  t.true(ids.includes(155));
  t.false(ids.includes(5));
  t.false(ids.includes(1000));
  t.is(ids.length, 31);
});

test('maxResults below 1 is refused', async (t) => {
  const response = await invoke(stage.bundle, queryDataEvent(stage.target, 'grid', { maxResults: 0 }));
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
});

test('keys whose order and comparison disagree in SQL (ENUM, SET, BIT, long TEXT) still deliver every row once', async (t) => {
  const connection = await stage.database.connect();
  await connection.query("CREATE TABLE enum_keyed (k ENUM('zeta','alpha','mid') PRIMARY KEY, v INT)");
  await connection.query("INSERT INTO enum_keyed VALUES ('zeta', 1), ('alpha', 2), ('mid', 3)");
  await connection.query("CREATE TABLE set_keyed (k SET('z','a') PRIMARY KEY, v INT)");
  await connection.query("INSERT INTO set_keyed VALUES ('z', 1), ('a', 2), ('z,a', 3)");
  await connection.query('CREATE TABLE bit_keyed (k BIT(8) PRIMARY KEY, v INT)');
  await connection.query("INSERT INTO bit_keyed VALUES (b'00000001', 1), (b'01000000', 2), (b'10000000', 3)");
  await connection.query('CREATE TABLE text_keyed (k TEXT NOT NULL, v INT, UNIQUE KEY (k))');
  const prefix = 'p'.repeat(1100);
  await connection.query('INSERT INTO text_keyed VALUES (?, 1), (?, 2), (?, 3)', [
    `${prefix}c`,
    `${prefix}a`,
    `${prefix}b`,
  ]);
  await connection.end();
  for (const entity of ['enum_keyed', 'set_keyed', 'bit_keyed', 'text_keyed']) {
    for (const maxResults of [1, 1000]) {
      const { records } = await readAll(entity, { maxResults });
      const values = records.map((record) => (JSON.parse(record) as { v: number }).v).sort();
      t.deepEqual(values, [1, 2, 3], `${entity} in pages of ${maxResults}`);
    }
  }
});

test('long text keys page to the end with tokens within AppFlow’s 2,048 characters', async (t) => {
  const connection = await stage.database.connect();
  await connection.query('CREATE TABLE long_keys (k VARCHAR(255) NOT NULL PRIMARY KEY, v INT)');
  const rows = Array.from({ length: 9 }, (_, index) => [`${index}${'漢'.repeat(250)}`, index]);
  await connection.query('INSERT INTO long_keys (k, v) VALUES ?', [rows]);
  await connection.end();
  const { records, tokens } = await readAll('long_keys', { maxResults: 2 });
  t.is(records.length, 9);
  t.true(
    tokens.every((token) => token.length <= 2048),
    `longest token ${Math.max(...tokens.map((token) => token.length))}`,
  );
});
