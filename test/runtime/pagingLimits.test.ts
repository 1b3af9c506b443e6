/**
 * QueryData paging at its limits, through the built bundle against the throwaway MariaDB: keys too long for a token,
 * pages of wide rows (memory), forged tokens signed with the public default key,
 * and key values that must never reach a log line or an error message.
 */
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { BUNDLE_PATH, capturedLogs, containsSecret, invoke } from '../support/lambda';

// Debug lines too: no level may carry a key value.
process.env.LOG_LEVEL = 'DEBUG';
delete process.env.PAGING_TOKEN_KEY;

let stage: ConnectorStage;

const EMAIL = 'jane.doe+private@example.com';

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  // Keys longer than 1,024 characters, in one-byte and binary columns.
  await connection.query(
    'CREATE TABLE long_latin1 (k VARCHAR(1500) CHARACTER SET latin1 NOT NULL PRIMARY KEY, v INT NOT NULL)',
  );
  await connection.query('INSERT INTO long_latin1 VALUES ?', [
    Array.from({ length: 7 }, (_, index) => [`${index}${'é'.repeat(1200 + index * 40)}"\\`, index]),
  ]);
  await connection.query('CREATE TABLE long_binary (k VARBINARY(1200) NOT NULL PRIMARY KEY, v INT NOT NULL)');
  await connection.query('INSERT INTO long_binary VALUES ?', [
    Array.from({ length: 7 }, (_, index) => [Buffer.alloc(1100 + index * 10, index + 1), index]),
  ]);
  // A long primary key and a short unique NOT NULL index: the short one carries the read, snapshot included.
  await connection.query(
    `CREATE TABLE long_pk_short_unique (k VARCHAR(1500) CHARACTER SET latin1 NOT NULL PRIMARY KEY,
       id INT NOT NULL, v INT NOT NULL, UNIQUE KEY (id))`,
  );
  await connection.query('INSERT INTO long_pk_short_unique VALUES ?', [
    Array.from({ length: 9 }, (_, index) => [`${'x'.repeat(1100)}${9 - index}`, index * 10, index]),
  ]);
  // Rows of about 1 MB each.
  await connection.query('CREATE TABLE big_rows (id INT NOT NULL PRIMARY KEY, body MEDIUMTEXT NOT NULL)');
  await connection.query('INSERT INTO big_rows SELECT seq, REPEAT(CHAR(65 + seq % 26), 1000000) FROM seq_1_to_60');
  // Keyed by e-mail address, one record too large for any response.
  await connection.query('CREATE TABLE people (email VARCHAR(100) NOT NULL PRIMARY KEY, bio LONGTEXT NOT NULL)');
  await connection.query("INSERT INTO people VALUES ('a@example.com', 'short'), (?, REPEAT('\"', 3000000))", [EMAIL]);
  await connection.query('CREATE TABLE grid (a INT NOT NULL, b VARCHAR(10) NOT NULL, PRIMARY KEY (a, b))');
  await connection.query('INSERT INTO grid VALUES ?', [
    Array.from({ length: 50 }, (_, index) => [index % 5, `b${index}`]),
  ]);
  await connection.query('CREATE TABLE heap (n INT NOT NULL)');
  await connection.query('INSERT INTO heap SELECT seq FROM seq_1_to_50');
  // Records whose serialized sizes add up to the page byte budget exactly, and to one byte more.
  for (const [table, extra] of [
    ['at_budget', 0],
    ['over_budget', 1],
  ] as const) {
    await connection.query(`CREATE TABLE ${table} (id INT NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)`);
    for (const [id, length] of budgetBodies(extra)) {
      await connection.query(`INSERT INTO ${table} VALUES (?, REPEAT('x', ?))`, [id, length]);
    }
  }
  await connection.end();
});
test.after.always(async () => {
  await stage?.teardown();
});

interface Response {
  isSuccess: boolean;
  records: string[] | null;
  nextToken: string | null;
  errorDetails: { errorCode: string; errorMessage: string } | null;
}

