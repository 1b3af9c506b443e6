/**
 * One full read of the benchmark table in a fresh Node process, so that each strategy starts from the same state
 * (cold JIT, empty heap) and the connector's peak RSS is that of a process holding only the bundle, like a Lambda
 * instance. Plain CommonJS on purpose: no TypeScript loader in the measured process.
 *
 *   node bench/readWorker.cjs '<config JSON>'   (started by bench/measureRead.ts; the result comes back over IPC)
 *
 * Modes:
 *   connector  QueryData page after page through the bundle's handler with nextToken, each answer serialized with
 *              JSON.stringify as the Lambda runtime does.
 *   raw        mysql2 streaming (query().on('result')) with the connector's typing options, or for PostgreSQL pg
 *              streaming (a Query's 'row' events, one statement, rows not accumulated) with the connector's exact
 *              text parsers and session parameters; rows decoded, nothing else (the raw ceiling).
 *   protocol   the same stream, each row object turned into its record with JSON.stringify(row), and every
 *              pageSize records serialized in a response object with JSON.stringify, which escapes each record
 *              string once more, as the runtime does (the protocol ceiling).
 */
'use strict';
const { performance } = require('node:perf_hooks');

const config = JSON.parse(process.argv[2] || '{}');

function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

function lambdaContext() {
  const deadline = Date.now() + 30000;
  return { awsRequestId: 'bench', getRemainingTimeInMillis: () => deadline - Date.now() };
}

async function connectorRead() {
  const bundle = require(config.bundlePath);
  const event = config.event;
  const wanted = new Set(config.tokenPages || []);
  const tokens = {};
  // A warm instance: secret read, pool connected, table metadata cached (one record, not timed).
  const warm = await bundle.handler({ ...event, maxResults: 1, nextToken: null }, lambdaContext());
  if (!warm.isSuccess) throw new Error(`warm-up QueryData failed: ${JSON.stringify(warm.errorDetails)}`);
  const rssBeforeMb = process.memoryUsage().rss / 1048576;
  let token = null;
  let rows = 0;
  let recordBytes = 0;
  let responseBytes = 0;
  let pages = 0;
  const pageMs = [];
  // Counting bytes is the benchmark's own work: its time is taken out of the figure (in every mode alike).
  let accountingMs = 0;
  const started = performance.now();
  for (;;) {
    const pageStarted = performance.now();
    const response = await bundle.handler({ ...event, nextToken: token }, lambdaContext());
    const serialized = JSON.stringify(response);
    const pageEnded = performance.now();
    pageMs.push(pageEnded - pageStarted);
    if (!response.isSuccess)
      throw new Error(`QueryData failed on page ${pages}: ${JSON.stringify(response.errorDetails)}`);
    const records = response.records;
    rows += records.length;
    for (let index = 0; index < records.length; index++) recordBytes += Buffer.byteLength(records[index]);
    responseBytes += Buffer.byteLength(serialized);
    accountingMs += performance.now() - pageEnded;
    pages++;
    token = response.nextToken;
    if (!token) break;
    if (wanted.has(pages)) tokens[pages] = token;
  }
  const ms = performance.now() - started - accountingMs;
  await bundle.shutdown();
  return { rows, ms, recordBytes, responseBytes, pages, pageMs, tokens, rssBeforeMb, peakRssMb: peakRssMb() };
}

/**
 * The connector's PostgreSQL parsers (handler/engines/postgresql/typeParsers.ts, copied: no TypeScript loader
 * here): every value as the server's text, except bool → boolean, int2/int4/oid → number, bytea (hex) → Buffer.
 */
const PG_PARSERS = new Map([
  [16, (text) => text === 't'],
  [21, Number],
  [23, Number],
  [26, Number],
  [17, (text) => Buffer.from(text.slice(2), 'hex')],
]);
const pgExactTypes = {
  getTypeParser(oid, format) {
    if (format === 'binary') return (value) => value;
    return PG_PARSERS.get(oid) || ((text) => text);
  },
};

