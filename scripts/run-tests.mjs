// Runs the ava suite with SUITE_SECRETS_DIR set, tees everything it prints into that directory, then scans all of
// it — ava's output, every connector log line and every response the tests captured — for the passwords, secret
// strings and tokens the suite registered (local/secretRegistry.ts). One hit fails the run.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLeaks } from './leak-scan.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.tmp', 'suite-output');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const log = createWriteStream(join(dir, 'ava.log'));

const child = spawn(join(root, 'node_modules', '.bin', 'ava'), process.argv.slice(2), {
  cwd: root,
  // The AWS SDK warns on Node 20 about 2027; the Lambda runs Node 22. The warning only clutters the test output.
  env: { ...process.env, SUITE_SECRETS_DIR: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
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
