// The CDKTF app: one deployable stack with the AppFlow MySQL connector, configured from the environment variables
// listed in modules/connector-stack.ts (ENVIRONMENT_VARIABLES). Synthesizes offline, without AWS credentials:
//   npm run synth                                   # or: DB_HOST=... DB_NAME=... DB_USERNAME=... npm run synth
// then deploy from cdktf.out/stacks/<STACK_NAME> with terraform (it asks for db_password and for any database
// setting the environment left out), or with `cdktf deploy` when cdktf-cli is installed.
import { App } from 'cdktf';
import { ConnectorStack, configFromEnvironment, stackNameFromEnvironment } from './modules';

const app = new App({ outdir: 'cdktf.out' });
new ConnectorStack(app, stackNameFromEnvironment(process.env), configFromEnvironment(process.env));
app.synth();
