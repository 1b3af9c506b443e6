/**
 * The filterExpression AppFlow would send (protocol reference §4): the user's filter, AND the incremental window on a
 * timestamp field (`f > since`, or `f BETWEEN since AND until`), then `LIMIT n`. Timestamps are DSL DATETIME tokens
 * (`2024-03-01T00:00:00Z`, always UTC) or DATE tokens (`2024-03-01`) for Date fields. The DSL's LIMIT needs at least
 * two digits, so a smaller limit is applied by the runner itself.
 */
import { MIN_DSL_LIMIT } from './constants';
import { UsageError } from './errors';

export interface IncrementalWindow {
  readonly field: string;
  readonly since: Date;
  readonly until: Date | null;
}

export interface ReadFilter {
  /** What QueryData gets as filterExpression (null: no filter). */
  readonly expression: string | null;
  /** Stop after this many rows on the runner's side (a limit the DSL cannot express), or null. */
  readonly clientLimit: number | null;
  /** The LIMIT sent in the expression, or null. */
  readonly dslLimit: number | null;
}

/** A DSL DATETIME token: UTC, `Z`, milliseconds only when there are some. */
export function dateTimeLiteral(instant: Date): string {
  return instant.toISOString().replace('.000Z', 'Z');
}

/** A DSL DATE token: the UTC calendar date. */
export function dateLiteral(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Separates a trailing `LIMIT n` the user wrote into --filter. */
export function splitTrailingLimit(filter: string): { expression: string; limit: number | null } {
  const match = /^([\s\S]*?)\s*\b(?:LIMIT|limit)\s+([0-9]+)\s*$/.exec(filter);
  if (!match) return { expression: filter.trim(), limit: null };
  return { expression: match[1]!.trim(), limit: Number(match[2]) };
}

export function buildFilter(
  userFilter: string | null,
  window: IncrementalWindow | null,
  windowFieldType: 'Date' | 'DateTime',
  limit: number | null,
): ReadFilter {
  const user = userFilter === null ? { expression: '', limit: null } : splitTrailingLimit(userFilter);
  if (user.limit !== null && limit !== null) {
    throw new UsageError('give the limit once: either LIMIT in --filter or --limit');
  }
  const total = limit ?? user.limit;
  const parts: string[] = [];
  if (user.expression) parts.push(window ? `(${user.expression})` : user.expression);
  if (window) {
    const literal = windowFieldType === 'Date' ? dateLiteral : dateTimeLiteral;
    parts.push(
      window.until
        ? `${window.field} BETWEEN ${literal(window.since)} AND ${literal(window.until)}`
        : `${window.field} > ${literal(window.since)}`,
    );
  }
  const dslLimit = total !== null && total >= MIN_DSL_LIMIT ? total : null;
  const clientLimit = total !== null && total < MIN_DSL_LIMIT ? total : null;
  const withLimit = [
    ...(parts.length ? [parts.join(' AND ')] : []),
    ...(dslLimit !== null ? [`LIMIT ${dslLimit}`] : []),
  ];
  return { expression: withLimit.length ? withLimit.join(' ') : null, clientLimit, dslLimit };
}
