/**
 * Round trips of a PostgreSQL page, counted on the wire: the bundle reaches the server through a TCP relay that
 * counts the client's turns (a write of the client after an answer of the server). A warm page of 1,000 narrow rows
 * takes one round trip (the transaction, its SET LOCAL, the statement, its one batch and COMMIT pipelined), not one
 * per 100 rows, and every row is read once. The relay passes the server's bytes on no faster than the client reads
 * them, and counts them: a page that stopped while far more rows were on their way gives its connection up rather
 * than receive them all. The tests run one at a time (the counts are shared).
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
/** Bytes the server sent through the relay since the last reset. */
let serverBytes = 0;
const PROBE = Buffer.from('SELECT 1\0');
const SHORT_ROWS = 3000;
const LONG_ROWS = 100;
const LONG_ROW_CHARS = 1_000_000;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'round_trips', secretName: 'postgresql-round-trips' });
  await stage.sql(`
    CREATE TABLE narrow (id int PRIMARY KEY, label varchar(40) NOT NULL);
    INSERT INTO narrow SELECT i, 'row ' || i FROM generate_series(1, 3500) i;
    CREATE TABLE growing (id int PRIMARY KEY, body text NOT NULL);
    INSERT INTO growing SELECT i, 'short ' || i FROM generate_series(1, ${SHORT_ROWS}) i;
    INSERT INTO growing SELECT ${SHORT_ROWS} + i, repeat(chr(65 + i % 26), ${LONG_ROW_CHARS})
      FROM generate_series(1, ${LONG_ROWS}) i;
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
      serverBytes += chunk.length;
      // Backpressure: the server is held back while the client has not read what it was sent.
      if (!client.write(chunk)) server.pause();
    });
    client.on('drain', () => server.resume());
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

test.serial('a warm page of 1,000 narrow rows takes one round trip, every row once', async (t) => {
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

test.serial(
  'a page whose rows outgrew the estimate gives its connection up instead of receiving every row it asked for',
  async (t) => {
    const connectorContext = stage.connectorContext(undefined, {
      host: '127.0.0.1',
      port: String((relay.address() as AddressInfo).port),
    });
    const ids: number[] = [];
    const sentPerPage: number[] = [];
    let nextToken: string | null = null;
    do {
      serverBytes = 0;
      const answer = await stage.query('growing', { connectorContext, nextToken });
      t.true(answer.isSuccess, JSON.stringify(answer.errorDetails));
      sentPerPage.push(serverBytes);
      for (const record of answer.records ?? []) ids.push((JSON.parse(record) as { id: number }).id);
      nextToken = answer.nextToken;
    } while (nextToken && sentPerPage.length < 60);
    t.deepEqual(
      ids,
      Array.from({ length: SHORT_ROWS + LONG_ROWS }, (_, index) => index + 1),
    );
    // Pages 1-3 read the short rows and leave an estimate of a few dozen bytes a record; page 4 asks for 1,001 rows by
    // it, and the first five 1 MB rows fill its response. Without giving the connection up, the server would send the
    // other 95 (and the page would wait for them); with it, a few megabytes more, whatever the sockets held.
    const transition = sentPerPage[SHORT_ROWS / 1000]!;
    t.log(`server bytes per page: ${sentPerPage.map((bytes) => (bytes / 1e6).toFixed(1)).join(', ')} MB`);
    t.true(transition < 40e6, `the page after the short rows received ${(transition / 1e6).toFixed(1)} MB`);
  },
);
