import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/types';
import { instantOfLocal, localDateOf } from '../domain/calendar';
import type { IsoDate } from '../domain/types';
import { planAmendedSignal, planSummaryQuery, type PlanAmendedInput } from './definitions';

const { sendPeriodicReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 50 },
});

export interface PlanWorkflowInput {
  planId: string;
  timeZone: string;
  /** Local dates on which the periodic report is due, ascending (from the plan's reporting duties). */
  reportingDates: IsoDate[];
  reminderHour: number;
  /** Present when continuing as new. */
  carried?: { reportsSent: string[]; amendments: PlanAmendedInput[] };
  /** Reports due before this local date are not sent (a plan imported late does not mail past years). */
  from?: IsoDate;
}

/** Workflow id of a plan's own workflow. */
export function planWorkflowId(planId: string): string {
  return `dondoc-plan:${planId}`;
}

/**
 * A plan's own workflow: on each reporting date it asks for the periodic report (compiled from the task
 * workflows through visibility and queries, mailed to the monitoring agency), and it records the plan's
 * amendments. Task instances are separate workflows started by import, so this history stays small whatever the
 * plan's size. Completes after the last reporting date.
 */
export async function planWorkflow(input: PlanWorkflowInput): Promise<{ reportsSent: string[] }> {
  const reportsSent = input.carried?.reportsSent ?? [];
  const amendments = input.carried?.amendments ?? [];
  setHandler(planAmendedSignal, (a) => {
    amendments.push(a);
    if (amendments.length > 50) amendments.shift();
  });
  setHandler(planSummaryQuery, () => ({ planId: input.planId, reportsSent, amendments }));

  const from = input.from ?? localDateOf(Date.now(), input.timeZone);
  for (const date of input.reportingDates) {
    if (reportsSent.includes(date) || date < from) continue;
    const due = instantOfLocal(date, input.reminderHour, 30, input.timeZone);
    if (due > Date.now()) await condition(() => false, due - Date.now());
    await sendPeriodicReport({ planId: input.planId, asOf: date, reportKey: `${input.planId}:${date}` });
    reportsSent.push(date);
  }
  await condition(allHandlersFinished);
  return { reportsSent };
}
