/**
 * The MariaDB stage of the fuzz run: the runtime tests' stage (test/support/environment.ts: fixture database, a
 * second database that must stay invisible, the local Secrets Manager, the built bundle) and MariaDB's DDL for the
 * tables the properties create.
 */
import { startConnectorStage } from '../test/support/environment';
import { isolateServerTmpdir, openWatcher, serverDiagnostics, serverLogPath } from './database';
import type { FixtureSql, FuzzStage } from './stage';

const quote = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** Deterministic rows (constants of this file only): FLOATs that are not what they show, TINYINT(1) 2 and -1, ... */
function shownSeed(table: string): string {
  const floats = [
    '0.1',
    '3.3',
    '0.3',
    '-0.1',
    '16777217',
    '1e-7',
    '2.5',
    '0',
    '1.1',
    '0.7',
    '1e10',
    '-3.4e38',
    '123.456',
  ];
  const doubles = ['0.1', '0.30000000000000004', '-0.1', '1e300', '2.5', '0', '1.1', '0.7', '9007199254740993'];
  const booleans = ['0', '1', '2', '-1', '127', '-128'];
  const rows: string[] = [];
  for (let id = 1; id <= 48; id++) {
    const or = (isNull: boolean, value: string) => (isNull ? 'NULL' : value);
    const day = String((id % 28) + 1).padStart(2, '0');
    rows.push(
      `(${id}, ${or(id % 9 === 0, floats[id % floats.length]!)}, ${or(id % 8 === 0, doubles[id % doubles.length]!)}, ` +
        `${or(id % 7 === 0, booleans[id % booleans.length]!)}, ${or(id % 3 === 0, String(id % 2))}, ` +
        `${or(id % 5 === 0, String((id * 37) % 1000))}, ${or(id % 6 === 0, String(id * 1000003))}, ` +
        `${or(id % 4 === 0, String(((id * 7) % 100) / 8))}, ${or(id % 10 === 0, floats[id % floats.length]!.replace('-', ''))}, ` +
        `${or(id % 11 === 0, `'2024-03-${day}'`)}, ${or(id % 12 === 0, `'2024-03-${day} ${String(id % 24).padStart(2, '0')}:00:00.500'`)})`,
    );
  }
  return `INSERT INTO ${quote(table)} VALUES ${rows.join(', ')}`;
}

export const MYSQL_SQL: FixtureSql = {
  quote,
  targetDdl: (name) =>
    `CREATE TABLE ${quote(name)} (id INT PRIMARY KEY, name VARCHAR(20), qty INT NOT NULL DEFAULT 0, ` +
    'price DECIMAL(8,2), created DATETIME NULL) ENGINE=InnoDB',
  targetSeed: (name) =>
    `INSERT INTO ${quote(name)} VALUES (1, 'one', 1, 1.00, '2024-01-01 00:00:00'), (2, 'two', 2, NULL, NULL), ` +
    `(3, NULL, 0, 9.99, '2024-06-30 12:34:56'), (5, 'five', 5, -5.50, NULL), (10, 'ten', 10, 100000.00, NULL)`,
  shownDdl: (name) =>
    `CREATE TABLE ${quote(name)} (id INT PRIMARY KEY, f FLOAT NULL, d DOUBLE NULL, b TINYINT(1) NULL, ` +
    'bit1 BIT(1) NULL, zi INT(6) UNSIGNED ZEROFILL NULL, zb BIGINT UNSIGNED ZEROFILL NULL, ' +
    'zd DECIMAL(8,3) ZEROFILL NULL, zf FLOAT ZEROFILL NULL, day DATE NULL, at DATETIME(3) NULL)',
  shownSeed,
  // MariaDB compares a literal with BIT(1) and the other columns of the table as the records show them.
  shownRules: {},
  unstorableText: null,
  // 1 to 64 characters, all in the BMP, no NUL, no trailing space.
  isTableName: (name) =>
    name.length > 0 && name.length <= 64 && !/[\ud800-\udfff\u0000\ufffd]/.test(name) && !name.endsWith(' '),
  // Its quoted forms are among the names every engine's events carry (fuzz/properties/mutatedEvents.ts).
  lookalikeNames: () => [],
};

export async function startMySqlFuzzStage(): Promise<FuzzStage> {
  // Before the server starts: its tmpdir must be private to this process (see isolateServerTmpdir).
  const restoreTmpdir = isolateServerTmpdir();
  try {
    const stage = await startConnectorStage();
    const logPath = serverLogPath(stage);
    return {
      engine: 'mysql',
      bundle: stage.bundle,
      target: stage.target,
      password: stage.database.password,
      database: stage.database.database,
      home: stage.database.database,
      other: stage.otherDatabase.database,
      sql: MYSQL_SQL,
      openWatcher: () => openWatcher(stage),
      diagnostics: () => serverDiagnostics(stage, logPath),
      async teardown() {
        try {
          await stage.teardown();
        } finally {
          restoreTmpdir();
        }
      },
    };
  } catch (error) {
    restoreTmpdir();
    throw error;
  }
}
