/**
 * DescribeEntity's `defaultValue` in record form: exactly the string a QueryData record shows in the field for a row
 * inserted without it. Each engine parses its catalog's text of a constant default into the value its driver hands
 * the record renderer for a row holding that default (or knows it cannot: an expression, a conversion the server
 * does on insert that the engine does not compute exactly), renders it with the same renderer QueryData uses for the
 * column, and this turns the rendered JSON into the protocol's string: a JSON string's content, else the JSON text
 * itself (`0.500`, `true`, `{"a":1}`, `[1,2]`). A value rendered as null (NULL, or a value records show as null)
 * is no defaultValue.
 */

/** The record's JSON text of one field as DescribeEntity's defaultValue (null for JSON null). */
export function shownDefault(fieldJson: string): string | null {
  if (fieldJson === 'null') return null;
  return fieldJson.charCodeAt(0) === 0x22 /* " */ ? (JSON.parse(fieldJson) as string) : fieldJson;
}

/**
 * The defaultValue of a column whose default, as the driver would read it, is `value` (undefined: no constant
 * default, or none the engine can state exactly), rendered by the column's own record renderer.
 */
export function renderedDefault(value: unknown, render: (value: unknown) => string): string | null {
  return value === undefined || value === null ? null : shownDefault(render(value));
}
