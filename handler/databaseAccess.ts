/**
 * Opens the database a request names: runtime settings + the secret's credentials → a pooled connection.
 *
 * Credentials are a password (BasicAuth) or, for IAM database authentication, a token signed for the secret's user.
 * When the database rejects them, the secret (and token) are fetched again once — the password may have been
 * rotated — and the work is retried with the new login; the retry happens at connect time, before any statement.
 */
import type { OperationContext } from './dependencies';
import { engineFor } from './engines';
import type { Database, Engine, TableMeta } from './engines/engine';
import { InvalidArgumentError } from './errors';
import type { Credentials, StringMap } from './protocol/codecs';
import { registerSensitive } from './redaction';
import type { DatabaseCredentials, StoredCredentials } from './secrets';
import { type ConnectionSettings, parseConnectionSettings } from './settings';

/**
 * One login object per cached secret: warm calls get the secret cache's same object, so the pools find their pool
 * by the same login object too (poolCache.ts hashes a login's password once per object).
 */
const passwordLogins = new WeakMap<StoredCredentials, DatabaseCredentials>();

async function loginFor(
  context: OperationContext,
  settings: ConnectionSettings,
  stored: StoredCredentials,
): Promise<DatabaseCredentials> {
  if (stored.kind === 'password') {
    registerSensitive(stored.password);
    let login = passwordLogins.get(stored);
    if (!login) {
      login = { username: stored.username, password: stored.password };
      passwordLogins.set(stored, login);
    }
    return login;
  }
  if (settings.tlsMode === 'DISABLED') {
    throw new InvalidArgumentError(
      'connectorRuntimeSettings: IAM authentication sends a token and needs TLS; set tlsMode REQUIRED or VERIFY_IDENTITY',
    );
  }
  const token = await context.iamTokens.get({ host: settings.host, port: settings.port, username: stored.username });
  return { username: stored.username, password: token, cleartext: true };
}

/**
 * What an operation works with: the pooled database, the engine the profile names, and the namespace its tables
 * live in (MySQL's database, PostgreSQL's schema), each decided once per request. Pools are shared by connection
 * identity, which has no namespace, so the namespace is the session's, never read back off the pool.
 */
export interface Session {
  readonly database: Database;
  readonly engine: Engine;
  readonly namespace: string;
}

export async function withDatabase<T>(
  context: OperationContext,
  runtimeSettings: StringMap | null | undefined,
  credentials: Credentials | null | undefined,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const settings = parseConnectionSettings(runtimeSettings);
  const engine = engineFor(settings);
  const namespace = engine.catalog.namespaceOf(settings);
  try {
    return await withLogin(context, engine, settings, credentials, (database) => work({ database, engine, namespace }));
  } catch (error) {
    throw engine.errors.classify(error);
  }
}

async function withLogin<T>(
  context: OperationContext,
  engine: Engine,
  settings: ConnectionSettings,
  credentials: Credentials | null | undefined,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  const secretArn = credentials?.secretArn;
  if (!secretArn) throw new InvalidArgumentError('credentials.secretArn is required');
  const open = async (login: DatabaseCredentials) => {
    const database = await context.pools.get(engine, settings, login);
    await database.ensureReady(Math.min(context.deadline.statementTimeoutMs(), 10_000));
    context.phases.lap('connect');
    return database;
  };
  const readLogin = async () => {
    const stored = await loginFor(context, settings, await context.secrets.get(secretArn, secretRequest));
    context.phases.lap('secret');
    return stored;
  };
  // The event's authentication type tells how to read the secret; the deadline bounds waiting for a new secret.
  const secretRequest = { authenticationType: credentials?.authenticationType, deadline: context.deadline };
  const first = await readLogin();
  try {
    return await work(await open(first));
  } catch (error) {
    if (!engine.errors.isAuthenticationFailure(error)) throw error;
    context.pools.discard(engine, settings, first);
    context.secrets.invalidate(secretArn);
    context.iamTokens.invalidate({ host: settings.host, port: settings.port, username: first.username });
    const fresh = await readLogin();
    if (fresh.username === first.username && fresh.password === first.password) throw error;
    context.logger.info('credentials changed in the secret; retrying with the new ones');
    return await work(await open(fresh));
  }
}

/** The entity's table metadata (cached per instance); the time it took is the request's catalog phase. */
export async function tableOf(context: OperationContext, session: Session, entity: string): Promise<TableMeta> {
  const table = await context.tables.get(session, entity, context.deadline.statementTimeoutMs());
  context.phases.lap('catalog');
  return table;
}
