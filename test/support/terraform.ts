/**
 * Running real Terraform offline from tests: a CLI configuration that installs providers from the local mirror
 * only, a runner with a clean environment, and a loopback stand-in for the one AWS call `terraform plan` makes
 * (STS GetCallerIdentity).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The provider the project pins; the mirror must hold it. */
export const AWS_PROVIDER_VERSION = '5.100.0';
/** The account the STS stand-in reports. */
export const FAKE_ACCOUNT_ID = '123456789012';

const MIRROR_CANDIDATES = ['/opt/tf-plugins'];
const MIRROR_SEARCH_ROOTS = ['/opt', '/usr/local/share', '/usr/share', '/srv', '/root/.terraform.d', '/home'];

/** Whether `mirror` holds the pinned AWS provider, unpacked (<version>/<platform>/) or packed (a zip per platform). */
function holdsAwsProvider(mirror: string): boolean {
  const providerDirectory = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  if (!existsSync(providerDirectory)) return false;
  if (existsSync(join(providerDirectory, AWS_PROVIDER_VERSION))) return true;
  return readdirSync(providerDirectory).some((name) =>
    name.startsWith(`terraform-provider-aws_${AWS_PROVIDER_VERSION}_`),
  );
}

/** Looks a few levels deep under `root` for a directory holding `registry.terraform.io/hashicorp/aws`. */
function searchMirror(root: string, depth: number): string | undefined {
  if (depth < 0 || !existsSync(root)) return undefined;
  if (holdsAwsProvider(root)) return root;
  let entries: string[];
  try {
    entries = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'proc' && entry.name !== 'node_modules')
      .map((entry) => join(root, entry.name));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const found = searchMirror(entry, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The provider mirror: $TF_PROVIDER_MIRROR, else /opt/tf-plugins, else the first one found on the machine. */
export function findProviderMirror(): string {
  const configured = process.env.TF_PROVIDER_MIRROR;
  if (configured !== undefined && configured !== '') {
    if (!holdsAwsProvider(configured)) {
      throw new Error(
        `TF_PROVIDER_MIRROR=${configured} holds no registry.terraform.io/hashicorp/aws ${AWS_PROVIDER_VERSION}`,
      );
    }
    return configured;
  }
  for (const candidate of MIRROR_CANDIDATES) if (holdsAwsProvider(candidate)) return candidate;
  for (const root of MIRROR_SEARCH_ROOTS) {
    const found = searchMirror(root, 4);
    if (found !== undefined) return found;
  }
  throw new Error(
    `No Terraform provider mirror with hashicorp/aws ${AWS_PROVIDER_VERSION} found: set TF_PROVIDER_MIRROR`,
  );
}

/** Writes a CLI configuration that installs every provider from `mirror` and never from the network. */
export function writeCliConfig(directory: string, mirror: string): string {
  const path = join(directory, 'terraform.tfrc');
  writeFileSync(
    path,
    [
      'provider_installation {',
      `  filesystem_mirror { path = ${JSON.stringify(mirror)} }`,
      '  direct { exclude = ["*/*/*"] }',
      '}',
      '',
    ].join('\n'),
  );
  return path;
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment variables that would make Terraform or the AWS provider reach outside the sandbox. */
const INHERITED_AWS_VARIABLES = /^(AWS_|TF_CLI_CONFIG_FILE$|TF_DATA_DIR$|TF_PLUGIN_CACHE_DIR$|TF_LOG)/;

/**
 * Terraform with the mirror configuration. The environment already points TF_CLI_CONFIG_FILE at a file that
 * does not exist; the runner replaces it with its own.
 */
export class TerraformCli {
  private constructor(
    readonly workDirectory: string,
    readonly cliConfigFile: string,
  ) {}

  static create(): TerraformCli {
    const workDirectory = mkdtempSync(join(tmpdir(), 'appflow-terraform-'));
    return new TerraformCli(workDirectory, writeCliConfig(workDirectory, findProviderMirror()));
  }

  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !INHERITED_AWS_VARIABLES.test(name)),
    );
    return {
      ...inherited,
      TF_CLI_CONFIG_FILE: this.cliConfigFile,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    };
  }

  run(args: readonly string[], cwd: string, extraEnvironment: Record<string, string> = {}): Promise<TerraformResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.env.TERRAFORM_BINARY ?? 'terraform', ['-chdir=' + cwd, ...args, '-no-color'], {
        env: this.environment(extraEnvironment),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({
          code: code ?? -1,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        }),
      );
    });
  }

  /** Runs and throws with Terraform's output when the exit code is not 0. */
  async mustRun(args: readonly string[], cwd: string, extraEnvironment: Record<string, string> = {}): Promise<string> {
    const result = await this.run(args, cwd, extraEnvironment);
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args.join(' ')} in ${cwd} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result.stdout;
  }

  /** `terraform init` against the mirror. */
  init(cwd: string): Promise<string> {
    return this.mustRun(['init', '-input=false'], cwd);
  }

  dispose(): void {
    rmSync(this.workDirectory, { recursive: true, force: true });
  }
}

export interface StsStandIn {
  /** Base URL for AWS_ENDPOINT_URL_STS. */
  readonly url: string;
  /** The Action of every request received, in order. */
  readonly actions: string[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * A loopback HTTP server answering STS GetCallerIdentity (query protocol, XML) for FAKE_ACCOUNT_ID — the only AWS
 * call a plan of this stack makes (the provider's credential check and data.aws_caller_identity). Other actions
 * get a 400, so an unexpected call fails the plan visibly.
 */
export async function startStsStandIn(accountId = FAKE_ACCOUNT_ID): Promise<StsStandIn> {
  const actions: string[] = [];
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const action = new URLSearchParams(body).get('Action') ?? 'unknown';
    actions.push(action);
    if (action !== 'GetCallerIdentity') {
      response.writeHead(400, { 'Content-Type': 'text/xml' });
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${action} is not served by the test stand-in</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
      );
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/xml' });
    response.end(
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
        `<Arn>arn:aws:iam::${accountId}:user/terraform-test</Arn><UserId>AIDATERRAFORMTEST</UserId><Account>${accountId}</Account>` +
        '</GetCallerIdentityResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    actions,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Environment for `terraform plan` against the STS stand-in: fake keys, no shared config, no metadata service. */
export function offlineAwsEnvironment(sts: StsStandIn, region: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINETEST00000',
    AWS_SECRET_ACCESS_KEY: 'offline-test-secret-key',
    AWS_REGION: region,
    AWS_ENDPOINT_URL_STS: sts.url,
    // Any other AWS call the provider might make goes to loopback too (and fails there), never off the machine.
    AWS_ENDPOINT_URL: sts.url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
}
