import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { LAMBDA_RUNTIME } from '../../modules/constants';

// The suite must run on the Node.js major version the deployed Lambda runs, or a green run proves nothing about it.
test('the suite runs on the Lambda runtime’s Node.js major version, the one package.json installs', (t) => {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const installedMajor = String(packageJson.devDependencies.node).split('.')[0];
  const runningMajor = process.versions.node.split('.')[0];
  t.is(LAMBDA_RUNTIME, `nodejs${installedMajor}.x`);
  t.is(runningMajor, installedMajor);
});
