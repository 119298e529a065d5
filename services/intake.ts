/**
 * Plan intake without HTTP: what the CLI and the browser review ("Nhập kế hoạch") share.
 * - `draftFromDocument`: a document (bytes and file name) → a draft whose rows carry, per task, the
 *   ref, the title, the lead and coordinators as written each with the directory entry it matched
 *   and the other candidates, the timing text with the schedule it means (dates, confidence), the
 *   deliverable and the review marks (field, line, why);
 * - `previewTiming`: one timing text read live, for an edit box;
 * - `rowsToPlanYaml` / `checkRows`: edited rows back into a plan file `plans/load.ts` accepts, and
 *   what still stops it, row by row.
 */
import { stringify } from 'yaml';
import { describeTiming } from '../domain/timing';
import { buildTimingContext } from '../plans/expand';
import type { IsoDate, Recurrence, TimingContext, TimingKind } from '../domain/types';
import { matchAgency, type AgencyCandidate, type DirectoryLike } from '../reader/agency-names';
import { readDocument, type DocumentFormat, type OcrProgress } from '../reader/read-document';
import { dueOfSchedule, readPlanText } from '../reader/read-plan';
import { keyOfRef, taskKeys } from '../reader/task-keys';
import { readTiming } from '../reader/timing-adapter';
import type { ReviewMark } from '../reader/types';

/** A name as the plan writes it, the directory entry it resolves to (if sure enough) and the alternatives. */
export interface AgencyPick {
  text: string;
  /** Directory agency or group id, or null when the officer must choose. */
  id: string | null;
  confidence: number | null;
  candidates: AgencyCandidate[];
}

/** A timing text as an edit box shows it: what it means and how sure the reading is. */
export interface TimingPreview {
  text: string;
  kind: TimingKind;
  recurrence: Recurrence;
  /** The date the task is due by (the end of the period the text names), or null. */
  due: IsoDate | null;
  /** Every due date it yields in the plan period (at most 24 shown). */
  dues: IsoDate[];
  /** The first due date moved to a working day (Civil Code Art. 148), or null. */
  effectiveDue: IsoDate | null;
  windowStart: IsoDate | null;
  windowEnd: IsoDate | null;
  confident: boolean;
  reason: string;
  event: string | null;
}

export interface IntakeRow {
  /** Stable key of the row in this draft ("r1", "r2" …). */
  key: string;
  ref: string | null;
  title: string;
  lead: AgencyPick[];
  coordinators: AgencyPick[];
  timing: TimingPreview | null;
  deliverable: string | null;
  /** Source line (1-based) of the task in the document text. */
  line: number;
  review: ReviewMark[];
}

export interface IntakeDraft {
  fileName: string;
  format: DocumentFormat;
  pages: number | null;
  plan: {
    number: string | null;
    title: string | null;
    issued: IsoDate | null;
    issuer: AgencyPick | null;
    periodStart: IsoDate | null;
    periodEnd: IsoDate | null;
    /** A plan id proposed from the number and issue year ("kh-172-2025"). */
    suggestedId: string;
  };
  rows: IntakeRow[];
  /** Plan-level marks (header, numbering, OCR, directory). */
  marks: ReviewMark[];
  /** Names no directory entry matched with confidence. */
  unknownAgencies: string[];
  /** The text the reader read (for showing a row's source line). */
  text: string;
}

export interface DraftOptions {
  directory?: DirectoryLike;
  onProgress?: (p: OcrProgress) => void;
}

/** Below this a match is only proposed, never taken: the officer picks. */
const TAKE_MATCH_AT = 0.85;

/** A name as written matched against a directory: taken only when one entry is clearly best, else proposed. */
export function pickAgency(text: string, directory: DirectoryLike | undefined): AgencyPick {
  const candidates = directory ? matchAgency(text, directory) : [];
  const best = candidates[0];
  const sure =
    best && best.confidence >= TAKE_MATCH_AT && candidates.filter((c) => c.confidence === best.confidence).length === 1;
  return { text, id: sure ? best.id : null, confidence: best ? best.confidence : null, candidates };
}

/**
 * Reads one timing text as the plan's import will (same rules, same plan context) and says what it
 * means: kind, due date, every due date, working-day due date, window, event, confidence and why.
 * Never throws.
 */
