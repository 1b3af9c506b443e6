/**
 * Engine-neutral parts of reading records: which columns a request selects, and what a record weighs in the
 * serialized response.
 */
import type { ColumnMeta } from '../engines/engine';
import { InvalidArgumentError } from '../errors';

/** Bytes this record adds to the serialized response: the runtime escapes `"` and `\` once more and adds quotes. */
export function serializedRecordBytes(record: string): number {
  let escapes = 0;
  for (let index = record.indexOf('"'); index !== -1; index = record.indexOf('"', index + 1)) escapes++;
  for (let index = record.indexOf('\\'); index !== -1; index = record.indexOf('\\', index + 1)) escapes++;
  // Raw newlines, tabs and carriage returns can only occur inside embedded JSON column text (whitespace); other
  // control characters cannot appear raw in a record.
  for (const control of ['\n', '\r', '\t']) {
    for (let index = record.indexOf(control); index !== -1; index = record.indexOf(control, index + 1)) escapes++;
  }
  return Buffer.byteLength(record, 'utf8') + escapes + 3;
}

/** Resolves selected field names against the table: unknown or duplicate names are an InvalidArgument. */
export function resolveSelectedColumns(
  columnsByName: ReadonlyMap<string, ColumnMeta>,
  allColumns: readonly ColumnMeta[],
  selectedFieldNames: readonly string[] | null | undefined,
  allowedNames?: ReadonlySet<string>,
): ColumnMeta[] {
  if (!selectedFieldNames || selectedFieldNames.length === 0) {
    return allColumns.filter((column) => !allowedNames || allowedNames.has(column.name));
  }
  const seen = new Set<string>();
  const selected: ColumnMeta[] = [];
  for (const name of selectedFieldNames) {
    const column = columnsByName.get(name);
    if (!column || (allowedNames && !allowedNames.has(name))) {
      throw new InvalidArgumentError(`selectedFieldNames: "${name.slice(0, 64)}" is not a field of this entity`);
    }
    if (seen.has(name)) continue;
    seen.add(name);
    selected.push(column);
  }
  return selected;
}
