/**
 * Checks every answer against the protocol: the io-ts response codecs (handler/protocol/codecs.ts) plus the rules the
 * codecs cannot express (a failure carries errorDetails, Lambda's 6 MB limit, AppFlow's time limits). Each broken
 * rule becomes one Violation: which operation, which property, what was expected, what arrived.
 */
import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { type RequestType, ResponseCodecs } from '../handler/protocol/codecs';
import { DATA_OPERATION_LIMIT_MS, LAMBDA_PAYLOAD_LIMIT_BYTES, OTHER_OPERATION_LIMIT_MS } from './constants';
import type { Invocation } from './transport/types';

export interface Violation {
  /** Operation name without the `Request` suffix, e.g. `QueryData`. */
  readonly operation: string;
  /** Where in the response, e.g. `records[3]` or `entityDefinition.fields[0].dataType`; `(response)` for all of it. */
  readonly property: string;
  readonly expected: string;
  readonly got: string;
}

export type ResponseOf<K extends RequestType> = t.TypeOf<(typeof ResponseCodecs)[K]>;

/** `QueryDataRequest` → `QueryData`. */
export function operationName(type: RequestType): string {
  return type.replace(/Request$/, '');
}

const DATA_OPERATIONS: ReadonlySet<RequestType> = new Set([
  'QueryDataRequest',
  'WriteDataRequest',
  'RetrieveDataRequest',
]);

/** Violations of one kind kept in full; the rest are counted (a bad page would otherwise list 1000 records). */
const KEPT_PER_KIND = 3;

/** Collects the violations of a run, in the order they were found. */
export class ContractReport {
  readonly violations: Violation[] = [];
  private readonly kinds = new Map<string, number>();

  /** Adds violations; of each kind (operation, property with indices removed, expectation) the first 3 are kept. */
  add(...violations: Violation[]): void {
    for (const violation of violations) {
      const kind = `${violation.operation} ${violation.property.replace(/\[\d+\]/g, '[]')}: expected ${violation.expected}`;
      const seen = (this.kinds.get(kind) ?? 0) + 1;
      this.kinds.set(kind, seen);
      if (seen <= KEPT_PER_KIND) this.violations.push(violation);
    }
  }

  /** How many violations were found, including those not kept. */
  get total(): number {
    let total = 0;
    for (const seen of this.kinds.values()) total += seen;
    return total;
  }

  /** Kinds with more violations than were kept, and how many were left out. */
  omitted(): [string, number][] {
    return [...this.kinds.entries()]
      .filter(([, seen]) => seen > KEPT_PER_KIND)
      .map(([kind, seen]) => [kind, seen - KEPT_PER_KIND]);
  }
}

/** A short description of a value: its kind, and for scalars the value itself (shortened). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `a ${typeof value} (${text.length > 60 ? text.slice(0, 60) + '…' : text})`;
}

type Tagged = t.Mixed & { _tag?: string; keys?: Record<string, unknown> };

function describeType(type: Tagged): string {
  if (type._tag === 'KeyofType' && type.keys) {
    const values = Object.keys(type.keys);
    const shown = values.slice(0, 8).join(', ');
    return `${type.name} (one of ${shown}${values.length > 8 ? `, … ${values.length} values` : ''})`;
  }
  if (type._tag === 'UndefinedType') return 'nothing';
  if (type.name.length <= 60) return type.name;
  if (['InterfaceType', 'PartialType', 'IntersectionType'].includes(type._tag ?? '')) return 'an object';
  return type.name.slice(0, 60) + '…';
}

function pathOf(error: t.ValidationError): string {
  let path = '';
  for (let index = 1; index < error.context.length; index++) {
    const entry = error.context[index]!;
    const parent = error.context[index - 1]!.type as Tagged;
    if (parent._tag === 'ArrayType') path += `[${entry.key}]`;
    else if (parent._tag === 'IntersectionType' || parent._tag === 'UnionType') continue;
    else
      path += /^[A-Za-z_$][\w$]*$/.test(entry.key) ? (path ? '.' : '') + entry.key : `[${JSON.stringify(entry.key)}]`;
  }
  return path || '(response)';
}

/** io-ts errors → one violation per property, naming every type that would have been accepted there. */
export function violationsOf(operation: string, errors: t.Errors): Violation[] {
  const byPath = new Map<string, { expected: string[]; got: string }>();
  for (const error of errors) {
    const path = pathOf(error);
    const last = error.context[error.context.length - 1];
    const expected = last ? describeType(last.type as Tagged) : 'a valid value';
    const entry = byPath.get(path) ?? { expected: [], got: describeValue(error.value) };
    if (!entry.expected.includes(expected)) entry.expected.push(expected);
    byPath.set(path, entry);
  }
  // A union member that got as far as a nested property explains the problem better than "or null" at its parent.
  const paths = [...byPath.keys()];
  const deepest = paths.filter(
    (path) =>
      path === '(response)' ||
      !paths.some((other) => other !== path && (other.startsWith(`${path}.`) || other.startsWith(`${path}[`))),
  );
  return deepest.map((path) => {
    const { expected, got } = byPath.get(path)!;
    const shown = expected.filter((name) => name !== 'nothing' || expected.length === 1);
    return { operation, property: path, expected: shown.join(' or '), got };
  });
}

export interface CheckedResponse<K extends RequestType> {
  /** The decoded response, or null when it does not fit the codec. */
  readonly value: ResponseOf<K> | null;
  readonly violations: Violation[];
}

/** Checks one answer that is not a function error. */
export function checkResponse<K extends RequestType>(type: K, invocation: Invocation): CheckedResponse<K> {
  const operation = operationName(type);
  const violations: Violation[] = [];
  if (invocation.bytes > LAMBDA_PAYLOAD_LIMIT_BYTES) {
    violations.push({
      operation,
      property: '(response)',
      expected: `at most ${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes (Lambda's 6 MB response limit)`,
      got: `${invocation.bytes} bytes`,
    });
  }
  const limitMs = DATA_OPERATIONS.has(type) ? DATA_OPERATION_LIMIT_MS : OTHER_OPERATION_LIMIT_MS;
  if (invocation.ms > limitMs) {
    violations.push({
      operation,
      property: '(latency)',
      expected: `an answer within ${limitMs / 1000} s (AppFlow's limit for ${operation})`,
      got: `${Math.round(invocation.ms)} ms`,
    });
  }
  if (invocation.unparsedBody !== null) {
    const text = invocation.unparsedBody;
    violations.push({
      operation,
      property: '(response)',
      expected: 'a JSON document',
      got: `text (${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text)})`,
    });
    return { value: null, violations };
  }
  const codec = ResponseCodecs[type] as t.Mixed;
  const decoded = codec.decode(invocation.payload);
  if (isLeft(decoded)) {
    violations.push(...violationsOf(operation, decoded.left));
    return { value: null, violations };
  }
  const value = decoded.right as ResponseOf<K>;
  if (value.isSuccess === false && !value.errorDetails) {
    violations.push({
      operation,
      property: 'errorDetails',
      expected: 'ErrorDetails (errorCode, errorMessage) when isSuccess is false',
      got: describeValue(value.errorDetails),
    });
  }
  return { value, violations };
}
