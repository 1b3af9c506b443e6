/** The schema fuzzer's facts about MariaDB (fuzz/schema/dialect.ts): its catalog, its SQL and its traps. */
import fc from 'fast-check';
import type { SchemaDialect } from './dialect';
import { caseInsensitive, INT_RANGES } from './types';

/** Collations: case- and accent-insensitive, binary, PAD/NO PAD, other character sets. */
export const MYSQL_COLLATIONS = [
  'utf8mb4_general_ci',
  'utf8mb4_bin',
  'utf8mb4_unicode_520_nopad_ci',
  'utf8mb4_nopad_bin',
  'latin1_swedish_ci',
  'latin1_bin',
  'utf8mb3_general_ci',
];

const collateClause = (collation: string) => ` CHARACTER SET ${collation.split('_')[0]} COLLATE ${collation}`;

export const MYSQL_SCHEMA: SchemaDialect = {
  engine: 'mysql',
  parameter: () => '?',
  serverText: (c) => `CAST(${c} AS CHAR)`,
  characterText: (c) => c,
  typedParameter: (placeholder) => placeholder,
  booleanParameter: (placeholder) => `CASE ${placeholder} WHEN 'true' THEN 1 ELSE 0 END`,
  hexBytes: {
    read: (c) => `HEX(${c})`,
    normalize: (text) => text.toUpperCase(),
    bind: (placeholder) => `UNHEX(${placeholder})`,
  },

  numericOptions: true,
  // Scale ≤ precision and ≤ 30.
  decimalScales: { min: 0, max: 10, abovePrecision: false },
  unconstrainedDecimals: false,
  collations: MYSQL_COLLATIONS,
  enumTypes: (collation) =>
    fc.oneof(
      fc.record({ t: fc.constant('enum' as const), labels: fc.constant(['a', 'B', 'c d']), collation }),
      // Labels that differ only in case need a case-sensitive collation.
      fc.record({
        t: fc.constant('enum' as const),
        labels: fc.constant(['a', 'A', 'B', 'c d']),
        collation: fc.constantFrom(...MYSQL_COLLATIONS.filter((name) => !caseInsensitive(name))),
      }),
    ),
  ownTypes: () => [
    fc.constant({ t: 'year' as const }),
    fc.constant({ t: 'set' as const, labels: ['a', 'b', 'c d'] }),
    fc.record({ t: fc.constant('bit' as const), width: fc.constantFrom(1, 1, 2, 8, 12, 16, 64) }),
    fc.constant({ t: 'json' as const, binary: false }),
    fc.record({ t: fc.constant('spatial' as const), kind: fc.constantFrom('POINT' as const, 'GEOMETRY' as const) }),
  ],
  integer(type) {
    const [min, max, umax] = INT_RANGES[type.size];
    // ZEROFILL implies UNSIGNED (MariaDB KB, "ZEROFILL Column Option").
    const unsigned = type.unsigned || type.zerofill;
    const name = { tiny: 'TINYINT', small: 'SMALLINT', int: 'INT', big: 'BIGINT' }[type.size];
    return {
      sql: `${name}${type.unsigned ? ' UNSIGNED' : ''}${type.zerofill ? ' ZEROFILL' : ''}`,
      name,
      unsigned,
      range: [unsigned ? 0n : min, unsigned ? umax : max],
    };
  },
  // A DECIMAL without precision is DECIMAL(10).
  decimalDigits: (type) => ({ precision: type.precision ?? 10, scale: type.scale }),
  typeNames: { double: 'DOUBLE', bool: 'TINYINT(1)', text: 'TEXT', date: 'DATE' },
  columnSql(type) {
    switch (type.t) {
      case 'decimal':
        return `DECIMAL(${type.precision ?? 10},${type.scale})${type.zerofill ? ' UNSIGNED ZEROFILL' : ''}`;
      case 'datetime':
        return `${type.zone ? 'TIMESTAMP' : 'DATETIME'}(${type.digits})`;
      case 'enum':
        return `ENUM(${type.labels.map((l) => `'${l}'`).join(', ')})${collateClause(type.collation)}`;
      case 'binary':
        return `VARBINARY(${type.length})`;
      case 'json':
        return 'JSON';
    }
  },
  collateClause,
  repertoire: (collation) =>
    collation.startsWith('latin1') ? 'latin1' : collation.startsWith('utf8mb3') ? 'bmp' : 'unicode',
  boundedBinary: true,
  dateYears: [1, 9999],
  dateTimeRange: (zoned) =>
    zoned ? ['1970-01-01 00:00:01', '2038-01-19 03:14:07'] : ['1000-01-01 00:00:00', '9999-12-31 23:59:59'],
  shownAsNull: () => [],
  jsonFlavour: () => 'mysql',

  tableKinds: ['plain', 'plain', 'plain', 'view', 'myisam', 'aria', 'memory'],
  deferrableKeys: false,
  rowSecurity: false,
  // A view's column has no json_valid CHECK: the catalog gives LONGTEXT, a String (docs/types.md).
  viewJsonIsText: true,
  longLiteralDefaults: false,
  falseLiteral: '0',
  currentTimestamp: (digits) => `CURRENT_TIMESTAMP(${digits})`,
  currentDate: '(CURDATE())',
  exactCollation: 'utf8mb4_bin',
  generatedColumn: (q) => `${q('g')} INT AS (${q('k')} * 2) VIRTUAL`,
  // AUTO_INCREMENT needs a key of its own.
  identityColumn: (q) => [`${q('ident')} INT NOT NULL AUTO_INCREMENT`, `UNIQUE (${q('ident')})`],
  identityAlwaysGenerated: false,
  tableOptions: (kind) =>
    ` ENGINE=${{ myisam: 'MyISAM', aria: 'Aria', memory: 'MEMORY' }[kind as 'myisam'] ?? 'InnoDB'}`,
  parentTableOptions: ' ENGINE=InnoDB',
  triggers(q, name, b, text) {
    const body: string[] = [];
    const triggers: string[] = [];
    if (b.skipTrigger)
      body.push(`IF NEW.${q('k')} = 3 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'k 3 is refused'; END IF;`);
    if (b.raiseTrigger) {
      const shown = text ? `CAST(NEW.${q(text)} AS CHAR)` : `CAST(NEW.${q('k')} AS CHAR)`;
      body.push(
        `IF NEW.${q('k')} = 5 THEN SET @m = CONCAT('row refused: ', COALESCE(${shown}, '-')); ` +
          "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @m; END IF;",
      );
    }
    if (b.changeTrigger) body.push(`SET NEW.${q('tnote')} = CONCAT('set by trigger ', NEW.${q('k')});`);
    if (body.length > 0)
      triggers.push(
        `CREATE TRIGGER ${q(`${name}_bi`)} BEFORE INSERT ON ${q(name)} FOR EACH ROW BEGIN ${body.join(' ')} END`,
      );
    if (b.changeTrigger) {
      triggers.push(
        `CREATE TRIGGER ${q(`${name}_bu`)} BEFORE UPDATE ON ${q(name)} FOR EACH ROW SET NEW.${q('tnote')} = 'updated by trigger'`,
      );
    }
    if (b.auditTrigger) {
      triggers.push(
        `CREATE TRIGGER ${q(`${name}_ai`)} AFTER INSERT ON ${q(name)} FOR EACH ROW INSERT INTO ${q(`${name}_audit`)} VALUES (NEW.${q('k')})`,
      );
    }
    return triggers;
  },
  // The skip and raise triggers are BEFORE INSERT only (the UPDATE trigger only sets tnote).
  triggersFireOnUpdate: false,
  drop: (q, name) => [
    `DROP VIEW IF EXISTS ${q(`${name}_v`)}`,
    `DROP TABLE IF EXISTS ${q(name)}, ${q(`${name}_audit`)}, ${q(`${name}_parent`)}`,
  ],
  viewColumnsNullable: false,
  setup: [],
};
