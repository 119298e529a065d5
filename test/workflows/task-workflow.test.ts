import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../../activities';
import { createCalendar, getDayOfWeek, getTetDate, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import type { NotificationRequest } from '../../domain/types';
import { updateOf } from '../../workflows/actions';
import { cancelTaskSignal, taskSnapshotQuery } from '../../workflows/definitions';

const submitReportUpdate = updateOf('submit');
const confirmPartUpdate = updateOf('confirm');
const disputePartUpdate = updateOf('dispute');
const acceptResultUpdate = updateOf('accept');
const returnResultUpdate = updateOf('return');
const requestExtensionUpdate = updateOf('request_extension');
const decideExtensionUpdate = updateOf('approve_extension');
import type { taskWorkflow } from '../../workflows/task-workflow';
import { AGENCIES, deadlineSchedule, makeSpec } from '../helpers/spec';
import { saveHistory } from '../helpers/histories';
import { connectTimeSkipping, uniqueId } from '../helpers/temporal';
import {
  eventually,
  localToday as localTodayOn,
  plusDays,
  recordingActivities,
  runWith as runOn,
  type StartTask,
} from '../helpers/task-run';

const DAY = 86_400_000;
const calendar = createCalendar(VN_CALENDAR_OVERRIDES);

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

const lead = { agencyId: AGENCIES.lead.id };
const coord1 = { agencyId: AGENCIES.coord1.id };
const monitoring = { agencyId: AGENCIES.monitoring.id };

const localToday = (): Promise<string> => localTodayOn(env);
const runWith = <T>(activities: Activities, fn: (start: StartTask) => Promise<T>): Promise<T> =>
  runOn(env, activities, fn);

describe('task workflow on the time-skipping server', () => {
  test('30 days of workflow time pass in seconds and the task keeps its state', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday();
    await runWith(activities, async (start) => {
      const handle = await start(makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(plusDays(today, 90)) }));
      const before = await env.currentTimeMs();
      await env.sleep('30 days');
      const after = await env.currentTimeMs();
      expect(after - before).toBeGreaterThanOrEqual(30 * DAY);
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.state).toBe('in_progress');
      expect(snap.reportingStatus).toBe('in_progress_within_deadline');
      // The 30-working-day reminder of a 90-day deadline falls inside the first 30 days? No: it falls later.
      expect(items.filter((i) => i.kind === 'reminder')).toHaveLength(0);
      await saveHistory(handle, 'in-progress-30-days');
    });
  });

  test('reminders land on the right local working days, moving off weekends and Tết', async () => {
    const { activities, items } = recordingActivities();
    // The shared server's clock only moves forward, so the dates are chosen two years ahead of it.
    const year = Number((await localToday()).slice(0, 4)) + 2;
    // A Sunday deadline in the second half of May (no holiday within two weeks before it).
    let sunday = `${year}-05-16`;
    while (getDayOfWeek(sunday) !== 0) sunday = plusDays(sunday, 1);
    // A Wednesday just after Tết whose 7th weekday before it falls inside the Tết days off.
    const tet = getTetDate(year)!;
    let afterTet = plusDays(tet, 8);
    while (getDayOfWeek(afterTet) !== 3) afterTet = plusDays(afterTet, 1);
    const weekdaysBack = (d: string, n: number): string => {
      let x = d;
      for (let k = 0; k < n;) {
        x = plusDays(x, -1);
        if (getDayOfWeek(x) !== 0 && getDayOfWeek(x) !== 6) k += 1;
      }
      return x;
    };
    const naive7 = weekdaysBack(afterTet, 7);
    expect(calendar.isWorkingDay(naive7)).toBe(false); // the case under test: plain counting lands on Tết
    await runWith(activities, async (start) => {
      const a = await start(
        makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(sunday), reminderOffsets: [7, 3, 1, 0] }),
      );
      const b = await start(
        makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(afterTet), reminderOffsets: [7, 3] }),
      );
      const monday = plusDays(sunday, 1);
      await env.sleep(new Date(`${plusDays(monday, 1)}T12:00:00+07:00`).getTime() - (await env.currentTimeMs()));
      const sent = (wf: string): string[] =>
        items
          .filter((i) => i.task.workflowId === wf && (i.kind === 'reminder' || i.kind === 'due_today'))
          .map((i) => `${i.kind}@${i.localDate}`);
      // No holidays near: working days are weekdays, counted back from Monday (the deadline moved off Sunday).
      expect(sent(a.workflowId)).toEqual([
        `reminder@${weekdaysBack(monday, 7)}`,
        `reminder@${weekdaysBack(monday, 3)}`,
        `reminder@${weekdaysBack(monday, 1)}`,
        `due_today@${monday}`,
      ]);
      const [r7, r3] = items
        .filter((i) => i.task.workflowId === b.workflowId && i.kind === 'reminder')
        .map((i) => i.localDate);
      expect(r7 && r7 < naive7).toBe(true); // moved before Tết
      expect(calendar.workingDaysBetween(r7!, afterTet)).toBe(7);
      expect(calendar.workingDaysBetween(r3!, afterTet)).toBe(3);
      // Reminders land on working days; the notice of a new task goes out when the task is created.
      for (const i of items.filter((i) => i.kind !== 'plan_imported'))
        expect(calendar.isWorkingDay(i.localDate)).toBe(true);
      expect((await a.query(taskSnapshotQuery)).effectiveDue).toBe(monday);
      await saveHistory(a, 'reminders-weekend-deadline');
    });
  });

  test('a submission stops reminders and the escalation ladder', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday();
    await runWith(activities, async (start) => {
      const handle = await start(makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(plusDays(today, 20)) }));
      await env.sleep('12 days');
      const submittedAt = await env.currentTimeMs();
      const result = await handle.executeUpdate(submitReportUpdate, {
        args: [{ actor: lead, summary: 'Đã thành lập đội ngũ báo cáo viên', documentNumber: '12/QĐ-STP' }],
      });
      expect(result.state).toBe('submitted');
      await env.sleep('90 days');
      const afterSubmit = items.filter(
        (i) =>
          i.task.workflowId === handle.workflowId &&
          ['reminder', 'due_today', 'overdue', 'escalation'].includes(i.kind) &&
          !i.key.includes('coordinator_') &&
          i.localDate > new Date(submittedAt + 7 * 3600_000).toISOString().slice(0, 10),
      );
      expect(afterSubmit).toEqual([]);
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.ladderLevelReached).toBe(0);
      // The coordinator who has not confirmed is reminded instead, then escalated to the monitoring agency.
      expect(items.filter((i) => i.kind === 'confirm_request').map((i) => i.recipient.agencyId)).toEqual([
        coord1.agencyId,
      ]);
      expect(items.filter((i) => i.kind === 'coordinator_reminder').map((i) => i.recipient.agencyId)).toEqual([
        coord1.agencyId,
      ]);
      await saveHistory(handle, 'submitted-waiting-coordinator');
    });
  });

  test("a wrong agency's action is refused with a reason and leaves no trace", async () => {
    const { activities } = recordingActivities();
    await runWith(activities, async (start) => {
      const handle = await start(makeSpec(uniqueId('wf')));
      const refused = handle.executeUpdate(submitReportUpdate, {
        args: [{ actor: { agencyId: AGENCIES.other.id }, summary: 'Giả mạo' }],
      });
      await expect(refused).rejects.toThrow(WorkflowUpdateFailedError);
      await expect(refused).rejects.toMatchObject({
        cause: { message: expect.stringContaining('Chỉ cơ quan chủ trì') },
      });
      await expect(handle.executeUpdate(acceptResultUpdate, { args: [{ actor: lead }] })).rejects.toMatchObject({
        cause: { message: expect.stringContaining('cơ quan theo dõi') },
      });
      await expect(
        handle.executeUpdate(confirmPartUpdate, { args: [{ actor: { agencyId: AGENCIES.coord2.id } }] }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.state).toBe('in_progress');
      expect(snap.timeline.map((t) => t.action)).toEqual(['created']);
      const history = await handle.fetchHistory();
      const updateEvents = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      expect(updateEvents).toHaveLength(0);
    });
  });

  test('return for rework, resubmission, sign-off and acceptance', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday();
    await runWith(activities, async (start) => {
      const handle = await start(makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(plusDays(today, 40)) }));
      await handle.executeUpdate(submitReportUpdate, { args: [{ actor: lead, summary: 'Bản đầu' }] });
      expect((await handle.executeUpdate(confirmPartUpdate, { args: [{ actor: coord1 }] })).state).toBe('confirmed');
      const returned = await handle.executeUpdate(returnResultUpdate, {
        args: [{ actor: monitoring, reason: 'Thiếu danh sách báo cáo viên' }],
      });
      expect(returned.state).toBe('returned');
      await eventually(() =>
        expect(items.find((i) => i.kind === 'returned')?.details.reason).toBe('Thiếu danh sách báo cáo viên'),
      );
      await env.sleep('5 days');
      await handle.executeUpdate(submitReportUpdate, {
        args: [{ actor: lead, summary: 'Bản hoàn chỉnh', evidenceUrl: 'https://stp.example.gov.vn/qd-12.pdf' }],
      });
      await handle.executeUpdate(confirmPartUpdate, { args: [{ actor: coord1, note: 'Thống nhất' }] });
      const accepted = await handle.executeUpdate(acceptResultUpdate, { args: [{ actor: monitoring }] });
      expect(accepted.state).toBe('accepted');
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.reportingStatus).toBe('done_on_time');
      expect(snap.submission?.summary).toBe('Bản hoàn chỉnh');
      expect(snap.timeline.map((t) => t.action)).toEqual([
        'created',
        'submit',
        'confirm',
        'return',
        'submit',
        'confirm',
        'accept',
      ]);
      expect(snap.timeline.find((t) => t.action === 'return')?.actor.id).toBe(monitoring.agencyId);
      await saveHistory(handle, 'return-rework-accept');
    });
  });

  test('a coordinator disputes the report; lead and monitoring agency are told', async () => {
    const { activities, items } = recordingActivities();
    await runWith(activities, async (start) => {
      const handle = await start(makeSpec(uniqueId('wf')));
      await handle.executeUpdate(submitReportUpdate, { args: [{ actor: lead, summary: 'Xong' }] });
      const r = await handle.executeUpdate(disputePartUpdate, {
        args: [{ actor: coord1, reason: 'Chưa phối hợp tổ chức tập huấn' }],
      });
      expect(r.state).toBe('disputed');
      await expect(handle.executeUpdate(acceptResultUpdate, { args: [{ actor: monitoring }] })).rejects.toMatchObject({
        cause: { message: expect.stringContaining('Chưa đủ xác nhận') },
      });
      await eventually(() =>
        expect(
          items
            .filter((i) => i.kind === 'disputed')
            .map((i) => i.recipient.agencyId)
            .sort(),
        ).toEqual([AGENCIES.monitoring.id, AGENCIES.lead.id].sort()),
      );
      await saveHistory(handle, 'disputed');
    });
  });

  test('extension approved moves the deadline and resets the ladder; rejected keeps it', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday();
    await runWith(activities, async (start) => {
      const due = plusDays(today, 10);
      const handle = await start(makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(due) }));
      const other = await start(makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(due) }));
      // Let level 1 (3 working days overdue) fire, not level 2 (7), then ask for more time.
      const midway = calendar.addWorkingDays(calendar.effectiveDeadline(due), 5);
      await env.sleep(new Date(`${midway}T12:00:00+07:00`).getTime() - (await env.currentTimeMs()));
      const mine = (wf: string, kind: string): NotificationRequest[] =>
        items.filter((i) => i.task.workflowId === wf && i.kind === kind);
      expect(mine(handle.workflowId, 'escalation').map((i) => i.details.level)).toEqual([1]);
      const newDue = plusDays(today, 60);
      await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: lead, newDue, reason: 'Chờ kinh phí' }] });
      const approved = await handle.executeUpdate(decideExtensionUpdate, {
        args: [{ actor: monitoring, approve: true }],
      });
      expect(approved.state).toBe('in_progress');
      await other.executeUpdate(requestExtensionUpdate, { args: [{ actor: lead, newDue, reason: 'Chờ kinh phí' }] });
      const rejected = await other.executeUpdate(decideExtensionUpdate, {
        args: [{ actor: monitoring, approve: false, reason: 'Không có căn cứ' }],
      });
      expect(rejected.state).toBe('in_progress');
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.due).toBe(newDue);
      expect(snap.reportingStatus).toBe('in_progress_within_deadline');
      expect(snap.deadlineHistory.map((d) => d.due)).toEqual([due, newDue]);
      expect((await other.query(taskSnapshotQuery)).due).toBe(due);
      await env.sleep('70 days');
      // The ladder starts again from level 1 against the new deadline.
      expect(mine(handle.workflowId, 'escalation').map((i) => i.details.level)).toEqual([1, 1, 2, 3]);
      const reminders = mine(handle.workflowId, 'reminder').filter((i) => i.localDate > today);
      expect(reminders.length).toBeGreaterThan(0);
      expect(mine(other.workflowId, 'escalation').map((i) => i.details.level)).toEqual([1, 2, 3]);
      await saveHistory(handle, 'extension-approved');
    });
  });

  test('an unattended task climbs every ladder level exactly once, with overdue notices on a rhythm', async () => {
    const { activities, items } = recordingActivities();
    const today = await localToday();
    await runWith(activities, async (start) => {
      const due = plusDays(today, 5);
      const handle = await start(makeSpec(uniqueId('wf'), { schedule: deadlineSchedule(due) }));
      await env.sleep('120 days');
      const esc = items.filter((i) => i.kind === 'escalation');
      expect(esc.map((i) => [i.details.level, i.recipient.agencyId, i.recipient.role])).toEqual([
        [1, AGENCIES.lead.id, 'head'],
        [2, AGENCIES.monitoring.id, 'focal'],
        [3, AGENCIES.authority.id, 'office'],
      ]);
      const eff = calendar.effectiveDeadline(due);
      expect(esc.map((i) => i.localDate)).toEqual([3, 7, 14].map((n) => calendar.addWorkingDays(eff, n)));
      const overdue = items.filter((i) => i.kind === 'overdue').map((i) => i.localDate);
      expect(overdue.slice(0, 3)).toEqual([5, 10, 15].map((n) => calendar.addWorkingDays(eff, n)));
      const snap = await handle.query(taskSnapshotQuery);
      expect(snap.reportingStatus).toBe('in_progress_overdue');
      expect(snap.ladderLevelReached).toBe(3);
      await saveHistory(handle, 'unattended-ladder');
    });
  });

  test('cancellation by the plan ends the task', async () => {
    const { activities } = recordingActivities();
    await runWith(activities, async (start) => {
      const handle = await start(makeSpec(uniqueId('wf')));
      await handle.signal(cancelTaskSignal, { reason: 'Kế hoạch sửa đổi bỏ nhiệm vụ' });
      const final = await handle.result();
      expect(final.state).toBe('cancelled');
      expect(final.timeline.at(-1)?.note).toBe('Kế hoạch sửa đổi bỏ nhiệm vụ');
      await saveHistory(handle, 'cancelled');
    });
  });

  test('a yearly task over three years runs three cycles, continuing as new between them', async () => {
    const { activities } = recordingActivities();
    const y = Number((await localToday()).slice(0, 4)) + 1;
    await runWith(activities, async (start) => {
      const dues = [`${y}-12-31`, `${y + 1}-12-31`, `${y + 2}-12-31`];
      const handle = await start(
        makeSpec(uniqueId('wf'), {
          schedule: {
            text: `Năm ${y} - ${y + 2}`,
            kind: 'window',
            due: dues[0]!,
            dues,
            recurrence: 'yearly',
            windowStart: `${y}-01-01`,
            windowEnd: `${y + 2}-12-31`,
            confident: true,
            reason: 'test',
          },
          requiredSignOff: [],
        }),
      );
      const runIds = new Set<string>();
      for (const [i, due] of dues.entries()) {
        await env.sleep(new Date(`${due.slice(0, 4)}-11-01T09:00:00+07:00`).getTime() - (await env.currentTimeMs()));
        const h = env.client.workflow.getHandle<typeof taskWorkflow>(handle.workflowId);
        const snap = await h.query(taskSnapshotQuery);
        expect(snap.cycle).toBe(i);
        expect(snap.due).toBe(due);
        expect(snap.state).toBe('in_progress');
        runIds.add((await h.describe()).runId);
        await h.executeUpdate(submitReportUpdate, {
          args: [{ actor: lead, summary: `Báo cáo năm ${due.slice(0, 4)}` }],
        });
        await h.executeUpdate(acceptResultUpdate, { args: [{ actor: monitoring }] });
      }
      expect(runIds.size).toBe(3);
      const last = await env.client.workflow.getHandle<typeof taskWorkflow>(handle.workflowId).query(taskSnapshotQuery);
      expect(last.pastCycles.map((c) => [c.cycle, c.reportingStatus])).toEqual([
        [0, 'done_on_time'],
        [1, 'done_on_time'],
      ]);
      expect(last.state).toBe('accepted');
      const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
      expect(history.events?.length ?? 0).toBeLessThan(200);
    });
  });
});
