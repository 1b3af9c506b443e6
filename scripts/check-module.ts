// Fails (exit 1) when the committed Terraform module differs from what the current construct and Lambda bundle
// generate. Run `npm run build` first. Usage: tsx scripts/check-module.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildModule, findModuleDrift, MODULE_DIRECTORY } from '../modules/terraform-module/build';

const builtDirectory = mkdtempSync(join(tmpdir(), 'appflow-module-check-'));
try {
  buildModule({ outputDirectory: builtDirectory });
  const drift = findModuleDrift(builtDirectory, MODULE_DIRECTORY);
  const where = relative(process.cwd(), MODULE_DIRECTORY) || '.';
  if (drift.length > 0) {
    console.error(`The Terraform module in ${where}/ is out of date:`);
    for (const problem of drift) console.error(`  - ${problem}`);
    console.error('Regenerate it with `npm run build && npm run build:module` and commit the result.');
    process.exitCode = 1;
  } else {
    console.log(`The Terraform module in ${where}/ matches the construct and the Lambda bundle.`);
  }
} finally {
  rmSync(builtDirectory, { recursive: true, force: true });
}
