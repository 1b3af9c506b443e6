/**
 * The benchmark's data: one realistic customer-accounts table of mixed types (integers, exact decimals, a double,
 * a boolean, an ENUM, dates, DATETIME(3), TIMESTAMP(6), short and long strings with some non-ASCII text and
 * quotes, NULLs), about 200 bytes of data per row. Every row is a pure function of its id (a seeded PRNG), so the
 * same --rows gives the same table on every machine.
 *
 * Seeding sends multi-row INSERTs of a few thousand rows on two connections in parallel (without TLS: seeding is
 * not what is measured), which loads 1,000,000 rows in well under a minute on a 2-core machine.
 */
import mysql from 'mysql2/promise';

export const TABLE = 'bench_rows';
export const WRITE_TABLE = 'bench_writes';

/** The columns, in table order; the connector, the ceilings and the OFFSET strategy all read these. */
export const COLUMNS = [
  'id',
  'account_id',
  'email',
  'full_name',
  'country',
  'status',
  'is_verified',
  'score',
  'balance',
  'birth_date',
  'created_at',
  'updated_at',
  'notes',
] as const;

export function createTableSql(name: string): string {
  return `CREATE TABLE \`${name}\` (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id INT UNSIGNED NOT NULL,
  email VARCHAR(120) NOT NULL,
  full_name VARCHAR(100) NOT NULL,
  country CHAR(2) NOT NULL,
  status ENUM('new','active','suspended','closed') NOT NULL,
  is_verified TINYINT(1) NOT NULL,
  score DOUBLE NULL,
  balance DECIMAL(12,2) NOT NULL,
  birth_date DATE NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  notes VARCHAR(255) NULL,
  KEY idx_updated_at (updated_at),
  KEY idx_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

export interface BenchRow {
  readonly id: number;
  readonly account_id: number;
  readonly email: string;
  readonly full_name: string;
  readonly country: string;
  readonly status: string;
  readonly is_verified: 0 | 1;
  readonly score: number | null;
  /** Exact decimal text, e.g. "-1234.50". */
  readonly balance: string;
  /** 'YYYY-MM-DD' or null. */
  readonly birth_date: string | null;
  /** 'YYYY-MM-DD HH:MM:SS.mmm' (UTC). */
  readonly created_at: string;
  /** 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC). */
  readonly updated_at: string;
  readonly notes: string | null;
}

// biome-ignore format: a word list
const FIRST_NAMES = [
  'Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Linus', 'Radia', 'José', 'Zoë',
  'Łukasz', 'Søren', 'Chloé', 'Mei', 'Hiroshi', 'Ngozi', 'Aarav', 'Fatima', 'Olga', 'Pierre', 'Ana', 'Jürgen',
];
// biome-ignore format: a word list
const LAST_NAMES = [
  'Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', "O'Brien", 'Perlman',
  'García', 'Müller', 'Nowak', 'Kierkegaard', 'Dubois', 'Wang', 'Tanaka', 'Okafor', 'Sharma', 'Haddad', 'Ivanova',
  'Martin', 'Silva', 'Schäfer',
];
const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net', 'example.co.uk'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'PL', 'JP', 'IN', 'BR', 'NG', 'CA', 'AU'];
const STATUSES = ['new', 'active', 'active', 'active', 'suspended', 'closed'];
// biome-ignore format: a word list
const WORDS = [
  'renewal', 'invoice', 'called', 'about', 'the', 'account', 'upgrade', 'requested', 'refund', 'pending', 'review',
  'customer', 'prefers', 'email', 'contact', 'after', '5pm', 'VIP', 'migrated', 'from', 'legacy', 'CRM', 'note:',
  '"priority"', 'café', 'Zürich', 'office', 'discount', 'applied', 'Q3', 'trial', 'ended',
];

/** mulberry32: a tiny, fast, seedable PRNG; good enough for test data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function dateText(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function timeText(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

const EPOCH_2015 = Date.UTC(2015, 0, 1);
const SPAN_MS = 10 * 365 * 86_400_000;

/** The row with this id (ids start at 1); `variant` changes the mutable columns (for UPSERT batches). */
export function generateRow(id: number, variant = 0): BenchRow {
  const random = prng(id * 2654435761 + variant * 97);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const first = pick(FIRST_NAMES);
  const last = pick(LAST_NAMES);
  const createdMs = EPOCH_2015 + Math.floor(random() * SPAN_MS);
  const updatedMs = createdMs + Math.floor(random() * 400 * 86_400_000);
  const micros = Math.floor(random() * 1_000_000);
  const wordCount = Math.floor(random() * 16);
  const notes =
    random() < 0.25 || wordCount === 0 ? null : Array.from({ length: wordCount }, () => pick(WORDS)).join(' ');
  const cents = Math.floor(random() * 2_000_000) - 200_000;
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return {
    id,
    account_id: 1 + Math.floor(random() * 50_000),
    email: `${first.toLowerCase().replace(/[^a-z]/g, '')}.${id}@${pick(DOMAINS)}`,
    full_name: `${first} ${last}`,
    country: pick(COUNTRIES),
    status: pick(STATUSES),
    is_verified: random() < 0.7 ? 1 : 0,
    score: random() < 0.1 ? null : Math.round(random() * 1_000_000) / 1000 + variant,
    balance: `${sign}${Math.floor(absolute / 100)}.${pad(absolute % 100)}`,
    birth_date: random() < 0.2 ? null : dateText(Date.UTC(1950, 0, 1) + Math.floor(random() * 55 * 365 * 86_400_000)),
    created_at: `${dateText(createdMs)} ${timeText(createdMs)}.${pad(createdMs % 1000, 3)}`,
    updated_at: `${dateText(updatedMs)} ${timeText(updatedMs)}.${pad(micros, 6)}`,
    notes,
  };
}

const sqlString = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The row as an SQL tuple, for multi-row INSERTs. */
export function rowTuple(row: BenchRow): string {
  return (
    `(${row.id},${row.account_id},${sqlString(row.email)},${sqlString(row.full_name)},'${row.country}',` +
    `'${row.status}',${row.is_verified},${row.score === null ? 'NULL' : row.score},${row.balance},` +
    `${row.birth_date === null ? 'NULL' : `'${row.birth_date}'`},'${row.created_at}','${row.updated_at}',` +
    `${row.notes === null ? 'NULL' : sqlString(row.notes)})`
  );
}

/** The row as an AppFlow record (what WriteData receives): typed JSON, ISO-8601 instants. */
export function rowRecord(row: BenchRow): string {
  return JSON.stringify({
    id: row.id,
    account_id: row.account_id,
    email: row.email,
    full_name: row.full_name,
    country: row.country,
    status: row.status,
    is_verified: row.is_verified === 1,
    score: row.score,
    balance: Number(row.balance),
    birth_date: row.birth_date,
    created_at: `${row.created_at.replace(' ', 'T')}Z`,
    updated_at: `${row.updated_at.replace(' ', 'T')}Z`,
    notes: row.notes,
  });
}

export interface SeedConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface SeedResult {
  readonly rows: number;
  /** Creating the tables and loading the rows. */
  readonly seconds: number;
  /** Waiting for InnoDB to flush the loaded pages before measuring. */
  readonly settleSeconds: number;
  /** InnoDB's data length / rows (after ANALYZE TABLE): bytes per row on disk, clustered index only. */
  readonly avgRowBytes: number;
  readonly dataMB: number;
}

/**
 * Waits (up to 60 s) until InnoDB has written the freshly loaded pages back, so that background flushing does not
 * compete with the measurements that follow. Needs SUPER-like rights; skipped silently without them.
 */
async function settle(connection: mysql.Connection): Promise<void> {
  try {
    await connection.query('SET GLOBAL innodb_max_dirty_pages_pct = 0');
  } catch {
    return;
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')",
    );
    const value = (name: string) => Number(rows.find((row) => row.Variable_name === name)?.Value ?? 0);
    if (value('Innodb_buffer_pool_pages_dirty') <= value('Innodb_buffer_pool_pages_total') * 0.001) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await connection.query('SET GLOBAL innodb_max_dirty_pages_pct = 90').catch(() => {});
}

/** Creates the read table and the write table and fills the read table with rows 1..rows. */
export async function seed(
  connection: SeedConnection,
  rows: number,
  options: { batchRows?: number; parallel?: number; onProgress?: (done: number) => void } = {},
): Promise<SeedResult> {
  const batchRows = options.batchRows ?? 5000;
  const parallel = options.parallel ?? 2;
  const started = performance.now();
  const connect = () =>
    mysql.createConnection({ ...connection, multipleStatements: false, charset: 'utf8mb4_general_ci' });
  const setup = await connect();
  try {
    await setup.query(`DROP TABLE IF EXISTS \`${TABLE}\`, \`${WRITE_TABLE}\``);
    await setup.query(createTableSql(TABLE));
    await setup.query(createTableSql(WRITE_TABLE));
  } finally {
    await setup.end();
  }

  let nextId = 1;
  let done = 0;
  const worker = async () => {
    const session = await connect();
    try {
      await session.query("SET time_zone = '+00:00', unique_checks = 0, foreign_key_checks = 0");
      for (;;) {
        const first = nextId;
        if (first > rows) return;
        const last = Math.min(rows, first + batchRows - 1);
        nextId = last + 1;
        const tuples: string[] = [];
        for (let id = first; id <= last; id++) tuples.push(rowTuple(generateRow(id)));
        await session.query(`INSERT INTO \`${TABLE}\` (${COLUMNS.join(',')}) VALUES ${tuples.join(',')}`);
        done += last - first + 1;
        options.onProgress?.(done);
      }
    } finally {
      await session.end();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));

  const loadSeconds = (performance.now() - started) / 1000;
  const check = await connect();
  try {
    await check.query(`ANALYZE TABLE \`${TABLE}\``);
    const settleStarted = performance.now();
    await settle(check);
    const settleSeconds = (performance.now() - settleStarted) / 1000;
    const [stats] = await check.query<mysql.RowDataPacket[]>(
      'SELECT DATA_LENGTH AS dataLength FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [connection.database, TABLE],
    );
    const dataLength = Number(stats[0]?.dataLength ?? 0);
    return {
      rows,
      seconds: loadSeconds,
      settleSeconds,
      avgRowBytes: rows > 0 ? dataLength / rows : 0,
      dataMB: dataLength / 1_000_000,
    };
  } finally {
    await check.end();
  }
}
