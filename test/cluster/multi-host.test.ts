/**
 * dondoc on several hosts, as a province would run it: a Temporal server on PostgreSQL (`startCluster`), two
 * workers and two web servers from the compiled CLI, each process in its own empty folder with its own data folder
 * (nothing shared on disk), SMTP on loopback. The CLI imports from host A; the lead submits through a signed link on
 * web host B while worker 1 is killed again and again; the coordinator confirms on web host A with the link its
 * email carries, and that link is refused as already used on host B. PostgreSQL is stopped and started again in the
 * middle: the hosts say they are not ready, then everything resumes. Every email arrives once; both boards agree.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCluster, stopCluster, type RunningCluster } from '../../cluster';
import { ensurePostgresInstalled, postgresFolder, startPostgres, stopPostgres } from '../../cluster/postgres';
import { createLinkSigner } from '../../security/links';
import { taskSnapshotQuery } from '../../workflows/definitions';
import { duplicateMessageIds } from '../faults/harness';
import { ROOT } from '../helpers/paths';
import { writePlanFixture } from '../helpers/plan-fixture';
import { freePort, startSmtpServer, type SmtpHarness } from '../mail/smtp-harness';

jest.setTimeout(400_000);

const BIN = path.join(ROOT, 'dist/cli/main.js');
const SECRET = 'multi-host-secret-multi-host-secret-0123456';
const LEAD = 'so-tu-phap';
const COORD = 'mttq-tinh';
const COORD_EMAIL = 'vanphong@mttq.example.gov.vn';

let tmp: string;
let cluster: RunningCluster;
let smtp: SmtpHarness;
let client: Client;
let connection: Connection;
const children = new Set<ChildProcess>();
const taskQueue = `multi-host-${process.pid}`;
const planId = `kh-nhieu-may-${process.pid}`;
let baseEnv: NodeJS.ProcessEnv;
const webs: { name: string; url: string }[] = [];

/** A host: an empty folder for the process's working directory and its data folder. */
function hostFolder(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  return dir;
}

function spawnProcess(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const dir = hostFolder(name);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...baseEnv, DONDOC_DATA_DIR: path.join(dir, 'data'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer): void => {
      out += b.toString('utf8');
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      if (!ready.test(out)) reject(new Error(`${name} exited (${code ?? signal}):\n${out}`));
    });
  });
}

