/**
 * The checks of the filter suite that every engine runs the same way (test/engines/mysql/filters.test.ts for MariaDB,
 * test/engines/postgresql/filters.test.ts for PostgreSQL): each engine's file builds its `people` and `examples` tables and gives
 * these checks a way to ask QueryData; the expressions come from filterExpressions.ts, the expected rows from the
 * reference evaluator (filterEvaluator.ts), never from the connector's own code.
 */
import type { ExecutionContext } from 'ava';
import { type FilterField, parseFilter } from '../../handler/filter';
import type { Page } from './engineStage';
import { type EvaluateOptions, matchesFilter, type Row } from './filterEvaluator';
import {
  INJECTION_ATTEMPTS,
  REFUSED_BY_BOTH,
  SECTION_4_5_EXAMPLES,
  SECTION_4_5_EXPECTED_IDS,
  SECTION_4_5_REJECTED,
  TYPE_CHECKS,
} from './filterExpressions';

/** A QueryDataRequest through the built bundle for `entity`, with `extra` on top of the defaults. */
export type AskQueryData = (entity: string, extra: Record<string, unknown>) => Promise<Page>;

/** The ids of `people` with id ≤ 60 the connector selects for the expression, read page by page. */
export async function connectorIds(query: AskQueryData, filterExpression: string): Promise<number[]> {
  const ids: number[] = [];
  let nextToken: string | null = null;
  do {
    const response = await query('people', {
      filterExpression: `(${filterExpression}) AND id <= 60`,
      selectedFieldNames: ['id'],
      nextToken,
    });
    if (!response.isSuccess) throw new Error(`${filterExpression}: ${JSON.stringify(response.errorDetails)}`);
    ids.push(...(response.records ?? []).map((record) => (JSON.parse(record) as { id: number }).id));
    nextToken = response.nextToken;
  } while (nextToken);
  return ids;
}

/** The ids of `rows` the reference evaluator selects for the expression. */
export function referenceIds(
  rows: readonly Row[],
  expression: string,
  fields: ReadonlyMap<string, FilterField>,
  options: EvaluateOptions = {},
): number[] {
  return rows
    .filter((row) => matchesFilter(parseFilter(expression), row, fields, options))
    .map((row) => Number(row.id));
}

/**
 * Every expression selects exactly the rows the reference evaluator selects, the unknown field `a.b.c` is refused
 * naming it, and every expression the evaluator refuses the connector refuses too. Most expressions must split the
 * rows: a fixture every expression selects wholly or not at all tests nothing.
 */
export async function checkAgreesWithReference(
  t: ExecutionContext,
  query: AskQueryData,
  rows: readonly Row[],
  fields: ReadonlyMap<string, FilterField>,
  expressions: readonly string[],
): Promise<void> {
  let discriminating = 0;
  for (const expression of expressions) {
    if (expression.startsWith('a.b.c')) {
      const response = await query('people', { filterExpression: expression });
      t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
      t.regex(response.errorDetails?.errorMessage ?? '', /a\.b\.c/);
      continue;
    }
    const expected = referenceIds(rows, expression, fields);
    t.deepEqual(await connectorIds(query, expression), expected, expression);
    if (expected.length > 0 && expected.length < rows.length) discriminating++;
  }
  for (const expression of REFUSED_BY_BOTH) {
    t.throws(() => referenceIds(rows, expression, fields), undefined, expression);
    const response = await query('people', { filterExpression: expression });
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
  }
  t.true(
    discriminating >= expressions.length - 5,
    `${discriminating} of ${expressions.length} expressions split the rows`,
  );
}

/** Every example of protocol §4.5 runs on `examples` (with the expected ids where known); every rejected one is refused. */
export async function checkSection45(t: ExecutionContext, query: AskQueryData): Promise<void> {
  for (const expression of SECTION_4_5_EXAMPLES) {
    const response = await query('examples', { filterExpression: expression });
    t.is(response.isSuccess, true, `${expression}: ${JSON.stringify(response.errorDetails)}`);
    const want = SECTION_4_5_EXPECTED_IDS[expression];
    if (want) {
      t.deepEqual(
        (response.records ?? []).map((record) => (JSON.parse(record) as { id: number }).id),
        want,
        expression,
      );
    }
  }
  for (const expression of SECTION_4_5_REJECTED) {
    const response = await query('examples', { filterExpression: expression });
    t.like(response, { isSuccess: false, records: null, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
    t.regex(response.errorDetails?.errorMessage ?? '', /^filterExpression/, expression);
  }
}

/** A value of the wrong type for its field is refused as InvalidArgument with the message a user can act on. */
export async function checkTypeRefusals(t: ExecutionContext, query: AskQueryData): Promise<void> {
  for (const [expression, pattern] of TYPE_CHECKS) {
    const response = await query('people', { filterExpression: expression });
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
    t.regex(response.errorDetails?.errorMessage ?? '', pattern, expression);
  }
}

/**
 * Injection attempts select nothing or are refused as InvalidArgument, and no answer names `hiddenName` (a database
 * or schema the attempts try to reach). The caller then checks that the table still holds every row.
 */
export async function checkInjectionAttempts(
  t: ExecutionContext,
  query: AskQueryData,
  hiddenName: string,
): Promise<void> {
  for (const filterExpression of INJECTION_ATTEMPTS) {
    const response = await query('people', { filterExpression });
    if (response.isSuccess) t.deepEqual(response.records, [], filterExpression);
    else t.is(response.errorDetails?.errorCode, 'InvalidArgument', filterExpression);
    t.false(JSON.stringify(response).includes(hiddenName), filterExpression);
  }
}
