/**
 * Generic generators for the fuzz properties: hostile strings and numbers, random JSON, and a mutation engine that
 * damages a valid event in the ways a buggy caller (or an attacker) could.
 */
import fc from 'fast-check';
import { REQUEST_TYPES } from './harness';

/** Strings that have broken SQL builders, parsers and encoders before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  "'",
  '"',
  '`',
  '\\',
  '\\\\',
  "''",
  '``',
  '%',
  '_',
  '!',
  '*',
  '?',
  ';',
  '--',
  '/*',
  '#',
  "' OR '1'='1",
  '" OR ""="',
  "'; DROP TABLE all_types; --",
  '`; DROP TABLE all_types; --',
  'id`; DROP TABLE x; --',
  '1; DELETE FROM all_types',
  '1) OR (1=1',
  '(SELECT 1)',
  'SLEEP(5)',
  'all_types`, `order_lines',
  'information_schema.TABLES',
  'mysql.user',
  '..',
  '../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, not a template
  '${jndi:ldap://x}',
  '{{7*7}}',
  '%s%s%s%n',
  'null',
  'NULL',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  '18446744073709551616',
  '-9223372036854775809',
  '0x7f',
  '2024-02-30',
  '2024-03-01T00:00:00Z',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'Émilie',
  '\u00e9\u0301',
  '\ud83d\ude00',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u202e',
  'ＡＢＣ',
  'İ',
  'ß',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
];

/** Long strings: the connector must bound what it echoes and never choke on size. */
export const hugeString: fc.Arbitrary<string> = fc
  .record({
    unit: fc.constantFrom('x', "'", '`', '\\', '"', 'é', '\ud83d\ude00', ' ', '%', 'a,'),
    length: fc.constantFrom(300, 5_000, 70_000),
  })
  .map(({ unit, length }) => unit.repeat(length));

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Any string, with a bias towards the hostile ones. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 4 }), loneSurrogate).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: hugeString },
);

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, 1.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Values a JSON event can hold (what Lambda's JSON parser can produce). */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: weirdString },
  { weight: 2, arbitrary: edgeNumber.map((n) => (Object.is(n, -0) ? 0 : n)) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }) },
);

/**
 * Values only a direct in-process call could pass (undefined, NaN, Infinity, -0, null-prototype objects, sparse
 * arrays): Lambda never delivers them, but the handler must not crash on them either.
 */
export const jsLikeValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 3,
  maxKeys: 6,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: false,
  withMap: false,
  withSet: false,
  withBigInt: false,
  withDate: false,
  withTypedArray: false,
  withObjectString: false,
});

/** Every property name the protocol uses somewhere (request or nested types), to build near-miss random events. */
export const PROTOCOL_KEYS: readonly string[] = [
  'type',
  'connectorContext',
  'connectorRuntimeSettings',
  'credentials',
  'secretArn',
  'authenticationType',
  'apiVersion',
  'flowName',
  'executionId',
  'connectorProfileLabel',
  'entityDefinition',
  'entity',
  'fields',
  'fieldName',
  'dataType',
  'entityIdentifier',
  'hasNestedEntities',
  'entitiesPath',
  'maxResult',
  'maxResults',
  'nextToken',
  'selectedFieldNames',
  'filterExpression',
  'idFieldName',
  'ids',
  'idFieldNames',
  'records',
  'operation',
  'allOrNone',
  'scope',
  'locale',
  'connectorLabel',
  'host',
  'port',
  'database',
  'tlsMode',
];

export const INVALID_TYPES: readonly unknown[] = [
  'QueryData',
  'querydatarequest',
  'QUERYDATAREQUEST',
  ' QueryDataRequest',
  'QueryDataRequest ',
  'QueryDataRequest\u0000',
  'ＱueryDataRequest',
  'GetOAuth2TokenRequest',
  'Request',
  '',
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  null,
  0,
  1,
  true,
  [],
  ['QueryDataRequest'],
  {},
  { type: 'QueryDataRequest' },
];

// ---------------------------------------------------------------------------------------------------------------
// Mutation engine
// ---------------------------------------------------------------------------------------------------------------

export type Path = readonly (string | number)[];

/** Every node of a JSON-like value (the root first), depth-first, at most `limit` of them. */
export function pathsOf(value: unknown, limit = 400): Path[] {
  const result: Path[] = [];
  const visit = (node: unknown, path: Path) => {
    if (result.length >= limit) return;
    result.push(path);
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...path, index]);
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], [...path, key]);
    }
  };
  visit(value, []);
  return result;
}

function getAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** Sets (or deletes, with `remove`) the node at `path`; returns the new root (the root itself may be replaced). */
function setAt(root: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return remove ? undefined : value;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete (parent as Record<string | number, unknown>)[key];
  } else {
    Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return root;
}

