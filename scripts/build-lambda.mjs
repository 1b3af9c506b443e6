// Bundles the Lambda runtime: dist/lambda/index.js (CommonJS) exporting `handler`, plus the lazy files
// dist/lambda/lazy/*.mjs it loads on first use. The whole dist/lambda directory is the Lambda package.
// That path and export are a public contract (the construct, the Terraform module and the runner load it).
// @aws-sdk/* is bundled too: the copy in the Lambda runtime is not version-pinned.
//
// Cold start: each driver (mysql2, pg), each AWS SDK client and the RDS certificate bundle is an entry of its own
// (handler/lazy/*.ts), built as ES modules with their shared code split into chunks, so `require` of index.js
// neither loads nor parses them; the handler reaches them with `import()` when a call first needs one
// (handler/lazyModules.ts, handler/engines/*/driver.ts).

import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'lambda');
const lazySource = join(root, 'handler', 'lazy');
// A fresh directory: chunks are named by their hash, and an old one left behind would be packaged too.
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // pg loads its optional native binding (pg-native, a libpq addon) only when `pg.native` is used, which this
  // connector never does: left out of the bundle rather than resolved.
  external: ['pg-native'],
};

/** Imports of handler/lazy/<name> stay imports of ./lazy/<name>.mjs, beside index.js. */
const lazyFiles = {
  name: 'lazy-files',
  setup(esbuild) {
    esbuild.onResolve({ filter: /(^|\/)lazy\/\w+$/ }, (args) => {
      const resolved = join(args.resolveDir, args.path);
      if (dirname(resolved) !== lazySource) return undefined;
      if (args.kind !== 'dynamic-import') {
        throw new Error(`${args.importer} imports ${args.path} statically: lazy files are loaded with import() only`);
      }
      return { path: `./lazy/${resolved.slice(lazySource.length + 1)}.mjs`, external: true };
    });
  },
};

await build({
  ...common,
  entryPoints: [join(root, 'handler', 'index.ts')],
  outfile: join(outdir, 'index.js'),
  format: 'cjs',
  plugins: [lazyFiles],
});

await build({
  ...common,
  entryPoints: readdirSync(lazySource)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(lazySource, name)),
  outdir: join(outdir, 'lazy'),
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  // The bundled CommonJS packages call require() for Node's own modules; an ES module has none of its own.
  banner: {
    js: "import{createRequire as __lazyRequire}from'node:module';const require=__lazyRequire(import.meta.url);",
  },
});
