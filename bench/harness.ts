/** Helpers shared by the benchmark's entry points (bench/run.ts, bench/memory-per-workflow.ts) and the worker child. */
import net from 'node:net';
import type { Worker } from '@temporalio/worker';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP port free on loopback right now (for the dev server the benchmark starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Resolves with the worker's cached workflows once it holds `expectCached` and has nothing in flight, or, with a
 * cache smaller than that (evictions), once it has been idle a while (its task queue drained), or at `timeoutMs`.
 */
export async function waitForWorkerIdle(worker: Worker, expectCached: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  let idleSince = Date.now();
  for (;;) {
    const s = worker.getStatus();
    if (s.numCachedWorkflows !== last) {
      last = s.numCachedWorkflows;
      stableSince = Date.now();
    }
    const idle = s.numInFlightWorkflowActivations === 0 && s.numInFlightActivities === 0;
    if (!idle) idleSince = Date.now();
    if (idle && (last >= expectCached || (Date.now() - stableSince > 5_000 && Date.now() - idleSince > 3_000)))
      return last;
    if (Date.now() > deadline) return last;
    await sleep(250);
  }
}
