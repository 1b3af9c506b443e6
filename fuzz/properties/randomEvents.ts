/**
 * Property 1, `random-events`: random JSON (and JS-only) events, `type` among the eight, invalid ones, or missing.
 */
import fc from 'fast-check';
import { INVALID_TYPES, jsLikeValue, jsonValue, PROTOCOL_KEYS, weirdString } from '../arbitraries';
import { OutcomeStats, REQUEST_TYPES } from '../harness';
import { exercise, type FuzzProperty, runProperty } from './shared';

const typeValue = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<unknown>(...REQUEST_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_TYPES) },
  { weight: 1, arbitrary: weirdString },
);

/** Objects built from the protocol's own property names with random values: they get past the first checks. */
const nearMissObject = (values: fc.Arbitrary<unknown>) =>
  fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROTOCOL_KEYS) }, { weight: 1, arbitrary: weirdString }),
    values,
    {
      maxKeys: 8,
    },
  );

const randomEvent: fc.Arbitrary<unknown> = fc.oneof(
  // { type, ...random JSON properties }
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        typeValue,
        nearMissObject(fc.oneof(jsonValue, nearMissObject(jsonValue))),
        fc.oneof({ weight: 10, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      )
      .map(([type, body, withType]) => (withType ? { ...body, type } : body)),
  },
  // The same with values only an in-process call can produce (undefined, NaN, null prototypes, holes).
  {
    weight: 2,
    arbitrary: fc.tuple(typeValue, nearMissObject(jsLikeValue), fc.boolean()).map(([type, body, nullProto]) => {
      const event = nullProto ? Object.assign(Object.create(null) as object, body) : { ...body };
      return Object.assign(event, { type });
    }),
  },
  // Not an object at all.
  { weight: 1, arbitrary: fc.oneof(jsonValue, jsLikeValue) },
);

export const randomEvents: FuzzProperty = {
  name: 'random-events',
  title: 'random JSON events: throw only for an unknown type, otherwise a schema-valid answer',
  weight: 4,
  async run(context, options) {
    const stats = new OutcomeStats();
    const property = fc.asyncProperty(randomEvent, async (event) => {
      await exercise(context, event, stats);
    });
    return runProperty(context, this.name, options, stats, property);
  },
};
