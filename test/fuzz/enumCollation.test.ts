/**
 * The schema fuzzer's ENUM oracle (fuzz/schema/types.ts, `enumLabelFor`) against MariaDB itself: for every collation
 * the generator uses, a value inserted into an ENUM column (strict mode) is stored as the label the oracle names, and
 * refused where the oracle names none. This keeps the oracle honest about the rule (issue 17 item 10: ENUM values
 * are matched under the column's own collation) without asking the connector.
 */
import test from 'ava';
import { MYSQL_COLLATIONS } from '../../fuzz/schema/mysql';
import { enumLabelFor } from '../../fuzz/schema/types';
import { type MariaDbServer, startMariaDb, type TestDatabase } from '../support/mariadb';

let server: MariaDbServer;
let database: TestDatabase;

test.before(async () => {
  server = await startMariaDb();
  database = await server.createDatabase({ prefix: 'enumoracle' });
});
test.after.always(async () => {
  await server?.stop();
});

const LABEL_SETS: readonly (readonly string[])[] = [
  ['a', 'B', 'c d'],
  ['a', 'A', 'B', 'c d'],
];
const VALUES = ['a', 'A', 'b', 'B', 'c d', 'C D', 'C d', 'nope', '', ' a'];

test('ENUM values are stored as the label equal under the column collation, or refused (oracle = server)', async (t) => {
  const connection = await database.connect();
  try {
    await connection.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
    let checked = 0;
    for (const collation of MYSQL_COLLATIONS) {
      for (const labels of LABEL_SETS) {
        const caseTwins = new Set(labels.map((label) => label.toLowerCase())).size < labels.length;
        if (caseTwins && collation.endsWith('_ci')) continue; // duplicate labels: not a valid column
        const charset = collation.split('_')[0];
        await connection.query('DROP TABLE IF EXISTS e');
        await connection.query(
          `CREATE TABLE e (id INT PRIMARY KEY, v ENUM(${labels.map((l) => `'${l}'`).join(', ')}) ` +
            `CHARACTER SET ${charset} COLLATE ${collation} NULL)`,
        );
        for (const [id, value] of VALUES.entries()) {
          const expected = enumLabelFor(labels, collation, value);
          let stored: string | null = null;
          let refused = false;
          try {
            await connection.query('INSERT INTO e VALUES (?, ?)', [id, value]);
            const [rows] = (await connection.query('SELECT v FROM e WHERE id = ?', [id])) as unknown as [
              { v: string }[],
            ];
            stored = rows[0]!.v;
          } catch {
            refused = true;
          }
          const where = `${collation} ENUM(${labels.join('|')}) value ${JSON.stringify(value)}`;
          if (expected === null) t.true(refused, `${where}: the oracle expects a refusal, stored ${stored}`);
          else t.is(stored, expected, `${where}: the oracle expects ${expected}`);
          checked++;
        }
      }
    }
    t.true(checked > 50);
  } finally {
    await connection.end();
  }
});
