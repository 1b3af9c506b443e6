// The plain Terraform module: generated from the construct without drift, documented from itself, applied against
// a mocked provider by its own `terraform test`, and used by the examples (which must init and validate).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { recordSuiteOutput, registerTestSecret } from '../../local/secretRegistry';
import { MODULE_LAMBDA_ZIP } from '../../modules/constants';
import { DEFAULT_BUNDLE_DIRECTORY } from '../../modules/lambda-code';
import { buildModule, findModuleDrift, GENERATED_FILES, MODULE_DIRECTORY } from '../../modules/terraform-module/build';
import { zipDirectory } from '../../modules/terraform-module/deterministic-zip';
import { TerraformCli } from '../support/terraform';
import { stubBundle } from './support';

const REPOSITORY = resolve(__dirname, '..', '..');
/** The passwords the .tftest.hcl files give: registered, so the suite's leak check looks for them in Terraform's output. */
const TERRAFORM_TEST_PASSWORDS = ['not-a-real-password', 'not-a-real-password-either'];
const EXAMPLES = ['minimal', 'complete', 'multiple-connectors', 'postgresql'] as const;

let terraform: TerraformCli;
let builtModule: string;

test.before(() => {
  for (const password of TERRAFORM_TEST_PASSWORDS) registerTestSecret(password);
  terraform = TerraformCli.create();
  builtModule = join(terraform.workDirectory, 'built-module');
  buildModule({ outputDirectory: builtModule });
});

test.after.always(() => terraform?.dispose());

test('the committed module is what the current construct and Lambda bundle generate', (t) => {
  t.deepEqual(
    findModuleDrift(builtModule, MODULE_DIRECTORY),
    [],
    'terraform/appflow-mysql-connector is stale: run `npm run build && npm run build:module`',
  );
});

test('drift is reported file by file: changed, missing and stray configuration', (t) => {
  const committed = mkdtempSync(join(tmpdir(), 'appflow-module-drift-'));
  try {
    cpSync(builtModule, committed, { recursive: true });
    writeFileSync(join(committed, 'variables.tf.json'), '{}\n');
    rmSync(join(committed, 'README.md'));
    writeFileSync(join(committed, 'extra.tf'), '# left behind\n');

    t.deepEqual(findModuleDrift(builtModule, committed).sort(), [
      'README.md is missing',
      'extra.tf is not generated: remove it',
      'variables.tf.json differs from what the current code generates',
    ]);
  } finally {
    rmSync(committed, { recursive: true, force: true });
  }
});

test('the module has no provider block and no backend, and ranges the provider version', (t) => {
  const main = JSON.parse(readFileSync(join(builtModule, 'main.tf.json'), 'utf8'));
  const versions = JSON.parse(readFileSync(join(builtModule, 'versions.tf.json'), 'utf8'));
  t.is(main.provider, undefined);
  t.is(main.terraform, undefined);
  t.deepEqual(versions.terraform, {
    required_providers: { aws: { source: 'hashicorp/aws', version: '~> 5.100.0' } },
    required_version: '>= 1.4.0',
  });
  t.is(
    main.resource.aws_lambda_function.connector.filename,
    `\${path.module}/${MODULE_LAMBDA_ZIP}`,
    'the package is read from the module directory',
  );
});

test('the Lambda package is byte-for-byte reproducible and holds the bundle', (t) => {
  const first = zipDirectory(stubBundle());
  const second = zipDirectory(stubBundle());
  t.true(first.equals(second));
  // Local file header: signature, stored (method 0), time 00:00, date 1980-01-01, then the name and the bytes.
  t.is(first.readUInt32LE(0), 0x04034b50);
  t.is(first.readUInt16LE(8), 0);
  t.is(first.readUInt16LE(10), 0);
  t.is(first.readUInt16LE(12), 0x21);
  const nameLength = first.readUInt16LE(26);
  t.is(first.subarray(30, 30 + nameLength).toString(), 'index.js');
  const content = readFileSync(join(stubBundle(), 'index.js'));
  t.true(first.subarray(30 + nameLength, 30 + nameLength + content.length).equals(content));

  const modulePackage = readFileSync(join(builtModule, MODULE_LAMBDA_ZIP));
  t.true(modulePackage.includes(readFileSync(join(DEFAULT_BUNDLE_DIRECTORY, 'index.js'))));
});

test('the Lambda package holds the lazy files the bundle loads on first use (drivers, AWS SDK, certificates)', (t) => {
  const lazyDirectory = join(DEFAULT_BUNDLE_DIRECTORY, 'lazy');
  const lazyFiles = readdirSync(lazyDirectory);
  t.true(lazyFiles.includes('mysql2.mjs') && lazyFiles.includes('pg.mjs'), lazyFiles.join(', '));
  const modulePackage = readFileSync(join(builtModule, MODULE_LAMBDA_ZIP));
  for (const name of lazyFiles) {
    // Stored, not deflated: the name and the bytes appear as they are.
    t.true(modulePackage.includes(Buffer.from(`lazy/${name}`)), `lazy/${name} is in the package`);
    t.true(modulePackage.includes(readFileSync(join(lazyDirectory, name))), `lazy/${name} is whole`);
  }
});

