/** The schema fuzzer's facts about PostgreSQL (fuzz/schema/dialect.ts): its catalog, its SQL and its traps. */
import fc from 'fast-check';
import type { SchemaDialect } from './dialect';
import { INT_RANGES } from './types';

/** ICU collations; `nd_ci` is created by `setup`: ICU, level 2 (case-insensitive), nondeterministic. */
export const POSTGRESQL_COLLATIONS = ['default', 'C', 'und-x-icu', 'nd_ci'];

export const POSTGRESQL_SCHEMA: SchemaDialect = {
  engine: 'postgresql',
  parameter: (n) => `$${n}`,
  serverText: (c) => `${c}::text`,
  characterText: (c) => `${c}::text`,
  typedParameter: (placeholder, sqlType) => `${placeholder}::${sqlType}`,
  booleanParameter: (placeholder) => `${placeholder}::boolean`,
  hexBytes: {
    read: (c) => `${c}::text`,
    normalize: (text) => text.replace(/^\\x/, '').toUpperCase(),
    bind: (placeholder) => `decode(${placeholder}, 'hex')`,
  },

  numericOptions: false,
  // -1000 ≤ scale ≤ 1000, and it may exceed the precision.
  decimalScales: { min: -3, max: 34, abovePrecision: true },
  unconstrainedDecimals: true,
  collations: POSTGRESQL_COLLATIONS,
  // fz_mood (setup): its labels compare exactly.
  enumTypes: () => fc.constant({ t: 'enum' as const, labels: ['a', 'B', 'c d'], collation: 'default' }),
  ownTypes: () => [
    fc.constant({ t: 'real' as const }),
    fc.record({
      t: fc.constant('bitString' as const),
      width: fc.constantFrom(1, 3, 8),
      varying: fc.boolean(),
    }),
    fc.record({ t: fc.constant('json' as const), binary: fc.boolean() }),
    fc.constant({ t: 'uuid' as const }),
    fc.constant({ t: 'intArray' as const }),
    fc.constant({ t: 'box' as const }),
    fc.record({ t: fc.constant('domain' as const), withDefault: fc.boolean() }),
  ],
  integer(type) {
    // No TINYINT: "tiny" is a smallint.
    const name = { tiny: 'smallint', small: 'smallint', int: 'integer', big: 'bigint' }[type.size];
    const [min, max] = INT_RANGES[type.size === 'tiny' ? 'small' : type.size];
    return { sql: name, name, unsigned: false, range: [min, max] };
  },
  decimalDigits: (type) => ({ precision: type.precision, scale: type.precision === null ? null : type.scale }),
  typeNames: { double: 'double precision', bool: 'boolean', text: 'text', date: 'date' },
  columnSql(type) {
    switch (type.t) {
      case 'decimal':
        return type.precision === null ? 'numeric' : `numeric(${type.precision},${type.scale})`;
      case 'datetime':
        return `${type.zone ? 'timestamptz' : 'timestamp'}(${type.digits})`;
      case 'enum':
        return 'fz_mood';
      case 'binary':
        return 'bytea';
      case 'json':
        return type.binary ? 'jsonb' : 'json';
    }
  },
  collateClause: (collation) => (collation === 'default' ? '' : ` COLLATE "${collation}"`),
  // Text holds no NUL.
  repertoire: () => 'no-nul',
  boundedBinary: false,
  dateYears: [-4713, 5874897],
  dateTimeRange: () => ['0001-01-01 00:00:00', '9999-12-31 23:59:59'],
  /** Values shown as `null` per type (docs/types.md, "Values written back"). */
  shownAsNull(type) {
    switch (type.t) {
      case 'double':
      case 'real':
        return ['NaN', 'Infinity', '-Infinity'];
      // A constrained numeric holds NaN but not ±Infinity (PostgreSQL docs, "Arbitrary Precision Numbers").
      case 'decimal':
        return type.precision === null ? ['NaN', 'Infinity', '-Infinity'] : ['NaN'];
      case 'date':
      case 'datetime':
        return ['infinity', '-infinity'];
      default:
        return [];
    }
  },
  jsonFlavour: (type) => (type.binary ? 'jsonb' : 'json'),

  tableKinds: ['plain', 'plain', 'plain', 'view', 'partitioned', 'inherited'],
  deferrableKeys: true,
  rowSecurity: true,
  viewJsonIsText: false,
  longLiteralDefaults: true,
  falseLiteral: 'false',
  currentTimestamp: () => 'now()',
  currentDate: 'CURRENT_DATE',
  exactCollation: 'default',
  generatedColumn: (q) => `${q('g')} integer GENERATED ALWAYS AS (${q('k')} * 2) STORED`,
  identityColumn: (q) => [`${q('ident')} integer GENERATED ALWAYS AS IDENTITY`],
  identityAlwaysGenerated: true,
  tableOptions: (kind, q) => (kind === 'partitioned' ? ` PARTITION BY RANGE (${q('k')})` : ''),
  parentTableOptions: '',
  triggers(q, name, b, text) {
    const body: string[] = [];
    const triggers: string[] = [];
    if (b.skipTrigger) body.push(`IF NEW.k = 3 THEN RETURN NULL; END IF;`);
    if (b.raiseTrigger) {
      body.push(`IF NEW.k = 5 THEN RAISE EXCEPTION 'row refused: %', ${text ? `NEW.${q(text)}` : 'NEW.k'}; END IF;`);
    }
    if (b.changeTrigger)
      body.push(
        `NEW.tnote := CASE WHEN TG_OP = 'INSERT' THEN 'set by trigger ' || NEW.k ELSE 'updated by trigger' END;`,
      );
    if (body.length > 0) {
      triggers.push(
        `CREATE FUNCTION ${q(`${name}_bi`)}() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN ${body.join(' ')} RETURN NEW; END $f$`,
      );
      triggers.push(
        `CREATE TRIGGER ${q(`${name}_bi`)} BEFORE INSERT OR UPDATE ON ${q(name)} FOR EACH ROW EXECUTE FUNCTION ${q(`${name}_bi`)}()`,
      );
    }
    if (b.auditTrigger) {
      triggers.push(
        `CREATE FUNCTION ${q(`${name}_ai`)}() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO ${q(`${name}_audit`)} VALUES (NEW.k); RETURN NULL; END $f$`,
      );
      triggers.push(
        `CREATE TRIGGER ${q(`${name}_ai`)} AFTER INSERT ON ${q(name)} FOR EACH ROW EXECUTE FUNCTION ${q(`${name}_ai`)}()`,
      );
    }
    return triggers;
  },
  // The BEFORE trigger fires on INSERT OR UPDATE.
  triggersFireOnUpdate: true,
  drop: (q, name) => [
    `DROP VIEW IF EXISTS ${q(`${name}_v`)}`,
    `DROP TABLE IF EXISTS ${q(name)}, ${q(`${name}_audit`)}, ${q(`${name}_parent`)} CASCADE`,
    `DROP FUNCTION IF EXISTS ${q(`${name}_bi`)}(), ${q(`${name}_ai`)}()`,
  ],
  // The catalog gives a view's columns no NOT NULL: "nullable" there is cautious, not wrong.
  viewColumnsNullable: true,
  setup: [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'fz_mood') THEN CREATE TYPE fz_mood AS ENUM ('a', 'B', 'c d'); END IF;
       IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'fz_positive') THEN CREATE DOMAIN fz_positive AS integer CHECK (VALUE > 0); END IF;
       IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'fz_positive_d') THEN CREATE DOMAIN fz_positive_d AS integer DEFAULT 5 CHECK (VALUE > 0); END IF;
       IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nd_ci') THEN
         CREATE COLLATION nd_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
       END IF;
     END $$`,
  ],
};
