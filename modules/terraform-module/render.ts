/**
 * Turns the synthesized ConnectorModuleStack into the files of a plain Terraform module (JSON syntax, which
 * Terraform reads like HCL): no provider block, no backend, a provider version range, readable addresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { type AddressRename, ConnectorModuleStack } from './module-stack';

/**
 * The provider versions the module accepts: only the one its plans are tested against (hashicorp/aws 5.100.0, the
 * last 5.x release; ~> admits its patch releases). 6.x renames and removes attributes and has never been planned.
 */
export const AWS_PROVIDER_CONSTRAINT = '~> 5.100.0';
/**
 * terraform_data (the generated paging token key) needs Terraform 1.4. The module is tested with Terraform 1.11.4;
 * its own tests/ (mock_provider) need 1.7 or later.
 */
export const TERRAFORM_CONSTRAINT = '>= 1.4.0';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ModuleJson = { [block: string]: Json };

/** The module's configuration files: name -> JSON object, split by concern like hand-written modules are. */
export interface ModuleConfiguration {
  readonly 'versions.tf.json': ModuleJson;
  readonly 'variables.tf.json': ModuleJson;
  readonly 'main.tf.json': ModuleJson;
  readonly 'outputs.tf.json': ModuleJson;
}

export const CONFIGURATION_FILES = [
  'versions.tf.json',
  'variables.tf.json',
  'main.tf.json',
  'outputs.tf.json',
] as const;

export function synthesizeModuleConfiguration(): ModuleConfiguration {
  // The app never writes (Testing.synth returns the JSON), but CDKTF wants an output directory.
  const outdir = mkdtempSync(join(tmpdir(), 'appflow-module-synth-'));
  let synthesized: ModuleJson;
  let renames: AddressRename[];
  try {
    const stack = new ConnectorModuleStack(new App({ outdir }), 'appflow-mysql-connector');
    // Testing.synth: the stack's JSON, validations run, without writing a cdktf.out tree.
    synthesized = JSON.parse(Testing.synth(stack, true)) as ModuleJson;
    renames = stack.addressRenames();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const json = renameAddresses(synthesized, renames);

  const { terraform, variable, output, provider: _provider, ...configuration } = json;
  const { backend: _backend, ...terraformSettings } = (terraform ?? {}) as { [key: string]: Json };
  return {
    'versions.tf.json': {
      terraform: {
        ...terraformSettings,
        required_version: TERRAFORM_CONSTRAINT,
        required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT } },
      },
    },
    'variables.tf.json': { variable: variable ?? {} },
    'main.tf.json': configuration,
    'outputs.tf.json': { output: output ?? {} },
  };
}

/** Stable text: keys sorted by code point (Testing.synth sorts with the locale), two-space indent, final newline. */
export function formatJson(value: Json): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key] as Json);
  return sorted;
}

function renameAddresses(json: ModuleJson, renames: readonly AddressRename[]): ModuleJson {
  const rename = (text: string) => renames.reduce((renamed, { from, to }) => renamed.split(from).join(to), text);
  const renamedText = rename(JSON.stringify(json));
  // The resource keys themselves ("aws_lambda_function": {"connector_function_FC95306A": ...}) are renamed by
  // the same replacement once written as "<type>.<name>"; do them explicitly.
  const renamed = JSON.parse(renamedText) as ModuleJson;
  for (const section of ['resource', 'data'] as const) {
    const byType = renamed[section] as { [type: string]: { [name: string]: Json } } | undefined;
    if (byType === undefined) continue;
    for (const [type, byName] of Object.entries(byType)) {
      byType[type] = Object.fromEntries(
        Object.entries(byName).map(([name, body]) => [rename(`${type}.${name}`).slice(type.length + 1), body]),
      );
    }
  }
  return renamed;
}