test('the README documents every input and output of the module between the terraform-docs markers', (t) => {
  const readme = readFileSync(join(builtModule, 'README.md'), 'utf8');
  const docs = readme.slice(readme.indexOf('<!-- BEGIN_TF_DOCS -->'), readme.indexOf('<!-- END_TF_DOCS -->'));
  const variables = JSON.parse(readFileSync(join(builtModule, 'variables.tf.json'), 'utf8')).variable;
  const outputs = JSON.parse(readFileSync(join(builtModule, 'outputs.tf.json'), 'utf8')).output;
  const [inputsTable = '', outputsTable = ''] = docs.split('## Inputs')[1]?.split('## Outputs') ?? [];
  const documented = (table: string) => [...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]).sort();

  t.true(docs.length > 0);
  t.deepEqual(documented(inputsTable), Object.keys(variables).sort());
  t.deepEqual(documented(outputsTable), Object.keys(outputs).sort());
  t.regex(inputsTable, /^\| `db_password` \| .*\(sensitive\) \| `string` \| `null` \| no \|$/m);
  t.regex(inputsTable, /^\| `db_host` \| .* \| `string` \| n\/a \| yes \|$/m);
  t.regex(inputsTable, /^\| `timeout_seconds` \| .* \| `number` \| `30` \| no \|$/m);
  t.regex(readme, /\/\/terraform\/appflow-mysql-connector\?ref=/);
  t.deepEqual([...GENERATED_FILES].sort(), [
    'README.md',
    'lambda.zip',
    'main.tf.json',
    'outputs.tf.json',
    'variables.tf.json',
    'versions.tf.json',
  ]);
});

test('the module passes its own terraform test against a mocked AWS provider', async (t) => {
  const copy = join(terraform.workDirectory, 'module-under-test');
  cpSync(MODULE_DIRECTORY, copy, { recursive: true, filter: (source) => !source.includes('.terraform') });
  await terraform.init(copy);
  const result = await terraform.run(['test'], copy);
  recordSuiteOutput(result.stdout + result.stderr);
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /Success! [1-9]\d* passed, 0 failed\./);
});

const preparedExamples = new Map<string, Promise<string>>();
let firstInitializedExample: Promise<string> | undefined;

/**
 * Copies an example next to a link to the module tree (it sources the module by relative path) and initializes it.
 * Every example calls the module under the same name and path and needs the same provider, so one `terraform init`
 * serves them all: the others get a copy of its .terraform directory and lock file.
 */
function preparedExample(example: string): Promise<string> {
  let prepared = preparedExamples.get(example);
  if (prepared === undefined) {
    const root = join(terraform.workDirectory, `example-${example}`);
    const directory = join(root, 'examples', example);
    mkdirSync(join(root, 'examples'), { recursive: true });
    cpSync(join(REPOSITORY, 'examples', example), directory, {
      recursive: true,
      filter: (source) => !source.includes('.terraform'),
    });
    symlinkSync(join(REPOSITORY, 'terraform'), join(root, 'terraform'));
    if (firstInitializedExample === undefined) {
      prepared = terraform.init(directory).then(() => directory);
      firstInitializedExample = prepared;
    } else {
      prepared = firstInitializedExample.then((initialized) => {
        cpSync(join(initialized, '.terraform'), join(directory, '.terraform'), {
          recursive: true,
          verbatimSymlinks: true,
        });
        cpSync(join(initialized, '.terraform.lock.hcl'), join(directory, '.terraform.lock.hcl'));
        return directory;
      });
    }
    preparedExamples.set(example, prepared);
  }
  return prepared;
}

for (const example of EXAMPLES) {
  test(`examples/${example} initializes and validates with the module`, async (t) => {
    const result = await terraform.run(['validate'], await preparedExample(example));
    t.is(result.code, 0, result.stdout + result.stderr);
  });
}

test('examples/multiple-connectors plans two connectors with for_each against a mocked provider', async (t) => {
  const result = await terraform.run(['test'], await preparedExample('multiple-connectors'));
  recordSuiteOutput(result.stdout + result.stderr);
  t.is(result.code, 0, result.stdout + result.stderr);
  // one_connector_per_database, refuses_labels_that_prefix_each_other
  t.regex(result.stdout, /Success! 2 passed, 0 failed\./);
});

test('the examples and the module tests are formatted', async (t) => {
  const result = await terraform.run(
    ['fmt', '-check', '-recursive', '-list=true', join(REPOSITORY, 'examples'), join(MODULE_DIRECTORY, 'tests')],
    REPOSITORY,
  );
  t.is(result.code, 0, `not formatted:\n${result.stdout}${result.stderr}`);
});
