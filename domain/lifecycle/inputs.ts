/**
 * What an action's input is and how it is read: one plain-code reader of the registry's fields, used by the
 * workflow's update validators and by every door (web, CLI, API) before it calls the workflow. No zod here: this
 * runs in every cached workflow.
 */
import { isIsoDate } from '../calendar/dates';
import type { AgencyRef, IsoDate } from '../types';
import type { ActionDef, FieldDef } from './actions';

/** Who acts. Identity is established by the door (signed link, agency sign-in, CLI officer); the machine checks the role. */
export interface Actor {
  agencyId: string;
  name?: string;
}

/** A file stored as evidence (the bytes live in the deployment's durable store; the task keeps the reference). */
export interface EvidenceFile {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
}

/** What every action's update receives: the actor, the action's fields, and how to act only once. */
export interface ActionInput {
  actor: Actor;
  /**
   * The action's identity, decided by the door: a signed link's (task, cycle, action, nonce), a form's nonce, a
   * CLI invocation's id. The instance applies an id once; the same id again is refused as `already_done`.
   */
  actionId?: string;
  /** The cycle the actor saw (signed links carry it): a different cycle is refused as `stale_link`. */
  cycle?: number;
  /** The door the action came through, for the record. */
  via?: 'link' | 'web' | 'cli' | 'api';
  [field: string]: unknown;
}

export type RefusalCode = 'not_allowed' | 'wrong_state' | 'stale_link' | 'invalid_input' | 'already_done';

/** Why an action is refused, in words for the person (Vietnamese). */
export interface Refusal {
  code: RefusalCode;
  message: string;
  field?: string;
  /** For `already_done`: the earlier action with the same id. */
  earlier?: { action: string; at: string; by: string; state: string };
}

/** The name of the ApplicationFailure type that carries a refusal over the wire (details[0] is the Refusal). */
export const REFUSAL_FAILURE_TYPE = 'ActionRefused';

/** The values of an action's fields, read and normalised. */
export interface ActionValues {
  summary?: string;
  documentNumber?: string;
  documentDate?: IsoDate;
  evidenceUrl?: string;
  evidenceFiles?: EvidenceFile[];
  newDue?: IsoDate;
  reason?: string;
  note?: string;
  newLead?: AgencyRef;
  targetId?: string;
  value?: number;
}

// Bidirectional overrides/isolates and zero-width characters: they can make a text read differently from what
// it says (an email subject, a name), and no plan or report needs them.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text as dondoc keeps it: NFC, no bidi overrides or zero-width characters, trimmed. */
export function cleanText(value: string): string {
  return value.normalize('NFC').replace(INVISIBLE, '').trim();
}

const MAX_EVIDENCE_FILES = 5;

function refuse(field: FieldDef, message: string): Refusal {
  return { code: 'invalid_input', field: field.name, message };
}

function readField(field: FieldDef, raw: unknown): { value?: unknown; refusal?: Refusal } {
  const label = field.label.vi;
  const empty = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
  if (empty) return field.required ? { refusal: refuse(field, `Thiếu "${label}".`) } : {};
  switch (field.kind) {
    case 'text':
    case 'textarea': {
      if (typeof raw !== 'string') return { refusal: refuse(field, `"${label}" phải là chữ.`) };
      const text = cleanText(raw);
      if (text.length === 0) return field.required ? { refusal: refuse(field, `Thiếu "${label}".`) } : {};
      const max = field.max ?? 4000;
      if (text.length > max) return { refusal: refuse(field, `"${label}" dài quá ${max} ký tự.`) };
      return { value: text };
    }
    case 'date':
      if (!isIsoDate(raw)) return { refusal: refuse(field, `"${label}" phải là một ngày có thật (YYYY-MM-DD).`) };
      if (raw < '2000-01-01' || raw > '2100-12-31')
        return { refusal: refuse(field, `"${label}" phải trong khoảng năm 2000 đến 2100.`) };
      return { value: raw };
    case 'url':
      if (typeof raw !== 'string' || !/^https?:\/\/[^\s<>"]+$/i.test(raw.trim()) || raw.length > (field.max ?? 2000))
        return { refusal: refuse(field, `"${label}" phải là đường dẫn http(s) hợp lệ.`) };
      return { value: raw.trim() };
    case 'number': {
      const n = typeof raw === 'string' ? Number(raw.replace(',', '.')) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { refusal: refuse(field, `"${label}" phải là một số.`) };
      return { value: n };
    }
    case 'agency': {
      const a = raw as Partial<AgencyRef>;
      if (
        typeof a !== 'object' ||
        typeof a.id !== 'string' ||
        !/^[a-z0-9][a-z0-9-]{0,99}$/.test(a.id) ||
        typeof a.name !== 'string'
      )
        return { refusal: refuse(field, `Cần chọn "${label}".`) };
      return { value: { id: a.id, name: cleanText(a.name).slice(0, 300) || a.id } };
    }
    case 'target':
      if (typeof raw !== 'string' || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(raw))
        return { refusal: refuse(field, `Cần chọn "${label}".`) };
      return { value: raw };
    case 'evidence': {
      if (!Array.isArray(raw) || raw.length > MAX_EVIDENCE_FILES)
        return { refusal: refuse(field, `"${label}": tối đa ${MAX_EVIDENCE_FILES} tệp.`) };
      const files: EvidenceFile[] = [];
      for (const f of raw as Partial<EvidenceFile>[]) {
        if (
          typeof f !== 'object' ||
          typeof f.id !== 'string' ||
          !/^[A-Za-z0-9_-]{8,100}$/.test(f.id) ||
          typeof f.name !== 'string' ||
          typeof f.type !== 'string' ||
          typeof f.size !== 'number' ||
          typeof f.sha256 !== 'string'
        )
          return { refusal: refuse(field, `"${label}" không hợp lệ.`) };
        files.push({ id: f.id, name: cleanText(f.name).slice(0, 200), type: f.type, size: f.size, sha256: f.sha256 });
      }
      return { value: files };
    }
  }
}

/** Reads an action's fields from an input: the values, or the first refusal (naming the field). */
export function readActionValues(
  def: ActionDef,
  input: Record<string, unknown>,
): { values: ActionValues } | { refusal: Refusal } {
  const values: Record<string, unknown> = {};
  for (const field of def.fields) {
    const r = readField(field, input[field.name]);
    if (r.refusal) return { refusal: r.refusal };
    if (r.value !== undefined) values[field.name] = r.value;
  }
  return { values: values };
}

/** Every problem of an action's fields (a form shows them all at once). */
export function actionFieldProblems(def: ActionDef, input: Record<string, unknown>): Refusal[] {
  return def.fields.map((f) => readField(f, input[f.name]).refusal).filter((r): r is Refusal => r !== undefined);
}

/** Reads the actor of an input, or refuses. */
export function readActor(value: unknown): Actor | Refusal {
  const a = value as Partial<Actor> | null | undefined;
  if (
    typeof a !== 'object' ||
    a === null ||
    typeof a.agencyId !== 'string' ||
    !/^[a-z0-9][a-z0-9-]{0,99}$/.test(a.agencyId)
  )
    return { code: 'invalid_input', field: 'actor', message: 'Không xác định được cơ quan thực hiện thao tác.' };
  return { agencyId: a.agencyId };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
