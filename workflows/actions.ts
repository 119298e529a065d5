/**
 * The Temporal side of the action registry (`domain/lifecycle/actions.ts`): one update per registry update name.
 * Update names are public API (running workflows, the web and the CLI depend on them): they come from the
 * registry and are never renamed. The two extension decisions share `decideExtension` with `approve: true|false`.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineUpdate } from '@temporalio/workflow';
import { ACTION_LIST, ACTIONS, type ActionName } from '../domain/lifecycle/actions';
import type { ActionInput } from '../domain/lifecycle/inputs';
import type { ActionResult } from '../domain/lifecycle/machine';

export type ActionUpdate = UpdateDefinition<ActionResult, [ActionInput]>;

/** Every update name of the registry, with its definition. */
export const ACTION_UPDATES: ReadonlyMap<string, ActionUpdate> = new Map(
  [...new Set(ACTION_LIST.map((a) => a.update))].map((name) => [name, defineUpdate<ActionResult, [ActionInput]>(name)]),
);

/** The update that carries an action. */
export function updateOf(action: ActionName): ActionUpdate {
  const def = ACTION_UPDATES.get(ACTIONS[action].update);
  if (!def) throw new Error(`Không có update cho thao tác ${action}.`);
  return def;
}

/** The action an update carries, given its input: undefined when the input does not say (decideExtension without `approve`). */
export function actionOf(updateName: string, input: ActionInput | undefined): ActionName | undefined {
  const candidates = ACTION_LIST.filter((a) => a.update === updateName);
  if (candidates.length === 1) return candidates[0]!.name;
  return candidates.find((a) => a.fixed && Object.entries(a.fixed).every(([k, v]) => input?.[k] === v))?.name;
}

/** The input a door sends for an action: the registry's fixed values added to the fields. */
export function actionInput(action: ActionName, input: ActionInput): ActionInput {
  return { ...input, ...(ACTIONS[action].fixed ?? {}) };
}
