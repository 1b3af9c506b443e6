/**
 * Opens the database a request names: runtime settings + the secret's credentials → a pooled connection.
 * When the database rejects the credentials, the secret is read again once (it may have been rotated) and the work
 * is retried with the new password; the retry happens at connect time, before any statement ran.
 */
import type { OperationContext } from '../dependencies';
import { isAuthenticationFailure } from '../errorMapping';
import { InvalidArgumentError } from '../errors';
import type { Credentials, StringMap } from '../protocol/codecs';
import { registerSensitive } from '../redaction';
import { parseConnectionSettings } from '../settings';
import type { Database } from './pool';

export async function withDatabase<T>(
  context: OperationContext,
  runtimeSettings: StringMap | null | undefined,
  credentials: Credentials | null | undefined,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  const settings = parseConnectionSettings(runtimeSettings);
  const secretArn = credentials?.secretArn;
  if (!secretArn) throw new InvalidArgumentError('credentials.secretArn is required');
  const first = await context.secrets.get(secretArn);
  registerSensitive(first.password);
  const open = async (credentials: typeof first) => {
    const database = context.pools.get(settings, credentials);
    await database.ensureReady(Math.min(context.deadline.statementTimeoutMs(), 10_000));
    return database;
  };
  try {
    return await work(await open(first));
  } catch (error) {
    if (!isAuthenticationFailure(error)) throw error;
    context.pools.discard(settings, first);
    context.secrets.invalidate(secretArn);
    const fresh = await context.secrets.get(secretArn);
    registerSensitive(fresh.password);
    if (fresh.username === first.username && fresh.password === first.password) throw error;
    context.logger.info('credentials changed in the secret; retrying with the new ones');
    return await work(await open(fresh));
  }
}
