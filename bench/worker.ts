/** Runs a bench script in a fresh Node process (no TypeScript loader, no inherited NODE_OPTIONS) and returns its IPC answer. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface WorkerRun<T> {
  readonly result: T;
  /** From spawn to exit, as seen by the parent. */
  readonly wallMs: number;
  /** Lines the child wrote to stdout (the connector's logs). */
  readonly stdoutLines: number;
}

/** `args` go to node as they are: a script path and its arguments, or `-e` and a script. */
export function runNodeWorker<T>(args: readonly string[], timeoutMs = 600_000): Promise<WorkerRun<T>> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'INFO',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.NODE_OPTIONS;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env });
    let answer: { ok: boolean; result?: T; error?: string } | undefined;
    let stdoutLines = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) stdoutLines++;
    });
    child.on('message', (message) => {
      answer = message as typeof answer;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (answer?.ok) resolve({ result: answer.result as T, wallMs, stdoutLines });
      else reject(new Error(answer?.error ?? `worker exited with ${signal ?? code} without an answer`));
    });
  });
}
