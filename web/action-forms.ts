/**
 * The web forms of the actions, generated from the action registry (domain/lifecycle/actions.ts): the same
 * fields, labels and rules as the workflow's update validators, which remain the authority. The actor never comes
 * from a form: the door adds it from the verified link or the signed-in agency.
 */
import { ACTIONS, ACTION_NAMES, type ActionName, type FieldDef } from '../domain/lifecycle/actions';
import { actionFieldProblems } from '../domain/lifecycle/inputs';
import type { AgencyRef } from '../domain/types';
import type { LabelLanguage } from '../reports/labels';
import { parseDayInput } from './date-input';

export type { FieldDef };

export interface ActionFormSpec {
  action: ActionName;
  title: Record<LabelLanguage, string>;
  button: Record<LabelLanguage, string>;
  fields: readonly FieldDef[];
}

/** Every action's form. */
export const ACTION_FORMS: Readonly<Record<ActionName, ActionFormSpec>> = Object.fromEntries(
  ACTION_NAMES.map((name) => {
    const def = ACTIONS[name];
    const form: ActionFormSpec = {
      action: name,
      title: def.title,
      button: def.submit,
      fields: def.fields.filter((f) => f.kind !== 'evidence'),
    };
    return [name, form];
  }),
) as Record<ActionName, ActionFormSpec>;

/** A field problem in the words of the form. */
export class FormInputError extends Error {
  override readonly name = 'FormInputError';
  constructor(readonly problems: string[]) {
    super(`Thông tin chưa hợp lệ: ${problems.join('; ')}. Sửa lại rồi gửi lại.`);
  }
}

/**
 * Reads the submitted fields of an action (form or JSON body): only the action's own fields are kept (`actor` and
 * anything else is dropped), empty optional fields are absent, numbers and agencies are read from their text.
 * Throws {@link FormInputError} naming each bad field in Vietnamese.
 */
export function parseActionFields(
  spec: ActionFormSpec,
  body: unknown,
  resolveAgency: (id: string) => AgencyRef | undefined = () => undefined,
): Record<string, unknown> {
  const given = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  const dayProblems: string[] = [];
  for (const f of spec.fields) {
    const raw = given[f.name];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    // Pages ask dates as dd/mm/yyyy (web/date-input.ts); scripts may send yyyy-mm-dd.
    if (f.kind === 'date' && typeof raw === 'string') {
      const day = parseDayInput(raw);
      if (day) picked[f.name] = day;
      else dayProblems.push(`"${f.label.vi}" phải là một ngày có thật, dạng dd/mm/yyyy`);
    } else if (f.kind === 'number' && typeof raw === 'string') picked[f.name] = Number(raw.trim().replace(',', '.'));
    else if (f.kind === 'agency' && typeof raw === 'string')
      picked[f.name] = resolveAgency(raw.trim()) ?? { id: '', name: '' };
    else picked[f.name] = typeof raw === 'string' ? raw.trim() : raw;
  }
  const problems = [...dayProblems, ...actionFieldProblems(ACTIONS[spec.action], picked).map((p) => p.message)];
  if (problems.length > 0) throw new FormInputError(problems);
  return picked;
}
