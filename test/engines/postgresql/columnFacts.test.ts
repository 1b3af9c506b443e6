/**
 * The column facts the PostgreSQL value code reads, from the catalog of the throwaway PostgreSQL 15: collation,
 * fractional-seconds precision, numeric precision and scale (PostgreSQL 15's scale larger than the precision and
 * negative scale included), through domains over domains and for the elements of arrays of domains.
 */
import test from 'ava';
import type { Database } from '../../../handler/engines/engine';
import { describeTable, type PgColumnMeta } from '../../../handler/engines/postgresql/catalog';
import { PostgreSqlPools } from '../../../handler/engines/postgresql/connection';
import {
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  plainPublicDatabase,
  startThrowawayPostgreSql,
} from '../../support/postgresql';

let server: PostgreSqlServer;
let db: PostgreSqlDatabase;
let database: Database;
const pools = new PostgreSqlPools();

test.before(async () => {
  server = await startThrowawayPostgreSql();
  db = await server.createDatabase();
  await db.query(`
    CREATE DOMAIN money10 AS numeric(10,2);
    CREATE DOMAIN positive_money AS money10 CHECK (VALUE > 0);
    CREATE DOMAIN small_count AS int;
    CREATE DOMAIN counted AS small_count NOT NULL;
    CREATE TABLE facts (
      id int PRIMARY KEY,
      tiny numeric(3,5),
      hundreds numeric(3,-2),
      plain numeric,
      price positive_money,
      at timestamp(0),
      at3 timestamptz(3),
      at6 timestamp,
      clock time(2),
      c_text text COLLATE "C",
      default_text varchar(10),
      counts counted[],
      amounts money10[],
      scores numeric(5,1)[]
    );
  `);
  database = await plainPublicDatabase(pools, db);
});
test.after.always(async () => {
  await pools.closeAll();
  await server?.stop();
});

test('numeric precision and scale (negative and larger than the precision), time precision, collation', async (t) => {
  const table = await describeTable(database, 'public', 'facts', 5_000);
  const facts = (name: string) => {
    const { numericPrecision, numericScale, timePrecision, collation, kind } = table.columnsByName.get(
      name,
    ) as PgColumnMeta;
    return { numericPrecision, numericScale, timePrecision, collation, kind };
  };
  const none = { numericPrecision: null, numericScale: null, timePrecision: null, collation: null };
  t.deepEqual(facts('tiny'), { ...none, numericPrecision: 3, numericScale: 5, kind: 'numeric' });
  t.deepEqual(facts('hundreds'), { ...none, numericPrecision: 3, numericScale: -2, kind: 'numeric' });
  t.deepEqual(facts('plain'), { ...none, kind: 'numeric' });
  // A domain over a domain over numeric(10,2) is numeric(10,2).
  t.deepEqual(facts('price'), { ...none, numericPrecision: 10, numericScale: 2, kind: 'numeric' });
  t.deepEqual(facts('at'), { ...none, timePrecision: 0, kind: 'timestamp' });
  t.deepEqual(facts('at3'), { ...none, timePrecision: 3, kind: 'timestamptz' });
  t.deepEqual(facts('at6'), { ...none, timePrecision: 6, kind: 'timestamp' });
  t.deepEqual(facts('c_text'), { ...none, collation: 'C', kind: 'string' });
  t.deepEqual(facts('default_text'), { ...none, collation: 'default', kind: 'string' });
  t.is((table.columnsByName.get('clock') as PgColumnMeta).sqlType, 'time');
});

test('arrays of domains have the element type under the domains', async (t) => {
  const table = await describeTable(database, 'public', 'facts', 5_000);
  const counts = table.columnsByName.get('counts') as PgColumnMeta;
  t.is(counts.kind, 'array');
  t.is(counts.dataType, 'List');
  t.like(counts.element, { sqlType: 'int4', kind: 'int4' });
  const amounts = table.columnsByName.get('amounts') as PgColumnMeta;
  t.like(amounts.element, { sqlType: 'numeric', kind: 'numeric', numericPrecision: 10, numericScale: 2 });
  const scores = table.columnsByName.get('scores') as PgColumnMeta;
  t.like(scores.element, { sqlType: 'numeric', numericPrecision: 5, numericScale: 1 });
});
