/**
 * Do the fuzz properties have teeth? Each check wraps the real bundle in a sabotaged one (a planted bug of the kind
 * a property is meant to catch) and expects that property to fail. Run after a change to fuzz/:
 *
 *   npm run build && tsx fuzz/selfcheck.ts [--engine ${FUZZ_ENGINES.join('|')}] [--only schemas]
 *
 * The schemas property (fuzz/schema/) has five planted defects of its own, each of which must be caught within two
 * minutes with a reproduction: a value rounded on write, a row skipped at a page boundary, a skipped row reported
 * written, an id reported for the wrong record, a server message with a value returned. The time each took is
 * printed. Exit status 1 when a planted bug goes unnoticed.
 */
import { DEFAULT_ENGINE, ENGINES } from '../handler/engines/registry';
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
import { schemas } from './schema/property';
import { FUZZ_ENGINES, type FuzzEngine, isFuzzEngine } from './stage';
import { startFuzzStage } from './starters';

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

/** The records of a WriteData event with each JSON value passed through `change`. */
function changeRecords(event: Event, change: (value: unknown) => unknown): Event {
  if (event?.type !== 'WriteDataRequest' || !Array.isArray(event.records)) return event;
  const records = (event.records as string[]).map((text) => {
    const record = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(Object.entries(record).map(([key, value]) => [key, change(value)])));
  });
  return { ...event, records };
}

type Results = { isSuccess: boolean; recordId?: string | null; errorMessage?: string | null }[];

/** The planted defects the schemas property must catch (issue 19), each within two minutes. */
const SCHEMA_SABOTAGES: readonly Sabotage[] = [
  {
    label: 'a value rounded on write (one fraction digit dropped)',
    property: schemas,
    make: (real) => async (event, lambda) =>
      real(
        changeRecords(event, (value) => {
          if (typeof value === 'string' && /^-?\d+\.\d{2,}$/.test(value)) return value.slice(0, -1);
          if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 10) / 10;
          return value;
        }),
        lambda,
      ),
  },
  {
    label: 'a row skipped at a page boundary',
    property: schemas,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      const records = answer.records as string[] | null | undefined;
      if (event?.type === 'QueryDataRequest' && event.nextToken && records && records.length > 0) records.shift();
      return answer;
    },
  },
  {
    label: 'a skipped row reported written',
    property: schemas,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      const results = answer.writeRecordResults as Results | null | undefined;
      if (results?.some((result) => !result.isSuccess)) {
        for (const result of results) {
          result.isSuccess = true;
          result.errorMessage = null;
        }
        answer.isSuccess = true;
        answer.errorDetails = null;
      }
      return answer;
    },
  },
  {
    label: 'an id reported for the wrong record',
    property: schemas,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      const results = answer.writeRecordResults as Results | null | undefined;
      if (results && results.length >= 2 && results[0]!.recordId !== results[1]!.recordId) {
        [results[0]!.recordId, results[1]!.recordId] = [results[1]!.recordId, results[0]!.recordId];
      }
      return answer;
    },
  },
  {
    label: 'a server message with a value returned',
    property: schemas,
    make: (real) => async (event, lambda) => {
      const answer = await real(event, lambda);
      const results = answer.writeRecordResults as Results | null | undefined;
      const records = (event?.records ?? []) as string[];
      results?.forEach((result, index) => {
        if (result.isSuccess || !records[index]) return;
        const text = Object.values(JSON.parse(records[index]) as Record<string, unknown>).find(
          (value) => typeof value === 'string',
        );
        if (text !== undefined) result.errorMessage = `${result.errorMessage} (value '${text}')`;
      });
      return answer;
    },
  },
];

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

const SCHEMA_BUDGET_MS = 120_000;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let engine: FuzzEngine = ENGINES[DEFAULT_ENGINE].name;
  let only: string | null = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--engine' && isFuzzEngine(args[i + 1] ?? '')) engine = args[++i] as FuzzEngine;
    else if (args[i] === '--only') only = args[++i] ?? '';
    else throw new Error(`usage: tsx fuzz/selfcheck.ts [--engine ${FUZZ_ENGINES.join('|')}] [--only schemas]`);
  }
  const stage = await startFuzzStage(engine);
  const context = await createFuzzContext(stage);
  const real = stage.bundle.handler.bind(stage.bundle) as unknown as Handler;
  let missed = 0;
  try {
    for (const sabotage of [...SABOTAGES, ...SCHEMA_SABOTAGES]) {
      if (only !== null && sabotage.property.name !== only) continue;
      const bundle = { handler: sabotage.make(real, context), shutdown: async () => {} } as unknown as ConnectorBundle;
      const sabotaged: FuzzContext = { ...context, stage: { ...stage, bundle } };
      const started = performance.now();
      // The schemas property must catch each of its planted defects within two minutes (shrinking included).
      const budget = sabotage.property === schemas ? { interruptAfterMs: SCHEMA_BUDGET_MS } : {};
      try {
        await sabotage.property.run(sabotaged, { numRuns: 500, seed: 5, ...budget });
        missed++;
        print(`MISSED  ${sabotage.property.name}: ${sabotage.label}`);
      } catch (error) {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const cause = (error as { cause?: Error }).cause ?? (error as Error);
        const late = sabotage.property === schemas && performance.now() - started > SCHEMA_BUDGET_MS;
        if (late) missed++;
        print(
          `${late ? 'LATE   ' : 'caught '} ${sabotage.property.name}: ${sabotage.label} (${seconds} s)\n        ${cause.message.split('\n')[0]!.slice(0, 150)}`,
        );
        if (sabotage.property === schemas) {
          const repro = cause.message.slice(cause.message.indexOf('-- reproduction'));
          print(
            repro
              .split('\n')
              .map((line) => `        ${line.slice(0, 300)}`)
              .join('\n'),
          );
        }
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
