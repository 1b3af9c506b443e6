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

/** True when `name` has a character outside the Basic Multilingual Plane: names are utf8mb3 on the server. */
export function hasCharactersOutsideBmp(name: string): boolean {
  return /[\uD800-\uDFFF]/.test(name);
}

/**
 * Why `name` cannot be the name of a MySQL/MariaDB table, column or database, or null when it can be one: at most
 * 64 characters of the Basic Multilingual Plane except NUL, not ending with a space (the server's rules). Checking
 * first turns an impossible name into a clear answer instead of a collation error from information_schema.
 */
export function identifierProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (hasCharactersOutsideBmp(name)) {
    return 'contains a character MySQL does not allow in names (outside the Basic Multilingual Plane)';
  }
  if (name.length > 64) return 'is longer than 64 characters';
  if (name.includes('\u0000')) return 'contains a NUL character';
  if (name.endsWith(' ')) return 'ends with a space';
  return null;
}
