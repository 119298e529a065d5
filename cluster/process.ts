/** Child processes for the cluster: commands run to completion, long waits with progress, pid files. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ClusterError } from './errors';

export type Progress = (line: string) => void;

export interface RunOptions {
  /** Name of the step, for messages. */
  step: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output is appended here as well as kept for the error message. */
  logFile?: string;
  timeoutMs?: number;
}

/** The last `lines` lines of a text, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The last lines of a log file ('' when it does not exist). */
export function tailFile(file: string, lines = 15): string {
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return tail(buffer.toString('utf8'), lines);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** Runs a command to completion and returns its exit code and output (stdout and stderr together). */
export function runForExit(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const log = options.logFile ? fs.openSync(options.logFile, 'a') : undefined;
    if (log !== undefined) fs.writeSync(log, `\n$ ${[command, ...args].join(' ')}  # ${new Date().toISOString()}\n`);
    let output = '';
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-256 * 1024);
      if (log !== undefined) fs.writeSync(log, chunk);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    let settled = false;
    const settle = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      if (log !== undefined) fs.closeSync(log);
    };
    child.once('error', (err) => {
      if (settled) return;
      settle();
      reject(
        new ClusterError(`${options.step}: không chạy được ${command} (${err.message})`, {
          step: options.step,
          cause: err,
        }),
      );
    });
    child.once('close', (code, signal) => {
      if (settled) return;
      settle();
      resolve({ code, signal, output });
    });
  });
}

/**
 * Runs a command to completion and returns its output. Fails with a {@link ClusterError} carrying the end of the
 * output and the log file.
 */
export async function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  const { code, signal, output } = await runForExit(command, args, options);
  if (code === 0) return output;
  const why = signal
    ? `bị dừng (${signal}${options.timeoutMs ? `, quá ${options.timeoutMs / 1000} s` : ''})`
    : `thoát với mã ${code}`;
  throw new ClusterError(`${options.step} (${path.basename(command)}) ${why}.\n${tail(output)}`, {
    step: options.step,
    logFile: options.logFile,
  });
}

/** Awaits `work`, telling `progress` every `everyMs` that it is still going, so a slow step never looks hung. */
export async function withHeartbeat<T>(
  label: string,
  progress: Progress,
  work: Promise<T>,
  everyMs = 10_000,
): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => progress(`… ${label}: ${Math.round((Date.now() - started) / 1000)} s`), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a process with this pid exists (a zombie or another user's process counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, or undefined (gone, or no /proc). */
export function processCommandLine(pid: number): string[] | undefined {
  try {
    return fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((s) => s !== '');
  } catch {
    return undefined;
  }
}

/** The pid in a pid file, or undefined when there is no file or it does not hold a pid. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
