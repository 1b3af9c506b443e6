/**
 * A failing schema case as something a person can run: the DDL, the first rows as INSERTs (server input forms),
 * and every event sent until the failure, in order (records as the connector received them).
 */
import { type CaseSql, isServerFilled, rowTarget, type SchemaCase } from './case';
import { REFUSE, ServerText } from './exact';

function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
}

export function reproduction(
  c: SchemaCase,
  sql: CaseSql,
  quote: (name: string) => string,
  events: readonly unknown[],
): string {
  const lines = [`-- reproduction (${c.engine}; entity ${sql.entity}): schema`];
  for (const statement of sql.create) lines.push(`${statement};`);
  const names = sql.columns.filter(({ name }) => !isServerFilled(name));
  c.rows.forEach(([k, k2, values], index) => {
    const target = rowTarget(c, sql, index);
    const cells: string[] = [String(target !== sql.table && k !== null ? k + 100 : k)];
    if (c.key === 'composite') cells.push(String(k2));
    c.columns.forEach((column, i) => {
      const facts = names.find((entry) => entry.name === column.name)!.facts;
      const value = values[i];
      const exact = value === null ? null : value instanceof ServerText ? value.text : facts.exact(value);
      const text = exact === null || exact === REFUSE ? 'NULL' : sqlLiteral((facts.input ?? ((t: string) => t))(exact));
      cells.push(text === 'NULL' ? text : facts.bind(text));
    });
    lines.push(
      `INSERT INTO ${quote(target)} (${names.map(({ name }) => quote(name)).join(', ')}) VALUES (${cells.join(', ')});`,
    );
  });
  for (const statement of sql.triggers) lines.push(`${statement};`);
  lines.push('-- events, in order (connectorContext left out):');
  for (const event of events) {
    const { connectorContext: _omitted, ...rest } = event as Record<string, unknown>;
    lines.push(JSON.stringify(rest));
  }
  return lines.join('\n');
}
