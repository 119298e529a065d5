/**
 * The record of links already used: one small JSON file per Temporal update id in the data folder. Temporal
 * already makes a link act once (the update id); this record lets the web tell the person, on a second visit,
 * that the action was done and when, without asking the workflow again.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { ActionResult } from '../domain/task-actions';

export interface UsedLink {
  /** When the workflow recorded the action (ISO instant, from the workflow's answer). */
  at: string;
  message: string;
  state: ActionResult['state'];
  action: string;
  agencyId: string;
  workflowId: string;
}

/** The folder of the records. */
export function usedLinksFolder(dataDir: string): string {
  return path.join(dataDir, 'web-actions');
}

const SAFE_ID = /^[0-9a-f]{64}$/;

/** Reads the record of an update id, or undefined. */
export async function readUsedLink(dataDir: string, updateId: string): Promise<UsedLink | undefined> {
  if (!SAFE_ID.test(updateId)) return undefined;
  try {
    return JSON.parse(await fs.readFile(path.join(usedLinksFolder(dataDir), `${updateId}.json`), 'utf8')) as UsedLink;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes the record once: an existing record (the first use) is kept. */
export async function writeUsedLink(dataDir: string, updateId: string, record: UsedLink): Promise<void> {
  if (!SAFE_ID.test(updateId)) return;
  const dir = usedLinksFolder(dataDir);
  await fs.mkdir(dir, { recursive: true });
  try {
    await fs.writeFile(path.join(dir, `${updateId}.json`), JSON.stringify(record), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
