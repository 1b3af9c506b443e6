/** The --help text, generated from the flag table so that every flag is documented with an example. */
import { DATABASE_ENGINES, DEFAULT_ENGINE, ENGINES, orList } from '../handler/engines/registry';
import { DEFAULT_BATCH_SIZE } from './constants';
import { FLAG_GROUPS, FLAGS, type FlagSpec } from './flags';

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((item) => indent + item).join('\n');
}

export function helpText(): string {
  const otherDemos = DATABASE_ENGINES.filter((engine) => engine !== DEFAULT_ENGINE)
    .map((engine) => `--engine ${ENGINES[engine].name}: ${ENGINES[engine].local.product}`)
    .join(', ');
  const demoPackages = orList(DATABASE_ENGINES.map((engine) => ENGINES[engine].local.debianPackage));
  const demoUrls = orList(DATABASE_ENGINES.map((engine) => ENGINES[engine].local.urlExample));
  const sections: string[] = [
    `Usage: npm start -- [flags]          (or: npx tsx runner/cli.ts [flags])

Plays AppFlow's part against the connector: DescribeConnectorConfiguration, ValidateConnectorRuntimeSettings,
ValidateCredentials, ListEntities, DescribeEntity, QueryData page after page, and optionally WriteData. Every
response is checked against the protocol codecs; each violation is reported with the operation, the property and
what was expected. A summary table ends the run.

Targets:
  (no database flags)   the demo: a throwaway ${ENGINES[DEFAULT_ENGINE].local.product} (${otherDemos}) seeded with customers and
                        orders; reads orders changed since 2024-04-01 and writes them into orders_copy with UPSERT.
                        Needs that engine's server installed (as root on Debian it is installed for you:
                        ${demoPackages}), or DEMO_DATABASE_URL naming a server you have, e.g.
                        DEMO_DATABASE_URL=${demoUrls}
                        (the demo creates a database and users there and drops them at the end)
  --host ...            the local bundle (dist/lambda/index.js) in this process against your database; the login
                        is served to it from a local Secrets Manager endpoint
  --function ...        a deployed connector Lambda, invoked with your AWS credentials
  --profile NAME        the settings of either, kept in a profiles file (--save-profile makes one)

Examples:
  npm start
  npm start -- --engine postgresql --entity customers --describe
  npm start -- --host 127.0.0.1 --database shop --user reader --entity orders --out orders.jsonl
  DB_HOST=db.internal DB_NAME=shop DB_USERNAME=reader DB_PASSWORD=... npm start -- --entity orders \\
      --incremental-field updated_at --since 2024-03-01 --limit 500 --out orders.csv
  npm start -- --host 127.0.0.1 --database shop --user app --entity orders --write-to orders_copy \\
      --write-operation UPSERT --batch-size ${DEFAULT_BATCH_SIZE}
  npm start -- --host db.internal --database shop --user reader --save-profile shop
  DB_PASSWORD=... npm start -- --profile shop --entity orders --out orders.jsonl
  npm start -- --function appflow-mysql-connector --region eu-west-1 --secret-arn arn:aws:secretsmanager:... \\
      --host shop.cluster-xyz.eu-west-1.rds.amazonaws.com --database shop --entity orders`,
  ];
  for (const [group, title] of Object.entries(FLAG_GROUPS)) {
    const lines = [`${title}:`];
    for (const [name, spec] of Object.entries(FLAGS) as [string, FlagSpec][]) {
      if (spec.group !== group) continue;
      const short = spec.short ? `-${spec.short}, ` : '';
      lines.push(`  ${short}--${name}${spec.value ? ` ${spec.value}` : ''}${spec.env ? `   (env ${spec.env})` : ''}`);
      lines.push(wrap(spec.description, 100, '      '));
      lines.push(`      e.g. ${spec.example}`);
    }
    sections.push(lines.join('\n'));
  }
  sections.push(`Output:
  Progress and the step lines go to stderr (a live bar on a terminal, plain lines otherwise). The summary goes to
  stdout, or to stderr when the rows themselves go to stdout (--out -). A relative --out is relative to the
  directory you typed npm start in. The file is written as FILE.partial and takes its name when the run ends: a run
  that fails or is interrupted leaves a previous FILE as it was, and its rows in FILE.partial.

Profiles file (--profiles FILE, APPFLOW_RUNNER_PROFILES, default ~/.config/appflow-connector/runner-profiles.json):
  {"profiles": {"shop": {"engine": "mysql", "host": "db.internal", "port": 3306, "database": "shop",
                         "user": "reader", "tlsMode": "REQUIRED"}}}
  Keys: engine, host, port, database, schema, user, password, tlsMode, function, secretArn, region. A setting comes
  from the flag, else its DB_* variable, else the profile. A password is stored only with --save-password; the file
  is then readable by you only, and a password in a file others can read is warned about.`);
  sections.push(`Variables:
  DB_ENGINE DB_HOST DB_PORT DB_NAME DB_SCHEMA DB_USERNAME DB_TLS_MODE: the same names npm run synth reads; DB_USER
  is still read for DB_USERNAME. DB_PASSWORD: the password (never printed). DEMO_DATABASE_URL: the demo's server.

Exit status:
  0  the flow ran end to end and every response honoured the contract
  1  an operation failed (isSuccess false or a function error), a record failed to write, or the target could not
     be reached (database, bundle, Lambda function)
  2  the command line was wrong
  3  a response broke the protocol contract
  130  interrupted (Ctrl-C): a demo server is removed; rows written so far stay in FILE.partial`);
  return `${sections.join('\n\n')}\n`;
}