function runCli(name: string, args: string[]): Promise<{ code: number; out: string }> {
  const dir = hostFolder(name);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: { ...baseEnv, DONDOC_DATA_DIR: path.join(dir, 'data') }, timeout: 120_000 },
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

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const killWorker = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: npm test compiles it (scripts/setup.sh)`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-multi-host-'));
  fs.chmodSync(tmp, 0o755); // the postgres user reaches the cluster folder
  cluster = await startCluster({ dir: path.join(tmp, 'cluster'), shards: 4 });
  smtp = await startSmtpServer();
  connection = await Connection.connect({ address: cluster.temporalAddress });
  client = new Client({ connection, namespace: cluster.namespace });
  baseEnv = {
    PATH: process.env.PATH,
    HOME: tmp,
    TEMPORAL_ADDRESS: cluster.temporalAddress,
    TEMPORAL_NAMESPACE: cluster.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DONDOC_DATABASE_URL: cluster.databaseUrl,
    DONDOC_SMTP_URL: smtp.url,
    DONDOC_LINK_SECRET: SECRET,
    DONDOC_DIGEST_WINDOW_MINUTES: '0',
  };
}, 120_000);

afterAll(async () => {
  await Promise.all([...children].map(killWorker));
  if (client) {
    for await (const wf of client.workflow.list({
      query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
    }))
      await client.workflow
        .getHandle(wf.workflowId)
        .terminate('test finished')
        .catch(() => undefined);
  }
  await connection?.close();
  await smtp?.close();
  if (cluster) await stopCluster(cluster.dir);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('two workers and two web servers, nothing shared on disk: links act once, every email arrives once', async () => {
  const workers = [
    await spawnProcess('worker-1', ['worker'], {}, /dondoc worker: task queue/),
    await spawnProcess('worker-2', ['worker'], {}, /dondoc worker: task queue/),
  ];
  for (const name of ['web-a', 'web-b']) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await spawnProcess(name, ['web'], { DONDOC_PORT: String(port), DONDOC_PUBLIC_URL: url }, /dondoc web: http/);
    webs.push({ name, url });
  }
  const webA = webs[0]!;
  const webB = webs[1]!;
  for (const w of webs) expect((await fetch(`${w.url}/readyz`)).status).toBe(200);

  // Host A imports with the CLI, from its own folder.
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const plus = (n: number): string =>
    new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const { planPath } = writePlanFixture({
    id: planId,
    periodStart: today,
    periodEnd: plus(200),
    tasks: [
      {
        ref: '1',
        title: 'Tập huấn hòa giải viên cơ sở',
        lead: LEAD,
        coordinators: [COORD],
        timing: { text: 'Trong quý', due: plus(60) },
        signOff: 'all',
      },
    ],
  });
  const imported = await runCli('host-a', ['import', planPath]);
  expect(imported.code).toBe(0);
  const workflowId = `dondoc:${planId}:1:${LEAD}`;
  const first = await poll(
    'the task to answer',
    () => client.workflow.getHandle(workflowId).query(taskSnapshotQuery),
    60_000,
  );

  // Both boards list the plan, read from Temporal (no host has it on disk).
  for (const w of webs) {
    const board = await fetch(`${w.url}/`);
    expect(await board.text()).toContain(`/plans/${planId}`);
  }

  // Worker 1 is killed and restarted again and again while the submission's emails go out.
  let killing = true;
  let kills = 0;
  const killer = (async () => {
    while (killing) {
      await new Promise((r) => setTimeout(r, 1500));
      if (!killing) break;
      await killWorker(workers[0]!);
      kills += 1;
      workers[0] = await spawnProcess('worker-1', ['worker'], {}, /dondoc worker: task queue/);
    }
  })();

  // The lead submits through a signed link on web host B.
  const signer = createLinkSigner(SECRET);
  const submitToken = signer.sign({
    p: planId,
    w: workflowId,
    c: first.cycle,
    a: LEAD,
    k: 'submit',
    exp: Date.now() / 1000 + 3600,
  });
  const submit = await fetch(`${webB.url}/api/actions/${submitToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ summary: 'Đã tập huấn 120 hòa giải viên', documentNumber: '21/BC-STP' }),
  });
  expect(submit.status).toBe(200);

  // The coordinator's email arrives, with its confirm link.
  const mail = await poll(
    'the confirm email',
    () =>
      Promise.resolve(
        smtp.received.find((m) => m.envelopeTo.includes(COORD_EMAIL) && /\/a\//.test(m.parsed.text ?? '')),
      ),
    120_000,
  );
  // PostgreSQL stops under the running cluster (Temporal's store and the mail ledger): both web hosts say they are not
  // ready, naming the database; it starts again and everything resumes.
  const pg = postgresFolder(path.join(cluster.dir, 'postgres'));
  const pgBin = await ensurePostgresInstalled(() => undefined);
  await stopPostgres(pg, pgBin);
  for (const w of webs) {
    const ready = await fetch(`${w.url}/readyz`);
    expect([ready.status, ((await ready.json()) as { database: string }).database]).toEqual([503, 'unreachable']);
  }
  await new Promise((r) => setTimeout(r, 3000));
  await startPostgres(pg, pgBin);
  for (const w of webs)
    await poll(
      'the web host ready again',
      async () => ((await fetch(`${w.url}/readyz`)).status === 200 ? true : undefined),
      90_000,
    );

  const confirmToken = [...(mail.parsed.text ?? '').matchAll(/\/a\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)]
    .map((m) => m[1]!)
    .find((t) => {
      const v = signer.verify(t, Date.now());
      return v.ok && v.payload.k === 'confirm' && v.payload.a === COORD;
    });
  expect(confirmToken).toBeDefined();

  // Confirmed on host A; the same link on host B is refused as already used, and changes nothing.
  const confirm = await fetch(`${webA.url}/api/actions/${confirmToken!}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ note: 'Thống nhất' }),
  });
  expect([confirm.status, ((await confirm.json()) as { repeated: boolean }).repeated]).toEqual([200, false]);
  const again = await fetch(`${webB.url}/api/actions/${confirmToken!}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ note: 'Bấm lại ở máy khác' }),
  });
  expect(((await again.json()) as { repeated: boolean }).repeated).toBe(true);
  const submitAgain = await fetch(`${webA.url}/api/actions/${submitToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ summary: 'Nộp lần hai ở máy A' }),
  });
  expect(((await submitAgain.json()) as { repeated: boolean }).repeated).toBe(true);

  // Worker 1 has been killed at least three times by now; it stays up for the rest.
  await poll('three kills of worker 1', () => Promise.resolve(kills >= 3 ? true : undefined), 60_000);
  killing = false;
  await killer;

  // Both boards show the same state of the task.
  const states = await Promise.all(
    webs.map(async (w) => {
      const r = await fetch(`${w.url}/api/plans/${planId}/tasks`);
      return ((await r.json()) as { tasks: { workflowId: string; state: string }[] }).tasks.map((t) => [
        t.workflowId,
        t.state,
      ]);
    }),
  );
  expect(states[0]).toEqual(states[1]);
  const snapshot = await client.workflow.getHandle(workflowId).query(taskSnapshotQuery);
  expect(snapshot.state).toBe('confirmed');
  expect(snapshot.submission?.summary).toBe('Đã tập huấn 120 hòa giải viên');

  // Every email arrived once: the confirmation's notices too, after a moment for them to go out.
  await new Promise((r) => setTimeout(r, 5000));
  expect(duplicateMessageIds(smtp.received)).toEqual([]);
  expect(smtp.received.filter((m) => m.envelopeTo.includes(COORD_EMAIL))).toHaveLength(1);
  process.stderr.write(
    `[multi-host] worker 1 killed ${kills} times; ${smtp.received.length} emails, ${new Set(smtp.received.map((m) => m.parsed.messageId)).size} distinct\n`,
  );
  expect(kills).toBeGreaterThan(0);
});
