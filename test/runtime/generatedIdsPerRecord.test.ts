/**
 * A generated id is reported for the record whose row got it (README Writing: "Generated ids come from RETURNING,
 * one per row"; issue 17 item 6: "an id is reported only when it is known to belong to that record"). Both engines,
 * through the built bundle: one multi-row INSERT of records that differ only by a unique label; each recordId is then
 * compared with the id the server stored for that record's label.
 */
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

interface WriteAnswer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
  writeRecordResults: { isSuccess: boolean; recordId: string | null; errorMessage: string | null }[] | null;
}

const LABELS = ['first', 'second', 'third', 'fourth', 'fifth'];

let mysqlStage: ConnectorStage;
let postgresStage: PostgreSqlStage;

test.before(async () => {
  mysqlStage = await startConnectorStage({ seed: false });
  postgresStage = await startPostgreSqlStage({ schema: 'ids', secretName: 'generated-ids-pg' });
  // The last stage's Secrets Manager is the one the bundle asks: it holds both secrets.
  postgresStage.secrets.putSecret(mysqlStage.target.secretArn, {
    username: mysqlStage.database.user,
    password: mysqlStage.database.password,
  });
  // Ids that do not follow the insert order's obvious pattern: a start and a step of their own.
  for (const table of ['tagged', 'tagged_null']) {
    await mysqlStage.database.query(
      `CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20) NOT NULL UNIQUE) AUTO_INCREMENT = 500`,
    );
    await postgresStage.sql(
      `CREATE TABLE ${table} (id integer GENERATED ALWAYS AS IDENTITY (START WITH 700 INCREMENT BY 7) PRIMARY KEY,
         label text NOT NULL UNIQUE);`,
    );
  }
});

test.after.always(async () => {
  await mysqlStage?.teardown();
  await postgresStage?.teardown();
});

type Record = { readonly label: string; readonly id?: null };

const records: Record[] = LABELS.map((label) => ({ label }));

const engines = {
  MYSQL: {
    insert: (table = 'tagged', sent: readonly Record[] = records) =>
      invoke<WriteAnswer>(mysqlStage.bundle, writeDataEvent(mysqlStage.target, table, 'INSERT', [...sent])),
    async idsByLabel(table = 'tagged') {
      const rows = (await mysqlStage.database.query(`SELECT id, label FROM ${table}`)) as {
        id: number;
        label: string;
      }[];
      return new Map(rows.map((row) => [row.label, String(row.id)]));
    },
  },
  POSTGRESQL: {
    insert: (table = 'tagged', sent: readonly Record[] = records) =>
      invoke<WriteAnswer>(postgresStage.bundle, {
        type: 'WriteDataRequest',
        entityIdentifier: table,
        operation: 'INSERT',
        idFieldNames: null,
        records: sent.map((record) => JSON.stringify(record)),
        allOrNone: false,
        connectorContext: postgresStage.connectorContext(),
      }),
    async idsByLabel(table = 'tagged') {
      const rows = await postgresStage.sql(`SELECT id, label FROM ${table}`);
      return new Map(
        rows.filter((row) => row.length === 2 && /^\d+$/.test(row[0] ?? '')).map((row) => [row[1]!, row[0]!]),
      );
    },
  },
};

for (const [name, engine] of Object.entries(engines)) {
  test(`${name}: each record of a multi-row INSERT is reported the id its own row got`, async (t) => {
    const answer = await engine.insert();
    t.deepEqual(answer.errorDetails, null);
    const stored = await engine.idsByLabel();
    t.is(stored.size, LABELS.length);
    t.deepEqual(
      answer.writeRecordResults?.map((result) => result.recordId),
      LABELS.map((label) => stored.get(label)),
    );
  });

  // AppFlow sends null for a mapped id field the source left empty: null in a server-numbered column (AUTO_INCREMENT,
  // and PostgreSQL's GENERATED ALWAYS identity, which no write may set) asks for a generated id, as leaving it out does.
  test(`${name}: an INSERT giving the server-numbered id as null gets generated ids, each reported for its record`, async (t) => {
    const sent = LABELS.map((label) => ({ id: null, label }));
    const answer = await engine.insert('tagged_null', sent);
    t.deepEqual(answer.errorDetails, null);
    t.deepEqual(
      answer.writeRecordResults?.map((result) => result.errorMessage),
      LABELS.map(() => null),
    );
    const stored = await engine.idsByLabel('tagged_null');
    t.is(stored.size, LABELS.length);
    t.deepEqual(
      answer.writeRecordResults?.map((result) => result.recordId),
      LABELS.map((label) => stored.get(label)),
    );
  });
}
