/**
 * The statements of WriteData on MySQL/MariaDB. Identifiers come from the table's metadata (checked names) and are
 * quoted; every value is a bound parameter. How records are grouped into statements, and in which order, is decided
 * by the engine-neutral write path (handler/write/units.ts); the facts read here steer it.
 *
 * - INSERT: one multi-row `INSERT INTO t (cols) VALUES (...), (...)`.
 * - UPSERT: the same with `ON DUPLICATE KEY UPDATE col = VALUES(col)` for the non-id fields present in the record,
 *   so absent columns keep their values (never REPLACE, which deletes the row and resets them); on MySQL ≥ 8.0.19,
 *   which deprecates VALUES() from 8.0.20, with a row alias instead (`VALUES (…) AS appflow_new … col =
 *   appflow_new.col`; supportsRowAlias, decided from VERSION() in the facts query, no extra round trip). ON DUPLICATE KEY UPDATE fires on a collision with ANY unique key, so the first assignment is a
 *   guard: when the row found has other id values (the collision was on another unique key) it sets an id column
 *   to NULL, which fails the NOT NULL id column in strict mode instead of silently updating the wrong row.
 * - UPDATE and DELETE: `WHERE k1 = ? AND k2 = ?` on the id columns (integers and decimals through
 *   CAST(? AS DECIMAL) so that BIGINT compares exactly). UPDATE counts matched rows, not changed ones: mysql2
 *   connects with CLIENT_FOUND_ROWS.
 * - Generated ids: a multi-row INSERT reports its first AUTO_INCREMENT value; the others follow it by
 *   auto_increment_increment only when innodb_autoinc_lock_mode is 0 or 1 (MariaDB's default; MySQL 8's default
 *   is 2, "interleaved"). MySQL 8.0 Reference Manual, 17.6.1.6 "AUTO_INCREMENT Handling in InnoDB", on mode 2:
 *   "because multiple statements can be generating numbers concurrently (that is, allocation of numbers is
 *   interleaved across statements), the values generated for the rows inserted by any given statement may not be
 *   consecutive"; no gaps within a simple insert only "if the only statements executing are 'simple inserts'",
 *   which a concurrent INSERT … SELECT or LOAD DATA breaks. So in mode 2 a multi-row INSERT is used only when the
 *   records carry a unique key (NOT NULL) besides the generated column: the statement runs in a transaction and
 *   the ids are read back by that key (readBackGenerated), exact under any concurrent load. Records without such
 *   a key are inserted one per statement (LAST_INSERT_ID of a one-row statement is its id).
 * - Tables that cannot roll back (MyISAM, Aria, views whose base tables cannot be confirmed to be transactional,
 *   and tables whose triggers may write such a table) are not `transactional`: a failing multi-row statement may
 *   have written its first rows (or its triggers' rows) there.
 * - A failed statement inside a transaction is undone by InnoDB on its own: per-record isolation needs no savepoint
 *   (the connection's lease offers none: ../pooledDatabase.ts).
 */
import type {
  ColumnMeta,
  InsertRequest,
  RowRequest,
  SqlParam,
  SqlRunner,
  SqlWriter,
  TableMeta,
  WriteStatements,
  WriteTargetFacts,
} from '../engine';
import { mysqlColumn } from './columns';
import { keyPlaceholder } from './dialect';
import { AmbiguousShownIdError } from './errors';
import { quoteIdentifier } from './identifiers';
import { valuePlaceholder } from './values';

const TRANSACTIONAL_ENGINES = new Set(['innodb', 'xtradb', 'rocksdb', 'tokudb', 'ndbcluster', 'ndb']);

/**
 * True when the server takes a row alias in INSERT … ON DUPLICATE KEY UPDATE (`VALUES (…) AS new … c = new.c`):
 * MySQL 8.0.19 and later (MySQL 8.0 Reference Manual, 15.2.7.2 "INSERT ... ON DUPLICATE KEY UPDATE Statement":
 * "Beginning with MySQL 8.0.19, it is possible to use an alias for the row ... following the VALUES or SET clause,
 * and preceded by the AS keyword", and "The use of VALUES() to refer to the new row and columns is deprecated
 * beginning with MySQL 8.0.20", warning 1287 on every upsert). Aurora MySQL 3 reports `8.0.mysql_aurora.3.x.y` or an
 * 8.0 version and is "wire-compatible with MySQL 8.0.23 or higher" (Amazon Aurora User Guide, "Checking Aurora MySQL
 * version numbers"). MariaDB (any version, `10.11.6-MariaDB…`) has no row alias and keeps VALUES().
 */