/** A value of a different JSON type than `value`, chosen by `choice`. */
export function wrongType(value: unknown, choice: number): unknown {
  const pick = <T>(options: readonly T[]) => options[choice % options.length]!;
  if (typeof value === 'string') return pick<unknown>([value.length, [value], { value }, true, null, Number(value)]);
  if (typeof value === 'number') return pick<unknown>([String(value), [value], { value }, value !== 0, `${value}.0`]);
  if (typeof value === 'boolean') return pick<unknown>([String(value), Number(value), [value], 'TRUE', 'yes']);
  if (Array.isArray(value)) return pick<unknown>([{ ...value }, value.join(','), value.length, value[0] ?? null]);
  if (value !== null && typeof value === 'object') return pick<unknown>([[value], '[object Object]', 0, true]);
  return pick<unknown>([0, '', {}, [], false, 'null']);
}

export type Mutation =
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'null'; readonly at: number }
  | { readonly kind: 'wrongType'; readonly at: number; readonly choice: number }
  | { readonly kind: 'addKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'inner'; readonly at: number; readonly mutation: Mutation }
  | { readonly kind: 'swapType'; readonly to: unknown }
  | { readonly kind: 'replaceRoot'; readonly value: unknown };

const innerMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: jsonValue }),
  fc.record({ kind: fc.constant('null' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('wrongType' as const), at: fc.nat(), choice: fc.nat() }),
);

/** One mutation; `extraValues` are context-specific replacement values (e.g. other table names). */
export function mutationArb(extraValues: readonly unknown[] = []): fc.Arbitrary<Mutation> {
  const replacement = extraValues.length
    ? fc.oneof({ weight: 4, arbitrary: jsonValue }, { weight: 1, arbitrary: fc.constantFrom(...extraValues) })
    : jsonValue;
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: replacement }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('null' as const), at: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('wrongType' as const), at: fc.nat(), choice: fc.nat() }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('addKey' as const),
        at: fc.nat(),
        key: fc.oneof(fc.constantFrom(...PROTOCOL_KEYS), weirdString),
        value: replacement,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('inner' as const), at: fc.nat(), mutation: innerMutation }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('swapType' as const), to: fc.constantFrom(...REQUEST_TYPES) }),
    },
  );
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Applies one mutation to (a copy of) `root`; returns the new root. */
export function applyMutation(root: unknown, mutation: Mutation): unknown {
  const isObject = root !== null && typeof root === 'object' && !Array.isArray(root);
  if (mutation.kind === 'swapType') {
    if (isObject && mutation.to === undefined) delete (root as Record<string, unknown>).type;
    else if (isObject) (root as Record<string, unknown>).type = mutation.to;
    return root;
  }
  if (mutation.kind === 'replaceRoot') return clone(mutation.value);
  // The root and the event's `type` are changed only by the two mutations above (they make most events invalid).
  const all = pathsOf(root);
  const inner = all.filter((path) => path.length > 0 && !(path.length === 1 && path[0] === 'type' && isObject));
  const paths = inner.length > 0 ? inner : all;
  const path = paths[mutation.at % paths.length]!;
  const target = getAt(root, path);
  switch (mutation.kind) {
    case 'delete':
      // Deleting the root leaves nothing: keep it (the root is replaced by 'replaceRoot').
      return path.length === 0 ? root : setAt(root, path, undefined, true);
    case 'replace':
      return setAt(root, path, clone(mutation.value));
    case 'null':
      return setAt(root, path, null);
    case 'wrongType':
      return setAt(root, path, wrongType(target, mutation.choice));
    case 'addKey': {
      // Adds to the nearest enclosing object (or the node itself).
      let objectPath = path;
      while (objectPath.length > 0) {
        const node = getAt(root, objectPath);
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) break;
        objectPath = objectPath.slice(0, -1);
      }
      const node = getAt(root, objectPath);
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return root;
      return setAt(root, [...objectPath, mutation.key], clone(mutation.value));
    }
    case 'inner': {
      // Mutates inside a string that holds JSON (a WriteData record, a token payload...), or else the node itself.
      if (typeof target === 'string') {
        let inner: unknown;
        try {
          inner = JSON.parse(target);
        } catch {
          return setAt(root, path, applyMutation(target, mutation.mutation));
        }
        const mutated = applyMutation(inner, mutation.mutation);
        return setAt(root, path, mutated === undefined ? '' : JSON.stringify(mutated));
      }
      return applyMutation(root, { ...mutation.mutation, at: mutation.at } as Mutation);
    }
  }
}

export function applyMutations(base: unknown, mutations: readonly Mutation[]): unknown {
  let root = clone(base);
  for (const mutation of mutations) root = applyMutation(root, mutation);
  return root;
}
