/**
 * Every signal, query and update of dondoc's workflows, with their types. The names are public API:
 * the web, the CLI and running workflows depend on them; never rename one.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReportingSchedule } from '../domain/reporting-dates';
import type { HandledAction } from '../domain/lifecycle/core';
import type {
  AgencyRef,
  IsoDate,
  NotificationRequest,
  ReportingStatus,
  TaskInstanceSpec,
  TaskSnapshot,
  TaskState,
} from '../domain/types';

// --- task workflow: actions people take ---------------------------------------------------------------
// Updates (a refused action leaves no trace), one per update name of the action registry: see ./actions.ts.
export { ACTION_UPDATES, updateOf } from './actions';

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
/** The record of an action id the instance has handled (null when it has not): how a door says "already done". */
export const handledActionQuery = defineQuery<HandledAction | null, [string]>('handledAction');

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

/** The plan file as import validated it (`plans/schema.ts` PlanFile); the workflow reads only these fields. */
export interface StoredPlanFile extends ReportingSchedule {
  id: string;
  number: string;
  title: string;
  issuer: string;
  timeZone: string;
  [field: string]: unknown;
}

/** A plan as its workflow holds it: the plan file and its agency directory (gzip + base64 JSON, opaque here). */
export interface StoredPlan {
  plan: StoredPlanFile;
  directoryGz: string;
  /** sha256 of the directory JSON: import compares it to tell a changed directory. */
  directoryHash: string;
  importedAt: string;
  issuerName?: string;
  /** Increases with every import. */
  version: number;
  withdrawn?: { at: string; reason: string };
}

export interface ReportFailure {
  date: IsoDate;
  at: string;
  reason: string;
}

/** Everything a plan's workflow knows: what `planQuery` returns. */
export interface PlanState {
  planId: string;
  stored: StoredPlan | null;
  reportsSent: string[];
  amendments: PlanAmendedInput[];
  failures: ReportFailure[];
}

export const planQuery = defineQuery<PlanState>('plan');
/** Import sets the plan and its directory (validated whole beforehand): the new version number comes back. */
export const setPlanUpdate = defineUpdate<{ version: number }, [Omit<StoredPlan, 'version'>]>('setPlan');
/** A plan imported by mistake is withdrawn: no more reports; import cancels its open instances. */
export const withdrawPlanUpdate = defineUpdate<PlanState, [{ reason: string; at: string }]>('withdrawPlan');

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
