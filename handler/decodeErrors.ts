/**
 * Turns io-ts decode errors into one message a user can act on: which property, what was expected, what kind of
 * value arrived. The value itself is never echoed (a request can carry records and secrets).
 */
import type * as t from 'io-ts';

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function pathOf(error: t.ValidationError): string {
  const parts: string[] = [];
  for (const entry of error.context.slice(1)) {
    // Intersection and union members show up as numeric keys of a non-array type: skip them.
    const parentIsArray = entry.type.name.startsWith('Array<');
    if (entry.key === '' || (/^\d+$/.test(entry.key) && !parentIsArray && !isArrayIndex(error, entry))) continue;
    parts.push(/^\d+$/.test(entry.key) ? `[${entry.key}]` : (parts.length ? '.' : '') + entry.key);
  }
  return parts.join('') || '(request)';
}

function isArrayIndex(error: t.ValidationError, entry: t.ContextEntry): boolean {
  const index = error.context.indexOf(entry);
  const parent = error.context[index - 1];
  return parent !== undefined && (parent.type as { _tag?: string })._tag === 'ArrayType';
}

function expectedOf(error: t.ValidationError): string {
  const last = error.context[error.context.length - 1];
  return last ? last.type.name : 'a valid value';
}

export function describeDecodeErrors(requestType: string, errors: t.Errors): string {
  const byPath = new Map<string, { expected: Set<string>; got: string }>();
  for (const error of errors) {
    const path = pathOf(error);
    const entry = byPath.get(path) ?? { expected: new Set<string>(), got: describeKind(error.value) };
    entry.expected.add(expectedOf(error).replace(/ \| null \| undefined$/, ''));
    byPath.set(path, entry);
  }
  const problems = [...byPath.entries()]
    .slice(0, 5)
    .map(([path, { expected, got }]) => `${path} must be ${[...expected].join(' or ')} (got ${got})`);
  const more = byPath.size > 5 ? ` (and ${byPath.size - 5} more problems)` : '';
  return `malformed ${requestType}: ${problems.join('; ')}${more}`;
}
