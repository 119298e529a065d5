import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
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
  const text = JSON.stringify({ workflowId: handle.workflowId, history: json });
  // Long histories are kept compressed (the replay test reads both).
  if (text.length > 200_000)
    fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json.gz`), zlib.gzipSync(text, { level: 9 }));
  else fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), text);
}

/** The text of a recorded history file (`.json` or `.json.gz`). */
export function readHistoryFile(file: string): string {
  const bytes = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

/** Reads a history written by `saveHistory` back into the SDK's History type. */
export function readHistory(json: unknown): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
}
