/**
 * What a signed-in agency may see and do, from the plan and the task (pure functions). Roles come from the plan
 * (monitoring agency, escalation authority = leadership) and the task (lead, coordinators). The workflow's update
 * validators remain the authority on acting; the web asks first so that a page never offers, and a POST never
 * sends, an action of someone else.
 */
import { ACTIONS, ACTION_NAMES, type ActionName } from '../domain/lifecycle/actions';
import type { TaskState } from '../domain/types';

/** The parties of one task instance, as a row or a snapshot gives them. */
export interface TaskParties {
  leadId: string;
  /** Coordinators (and the lead: rows list every agency of the task). */
  agencies: readonly string[];
  /** Coordinators whose confirmation the task requires (snapshots only; rows: unknown). */
  requiredSignOff?: readonly string[];
  monitoringId: string;
  leadershipId: string;
  state: TaskState;
  /** Targets the task reports on (ids from the plan); undefined when not known. */
  targetIds?: readonly string[];
}

export type PlanRole = 'monitoring' | 'leadership';

/** The plan-wide role of an agency in a plan, if any. */
export function planRole(
  agencyId: string,
  plan: { monitoringAgency: string; escalationAuthority: string },
): PlanRole | undefined {
  if (plan.monitoringAgency === agencyId) return 'monitoring';
  if (plan.escalationAuthority === agencyId) return 'leadership';
  return undefined;
}

/** Whether an agency may see a task: its lead or a coordinator, or the plan's monitoring agency or leadership. */
export function maySeeTask(agencyId: string, t: TaskParties): boolean {
  return (
    t.leadId === agencyId || t.agencies.includes(agencyId) || t.monitoringId === agencyId || t.leadershipId === agencyId
  );
}

/** Whether `agencyId` holds the role an action asks for on this task (state not considered). */
export function holdsRole(action: ActionName, agencyId: string, t: TaskParties): boolean {
  const isCoordinator = agencyId !== t.leadId && t.agencies.includes(agencyId);
  switch (ACTIONS[action].role) {
    case 'lead':
      return t.leadId === agencyId;
    case 'coordinator':
      return isCoordinator && (t.requiredSignOff === undefined || t.requiredSignOff.includes(agencyId));
    case 'monitoring':
      return t.monitoringId === agencyId;
    case 'party':
      return t.leadId === agencyId || isCoordinator;
  }
}

/**
 * The actions an agency may take on a task now: its role and the task's state allow them. Being the plan's
 * leadership gives none (leadership reads); only a lead, coordinator or monitoring role does. A task that tracks
 * no target offers no target report.
 */
export function actionsFor(agencyId: string, t: TaskParties): ActionName[] {
  return ACTION_NAMES.filter(
    (a) =>
      ACTIONS[a].states.includes(t.state) &&
      holdsRole(a, agencyId, t) &&
      // As the workflow's own menu: a task that tracks no target has nothing to report a value on.
      !(a === 'report_target' && t.targetIds !== undefined && t.targetIds.length === 0),
  );
}
