/**
 * The plan workflow on the time-skipping server: periodic reports on their dates, and a report that keeps failing
 * does not end the plan. With DONDOC_RECORD_HISTORIES=1 each test records its history for the replay test.
 */
import { ApplicationFailure } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../../activities';
import type { PeriodicReportInput } from '../../activities/types';
import { planSummaryQuery } from '../../workflows/definitions';
import type { planWorkflow, PlanWorkflowInput } from '../../workflows/plan-workflow';
import { saveHistory } from '../helpers/histories';
import { eventually, localToday, plusDays } from '../helpers/task-run';
import { connectTimeSkipping, terminateAll, testWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

function reports(failOn: (input: PeriodicReportInput) => boolean = () => false): { activities: Activities; asked: PeriodicReportInput[] } {
  const asked: PeriodicReportInput[] = [];
  const activities: Activities = {
    async enqueueNotifications() {
      throw new Error('not used by plans');
    },
    async deliverDigest() {
      throw new Error('not used by plans');
    },
    async sendPeriodicReport(input) {
      asked.push(input);
      if (failOn(input)) throw ApplicationFailure.nonRetryable('Không lập được báo cáo: thiếu dữ liệu', 'ReportFailed');
      return { tasks: 3, messageId: `<${input.reportKey}>` };
    },
  };
  return { activities, asked };
}

async function withPlan<T>(activities: Activities, fn: (start: (input: PlanWorkflowInput) => Promise<string>) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('plan');
  const worker = await testWorker(env, taskQueue, activities);
  const ids: string[] = [];
  try {
    return await worker.runUntil(
      fn(async (input) => {
        const workflowId = `dondoc-plan:${input.planId}`;
        await env.client.workflow.start<typeof planWorkflow>('planWorkflow', { taskQueue, workflowId, args: [input] });
        ids.push(workflowId);
        return workflowId;
      }),
    );
  } finally {
    await terminateAll(ids.map((id) => env.client.workflow.getHandle(id)));
  }
}

describe('plan workflow', () => {
  test('sends the periodic report on each reporting date', async () => {
    const { activities, asked } = reports();
    const today = await localToday(env);
    const dates = [plusDays(today, 10), plusDays(today, 40)];
    await withPlan(activities, async (start) => {
      const planId = uniqueId('p');
      const id = await start({ planId, timeZone: 'Asia/Ho_Chi_Minh', reportingDates: dates, reminderHour: 8 });
      await env.sleep('45 days');
      await eventually(() => expect(asked.map((a) => a.asOf)).toEqual(dates));
      const h = env.client.workflow.getHandle(id);
      expect((await h.query(planSummaryQuery)).reportsSent).toEqual(dates);
      await saveHistory(h, 'plan-reports-sent');
    });
  });

  test('a report that keeps failing is recorded and the plan goes on to its next date', async () => {
    const today = await localToday(env);
    const dates = [plusDays(today, 10), plusDays(today, 40)];
    const { activities, asked } = reports((i) => i.asOf === dates[0]);
    await withPlan(activities, async (start) => {
      const planId = uniqueId('p');
      const id = await start({ planId, timeZone: 'Asia/Ho_Chi_Minh', reportingDates: dates, reminderHour: 8 });
      await env.sleep('45 days');
      const h = env.client.workflow.getHandle(id);
      await saveHistory(h, 'plan-report-failed');
      expect((await h.describe()).status.name).not.toBe('FAILED');
      await eventually(() => expect(asked.map((a) => a.asOf)).toEqual(dates));
      expect((await h.query(planSummaryQuery)).reportsSent).toEqual([dates[1]]);
    });
  });
});
