/**
 * Do the fuzz properties have teeth? Each check wraps the real bundle in a sabotaged one (a planted bug of the kind
 * a property is meant to catch) and expects that property to fail. Run after a change to fuzz/:
 *
 *   npm run build && tsx fuzz/selfcheck.ts [--engine mysql|postgresql]
 *
 * Exit status 1 when a planted bug goes unnoticed.
 */
import type { ConnectorBundle } from '../test/support/lambda';
import {
  closeFuzzContext,
  createFuzzContext,
  type FuzzContext,
  type FuzzProperty,
  filters,
  mutatedEvents,
  randomEvents,
  tokens,
  writes,
} from './properties';
import { isFuzzEngine, startFuzzStage } from './stage';

const write = process.stdout.write.bind(process.stdout);
const print = (line: string) => {
  write(`${line}\n`);
};

type Event = Record<string, unknown> | null | undefined;
type Answer = Record<string, unknown> & {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
  writeRecordResults?: unknown[] | null;
};
type Handler = (event: Event, context?: unknown) => Promise<Answer>;

interface Sabotage {
  readonly label: string;
  readonly property: FuzzProperty;
  make(real: Handler, context: FuzzContext): Handler;
}

const SABOTAGES: readonly Sabotage[] = [
  {
    label: 'an allOrNone batch that fails leaves a row behind',
    property: writes,
    make: (real, context) => async (event, lambda) => {
      const answer = await real(event, lambda);
      if (event?.allOrNone === true && !answer.isSuccess && answer.writeRecordResults) {
        // Portable SQL (MariaDB and PostgreSQL): insert row 99 unless it is there.
        await context.watcher.query(
          'INSERT INTO fuzz_target (id) SELECT 99 FROM customers WHERE NOT EXISTS ' +
            '(SELECT 1 FROM fuzz_target WHERE id = 99) LIMIT 1',
        );
      }
      return answer;
    },
  },
  {
    label: 'a write also changes another table',
    property: writes,
    make: (real, context) => async (event, lambda) => {
      const answer = await real(event, lambda);
      if (answer.isSuccess) {
        await context.watcher.query(
          'UPDATE order_lines SET quantity = quantity + 1 WHERE order_id = 1 AND line_no = 1',
        );
      }
      return answer;
    },
  },
  {
    label: 'a write also changes a table of the other database or schema',
    property: writes,
    make: (real, context) => async (event, lambda) => {
      const answer = await real(event, lambda);
      if (answer.isSuccess) {
        const { sql, other } = context.stage;
        await context.watcher.query(`DELETE FROM ${sql.quote(other)}.${sql.quote('secret_table')} WHERE id = 1`);
      }
      return answer;
    },
  },
  {
    label: 'a result goes missing',
    property: writes,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      if ((answer.writeRecordResults?.length ?? 0) > 2) answer.writeRecordResults!.pop();
      return answer;
    },
  },
  {
    label: 'a bad filter is answered ClientError',
    property: filters,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      if (String(event?.filterExpression).includes('BETWEEN') && answer.errorDetails) {
        answer.errorDetails.errorCode = 'ClientError';
      }
      return answer;
    },
  },
  {
    label: 'an error message quotes the password',
    property: mutatedEvents,
    make: (real, context) => async (event, lambda) => {
      const answer = await real(event, lambda);
      if (answer.errorDetails && event?.type === 'RetrieveDataRequest') {
        answer.errorDetails.errorMessage += context.stage.password;
      }
      return answer;
    },
  },
  {
    label: 'a known type rejects',
    property: randomEvents,
    make: (real) => async (event, lambda) => {
      if (event?.type === 'ListEntitiesRequest' && Object.keys(event).length > 3) throw new Error('planted');
      return real(event, lambda);
    },
  },
  {
    label: 'an answer carries a type',
    property: randomEvents,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      return event?.type === 'DescribeEntityRequest' ? { ...answer, type: 'DescribeEntityResponse' } : answer;
    },
  },
  {
    label: 'a damaged token is taken as "start again"',
    property: tokens,
    make: (real) => async (event, lambda) => {
      const token = event?.nextToken;
      if (event?.type === 'QueryDataRequest' && typeof token === 'string' && token.startsWith('eyJ')) {
        return real({ ...event, nextToken: null }, lambda);
      }
      return real(event, lambda);
    },
  },
  {
    label: 'a promise is dropped and rejects',
    property: randomEvents,
    make: (real) => async (event, lambda) => {
      if (event?.type === 'ValidateCredentialsRequest') void Promise.reject(new Error('planted'));
      return real(event, lambda);
    },
  },
];

async function main(): Promise<number> {
  const [flag, engine = ''] = process.argv.slice(2);
  if (flag !== undefined && (flag !== '--engine' || !isFuzzEngine(engine))) {
    throw new Error('usage: tsx fuzz/selfcheck.ts [--engine mysql|postgresql]');
  }
  const stage = await startFuzzStage(flag === undefined ? 'mysql' : (engine as 'mysql' | 'postgresql'));
  const context = await createFuzzContext(stage);
  const real = stage.bundle.handler.bind(stage.bundle) as unknown as Handler;
  let missed = 0;
  try {
    for (const sabotage of SABOTAGES) {
      const bundle = { handler: sabotage.make(real, context), shutdown: async () => {} } as unknown as ConnectorBundle;
      const sabotaged: FuzzContext = { ...context, stage: { ...stage, bundle } };
      try {
        await sabotage.property.run(sabotaged, { numRuns: 500, seed: 5 });
        missed++;
        print(`MISSED  ${sabotage.property.name}: ${sabotage.label}`);
      } catch (error) {
        const cause = (error as { cause?: Error }).cause ?? (error as Error);
        print(
          `caught  ${sabotage.property.name}: ${sabotage.label}\n        ${cause.message.split('\n')[0]!.slice(0, 150)}`,
        );
      }
    }
  } finally {
    await closeFuzzContext(context);
    await stage.teardown();
  }
  print(missed === 0 ? 'every planted bug was caught' : `${missed} planted bug(s) went unnoticed`);
  return missed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    print(String(error instanceof Error ? error.stack : error));
    process.exit(2);
  },
);
