/**
 * The flow `npm start` plays when no target is given: read the orders changed since 2024-04-01 (an incremental flow
 * on updated_at), show a few, and write them into orders_copy with UPSERT on the primary key. Flags the user gives
 * replace the matching part of the preset.
 */
import { DEFAULT_BATCH_SIZE } from '../constants';
import type { FlowOptions } from '../flags';

export const DEMO_ENTITY = 'orders';
export const DEMO_SINCE = new Date('2024-04-01T00:00:00Z');
export const DEMO_DESTINATION = 'orders_copy';
export const DEMO_PREVIEW_ROWS = 3;

export function withDemoDefaults(flow: FlowOptions): FlowOptions {
  const preview = flow.preview ?? DEMO_PREVIEW_ROWS;
  if (flow.entity !== null) return { ...flow, preview };
  if (flow.describe) return { ...flow, entity: DEMO_ENTITY, preview };
  return {
    ...flow,
    entity: DEMO_ENTITY,
    incremental: flow.incremental ?? { field: 'updated_at', since: DEMO_SINCE, until: null },
    write: flow.write ?? {
      table: DEMO_DESTINATION,
      operation: 'UPSERT',
      idFields: null,
      batchSize: DEFAULT_BATCH_SIZE,
      allOrNone: false,
    },
    preview,
  };
}
