/**
 * The compiled CLI as an officer runs it, in its own process, for the CLI tests: its path, a run that captures the
 * exit code and both streams, and a worker on the shared dev server that sends no mail.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { ROOT } from './paths';
import { connectDevServer, testWorker, uniqueId } from './temporal';

export const CLI_BIN = path.join(ROOT, 'dist/cli/main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails the test file at once when the CLI has not been compiled. */
export function assertCliBuilt(): void {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: npm test compiles it (scripts/setup.sh)`);
}

/** Only PATH and a home in the temporary folder, plus `env`: nothing of the test's own environment leaks in. */
export const cliEnv = (env: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: os.tmpdir(),
  ...env,
});

export interface ExecOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  timeout: number;
  maxBuffer?: number;
  /** Written to stdin, which is then closed; without it stdin is left as it is. */
  input?: string;
}

/** Runs `command` and resolves (never rejects) with its exit code (1 when it had none) and its output. */
export function execCaptured(command: string, args: string[], options: ExecOptions): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd ?? os.tmpdir(),
        env: options.env,
        timeout: options.timeout,
        ...(options.maxBuffer ? { maxBuffer: options.maxBuffer } : {}),
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** The compiled CLI with `args`, from the temporary folder, with `cliEnv(env)`, for at most a minute. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  return execCaptured(process.execPath, [CLI_BIN, ...args], {
    env: cliEnv(env),
    timeout: 60_000,
    ...(input !== undefined ? { input } : {}),
  });
}

/** Quotes each argument for bash. */
export const shellQuote = (args: string[]): string => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/** Activities for CLI tests: notifications do nothing, a digest fails (no mail in CLI tests), reports send none. */
export const noMailActivities = (): Activities => ({
  async enqueueNotifications() {},
  async deliverDigest() {
    throw new Error('no mail in CLI tests');
  },
  async sendPeriodicReport() {
    return { tasks: 0, messageId: null };
  },
});

export interface CliWorker {
  env: TestWorkflowEnvironment;
  worker: Worker;
  running: Promise<void>;
  taskQueue: string;
  /** What the CLI needs to reach the dev server and this worker's queue, with its own data folder. */
  temporalEnv: Record<string, string>;
}

/** A worker with `noMailActivities` on a queue of its own on the dev server, and the CLI's environment for it. */
export async function startCliWorker(name: string): Promise<CliWorker> {
  const taskQueue = uniqueId(name);
  const env = await connectDevServer();
  const worker = await testWorker(env, taskQueue, noMailActivities());
  const running = worker.run();
  return {
    env,
    worker,
    running,
    taskQueue,
    temporalEnv: {
      TEMPORAL_ADDRESS: process.env.DONDOC_TEST_DEV_ADDRESS!,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DONDOC_LINK_SECRET: 'cli-test-secret-cli-test-secret-0123456789',
      DONDOC_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `dondoc-${name}-`)),
    },
  };
}

/** Stops the worker and closes the connection. */
export async function stopCliWorker(rig: CliWorker | undefined): Promise<void> {
  rig?.worker.shutdown();
  await rig?.running;
  await rig?.env.teardown();
}
