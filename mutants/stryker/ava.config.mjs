// AVA configuration for Stryker's command runner only (mutants/stryker/*.json): one ava run per mutant, so every
// second of start-up counts. The pure modules' unit tests need no process of their own, so the test files run in
// worker threads (about half the time of package.json's child processes here), and the first failure ends the run:
// one failed assertion is all a mutant needs to be killed. Never used by npm test.
export default {
  extensions: { ts: 'commonjs' },
  nodeArguments: ['--import=tsx'],
  files: ['test/**/*.test.ts'],
  workerThreads: true,
  concurrency: 2,
  failFast: true,
  timeout: '30s',
};
