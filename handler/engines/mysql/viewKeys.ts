/**
 * The view column that is exactly its base table's AUTO_INCREMENT key, so that an INSERT through the view reports the
 * id the server generated (the OK packet's insertId / LAST_INSERT_ID() is the base table's generated value through a
 * single-table view: MySQL 8.0 Reference Manual, "Updatable and Insertable Views"; MariaDB KB, "Inserting and Updating
 * with Views").
 *
 * The view's own catalog rows say nothing of keys or AUTO_INCREMENT, so its definition is read. Both servers keep
 * VIEW_DEFINITION in one canonical form, every name quoted and qualified (`select \`db\`.\`t\`.\`id\` AS \`id\`,…
 * from \`db\`.\`t\``: MySQL 8.0 Reference Manual, "The INFORMATION_SCHEMA VIEWS Table" — VIEW_DEFINITION is the
 * SELECT as the server rewrote it; MariaDB KB, "Information Schema VIEWS Table"). The definition is accepted only in
 * the narrowest shape: a select list of plain `db`.`table`.`column` AS `name` references and a FROM of exactly one
 * table, optionally followed by a WHERE (filtering rows keeps a key unique). Anything else — an expression, a join,
 * a table alias, a derived table, UNION, GROUP BY, DISTINCT, a view over a view — gives no key: no id is better than
 * a wrong one. MySQL 8 shows VIEW_DEFINITION only to a user with SHOW VIEW (or the definer); without it there is no
 * key either, as before.
 */
import type { SqlRunner } from '../engine';

const QUOTED = '`((?:[^`]|``)+)`';
/** One select-list item: a qualified column reference and its name in the view. */
const ITEM = new RegExp(`${QUOTED}\\.${QUOTED}\\.${QUOTED} AS ${QUOTED}`, 'y');
/** The FROM of one table, then the end or a WHERE. */
const SINGLE_FROM = new RegExp(`from ${QUOTED}\\.${QUOTED}(?: where .*)?$`, 'ys');

const unquote = (quoted: string) => quoted.replaceAll('``', '`');

/** What a single-table view's definition says: the base table and, per view column, the base column it shows. */
export interface SingleTableView {
  readonly schema: string;
  readonly table: string;
  /** View column name → base column name (plain references only). */
  readonly columns: ReadonlyMap<string, string>;
  /** Base columns the view shows more than once. */
  readonly repeated: ReadonlySet<string>;
}

/** Parses a canonical VIEW_DEFINITION; null unless it is plain column references over exactly one table. */
export function parseSingleTableView(definition: string): SingleTableView | null {
  if (!definition.startsWith('select ')) return null;
  let position = 'select '.length;
  const items: [string, string, string, string][] = [];
  for (;;) {
    ITEM.lastIndex = position;
    const item = ITEM.exec(definition);
    if (!item) return null;
    items.push([unquote(item[1]!), unquote(item[2]!), unquote(item[3]!), unquote(item[4]!)]);
    position = ITEM.lastIndex;
    if (definition.startsWith(',', position)) {
      position += 1;
      continue;
    }
    if (!definition.startsWith(' ', position)) return null;
    position += 1;
    break;
  }
  SINGLE_FROM.lastIndex = position;
  const from = SINGLE_FROM.exec(definition);
  if (!from) return null;
  const schema = unquote(from[1]!);
  const table = unquote(from[2]!);
  const columns = new Map<string, string>();
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const [itemSchema, itemTable, column, name] of items) {
    if (itemSchema !== schema || itemTable !== table) return null;
    if (seen.has(column)) repeated.add(column);
    seen.add(column);
    columns.set(name, column);
  }
  return { schema, table, columns, repeated };
}

/**
 * The name of the view column that shows its one base table's AUTO_INCREMENT column, when that column alone is the
 * base table's primary key (so it identifies the view's rows too); null otherwise.
 */
export async function viewGeneratedKey(
  runner: SqlRunner,
  database: string,
  viewName: string,
  timeoutMs: number,
): Promise<string | null> {
  const views = await runner.execute<{ definition: string | null }[]>(
    `SELECT VIEW_DEFINITION AS definition FROM information_schema.VIEWS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND IS_UPDATABLE = 'YES'`,
    [database, viewName],
    { timeoutMs },
  );
  // Only an updatable view: the WHERE the parser lets through cannot then hide a UNION, GROUP BY, HAVING or
  // aggregate, each of which makes a view not updatable (MySQL 8.0 Reference Manual, "Updatable and Insertable
  // Views"; MariaDB KB, "Inserting and Updating with Views").
  const view = parseSingleTableView(views[0]?.definition ?? '');
  if (view === null) return null;
  // A base table (not a view) whose primary key is exactly one AUTO_INCREMENT column.
  const keys = await runner.execute<
    { table: string; name: string; extra: string | null; type: string; parts: unknown }[]
  >(
    `SELECT s.TABLE_NAME AS \`table\`, c.COLUMN_NAME AS name, c.EXTRA AS extra, t.TABLE_TYPE AS type,
            (SELECT COUNT(*) FROM information_schema.STATISTICS k
              WHERE k.TABLE_SCHEMA = s.TABLE_SCHEMA AND k.TABLE_NAME = s.TABLE_NAME AND k.INDEX_NAME = 'PRIMARY') AS parts
     FROM information_schema.STATISTICS s
     JOIN information_schema.COLUMNS c
       ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
     JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.TABLE_SCHEMA AND t.TABLE_NAME = s.TABLE_NAME
     WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.INDEX_NAME = 'PRIMARY'`,
    [view.schema, view.table],
    { timeoutMs },
  );
  // information_schema compares names case-insensitively on some servers: insist on the exact names.
  const key = keys.filter((row) => row.table === view.table && row.type !== 'VIEW');
  if (key.length !== 1 || Number(key[0]!.parts) !== 1) return null;
  const base = key[0]!;
  if (!/\bauto_increment\b/i.test(base.extra ?? '') || view.repeated.has(base.name)) return null;
  for (const [name, column] of view.columns) {
    if (column === base.name) return name;
  }
  return null;
}
