// The plain module's engine inputs as a real deployment would see them, from offline plans with the real AWS
// provider (the loopback STS stand-in answers its one call): the profile's properties carry engine, port and schema,
// the port follows the engine, and a schema with MYSQL, an unknown engine or an impossible schema stop the plan.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { recordSuiteOutput, registerTestSecret } from '../../local/secretRegistry';
import { buildModule } from '../../modules/terraform-module/build';
import { offlineAwsEnvironment, type StsStandIn, startStsStandIn, TerraformCli } from '../support/terraform';
import { stubBundle } from './support';

const REGION = 'eu-west-1';
const PASSWORD = 'engine-plan-password-7d2a';

interface PlannedChange {
  address: string;
  change: { after: Record<string, unknown> };
}

let terraform: TerraformCli;
let sts: StsStandIn;
let moduleDirectory: string;
let profiles: Map<string, Record<string, string>>;

const moduleCall = (name: string, inputs: string) => `
module "${name}" {
  source = "../module"

  connector_label = "${name}"
  db_host         = "hr-db.example.internal"
  db_name         = "hr"
  db_username     = "appflow_reader"
  db_password     = var.db_password
${inputs}
}
`;

const root = (calls: string) => `
provider "aws" {
  region = "${REGION}"
}

variable "db_password" {
  type      = string
  sensitive = true
}
${calls}`;

function environment(): Record<string, string> {
  return { ...offlineAwsEnvironment(sts, REGION), TF_VAR_db_password: PASSWORD };
}

/** A root configuration next to the module built for this file (they source it as ../module). */
async function prepare(name: string, configuration: string): Promise<string> {
  const directory = join(terraform.workDirectory, 'plans', name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'main.tf'), configuration);
  await terraform.init(directory);
  return directory;
}

test.before(async () => {
  registerTestSecret(PASSWORD);
  terraform = TerraformCli.create();
  sts = await startStsStandIn();
  moduleDirectory = join(terraform.workDirectory, 'plans', 'module');
  buildModule({ outputDirectory: moduleDirectory, bundleDirectory: stubBundle() });
  const directory = await prepare(
    'valid',
    root(
      [
        moduleCall('MysqlDefault', ''),
        moduleCall('PostgresqlDefaults', '  db_engine = "postgresql"'),
        moduleCall(
          'PostgresqlSchema',
          `  db_engine = "POSTGRESQL"\n  db_schema = "${'é'.repeat(31)}x"\n  db_port   = 6432`,
        ),
        moduleCall('MysqlOwnPort', '  db_engine = "MySQL"\n  db_port   = 3307'),
      ].join(''),
    ),
  );
  const output = await terraform.mustRun(
    ['plan', '-input=false', '-lock=false', '-out=plan.bin'],
    directory,
    environment(),
  );
  recordSuiteOutput(output);
  const plan = JSON.parse(await terraform.mustRun(['show', '-json', 'plan.bin'], directory, environment())) as {
    resource_changes: PlannedChange[];
  };
  profiles = new Map(
    plan.resource_changes
      .filter((each) => each.address.endsWith('.aws_appflow_connector_profile.connector'))
      .map((each) => {
        const config = each.change.after.connector_profile_config as {
          connector_profile_properties: { custom_connector: { profile_properties: Record<string, string> }[] }[];
        }[];
        const moduleName = each.address.split('.')[1] as string;
        return [moduleName, config[0]!.connector_profile_properties[0]!.custom_connector[0]!.profile_properties];
      }),
  );
});

test.after.always(async () => {
  await sts?.close();
  terraform?.dispose();
});

test('a MYSQL profile carries engine MYSQL and port 3306, and no schema', (t) => {
  t.deepEqual(profiles.get('MysqlDefault'), {
    engine: 'MYSQL',
    host: 'hr-db.example.internal',
    port: '3306',
    database: 'hr',
    tlsMode: 'REQUIRED',
  });
  t.like(profiles.get('MysqlOwnPort'), { engine: 'MYSQL', port: '3307' });
});

test('a POSTGRESQL profile carries the engine in upper case, port 5432 by default and its schema exactly', (t) => {
  t.deepEqual(profiles.get('PostgresqlDefaults'), {
    engine: 'POSTGRESQL',
    host: 'hr-db.example.internal',
    port: '5432',
    database: 'hr',
    tlsMode: 'REQUIRED',
  });
  // 63 bytes of UTF-8 in 32 characters: the longest name PostgreSQL keeps whole.
  t.deepEqual(profiles.get('PostgresqlSchema'), {
    engine: 'POSTGRESQL',
    host: 'hr-db.example.internal',
    port: '6432',
    database: 'hr',
    schema: `${'é'.repeat(31)}x`,
    tlsMode: 'REQUIRED',
  });
});

async function failedPlan(name: string, inputs: string): Promise<string> {
  const directory = await prepare(name, root(moduleCall(name, inputs)));
  const result = await terraform.run(['plan', '-input=false', '-lock=false'], directory, environment());
  recordSuiteOutput(result.stdout + result.stderr);
  if (result.code === 0) throw new Error(`the plan of ${name} succeeded`);
  return result.stderr.replace(/\s+/g, ' ');
}

test('a schema with MYSQL is refused at plan time with the reason', async (t) => {
  const errors = await failedPlan('MysqlSchema', '  db_schema = "hr"');
  t.regex(errors, /The schema is for engine POSTGRESQL only \(a MySQL database has no schemas inside it\)/);
});

test('an unknown engine and a schema PostgreSQL would cut are refused by the variables', async (t) => {
  const errors = await failedPlan('Invalid', `  db_engine = "oracle"\n  db_schema = "${'é'.repeat(32)}"`);
  t.regex(errors, /db_engine must be one of MYSQL, POSTGRESQL \(in any case\)/);
  t.regex(errors, /db_schema must be a PostgreSQL schema name, at most 63 bytes of UTF-8/);
});
