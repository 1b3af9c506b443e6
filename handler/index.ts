/**
 * The Lambda entry point: `handler(event, context)` in dist/lambda/index.js (a public contract).
 * Dependencies (secret cache, connection pools, metadata cache) are created once per Lambda instance and reused by
 * every warm invocation.
 */
import type { LambdaContextLike } from './deadline';
import { createDependencies, type Dependencies } from './dependencies';
import { dispatch } from './dispatch';

let dependencies: Dependencies | undefined;

export async function handler(event: unknown, context?: LambdaContextLike): Promise<object> {
  dependencies ??= createDependencies();
  return dispatch(event, context, dependencies);
}

/** Closes pooled connections (for tests and local tools that run the handler in-process and then exit). */
export async function shutdown(): Promise<void> {
  const current = dependencies;
  dependencies = undefined;
  await current?.pools.closeAll();
}