async function readAll(entity: string, extra: Record<string, unknown> = {}, remainingMs?: number) {
  const records: string[] = [];
  const tokens: string[] = [];
  /** Each response's size as the Lambda runtime serializes it (UTF-8 bytes of its JSON). */
  const responseBytes: number[] = [];
  let nextToken = (extra.nextToken as string | undefined) ?? null;
  for (let page = 0; page < 1000; page++) {
    const response: Response = await invoke<Response>(
      stage.bundle,
      queryDataEvent(stage.target, entity, { ...extra, nextToken }),
      remainingMs,
    );
    if (!response.isSuccess) throw new Error(`page ${page + 1}: ${JSON.stringify(response.errorDetails)}`);
    responseBytes.push(Buffer.byteLength(JSON.stringify(response), 'utf8'));
    records.push(...response.records!);
    nextToken = response.nextToken;
    if (!nextToken) return { records, tokens, pages: page + 1, responseBytes };
    tokens.push(nextToken);
  }
  throw new Error('the read did not end');
}

/**
 * The records of one page may weigh 5,500,000 bytes less 4,096 for the rest of the response, each counted as the
 * Lambda runtime serializes it: the record as a JSON string (its quotes escaped) and a comma.
 */
const RECORDS_BUDGET_BYTES = 5_500_000 - 4_096;

/** What a record adds to the serialized response, computed here independently of the connector. */
function serializedBytes(record: string): number {
  return Buffer.byteLength(JSON.stringify(record), 'utf8') + 1;
}

/** Bodies of rows 1..5 (id, length): rows 1-4 weigh the budget exactly (+ `extra` bytes), row 5 is small. */
function budgetBodies(extra: number): [number, number][] {
  const overhead = serializedBytes(JSON.stringify({ id: 1, body: '' }));
  const first = 1_300_000;
  const fourth = RECORDS_BUDGET_BYTES - 4 * overhead - 3 * first + extra;
  return [
    [1, first],
    [2, first],
    [3, first],
    [4, fourth],
    [5, 10],
  ];
}

for (const [table, extra, firstPage] of [
  ['at_budget', 0, 4],
  ['over_budget', 1, 3],
] as const) {
  test(`records weighing the byte budget ${extra === 0 ? 'exactly fill one page' : 'plus one byte do not fit one page'}`, async (t) => {
    const first = await invoke<Response>(stage.bundle, queryDataEvent(stage.target, table, { maxResults: 10 }));
    t.true(first.isSuccess, JSON.stringify(first.errorDetails));
    const weight = first.records!.reduce((sum, record) => sum + serializedBytes(record), 0);
    t.is(first.records!.length, firstPage, `${weight} bytes of records`);
    if (extra === 0) t.is(weight, RECORDS_BUDGET_BYTES);
    t.true(weight <= RECORDS_BUDGET_BYTES);
    const rest = await readAll(table, { maxResults: 10, nextToken: first.nextToken });
    t.deepEqual(
      [...first.records!, ...rest.records].map((record) => (JSON.parse(record) as { id: number }).id),
      [1, 2, 3, 4, 5],
    );
  });
}

// 12. Long keys

for (const entity of ['long_latin1', 'long_binary']) {
  test(`${entity}: keys longer than 1,024 characters page to the end with tokens the connector accepts`, async (t) => {
    const { records, tokens } = await readAll(entity, { maxResults: 2 });
    t.deepEqual(
      records.map((record) => (JSON.parse(record) as { v: number }).v),
      [0, 1, 2, 3, 4, 5, 6],
    );
    t.true(tokens.length >= 3);
    t.true(
      tokens.every((token) => token.length <= 2048),
      `longest token ${Math.max(...tokens.map((token) => token.length))}`,
    );
  });
}

test('a long primary key with a short unique index: the read pages by the short key and keeps its snapshot', async (t) => {
  const first = await invoke<Response>(
    stage.bundle,
    queryDataEvent(stage.target, 'long_pk_short_unique', { maxResults: 3 }),
  );
  t.true(first.isSuccess);
  // Ordered by id, not by the primary key (whose order is the reverse).
  t.deepEqual(
    first.records!.map((record) => (JSON.parse(record) as { id: number }).id),
    [0, 10, 20],
  );
  const connection = await stage.database.connect();
  // Beyond the snapshot (id 80 was the highest when the read started): not part of this read.
  await connection.query("INSERT INTO long_pk_short_unique VALUES (REPEAT('y', 1200), 1000, 99)");
  await connection.end();
  const records = [...first.records!];
  let nextToken = first.nextToken;
  while (nextToken) {
    t.true(nextToken.length <= 2048);
    const page = await invoke<Response>(
      stage.bundle,
      queryDataEvent(stage.target, 'long_pk_short_unique', { maxResults: 3, nextToken }),
    );
    t.true(page.isSuccess, JSON.stringify(page.errorDetails));
    records.push(...page.records!);
    nextToken = page.nextToken;
  }
  t.deepEqual(
    records.map((record) => (JSON.parse(record) as { id: number }).id),
    [0, 10, 20, 30, 40, 50, 60, 70, 80],
  );
});

