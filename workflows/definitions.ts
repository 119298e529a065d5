/**
 * Every signal, query and update of dondoc's workflows, with their types. The names are public API:
 * the web, the CLI and running workflows depend on them; never rename one.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptResultInput,
  ActionResult,
  ConfirmPartInput,
  DecideExtensionInput,
  DeclineTaskInput,
  DisputePartInput,
  PostponeTaskInput,
  ReassignTaskInput,
  ReportTargetInput,
  RequestExtensionInput,
  ResumeTaskInput,
  ReturnResultInput,
  SubmitReportInput,
} from '../domain/task-actions';
import type {
  AgencyRef,
  IsoDate,
  NotificationRequest,
  ReportingStatus,
  TaskInstanceSpec,
  TaskSnapshot,
  TaskState,
} from '../domain/types';

// --- task workflow: actions people take (updates, so a refused action leaves no trace) -------------
export const submitReportUpdate = defineUpdate<ActionResult, [SubmitReportInput]>('submitReport');
export const confirmPartUpdate = defineUpdate<ActionResult, [ConfirmPartInput]>('confirmPart');
export const disputePartUpdate = defineUpdate<ActionResult, [DisputePartInput]>('disputePart');
export const acceptResultUpdate = defineUpdate<ActionResult, [AcceptResultInput]>('acceptResult');
export const returnResultUpdate = defineUpdate<ActionResult, [ReturnResultInput]>('returnResult');
export const requestExtensionUpdate = defineUpdate<ActionResult, [RequestExtensionInput]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<ActionResult, [DecideExtensionInput]>('decideExtension');
export const postponeTaskUpdate = defineUpdate<ActionResult, [PostponeTaskInput]>('postponeTask');
export const resumeTaskUpdate = defineUpdate<ActionResult, [ResumeTaskInput]>('resumeTask');
export const declineTaskUpdate = defineUpdate<ActionResult, [DeclineTaskInput]>('declineTask');
export const reassignTaskUpdate = defineUpdate<ActionResult, [ReassignTaskInput]>('reassignTask');
export const reportTargetUpdate = defineUpdate<ActionResult, [ReportTargetInput]>('reportTarget');

// --- task workflow: facts from the plan and from delivery (signals) ---------------------------------
export interface AmendTaskInput {
  spec: TaskInstanceSpec;
  reason: string;
}
export const amendTaskSignal = defineSignal<[AmendTaskInput]>('amendTask');
export const cancelTaskSignal = defineSignal<[{ reason: string }]>('cancelTask');
export interface SuccessionInput {
  from: AgencyRef;
  to: AgencyRef;
  on: IsoDate;
}
export const agencySucceededSignal = defineSignal<[SuccessionInput]>('agencySucceeded');
export interface DeliveryFailedInput {
  key: string;
  recipient: string;
  reason: string;
}
export const deliveryFailedSignal = defineSignal<[DeliveryFailedInput]>('deliveryFailed');

// --- task workflow: reads ----------------------------------------------------------------------------
export const taskSnapshotQuery = defineQuery<TaskSnapshot>('taskSnapshot');

// --- digest workflow -----------------------------------------------------------------------------------
export const addDigestItemsSignal = defineSignal<[NotificationRequest[]]>('addDigestItems');
export const digestItemsQuery = defineQuery<{ pending: number; sent: string[] }>('digestItems');

// --- plan workflow -------------------------------------------------------------------------------------
export interface PlanAmendedInput {
  at: string;
  summary: string;
}
export const planAmendedSignal = defineSignal<[PlanAmendedInput]>('planAmended');
export const planSummaryQuery = defineQuery<{ planId: string; reportsSent: string[]; amendments: PlanAmendedInput[] }>(
  'planSummary',
);

/** Search attributes that make tasks listable in dondoc and in Temporal's UI. */
export const SEARCH_ATTRIBUTES = {
  plan: 'DondocPlan',
  task: 'DondocTask',
  lead: 'DondocLead',
  agencies: 'DondocAgencies',
  state: 'DondocState',
  status: 'DondocStatus',
  due: 'DondocDue',
  specHash: 'DondocSpecHash',
} as const;

export const SA = {
  plan: defineSearchAttributeKey(SEARCH_ATTRIBUTES.plan, 'KEYWORD'),
  task: defineSearchAttributeKey(SEARCH_ATTRIBUTES.task, 'KEYWORD'),
  lead: defineSearchAttributeKey(SEARCH_ATTRIBUTES.lead, 'KEYWORD'),
  agencies: defineSearchAttributeKey(SEARCH_ATTRIBUTES.agencies, 'KEYWORD_LIST'),
  state: defineSearchAttributeKey(SEARCH_ATTRIBUTES.state, 'KEYWORD'),
  status: defineSearchAttributeKey(SEARCH_ATTRIBUTES.status, 'KEYWORD'),
  due: defineSearchAttributeKey(SEARCH_ATTRIBUTES.due, 'DATETIME'),
  specHash: defineSearchAttributeKey(SEARCH_ATTRIBUTES.specHash, 'KEYWORD'),
} as const;

/** The `temporal server start-dev --search-attribute` / operator registration of the keys above. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'KeywordList' | 'Datetime'> = {
  [SEARCH_ATTRIBUTES.plan]: 'Keyword',
  [SEARCH_ATTRIBUTES.task]: 'Keyword',
  [SEARCH_ATTRIBUTES.lead]: 'Keyword',
  [SEARCH_ATTRIBUTES.agencies]: 'KeywordList',
  [SEARCH_ATTRIBUTES.state]: 'Keyword',
  [SEARCH_ATTRIBUTES.status]: 'Keyword',
  [SEARCH_ATTRIBUTES.due]: 'Datetime',
  [SEARCH_ATTRIBUTES.specHash]: 'Keyword',
};

export type { TaskState, ReportingStatus };
