/**
 * Invokes a deployed connector function with the Lambda Invoke API (`@aws-sdk/client-lambda`), with the standard AWS
 * credential chain and region resolution. AWS_ENDPOINT_URL_LAMBDA points it at another endpoint (the tests use a
 * loopback stand-in).
 */
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { TargetError } from '../errors';
import type { Invocation, Transport } from './types';

export interface DeployedFunction {
  /** Function name, partial ARN or full ARN (optionally with a version or alias). */
  readonly functionName: string;
  /** Explicit region; otherwise the ARN's region, then the standard chain (AWS_REGION, profile). */
  readonly region: string | undefined;
}

/** The region part of a Lambda function ARN, if the name is one. */
export function regionOfArn(functionName: string): string | undefined {
  const match = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):\d{12}:function:/.exec(functionName);
  return match?.[1];
}

interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** One clear line for an Invoke failure (the function itself never ran). */
export function explainInvokeError(error: unknown, target: DeployedFunction, region: string): TargetError {
  const failure = (error ?? {}) as AwsErrorLike;
  const name = failure.name ?? 'Error';
  const message = failure.message ?? String(error);
  const where = `in ${region || 'the configured region'}`;
  if (name === 'ResourceNotFoundException') {
    return new TargetError(
      `Lambda function ${JSON.stringify(target.functionName)} was not found ${where} (ResourceNotFoundException: ${message}); check --function and --region`,
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError' || /credentials/i.test(name)) {
    return new TargetError(
      `no AWS credentials: ${message}. Configure the standard chain (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, an instance role)`,
      { cause: error },
    );
  }
  if (/region is missing/i.test(message)) {
    return new TargetError('no AWS region: pass --region, use a function ARN, or set AWS_REGION', { cause: error });
  }
  if (name === 'AccessDeniedException' || failure.$metadata?.httpStatusCode === 403) {
    return new TargetError(
      `not allowed to invoke ${JSON.stringify(target.functionName)} ${where}: ${name}: ${message} (needs lambda:InvokeFunction)`,
      { cause: error },
    );
  }
  const code = failure.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
    return new TargetError(`cannot reach the Lambda endpoint ${where} (${code}): ${message}`, { cause: error });
  }
  return new TargetError(`Lambda Invoke of ${JSON.stringify(target.functionName)} failed: ${name}: ${message}`, {
    cause: error,
  });
}

export function createDeployedLambdaTransport(target: DeployedFunction): Transport {
  const region = target.region ?? regionOfArn(target.functionName);
  const client = new LambdaClient(region ? { region } : {});
  return {
    description: `Lambda function ${target.functionName}${region ? ` (${region})` : ''}`,
    async invoke(event: object): Promise<Invocation> {
      const requestText = JSON.stringify(event);
      const started = performance.now();
      let output: InvokeCommandOutput;
      try {
        output = await client.send(
          new InvokeCommand({
            FunctionName: target.functionName,
            InvocationType: 'RequestResponse',
            Payload: Buffer.from(requestText),
          }),
        );
      } catch (error) {
        const resolvedRegion = region ?? (await client.config.region().catch(() => ''));
        throw explainInvokeError(error, target, resolvedRegion);
      }
      const ms = performance.now() - started;
      const raw = output.Payload ? Buffer.from(output.Payload) : Buffer.alloc(0);
      const text = raw.toString('utf8');
      let payload: unknown;
      let unparsedBody: string | null = null;
      try {
        payload = JSON.parse(text);
      } catch {
        unparsedBody = text;
      }
      return {
        payload,
        unparsedBody,
        bytes: raw.byteLength,
        requestBytes: Buffer.byteLength(requestText),
        ms,
        functionError: output.FunctionError ?? null,
      };
    },
    async close() {
      client.destroy();
    },
  };
}
