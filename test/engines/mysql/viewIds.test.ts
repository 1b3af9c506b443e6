/**
 * INSERT through a MariaDB view reports the id the server generated when the view shows its one base table's
 * AUTO_INCREMENT primary key as a plain column (DescribeEntity marks that field the primary key), and omits the id —
 * never "" — for a view over a join or with the id as an expression. Through the built bundle.
 */
import test, { type ExecutionContext } from 'ava';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { describeEntityEvent, writeDataEvent } from '../../support/events';
import { invoke } from '../../support/lambda';

let stage: ConnectorStage;
test.before(async () => {
  stage = await startConnectorStage({ seed: false });
});
test.after.always(async () => {
  await stage?.teardown();
});

interface WriteAnswer {
  isSuccess: boolean;
  writeRecordResults: { isSuccess: boolean; recordId?: string | null; errorMessage: string | null }[] | null;
}

async function insert(t: ExecutionContext, entity: string, records: readonly string[]): Promise<WriteAnswer> {
  const event = { ...writeDataEvent(stage.target, entity, 'INSERT', []), records };
  const answer = await invoke<WriteAnswer>(stage.bundle, event);
  t.true(answer.isSuccess, JSON.stringify(answer));
  t.is(answer.writeRecordResults?.length, records.length);
  return answer;
}

async function primaryKeyFields(entity: string): Promise<string[]> {
  const answer = await invoke(stage.bundle, describeEntityEvent(stage.target, entity));
  const fields = (answer.entityDefinition as { fields: { fieldName: string; isPrimaryKey?: boolean }[] }).fields;
  return fields.filter((field) => field.isPrimaryKey).map((field) => field.fieldName);
}

test('a batch inserted through a single-table view reports each record its own generated id', async (t) => {
  await stage.database.query(
    'CREATE TABLE vi_tickets (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(20) NOT NULL UNIQUE)',
  );
  // Ids that do not start at 1, so a report of positions would not pass.
  await stage.database.query("INSERT INTO vi_tickets (id, title) VALUES (40, 'seed')");
  await stage.database.query('CREATE VIEW vi_ticket_view AS SELECT id AS ticket_id, title FROM vi_tickets');
  t.deepEqual(await primaryKeyFields('vi_ticket_view'), ['ticket_id']);
  const titles = ['one', 'two', 'three', 'four'];
  const answer = await insert(
    t,
    'vi_ticket_view',
    titles.map((title) => JSON.stringify({ title })),
  );
  const stored = (await stage.database.query('SELECT id, title FROM vi_tickets')) as { id: number; title: string }[];
  const idOf = new Map(stored.map((row) => [row.title, String(row.id)]));
  t.deepEqual(
    answer.writeRecordResults!.map((result) => result.recordId),
    titles.map((title) => idOf.get(title)),
  );
  t.is(new Set(titles.map((title) => idOf.get(title))).size, titles.length);
});

test('a view over a join or with the id as an expression reports no id, never ""', async (t) => {
  await stage.database.query(
    'CREATE TABLE vi_orders (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20), customer INT)',
  );
  await stage.database.query('CREATE TABLE vi_customers (id INT NOT NULL PRIMARY KEY, name VARCHAR(20))');
  await stage.database.query(
    'CREATE VIEW vi_order_joined AS SELECT o.id, o.note FROM vi_orders o JOIN vi_customers c ON c.id = o.customer',
  );
  await stage.database.query('CREATE VIEW vi_order_shifted AS SELECT id + 0 AS id, note FROM vi_orders');
  t.deepEqual(await primaryKeyFields('vi_order_joined'), []);
  t.deepEqual(await primaryKeyFields('vi_order_shifted'), []);
  for (const view of ['vi_order_joined', 'vi_order_shifted']) {
    const answer = await insert(t, view, ['{"note":"a"}', '{"note":"b"}']);
    for (const result of answer.writeRecordResults!) {
      t.true(result.isSuccess);
      t.false('recordId' in result && result.recordId !== null, `${view}: ${JSON.stringify(result)}`);
    }
  }
  const count = (await stage.database.query('SELECT COUNT(*) AS n FROM vi_orders')) as { n: unknown }[];
  t.is(String(count[0]!.n), '4');
});