export function supportsRowAlias(version: string): boolean {
  if (/mariadb/i.test(version)) return false;
  if (/^8\.0\.mysql_aurora\.3\./.test(version)) return true;
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return major > 8 || (major === 8 && (minor > 0 || patch >= 19));
}

export interface MySqlWriteFacts extends WriteTargetFacts {
  /** Generated ids of one multi-row INSERT are consecutive (innodb_autoinc_lock_mode 0 or 1). */
  readonly consecutiveAutoIncrement: boolean;
  readonly autoIncrementStep: bigint;
  /** The server takes a row alias in ON DUPLICATE KEY UPDATE (see supportsRowAlias). */
  readonly rowAlias: boolean;
}

/** How deep views over views are followed to their base tables. */
const MAX_VIEW_DEPTH = 8;

/**
 * The engines of the base tables under a view, following views of views; null when the server cannot tell
 * (information_schema.VIEW_TABLE_USAGE exists in MySQL 8.0.13+ and MariaDB 11+, not in MariaDB 10.x or MySQL 5.7).
 */
async function viewBaseEngines(runner: SqlRunner, view: string, timeoutMs: number): Promise<(string | null)[] | null> {
  const engines: (string | null)[] = [];
  let pending: { schema: string | null; name: string }[] = [{ schema: null, name: view }];
  for (let depth = 0; depth < MAX_VIEW_DEPTH && pending.length > 0; depth++) {
    const next: { schema: string | null; name: string }[] = [];
    for (const { schema, name } of pending) {
      let used: { schema: string; name: string; type: string | null; engine: string | null }[];
      try {
        used = await runner.execute(
          `SELECT u.TABLE_SCHEMA AS \`schema\`, u.TABLE_NAME AS name, t.TABLE_TYPE AS type, t.ENGINE AS engine
           FROM information_schema.VIEW_TABLE_USAGE u
           LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = u.TABLE_SCHEMA AND t.TABLE_NAME = u.TABLE_NAME
           WHERE u.VIEW_SCHEMA = COALESCE(?, DATABASE()) AND u.VIEW_NAME = ?`,
          [schema, name],
          { timeoutMs },
        );
      } catch (error) {
        // ER_UNKNOWN_TABLE: no such information_schema table on this server.
        if ((error as { errno?: number }).errno === 1109) return null;
        throw error;
      }
      if (used.length === 0) return null;
      for (const row of used) {
        if (row.type === 'VIEW') next.push({ schema: row.schema, name: row.name });
        else engines.push(row.engine);
      }
    }
    pending = next;
  }
  return pending.length > 0 ? null : engines;
}

/** What the table's triggers tell about rolling back a failed statement. */
interface TriggerReach {
  /** A trigger the user can read may write a table that cannot roll back. */
  readonly reachesNonTransactional: boolean;
  /** Some trigger may exist whose body the user cannot read (see triggersVisible). */
  readonly hidden: boolean;
}

/**
 * Whether a trigger of the table may write a table that cannot roll back: its body names such a table of any
 * schema, or a stored routine (which may write anything) of the table's schema. Such a table's failed statements
 * cannot be undone — rows its triggers wrote elsewhere stay — so the target is treated as non-transactional: one
 * record per statement, never retried, allOrNone refused.
 *
 * Triggers whose body the user cannot read are `hidden`: MySQL 8 lists a table's triggers in
 * information_schema.TRIGGERS only to a user with the TRIGGER privilege for it (see triggersVisible), and MariaDB
 * (10.11, tested) lists them to other users with ACTION_STATEMENT NULL. Such a target is not made
 * non-transactional (that would put every record of a least-privilege user's batch in its own statement); instead
 * a failed statement is never run again (WriteTargetFacts.triggersHidden; the trade-off is at batch.ts
 * mayRunAgain).
 */
