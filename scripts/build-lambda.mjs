// Bundles the Lambda runtime into one CommonJS file: dist/lambda/index.js exporting `handler`.
// That path and export are a public contract (the construct, the Terraform module and the runner load it).
// @aws-sdk/* is bundled too: the copy in the Lambda runtime is not version-pinned.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'lambda');
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: [join(root, 'handler', 'index.ts')],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // pg loads its optional native binding (pg-native, a libpq addon) only when `pg.native` is used, which this
  // connector never does: left out of the bundle rather than resolved.
  external: ['pg-native'],
});
