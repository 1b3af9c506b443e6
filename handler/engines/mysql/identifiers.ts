import { nameProblem } from '../registry';

/**
 * Quotes a MySQL/MariaDB identifier with backticks, doubling any backtick inside it.
 * Only ever call this with a name that was first checked against the table's real columns or the
 * database's real tables: quoting makes a name safe to embed, checking makes it meaningful.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) {
    throw new Error('an identifier must be a non-empty string without NUL characters');
  }
  return '`' + name.replaceAll('`', '``') + '`';
}

/**
 * Why `name` cannot be the name of a MySQL/MariaDB table, column or database, or null when it can be one: the
 * registry's rules for MYSQL names (at most 64 characters of the Basic Multilingual Plane except NUL, not ending with
 * a space). Checking first turns an impossible name into a clear answer instead of a collation error from
 * information_schema.
 */
export function identifierProblem(name: string): string | null {
  return nameProblem('MYSQL', name);
}
