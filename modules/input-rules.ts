/**
 * Input rules, written once and used twice: the construct checks resolved values at synth time, and the plain
 * Terraform module turns the same rules into `validation` blocks. Patterns are written in the subset that both
 * JavaScript and RE2 (Terraform's `regex`) read the same way.
 */
import { ENGINES, NO_SCHEMA_ENGINES, orList, SCHEMA_ENGINES } from '../handler/engines/registry';
import {
  AUTHENTICATION_TYPES,
  DATABASE_ENGINES,
  type DatabaseEngine,
  DEFAULTS,
  LIMITS,
  LOG_LEVELS,
  LOG_RETENTION_DAYS,
  S3_FILE_TYPES,
  TLS_MODES,
} from './constants';

export interface InputRule<T> {
  /** What a valid value looks like, phrased to follow the input's name: "must be ...". */
  readonly requirement: string;
  /** The synth-time check. */
  readonly accepts: (value: T) => boolean;
  /**
   * The same check as a Terraform boolean expression over `expression`. Terraform's `&&`/`||` do not
   * short-circuit, so every part that could fail on null is wrapped in `can(...)` or `try(..., false)`.
   */
  readonly terraformCondition: (expression: string) => string;
}

/** A `validation` block of a Terraform variable checking `rule`; `nullable` lets null through. */
export function variableValidation<T>(
  variableName: string,
  rule: InputRule<T>,
  nullable = false,
): { condition: string; errorMessage: string } {
  const reference = `var.${variableName}`;
  const condition = rule.terraformCondition(reference);
  return {
    // In JSON syntax an expression is a string holding one `${...}` interpolation.
    condition: `\${${nullable ? `${reference} == null || ${condition}` : condition}}`,
    errorMessage: `${variableName} ${rule.requirement}.`,
  };
}

