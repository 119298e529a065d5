/**
 * A bundle with one empty workflow and nothing of dondoc: what the SDK itself costs per cached workflow
 * (bench/worker-memory.ts, kind `floor`). In the benchmark's own bundle even an empty workflow gets its own copy
 * of every module dondoc's workflows import that is not preloaded.
 */
import { condition } from '@temporalio/workflow';

/** Waits on a timer until `wakeAt`, then ends. */
export async function benchFloorWorkflow(input: { wakeAt: number }): Promise<void> {
  await condition(() => false, Math.max(1, input.wakeAt - Date.now()));
}
