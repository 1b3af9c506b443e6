/**
 * A spatial column restricted to an SRID (MariaDB `REF_SYSTEM_ID=4326`, MySQL 8 `SRID 4326`) is written with that
 * SRID: the catalog reports it (information_schema.GEOMETRY_COLUMNS.SRID on MariaDB) and the write statement reads
 * the WKT with it. MariaDB does not refuse another SRID: without it every value would silently be stored as SRID 0.
 * Checked on the server with ST_SRID, for every write operation, through the built bundle.
 */
import test from 'ava';
import type mysql from 'mysql2/promise';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;
let connection: mysql.Connection;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  await connection.query(
    'CREATE TABLE places (id INT PRIMARY KEY, place POINT REF_SYSTEM_ID=4326 NULL, plain POINT NULL, shape GEOMETRY REF_SYSTEM_ID=3857 NULL)',
  );
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

type WriteAnswer = { writeRecordResults: { isSuccess: boolean; errorMessage: string | null }[] | null };

async function write(operation: string, records: Record<string, unknown>[], idFieldNames: string[] | null = null) {
  const event = writeDataEvent(stage.target, 'places', operation, records, { idFieldNames });
  const answer = await invoke<WriteAnswer>(stage.bundle, event);
  return (answer.writeRecordResults ?? []).map((result) => result.errorMessage ?? 'ok');
}

async function stored(id: number) {
  const [rows] = await connection.query(
    `SELECT ST_SRID(place) AS placeSrid, ST_AsText(place) AS place, ST_SRID(plain) AS plainSrid,
            ST_SRID(shape) AS shapeSrid, ST_AsText(shape) AS shape FROM places WHERE id = ?`,
    [id],
  );
  return (rows as Record<string, unknown>[])[0];
}

test.serial("a WKT write into a column with an SRID stores the column's SRID (INSERT, UPDATE, UPSERT)", async (t) => {
  t.deepEqual(
    await write('INSERT', [{ id: 1, place: 'POINT(1 2)', plain: 'POINT(3 4)', shape: 'LINESTRING(0 0,1 1)' }]),
    ['ok'],
  );
  t.deepEqual(await stored(1), {
    placeSrid: 4326,
    place: 'POINT(1 2)',
    plainSrid: 0,
    shapeSrid: 3857,
    shape: 'LINESTRING(0 0,1 1)',
  });

  t.deepEqual(await write('UPDATE', [{ id: 1, place: 'POINT(5 6)', shape: 'POINT(7 8)' }], ['id']), ['ok']);
  t.like(await stored(1), { placeSrid: 4326, place: 'POINT(5 6)', plainSrid: 0, shapeSrid: 3857, shape: 'POINT(7 8)' });

  t.deepEqual(
    await write(
      'UPSERT',
      [
        { id: 1, place: 'POINT(9 10)' },
        { id: 2, place: 'POINT(-1.5 2.25)', plain: 'POINT(0 0)' },
      ],
      ['id'],
    ),
    ['ok', 'ok'],
  );
  t.like(await stored(1), { placeSrid: 4326, place: 'POINT(9 10)' });
  t.like(await stored(2), { placeSrid: 4326, place: 'POINT(-1.5 2.25)', plainSrid: 0 });
});
