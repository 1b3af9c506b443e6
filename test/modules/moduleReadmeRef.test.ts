/**
 * The generated module README tells callers how to pin the module's Git source the way docs/deploy.md does: to a
 * release tag once one exists, otherwise to a commit. It must not show a tag (`?ref=vX.Y.Z`) as if one existed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { buildModule } from '../../modules/terraform-module/build';
import { stubBundle } from './support';

test('the module README pins `ref` to a tag or a commit, links the version policy, and names no made-up tag', (t) => {
  const output = mkdtempSync(join(tmpdir(), 'module-readme-'));
  try {
    buildModule({ outputDirectory: output, bundleDirectory: stubBundle() });
    const readme = readFileSync(join(output, 'README.md'), 'utf8');
    t.notRegex(readme, /\?ref=v[X\d]/);
    t.regex(readme, /\/\/terraform\/appflow-mysql-connector\?ref=<tag or commit>"/);
    t.regex(readme, /no release\s+has been tagged yet: see \[Versions\]\(\.\.\/\.\.\/CONTRIBUTING\.md#versions\)/);
    // The link resolves from the module's directory.
    t.true(
      existsSync(resolve(__dirname, '..', '..', 'terraform', 'appflow-mysql-connector', '..', '..', 'CONTRIBUTING.md')),
    );
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
});
