// Runs the ava suite with SUITE_SECRETS_DIR set, tees everything it prints into that directory, then scans all of
// it — ava's output, every connector log line and every response the tests captured — for the passwords, secret
// strings and tokens the suite registered (local/secretRegistry.ts). One hit fails the run.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLeaks } from './leak-scan.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The Lambda runs nodejs22.x; npm scripts put the project's own Node 22 (the `node` devDependency) first on PATH.
// A suite run on another major version proves nothing about the product, so it refuses to start.
const wantedMajor = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.node.split('.')[0];
if (process.versions.node.split('.')[0] !== wantedMajor) {
  console.error(
    `the tests run on Node ${wantedMajor} (the Lambda's runtime), not ${process.version}: run them with \`npm test\`, ` +
      'which puts node_modules/.bin/node first on PATH (after `npm ci`)',
  );
  process.exit(1);
}
const dir = join(root, '.tmp', 'suite-output');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const log = createWriteStream(join(dir, 'ava.log'));

const child = spawn(join(root, 'node_modules', '.bin', 'ava'), process.argv.slice(2), {
  cwd: root,
  env: { ...process.env, SUITE_SECRETS_DIR: dir },
  stdio: ['ignore', 'pipe', 'pipe'],
});
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  log.write(chunk);
});
const code = await new Promise((resolve) => child.on('close', resolve));
await new Promise((resolve) => log.end(resolve));

const { secrets, bytes, leaks } = findLeaks(dir);
if (leaks.length > 0) {
  for (const leak of leaks) console.error(`SECRET LEAK: registered secret #${leak.secret} appears in ${leak.file}`);
  process.exit(1);
}
console.log(`leak check: ${secrets} registered secrets, ${bytes} bytes of suite output scanned, none found`);
process.exit(typeof code === 'number' ? code : 1);
