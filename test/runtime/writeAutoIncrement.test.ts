/**
 * Generated ids under innodb_autoinc_lock_mode = 2 ("interleaved", MySQL 8's default), through the built bundle
 * against a MariaDB started in that mode: while other sessions run simple multi-row INSERTs and bulk
 * INSERT … SELECTs, a batch whose records carry a unique key goes out as one INSERT and every reported id is the
 * stored id of its record; records without such a key are written one per statement, ids exact too.
 */
import test from 'ava';
import { type ConnectionTarget, secretArnFor, writeDataEvent } from '../support/events';
import { type ConnectorBundle, invoke, loadHandler } from '../support/lambda';
import { type MariaDbServer, startMariaDb, type TestDatabase } from '../support/mariadb';
import { type SecretsEndpoint, startSecretsEndpoint } from '../support/secretsEndpoint';

let secrets: SecretsEndpoint;
let server: MariaDbServer;
let database: TestDatabase;
let bundle: ConnectorBundle;
let target: ConnectionTarget;

test.before(async () => {
  secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  server = await startMariaDb({ extraArgs: ['--innodb-autoinc-lock-mode=2'] });
  database = await server.createDatabase();
  const secretArn = secretArnFor(`autoinc-${database.database}`);
  secrets.putSecret(secretArn, { username: database.user, password: database.password });
  bundle = loadHandler();
  target = { host: database.host, port: database.port, database: database.database, secretArn };
});
test.after.always(async () => {
  await bundle?.shutdown();
  await server?.stop();
  await secrets?.close();
});

interface WriteAnswer {
  isSuccess: boolean;
  writeRecordResults: { isSuccess: boolean; recordId?: string | null; errorMessage: string | null }[] | null;
}

async function globalCount(name: string): Promise<number> {
  const [row] = (await server.adminQuery(`SHOW GLOBAL STATUS LIKE '${name}'`)) as { Value: string }[];
  return Number(row!.Value);
}

test.serial('ids are exact under concurrent simple and bulk inserts, one statement per batch', async (t) => {
  const [mode] = (await database.query('SELECT @@innodb_autoinc_lock_mode AS mode')) as { mode: number }[];
  t.is(Number(mode!.mode), 2);
  await database.query(`CREATE TABLE items (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, code VARCHAR(40) NOT NULL UNIQUE, n INT NOT NULL)`);

  // Other sessions insert meanwhile: simple multi-row INSERTs and bulk INSERT … SELECTs (which interleave ids).
  let running = true;
  let simpleStatements = 0;
  const load = async (kind: 'simple' | 'bulk', session: number) => {
    const connection = await database.connect();
    try {
      for (let round = 0; running; round++) {
        if (kind === 'simple') {
          const values = Array.from({ length: 20 }, (_, index) => `('s${session}-${round}-${index}', 1)`);
          await connection.query(`INSERT INTO items (code, n) VALUES ${values.join(', ')}`);
          simpleStatements++;
        } else {
          await connection.query(
            `INSERT INTO items (code, n) SELECT CONCAT('b${session}-${round}-', seq), 2 FROM seq_1_to_50`,
          );
        }
      }
    } finally {
      await connection.end();
    }
  };
  const inserts = await globalCount('Com_insert');
  const loads = [load('simple', 1), load('bulk', 2), load('bulk', 3)];
  const answers: WriteAnswer[] = [];
  const batches = 4;
  try {
    for (let batch = 0; batch < batches; batch++) {
      const records = Array.from({ length: 1500 }, (_, index) => JSON.stringify({ code: `c${batch}-${index}`, n: 3 }));
      const event = { ...writeDataEvent(target, 'items', 'INSERT', [], { idFieldNames: ['id'] }), records };
      answers.push(await invoke<WriteAnswer>(bundle, event));
    }
  } finally {
    running = false;
    await Promise.all(loads);
  }
  const connectorStatements = (await globalCount('Com_insert')) - inserts - simpleStatements;
  t.is(connectorStatements, batches, 'each batch of 1,500 records went out as one INSERT');

  const stored = new Map(
    ((await database.query("SELECT code, id FROM items WHERE code LIKE 'c%'")) as { code: string; id: string }[]).map(
      (row) => [row.code, String(row.id)],
    ),
  );
  let interleaved = 0;
  for (const [batch, answer] of answers.entries()) {
    t.true(answer.isSuccess);
    let previous: bigint | null = null;
    for (const [index, result] of answer.writeRecordResults!.entries()) {
      t.is(result.recordId, stored.get(`c${batch}-${index}`), `record ${index} of batch ${batch}`);
      const id = BigInt(result.recordId!);
      if (previous !== null && id !== previous + 1n) interleaved++;
      previous = id;
    }
  }
  t.log(`ids of the connector's batches were interrupted by other sessions' ids ${interleaved} times`);
});

test.serial(
  'records without a unique key besides the generated id are written one per statement, ids exact',
  async (t) => {
    await database.query('CREATE TABLE notes (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(20))');
    const records = Array.from({ length: 20 }, (_, index) => JSON.stringify({ body: `n${index}` }));
    const inserts = await globalCount('Com_insert');
    const answer = await invoke<WriteAnswer>(bundle, { ...writeDataEvent(target, 'notes', 'INSERT', []), records });
    t.true(answer.isSuccess);
    t.is((await globalCount('Com_insert')) - inserts, 20);
    const stored = new Map(
      ((await database.query('SELECT body, id FROM notes')) as { body: string; id: string }[]).map((row) => [
        row.body,
        String(row.id),
      ]),
    );
    for (const [index, result] of answer.writeRecordResults!.entries()) t.is(result.recordId, stored.get(`n${index}`));
  },
);
