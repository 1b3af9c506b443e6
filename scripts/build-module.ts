// Regenerates the plain Terraform module in terraform/appflow-mysql-connector/ from the construct in modules/ and
// the Lambda bundle in dist/lambda (run `npm run build` first). Usage: tsx scripts/build-module.ts
import { relative } from 'node:path';
import { buildModule, GENERATED_FILES, MODULE_DIRECTORY } from '../modules/terraform-module/build';

buildModule({ outputDirectory: MODULE_DIRECTORY });
const where = relative(process.cwd(), MODULE_DIRECTORY) || '.';
console.log(`Wrote ${GENERATED_FILES.join(', ')} to ${where}/`);
