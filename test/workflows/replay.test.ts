import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, readHistory, readHistoryFile } from '../helpers/histories';

/**
 * Every recorded path of the task workflow (test/histories, recorded by the workflow tests with
 * DONDOC_RECORD_HISTORIES=1) must replay on today's workflow code: a non-deterministic change fails here.
 */
function loadHistories(): { workflowId: string; history: ReturnType<typeof readHistory> }[] {
  // Top level: histories of the current code; sub-folders: histories recorded before a patched() change.
  return fs
    .readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') || f.endsWith('.json.gz'))
    .sort()
    .map((f) => {
      const { workflowId, history } = JSON.parse(readHistoryFile(path.join(HISTORIES_DIR, f))) as {
        workflowId: string;
        history: unknown;
      };
      return { workflowId: `${f}:${workflowId}`, history: readHistory(history) };
    });
}

function bundle(): { codePath: string } {
  const codePath = process.env.DONDOC_TEST_BUNDLE;
  if (!codePath) throw new Error('No workflow bundle: run the tests with "npm test"');
  return { codePath };
}

test('every recorded history replays on the current workflow code', async () => {
  const histories = loadHistories();
  // v1: before patched('slow-overdue-after-ladder'); v2: before patched('notify-local-activity');
  // before-lifecycle-v3: the paths of the current code before the state machine and its fixes, among them one
  // history per defect of the review recorded on the code that had it. Top level: the current code.
  const count = (prefix: string): number => histories.filter((h) => h.workflowId.startsWith(prefix)).length;
  expect(count('v1/')).toBeGreaterThanOrEqual(8);
  expect(count('v2/')).toBeGreaterThanOrEqual(8);
  expect(count('before-lifecycle-v3/')).toBeGreaterThanOrEqual(17);
  // before-import-notice: task paths recorded before patched('import-notice') (a new instance tells its lead).
  expect(count('before-import-notice/')).toBeGreaterThanOrEqual(8);
  expect(count('import-notice.json')).toBe(1);
  // before-announced-delivery: task and digest paths recorded before reminders were prepared for an announced minute.
  expect(count('before-announced-delivery/')).toBeGreaterThanOrEqual(21);
  expect(histories.filter((h) => h.workflowId.startsWith('announced-delivery-')).length).toBeGreaterThanOrEqual(5);
  expect(histories.filter((h) => !h.workflowId.split(':')[0]!.includes('/')).length).toBeGreaterThanOrEqual(19);
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle() }, histories)) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
});

test('an altered history fails replay, so the replay test cannot pass vacuously', async () => {
  // A v2 history: notifications there went out as activity tasks, whose type replay checks.
  const [first] = loadHistories().filter((h) => h.workflowId.startsWith('v2/unattended-ladder'));
  expect(first).toBeDefined();
  const events = first!.history.events ?? [];
  // Change what the workflow was recorded to have scheduled: the first activity becomes another type.
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes);
  expect(scheduled).toBeDefined();
  scheduled!.activityTaskScheduledEventAttributes!.activityType = temporal.api.common.v1.ActivityType.create({
    name: 'sendFaxNotification',
  });
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle() }, [first!])) results.push(r);
  expect(results).toHaveLength(1);
  expect(results[0]!.error).toBeDefined();
  expect(results[0]!.error?.name).toMatch(/DeterminismViolationError|ReplayError/);
});
