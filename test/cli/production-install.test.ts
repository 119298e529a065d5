/**
 * A production install as an operator makes one: the repository's files, the compiled `dist/`, and
 * `npm ci --omit=dev` (no test or build tools). The worker and the web server must start from it on a real
 * Temporal (the suite's dev server), and the worker must run a plan's workflows.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ROOT } from '../helpers/paths';
import { taskSnapshotQuery } from '../../workflows/definitions';
import { connectDevServer, terminateAll, uniqueId } from '../helpers/temporal';

jest.setTimeout(420_000);

let dir: string;
let env: TestWorkflowEnvironment;
const children: ChildProcess[] = [];
const taskQueue = uniqueId('prod-install');
let runEnv: NodeJS.ProcessEnv;

function exec(
  cmd: string,
  args: string[],
  cwd: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, ...extraEnv }, timeout: 300_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

/** Starts a long-running process of the install and resolves when its stderr says `ready`. */
function startProcess(args: string[], ready: RegExp): Promise<{ child: ChildProcess; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args], {
      cwd: dir,
      env: runEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${args.join(' ')} did not start within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

beforeAll(async () => {
  env = await connectDevServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-prod-'));
  // The repository as a clone has it (tracked files only), then the compiled dist/ (built with the dev tools, as a
  // release would be), then the production dependencies only.
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const src = path.join(ROOT, f);
    if (!fs.existsSync(src) || fs.lstatSync(src).isSymbolicLink() || f.startsWith('test/')) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, f));
  }
  const build = await exec(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      path.join(dir, 'dist'),
    ],
    ROOT,
  );
  if (build.code !== 0) throw new Error(`build failed:\n${build.out}`);
  const install = await exec('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  if (install.code !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.out}`);
  runEnv = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    TEMPORAL_ADDRESS: process.env.DONDOC_TEST_DEV_ADDRESS!,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DONDOC_LINK_SECRET: 'prod-install-secret-prod-install-secret-01',
    DONDOC_DATA_DIR: path.join(dir, 'data'),
    DONDOC_SINGLE_HOST: 'true',
    DONDOC_HEALTH_PORT: String(await freePort()),
    DONDOC_PORT: String(await freePort()),
  };
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) =>
      c.exitCode === null ? new Promise<void>((r) => c.once('exit', () => r())) : Promise.resolve(),
    ),
  );
  if (env) {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({
      query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
    }))
      ids.push(wf.workflowId);
    await terminateAll(ids.map((id) => env.client.workflow.getHandle(id)));
    await env.teardown();
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the install has no development packages', () => {
  for (const devOnly of ['jest', 'typescript', '@temporalio/testing', 'eslint'])
    expect(fs.existsSync(path.join(dir, 'node_modules', devOnly))).toBe(false);
  for (const needed of ['@temporalio/worker', 'nodemailer', 'mailparser', 'zod'])
    expect(fs.existsSync(path.join(dir, 'node_modules', needed))).toBe(true);
});

test('the worker and the web server start from it, and the worker runs the workflows of an imported plan', async () => {
  await startProcess(['worker'], /dondoc worker: task queue/);
  const web = await startProcess(['web'], /dondoc web: http:\/\/[^:]+:\d+/);
  const port = Number(/dondoc web: http:\/\/[^:]+:(\d+)/.exec(web.output)?.[1]);
  expect(port).toBeGreaterThan(0);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  // Ready: Temporal answers (no database configured here).
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect([ready.status, await ready.json()]).toEqual([200, { ready: true, temporal: 'ok', database: 'not used' }]);
  const workerHealth = `http://127.0.0.1:${runEnv.DONDOC_HEALTH_PORT}`;
  expect((await fetch(`${workerHealth}/healthz`)).status).toBe(200);
  const workerReady = await fetch(`${workerHealth}/readyz`);
  expect([workerReady.status, await workerReady.json()]).toEqual([
    200,
    { ready: true, temporal: 'ok', database: 'not used', worker: 'running' },
  ]);

  // The bundled example under an id of its own (the suite's other tests may import the example itself).
  const planId = uniqueId('prod-plan')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  const planFile = path.join(dir, 'examples/vu-ninh-2026/plan.yaml');
  fs.writeFileSync(planFile, fs.readFileSync(planFile, 'utf8').replace(/^id: .*$/m, `id: ${planId}`));
  const imported = await exec(process.execPath, ['dist/cli/main.js', 'import', planFile], dir, runEnv);
  expect(imported.out).not.toMatch(/Cannot find module/);
  expect(imported.code).toBe(0);

  // The board of the install's web server lists the plan's tasks, and each answers its snapshot query: the
  // install's worker runs them (no other worker polls this task queue).
  const listed = await fetch(`http://127.0.0.1:${port}/api/plans/${planId}/tasks`);
  expect(listed.status).toBe(200);
  const body = (await listed.json()) as { tasks: { workflowId: string }[] };
  expect(body.tasks.length).toBeGreaterThan(0);
  const snapshot = await env.client.workflow.getHandle(body.tasks[0]!.workflowId).query(taskSnapshotQuery);
  expect(snapshot.planId).toBe(planId);
  const shown = await fetch(`http://127.0.0.1:${port}/api/tasks/${encodeURIComponent(body.tasks[0]!.workflowId)}`);
  expect(shown.status).toBe(200);
}, 300_000);
