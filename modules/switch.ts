/**
 * Optional parts of the infrastructure (VPC access, a KMS statement, a flow's schedule) are decided at synth time
 * when the construct gets plain values, and at plan time when it gets Terraform expressions (the plain module,
 * whose inputs are variables). A Switch carries either decision; the helpers below emit the static form or the
 * Terraform form (`count`, `dynamic` blocks, conditional expressions) from the same call.
 *
 * Trap: a hand-written `${...}` string is only rendered right as a whole attribute value. Nested inside an Fn.*
 * call or a `conditional`, CDKTF leaves the inner `${` in place and Terraform rejects the expression.
 */
import { type TerraformElement, Token } from 'cdktf';
import { terraformString } from './input-rules';

/** `true`/`false` when known at synth time; otherwise a Terraform boolean expression (no surrounding `${}`). */
export type Switch = boolean | { readonly expression: string };

export function planTimeSwitch(expression: string): Switch {
  return { expression };
}

/** The opposite decision. */
export function not(enabled: Switch): Switch {
  return typeof enabled === 'boolean' ? !enabled : { expression: `!(${enabled.expression})` };
}

/** The Terraform expression text of a token (a variable, an attribute, an iterator value), for use inside `${...}`. */
export function expressionOf(value: unknown): string {
  // Inside a `${...}` written by hand CDKTF renders a nested token as a bare reference (var.x, not ${var.x}).
  return Token.asString(Token.asAny(value));
}

/** A value as a Terraform expression: `null`, a string literal, or the expression of a token. */
export function terraformValue(value: string | undefined): string {
  if (value === undefined) return 'null';
  return Token.isUnresolved(value) ? expressionOf(value) : terraformString(value);
}

/** Whether `value` (or `fallback` when it is undefined) equals `literal`, decided when the value is known. */
export function equals(value: string | undefined, literal: string, fallback: string): Switch {
  if (value === undefined) return fallback === literal;
  if (Token.isUnresolved(value)) return planTimeSwitch(`${expressionOf(value)} == ${terraformString(literal)}`);
  return value === literal;
}

/**
 * Creates a resource when the switch is on: not at all when false, once when true, and with
 * `count = <expression> ? 1 : 0` when decided at plan time.
 */
export function createWhen<T>(enabled: Switch, create: (count: number | undefined) => T): T | undefined {
  if (enabled === false) return undefined;
  if (enabled === true) return create(undefined);
  return create(Token.asNumber(`\${${enabled.expression} ? 1 : 0}`));
}

/**
 * Adds a nested block when the switch is on: a static block, or a `dynamic` block with
 * `for_each = <expression> ? [1] : []`. `path` is the block's path in snake_case (e.g. `trigger_config.trigger_properties`)
 * and `content` its attributes in snake_case, as Terraform reads them.
 */
export function addBlockWhen(
  resource: TerraformElement,
  path: string,
  enabled: Switch,
  content: Record<string, unknown>,
): void {
  if (enabled === false) return;
  if (enabled === true) {
    resource.addOverride(path, content);
    return;
  }
  const lastDot = path.lastIndexOf('.');
  const parent = lastDot === -1 ? '' : `${path.slice(0, lastDot)}.`;
  const name = path.slice(lastDot + 1);
  resource.addOverride(`${parent}dynamic.${name}`, {
    for_each: `\${${enabled.expression} ? [1] : []}`,
    content,
  });
}

/** One of two literal strings, chosen at synth time or by a Terraform conditional expression. */
export function choose(enabled: Switch, whenOn: string, whenOff: string): string {
  if (enabled === true) return whenOn;
  if (enabled === false) return whenOff;
  return `\${${enabled.expression} ? ${terraformString(whenOn)} : ${terraformString(whenOff)}}`;
}
