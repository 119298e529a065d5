import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ClusterError, clusterStatus, startCluster, stopCluster, type RunningCluster } from '../../cluster';
import { createSentLedger } from '../../storage/sent-ledger';
import { SA, SEARCH_ATTRIBUTE_TYPES } from '../../workflows/definitions';
import { clusterProbeWorkflow, finishSignal } from './probe-workflow';

/**
 * The production engine end to end: a Temporal server on PostgreSQL brought up by `startCluster` in an empty
 * folder, used by a worker with dondoc's search attributes, stopped and started again with its data, torn down.
 * Everything is made by the test itself (CI runs it as root on a fresh clone): the folder is under the system
 * temporary folder with mode 755 so the postgres user can reach it.
 */
jest.setTimeout(300_000);

let tmp: string;
let dir: string;
let cluster: RunningCluster | undefined;
const steps: string[] = [];
const timings: Record<string, number> = {};

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings[label] = Date.now() - started;
  }
}

async function withWorker<T>(c: RunningCluster, taskQueue: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await NativeConnection.connect({ address: c.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: c.namespace,
    taskQueue,
    workflowsPath: require.resolve('./probe-workflow'),
  });
  const clientConnection = await Connection.connect({ address: c.temporalAddress });
  try {
    return await worker.runUntil(fn(new Client({ connection: clientConnection, namespace: c.namespace })));
  } finally {
    await clientConnection.close();
    await connection.close();
  }
}

async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function idsMatching(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.sort();
}

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-cluster-test-'));
  fs.chmodSync(tmp, 0o755);
  dir = path.join(tmp, 'cluster');
});

afterAll(async () => {
  if (fs.existsSync(path.join(dir, 'cluster.json'))) await stopCluster(dir);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.stderr.write(`[cluster test] ${JSON.stringify(timings)}\n`);
});

