import type { Client } from '@temporalio/client';
import type { DirectoryFile, PlanFile } from '../../plans/schema';
import { storePlan } from '../../services/import-plan';
import { PlanStore } from '../../services/plan-store';
import type { StoredPlanFile } from '../../workflows/definitions';
import { planWorkflowId } from '../../workflows/plan-workflow';

/**
 * Starts a plan's workflow already holding the plan and its directory (as import leaves a new plan): no worker needs
 * to run yet. Readers find it through services/plan-store.ts once a worker answers queries. Scenarios may give only
 * the plan fields the workflow reads.
 */
export async function startStoredPlan(
  client: Client,
  taskQueue: string,
  plan: PlanFile | StoredPlanFile,
  directory: DirectoryFile,
): Promise<string> {
  await storePlan(client, taskQueue, plan as PlanFile, directory, 8, new PlanStore(client));
  return planWorkflowId(plan.id);
}
