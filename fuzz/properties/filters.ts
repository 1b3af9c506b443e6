/**
 * Property 3, `filters`: random, grammar-aware and mutated filter expressions through QueryData.
 */
import fc from 'fast-check';
import { connectorContext, queryDataEvent } from '../../test/support/events';
import { anyFilter } from '../filters';
import { OutcomeStats, violated } from '../harness';
import { checkShape, exercise, FIXTURE_ENTITIES, type FuzzProperty, runProperty } from './shared';

export const filters: FuzzProperty = {
  name: 'filters',
  title: 'random filter expressions: success or InvalidArgument, never a database error',
  weight: 4,
  async run(context, options) {
    const stats = new OutcomeStats();
    const { target } = context.stage;
    const entities = FIXTURE_ENTITIES.map((entity) => context.definitions.get(entity)!);
    const caseArb = fc.constantFrom(...entities).chain((definition) =>
      fc.record({
        entity: fc.constant(definition.entity.entityIdentifier),
        filter: anyFilter(definition.fields),
        maxResults: fc.integer({ min: 1, max: 5 }),
        withDefinition: fc.boolean(),
      }),
    );
    const property = fc.asyncProperty(caseArb, async ({ entity, filter, maxResults, withDefinition }) => {
      const event = queryDataEvent(target, entity, {
        maxResults,
        filterExpression: filter,
        ...(withDefinition
          ? { connectorContext: connectorContext(target, { entityDefinition: context.definitions.get(entity) }) }
          : {}),
      });
      const checked = (await exercise(context, event, stats))!;
      checkShape(event, checked);
      const { response } = checked;
      if (!response.isSuccess && response.errorDetails?.errorCode !== 'InvalidArgument') {
        violated(
          `the filter was answered with ${response.errorDetails?.errorCode}, not InvalidArgument: ` +
            `${response.errorDetails?.errorMessage}`,
        );
      }
    });
    return runProperty(context, this.name, options, stats, property);
  },
};
