/**
 * The worker process of bench/worker-memory.ts: a dondoc worker alone (no client load, no web app, no specs), run
 * with `node --expose-gc`. It reports its memory when idle, then again once the workflows the parent starts are all
 * cached, each time after forced garbage collection, and can write a heap snapshot. Messages over the IPC channel.
 */
import v8 from 'node:v8';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig } from '../config';
import { connectClient, connectWorker } from '../services/temporal-connection';
import { createWorker } from '../workers/create-worker';
import { waitForWorkerIdle } from './harness';
import type { ChildCommand, ChildReport, MemorySample } from './worker-memory';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const gc = (globalThis as { gc?: () => void }).gc;

function send(report: ChildReport): void {
  process.send?.(report);
}

/** Memory after full collections (several: weak references and finalisers free more on the next pass). */
async function sample(): Promise<MemorySample> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

function nextCommand(): Promise<ChildCommand> {
  return new Promise((resolve) => process.once('message', (m) => resolve(m as ChildCommand)));
}

async function main(): Promise<void> {
  if (!gc) throw new Error('worker-memory-child: chạy với node --expose-gc');
  const start = await nextCommand();
  if (start.type !== 'start') throw new Error(`worker-memory-child: expected start, got ${start.type}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig(process.env);
  const client = await connectClient(config);
  const real = createActivities({ config, client, linkSecret: config.links.secret ?? '' });
  const connection = await connectWorker(config);
  const worker = await createWorker({
    config,
    connection,
    // Nothing is handed to digests: only the workflows measured are cached in this worker.
    activities: { ...real, enqueueNotifications: () => Promise.resolve() },
    workflowBundle: { codePath: start.bundlePath },
    tuning: { maxCachedWorkflows: start.cache, debugMode: !start.threads },
  });
  const running = worker.run();
  try {
    await waitForWorkerIdle(worker, 0, 5_000);
    await sleep(2_000);
    send({ type: 'idle', sample: await sample() });
    const started = await nextCommand();
    if (started.type !== 'started') throw new Error(`worker-memory-child: expected started, got ${started.type}`);
    const t0 = Date.now();
    // The cache holds them all: wait for every one, not only for a worker idle a while (a slow server's backlog).
    const deadline = Date.now() + Math.max(180_000, started.k * 200);
    while ((await waitForWorkerIdle(worker, started.k, deadline - Date.now())) < started.k && Date.now() < deadline);
    const takeUpMs = Date.now() - t0;
    await sleep(2_000);
    const after = await sample();
    let snapshot: string | undefined;
    if (start.snapshotPath) snapshot = v8.writeHeapSnapshot(start.snapshotPath);
    send({ type: 'cached', cached: worker.getStatus().numCachedWorkflows, sample: after, takeUpMs, snapshot });
    await nextCommand();
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await client.connection.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
