/**
 * Writes the plain Terraform module (configuration, Lambda package, README) and compares a built module with the
 * committed one. Used by scripts/build-module.ts, scripts/check-module.ts and the tests.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODULE_LAMBDA_ZIP } from '../constants';
import { DEFAULT_BUNDLE_DIRECTORY } from '../lambda-code';
import { zipDirectory } from './deterministic-zip';
import { MODULE_PATH_IN_REPOSITORY, renderReadme } from './readme';
import { CONFIGURATION_FILES, formatJson, synthesizeModuleConfiguration } from './render';

/** Where the module is committed. */
export const MODULE_DIRECTORY = resolve(__dirname, '..', '..', MODULE_PATH_IN_REPOSITORY);

/** Every file the build writes; anything else in the module directory (tests/) is maintained by hand. */
export const GENERATED_FILES = [...CONFIGURATION_FILES, MODULE_LAMBDA_ZIP, 'README.md'] as const;

export interface BuildModuleOptions {
  /** Directory to write the module into (created if missing). */
  readonly outputDirectory: string;
  /** The Lambda bundle to package. Default: dist/lambda. */
  readonly bundleDirectory?: string;
}

export function buildModule(options: BuildModuleOptions): void {
  const bundleDirectory = options.bundleDirectory ?? DEFAULT_BUNDLE_DIRECTORY;
  if (!existsSync(join(bundleDirectory, 'index.js'))) {
    throw new Error(
      `The Lambda bundle ${join(bundleDirectory, 'index.js')} does not exist: run \`npm run build\` first`,
    );
  }
  const configuration = synthesizeModuleConfiguration();
  mkdirSync(options.outputDirectory, { recursive: true });
  for (const file of CONFIGURATION_FILES) {
    writeFileSync(join(options.outputDirectory, file), formatJson(configuration[file]));
  }
  writeFileSync(join(options.outputDirectory, MODULE_LAMBDA_ZIP), zipDirectory(bundleDirectory));
  writeFileSync(join(options.outputDirectory, 'README.md'), renderReadme(configuration));
}

/** Terraform would read these files too: a stale one left in the committed module is drift as well. */
function isConfigurationFile(name: string): boolean {
  return name.endsWith('.tf') || name.endsWith('.tf.json');
}

/** Differences between a freshly built module and the committed one, as sentences; empty when they match. */
export function findModuleDrift(builtDirectory: string, committedDirectory: string): string[] {
  const problems: string[] = [];
  for (const file of GENERATED_FILES) {
    const committed = join(committedDirectory, file);
    if (!existsSync(committed)) {
      problems.push(`${file} is missing`);
    } else if (!readFileSync(join(builtDirectory, file)).equals(readFileSync(committed))) {
      problems.push(`${file} differs from what the current code generates`);
    }
  }
  if (existsSync(committedDirectory)) {
    const generated = new Set<string>(GENERATED_FILES);
    for (const name of readdirSync(committedDirectory)) {
      if (isConfigurationFile(name) && !generated.has(name)) problems.push(`${name} is not generated: remove it`);
    }
  }
  return problems;
}
