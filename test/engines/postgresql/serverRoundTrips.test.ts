/**
 * Round trips of a PostgreSQL page, counted on the wire: the bundle reaches the server through a TCP relay that
 * counts the client's turns (a write of the client after an answer of the server). A warm page of 1,000 narrow rows
 * takes one round trip (the transaction, its SET LOCAL, the statement, its one batch and COMMIT pipelined), not one
 * per 100 rows, and every row is read once.
 */
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import test from 'ava';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;
let relay: Server;
const sockets: Socket[] = [];
/** Client turns since the last reset: a client write that follows a server write. */
let turns = 0;
/** Freshness probes (`SELECT 1` as a simple query) since the last reset: sent when the pool idled for a second. */
let probes = 0;
const PROBE = Buffer.from('SELECT 1\0');

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
      if (chunk.includes(PROBE)) probes++;
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

test('a warm page of 1,000 narrow rows takes one round trip, every row once', async (t) => {
  const connectorContext = stage.connectorContext(undefined, {
    host: '127.0.0.1',
    port: String((relay.address() as AddressInfo).port),
  });
  const ids: number[] = [];
  let nextToken: string | null = null;
  const pageTurns: number[] = [];
  do {
    turns = 0;
    probes = 0;
    const answer = await stage.query('narrow', { connectorContext, nextToken });
    t.true(answer.isSuccess, JSON.stringify(answer.errorDetails));
    pageTurns.push(turns - probes);
    for (const record of answer.records ?? []) ids.push((JSON.parse(record) as { id: number }).id);
    nextToken = answer.nextToken;
  } while (nextToken);
  t.deepEqual(
    ids,
    Array.from({ length: 3500 }, (_, index) => index + 1),
  );
  t.log(`client turns per page: ${pageTurns.join(', ')}`);
  // The first page connects, reads the catalog and the highest key, and starts with a small statement (pace not
  // known yet). Every later page, the last one included, is one round trip besides a probe of an idle pool.
  t.is(pageTurns.length, 4);
  for (const count of pageTurns.slice(1)) t.is(count, 1, `a page took ${count} round trips besides probes`);
});
