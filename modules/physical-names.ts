/**
 * Physical names derived from user input (labels, flow names) and generated strings that AWS limits in length.
 *
 * A name that had to change to fit the target's character set or length gets a suffix: "-" and the first 8 hex
 * digits of the SHA-256 of the original value. So labels `hr.mysql` and `hr-mysql`, or flows `a.b` and `a_b`, no
 * longer share a function, role, log group or stack (they did when characters were only replaced), while a value
 * that fits unchanged keeps the exact name it always had (existing deployments keep their resources).
 *
 * Each helper works on a plain string at synth time and emits the same computation as a Terraform expression when
 * the value is only known at plan time (the plain module): Terraform's sha256() and Node's give the same hex.
 */
import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { terraformString } from './input-rules';
import { expressionOf } from './switch';

/** Hex digits of the SHA-256 kept in a changed name: 32 bits, enough to tell apart the names of one account. */
export const NAME_HASH_LENGTH = 8;

/** A name rule: a format with one %s, the characters the target rejects (a character class), the longest name. */
export interface NameRule {
  readonly format: string;
  readonly disallowed: string;
  readonly maxLength: number;
}

/** Lambda function names: letters, digits, - and _, at most 64 (Lambda CreateFunction FunctionName). */
export const FUNCTION_NAME_RULE: NameRule = { format: 'appflow-%s', disallowed: '[^a-zA-Z0-9_-]', maxLength: 64 };
/** CloudFormation stack names: letters, digits and -, at most 128 (CreateStack StackName). */
export const CONNECTOR_STACK_NAME_RULE: NameRule = {
  format: 'appflow-connector-%s',
  disallowed: '[^a-zA-Z0-9-]',
  maxLength: 128,
};
export const FLOW_STACK_NAME_RULE: NameRule = {
  format: 'appflow-flow-%s',
  disallowed: '[^a-zA-Z0-9-]',
  maxLength: 128,
};
/** AppFlow connector profile names: `[\w/!@#+=.-]+`, at most 256; labels have no character the profile rejects. */
export const PROFILE_NAME_RULE: NameRule = { format: '%s-profile', disallowed: '[^\\w/!@#+=.-]', maxLength: 256 };

function shortHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, NAME_HASH_LENGTH);
}

/**
 * The physical name for `value` under `rule`: the formatted value when it fits as it is, else the formatted value
 * with disallowed characters replaced by "-", cut to leave room for "-<hash of value>", and that suffix.
 */
export function physicalName(rule: NameRule, value: string): string {
  const cut = rule.maxLength - NAME_HASH_LENGTH - 1;
  if (!Token.isUnresolved(value)) {
    const formatted = rule.format.replace('%s', value);
    const cleaned = formatted.replace(new RegExp(rule.disallowed, 'g'), '-');
    if (cleaned === formatted && formatted.length <= rule.maxLength) return formatted;
    return `${cleaned.slice(0, cut)}-${shortHash(value)}`;
  }
  return `\${${physicalNameExpression(rule, expressionOf(value))}}`;
}

/** physicalName's computation as a Terraform expression over the expression `raw` (no surrounding `${}`). */
export function physicalNameExpression(rule: NameRule, raw: string): string {
  const cut = rule.maxLength - NAME_HASH_LENGTH - 1;
  const formatted = `format(${terraformString(rule.format)}, ${raw})`;
  const cleaned = `replace(${formatted}, ${terraformString(`/${rule.disallowed}/`)}, "-")`;
  return (
    `${cleaned} == ${formatted} && length(${formatted}) <= ${rule.maxLength} ? ${formatted} : ` +
    `format("%s-%s", substr(${cleaned}, 0, ${cut}), substr(sha256(${raw}), 0, ${NAME_HASH_LENGTH}))`
  );
}

/**
 * `prefix` followed by `value`, cut to `maxLength` characters in all: for descriptions, whose characters are free
 * but whose length AWS limits (a Lambda description is at most 256 characters).
 */
export function boundedText(prefix: string, value: string, maxLength: number): string {
  if (prefix.length >= maxLength) throw new Error(`boundedText: "${prefix}" leaves no room in ${maxLength}`);
  if (!Token.isUnresolved(value)) return `${prefix}${value}`.slice(0, maxLength);
  return `\${substr(format("%s%s", ${terraformString(prefix)}, ${expressionOf(value)}), 0, ${maxLength})}`;
}