describe('startCluster', () => {
  it('refuses a bad shard count before creating anything', async () => {
    await expect(startCluster({ dir, shards: 0 })).rejects.toThrow(ClusterError);
    await expect(startCluster({ dir, shards: 0 })).rejects.toMatchObject({ details: { badInput: true } });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('creates a cluster in an empty folder: PostgreSQL, schema, server, namespace, search attributes', async () => {
    cluster = await timed('up (fresh folder)', () =>
      startCluster({ dir, shards: 4, onProgress: (line) => steps.push(line) }),
    );
    expect(cluster.outcome).toBe('created');
    expect(cluster.temporalAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cluster.databaseUrl).toMatch(/^postgres:\/\/dondoc:[^@]+@127\.0\.0\.1:\d+\/dondoc$/);
    expect(steps.some((s) => s.includes('initdb') || s.includes('PostgreSQL'))).toBe(true);

    // Where everything is, secrets kept private.
    const env = fs.readFileSync(cluster.envFile, 'utf8');
    expect(env).toContain(`TEMPORAL_ADDRESS=${cluster.temporalAddress}`);
    expect(env).toContain(`DONDOC_DATABASE_URL=${cluster.databaseUrl}`);
    for (const secretFile of [
      cluster.envFile,
      path.join(dir, 'secrets.json'),
      path.join(dir, 'temporal/config/dondoc.yaml'),
    ])
      expect(fs.statSync(secretFile).mode & 0o077).toBe(0);
    const status = await clusterStatus(dir);
    expect(status).toMatchObject({ exists: true, shards: 4, temporal: { running: true }, postgres: { running: true } });
    expect(status.databaseUrl).not.toContain(new URL(cluster.databaseUrl).password);
    expect(fs.statSync(cluster.logs.temporal).size).toBeGreaterThan(0);

    const connection = await Connection.connect({ address: cluster.temporalAddress });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: cluster.namespace,
      });
      expect(Object.keys(customAttributes ?? {}).sort()).toEqual(Object.keys(SEARCH_ATTRIBUTE_TYPES).sort());
    } finally {
      await connection.close();
    }
  });

  it('runs a worker whose workflows are found by dondoc search attributes; the dondoc database takes the ledger', async () => {
    const c = cluster!;
    await timed('worker + visibility', () =>
      withWorker(c, 'probe-1', async (client) => {
        const done = await client.workflow.start(clusterProbeWorkflow, {
          taskQueue: 'probe-1',
          workflowId: 'probe-done',
          args: [{ status: 'ongoing' }],
          typedSearchAttributes: [{ key: SA.plan, value: 'ke-hoach-thu' }],
        });
        await client.workflow.start(clusterProbeWorkflow, {
          taskQueue: 'probe-1',
          workflowId: 'probe-open',
          args: [{ status: 'ongoing' }],
          typedSearchAttributes: [{ key: SA.plan, value: 'ke-hoach-thu' }],
        });
        await client.workflow.start(clusterProbeWorkflow, {
          taskQueue: 'probe-1',
          workflowId: 'probe-other-plan',
          args: [{ status: 'ongoing' }],
          typedSearchAttributes: [{ key: SA.plan, value: 'ke-hoach-khac' }],
        });
        await done.signal(finishSignal, 'xong');
        expect(await done.result()).toBe('xong');
        const plan = await eventually(async () => {
          const ids = await idsMatching(client, `DondocPlan = 'ke-hoach-thu'`);
          return ids.length === 2 ? ids : undefined;
        }, 'two workflows of the plan in visibility');
        expect(plan).toEqual(['probe-done', 'probe-open']);
        // An attribute the workflow itself upserted.
        expect(
          await eventually(async () => {
            const ids = await idsMatching(client, `DondocPlan = 'ke-hoach-thu' AND DondocStatus = 'ongoing-done'`);
            return ids.length === 1 ? ids : undefined;
          }, 'the upserted status'),
        ).toEqual(['probe-done']);
      }),
    );
    const ledger = createSentLedger({ database: { url: c.databaseUrl }, dataDir: '/nonexistent' });
    try {
      expect(await ledger.claim('digest-across-restart')).toBe('new');
    } finally {
      await ledger.close();
    }
  });

  it('is idempotent: up on a running cluster changes nothing', async () => {
    const pid = (await clusterStatus(dir)).temporal?.pid;
    const again = await timed('up (already running)', () => startCluster({ dir }));
    expect(again.outcome).toBe('running');
    expect(again.temporalAddress).toBe(cluster!.temporalAddress);
    expect(again.databaseUrl).toBe(cluster!.databaseUrl);
    expect((await clusterStatus(dir)).temporal?.pid).toBe(pid);
  });

  it('refuses to change the shard count of an existing cluster', async () => {
    await expect(startCluster({ dir, shards: 8 })).rejects.toMatchObject({
      name: 'ClusterError',
      details: { badInput: true },
    });
    expect((await clusterStatus(dir)).shards).toBe(4);
  });

  it('stops, ignores a stale pid file, starts again with its data, and an open workflow carries on', async () => {
    await timed('down', () => cluster!.stop());
    const stopped = await clusterStatus(dir);
    expect(stopped.temporal?.running).toBe(false);
    expect(stopped.postgres?.running).toBe(false);

    // A pid file naming a live process that is not our server (this test process) must not count as running.
    fs.writeFileSync(path.join(dir, 'temporal/temporal.pid'), `${process.pid}\n`);
    expect((await clusterStatus(dir)).temporal?.running).toBe(false);

    const again = await timed('up (existing folder, stopped)', () => startCluster({ dir }));
    expect(again.outcome).toBe('started');
    expect(again.temporalAddress).toBe(cluster!.temporalAddress);
    const pid = (await clusterStatus(dir)).temporal?.pid;
    expect(pid).toBeDefined();
    expect(pid).not.toBe(process.pid);

    await withWorker(again, 'probe-1', async (client) => {
      expect(await client.workflow.getHandle('probe-done').result()).toBe('xong');
      const open = client.workflow.getHandle('probe-open');
      await open.signal(finishSignal, 'sau khi khởi động lại');
      expect(await open.result()).toBe('sau khi khởi động lại');
      expect(await idsMatching(client, `DondocPlan = 'ke-hoach-khac'`)).toEqual(['probe-other-plan']);
    });
    const ledger = createSentLedger({ database: { url: again.databaseUrl }, dataDir: '/nonexistent' });
    try {
      expect(await ledger.claim('digest-across-restart')).toBe('claimed');
    } finally {
      await ledger.close();
    }
  });

  it('down stops everything; down again has nothing to stop', async () => {
    expect(await stopCluster(dir)).toEqual({ temporal: true, postgres: true });
    expect(await stopCluster(dir)).toEqual({ temporal: false, postgres: false });
    await expect(stopCluster(path.join(tmp, 'nothing-here'))).rejects.toMatchObject({ details: { badInput: true } });
  });
});
