/**
 * The cold-start split of the package (scripts/build-lambda.mjs): `require` of dist/lambda/index.js and a
 * configuration call load neither driver, nor the AWS SDK, nor the RDS certificate bundle; the first QueryData loads
 * the files it needs from dist/lambda/lazy/ (mysql2 and the Secrets Manager client, not pg) and answers with the
 * rows. Run in a fresh Node process whose module hooks report every ES module it loads.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { describeConnectorConfigurationEvent, queryDataEvent } from '../support/events';
import { BUNDLE_PATH } from '../support/lambda';

let stage: ConnectorStage;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  await connection.query('CREATE TABLE lazy_rows (id INT NOT NULL PRIMARY KEY, label VARCHAR(20) NOT NULL)');
  await connection.query("INSERT INTO lazy_rows VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  await connection.end();
});

test.after.always(async () => {
  await stage?.teardown();
});

interface Phases {
  afterRequire: string[];
  afterDescribe: string[];
  afterQuery: string[];
  records: string[] | null;
  requireCache: string[];
}

/** Requires the bundle in a fresh process, answers Describe then QueryData, and lists the modules each step loaded. */
function runPhases(queryEvent: unknown): Promise<Phases> {
  // Module hooks (a worker thread) post the URL of every module resolved through the ES module loader.
  const hooks = `
    let port;
    export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      port.postMessage(result.url);
      return result;
    }`;
  const script = `
    const { register } = require('node:module');
    const { MessageChannel } = require('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const loaded = [];
    port1.on('message', (url) => loaded.push(url));
    port1.unref();
    register('data:text/javascript,' + encodeURIComponent(process.env.LAZY_HOOKS), { data: { port: port2 }, transferList: [port2] });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    const context = () => { const end = Date.now() + 30000; return { awsRequestId: 'lazy', getRemainingTimeInMillis: () => end - Date.now() }; };
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    (async () => {
      const bundle = require(process.env.LAZY_BUNDLE);
      await settle();
      const afterRequire = [...loaded];
      await bundle.handler(JSON.parse(process.env.LAZY_DESCRIBE), context());
      await settle();
      const afterDescribe = [...loaded];
      const response = await bundle.handler(JSON.parse(process.env.LAZY_QUERY), context());
      await settle();
      const requireCache = Object.keys(require.cache);
      write('RESULT ' + JSON.stringify({ afterRequire, afterDescribe, afterQuery: [...loaded], records: response.records, requireCache }) + '\\n');
      await bundle.shutdown();
      process.exit(0);
    })();`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      {
        env: {
          ...process.env,
          LAZY_HOOKS: hooks,
          LAZY_BUNDLE: BUNDLE_PATH,
          LAZY_DESCRIBE: JSON.stringify(describeConnectorConfigurationEvent()),
          LAZY_QUERY: JSON.stringify(queryEvent),
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
        if (!line) return reject(new Error(`no result: ${error?.message ?? ''} ${stderr.slice(0, 2000)}`));
        resolve(JSON.parse(line.slice('RESULT '.length)) as Phases);
      },
    );
  });
}

const lazyDirectory = join(dirname(BUNDLE_PATH), 'lazy');
const lazyFiles = (urls: string[]) =>
  urls
    .filter((url) => url.startsWith('file:') && url.includes('/dist/lambda/lazy/'))
    .map((url) => url.slice(url.lastIndexOf('/') + 1))
    .filter((name) => !name.startsWith('chunk-'))
    .sort();

test('require and a configuration call load no driver, SDK or certificates; the first QueryData loads what it needs', async (t) => {
  t.deepEqual(
    readdirSync(lazyDirectory)
      .filter((name) => !name.startsWith('chunk-'))
      .sort(),
    ['mysql2.mjs', 'pg.mjs', 'rdsCertificates.mjs', 'rdsSigner.mjs', 'secretsManager.mjs'],
  );
  const phases = await runPhases(queryDataEvent(stage.target, 'lazy_rows', { maxResults: 10 }));
  // Node's own modules aside, require loads index.js and nothing else.
  t.deepEqual(
    phases.requireCache.filter((path) => path.includes('/dist/')),
    [BUNDLE_PATH],
  );
  t.deepEqual(lazyFiles(phases.afterRequire), []);
  t.deepEqual(lazyFiles(phases.afterDescribe), []);
  // TLS REQUIRED (the stage's default) needs no certificate bundle; the database is MariaDB, not PostgreSQL.
  t.deepEqual(lazyFiles(phases.afterQuery), ['mysql2.mjs', 'secretsManager.mjs']);
  t.deepEqual(phases.records, ['{"id":1,"label":"one"}', '{"id":2,"label":"two"}', '{"id":3,"label":"three"}']);
});
