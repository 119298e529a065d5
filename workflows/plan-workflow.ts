import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReportActivities } from '../activities/types';
import { addDays, instantOfLocal, localDateOf } from '../domain/calendar';
import { reportingDatesOf } from '../domain/reporting-dates';
import type { IsoDate } from '../domain/types';
import {
  planAmendedSignal,
  planQuery,
  planSummaryQuery,
  SA,
  setPlanUpdate,
  withdrawPlanUpdate,
  type PlanAmendedInput,
  type PlanState,
  type ReportFailure,
  type StoredPlan,
} from './definitions';

const { sendPeriodicReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 50 },
});

export interface PlanWorkflowInput {
  planId: string;
  timeZone: string;
  /** Local dates of the periodic report (runs started before the plan lived here; newer runs read the plan). */
  reportingDates: IsoDate[];
  reminderHour: number;
  /** Present when continuing as new. */
  carried?: { reportsSent: string[]; amendments: PlanAmendedInput[]; stored?: StoredPlan; failures?: ReportFailure[] };
  /** Reports due before this local date are not sent (a plan imported late does not mail past years). */
  from?: IsoDate;
}

/** Workflow id of a plan's own workflow. */
export function planWorkflowId(planId: string): string {
  return `dondoc-plan:${planId}`;
}

/** A plan's workflow stays open this long after its period (queryable, amendable, its instances lingering too). */
const LINGER_DAYS = 400;

/**
 * A plan's own workflow: the plan and its agency directory live here (set by import with `setPlan`, read with
 * `planQuery`), so every worker and web host reads the same plan from Temporal. On each reporting date it asks for
 * the periodic report (compiled from the task workflows, mailed to the monitoring agency); a report that fails its
 * retries is recorded and the plan goes on to its next date. Task instances are separate workflows, so this
 * history stays small whatever the plan's size; it continues as new when the server suggests it.
 */
export async function planWorkflow(input: PlanWorkflowInput): Promise<{ reportsSent: string[] }> {
  const reportsSent = input.carried?.reportsSent ?? [];
  const amendments = input.carried?.amendments ?? [];
  const failures: ReportFailure[] = input.carried?.failures ?? [];
  let stored: StoredPlan | undefined = input.carried?.stored;
  let changed = false;

  const publish = (): void => {
    if (!stored) return;
    const p = stored.plan;
    upsertSearchAttributes([{ key: SA.plan, value: input.planId }]);
    upsertMemo({
      number: p.number,
      title: p.title,
      issuer: p.issuer,
      issuerName: stored.issuerName ?? p.issuer,
      withdrawn: stored.withdrawn ?? null,
    });
  };
  const state = (): PlanState => ({ planId: input.planId, stored: stored ?? null, reportsSent, amendments, failures });

  setHandler(planAmendedSignal, (a) => {
    amendments.push(a);
    if (amendments.length > 50) amendments.shift();
  });
  setHandler(planSummaryQuery, () => ({ planId: input.planId, reportsSent, amendments }));
  setHandler(planQuery, state);
  setHandler(
    setPlanUpdate,
    (next) => {
      stored = { ...next, version: (stored?.version ?? 0) + 1 };
      changed = true;
      publish();
      return { version: stored.version };
    },
    {
      validator: (next: Omit<StoredPlan, 'version'>) => {
        if (next?.plan?.id !== input.planId)
          throw ApplicationFailure.create({
            type: 'InvalidPlan',
            message: `Kế hoạch "${String(next?.plan?.id)}" không phải "${input.planId}".`,
            nonRetryable: true,
          });
        if (typeof next.directoryGz !== 'string' || next.directoryGz.length === 0)
          throw ApplicationFailure.create({
            type: 'InvalidPlan',
            message: 'Thiếu danh bạ cơ quan của kế hoạch.',
            nonRetryable: true,
          });
      },
    },
  );
  setHandler(
    withdrawPlanUpdate,
    ({ reason, at }) => {
      if (stored) stored = { ...stored, withdrawn: { reason, at } };
      changed = true;
      publish();
      return state();
    },
    {
      validator: ({ reason }: { reason: string }) => {
        if (!stored)
          throw ApplicationFailure.create({
            type: 'InvalidPlan',
            message: 'Kế hoạch chưa được nhập.',
            nonRetryable: true,
          });
        if (typeof reason !== 'string' || reason.trim().length === 0)
          throw ApplicationFailure.create({
            type: 'InvalidPlan',
            message: 'Cần ghi lý do rút kế hoạch.',
            nonRetryable: true,
          });
      },
    },
  );

  const from = input.from ?? localDateOf(Date.now(), input.timeZone);
  const send = async (date: IsoDate): Promise<void> => {
    await sendPeriodicReport({ planId: input.planId, asOf: date, reportKey: `${input.planId}:${date}` });
    reportsSent.push(date);
  };

  // Runs started before the plan lived in its workflow: the dates they were started with, one after the other.
  if (!patched('plan-holds-plan')) {
    for (const date of input.reportingDates) {
      if (reportsSent.includes(date) || date < from) continue;
      const due = instantOfLocal(date, input.reminderHour, 30, input.timeZone);
      if (due > Date.now()) await condition(() => false, due - Date.now());
      if (patched('plan-report-failure-kept')) {
        await send(date).catch((err: unknown) => {
          failures.push({
            date,
            at: new Date(Date.now()).toISOString(),
            reason: err instanceof Error ? err.message : String(err),
          });
        });
      } else await send(date);
    }
    await condition(allHandlersFinished);
    return { reportsSent };
  }

  publish();
  for (;;) {
    const dates = stored && !stored.withdrawn ? reportingDatesOf(stored.plan) : stored ? [] : input.reportingDates;
    const done = (d: IsoDate): boolean => reportsSent.includes(d) || failures.some((f) => f.date === d) || d < from;
    const next = dates.find((d) => !done(d));
    const end = stored ? addDays(stored.plan.period.end, LINGER_DAYS) : undefined;
    const wakeAt = next
      ? instantOfLocal(next, input.reminderHour, 30, input.timeZone)
      : end
        ? instantOfLocal(end, 0, 0, input.timeZone)
        : undefined;
    changed = false;
    const interrupted =
      wakeAt === undefined
        ? await condition(() => changed)
        : await condition(() => changed, Math.max(0, wakeAt - Date.now()));
    if (!interrupted) {
      if (!next) break; // lingered long enough after the plan's period
      await send(next).catch((err: unknown) => {
        // Recorded (the report can be made by hand from the board) and not retried further: the plan goes on.
        failures.push({
          date: next,
          at: new Date(Date.now()).toISOString(),
          reason: err instanceof Error ? err.message : String(err),
        });
        if (failures.length > 50) failures.shift();
      });
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof planWorkflow>({ ...input, carried: { reportsSent, amendments, stored, failures } });
    }
  }
  await condition(allHandlersFinished);
  return { reportsSent };
}