async function readTriggerReach(
  runner: SqlRunner,
  table: string,
  mariaDb: boolean,
  timeoutMs: number,
): Promise<TriggerReach> {
  const bodies = await runner.execute<{ body: string | null }[]>(
    `SELECT ACTION_STATEMENT AS body FROM information_schema.TRIGGERS
     WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?`,
    [table],
    { timeoutMs },
  );
  const readable = bodies.flatMap(({ body }) => (body === null ? [] : [body]));
  // MariaDB lists every trigger (unreadable ones with a NULL body), so an empty list there means none.
  const hidden =
    readable.length < bodies.length ||
    (bodies.length === 0 && !mariaDb && !(await triggersVisible(runner, table, timeoutMs)));
  if (readable.length === 0) return { reachesNonTransactional: false, hidden };
  const names = await runner.execute<{ name: string }[]>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
     WHERE TABLE_TYPE = 'BASE TABLE' AND ENGINE IS NOT NULL
       AND LOWER(ENGINE) NOT IN (${[...TRANSACTIONAL_ENGINES].map(() => '?').join(', ')})
       AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')
     UNION SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()`,
    [...TRANSACTIONAL_ENGINES],
    { timeoutMs },
  );
  const words = new Set<string>();
  for (const body of readable) {
    for (const word of body.toLowerCase().match(/[\p{L}\p{N}_$]+/gu) ?? []) words.add(word);
    for (const quoted of body.toLowerCase().match(/`(?:[^`]|``)+`/g) ?? []) words.add(quoted.slice(1, -1));
  }
  return { reachesNonTransactional: names.some(({ name }) => words.has(name.toLowerCase())), hidden };
}

/**
 * True when the user can see every trigger of the table: information_schema.TRIGGERS shows a table's triggers only
 * to a user with the TRIGGER privilege for the table (MySQL 8.0 Reference Manual, "The INFORMATION_SCHEMA TRIGGERS
 * Table": "To see information about a table's triggers, you must have the TRIGGER privilege for the table"). Asked
 * only when none is listed: with the privilege, an empty list means "no triggers", not "none visible". It is looked
 * for in the user's own global, schema and table grants (information_schema USER_/SCHEMA_/TABLE_PRIVILEGES, whose
 * GRANTEE is `'user'@'host'` as CURRENT_USER() names the account). A privilege held through a role is not counted:
 * the session cannot see a role's grants there (MariaDB lists a role's rows only to users who can read the mysql
 * schema; MariaDB KB "Information Schema ENABLED_ROLES Table", MySQL 8.0 Reference Manual "Using Roles"), and a
 * schema grant by wildcard pattern is not matched either. Missing one of those only costs the finer per-record
 * outcomes after a failed statement (WriteTargetFacts.triggersHidden), never a doubled side effect.
 */
export async function triggersVisible(runner: SqlRunner, table: string, timeoutMs: number): Promise<boolean> {
  const account = `CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')`;
  const rows = await runner.execute<{ visible: unknown }[]>(
    `SELECT EXISTS (
       SELECT 1 FROM information_schema.USER_PRIVILEGES
        WHERE PRIVILEGE_TYPE = 'TRIGGER' AND GRANTEE = ${account}
       UNION ALL SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES
        WHERE PRIVILEGE_TYPE = 'TRIGGER' AND GRANTEE = ${account} AND TABLE_SCHEMA = DATABASE()
       UNION ALL SELECT 1 FROM information_schema.TABLE_PRIVILEGES
        WHERE PRIVILEGE_TYPE = 'TRIGGER' AND GRANTEE = ${account} AND TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
     ) AS visible`,
    [table],
    { timeoutMs },
  );
  return Number(rows[0]?.visible ?? 0) === 1;
}

async function readTargetFacts(runner: SqlRunner, table: TableMeta, timeoutMs: number): Promise<MySqlWriteFacts> {
  const rows = await runner.execute<{ lockMode: unknown; step: unknown; version: string; engine: string | null }[]>(
    `SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step, VERSION() AS version,
            (SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) AS engine`,
    [table.name],
    { timeoutMs },
  );
  const row = rows[0];
  const engines = table.isView ? await viewBaseEngines(runner, table.name, timeoutMs) : [row?.engine ?? null];
  const storageRollsBack =
    engines !== null &&
    engines.length > 0 &&
    engines.every((engine) => engine !== null && TRANSACTIONAL_ENGINES.has(engine.toLowerCase()));
  // Views: the triggers of their base tables are not inspected here (a view has none of its own).
  const mariaDb = /mariadb/i.test(String(row?.version ?? ''));
  const triggers = storageRollsBack ? await readTriggerReach(runner, table.name, mariaDb, timeoutMs) : null;
  const transactional = storageRollsBack && triggers?.reachesNonTransactional !== true;
  let afterTriggers: boolean | null = null;
  if (!transactional && !table.isView) {
    // Only asked where it matters: a table that cannot roll back.
    const triggers = await runner.execute<{ count: unknown }[]>(
      `SELECT COUNT(*) AS count FROM information_schema.TRIGGERS
       WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? AND ACTION_TIMING = 'AFTER'`,
      [table.name],
      { timeoutMs },
    );
    afterTriggers = Number(triggers[0]?.count ?? 1) > 0;
  }
  const consecutiveAutoIncrement = Number(row?.lockMode ?? 2) <= 1;
  return {
    consecutiveAutoIncrement,
    multiRowGeneratedIds: consecutiveAutoIncrement,
    readsBackGeneratedIds: true,
    autoIncrementStep: BigInt(String(row?.step ?? 1)),
    rowAlias: supportsRowAlias(String(row?.version ?? '')),
    transactional,
    afterTriggers,
    // A table that cannot roll back is already written one record per statement, never retried.
    triggersHidden: transactional && !table.isView && triggers?.hidden === true,
  };
}

