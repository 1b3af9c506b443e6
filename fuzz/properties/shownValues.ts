/**
 * Property 6, `shown-values`: filters on FLOAT, DOUBLE, Boolean, ZEROFILL and date columns select exactly the rows
 * whose records (as the connector shows them) the reference evaluator selects.
 */
import fc from 'fast-check';
import { InvalidArgumentError } from '../../handler/errors';
import { type FilterField, parseFilter } from '../../handler/filter';
import { queryDataEvent } from '../../test/support/events';
import { matchesFilter, type Row } from '../../test/support/filterEvaluator';
import { filterExpression } from '../filters';
import { OutcomeStats, safeStringify, violated } from '../harness';
import { checkShape, exercise, type FuzzContext, type FuzzProperty, runProperty, SHOWN_TABLE } from './shared';

/** Every record of a read, following nextToken. */
async function readAll(context: FuzzContext, stats: OutcomeStats, extra: Record<string, unknown>) {
  const records: string[] = [];
  let nextToken: string | null = null;
  do {
    const event = queryDataEvent(context.stage.target, SHOWN_TABLE, { maxResults: 1000, ...extra, nextToken });
    const checked = (await exercise(context, event, stats))!;
    checkShape(event, checked);
    if (!checked.response.isSuccess) return { error: checked.response.errorDetails, records };
    records.push(...((checked.response.records ?? []) as string[]));
    nextToken = (checked.response.nextToken as string | null | undefined) ?? null;
  } while (nextToken);
  return { error: null, records };
}

export const shownValues: FuzzProperty = {
  name: 'shown-values',
  title: 'filters on FLOAT, DOUBLE, Boolean, ZEROFILL and date fields select exactly what the records show',
  weight: 2,
  async run(context, options) {
    const stats = new OutcomeStats();
    const definition = context.definitions.get(SHOWN_TABLE)!;
    const fields = new Map<string, FilterField>(
      definition.fields.map((field) => [field.fieldName, { name: field.fieldName, dataType: field.dataType as never }]),
    );
    // The rows as the connector shows them; every value of this table is exact as a JS number.
    const all = await readAll(context, stats, {});
    if (all.error) throw new Error(`fuzz setup: reading ${SHOWN_TABLE} failed: ${safeStringify(all.error)}`);
    const rows = all.records.map((record) => JSON.parse(record) as Row);
    const counters = { selected: 0, partial: 0, refused: 0 };
    const property = fc.asyncProperty(filterExpression(definition.fields), async (expression) => {
      let expected: number[] | 'InvalidArgument';
      try {
        const filter = parseFilter(expression);
        const ids = rows
          .filter((row) => matchesFilter(filter, row, fields, context.stage.sql.shownRules))
          .map((row) => Number(row.id));
        expected = filter.limit === null ? ids : ids.slice(0, filter.limit);
        if (context.stage.sql.unstorableText?.test(expression)) expected = 'InvalidArgument';
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        expected = 'InvalidArgument';
      }
      const read = await readAll(context, stats, { filterExpression: expression, selectedFieldNames: ['id'] });
      const got = read.error
        ? read.error.errorCode
        : read.records.map((record) => (JSON.parse(record) as { id: number }).id);
      if (safeStringify(got) !== safeStringify(expected)) {
        violated(
          `the connector answered ${safeStringify(got)} where the records it shows select ${safeStringify(expected)}` +
            `${read.error ? ` (${read.error.errorMessage})` : ''}`,
        );
      }
      if (expected === 'InvalidArgument') counters.refused++;
      else if (expected.length > 0 && expected.length < rows.length) counters.partial++;
      if (expected !== 'InvalidArgument') counters.selected++;
    });
    return runProperty(
      context,
      this.name,
      options,
      stats,
      property,
      () => `compared ${counters.selected} (${counters.partial} split the rows), refused by both ${counters.refused}`,
    );
  },
};
