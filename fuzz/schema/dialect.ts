/**
 * What the schema fuzzer must know about an engine, named for what it means: its type catalog, how its columns are
 * spelled, read and written through the raw driver, its DDL for keys, triggers and table kinds, and where its
 * behaviour differs in ways the oracles must allow for. The generator (case.ts, types.ts) and the property
 * (property.ts) ask these facts and never compare engine names; each engine states them in the file about it
 * (fuzz/schema/mysql.ts, fuzz/schema/postgresql.ts), and fuzz/schema/dialects.ts knows them all.
 */
import type fc from 'fast-check';
import type { Behaviours, TableKind } from './case';
import type { Repertoire } from './exact';
import type { ColumnType, Engine } from './types';

type Of<T extends ColumnType['t']> = Extract<ColumnType, { t: T }>;

/** Column types with options whose SQL spelling is the engine's own (the others are spelled alike, or exist on one engine). */
export type SpelledType = Of<'decimal' | 'datetime' | 'enum' | 'binary' | 'json'>;

export interface SchemaDialect {
  readonly engine: Engine;

  // The raw driver

  /** The n-th (from 1) parameter of a raw statement. */
  parameter(n: number): string;
  /** SQL reading the server's text of a column. */
  serverText(column: string): string;
  /** SQL reading the server's text of a character column. */
  characterText(column: string): string;
  /** A bound text parameter read as a SQL type (as is where the server converts text itself). */
  typedParameter(placeholder: string, sqlType: string): string;
  /** A bound `true`/`false` text parameter as a boolean column's value. */
  booleanParameter(placeholder: string): string;
  /** Bytes through the raw driver as hex digits: SQL reading them, their canonical text, SQL writing them. */
  readonly hexBytes: {
    read(column: string): string;
    normalize(text: string): string;
    bind(placeholder: string): string;
  };

  // The type catalog

  /** UNSIGNED and ZEROFILL exist (integers and decimals). */
  readonly numericOptions: boolean;
  /** The scales a constrained decimal is drawn from, and whether one may exceed the precision. */
  readonly decimalScales: { readonly min: number; readonly max: number; readonly abovePrecision: boolean };
  /** A decimal may have no precision at all (any number of digits). */
  readonly unconstrainedDecimals: boolean;
  readonly collations: readonly string[];
  /** The enum types drawn, given the collation arbitrary. */
  enumTypes(collation: fc.Arbitrary<string>): fc.Arbitrary<ColumnType>;
  /** The types of this engine's catalog only, in the order they are drawn. */
  ownTypes(): fc.Arbitrary<ColumnType>[];
  /** An integer column: its SQL, its type name for binds, whether it is unsigned, the values it holds. */
  integer(type: Of<'int'>): { sql: string; name: string; unsigned: boolean; range: readonly [bigint, bigint] };
  /** The precision and scale an exact decimal value is checked against (null: unbounded). */
  decimalDigits(type: Of<'decimal'>): { precision: number | null; scale: number | null };
  /** The engine's names of the types both engines have that take no options. */
  readonly typeNames: { readonly double: string; readonly bool: string; readonly text: string; readonly date: string };
  columnSql(type: SpelledType): string;
  /** ` COLLATE …` (and character set) after a character type, or nothing for the default. */
  collateClause(collation: string): string;
  /** The characters a character column of this collation holds (e.g. no NUL in PostgreSQL text). */
  repertoire(collation: string): Repertoire;
  /** A binary column of length n holds at most n bytes (else: any number). */
  readonly boundedBinary: boolean;
  /** The years a date column holds; years before 1 (BC dates) and after 9999 get edge values of their own. */
  readonly dateYears: readonly [number, number];
  /** The instants a datetime column holds, as server texts. */
  dateTimeRange(zoned: boolean): readonly [string, string];
  /** Server texts a column of this type holds that records show as null (docs/types.md). */
  shownAsNull(type: ColumnType): readonly string[];
  /** The JSON flavour, for the coverage feature `json:…`. */
  jsonFlavour(type: Of<'json'>): string;

  // Table shapes

  /** The table kinds drawn (repeated: more often). */
  readonly tableKinds: readonly TableKind[];
  /** UNIQUE … DEFERRABLE INITIALLY DEFERRED exists. */
  readonly deferrableKeys: boolean;
  readonly rowSecurity: boolean;
  /** A view's column of a JSON column is plain text (so views leave JSON columns out). */
  readonly viewJsonIsText: boolean;
  /** TEXT/BLOB-like columns take a literal DEFAULT. */
  readonly longLiteralDefaults: boolean;
  readonly falseLiteral: string;
  currentTimestamp(digits: number): string;
  readonly currentDate: string;
  /** A collation comparing exactly, for the trigger-written column. */
  readonly exactCollation: string;
  /** The definitions of `g`, generated as k * 2. */
  generatedColumn(q: (name: string) => string): string;
  /** The definitions of `ident`, an identity column. */
  identityColumn(q: (name: string) => string): string[];
  /** The identity column is GENERATED ALWAYS: never writable. */
  readonly identityAlwaysGenerated: boolean;
  /** What follows a table's column list: its storage engine or partitioning. */
  tableOptions(kind: TableKind, q: (name: string) => string): string;
  /** What follows the referenced parent table's column list. */
  readonly parentTableOptions: string;
  /**
   * The case's triggers (skip, raise, change, audit; `text` is the column the raise message quotes), created after
   * the first rows.
   */
  triggers(q: (name: string) => string, name: string, b: Behaviours, text: string | null): string[];
  /** The case's skip and raise triggers also fire on UPDATE. */
  readonly triggersFireOnUpdate: boolean;
  /** Statements dropping the case's objects (safe when none exist). */
  drop(q: (name: string) => string, name: string): string[];
  /** The catalog describes a view's columns nullable whatever the base table says. */
  readonly viewColumnsNullable: boolean;
  /** Statements creating the types and collations the catalog names, once per run. */
  readonly setup: readonly string[];
}
