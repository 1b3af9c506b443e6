/**
 * Invoking the built connector bundle under fuzzing and checking the invariants every answer must honour.
 *
 * The contract checked for every event (protocol reference §1, §2.3; handler/dispatch.ts):
 * - `type` not one of the eight request types (or missing, or the event not an object) → the handler throws;
 * - otherwise it resolves (never rejects) with an answer that survives a JSON round trip, decodes with
 *   `ResponseCodecs[type]`, has no `type` property, and has `errorDetails` non-null exactly when `isSuccess` is false;
 * - no answer and no thrown error ever contains the database password, and no answer contains the marker row of the
 *   second database (which the connector must never read).
 */
import { isLeft } from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import { type RequestType, ResponseCodecs } from '../handler/protocol/codecs';
import { type ConnectorBundle, lambdaContext } from '../test/support/lambda';

/** The value stored in the second database's table (test/support/fixtures.ts): it must never be read. */
export const OTHER_DATABASE_MARKER = 'do not read';

/** Time the fuzzed Lambda "has left": short, so that a hanging case fails fast instead of stalling the run. */
export const FUZZ_REMAINING_MS = 10_000;

export const REQUEST_TYPES = Object.keys(ResponseCodecs) as RequestType[];

export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && Object.hasOwn(ResponseCodecs, value);
}

/** A broken invariant; its message is what fast-check reports next to the counterexample. */
export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantViolation';
  }
}

export function violated(message: string): never {
  throw new InvariantViolation(message);
}

export type Outcome =
  | { readonly kind: 'resolved'; readonly answer: unknown; readonly ms: number }
  | { readonly kind: 'threw'; readonly error: unknown; readonly ms: number };

export async function call(bundle: ConnectorBundle, event: unknown): Promise<Outcome> {
  const started = performance.now();
  try {
    const answer = await bundle.handler(event, lambdaContext(FUZZ_REMAINING_MS));
    return { kind: 'resolved', answer, ms: performance.now() - started };
  } catch (error) {
    return { kind: 'threw', error, ms: performance.now() - started };
  }
}

/** The parts of a response every property looks at, after the JSON round trip AppFlow sees. */
export interface CheckedResponse {
  readonly type: RequestType;
  readonly response: Record<string, unknown> & {
    isSuccess: boolean;
    errorDetails: { errorCode: string; errorMessage: string } | null | undefined;
  };
  readonly text: string;
}

export interface Secrets {
  /** Strings that must never appear in an answer or a thrown error (the database password). */
  readonly forbidden: readonly string[];
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  try {
    return `non-Error thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-Error thrown: ${String(error)}`;
  }
}

function show(text: string, max = 600): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function eventType(event: unknown): unknown {
  // The dispatcher reads `event.type` of any non-null object (arrays included).
  return event !== null && typeof event === 'object' ? (event as { type?: unknown }).type : undefined;
}

function assertNoSecret(text: string, where: string, secrets: Secrets): void {
  for (const secret of secrets.forbidden) {
    if (secret.length > 0 && text.includes(secret)) violated(`${where} contains the database password`);
  }
}

/**
 * Checks one invocation against the universal contract. Returns the decoded response for a known type, or null
 * when the handler (correctly) threw for an unknown type.
 */
export function checkOutcome(event: unknown, outcome: Outcome, secrets: Secrets): CheckedResponse | null {
  const type = eventType(event);
  if (!isRequestType(type)) {
    if (outcome.kind === 'resolved') {
      violated(
        `the handler answered an event whose type is not one of the eight (${show(String(type), 80)}) ` +
          `instead of throwing: ${show(safeStringify(outcome.answer))}`,
      );
    }
    assertNoSecret(describeError(outcome.error), 'the error thrown for an unknown type', secrets);
    return null;
  }
  if (outcome.kind === 'threw') {
    violated(`unhandled rejection for a ${type}: ${show(describeError(outcome.error), 2000)}`);
  }
  let text: string;
  try {
    text = JSON.stringify(outcome.answer);
  } catch (error) {
    return violated(`the ${type} answer cannot be serialised to JSON: ${describeError(error)}`);
  }
  if (typeof text !== 'string') violated(`the ${type} answer serialises to nothing (${String(outcome.answer)})`);
  const response = JSON.parse(text) as unknown;
  if (response === null || typeof response !== 'object' || Array.isArray(response)) {
    violated(`the ${type} answer is not a JSON object: ${show(text)}`);
  }
  const decoded = ResponseCodecs[type].decode(response);
  if (isLeft(decoded)) {
    violated(
      `the ${type} answer does not match its response schema: ${show(PathReporter.report(decoded).join('; '), 1500)}` +
        `\nanswer: ${show(text, 1500)}`,
    );
  }
  const body = response as CheckedResponse['response'];
  if (Object.hasOwn(body, 'type')) violated(`the ${type} answer carries a "type" property: ${show(text)}`);
  if (body.isSuccess === false && (body.errorDetails === null || body.errorDetails === undefined)) {
    violated(`the ${type} answer has isSuccess false but no errorDetails: ${show(text)}`);
  }
  if (body.isSuccess === true && body.errorDetails !== null && body.errorDetails !== undefined) {
    violated(`the ${type} answer has isSuccess true and errorDetails: ${show(text)}`);
  }
  assertNoSecret(text, `the ${type} answer`, secrets);
  if (text.includes(OTHER_DATABASE_MARKER)) {
    violated(`the ${type} answer contains a row of the other database: ${show(text)}`);
  }
  return { type, response: body, text };
}

