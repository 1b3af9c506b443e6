/**
 * Watching the databases while the connector is fuzzed: an admin connection that takes fingerprints of whole
 * schemas (tables, columns, views, triggers, routines, and a checksum of every base table's rows) and exact dumps of
 * one table, so that a property can prove which tables a request changed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { ConnectorStage } from '../test/support/environment';

export interface Watcher {
  /** Schema objects and row checksums of both databases; `skipRowsOf` names a table whose rows may change. */
  fingerprint(skipRowsOf?: string | null): Promise<Map<string, string>>;
  /** Every row of a table of the connector's database in the given order, plus the table's checksum, as text. */
  dump(table: string, orderBy: string): Promise<string>;
  /** Runs SQL in the connector's database as admin. */
  query(sql: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

function quote(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

export async function openWatcher(stage: ConnectorStage): Promise<Watcher> {
  const connection = await mysql.createConnection({
    ...stage.server.admin,
    multipleStatements: true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  // A fatal error (the server closing the connection) is kept, so later failures can name their real cause.
  let fatal: Error | null = null;
  connection.on('error', (error: Error) => {
    fatal ??= error;
  });
  await connection.query("SET time_zone = '+00:00'");
  const run = async (sql: string, params?: unknown[]): Promise<unknown> => {
    try {
      const [result] = await connection.query(sql, params);
      return result;
    } catch (error) {
      const cause = fatal && fatal !== error ? ` (the connection broke earlier: ${fatal.message})` : '';
      throw new Error(`watcher query failed: ${(error as Error).message}${cause}\nSQL: ${sql.slice(0, 300)}`, {
        cause: error,
      });
    }
  };
  const schemas = [stage.database.database, stage.otherDatabase.database];
  const home = stage.database.database;

  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await run(sql, params)) as T[];

  return {
    async fingerprint(skipRowsOf = null) {
      const print = new Map<string, string>();
      const tables = await rows<{ s: string; t: string; type: string; engine: string | null }>(
        `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS type, ENGINE AS engine
           FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?, ?) ORDER BY 1, 2`,
        schemas,
      );
      print.set('tables', tables.map((row) => `${row.s}.${row.t}:${row.type}:${row.engine}`).join('\n'));
      const columns = await rows<{ s: string; t: string; c: string }>(
        `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t,
                GROUP_CONCAT(CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COALESCE(COLUMN_DEFAULT, '~'),
                                       COLUMN_KEY, EXTRA) ORDER BY ORDINAL_POSITION SEPARATOR ', ') AS c
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (?, ?) GROUP BY 1, 2 ORDER BY 1, 2`,
        schemas,
      );
      for (const row of columns) print.set(`columns ${row.s}.${row.t}`, row.c);
      const views = await rows<{ s: string; t: string; d: string }>(
        `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, VIEW_DEFINITION AS d FROM information_schema.VIEWS
          WHERE TABLE_SCHEMA IN (?, ?) ORDER BY 1, 2`,
        schemas,
      );
      for (const row of views) print.set(`view ${row.s}.${row.t}`, row.d);
      const triggers = await rows<{ n: string }>(
        `SELECT GROUP_CONCAT(CONCAT(TRIGGER_SCHEMA, '.', TRIGGER_NAME) ORDER BY 1) AS n FROM information_schema.TRIGGERS
          WHERE TRIGGER_SCHEMA IN (?, ?)`,
        schemas,
      );
      print.set('triggers', String(triggers[0]?.n ?? ''));
      const routines = await rows<{ n: string }>(
        `SELECT GROUP_CONCAT(CONCAT(ROUTINE_SCHEMA, '.', ROUTINE_NAME) ORDER BY 1) AS n FROM information_schema.ROUTINES
          WHERE ROUTINE_SCHEMA IN (?, ?)`,
        schemas,
      );
      print.set('routines', String(routines[0]?.n ?? ''));
      const base = tables.filter((row) => row.type === 'BASE TABLE' && !(row.s === home && row.t === skipRowsOf));
      if (base.length > 0) {
        const sums = await rows<{ Table: string; Checksum: string | number | null }>(
          `CHECKSUM TABLE ${base.map((row) => `${quote(row.s)}.${quote(row.t)}`).join(', ')} EXTENDED`,
        );
        for (const row of sums) print.set(`rows ${row.Table}`, String(row.Checksum));
      }
      return print;
    },

    async dump(table, orderBy) {
      const name = `${quote(home)}.${quote(table)}`;
      const rowsText = JSON.stringify(await run(`SELECT * FROM ${name} ORDER BY ${orderBy}`));
      const sum = (await run(`CHECKSUM TABLE ${name} EXTENDED`)) as { Checksum: unknown }[];
      return `${rowsText} checksum ${String(sum[0]?.Checksum)}`;
    },

    async query(sql, params) {
      await run(`USE ${quote(home)}`);
      return run(sql, params);
    },

    async close() {
      await connection.end();
    },
  };
}

/** Keys whose value differs between two fingerprints. */
export function fingerprintDifferences(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

/**
 * Where the throwaway server writes its error log (read from its command line), so that a failure can show whether
 * the server itself went away. Null for an external server.
 */
export function serverLogPath(stage: ConnectorStage): string | null {
  const pid = stage.server.pid;
  if (pid === null) return null;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000');
    return args.find((arg) => arg.startsWith('--log-error='))?.slice('--log-error='.length) ?? null;
  } catch {
    return null;
  }
}

/** Is the server process alive, and the end of its error log. */
export function serverDiagnostics(stage: ConnectorStage, logPath: string | null): string {
  const pid = stage.server.pid;
  let alive = 'unknown (external server)';
  if (pid !== null) {
    try {
      process.kill(pid, 0);
      alive = `running (pid ${pid})`;
    } catch {
      alive = `NOT running (pid ${pid} is gone)`;
    }
  }
  const log =
    logPath && existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-25).join('\n') : '(no log)';
  return `database server: ${alive}\nend of its error log:\n${log}`;
}

/**
 * Gives the throwaway MariaDB of this process a private temporary directory (mariadbd uses $TMPDIR when started
 * without --tmpdir). Every MariaDB server deletes all `#sql*` files of its tmpdir when it starts, so a server that
 * another test file starts meanwhile with the shared /tmp destroys this server's on-disk temporary tables (seen as
 * "Error on delete of '/tmp/#sql-temptable-….MAI' (Errcode: 2)" in the middle of a run). Call before
 * startConnectorStage; returns the clean-up.
 */
export function isolateServerTmpdir(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'appflow-fuzz-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