// 13. Memory of a page of wide rows

/** Runs one QueryData page in a fresh Node process and reports its peak memory (resident set). */
function measurePage(event: unknown): Promise<{ warmKb: number; peakKb: number; records: number; more: boolean }> {
  const script = `
    const bundle = require(process.env.PAGE_BUNDLE);
    const event = JSON.parse(process.env.PAGE_EVENT);
    const context = () => { const end = Date.now() + 30000; return { awsRequestId: 'm', getRemainingTimeInMillis: () => end - Date.now() }; };
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    (async () => {
      await bundle.handler({ ...event, maxResults: 1 }, context());
      const warmKb = process.resourceUsage().maxRSS;
      const response = await bundle.handler(event, context());
      const peakKb = process.resourceUsage().maxRSS;
      write('RESULT ' + JSON.stringify({ warmKb, peakKb, records: (response.records || []).length, more: !!response.nextToken, error: response.errorDetails }) + '\\n');
      await bundle.shutdown();
      process.exit(0);
    })();`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { ...process.env, PAGE_BUNDLE: BUNDLE_PATH, PAGE_EVENT: JSON.stringify(event) }, timeout: 90_000 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
        if (!line) return reject(new Error(`no result: ${error?.message ?? ''} ${stderr.slice(0, 2000)}`));
        resolve(JSON.parse(line.slice('RESULT '.length)));
      },
    );
  });
}

test.serial('a page of 1 MB rows holds a few megabytes, not every row its statement could return', async (t) => {
  const { warmKb, peakKb, records, more } = await measurePage(
    queryDataEvent(stage.target, 'big_rows', { maxResults: 1000 }),
  );
  const grownMb = (peakKb - warmKb) / 1024;
  t.log(`peak resident set ${Math.round(peakKb / 1024)} MB, ${grownMb.toFixed(1)} MB above the warmed-up process`);
  t.true(records >= 4 && records <= 6, `${records} records of 1 MB in a 5.5 MB page`);
  t.true(more);
  // A page may send 6 MB; what it holds while reading stays within a small multiple of that.
  t.true(grownMb < 40, `the page grew the process by ${grownMb.toFixed(1)} MB`);
});

test('wide rows read in full: every 1 MB row exactly once, every response within the budget', async (t) => {
  const { records, pages, responseBytes } = await readAll('big_rows', { maxResults: 1000 });
  t.is(records.length, 60);
  t.true(pages >= 10);
  // Measured, not assumed: every whole response stays within the 5.5 MB the connector promises (Lambda's limit is 6 MB).
  for (const bytes of responseBytes) t.true(bytes <= 5_500_000, `a response of ${bytes} bytes`);
  records.forEach((record, index) => {
    const { id, body } = JSON.parse(record) as { id: number; body: string };
    t.is(id, index + 1);
    t.is(body.length, 1_000_000);
  });
});

// 14. Sources that produce rows slowly: test/runtime/slowSources.test.ts

// 15. Forged tokens signed with the public default key

const PUBLIC_KEY = createHash('sha256').update('appflow-mysql-connector/v1').digest();

/** Re-signs a token payload with the public default key (what anyone reading the source can do). */
function forge(payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const mac = createHmac('sha256', PUBLIC_KEY).update(body).digest().subarray(0, 16).toString('base64url');
  return `${body}.${mac}`;
}

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

