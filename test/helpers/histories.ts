import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ROOT } from './paths';

export const HISTORIES_DIR = path.join(ROOT, 'test/histories');

/**
 * Records a workflow's history for the replay test when DONDOC_RECORD_HISTORIES=1. Committed histories are
 * the proof that a change to workflow code still replays every path.
 */
export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.DONDOC_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
  });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), JSON.stringify({ workflowId: handle.workflowId, history: json }));
}

/** Reads a history written by `saveHistory` back into the SDK's History type. */
export function readHistory(json: unknown): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
}