export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Every record of a successful read must be the text of one JSON object (protocol §1.4.6). */
export function checkRecords(checked: CheckedResponse, maxRecords?: number): void {
  const records = checked.response.records;
  if (!checked.response.isSuccess || records === null || records === undefined) return;
  const list = records as string[];
  if (maxRecords !== undefined && list.length > maxRecords) {
    violated(`${checked.type} returned ${list.length} records, more than maxResults ${maxRecords}`);
  }
  for (const record of list) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(record);
    } catch {
      violated(`${checked.type} returned a record that is not JSON: ${show(record)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      violated(`${checked.type} returned a record that is not a JSON object: ${show(record)}`);
    }
  }
}

const NOTABLE_CODES = new Set(['ServerError', 'UnknownError', 'ClientError']);

/** Counts what a property's cases produced, to show that fuzzing reaches past request validation. */
export class OutcomeStats {
  readonly counts = new Map<string, number>();
  /** The first event (and answer) seen for each outcome, for `fuzz/run.ts --samples`. */
  readonly samples = new Map<string, string>();
  /**
   * Answers with a code that says "the connector or the database failed" rather than "your request is wrong"
   * (ServerError, UnknownError, ClientError): allowed by some properties, but each distinct message is worth a look.
   */
  readonly notable = new Map<string, { count: number; example: string }>();
  cases = 0;
  slowest = 0;

  record(event: unknown, outcome: Outcome, checked: CheckedResponse | null): void {
    this.cases++;
    this.slowest = Math.max(this.slowest, outcome.ms);
    const key =
      checked === null
        ? 'threw (unknown type)'
        : checked.response.isSuccess
          ? 'success'
          : (checked.response.errorDetails?.errorCode ?? 'failure');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const details = checked?.response.errorDetails;
    if (details && NOTABLE_CODES.has(details.errorCode)) {
      // One entry per kind of message: quoted values and numbers blanked out.
      const shape = `${checked.type} ${details.errorCode}: ${details.errorMessage.replace(/'[^']*'|"[^"]*"|\d+/g, '…')}`;
      const entry = this.notable.get(shape);
      if (entry) entry.count++;
      else this.notable.set(shape, { count: 1, example: show(safeStringify(event), 1500) });
    }
    if (!this.samples.has(key)) {
      const answer = checked ? checked.text : describeError(outcome.kind === 'threw' ? outcome.error : null);
      this.samples.set(
        key,
        `event: ${show(safeStringify(event), 800)}
    answer: ${show(answer, 800)}`,
      );
    }
  }

  summary(): string {
    const parts = [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} ${count}`);
    return `${parts.join(', ')}; slowest ${this.slowest.toFixed(0)} ms`;
  }
}

/**
 * Rejections nobody awaited (e.g. a promise the bundle dropped) are failures of the case that was running: they are
 * collected here and checked after every case.
 */
export class StrayRejections {
  private readonly seen: unknown[] = [];
  private installed = false;
  private readonly listener = (reason: unknown) => {
    this.seen.push(reason);
  };

  install(): void {
    if (this.installed) return;
    this.installed = true;
    process.on('unhandledRejection', this.listener);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    process.off('unhandledRejection', this.listener);
  }

  mark(): number {
    return this.seen.length;
  }

  assertNoneSince(mark: number, secrets: Secrets): void {
    if (this.seen.length > mark) {
      const reason = this.seen[this.seen.length - 1];
      const text = describeError(reason);
      assertNoSecret(text, 'an unhandled rejection', secrets);
      violated(`an unhandled promise rejection happened during the case: ${show(text, 2000)}`);
    }
  }
}
