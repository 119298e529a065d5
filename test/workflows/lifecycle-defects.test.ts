/**
 * One time-skipping test per defect found in the review of the task workflow (issue #16). Each failed on the code
 * before `patched('lifecycle-v3')` and passes after; with DONDOC_RECORD_HISTORIES=1 each records its history, so
 * the replay test holds both the paths recorded before the fix (test/histories/before-lifecycle-v3) and after.
 * Updates are called by their public names so the same file runs on the code before the change.
 */
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCalendar, getDayOfWeek, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import type { TaskSnapshot } from '../../domain/types';
import { taskSnapshotQuery } from '../../workflows/definitions';
import { saveHistory } from '../helpers/histories';
import { AGENCIES, deadlineSchedule, makeSpec } from '../helpers/spec';
import { eventually, localToday, plusDays, recordingActivities, runWith } from '../helpers/task-run';
import { connectTimeSkipping, uniqueId } from '../helpers/temporal';

const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
const lead = { agencyId: AGENCIES.lead.id };
const coord1 = { agencyId: AGENCIES.coord1.id };
const monitoring = { agencyId: AGENCIES.monitoring.id };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

const wfId = (): string => `dondoc:defects:${uniqueId('t')}:${AGENCIES.lead.id}`;

async function refusalOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  return refusalIn(
    await p.then(
      () => undefined,
      (e: unknown) => e,
    ),
  );
}

