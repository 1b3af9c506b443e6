import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
// @ts-expect-error: a plain ES module script without types
import { findLeaks } from '../../scripts/leak-scan.mjs';

test('the suite leak scan finds a registered secret, raw or JSON-escaped, and nothing else', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'leak-scan-'));
  writeFileSync(
    join(dir, 'secrets-1.jsonl'),
    `${JSON.stringify('p&ss#w\'rd"abc')}\n${JSON.stringify('unused-secret')}\n`,
  );
  writeFileSync(join(dir, 'output-1.log'), '{"errorMessage":"fine"}\n');
  t.deepEqual(findLeaks(dir).leaks, []);
  writeFileSync(join(dir, 'output-2.log'), '{"errorMessage":"password p&ss#w\'rd\\"abc was wrong"}\n');
  writeFileSync(join(dir, 'ava.log'), 'plain p&ss#w\'rd"abc\n');
  const { leaks, secrets } = findLeaks(dir);
  t.is(secrets, 2);
  t.deepEqual(leaks.map((leak: { file: string }) => leak.file).sort(), ['ava.log', 'output-2.log']);
});
