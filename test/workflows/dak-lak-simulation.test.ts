import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activities } from '../../activities';
import { createCalendar, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import type { IsoDate, NotificationRequest, ReportingStatus, TaskInstanceSpec } from '../../domain/types';
import { loadPlanFile, type LoadedPlan } from '../../plans/load';
import { applyLoadedPlan } from '../../services/import-plan';
import { actOnTask, getTask } from '../../services/tasks';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { ROOT } from '../helpers/paths';
import { connectTimeSkipping, terminateAll, testWorker, uniqueId } from '../helpers/temporal';

/**
 * The whole Đắk Lắk 2019–2022 example plan, from import to its end, on the time-skipping server. The server's
 * clock only moves forward, so the plan is moved by whole years to start next year; every instance then follows
 * a scripted behaviour (on time, late, silent, postponed) and the final count per reporting status must match.
 */
const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

const shiftDate = (d: IsoDate, years: number): IsoDate => {
  const y = Number(d.slice(0, 4)) + years;
  const md = d.slice(5) === '02-29' ? '02-28' : d.slice(5);
  return `${y}-${md}`;
};

function shiftPlan(loaded: LoadedPlan, years: number, suffix: string): LoadedPlan {
  const planId = `${loaded.plan.id}-${suffix}`;
  const shiftSpec = (s: TaskInstanceSpec): TaskInstanceSpec => ({
    ...s,
    planId,
    workflowId: s.workflowId.replace(`:${loaded.plan.id}:`, `:${planId}:`),
    schedule: {
      ...s.schedule,
      due: s.schedule.due ? shiftDate(s.schedule.due, years) : null,
      dues: s.schedule.dues.map((d) => shiftDate(d, years)),
      windowStart: s.schedule.windowStart ? shiftDate(s.schedule.windowStart, years) : undefined,
      windowEnd: s.schedule.windowEnd ? shiftDate(s.schedule.windowEnd, years) : undefined,
    },
  });
  return {
    ...loaded,
    plan: {
      ...loaded.plan,
      id: planId,
      period: { start: shiftDate(loaded.plan.period.start, years), end: shiftDate(loaded.plan.period.end, years) },
    },
    instances: loaded.instances.map(shiftSpec),
  };
}

type Behaviour = 'on_time' | 'late' | 'silent' | 'postponed';
const BEHAVIOURS: Behaviour[] = ['on_time', 'late', 'silent', 'postponed'];

function expectedStatus(spec: TaskInstanceSpec, b: Behaviour): ReportingStatus {
  if (b === 'postponed') return 'not_started';
  if (spec.schedule.dues.length === 0) {
    if (spec.schedule.kind === 'unscheduled') return 'not_started';
    return b === 'on_time' ? 'done_on_time' : 'in_progress_within_deadline';
  }
  return b === 'on_time' ? 'done_on_time' : b === 'late' ? 'done_late' : 'in_progress_overdue';
}

test('the Đắk Lắk plan plays out from import to its end with the expected count per reporting status', async () => {
  const original = loadPlanFile(path.join(ROOT, 'examples/dak-lak-2019/plan.yaml'));
  const nowYear = Number(new Date((await env.currentTimeMs()) + 7 * 3600_000).toISOString().slice(0, 4));
  const years = nowYear + 1 - Number(original.plan.period.start.slice(0, 4));
  const loaded = shiftPlan(original, years, uniqueId('sim').toLowerCase());
  const specs = [...loaded.instances].sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  expect(specs.length).toBe(68);
  const behaviour = new Map(specs.map((s, i) => [s.workflowId, BEHAVIOURS[i % 4]!]));

  const notices: NotificationRequest[] = [];
  const reports: string[] = [];
  const activities: Activities = {
    async enqueueNotifications({ items }) {
      notices.push(...items);
    },
    async deliverDigest() {
      throw new Error('mail is recorded at enqueue in this simulation');
    },
    async sendPeriodicReport({ asOf }) {
      reports.push(asOf);
      return { tasks: specs.length, messageId: null };
    },
  };
  const taskQueue = uniqueId('sim');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-sim-'));
  const worker = await testWorker(env, taskQueue, activities);
  const ids = specs.map((s) => s.workflowId);
  try {
    await worker.runUntil(async () => {
      const summary = await applyLoadedPlan(loaded, {
        client: env.client,
        taskQueue,
        dataDir,
        reminderHour: 8,
        listExisting: async () => [],
      });
      expect(summary.started).toBe(68);

      // The script: every action of every agency, in time order.
      const events: { at: number; run: () => Promise<void> }[] = [];
      const act = async (
        wf: string,
        action: Parameters<typeof actOnTask>[2],
        input: Parameters<typeof actOnTask>[3],
      ): Promise<void> => {
        const outcome = await actOnTask(env.client, wf, action, input);
        if (!outcome.ok) throw new Error(`${wf} ${action}: ${outcome.reason}`);
      };
      const complete = (spec: TaskInstanceSpec, cycle: number) => async (): Promise<void> => {
        const snap = await getTask(env.client, spec.workflowId);
        expect(snap.cycle).toBe(cycle);
        await act(spec.workflowId, 'submit', {
          actor: { agencyId: snap.lead.id },
          summary: `Kết quả chu kỳ ${cycle + 1}`,
        });
        for (const c of spec.requiredSignOff) await act(spec.workflowId, 'confirm', { actor: { agencyId: c } });
        await act(spec.workflowId, 'accept', { actor: { agencyId: spec.monitoring.id } });
      };
      const start = new Date(`${loaded.plan.period.start}T10:00:00+07:00`).getTime();
      for (const spec of specs) {
        const b = behaviour.get(spec.workflowId)!;
        if (b === 'postponed') {
          events.push({
            at: start,
            run: () =>
              act(spec.workflowId, 'postpone', { actor: { agencyId: spec.monitoring.id }, reason: 'Chờ kinh phí' }),
          });
          continue;
        }
        if (spec.schedule.dues.length === 0) {
          if (b === 'on_time') events.push({ at: start + 90 * 86_400_000, run: complete(spec, 0) });
          continue;
        }
        spec.schedule.dues.forEach((due, cycle) => {
          const eff = calendar.effectiveDeadline(due);
          if (b === 'on_time')
            events.push({
              at: new Date(`${due}T10:00:00+07:00`).getTime() - 10 * 86_400_000,
              run: complete(spec, cycle),
            });
          if (b === 'late')
            events.push({
              at: new Date(`${eff}T10:00:00+07:00`).getTime() + 8 * 86_400_000,
              run: complete(spec, cycle),
            });
        });
      }
      events.sort((a, b) => a.at - b.at);
      for (const e of events) {
        const wait = e.at - (await env.currentTimeMs());
        if (wait > 0) await env.sleep(wait);
        await e.run();
      }
      const end = new Date(`${shiftDate('2023-03-01', years)}T12:00:00+07:00`).getTime();
      await env.sleep(end - (await env.currentTimeMs()));

      const snaps = await Promise.all(ids.map((id) => getTask(env.client, id)));
      const count = (f: (s: ReportingStatus) => boolean, list: ReportingStatus[]): number => list.filter(f).length;
      const actual = snaps.map((s) => s.reportingStatus);
      const expected = specs.map((s) => expectedStatus(s, behaviour.get(s.workflowId)!));
      for (const status of [
        'done_on_time',
        'done_late',
        'in_progress_within_deadline',
        'in_progress_overdue',
        'not_started',
      ] as const)
        expect([status, count((x) => x === status, actual)]).toEqual([status, count((x) => x === status, expected)]);
      expect(actual).toEqual(expected); // and task by task

      // Recurring instances kept each cycle's result; silent ones climbed the ladder in every cycle.
      const yearly = snaps.filter((s) => s.taskKey === '2.1' && behaviour.get(s.workflowId) === 'late');
      for (const s of yearly)
        expect(s.pastCycles.map((c) => c.reportingStatus)).toEqual(['done_late', 'done_late', 'done_late']);
      const silentDeadline = snaps.find(
        (s) => s.taskKey === '5.3-tong-ket' && behaviour.get(s.workflowId) === 'silent',
      )!;
      expect(silentDeadline.ladderLevelReached).toBe(3);
      const lead = silentDeadline.lead.id;
      const levels = notices
        .filter((n) => n.task.workflowId === silentDeadline.workflowId && n.kind === 'escalation')
        .map((n) => n.details.level);
      expect(levels).toEqual([1, 2, 3]);
      expect(notices.some((n) => n.recipient.agencyId === lead && n.kind === 'reminder')).toBe(true);
      expect(reports).toEqual([0, 1, 2, 3].map((k) => shiftDate(`${2019 + k}-12-15`, years)));

      // Every run's history stays small, whatever the length of the plan.
      let largest = 0;
      for (const id of ids) {
        const history = await env.client.workflow.getHandle(id).fetchHistory();
        largest = Math.max(largest, history.events?.length ?? 0);
      }
      process.stderr.write(`[simulation] 68 instances over 4 years; largest run history: ${largest} events\n`);
      expect(largest).toBeLessThan(1000);
    });
  } finally {
    await terminateAll([...ids, planWorkflowId(loaded.plan.id)].map((id) => env.client.workflow.getHandle(id)));
  }
}, 300_000);