/**
 * The same loop as streamRead below, over pg: one statement whose rows arrive as 'row' events (with a listener and
 * no callback, pg does not accumulate them), typed by the connector's parsers in the connector's session.
 */
async function pgStreamRead(protocol) {
  const pg = require(require.resolve('pg', { paths: [config.root] }));
  const client = new pg.Client({ ...config.connection, types: pgExactTypes });
  await client.connect();
  const pageSize = config.pageSize;
  let rows = 0;
  let recordBytes = 0;
  let responseBytes = 0;
  let records = [];
  let accountingMs = 0;
  const flush = () => {
    const serialized = JSON.stringify({ isSuccess: true, errorDetails: null, records, nextToken: null });
    const accountingStarted = performance.now();
    for (let index = 0; index < records.length; index++) recordBytes += Buffer.byteLength(records[index]);
    responseBytes += Buffer.byteLength(serialized);
    accountingMs += performance.now() - accountingStarted;
    records = [];
  };
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const query = client.query(new pg.Query(config.sql));
    query.on('error', reject);
    query.on('end', resolve);
    if (protocol) {
      query.on('row', (row) => {
        const record = JSON.stringify(row);
        records.push(record);
        rows++;
        if (records.length === pageSize) flush();
      });
    } else {
      query.on('row', () => {
        rows++;
      });
    }
  });
  if (protocol && records.length > 0) flush();
  const ms = performance.now() - started - accountingMs;
  await client.end();
  return { rows, ms, recordBytes, responseBytes, pages: Math.ceil(rows / pageSize), peakRssMb: peakRssMb() };
}

async function streamRead(protocol) {
  const mysql = require(require.resolve('mysql2', { paths: [config.root] }));
  const connection = mysql.createConnection({
    ...config.connection,
    charset: 'utf8mb4_general_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
  });
  await connection.promise().query("SET time_zone = '+00:00'");
  const pageSize = config.pageSize;
  let rows = 0;
  let recordBytes = 0;
  let responseBytes = 0;
  let records = [];
  let accountingMs = 0;
  const flush = () => {
    const serialized = JSON.stringify({ isSuccess: true, errorDetails: null, records, nextToken: null });
    const accountingStarted = performance.now();
    for (let index = 0; index < records.length; index++) recordBytes += Buffer.byteLength(records[index]);
    responseBytes += Buffer.byteLength(serialized);
    accountingMs += performance.now() - accountingStarted;
    records = [];
  };
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const query = connection.query({ sql: config.sql });
    query.on('error', reject);
    query.on('end', resolve);
    if (protocol) {
      query.on('result', (row) => {
        const record = JSON.stringify(row);
        records.push(record);
        rows++;
        if (records.length === pageSize) flush();
      });
    } else {
      query.on('result', () => {
        rows++;
      });
    }
  });
  if (protocol && records.length > 0) flush();
  const ms = performance.now() - started - accountingMs;
  await connection.promise().end();
  return { rows, ms, recordBytes, responseBytes, pages: Math.ceil(rows / pageSize), peakRssMb: peakRssMb() };
}

/** The answer goes back over IPC; run by hand (no IPC channel), it is printed on stderr. */
function reply(message, code) {
  if (process.send) process.send(message, () => process.exit(code));
  else {
    process.stderr.write(`${JSON.stringify(message)}\n`);
    process.exit(code);
  }
}

async function main() {
  let result;
  if (config.mode === 'connector') result = await connectorRead();
  else if (config.mode === 'raw') result = await (config.library === 'pg' ? pgStreamRead : streamRead)(false);
  else if (config.mode === 'protocol') result = await (config.library === 'pg' ? pgStreamRead : streamRead)(true);
  else throw new Error(`unknown mode ${config.mode}`);
  reply({ ok: true, result }, 0);
}

main().catch((error) => {
  reply({ ok: false, error: String(error?.stack || error) }, 1);
});
