/**
 * What operations depend on, passed in rather than reached through globals so that each operation is a function of
 * (decoded request, dependencies). The long-lived parts (secret cache, connection pools, table metadata) are created
 * once per Lambda instance and survive warm invocations.
 */
import { TableMetaCache } from './catalog/tables';
import type { Deadline } from './deadline';
import { DatabasePools } from './engines/pools';
import { type IamTokenSource, RdsIamTokenSource } from './iamAuth';
import { createLogger, type Logger } from './logger';
import { createTokenKey, type TokenKey } from './paging/token';
import type { PhaseClock } from './phases';
import { type SecretSource, SecretsManagerSource } from './secrets';

export interface Dependencies {
  readonly secrets: SecretSource;
  readonly iamTokens: IamTokenSource;
  readonly pools: DatabasePools;
  readonly tables: TableMetaCache;
  readonly logger: Logger;
  readonly tokenKey: TokenKey;
}

export interface OperationContext extends Dependencies {
  readonly deadline: Deadline;
  /** Where this request's time went (its log line's secretMs, connectMs, ...). */
  readonly phases: PhaseClock;
}

export function createDependencies(): Dependencies {
  return {
    secrets: new SecretsManagerSource(),
    iamTokens: new RdsIamTokenSource(),
    pools: new DatabasePools(),
    tables: new TableMetaCache(),
    logger: createLogger({ service: 'appflow-connector' }),
    tokenKey: createTokenKey(),
  };
}
