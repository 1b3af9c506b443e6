/**
 * Opens what the flow talks to. Local and demo: the local Secrets Manager endpoint serving the database login under
 * a fixed secret ARN (its environment exported before the bundle is loaded), the bundle in this process, and for
 * the demo a seeded throwaway MariaDB or PostgreSQL. Deployed: the Lambda Invoke API, with the secret ARN the user gives.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSecretsEndpoint } from '../local/secretsEndpoint';
import { LOCAL_SECRET_ARN } from './constants';
import { startDemoDatabase } from './demo/database';
import { DEMO_SERVER_NAMES, planDemoServer, prepareDemoServer, thisMachine } from './demo/server';
import { TargetError } from './errors';
import type { ConnectionProfile } from './events';
import type { ProfileSettings, TargetOptions } from './flags';
import type { Progress } from './progress';
import { createDeployedLambdaTransport } from './transport/deployedLambda';
import { createLocalBundleTransport } from './transport/localBundle';
import type { Transport } from './transport/types';

export interface OpenTarget {
  readonly transport: Transport;
  readonly profile: ConnectionProfile;
  /** One line: what is invoked and which database it reads. */
  readonly description: string;
  close(): Promise<void>;
}

/** What the profile holds: the engine always, the schema only when one was named (the connector defaults it). */
export function runtimeSettings(settings: ProfileSettings): Record<string, string> {
  return {
    engine: settings.engine,
    host: settings.host,
    port: settings.port,
    database: settings.database,
    ...(settings.schema === null ? {} : { schema: settings.schema }),
    tlsMode: settings.tlsMode,
  };
}

function where(settings: ProfileSettings, withEngine = true): string {
  const schema = settings.schema === null ? '' : `, schema ${settings.schema}`;
  const address = `${settings.host}:${settings.port}/${settings.database}${schema} (tlsMode ${settings.tlsMode})`;
  return withEngine ? `${settings.engine} ${address}` : address;
}

/** Closes everything opened so far, newest first, ignoring failures (the run already has its result). */
async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {
      // best effort
    }
  }
}

async function openLocal(
  options: Extract<TargetOptions, { kind: 'demo' | 'local' }>,
  progress: Progress,
  debug: boolean,
): Promise<OpenTarget> {
  const bundlePath = resolve(options.bundlePath);
  if (!existsSync(bundlePath)) {
    throw new TargetError(
      `the connector bundle ${options.bundlePath} does not exist: run npm run build first, or pass --bundle`,
    );
  }
  const closers: (() => Promise<void>)[] = [];
  try {
    const secrets = await startSecretsEndpoint();
    closers.push(() => secrets.close());
    // The bundle's AWS SDK reads the endpoint, region and credentials from the environment.
    secrets.exportEnvironment();
    if (debug) process.env.LOG_LEVEL = 'DEBUG';
    const transport = createLocalBundleTransport(options.bundlePath);
    closers.push(() => transport.close());

    let settings: ProfileSettings;
    let login: { username: string; password: string };
    let label: string;
    if (options.kind === 'demo') {
      demoServerStep(options, progress);
      const demo = await startDemoDatabase(options.engine, {
        schema: options.schema,
        tlsMode: options.tlsMode,
        server: options.server,
      });
      closers.push(() => demo.stop());
      settings = {
        engine: options.engine,
        schema: options.schema,
        host: demo.host,
        port: String(demo.port),
        database: demo.database,
        tlsMode: options.tlsMode,
      };
      login = { username: demo.user, password: demo.password };
      label = `demo ${DEMO_SERVER_NAMES[options.engine]} ${where(settings, false)}`;
    } else {
      settings = options.settings;
      login = { username: options.user, password: options.password };
      label = `${where(settings)} as ${options.user}`;
    }
    secrets.putSecret(LOCAL_SECRET_ARN, login);
    return {
      transport,
      profile: { runtimeSettings: runtimeSettings(settings), secretArn: LOCAL_SECRET_ARN },
      description: `${transport.description} → ${label}`,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** Makes sure the demo has a server (a throwaway one's binaries, or the one a variable names) and says which. */
function demoServerStep(options: Extract<TargetOptions, { kind: 'demo' }>, progress: Progress): void {
  const plan = planDemoServer(options.engine, options.server, process.env, thisMachine);
  const name = DEMO_SERVER_NAMES[options.engine];
  if (plan.kind === 'external') {
    progress.step(`using the server at ${plan.address} (${plan.variable}) for the demo…`);
    return;
  }
  if (plan.kind === 'install') progress.step(`installing ${plan.packageName} for the demo (as root)…`);
  prepareDemoServer(plan);
  progress.step(`starting a throwaway ${name} for the demo…`);
}

export async function openTarget(options: TargetOptions, progress: Progress, debug: boolean): Promise<OpenTarget> {
  if (options.kind !== 'deployed') return openLocal(options, progress, debug);
  const transport = createDeployedLambdaTransport({ functionName: options.functionName, region: options.region });
  return {
    transport,
    profile: { runtimeSettings: runtimeSettings(options.settings), secretArn: options.secretArn },
    description: `${transport.description} → ${where(options.settings)}, secret ${options.secretArn}`,
    close: () => transport.close(),
  };
}