/**
 * A TINYINT(1) id is shown as true for every non-zero value (2, -1 …): a record's `true` id names the row whose value
 * shows so, like filters and RetrieveData. The stored values are looked up first (at most two rows): none → no
 * row; two → the id does not identify one row (AmbiguousShownIdError, the record's failure); one → the UPDATE or
 * DELETE names that row by its exact stored value. Other ids are used as they are.
 */
async function resolveShownIds(runner: SqlRunner, row: RowRequest, timeoutMs: number): Promise<RowRequest | null> {
  const truthy = row.idColumns.map(
    (column, index) => mysqlColumn(column).kind === 'boolean-int' && Number(row.idParams[index]) === 1,
  );
  if (!truthy.includes(true)) return row;
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  row.idColumns.forEach((column, index) => {
    if (truthy[index]) conditions.push(`${quoteIdentifier(column.name)} <> 0`);
    else {
      conditions.push(`${quoteIdentifier(column.name)} = ${keyPlaceholder(column)}`);
      params.push(row.idParams[index]!);
    }
  });
  const found = await runner.execute<unknown[][]>(
    `SELECT ${row.idColumns.map((column) => quoteIdentifier(column.name)).join(', ')} FROM ${quoteIdentifier(row.table.name)} ` +
      `WHERE ${conditions.join(' AND ')} LIMIT 2`,
    params,
    { timeoutMs, rowsAsArray: true },
  );
  if (found.length === 0) return null;
  if (found.length > 1) throw new AmbiguousShownIdError();
  const stored = found[0]!;
  return {
    ...row,
    idParams: row.idParams.map((param, index) => (truthy[index] ? (stored[index] as SqlParam) : param)),
  };
}

function whereIds(idColumns: readonly ColumnMeta[]): string {
  return idColumns.map((column) => `${quoteIdentifier(column.name)} = ${keyPlaceholder(column)}`).join(' AND ');
}

/**
 * The INSERT (or upsert) of `rows` rows of `columns`. `rowAlias`: the new row's values are named through a row alias
 * (MySQL ≥ 8.0.19) rather than VALUES() (MariaDB, older MySQL).
 */
export function insertSql(request: InsertRequest, rowAlias = false): string {
  const { columns, rows } = request;
  const row = `(${columns.map((column) => valuePlaceholder(mysqlColumn(column))).join(', ')})`;
  let sql =
    `INSERT INTO ${quoteIdentifier(request.table.name)} (${columns.map((column) => quoteIdentifier(column.name)).join(', ')}) ` +
    `VALUES ${`${row}, `.repeat(rows - 1)}${row}`;
  if (request.upsertKey) {
    // The alias differs from the table's name (MySQL refuses a row alias equal to it).
    const alias = request.table.name.toLowerCase() === 'appflow_new' ? 'appflow_new_row' : 'appflow_new';
    if (rowAlias) sql += ` AS ${alias}`;
    const incoming = (quoted: string) => (rowAlias ? `${alias}.${quoted}` : `VALUES(${quoted})`);
    const ids = request.upsertKey.map((column) => quoteIdentifier(column.name));
    const sameRow = ids.map((id) => `${id} <=> ${incoming(id)}`).join(' AND ');
    const assignments = [`${ids[0]} = IF(${sameRow}, ${ids[0]}, NULL)`];
    const idNames = new Set(request.upsertKey.map((column) => column.name));
    for (const column of columns) {
      if (idNames.has(column.name)) continue;
      const quoted = quoteIdentifier(column.name);
      assignments.push(`${quoted} = ${incoming(quoted)}`);
    }
    sql += ` ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`;
  }
  return sql;
}

/** Rows per read-back SELECT (each row takes 1 + key-column placeholders). */
const READ_BACK_ROWS = 1000;

