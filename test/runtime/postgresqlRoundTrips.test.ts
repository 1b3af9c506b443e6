/**
 * Round trips of a PostgreSQL page, counted on the wire: the bundle reaches the server through a TCP relay that
 * counts the client's turns (a write of the client after an answer of the server). A warm page of 1,000 narrow rows
 * takes a few round trips (the transaction, its SET LOCAL, the statement and its batches pipelined), not one per
 * 100 rows, and every row is read once.
 */
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import test from 'ava';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let stage: PostgreSqlStage;
let relay: Server;
const sockets: Socket[] = [];
/** Client turns since the last reset: a client write that follows a server write. */
let turns = 0;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'round_trips', secretName: 'postgresql-round-trips' });
  await stage.sql(`
    CREATE TABLE narrow (id int PRIMARY KEY, label varchar(40) NOT NULL);
    INSERT INTO narrow SELECT i, 'row ' || i FROM generate_series(1, 3500) i;
  `);
  relay = createServer((client) => {
    const server = connect(stage.db.port, stage.db.host);
    sockets.push(client, server);
    let lastFromServer = true;
    client.on('data', (chunk) => {
      if (lastFromServer) turns++;
      lastFromServer = false;
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      lastFromServer = true;
      client.write(chunk);
    });
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
});

test.after.always(async () => {
  await stage?.teardown();
  for (const socket of sockets) socket.destroy();
  relay?.close();
});

test('a warm page of 1,000 narrow rows takes a few round trips, every row once', async (t) => {
  const connectorContext = stage.connectorContext(undefined, {
    host: '127.0.0.1',
    port: String((relay.address() as AddressInfo).port),
  });
  const ids: number[] = [];
  let nextToken: string | null = null;
  const pageTurns: number[] = [];
  do {
    turns = 0;
    const answer = await stage.query('narrow', { connectorContext, nextToken });
    t.true(answer.isSuccess, JSON.stringify(answer.errorDetails));
    pageTurns.push(turns);
    for (const record of answer.records ?? []) ids.push((JSON.parse(record) as { id: number }).id);
    nextToken = answer.nextToken;
  } while (nextToken);
  t.deepEqual(
    ids,
    Array.from({ length: 3500 }, (_, index) => index + 1),
  );
  t.log(`client turns per page: ${pageTurns.join(', ')}`);
  // The first page connects, reads the catalog and the highest key, and starts with a small statement (pace not
  // known yet). The next full pages of 1,000 rows: a probe of the pool and the read, about 3 round trips.
  t.is(pageTurns.length, 4);
  for (const count of pageTurns.slice(1, 3)) t.true(count <= 4, `a page of 1,000 rows took ${count} round trips`);
});
