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
  const context = error.context;
  for (let index = 1; index < context.length; index++) {
    const entry = context[index]!;
    if (entry.key === '') continue;
    if (/^\d+$/.test(entry.key)) {
      // A numeric key is an array index only under an array type; under a union or an intersection it numbers the
      // member that was tried, which is not part of the request's shape.
      if (isArrayType(context[index - 1]!.type)) parts.push(`[${entry.key}]`);
      continue;
    }
    parts.push((parts.length ? '.' : '') + entry.key);
  }
  return parts.join('') || '(request)';
}

function isArrayType(type: t.Decoder<unknown, unknown>): boolean {
  const tag = (type as { _tag?: string })._tag;
  return tag === 'ArrayType' || tag === 'ReadonlyArrayType' || tag === 'TupleType';
}

/** What was expected, by the codec's name; a long structural name (an object's whole shape) by its kind. */
function expectedOf(error: t.ValidationError): string {
  const last = error.context[error.context.length - 1];
  if (!last) return 'a valid value';
  const name = last.type.name.replace(/ \| null \| undefined$/, '');
  if (name.length <= 60) return name;
  if (isArrayType(last.type)) return 'an array';
  return /^[{(]|^Partial<|^Readonly</.test(name) ? 'an object' : name.slice(0, 60) + '…';
}

export function describeDecodeErrors(requestType: string, errors: t.Errors): string {
  const byPath = new Map<string, { expected: Set<string>; got: string }>();
  for (const error of errors) {
    const path = pathOf(error);
    const entry = byPath.get(path) ?? { expected: new Set<string>(), got: describeKind(error.value) };
    entry.expected.add(expectedOf(error));
    byPath.set(path, entry);
  }
  const paths = [...byPath.keys()];
  const problems = [...byPath.entries()]
    // A union member that failed deeper (an array whose element is wrong) says more than the members that did not
    // match the value's kind at all (null, undefined): only the deeper problem is reported.
    .filter(([path]) => !paths.some((other) => other.startsWith(path + '[') || other.startsWith(path + '.')))
    .map(([path, { expected, got }]) => {
      // An optional field's null and undefined go without saying once another kind is expected there.
      const kinds = [...expected];
      const named = kinds.length > 1 ? kinds.filter((kind) => kind !== 'null' && kind !== 'undefined') : kinds;
      return `${path} must be ${(named.length ? named : kinds).join(' or ')} (got ${got})`;
    });
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more problems)` : '';
  return `malformed ${requestType}: ${problems.slice(0, 5).join('; ')}${more}`;
}