export function previewTiming(text: string, ctx: TimingContext = {}): TimingPreview {
  const s = readTiming(text, ctx);
  const described = describeTiming(text, { issued: ctx.issued, periodEnd: ctx.periodEnd });
  return {
    text: s.text,
    kind: s.kind,
    recurrence: s.recurrence,
    due: dueOfSchedule(s),
    dues: s.dues.slice(0, 24),
    effectiveDue: s.due === described.due ? described.effectiveDue : null,
    windowStart: s.windowStart ?? null,
    windowEnd: s.windowEnd ?? null,
    confident: s.confident,
    reason: s.reason,
    event: s.event ?? null,
  };
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Reads a plan document into a draft for review. Rejects with `DocumentReadError` (file and what
 * to do) when the document cannot be read; never guesses: unsure fields carry review marks.
 */
export async function draftFromDocument(
  bytes: Buffer,
  fileName: string,
  opts: DraftOptions = {},
): Promise<IntakeDraft> {
  const doc = await readDocument(bytes, fileName, { onProgress: opts.onProgress });
  const draft = readPlanText(doc.text, { directory: opts.directory, fileName, ocrUncertain: doc.uncertain });
  const ctx: TimingContext = {
    issued: draft.plan.issued ?? undefined,
    periodStart: draft.plan.periodStart,
    periodEnd: draft.plan.periodEnd,
  };
  const rows = draft.tasks.map((t, i): IntakeRow => ({
    key: `r${i + 1}`,
    ref: t.ref,
    title: t.title,
    lead: t.lead.map((name) => pickAgency(name, opts.directory)),
    coordinators: t.coordinators.map((name) => pickAgency(name, opts.directory)),
    timing: t.timingText ? previewTiming(t.timingText, ctx) : null,
    deliverable: t.deliverable,
    line: t.line,
    review: t.review,
  }));
  const year = draft.plan.issued?.slice(0, 4) ?? draft.plan.periodStart?.slice(0, 4) ?? '';
  const numberPart = draft.plan.number ? slug(draft.plan.number.split('/')[0] ?? '') : '';
  const suggestedId = [slug(fileName.replace(/\.[^.]+$/, '')).slice(0, 40) || 'ke-hoach', numberPart, year]
    .filter(Boolean)
    .join('-')
    .replace(/-+/g, '-');
  return {
    fileName,
    format: doc.format,
    pages: doc.pages ?? null,
    plan: {
      number: draft.plan.number,
      title: draft.plan.title,
      issued: draft.plan.issued,
      issuer: draft.plan.issuer ? pickAgency(draft.plan.issuer, opts.directory) : null,
      periodStart: draft.plan.periodStart ?? null,
      periodEnd: draft.plan.periodEnd ?? null,
      suggestedId,
    },
    rows,
    marks: draft.marks,
    unknownAgencies: draft.unknownAgencies,
    text: doc.text,
  };
}

/** A row as the officer leaves it: the ids chosen, the timing text (and any explicit dates), the marks. */
export interface EditedRow {
  ref: string | null;
  title: string;
  /** One or more directory ids (agency or group). */
  lead: (string | null)[];
  coordinators: (string | null)[];
  timingText: string;
  /** An explicit first due date (yearly repeats) or single date, when the text alone is not enough. */
  due?: IsoDate;
  /** Every due date, when the officer lists them. */
  dues?: IsoDate[];
  deliverable?: string | null;
  review?: (ReviewMark & { resolved?: boolean })[];
}

export interface EditedPlan {
  id: string;
  number: string | null;
  title: string;
  issuer: string | null;
  issued: IsoDate | null;
  period: { start: IsoDate; end: IsoDate } | null;
  timeZone?: string;
  /** Path of the directory file, relative to where the plan file will be saved. */
  directory: string;
  monitoringAgency: string | null;
  escalationAuthority: string | null;
  rows: EditedRow[];
}

/** Something that stops an edited plan from importing, with the row (1-based; 0 for the plan) and field. */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

/**
 * What still stops the edited plan from importing, before any file is written: missing ids, an
 * empty title or timing, a timing the rules cannot read without an explicit date, unresolved marks.
 * `plans/load.ts` checks the same and more (ids must exist in the directory) on import.
 */
export function checkRows(plan: EditedPlan, context?: TimingContext): RowProblem[] {
  const problems: RowProblem[] = [];
  // The same reading the import makes: the plan's own period (plans/expand.ts buildTimingContext).
  const ctx: TimingContext =
    context ??
    (plan.period ? buildTimingContext({ period: plan.period, issued: plan.issued, reportingDuties: [] }) : {});
  const need = (row: number, field: string, ok: boolean, message: string): void => {
    if (!ok) problems.push({ row, field, message });
  };
  need(
    0,
    'id',
    /^[a-z0-9][a-z0-9-]*$/.test(plan.id),
    'Mã kế hoạch chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.',
  );
  need(0, 'title', plan.title.trim() !== '', 'Nhập tên kế hoạch.');
  need(0, 'issuer', !!plan.issuer, 'Chọn cơ quan ban hành trong danh mục.');
  need(0, 'monitoringAgency', !!plan.monitoringAgency, 'Chọn cơ quan đầu mối theo dõi, đôn đốc.');
  need(0, 'escalationAuthority', !!plan.escalationAuthority, 'Chọn cơ quan nhận báo cáo quá hạn.');
  need(
    0,
    'period',
    !!plan.period && plan.period.start <= plan.period.end,
    'Nhập thời gian của kế hoạch (từ ngày … đến ngày …).',
  );
  plan.rows.forEach((r, i) => {
    const row = i + 1;
    need(row, 'title', r.title.trim() !== '', 'Nhập tên nhiệm vụ.');
    need(row, 'lead', r.lead.length > 0 && r.lead.every((id) => !!id), 'Chọn cơ quan chủ trì trong danh mục.');
    need(
      row,
      'coordinators',
      r.coordinators.every((id) => !!id),
      'Chọn cơ quan phối hợp trong danh mục hoặc bỏ tên đó.',
    );
    need(row, 'timing', r.timingText.trim() !== '', 'Nhập thời gian thực hiện (nguyên văn hoặc ngày cụ thể).');
    if (r.timingText.trim() && !r.due && !(r.dues && r.dues.length > 0)) {
      const s = readTiming(r.timingText, ctx);
      need(
        row,
        'timing',
        s.confident,
        `Thời gian "${r.timingText}" chưa đọc được chắc chắn: ${s.reason} Nhập ngày đến hạn cụ thể.`,
      );
    }
    for (const m of r.review ?? []) need(row, m.field, m.resolved === true, `Chưa xử lý mục cần rà soát: ${m.why}`);
  });
  return problems;
}

/**
 * Writes the edited plan as a plan file (YAML) in the format `plans/load.ts` reads: ids as chosen,
 * task keys made from the printed refs (unique, valid), explicit dates as `timing: { text, due }`,
 * review marks kept (resolved ones marked so). Pure: returns the text; a plan with problems is still
 * written (fields left empty) so it can be saved and finished later, and `checkRows` says what is missing.
 */
export function rowsToPlanYaml(plan: EditedPlan): string {
  const keys = taskKeys(plan.rows.map((r) => (r.ref ? keyOfRef(r.ref) : null)));
  const tasks = plan.rows.map((r, i) => {
    const leads = r.lead.filter((id): id is string => !!id);
    const task: Record<string, unknown> = {
      ref: r.ref ?? String(i + 1),
    };
    const key = keys[i];
    if (key !== undefined || !r.ref || keyOfRef(r.ref) !== r.ref) task.id = key ?? keyOfRef(r.ref ?? String(i + 1));
    task.title = r.title;
    task.lead = leads.length === 1 ? leads[0] : leads.length > 1 ? leads : '';
    task.coordinators = r.coordinators.filter((id): id is string => !!id);
    task.timing =
      r.dues && r.dues.length > 0
        ? { text: r.timingText, dues: r.dues }
        : r.due
          ? { text: r.timingText, due: r.due }
          : r.timingText;
    if (r.deliverable) task.deliverable = r.deliverable;
    task.signOff = 'all';
    if (r.review && r.review.length > 0)
      task.review = r.review.map((m) => ({
        field: m.field,
        why: m.why,
        ...(m.line !== undefined ? { line: m.line } : {}),
        ...(m.resolved ? { resolved: true } : {}),
      }));
    return task;
  });
  const file: Record<string, unknown> = {
    id: plan.id,
    number: plan.number ?? '',
    title: plan.title,
    issuer: plan.issuer ?? '',
    issued: plan.issued,
    period: plan.period ?? { start: '', end: '' },
    timeZone: plan.timeZone ?? 'Asia/Ho_Chi_Minh',
    directory: plan.directory,
    monitoringAgency: plan.monitoringAgency ?? '',
    escalationAuthority: plan.escalationAuthority ?? '',
    tasks,
  };
  const header = '# Kế hoạch nhập từ văn bản qua dondoc (rà soát trên trình duyệt hoặc `dondoc draft`).\n';
  return header + stringify(file, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}

/**
 * The plan period a draft starts with: the one the document names, else from its date of issue to the end of
 * that year, else none.
 */
export function draftPeriod(draft: IntakeDraft): { start: IsoDate; end: IsoDate } | null {
  return draft.plan.periodStart && draft.plan.periodEnd
    ? { start: draft.plan.periodStart, end: draft.plan.periodEnd }
    : draft.plan.issued
      ? { start: draft.plan.issued, end: `${draft.plan.issued.slice(0, 4)}-12-31` }
      : null;
}

/** The rows of a draft as a starting point for editing: the matched ids, the timing text, the marks. */
export function editedFromDraft(
  draft: IntakeDraft,
  choices: { id?: string; directory: string; monitoringAgency?: string | null; escalationAuthority?: string | null },
): EditedPlan {
  const period = draftPeriod(draft);
  return {
    id: choices.id ?? draft.plan.suggestedId,
    number: draft.plan.number,
    title: draft.plan.title ?? '',
    issuer: draft.plan.issuer?.id ?? null,
    issued: draft.plan.issued,
    period,
    directory: choices.directory,
    monitoringAgency: choices.monitoringAgency ?? null,
    escalationAuthority: choices.escalationAuthority ?? null,
    rows: draft.rows.map((r) => ({
      ref: r.ref,
      title: r.title,
      lead: r.lead.map((p) => p.id),
      coordinators: r.coordinators.map((p) => p.id),
      timingText: r.timing?.text ?? '',
      deliverable: r.deliverable,
      review: r.review.map((m) => ({ ...m })),
    })),
  };
}