/** A Terraform string literal (HCL escapes are JSON's plus `$${` and `%%{`). */
export function terraformString(value: string): string {
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

function terraformList(values: readonly (string | number)[]): string {
  return `[${values.map((value) => (typeof value === 'number' ? String(value) : terraformString(value))).join(', ')}]`;
}

export function integerBetween(min: number, max: number, unit = ''): InputRule<number> {
  const suffix = unit === '' ? '' : ` (${unit})`;
  return {
    requirement: `must be an integer from ${min} to ${max}${suffix}`,
    accepts: (value) => Number.isInteger(value) && value >= min && value <= max,
    terraformCondition: (e) => `try(${e} >= ${min} && ${e} <= ${max} && floor(${e}) == ${e}, false)`,
  };
}

export function oneOf<T extends string | number>(values: readonly T[]): InputRule<T> {
  return {
    requirement: `must be one of ${values.join(', ')}`,
    accepts: (value) => values.includes(value),
    terraformCondition: (e) => `try(contains(${terraformList(values)}, ${e}), false)`,
  };
}

/** Like oneOf for upper-case names, but matched without regard to case (as the connector matches them). */
export function oneOfIgnoringCase(values: readonly string[]): InputRule<string> {
  return {
    requirement: `must be one of ${values.join(', ')} (in any case)`,
    accepts: (value) => values.includes(value.toUpperCase()),
    terraformCondition: (e) => `try(contains(${terraformList(values)}, upper(${e})), false)`,
  };
}

/**
 * A PostgreSQL name (schema, database): 1 to `maxBytes` bytes of UTF-8 without control characters. Terraform has no
 * byte length; a base64 text has 4 characters per 3 bytes or part of them, so with `maxBytes` a multiple of 3 the
 * byte count is at most `maxBytes` exactly when the base64 text is at most `maxBytes / 3 * 4` characters long.
 */
export function utf8NameOfAtMost(maxBytes: number, description: string): InputRule<string> {
  if (maxBytes % 3 !== 0) throw new Error('utf8NameOfAtMost: maxBytes must be a multiple of 3');
  const anchored = '^[^\\x00-\\x1f\\x7f]+$';
  const regex = new RegExp(anchored);
  return {
    requirement: `${description}, at most ${maxBytes} bytes of UTF-8 without control characters`,
    accepts: (value) => regex.test(value) && Buffer.byteLength(value, 'utf8') <= maxBytes,
    terraformCondition: (e) =>
      `can(regex(${terraformString(anchored)}, ${e})) && try(length(base64encode(${e})) <= ${(maxBytes / 3) * 4}, false)`,
  };
}

/** `pattern` is anchored here; write it without ^ and $. */
export function matches(pattern: string, maxLength: number, description: string): InputRule<string> {
  const anchored = `^${pattern}$`;
  const regex = new RegExp(anchored);
  return {
    requirement: `${description}, at most ${maxLength} characters`,
    accepts: (value) => regex.test(value) && value.length <= maxLength,
    terraformCondition: (e) =>
      `can(regex(${terraformString(anchored)}, ${e})) && try(length(${e}) <= ${maxLength}, false)`,
  };
}

/**
 * Patterns and lengths from the Amazon AppFlow API reference, one per field they guard: RegisterConnector
 * `connectorLabel` and CreateFlow `flowName` (`[a-zA-Z0-9][\w!@#.-]+`, 256), RegisterConnector `description`
 * (`[\s\w/!@#+=,.-]*`, 2048), CreateFlow `description` (`[\w!@#\-.?,\s]*`, 2048), CreateConnectorProfile
 * `connectorProfileName` (`[\w/!@#+=.-]+`, 256), CustomConnectorSourceProperties `entityName` (`\S+`, 1024).
 */
const APPFLOW_NAME = '[a-zA-Z0-9][\\w!@#.-]+';

export const RULES = {
  connectorLabel: matches(APPFLOW_NAME, 256, 'must start with a letter or digit followed by letters, digits, _!@#.-'),
  connectorDescription: matches('[\\s\\w/!@#+=,.-]*', 2048, 'may contain letters, digits, spaces and /!@#+=,.- only'),
  functionName: matches('[a-zA-Z0-9_-]+', 64, 'must contain letters, digits, hyphens and underscores only'),
  profileName: matches('[\\w/!@#+=.-]+', 256, 'must contain letters, digits and _/!@#+=.- only'),
  timeoutSeconds: integerBetween(LIMITS.timeoutSeconds.min, LIMITS.timeoutSeconds.max, 'seconds'),
  memorySize: integerBetween(LIMITS.memorySize.min, LIMITS.memorySize.max, 'MB'),
  logLevel: oneOf<string>(LOG_LEVELS),
  logRetentionDays: oneOf<number>(LOG_RETENTION_DAYS),
  reservedConcurrency: integerBetween(1, 1000000),
  host: matches('[^\\s/]+', 253, 'must be a host name or IP address without spaces'),
  engine: oneOfIgnoringCase(DATABASE_ENGINES),
  port: integerBetween(1, 65535),
  database: matches('[^\\s/\\\\.]+', 64, 'must be a database name without spaces, dots or slashes'),
  // PostgreSQL cuts names to 63 bytes (NAMEDATALEN - 1): a longer schema name never matches the server's.
  schema: utf8NameOfAtMost(63, 'must be a PostgreSQL schema name'),
  username: matches('\\S+', 80, 'must be a user name without spaces'),
  tlsMode: oneOf<string>(TLS_MODES),
  authenticationType: oneOf<string>(AUTHENTICATION_TYPES),
  databaseResourceId: matches(
    '(db|cluster|prx)-[A-Za-z0-9]+',
    64,
    'must be the resource id of the RDS instance (db-...), Aurora cluster (cluster-...) or RDS Proxy (prx-...), not its name',
  ),
  // IAM policy statements match a KMS key by its key ARN only: an alias ARN in Resource matches nothing, and the
  // Lambda could not decrypt the profile's secret.
  kmsKeyArn: matches(
    'arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[a-zA-Z0-9-]+',
    2048,
    'must be the ARN of the KMS key itself (arn:<partition>:kms:<region>:<account>:key/<key id>), not an alias ARN: IAM policies match keys by key ARN only',
  ),
  roleArn: matches('arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+', 2048, 'must be the ARN of an IAM role'),
  policyArn: matches(
    'arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]+',
    2048,
    'must be the ARN of an IAM policy',
  ),
  rolePath: matches('/([\\x21-\\x7e]*/)?', 512, 'must be an IAM path: / alone, or beginning and ending with /'),
  topicArn: matches('arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[\\w-]+', 2048, 'must be the ARN of an SNS topic'),
  subnetId: matches('subnet-[0-9a-f]+', 32, 'must be subnet ids (subnet-...)'),
  securityGroupId: matches('sg-[0-9a-f]+', 32, 'must be security group ids (sg-...)'),
  flowName: matches(APPFLOW_NAME, 256, 'must start with a letter or digit followed by letters, digits, _!@#.-'),
  entityName: matches('\\S+', 1024, 'must be a table or view name without spaces (AppFlow refuses them)'),
  flowDescription: matches('[\\w!@#.?,\\s-]*', 2048, 'may contain letters, digits, spaces and _!@#.?,- only'),
  bucketName: matches('[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', 63, 'must be an S3 bucket name'),
  bucketPrefix: matches('[^\\s]*', 512, 'must be a key prefix without spaces'),
  fileType: oneOf<string>(S3_FILE_TYPES),
  scheduleExpression: matches('(rate|cron)\\(.+\\)', 256, 'must be a schedule expression like rate(1hours)'),
  timestampField: matches('\\S+', 256, 'must be a column name'),
  errorDeactivationThreshold: integerBetween(1, 100, 'failed runs'),
} as const;

/** Engines without a schema setting, by their name in messages ("a MySQL database has no schemas inside it"). */
const NO_SCHEMA_LABELS = orList(NO_SCHEMA_ENGINES.map((engine) => ENGINES[engine].label));

/**
 * `schema` goes with the engines whose namespace is a schema (POSTGRESQL) only: a MySQL database has no schemas
 * inside it. Checked by the construct at synth time and, when either value is a Terraform expression, by a
 * precondition at plan time (a variable's own validation may refer to other variables only from Terraform 1.9 on,
 * and the module supports 1.4).
 */
export const SCHEMA_NEEDS_POSTGRESQL = {
  requirement: (schemaName: string, engineName: string) =>
    `${schemaName} is for ${engineName} ${orList(SCHEMA_ENGINES)} only (a ${NO_SCHEMA_LABELS} database has no schemas inside it)`,
  accepts: (engine: string, schema: string | undefined | null) =>
    schema === undefined || schema === null || (SCHEMA_ENGINES as readonly string[]).includes(engine.toUpperCase()),
  terraformCondition: (engine: string, schema: string) =>
    `${schema} == null || try(${SCHEMA_ENGINES.map((name) => `upper(${engine}) == "${name}"`).join(' || ')}, false)`,
} as const;

/**
 * A Terraform expression that picks a value by engine: `upper(ENGINE) == "POSTGRESQL" ? A : B`, one condition per
 * engine but the default, whose value comes last (an engine the expression does not name gets the default's).
 */
export function byEngineExpression(engine: string, valueFor: (engine: DatabaseEngine) => string): string {
  return DATABASE_ENGINES.filter((name) => name !== DEFAULTS.engine).reduceRight((otherwise, name) => {
    const rest = otherwise.includes(' ? ') ? `(${otherwise})` : otherwise;
    return `upper(${engine}) == "${name}" ? ${valueFor(name)} : ${rest}`;
  }, valueFor(DEFAULTS.engine));
}