function refusalIn(err: unknown): ApplicationFailure {
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('defects of the task workflow review, each with its history', () => {
  test('1. a recurring task closes its cycle even when the run continues as new at that moment', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    // Two yearly dues on a Friday: the overdue status changes on Saturday, the unfinished cycle closes on Monday.
    let friday = plusDays(today, 20);
    while (getDayOfWeek(friday) !== 5 || !calendar.isWorkingDay(friday) || !calendar.isWorkingDay(plusDays(friday, 3)))
      friday = plusDays(friday, 1);
    const next = plusDays(friday, 364);
    const spec = makeSpec(wfId(), {
      schedule: {
        text: 'Hằng năm',
        kind: 'recurring',
        due: friday,
        dues: [friday, next],
        recurrence: 'yearly',
        confident: true,
        reason: 'test',
      },
      reminderOffsets: [],
      overdueEveryWorkingDays: 1000,
      ladder: [],
      requiredSignOff: [],
    });
    await runWith(env, activities, async (start) => {
      const handle = await start(spec);
      await env.sleep(new Date(`${plusDays(friday, 1)}T12:00:00+07:00`).getTime() - (await env.currentTimeMs()));
      // Push the run's history past the continue-as-new limit between the Saturday status change and Monday's close.
      for (let i = 0; i < 850; i++)
        await handle.signal('deliveryFailed', { key: `k|0|reminder|x|${i}`, recipient: 'a@x', reason: 'same' });
      await env.sleep(new Date(`${plusDays(friday, 4)}T12:00:00+07:00`).getTime() - (await env.currentTimeMs()));
      // The first run: the one whose history passed the limit as its cycle closed.
      await saveHistory(
        env.client.workflow.getHandle(spec.workflowId, handle.firstExecutionRunId),
        'defect-1-close-cycle',
      );
      const snap = await env.client.workflow.getHandle(spec.workflowId).query(taskSnapshotQuery);
      expect(snap.cycle).toBe(1);
      expect(snap.due).toBe(next);
      expect(snap.pastCycles).toMatchObject([{ cycle: 0, due: friday }]);
    });
  });

  test('2. a decline reaches the monitoring agency as a decline, a reassignment the new lead as one, a dispute offers no submit link to the monitoring agency', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const a = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)) }));
      await a.executeUpdate('declineTask', { args: [{ actor: lead, reason: 'Không thuộc thẩm quyền' }] });
      await a.executeUpdate('reassignTask', {
        args: [{ actor: monitoring, newLead: AGENCIES.other, reason: 'Đúng thẩm quyền' }],
      });
      const b = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)) }));
      await b.executeUpdate('submitReport', { args: [{ actor: lead, summary: 'Xong' }] });
      await b.executeUpdate('disputePart', { args: [{ actor: coord1, reason: 'Thiếu số liệu' }] });
      await eventually(() =>
        expect(items.filter((i) => i.task.workflowId === b.workflowId && i.kind === 'disputed')).toHaveLength(2),
      );
      await saveHistory(a, 'defect-2-decline-reassign');
      await saveHistory(b, 'defect-2-dispute');
      const ofA = items.filter((i) => i.task.workflowId === a.workflowId);
      expect(ofA.map((i) => [i.kind, i.recipient.agencyId])).toEqual([
        ['plan_imported', AGENCIES.lead.id],
        ['declined', AGENCIES.monitoring.id],
        ['reassigned', AGENCIES.other.id],
      ]);
      const dispute = items.filter((i) => i.task.workflowId === b.workflowId && i.kind === 'disputed');
      expect(dispute.find((i) => i.recipient.agencyId === AGENCIES.monitoring.id)?.details.actions ?? []).not.toContain(
        'submit',
      );
      expect(dispute.find((i) => i.recipient.agencyId === AGENCIES.lead.id)?.details.actions).toContain('submit');
    });
  });

  test('3. the board reads the new lead after a reassignment', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)) }));
      await handle.executeUpdate('reassignTask', {
        args: [{ actor: monitoring, newLead: AGENCIES.other, reason: 'Giao lại' }],
      });
      await saveHistory(handle, 'defect-3-memo-lead');
      const described = await handle.describe();
      expect(described.memo?.['leadName']).toBe(AGENCIES.other.name);
    });
  });

  test('4. the snapshot keeps every change of state of the cycle, beyond what the timeline shows', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(
        makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)), requiredSignOff: [] }),
      );
      for (let i = 0; i < 110; i++) {
        await handle.executeUpdate('submitReport', { args: [{ actor: lead, summary: `Lần ${i + 1}` }] });
        await handle.executeUpdate('returnResult', { args: [{ actor: monitoring, reason: `Bổ sung ${i + 1}` }] });
      }
      await saveHistory(handle, 'defect-4-transitions');
      const snap: TaskSnapshot = await handle.query(taskSnapshotQuery);
      expect(snap.timeline.length).toBeLessThanOrEqual(200);
      expect(snap.timeline[0]?.action).not.toBe('created'); // the display timeline lost its beginning
      expect(snap.transitions?.length).toBe(221);
      expect(snap.transitions?.[0]).toMatchObject({ state: 'in_progress', due: plusDays(today, 60) });
    });
  });

  test('6. an action id acts once, and a dispute is not taken twice', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)) }));
      const settle = (p: Promise<unknown>): Promise<unknown> =>
        p.then(
          (v) => v,
          (e: unknown) => e,
        );
      await handle.executeUpdate('submitReport', { args: [{ actor: lead, summary: 'Bản đầu', actionId: 'link:one' }] });
      await handle.executeUpdate('returnResult', { args: [{ actor: monitoring, reason: 'Bổ sung' }] });
      const again = await settle(
        handle.executeUpdate('submitReport', { args: [{ actor: lead, summary: 'Phát lại', actionId: 'link:one' }] }),
      );
      await settle(
        handle.executeUpdate('submitReport', { args: [{ actor: lead, summary: 'Bản hai', actionId: 'link:two' }] }),
      );
      await handle.executeUpdate('disputePart', { args: [{ actor: coord1, reason: 'Thiếu' }] });
      const twice = await settle(
        handle.executeUpdate('disputePart', { args: [{ actor: coord1, reason: 'Thiếu lần nữa' }] }),
      );
      await saveHistory(handle, 'defect-6-act-once');
      expect(refusalIn(again).details?.[0]).toMatchObject({ code: 'already_done' });
      expect(refusalIn(twice).details?.[0]).toMatchObject({ code: 'wrong_state' });
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.submission?.summary).toBe('Bản hai');
      expect(snap.timeline.filter((e) => e.action === 'dispute')).toHaveLength(1);
    });
  });

  test('7. a refusal carries its code over the wire', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)) }));
      const notAllowed = await refusalOf(handle.executeUpdate('acceptResult', { args: [{ actor: lead }] }));
      expect(notAllowed.type).toBe('ActionRefused');
      expect(notAllowed.details?.[0]).toMatchObject({ code: 'not_allowed' });
      const wrongState = await refusalOf(handle.executeUpdate('acceptResult', { args: [{ actor: monitoring }] }));
      expect(wrongState.details?.[0]).toMatchObject({ code: 'wrong_state' });
      const stale = await refusalOf(
        handle.executeUpdate('submitReport', { args: [{ actor: lead, summary: 'x', cycle: 4 }] }),
      );
      expect(stale.details?.[0]).toMatchObject({ code: 'stale_link' });
      const invalid = await refusalOf(handle.executeUpdate('submitReport', { args: [{ actor: lead, summary: ' ' }] }));
      expect(invalid.details?.[0]).toMatchObject({ code: 'invalid_input', field: 'summary' });
      // Refused updates leave no event: the history is the start alone.
      await saveHistory(handle, 'defect-7-refusals');
    });
  });

  test('9. an alarm that changes no search attribute writes none, and the fired list stays small however long a task is overdue', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(
        makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 10)), overdueEveryWorkingDays: 1 }),
      );
      await env.sleep('120 days');
      await saveHistory(handle, 'defect-9-quiet-alarms');
      const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
      const events = history.events ?? [];
      const upserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length;
      const markers = events.filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
      ).length;
      // Dozens of overdue notices (one local activity each) but only a handful of status changes.
      expect(markers).toBeGreaterThan(20);
      expect(upserts).toBeLessThan(10);
      const described = await handle.describe();
      expect(described.status.name).toBe('RUNNING');
    });
  });

  test('10. a task already overdue when imported is reminded within days, with the passed ladder caught up once', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, -700)) }));
      await env.sleep('5 days');
      await saveHistory(handle, 'defect-10-overdue-import');
      const mine = items.filter((i) => i.task.workflowId === handle.workflowId);
      expect(mine.filter((i) => i.kind === 'overdue').length).toBeGreaterThanOrEqual(1);
      expect(mine.filter((i) => i.kind === 'escalation').map((i) => i.details.level)).toEqual([3]);
    });
  });

  test('11. a cancelled task counts as cancelled', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    await runWith(env, activities, async (start) => {
      const handle = await start(makeSpec(wfId(), { schedule: deadlineSchedule(plusDays(today, 60)) }));
      await handle.signal('cancelTask', { reason: 'Bỏ khỏi kế hoạch' });
      // The instance ends once the lead is told; its result is the final snapshot.
      expect((await handle.result()).state).toBe('cancelled');
      await saveHistory(handle, 'defect-11-cancelled');
      const snap = await env.client.workflow.getHandle(handle.workflowId).query(taskSnapshotQuery);
      expect(snap.state).toBe('cancelled');
      expect(snap.reportingStatus).toBe('cancelled');
    });
  });

  test('13. an instance of an agency dissolved into a successor moves to it on the day, at once when the day has passed', async () => {
    const { activities } = recordingActivities();
    const today = await localToday(env);
    const successor = { id: 'ubnd-xa-ke-thua', name: 'UBND xã kế thừa' };
    await runWith(env, activities, async (start) => {
      const past = await start(
        makeSpec(wfId(), {
          schedule: deadlineSchedule(plusDays(today, 60)),
          successions: [{ from: AGENCIES.lead.id, to: successor, on: plusDays(today, -30) }],
        }),
      );
      const future = await start(
        makeSpec(wfId(), {
          schedule: deadlineSchedule(plusDays(today, 60)),
          successions: [{ from: AGENCIES.lead.id, to: successor, on: plusDays(today, 10) }],
        }),
      );
      await env.sleep('9 days');
      // The day had passed for one: it moved at once. The other's day comes after the next sleep.
      expect((await past.query(taskSnapshotQuery)).lead).toEqual(successor);
      expect((await future.query(taskSnapshotQuery)).lead.id).toBe(AGENCIES.lead.id);
      await env.sleep('2 days');
      await saveHistory(future, 'defect-13-succession');
      const after = await future.query(taskSnapshotQuery);
      expect(after.lead).toEqual(successor);
      expect(after.timeline.some((e) => e.action === 'reassigned_by_succession')).toBe(true);
    });
  });
});
