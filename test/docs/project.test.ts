/**
 * The project's face: the licence package.json names is the one shipped, the changelog's newest version is
 * package.json's, the version policy it points to exists, and the diagram the docs show is committed beside its
 * source (rendering it needs Graphviz, which the tests do not: scripts/render-diagram.sh).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { describeConnectorConfigurationEvent } from '../support/events';
import { invoke, loadHandler } from '../support/lambda';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { version: string; license: string };

test('LICENSE is the full Apache License 2.0 that package.json names', (t) => {
  t.is(packageJson.license, 'Apache-2.0');
  const license = read('LICENSE');
  t.regex(license, /Apache License\s+Version 2\.0, January 2004/);
  t.regex(license, /END OF TERMS AND CONDITIONS/);
  t.true(license.length > 10_000);
});

test('the changelog’s newest version is package.json’s, and its version policy exists', (t) => {
  const changelog = read('CHANGELOG.md');
  const versions = [...changelog.matchAll(/^## (\d+\.\d+\.\d+)\b/gm)].map((match) => match[1]);
  t.is(versions[0], packageJson.version);
  t.regex(changelog, /\(CONTRIBUTING\.md#versions\)/);
  t.regex(read('CONTRIBUTING.md'), /^## Versions$/m);
});

test('the diagram of the deployed parts is committed with its source and the script that renders it', (t) => {
  for (const path of ['docs/diagram/deployed.dot', 'docs/diagram/deployed.svg', 'scripts/render-diagram.sh']) {
    t.true(existsSync(join(ROOT, path)), path);
  }
  const svg = read('docs/diagram/deployed.svg');
  t.regex(svg, /^<\?xml[\s\S]*<svg /);
  // Every box of the source is in the rendering: a stale SVG is caught here.
  const source = read('docs/diagram/deployed.dot');
  const labels = [...source.matchAll(/^\s+\w+\s+\[label="([^\\"]+)/gm)].map((match) => match[1]!);
  t.true(labels.length >= 8);
  const text = svg
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&(lt|gt|amp|quot);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"' })[name]!);
  for (const label of labels) t.true(text.includes(label), label);
  t.regex(read('docs/in-aws.md'), /\]\(diagram\/deployed\.svg\)/);
});

test('the bundle reports package.json’s version in DescribeConnectorConfiguration', async (t) => {
  const bundle = loadHandler();
  const response = (await invoke(bundle, describeConnectorConfigurationEvent())) as { connectorVersion?: string };
  t.is(response.connectorVersion, packageJson.version);
});
