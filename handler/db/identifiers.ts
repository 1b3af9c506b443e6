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
