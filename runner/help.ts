/** The --help text, generated from the flag table so that every flag is documented with an example. */
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
  const sections: string[] = [
    `Usage: npm start -- [flags]          (or: npx tsx runner/cli.ts [flags])

Plays AppFlow's part against the connector: DescribeConnectorConfiguration, ValidateConnectorRuntimeSettings,
ValidateCredentials, ListEntities, DescribeEntity, QueryData page after page, and optionally WriteData. Every
response is checked against the protocol codecs; each violation is reported with the operation, the property and
what was expected. A summary table ends the run.

Targets:
  (no database flags)   the demo: a throwaway MariaDB seeded with customers and orders; reads orders changed since
                        2024-04-01 and writes them into orders_copy with UPSERT (needs mariadb-server installed)
  --host ...            the local bundle (dist/lambda/index.js) in this process against your database; the login
                        is served to it from a local Secrets Manager endpoint
  --function ...        a deployed connector Lambda, invoked with your AWS credentials

Examples:
  npm start
  npm start -- --host 127.0.0.1 --database shop --user reader --entity orders --out orders.jsonl
  DB_HOST=db.internal DB_NAME=shop DB_USER=reader DB_PASSWORD=... npm start -- --entity orders \\
      --incremental-field updated_at --since 2024-03-01 --limit 500 --out orders.csv
  npm start -- --host 127.0.0.1 --database shop --user app --entity orders --write-to orders_copy \\
      --write-operation UPSERT --batch-size ${DEFAULT_BATCH_SIZE}
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
  stdout, or to stderr when the rows themselves go to stdout (--out -).

Exit status:
  0  the flow ran end to end and every response honoured the contract
  1  an operation failed (isSuccess false or a function error), a record failed to write, or the target could not
     be reached (database, bundle, Lambda function)
  2  the command line was wrong
  3  a response broke the protocol contract`);
  return `${sections.join('\n\n')}\n`;
}