/**
 * The generated values of the rows just inserted (in this transaction, so nobody changed them), found by the unique
 * key each record carries: `SELECT ?, t.gen FROM t WHERE k = ? UNION ALL …`, one arm per row, each an index lookup
 * compared as the key's own index compares (keyPlaceholder). One value per row, in row order.
 */
async function readBackGenerated(
  runner: SqlRunner,
  request: InsertRequest,
  key: readonly ColumnMeta[],
  timeoutMs: number,
): Promise<string[] | null> {
  const { columns, params, rows, table, generated } = request;
  const keyPositions = key.map((column) => columns.findIndex((each) => each.name === column.name));
  if (generated === null || keyPositions.some((position) => position < 0)) return null;
  const arm =
    `SELECT ? AS ord, ${quoteIdentifier(generated.name)} AS gen FROM ${quoteIdentifier(table.name)} ` +
    `WHERE ${key.map((column) => `${quoteIdentifier(column.name)} = ${keyPlaceholder(column)}`).join(' AND ')}`;
  const values: (string | null)[] = new Array(rows).fill(null);
  for (let start = 0; start < rows; start += READ_BACK_ROWS) {
    const end = Math.min(rows, start + READ_BACK_ROWS);
    const bound: SqlParam[] = [];
    for (let row = start; row < end; row++) {
      bound.push(row);
      for (const position of keyPositions) bound.push(params[row * columns.length + position]!);
    }
    const found = await runner.execute<{ ord: unknown; gen: unknown }[]>(
      Array.from({ length: end - start }, () => arm).join(' UNION ALL '),
      bound,
      { timeoutMs },
    );
    for (const { ord, gen } of found) {
      const row = Number(ord);
      // Two rows for one key would mean the key does not identify the row: no id is better than a wrong one.
      if (values[row] !== null) return null;
      values[row] = String(gen);
    }
  }
  return values.every((value) => value !== null) ? (values as string[]) : null;
}

export const mysqlWrites: WriteStatements = {
  readTargetFacts,

  async insert(runner, request, facts, timeoutMs) {
    const header = await runner.write(insertSql(request, (facts as MySqlWriteFacts).rowAlias), request.params, {
      timeoutMs,
    });
    if (request.generated === null) return { generated: null };
    const mysqlFacts = facts as MySqlWriteFacts;
    if (request.rows > 1 && !mysqlFacts.consecutiveAutoIncrement) {
      // Interleaved lock mode: the ids of a multi-row statement may not be consecutive; they are read back by the
      // records' unique key (the write path sends such statements only inside a transaction, with a key).
      const key = request.readBackKey ?? null;
      const generated = key === null ? null : await readBackGenerated(runner, request, key, timeoutMs);
      return { generated: generated ?? new Array<string>(request.rows).fill('') };
    }
    const step = (facts as MySqlWriteFacts).autoIncrementStep;
    const first = BigInt(header.firstGeneratedId ?? '0');
    const generated: string[] = [];
    for (let position = 0; position < request.rows; position++) {
      generated.push((first + BigInt(position) * step).toString());
    }
    return { generated };
  },

  async update(
    runner: SqlWriter,
    requested: RowRequest,
    columns: readonly ColumnMeta[],
    params: readonly SqlParam[],
    timeoutMs,
  ) {
    const row = await resolveShownIds(runner, requested, timeoutMs);
    if (row === null) return 0;
    const assignments = columns.map(
      (column) => `${quoteIdentifier(column.name)} = ${valuePlaceholder(mysqlColumn(column))}`,
    );
    const header = await runner.write(
      `UPDATE ${quoteIdentifier(row.table.name)} SET ${assignments.join(', ')} WHERE ${whereIds(row.idColumns)}`,
      [...params, ...row.idParams],
      { timeoutMs },
    );
    return header.affectedRows;
  },

  async delete(runner, requested, timeoutMs) {
    const row = await resolveShownIds(runner, requested, timeoutMs);
    if (row === null) return 0;
    const header = await runner.write(
      `DELETE FROM ${quoteIdentifier(row.table.name)} WHERE ${whereIds(row.idColumns)}`,
      row.idParams,
      { timeoutMs },
    );
    return header.affectedRows;
  },

  async exists(runner, requested, timeoutMs) {
    const row = await resolveShownIds(runner, requested, timeoutMs);
    if (row === null) return false;
    const rows = await runner.execute<unknown[]>(
      `SELECT 1 FROM ${quoteIdentifier(row.table.name)} WHERE ${whereIds(row.idColumns)} LIMIT 1`,
      row.idParams,
      { timeoutMs },
    );
    return rows.length > 0;
  },
};
