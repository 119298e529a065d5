/**
 * Memory per cached workflow in a worker that does nothing else, against a dev server started for the run:
 * for each K and each kind (`floor`: the SDK alone, `empty`: an empty workflow in dondoc's bundle, `task`:
 * dondoc's taskWorkflow), a fresh worker child holds
 * K cached workflows and reports its growth over its idle state (bench/worker-memory.ts).
 *
 * `node dist/bench/memory-per-workflow.js [--k 500,2000] [--kinds floor,empty,task] [--threads] [--snapshots <dir>]`
 * `--snapshots` writes a heap snapshot of each kind at the smallest K; `--threads` adds rows with the workflows
 * in the SDK's workflow thread (RSS only). Results go to stdout (Markdown) and bench/results/memory-<stamp>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../config';
import { startDevServer } from '../services/dev-server';
import { connectClient } from '../services/temporal-connection';
import { freePort } from './harness';
import { BENCH_SECRET, log } from './scenarios';
import { measureWorkerMemory, writeWorkflowBundles, type MemoryKind, type WorkerMemoryRow } from './worker-memory';

/** Markdown table of the rows. */
export function memoryTable(rows: WorkerMemoryRow[]): string {
  const head = [
    '| kind | K | cached | workflows in | idle RSS / heap (MB) | KB each: RSS | heap used | heap reserved | external | array buffers | take-up (s) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map(
    (r) =>
      `| ${r.kind} | ${r.k} | ${r.cached} | ${r.mode === 'vm' ? 'main thread' : 'workflow thread'} | ${r.idleMb.rss} / ${r.idleMb.heapUsed} | ${r.kbPerCached.rss} | ${r.mode === 'vm' ? r.kbPerCached.heapUsed : '–'} | ${r.mode === 'vm' ? r.kbPerCached.heapTotal : '–'} | ${r.kbPerCached.external} | ${r.kbPerCached.arrayBuffers} | ${Math.round(r.takeUpMs / 100) / 10} |`,
  );
  return `${[...head, ...lines].join('\n')}\n`;
}

async function main(): Promise<void> {
  const o = new Command()
    .option(
      '--k <list>',
      'cached workflows per measurement, comma-separated (at most 2000 on a shared machine)',
      '500,2000',
    )
    .option('--kinds <list>', 'floor, empty, task, comma-separated', 'floor,empty,task')
    .option('--threads', 'also measure with the workflows in the SDK workflow thread (RSS only)', false)
    .option('--snapshots <dir>', 'write a heap snapshot of each kind at the smallest K into this folder')
    .option('--out <dir>', 'results folder', path.resolve(__dirname, '..', '..', 'bench', 'results'))
    .parse()
    .opts<{ k: string; kinds: string; threads: boolean; snapshots?: string; out: string }>();
  const ks = o.k.split(',').map((s) => Number(s.trim()));
  const kinds = o.kinds.split(',').map((s) => s.trim());
  if (ks.length === 0 || ks.some((k) => !(Number.isInteger(k) && k >= 10 && k <= 20_000)))
    throw new Error(`--k: số nguyên từ 10 đến 20000, cách nhau bởi dấu phẩy, không phải "${o.k}"`);
  if (kinds.length === 0 || kinds.some((k) => !['floor', 'empty', 'task'].includes(k)))
    throw new Error(`--kinds: một hoặc nhiều trong "floor,empty,task", không phải "${o.kinds}"`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-memory-'));
  const env: Record<string, string> = {
    DONDOC_DATA_DIR: workDir,
    DONDOC_LINK_SECRET: BENCH_SECRET,
    DONDOC_TEMPORAL_PORT: String(await freePort()),
    DONDOC_TEMPORAL_UI_PORT: '0',
  };
  const config = loadConfig(env);
  log(`starting a Temporal dev server (data in ${workDir})…`);
  const server = await startDevServer(config, log);
  try {
    const client = await connectClient({ ...config, temporal: { ...config.temporal, address: server.address } });
    log('bundling the benchmark workflows…');
    const bundles = await writeWorkflowBundles(workDir);
    const childEnv = { ...env, TEMPORAL_ADDRESS: server.address };
    const smallest = Math.min(...ks);
    const rows: WorkerMemoryRow[] = [];
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    if (o.snapshots) fs.mkdirSync(o.snapshots, { recursive: true });
    for (const k of ks) {
      for (const threads of o.threads ? [false, true] : [false]) {
        for (const kind of kinds as MemoryKind[]) {
          const snapshot = o.snapshots && k === smallest && !threads;
          rows.push(
            await measureWorkerMemory({
              client,
              env: childEnv,
              bundlePath: kind === 'floor' ? bundles.floor : bundles.bench,
              kind,
              k,
              tag: `${kind}-${k}-${threads ? 't' : 'v'}-${Date.now().toString(36)}`,
              workDir,
              threads,
              ...(snapshot ? { snapshotPath: path.resolve(o.snapshots!, `${kind}-${k}-${stamp}.heapsnapshot`) } : {}),
              log,
            }),
          );
        }
      }
    }
    fs.mkdirSync(o.out, { recursive: true });
    fs.writeFileSync(
      path.join(o.out, `memory-${stamp}.json`),
      `${JSON.stringify({ startedAt: stamp, rows }, null, 2)}\n`,
    );
    process.stdout.write(memoryTable(rows));
    await client.connection.close();
    await server.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  } catch (err) {
    // The server's log stays for reading (temporal-server.log).
    await server.stop();
    log(`failed; the data folder is kept: ${workDir}`);
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
