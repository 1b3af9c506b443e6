// The CDKTF app: one deployable stack with the AppFlow connector, configured from the environment variables
// listed in modules/connector-stack.ts (ENVIRONMENT_VARIABLES). Synthesizes offline, without AWS credentials:
//   npm run synth                                   # or: DB_HOST=... DB_NAME=... DB_USERNAME=... npm run synth
// then deploy from cdktf.out/stacks/<STACK_NAME> with terraform (it asks for db_password and for any database
// setting the environment left out), or with `cdktf deploy` when cdktf-cli is installed.
import { App } from 'cdktf';
import {
  ConnectorStack,
  configFromEnvironment,
  stackNameFromEnvironment,
  synthProblems,
  synthSummary,
} from './modules/connector-stack';

const OUTDIR = 'cdktf.out';
const stackName = stackNameFromEnvironment(process.env);
try {
  const app = new App({ outdir: OUTDIR });
  new ConnectorStack(app, stackName, configFromEnvironment(process.env));
  app.synth();
  console.log(synthSummary(stackName, OUTDIR));
} catch (error) {
  const problems = synthProblems(error);
  if (problems === undefined) throw error;
  // A configuration mistake: name the variables to fix, without a stack trace.
  console.error(`Cannot synthesize the connector stack "${stackName}":`);
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error(
    'Fix these environment variables (all are listed in modules/connector-stack.ts) and run `npm run synth` again.',
  );
  process.exitCode = 1;
}
