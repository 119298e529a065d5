import type { Client } from '@temporalio/client';
import { localDateOf } from '../domain/calendar';
import type { NotificationRequest, TaskSnapshot } from '../domain/types';
import { buildPlanReport, loadImportedPlan } from '../services/periodic-report';
import type { PlanReader } from '../services/plan-store';
import type { DigestActivities, ReportActivities } from './types';

export interface ReportActivityDeps {
  client: Client;
  /** Where the plans are read (the plans' workflows). */
  plans: PlanReader;
  deliverDigest: DigestActivities['deliverDigest'];
  /** Where task snapshots come from; default: visibility and queries. */
  snapshots?: (planId: string) => Promise<TaskSnapshot[]>;
}

/**
 * `sendPeriodicReport`: compiles the plan's report as of the reporting date (visibility + queries), renders the
 * .xlsx and .docx and mails both to the plan's monitoring agency. Idempotent per `reportKey`: the message is
 * delivered through the mail ledger under `report:${reportKey}`, so a retry never sends it twice.
 */
export function createReportActivities({
  client,
  plans,
  deliverDigest,
  snapshots,
}: ReportActivityDeps): ReportActivities {
  return {
    async sendPeriodicReport({ planId, asOf, reportKey }) {
      const plan = await loadImportedPlan(plans, planId);
      const built = await buildPlanReport(client, plans, planId, asOf, undefined, snapshots);
      const item: NotificationRequest = {
        key: `report|${reportKey}`,
        kind: 'periodic_report',
        recipient: { agencyId: plan.monitoringAgency, role: 'focal' },
        localDate: asOf,
        task: {
          workflowId: `dondoc-plan:${planId}`,
          planId,
          planNumber: plan.number,
          planTitle: plan.title,
          taskRef: '',
          title: built.report.summary,
          lead: { id: plan.monitoringAgency, name: built.report.plan.monitoringName },
          cycle: 0,
          due: null,
          timeZone: plan.timeZone,
        },
        details: {},
      };
      const result = await deliverDigest({
        digestId: `report:${reportKey}`,
        recipient: item.recipient,
        localDate: asOf || localDateOf(Date.now(), plan.timeZone),
        items: [item],
        attachments: [
          {
            filename: `${built.fileBase}.xlsx`,
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            contentBase64: built.xlsx.toString('base64'),
          },
          {
            filename: `${built.fileBase}.docx`,
            contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            contentBase64: built.docx.toString('base64'),
          },
        ],
      });
      return { tasks: built.report.tasks.length, messageId: 'messageId' in result ? result.messageId : null };
    },
  };
}