test('well-signed tokens that do not fit the query are refused with InvalidArgument, never reach SQL', async (t) => {
  const keyed = await invoke<Response>(stage.bundle, queryDataEvent(stage.target, 'grid', { maxResults: 5 }));
  const keyless = await invoke<Response>(stage.bundle, queryDataEvent(stage.target, 'heap', { maxResults: 5 }));
  const real = payloadOf(keyed.nextToken!);
  const realKeyless = payloadOf(keyless.nextToken!);
  t.is(
    (
      await invoke<Response>(
        stage.bundle,
        queryDataEvent(stage.target, 'grid', { maxResults: 5, nextToken: forge(real) }),
      )
    ).isSuccess,
    true,
    'the forging helper reproduces a valid token',
  );
  const cases: Record<string, [string, Record<string, unknown>]> = {
    'keyset without keys': ['grid', { ...real, a: null, u: null }],
    'keyset without resume key': ['grid', { ...real, a: null }],
    'keyset without snapshot key': ['grid', { ...real, u: null }],
    'key of the wrong arity': ['grid', { ...real, a: [1] }],
    'text in an integer key field': ['grid', { ...real, a: [`${EMAIL}`, 'b1'] }],
    'bytes in a text key field': ['grid', { ...real, a: [1, { b: 'AAAA' }] }],
    'a fraction in an integer key field': ['grid', { ...real, a: [1.5, 'b1'] }],
    'a key value longer than its column': ['grid', { ...real, a: [1, 'b'.repeat(11)] }],
    'offset mode for a keyed table': ['grid', { ...real, m: 'o', a: null, u: null, o: 5 }],
    'keyset mode for a keyless table': ['heap', { ...realKeyless, m: 'k', a: [1], u: [2] }],
    'keys in offset mode': ['heap', { ...realKeyless, a: [1] }],
    'a negative offset': ['heap', { ...realKeyless, o: -5 }],
    'a fractional offset': ['heap', { ...realKeyless, o: 2.5 }],
    'an offset beyond any table': ['heap', { ...realKeyless, o: 2 ** 60 }],
    'an offset in keyset mode': ['grid', { ...real, o: 7 }],
    'a zero remaining limit': ['grid', { ...real, r: 0 }],
    'a fractional remaining limit': ['grid', { ...real, r: 1.5 }],
    'another query': ['grid', { ...real, q: 'AAAAAAAAAAAAAAAA' }],
    'an unknown field': ['grid', { ...real, x: 1 }],
    'a missing field': ['grid', { ...real, r: undefined }],
    'a key cell of an unknown shape': ['grid', { ...real, a: [1, { t: 'YjE=' }] }],
    'a non-canonical base64 cell': ['grid', { ...real, a: [1, { s: 'YjE' }] }],
  };
  for (const [name, [entity, payload]] of Object.entries(cases)) {
    const response = await invoke<Response>(
      stage.bundle,
      queryDataEvent(stage.target, entity, { maxResults: 5, nextToken: forge(payload) }),
    );
    t.is(response.isSuccess, false, name);
    t.is(response.errorDetails?.errorCode, 'InvalidArgument', `${name}: ${JSON.stringify(response.errorDetails)}`);
    t.regex(response.errorDetails?.errorMessage ?? '', /nextToken/, name);
    t.false(containsSecret(JSON.stringify(response), EMAIL), `${name}: the message does not echo the value`);
  }
});

test('tokens signed with the public default key are announced once, at warn level, without key material', async (t) => {
  await invoke(stage.bundle, queryDataEvent(stage.target, 'grid', { maxResults: 5 }));
  await invoke(stage.bundle, queryDataEvent(stage.target, 'grid', { maxResults: 5 }));
  const warnings = capturedLogs()
    .split('\n')
    .filter((line) => line.includes('PAGING_TOKEN_KEY'))
    .map((line) => JSON.parse(line) as { level: string; message: string });
  t.is(warnings.length, 1);
  t.is(warnings[0]!.level, 'WARN');
  t.false(capturedLogs().includes('appflow-mysql-connector/v1'));
  t.false(capturedLogs().includes(PUBLIC_KEY.toString('hex')));
});

// 16. Key values never reach logs or responses

test('a record too large to send is reported by field names and sizes, never by its key value', async (t) => {
  const first = await invoke<Response>(stage.bundle, queryDataEvent(stage.target, 'people', { maxResults: 1 }));
  t.is(first.records!.length, 1);
  const second = await invoke<Response>(
    stage.bundle,
    queryDataEvent(stage.target, 'people', { maxResults: 10, nextToken: first.nextToken }),
  );
  t.is(second.errorDetails?.errorCode, 'InvalidArgument');
  t.regex(second.errorDetails!.errorMessage, /bio/);
  t.regex(second.errorDetails!.errorMessage, /select fewer fields/);
  t.false(containsSecret(JSON.stringify(second), EMAIL), 'the response does not carry the key value');
  t.false(containsSecret(capturedLogs(), EMAIL), 'no log line carries the key value');
  t.false(capturedLogs().includes('a@example.com'), 'nor any other key value');
});
