/**
 * Keys that are not unique over what is read (MariaDB, through the built bundle). A MERGE (MRG_MyISAM) table's
 * indexes are its underlying tables' indexes, each unique in one table only: two tables holding ids 1–300 make a
 * MERGE table with every id twice. Such a table has no key: reads page by offset (every row exactly once), no field
 * is a primary key. The server's lookups by such an index stop at the first underlying table holding the value, so
 * reads do not use the indexes (a filter `id = 7` finds both rows) and UPDATE, DELETE and UPSERT are refused. A view
 * over a UNION has no key either.
 */
import test, { type ExecutionContext } from 'ava';
import { mariaDbEngineStage, type Page, readPages } from '../../support/engineStage';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { describeEntityEvent, queryDataEvent, writeDataEvent } from '../../support/events';
import { invoke } from '../../support/lambda';

let stage: ConnectorStage;
const PER_TABLE = 300;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  for (const part of ['part_a', 'part_b']) {
    await connection.query(
      `CREATE TABLE ${part} (id INT NOT NULL PRIMARY KEY, src CHAR(1) NOT NULL, UNIQUE KEY by_src (src, id)) ENGINE=MyISAM`,
    );
    await connection.query(`INSERT INTO ${part} VALUES ?`, [
      Array.from({ length: PER_TABLE }, (_, index) => [index + 1, part.slice(-1)]),
    ]);
  }
  await connection.query(
    `CREATE TABLE merged (id INT NOT NULL, src CHAR(1) NOT NULL, PRIMARY KEY (id), UNIQUE KEY by_src (src, id))
     ENGINE=MERGE UNION=(part_a, part_b) INSERT_METHOD=LAST`,
  );
  // A second MERGE table for the write that changes rows.
  for (const part of ['part_c', 'part_d']) {
    await connection.query(`CREATE TABLE ${part} (id INT NOT NULL PRIMARY KEY, src CHAR(1) NOT NULL) ENGINE=MyISAM`);
    await connection.query(`INSERT INTO ${part} VALUES (1, ?), (2, ?)`, [part.slice(-1), part.slice(-1)]);
  }
  await connection.query(
    'CREATE TABLE merged_w (id INT NOT NULL, src CHAR(1) NOT NULL, PRIMARY KEY (id)) ENGINE=MERGE UNION=(part_c, part_d)',
  );
  await connection.query('CREATE VIEW unioned AS SELECT id, src FROM part_a UNION ALL SELECT id, src FROM part_b');
  await connection.end();
});

test.after.always(async () => {
  await stage?.teardown();
});

function readAll(t: ExecutionContext, entity: string): Promise<string[]> {
  return readPages(t, mariaDbEngineStage(stage).query, entity, { maxResults: 50, maxPages: 100 });
}

function expectedRecords(): string[] {
  return ['a', 'b'].flatMap((src) =>
    Array.from({ length: PER_TABLE }, (_, index) => JSON.stringify({ id: index + 1, src })),
  );
}

for (const entity of ['merged', 'unioned']) {
  test(`${entity}: pages of 50 read every row exactly once`, async (t) => {
    const records = await readAll(t, entity);
    t.is(records.length, 2 * PER_TABLE);
    t.deepEqual([...records].sort(), expectedRecords().sort());
  });

  test(`${entity}: no field is described as a primary key`, async (t) => {
    const answer = await invoke<{ entityDefinition: { fields: { fieldName: string; isPrimaryKey: boolean }[] } }>(
      stage.bundle,
      describeEntityEvent(stage.target, entity),
    );
    t.deepEqual(
      answer.entityDefinition.fields.filter((field) => field.isPrimaryKey).map((field) => field.fieldName),
      [],
    );
  });
}

test('merged: UPSERT by the per-table key and UPDATE without idFieldNames are refused, nothing written', async (t) => {
  const upsert = await invoke<Page>(
    stage.bundle,
    writeDataEvent(stage.target, 'merged', 'UPSERT', [{ id: 1, src: 'z' }], { idFieldNames: ['id'] }),
  );
  t.like(upsert, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  const update = await invoke<Page>(
    stage.bundle,
    writeDataEvent(stage.target, 'merged', 'UPDATE', [{ id: 1, src: 'z' }]),
  );
  t.like(update, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  const records = await readAll(t, 'merged');
  t.deepEqual([...records].sort(), expectedRecords().sort());
});

test('merged: UPDATE and DELETE by idFieldNames are refused (a key lookup there stops at one underlying table)', async (t) => {
  for (const operation of ['UPDATE', 'DELETE']) {
    const answer = await invoke<Page>(
      stage.bundle,
      writeDataEvent(stage.target, 'merged_w', operation, [{ id: 1, src: 'z' }], { idFieldNames: ['id'] }),
    );
    t.like(answer, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, operation);
    // A MERGE table is not a view: the message must not call it one.
    t.regex(
      (answer as { errorDetails: { errorMessage: string } }).errorDetails.errorMessage,
      new RegExp(`^entity "merged_w" cannot take ${operation}: rows can only be inserted$`),
    );
  }
  const records = await readAll(t, 'merged_w');
  t.deepEqual([...records].sort(), [
    '{"id":1,"src":"c"}',
    '{"id":1,"src":"d"}',
    '{"id":2,"src":"c"}',
    '{"id":2,"src":"d"}',
  ]);
});

test('merged: a filter on the per-table key finds the row in every underlying table', async (t) => {
  const page = await invoke<Page>(stage.bundle, queryDataEvent(stage.target, 'merged', { filterExpression: 'id = 7' }));
  t.deepEqual([...(page.records ?? [])].sort(), ['{"id":7,"src":"a"}', '{"id":7,"src":"b"}']);
  const range = await invoke<Page>(
    stage.bundle,
    queryDataEvent(stage.target, 'merged', { filterExpression: 'id BETWEEN 7 AND 8' }),
  );
  t.is(range.records?.length, 4);
});
