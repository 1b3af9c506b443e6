/**
 * What the fuzz properties run against, for either engine: the built bundle, a connection target, the names that
 * must stay invisible, a watcher that proves which tables a request changed, and the engine's DDL for the tables the
 * properties create themselves.
 *
 * - mysql:      a throwaway MariaDB (test/support/environment.ts): the fixture database, and a second database on
 *               the same server that the connector must never see.
 * - postgresql: a throwaway PostgreSQL 15 with TLS (fuzz/postgresql.ts): the fixture schema, and a second schema
 *               (`fuzz_elsewhere`) of the same database, owned by the same login, holding same-named tables the connector
 *               must never see.
 *
 * The engines' stages implement this; fuzz/starters.ts starts them.
 */
import { ENGINE_NAMES, type EngineName } from '../handler/engines/registry';
import type { ConnectionTarget } from '../test/support/events';
import type { EvaluateOptions } from '../test/support/filterEvaluator';
import type { ConnectorBundle } from '../test/support/lambda';
import type { Watcher } from './database';

/** Every engine of the registry, by its folder name (`--engine mysql`). */
export const FUZZ_ENGINES = ENGINE_NAMES;
export type FuzzEngine = EngineName;

export function isFuzzEngine(value: string): value is FuzzEngine {
  return (FUZZ_ENGINES as readonly string[]).includes(value);
}

/** The engine's SQL for the tables the properties create (same names, columns and rows on every engine). */
export interface FixtureSql {
  quote(name: string): string;
  targetDdl(name: string): string;
  targetSeed(name: string): string;
  shownDdl(name: string): string;
  shownSeed(name: string): string;
  /**
   * How the reference evaluator must read the shown-values table's literals to follow this engine's rule (e.g.
   * PostgreSQL reads a literal compared with a bit column as a bit string).
   */
  readonly shownRules: EvaluateOptions;
  /** Text this engine cannot hold at all (PostgreSQL: NUL): a filter holding it is InvalidArgument. */
  readonly unstorableText: RegExp | null;
  /** Whether a table could have this name (else a ListEntities cursor naming it may be InvalidArgument). */
  isTableName(name: string): boolean;
  /**
   * Names in this engine's own forms (quoted, schema-qualified, its catalog) that must reach nothing outside the
   * home namespace, for events to carry.
   */
  lookalikeNames(stage: { readonly home: string; readonly other: string; readonly database: string }): string[];
}

export interface FuzzStage {
  readonly engine: FuzzEngine;
  readonly bundle: ConnectorBundle;
  /** Settings and secret ARN pointing at the fixtures. */
  readonly target: ConnectionTarget;
  /** The connector login's password: never in an answer, a thrown error or a log. */
  readonly password: string;
  /** The database the connector is configured with. */
  readonly database: string;
  /** The namespace of the entities: the MariaDB database, or the PostgreSQL schema. */
  readonly home: string;
  /** A namespace the connector's login reaches, but whose tables it must never list, read or change. */
  readonly other: string;
  readonly sql: FixtureSql;
  openWatcher(): Promise<Watcher>;
  /** Server liveness and the end of its log, for failure reports. */
  diagnostics(): string;
  teardown(): Promise<void>;
}
