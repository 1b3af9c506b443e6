/**
 * Factories for the construct tests: a stub Lambda bundle (so the tests do not depend on `npm run build`), props
 * with every required value, and readers for the synthesized JSON.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformVariable, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { AppflowMysqlConnector, type AppflowMysqlConnectorProps } from '../../modules/appflow-mysql-connector';
import { LambdaCode } from '../../modules/lambda-code';

let stubBundleDirectory: string | undefined;

/** A directory shaped like dist/lambda: index.js exporting handler. */
export function stubBundle(): string {
  if (stubBundleDirectory === undefined) {
    stubBundleDirectory = join(mkdtempSync(join(tmpdir(), 'appflow-bundle-')), 'lambda');
    mkdirSync(stubBundleDirectory);
    writeFileSync(join(stubBundleDirectory, 'index.js'), 'exports.handler = async () => ({ isSuccess: true });\n');
  }
  return stubBundleDirectory;
}

/** Required props, the password as a sensitive variable in `scope`. */
export function requiredProps(scope: Construct): AppflowMysqlConnectorProps {
  const password = new TerraformVariable(scope, 'db_password', { type: 'string', sensitive: true });
  return {
    connectorLabel: 'HrMysql',
    host: 'hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com',
    database: 'hr',
    username: 'appflow_reader',
    password: password.stringValue,
    code: LambdaCode.fromBundleDirectory(stubBundle()),
  };
}

export type Synthesized = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  variable: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
};

/** Synthesizes one connector; `props` may build on the required props and create variables in the scope. */
export function synthConnector(
  props: (scope: Construct, required: AppflowMysqlConnectorProps) => AppflowMysqlConnectorProps = (_, required) =>
    required,
): { text: string; json: Synthesized } {
  const text = Testing.synthScope((scope) => {
    new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
    new AppflowMysqlConnector(scope, 'connector', props(scope, requiredProps(scope)));
  });
  return { text, json: JSON.parse(text) as Synthesized };
}

/** The bodies of every resource of `type`, by logical id. */
export function resources(json: Synthesized, type: string): Record<string, Record<string, unknown>> {
  return json.resource[type] ?? {};
}

/** The only resource of `type`, with its Terraform address; fails when there are none or several. */
export function onlyResource(json: Synthesized, type: string): { address: string; body: Record<string, unknown> } {
  const entries = Object.entries(resources(json, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  const [name, body] = entries[0] as [string, Record<string, unknown>];
  return { address: `${type}.${name}`, body };
}

/** The only data source of `type`, with its address (`data.<type>.<name>`). */
export function onlyDataSource(json: Synthesized, type: string): { address: string; body: Record<string, unknown> } {
  const entries = Object.entries(json.data[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected one data.${type}, found ${entries.length}`);
  const [name, body] = entries[0] as [string, Record<string, unknown>];
  return { address: `data.${type}.${name}`, body };
}

/** The connector role's policy document (the construct also renders a deployer policy document). */
export function connectorPolicyDocument(json: Synthesized): { address: string; body: Record<string, unknown> } {
  const entries = Object.entries(json.data.aws_iam_policy_document ?? {}).filter(([name]) =>
    name.includes('connector_policy'),
  );
  if (entries.length !== 1) throw new Error(`expected one connector policy document, found ${entries.length}`);
  const [name, body] = entries[0] as [string, Record<string, unknown>];
  return { address: `data.aws_iam_policy_document.${name}`, body };
}

/** The error message the constructor throws for these props, or undefined when it does not throw. */
export function synthError(
  props: (scope: Construct, required: AppflowMysqlConnectorProps) => AppflowMysqlConnectorProps,
): string | undefined {
  try {
    synthConnector(props);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
