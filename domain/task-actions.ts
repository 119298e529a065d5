import type { AgencyRef, IsoDate, IsoInstant, TaskState } from './types';

/** Who acts. Identity is established by the door (signed link, sign-in, CLI officer); the workflow checks the role. */
export interface Actor {
  agencyId: string;
  name?: string;
}

export interface SubmitReportInput {
  actor: Actor;
  summary: string;
  documentNumber?: string;
  documentDate?: IsoDate;
  evidenceUrl?: string;
}
export interface ConfirmPartInput {
  actor: Actor;
  note?: string;
}
export interface DisputePartInput {
  actor: Actor;
  reason: string;
}
export interface AcceptResultInput {
  actor: Actor;
  note?: string;
}
export interface ReturnResultInput {
  actor: Actor;
  reason: string;
}
export interface RequestExtensionInput {
  actor: Actor;
  newDue: IsoDate;
  reason: string;
}
export interface DecideExtensionInput {
  actor: Actor;
  approve: boolean;
  reason?: string;
}
export interface PostponeTaskInput {
  actor: Actor;
  reason: string;
}
export interface ResumeTaskInput {
  actor: Actor;
  newDue?: IsoDate;
  reason?: string;
}
export interface DeclineTaskInput {
  actor: Actor;
  reason: string;
}
export interface ReassignTaskInput {
  actor: Actor;
  newLead: AgencyRef;
  reason: string;
}
export interface ReportTargetInput {
  actor: Actor;
  targetId: string;
  value: number;
  note?: string;
}

/** What every accepted action returns to the caller. */
export interface ActionResult {
  state: TaskState;
  /** Plain Vietnamese sentence for the person who acted. */
  message: string;
  at: IsoInstant;
}

/** The domain error raised by validators: the update is rejected and nothing is recorded. */
export class ActionRefusedError extends Error {
  override readonly name = 'ActionRefusedError';
  constructor(
    readonly code: 'not_allowed' | 'wrong_state' | 'invalid_input',
    message: string,
  ) {
    super(message);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function requireText(value: unknown, field: string, max = 4000): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new ActionRefusedError('invalid_input', `Thiếu nội dung "${field}".`);
  if (value.length > max) throw new ActionRefusedError('invalid_input', `"${field}" dài quá ${max} ký tự.`);
  return value.trim();
}

export function requireActor(value: unknown): Actor {
  if (typeof value !== 'object' || value === null || typeof (value as Actor).agencyId !== 'string' || !(value as Actor).agencyId)
    throw new ActionRefusedError('invalid_input', 'Không xác định được cơ quan thực hiện thao tác.');
  return value as Actor;
}

export function optionalUrl(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/i.test(value) || value.length > 2000)
    throw new ActionRefusedError('invalid_input', `"${field}" phải là đường dẫn http(s) hợp lệ.`);
  return value;
}

export function optionalDate(value: unknown, field: string): IsoDate | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isIsoDate(value)) throw new ActionRefusedError('invalid_input', `"${field}" phải là ngày hợp lệ (YYYY-MM-DD).`);
  return value;
}
