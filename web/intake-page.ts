/**
 * The pages of plan intake ("Nhập kế hoạch"), as pure functions: the upload form, and the draft as an editable
 * table whose whole state travels in the form itself (no draft is kept on the server, nothing on disk). The
 * page runs no script (the app's CSP allows none): every edit is sent back with a button and the server renders
 * the table again, timings read anew with the dates they mean.
 */
import { buildTimingContext } from '../plans/expand';
import type { IsoDate, TimingContext } from '../domain/types';
import { formatDate } from '../domain/format';
import type { LabelLanguage } from '../reports/labels';
import type { DirectoryLike } from '../reader/agency-names';
import type { ReviewMark } from '../reader/types';
import {
  draftPeriod,
  pickAgency,
  previewTiming,
  type EditedPlan,
  type IntakeDraft,
  type RowProblem,
  type TimingPreview,
} from '../services/intake';
import { dayInput, parseDayInput } from './date-input';
import { html, raw, type SafeHtml } from './html';

/** A name as the plan writes it and the directory id the officer chose ('' when none yet). */
export interface FormPick {
  text: string;
  id: string;
}

export interface FormMark {
  field: string;
  why: string;
  line: number | null;
  ok: boolean;
}

export interface FormRow {
  ref: string;
  title: string;
  lead: FormPick[];
  coordinators: FormPick[];
  timing: string;
  /** An explicit due date as typed (dd/mm/yyyy), when the text alone is not enough. */
  due: string;
  deliverable: string;
  marks: FormMark[];
}

/** Everything the draft page shows and sends back. */
export interface IntakeForm {
  /** Directory choice: `plan:<id>`, `example:<folder>` or `upload`. */
  dir: string;
  /** The uploaded directory file (gzip, base64), when `dir` is `upload`. */
  dirData: string;
  dirName: string;
  fileName: string;
  plan: {
    id: string;
    number: string;
    title: string;
    issuer: string;
    issued: string;
    start: string;
    end: string;
    monitoring: string;
    escalation: string;
    /** The officer agrees that an import under an existing plan id amends that plan. */
    replace: boolean;
  };
  planMarks: FormMark[];
  rows: FormRow[];
}

/** A directory the officer can pick, by key. */
export interface DirectoryChoice {
  key: string;
  label: string;
}

const MAX_ROWS = 500;
const MAX_PICKS = 40;
const MAX_MARKS = 20;

/**
 * Above this many entries, or this many options over the whole page, a pick is a text box with one shared list of
 * suggestions instead of a select (the page stays small for a national directory or a long plan).
 */
const SELECT_LIMIT = 400;
const PAGE_OPTIONS_LIMIT = 40_000;

export const INTAKE_WORDS = {
  vi: {
    heading: 'Nhập kế hoạch từ văn bản',
    uploadIntro:
      'Chọn văn bản kế hoạch (.docx, .pdf — kể cả bản quét — hoặc .txt) và danh mục cơ quan. Hệ thống đọc văn bản thành bản nháp để cán bộ rà soát; chưa có nhiệm vụ nào được tạo cho đến khi bấm "Nhập kế hoạch".',
    document: 'Văn bản kế hoạch (tối đa 20 MB)',
    directory: 'Danh mục cơ quan',
    directoryFile: 'Tệp danh mục (.yaml, .json) — khi chọn "Tải lên tệp danh mục"',
    uploadDirectory: 'Tải lên tệp danh mục',
    read: 'Đọc văn bản',
    draftHeading: 'Rà soát bản nháp kế hoạch',
    draftIntro:
      'Sửa những gì chưa đúng, chọn cơ quan trong danh mục, rồi bấm "Nhập kế hoạch". Các ô tô vàng là chỗ hệ thống chưa chắc chắn. Sau mỗi thay đổi về thời gian, bấm "Cập nhật" để xem lại ngày đến hạn.',
    fromFile: 'Đọc từ tệp',
    planId: 'Mã kế hoạch',
    number: 'Số, ký hiệu',
    title: 'Tên kế hoạch',
    issuer: 'Cơ quan ban hành',
    issued: 'Ngày ban hành',
    start: 'Thực hiện từ ngày',
    end: 'đến ngày',
    monitoring: 'Cơ quan theo dõi, đôn đốc',
    escalation: 'Cơ quan nhận báo cáo quá hạn',
    replace: 'Kế hoạch với mã này đã có: cập nhật nó (chỉ áp dụng phần thay đổi)',
    choose: '— chọn —',
    typeId: 'mã cơ quan trong danh mục',
    typeIdOrDrop: 'mã cơ quan, hoặc - để bỏ tên này',
    remove: '— bỏ tên này —',
    add: '+ thêm cơ quan phối hợp',
    suggestions: 'Gợi ý theo tên trong văn bản',
    all: 'Toàn bộ danh mục',
    groups: 'Nhóm cơ quan',
    asWritten: 'Theo văn bản',
    ref: 'Số TT',
    task: 'Nhiệm vụ',
    lead: 'Chủ trì',
    coordinators: 'Phối hợp',
    timing: 'Thời gian thực hiện',
    explicitDue: 'Ngày đến hạn cụ thể',
    deliverable: 'Sản phẩm',
    review: 'Cần rà soát',
    line: 'dòng',
    reviewed: 'Đã xem',
    deleteRow: 'Xóa dòng',
    addRow: 'Thêm dòng',
    refresh: 'Cập nhật',
    download: 'Tải tệp kế hoạch (YAML)',
    downloadDirectory: 'Tải tệp danh mục',
    import: 'Nhập kế hoạch',
    due: 'Hạn',
    dues: 'Các hạn',
    effective: 'theo ngày làm việc',
    window: 'Từ',
    to: 'đến',
    unsure: 'Chưa đọc chắc chắn',
    event: 'Theo sự kiện',
    officerDue: 'Ngày do cán bộ nhập',
    noTiming: 'Chưa có thời gian',
    problems: (n: number) => `${n} lỗi: chưa nhập gì. Sửa các lỗi ghi bên cạnh từng dòng rồi nhập lại.`,
    rowLabel: (n: number) => (n === 0 ? 'Thông tin kế hoạch' : `Dòng ${n}`),
    problemsHint:
      'Lỗi ghi như lệnh "dondoc import" báo. Trên trang này: thời gian chưa đọc được thì nhập "Ngày đến hạn cụ thể"; mục cần rà soát đã xem thì đánh dấu "Đã xem".',
    planMarks: 'Cần rà soát ở phần đầu văn bản',
    unknown: 'Tên chưa có trong danh mục',
    tasks: (n: number) => `Nhiệm vụ (${n})`,
  },
  en: {
    heading: 'Import a plan from a document',
    uploadIntro:
      'Choose the plan document (.docx, .pdf — scanned ones too — or .txt) and the agency directory. The document is read into a draft for review; no task is created until you press "Import plan".',
    document: 'Plan document (up to 20 MB)',
    directory: 'Agency directory',
    directoryFile: 'Directory file (.yaml, .json) — when "Upload a directory file" is chosen',
    uploadDirectory: 'Upload a directory file',
    read: 'Read the document',
    draftHeading: 'Review the draft plan',
    draftIntro:
      'Fix what is wrong, choose agencies from the directory, then press "Import plan". Yellow cells are where the reader is unsure. After changing a timing, press "Update" to see its due date.',
    fromFile: 'Read from',
    planId: 'Plan id',
    number: 'Number',
    title: 'Plan title',
    issuer: 'Issued by',
    issued: 'Issued on',
    start: 'Runs from',
    end: 'to',
    monitoring: 'Monitoring agency',
    escalation: 'Escalation authority',
    replace: 'A plan with this id exists: update it (apply only the difference)',
    choose: '— choose —',
    typeId: 'agency id in the directory',
    typeIdOrDrop: 'agency id, or - to drop this name',
    remove: '— drop this name —',
    add: '+ add a coordinator',
    suggestions: 'Suggested from the name in the document',
    all: 'Whole directory',
    groups: 'Agency groups',
    asWritten: 'As written',
    ref: 'No.',
    task: 'Task',
    lead: 'Lead',
    coordinators: 'Coordinators',
    timing: 'Timing',
    explicitDue: 'Explicit due date',
    deliverable: 'Deliverable',
    review: 'To review',
    line: 'line',
    reviewed: 'Checked',
    deleteRow: 'Delete row',
    addRow: 'Add a row',
    refresh: 'Update',
    download: 'Download the plan file (YAML)',
    downloadDirectory: 'Download the directory file',
    import: 'Import plan',
    due: 'Due',
    dues: 'Due dates',
    effective: 'working-day rule',
    window: 'From',
    to: 'to',
    unsure: 'Not read with confidence',
    event: 'On an event',
    officerDue: 'Date given by the officer',
    noTiming: 'No timing yet',
    problems: (n: number) =>
      `${n} problem(s): nothing was imported. Fix each one shown beside its row, then import again.`,
    rowLabel: (n: number) => (n === 0 ? 'Plan details' : `Row ${n}`),
    problemsHint:
      'Errors as "dondoc import" gives them. On this page: for a timing that cannot be read, give an "Explicit due date"; for a mark you have checked, tick "Checked".',
    planMarks: 'To review in the document header',
    unknown: 'Names not in the directory',
    tasks: (n: number) => `Tasks (${n})`,
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Draft → form, form → edited plan
// ---------------------------------------------------------------------------------------------

const markOf = (m: ReviewMark & { resolved?: boolean }): FormMark => ({
  field: m.field,
  why: m.why,
  line: m.line ?? null,
  ok: m.resolved === true,
});

/** The form a freshly read draft starts as: the reader's matches chosen, every mark open. */
export function formFromDraft(
  draft: IntakeDraft,
  choice: { dir: string; dirData?: string; dirName?: string },
  defaults: { monitoring?: string; escalation?: string } = {},
): IntakeForm {
  const period = draftPeriod(draft);
  return {
    dir: choice.dir,
    dirData: choice.dirData ?? '',
    dirName: choice.dirName ?? '',
    fileName: draft.fileName,
    plan: {
      id: draft.plan.suggestedId,
      number: draft.plan.number ?? '',
      title: draft.plan.title ?? '',
      issuer: draft.plan.issuer?.id ?? '',
      issued: draft.plan.issued ? formatDate(draft.plan.issued) : '',
      start: period ? formatDate(period.start) : '',
      end: period ? formatDate(period.end) : '',
      monitoring: defaults.monitoring ?? '',
      escalation: defaults.escalation ?? draft.plan.issuer?.id ?? '',
      replace: false,
    },
    planMarks: draft.marks.map(markOf),
    rows: draft.rows.map((r) => ({
      ref: r.ref ?? '',
      title: r.title,
      lead: r.lead.map((p) => ({ text: p.text, id: p.id ?? '' })),
      coordinators: r.coordinators.map((p) => ({ text: p.text, id: p.id ?? '' })),
      timing: r.timing?.text ?? '',
      due: '',
      deliverable: r.deliverable ?? '',
      marks: r.review.map(markOf),
    })),
  };
}

const str = (v: unknown, max = 4000): string =>
  (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '').normalize('NFC').slice(0, max);
const int = (v: unknown, max: number): number => {
  const n = Number.parseInt(str(v, 6), 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : 0;
};

function readPicks(body: Record<string, unknown>, prefix: string): FormPick[] {
  const n = int(body[`${prefix}n`], MAX_PICKS);
  const out: FormPick[] = [];
  for (let j = 0; j < n; j++) {
    const id = str(body[`${prefix}${j}`], 200).trim();
    const text = str(body[`${prefix}t${j}`], 500);
    if (id === '-' || (id === '' && text === '')) continue; // "drop this name", or an empty added pick
    out.push({ text, id });
  }
  return out;
}

/** Reads the form the draft page posts (urlencoded). Unknown or missing fields read as empty; never throws. */
export function parseIntakeForm(body: Record<string, unknown>): IntakeForm {
  const rows: FormRow[] = [];
  const n = int(body['n'], MAX_ROWS);
  for (let i = 0; i < n; i++) {
    const p = `r${i}.`;
    const marks: FormMark[] = [];
    for (let k = 0; k < int(body[`${p}mn`], MAX_MARKS); k++) {
      const line = int(body[`${p}m${k}.l`], 1_000_000);
      marks.push({
        field: str(body[`${p}m${k}.f`], 40),
        why: str(body[`${p}m${k}.w`], 1000),
        line: line || null,
        ok: str(body[`${p}m${k}.ok`], 4) === '1',
      });
    }
    const coordinators = readPicks(body, `${p}c`);
    const added = str(body[`${p}cnew`], 200).trim();
    if (added && added !== '-') coordinators.push({ text: '', id: added });
    rows.push({
      ref: str(body[`${p}ref`], 40).trim(),
      title: str(body[`${p}title`]).trim(),
      lead: readPicks(body, `${p}l`),
      coordinators,
      timing: str(body[`${p}timing`], 1000).trim(),
      due: str(body[`${p}due`], 20).trim(),
      deliverable: str(body[`${p}deliv`], 2000).trim(),
      marks,
    });
  }
  const planMarks: FormMark[] = [];
  for (let k = 0; k < int(body['pmn'], MAX_MARKS); k++)
    planMarks.push({
      field: str(body[`pm${k}.f`], 40),
      why: str(body[`pm${k}.w`], 1000),
      line: int(body[`pm${k}.l`], 1_000_000) || null,
      ok: true,
    });
  return {
    dir: str(body['dir'], 200),
    dirData: str(body['dirData'], 4_000_000),
    dirName: str(body['dirName'], 200),
    fileName: str(body['fileName'], 200),
    plan: {
      id: str(body['p.id'], 100).trim(),
      number: str(body['p.number'], 100).trim(),
      title: str(body['p.title'], 1000).trim(),
      issuer: str(body['p.issuer'], 200).trim(),
      issued: str(body['p.issued'], 20).trim(),
      start: str(body['p.start'], 20).trim(),
      end: str(body['p.end'], 20).trim(),
      monitoring: str(body['p.monitoring'], 200).trim(),
      escalation: str(body['p.escalation'], 200).trim(),
      replace: str(body['p.replace'], 4) === '1',
    },
    planMarks,
    rows,
  };
}

/** Applies a row operation of the page: `add` appends an empty row, `del:<i>` removes row i. */
export function applyRowOp(form: IntakeForm, op: string): IntakeForm {
  if (op === 'add' && form.rows.length < MAX_ROWS)
    return {
      ...form,
      rows: [
        ...form.rows,
        {
          ref: '',
          title: '',
          lead: [{ text: '', id: '' }],
          coordinators: [],
          timing: '',
          due: '',
          deliverable: '',
          marks: [],
        },
      ],
    };
  const del = /^del:(\d+)$/.exec(op);
  if (del) return { ...form, rows: form.rows.filter((_r, i) => i !== Number(del[1])) };
  return form;
}

/**
 * With another directory chosen, a pick whose id the directory does not hold is matched again from the name as
 * written (taken only when sure, as the reader does).
 */
export function rematch(form: IntakeForm, directory: DirectoryLike): IntakeForm {
  const known = new Set([...directory.agencies.map((a) => a.id), ...(directory.groups ?? []).map((g) => g.id)]);
  const again = (p: FormPick): FormPick =>
    p.id && known.has(p.id)
      ? p
      : p.text
        ? { text: p.text, id: pickAgency(p.text, directory).id ?? '' }
        : { ...p, id: '' };
  const keep = (id: string): string => (known.has(id) ? id : '');
  return {
    ...form,
    plan: {
      ...form.plan,
      issuer: keep(form.plan.issuer),
      monitoring: keep(form.plan.monitoring),
      escalation: keep(form.plan.escalation),
    },
    rows: form.rows.map((r) => ({ ...r, lead: r.lead.map(again), coordinators: r.coordinators.map(again) })),
  };
}

/** The plan's dates as typed, read; `undefined` marks a date that is typed but not a day. */
function planDates(form: IntakeForm): {
  issued: IsoDate | null | undefined;
  start: IsoDate | null | undefined;
  end: IsoDate | null | undefined;
} {
  return {
    issued: parseDayInput(form.plan.issued),
    start: parseDayInput(form.plan.start),
    end: parseDayInput(form.plan.end),
  };
}

/** The timing context the import will use: the plan's period and date of issue as typed. */
export function timingContextOf(form: IntakeForm): TimingContext {
  const d = planDates(form);
  if (d.start && d.end)
    return buildTimingContext({
      period: { start: d.start, end: d.end },
      issued: d.issued ?? null,
      reportingDuties: [],
    });
  return d.issued ? { issued: d.issued } : {};
}

/**
 * The form as the edited plan `services/intake.ts` writes and checks, and the problems only the form can have
 * (a date that is not a day). Marks the officer ticked are resolved.
 */
export function editedFromForm(form: IntakeForm, directoryPath: string): { plan: EditedPlan; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const d = planDates(form);
  const bad = (row: number, field: string, label: string, text: string): void => {
    problems.push({ row, field, message: `${label} "${text}" không phải ngày dạng dd/mm/yyyy.` });
  };
  if (d.issued === undefined) bad(0, 'issued', 'Ngày ban hành', form.plan.issued);
  if (d.start === undefined) bad(0, 'period', 'Ngày bắt đầu', form.plan.start);
  if (d.end === undefined) bad(0, 'period', 'Ngày kết thúc', form.plan.end);
  const rows = form.rows.map((r, i) => {
    const due = parseDayInput(r.due);
    if (due === undefined) bad(i + 1, 'timing', 'Ngày đến hạn', r.due);
    return {
      ref: r.ref || null,
      title: r.title,
      lead: r.lead.map((p) => p.id || null),
      coordinators: r.coordinators.map((p) => p.id || null),
      timingText: r.timing,
      ...(due ? { due } : {}),
      deliverable: r.deliverable || null,
      review: r.marks.map((m) => ({
        field: m.field,
        why: m.why,
        line: m.line ?? 0,
        ...(m.ok ? { resolved: true } : {}),
      })),
    };
  });
  return {
    plan: {
      id: form.plan.id,
      number: form.plan.number || null,
      title: form.plan.title,
      issuer: form.plan.issuer || null,
      issued: d.issued ?? null,
      period: d.start && d.end ? { start: d.start, end: d.end } : null,
      directory: directoryPath,
      monitoringAgency: form.plan.monitoring || null,
      escalationAuthority: form.plan.escalation || null,
      rows,
    },
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const CSS = `
.intake .plan-fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.2rem 1rem}
.intake .plan-fields .wide{grid-column:1/-1}.intake input[type=text],.intake select{width:100%}
.intake table.draft td.ref{width:4.5rem}.intake table.draft td.title{min-width:13rem}.intake table.draft td.lead,.intake table.draft td.coordinators{min-width:11rem}
.intake table.draft td.timing{min-width:12rem}.intake table.draft td.deliverable{min-width:8rem}.intake table.draft td.review{min-width:12rem}.intake textarea{min-height:3.5rem}
.intake tr.needs-review>td{background:#fffbe6}.intake td.mark{background:#fff2cc!important;box-shadow:inset 0 0 0 2px #f5b800}
.intake .as-written{font-size:.82rem;color:#555;margin:.15rem 0 .35rem}.intake .preview{font-size:.85rem;margin-top:.25rem}
.intake .preview.unsure{color:#8a4b00}.intake .problem{color:#9c0006;font-size:.86rem;font-weight:600;margin:.2rem 0}
.intake .marks{font-size:.84rem;margin:0;padding-left:1rem}.intake .marks label{display:inline;font-size:.84rem}
.intake .actions{position:sticky;bottom:0;background:#f6f7f9;padding:.4rem 0;display:flex;gap:.5rem;flex-wrap:wrap}
.intake button.secondary{background:#5c6670}.intake button.small{padding:.2rem .5rem;font-size:.82rem}
.intake .summary{border-left:6px solid #e03131}
@media (max-width:760px){.intake table.draft thead{display:none}.intake table.draft tr{display:block;border:1px solid #dcdfe4;margin-bottom:.8rem;background:#fff}
.intake table.draft td{display:block;border:0;border-bottom:1px solid #eef0f3}.intake table.draft td::before{content:attr(data-label);display:block;font-weight:600;font-size:.82rem;color:#444}}
`;

/** The upload page: the document, the directory (known plans', the examples, or a file), CSRF. */
export function renderUploadPage(
  lang: LabelLanguage,
  opts: { csrf: string; choices: DirectoryChoice[]; selected?: string; error?: string },
): SafeHtml {
  const w = INTAKE_WORDS[lang];
  return html`<style>${raw(CSS)}</style><div class="intake"><h1>${w.heading}</h1>
${opts.error ? html`<div class="card err" role="alert"><p>${opts.error}</p></div>` : ''}
<form class="card" method="post" action="/intake/upload" enctype="multipart/form-data"><p>${w.uploadIntro}</p>
<input type="hidden" name="csrf" value="${opts.csrf}">
<label for="document">${w.document} *</label><input id="document" name="document" type="file" accept=".docx,.pdf,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain" required>
<label for="dir">${w.directory} *</label><select id="dir" name="dir" required>${opts.choices.map(
    (c) => html`<option value="${c.key}"${raw(c.key === opts.selected ? ' selected' : '')}>${c.label}</option>`,
  )}<option value="upload"${raw(opts.selected === 'upload' ? ' selected' : '')}>${w.uploadDirectory}</option></select>
<label for="directoryFile">${w.directoryFile}</label><input id="directoryFile" name="directoryFile" type="file" accept=".yaml,.yml,.json">
<div><button type="submit">${w.read}</button></div></form></div>`;
}

function agencyOptions(
  directory: DirectoryLike,
  selected: string,
  suggestions: string[],
  lang: LabelLanguage,
): SafeHtml {
  const w = INTAKE_WORDS[lang];
  const sel = (id: string): SafeHtml => raw(id === selected ? ' selected' : '');
  const names = new Map<string, string>([
    ...directory.agencies.map((a) => [a.id, a.name] as [string, string]),
    ...(directory.groups ?? []).map((g) => [g.id, g.name] as [string, string]),
  ]);
  const suggested = suggestions.filter((id) => names.has(id));
  return html`${
    suggested.length > 0
      ? html`<optgroup label="${w.suggestions}">${suggested.map((id) => html`<option value="${id}"${sel(id)}>${names.get(id)}</option>`)}</optgroup>`
      : ''
  }<optgroup label="${w.all}">${directory.agencies
    .filter((a) => !suggested.includes(a.id))
    .map((a) => html`<option value="${a.id}"${sel(a.id)}>${a.name}</option>`)}</optgroup>${
    (directory.groups ?? []).length > 0
      ? html`<optgroup label="${w.groups}">${(directory.groups ?? [])
          .filter((g) => !suggested.includes(g.id))
          .map((g) => html`<option value="${g.id}"${sel(g.id)}>${g.name}</option>`)}</optgroup>`
      : ''
  }`;
}

/** A pick from the directory: a select (or a text box with suggestions for a very large directory). */
function agencyPick(
  name: string,
  selected: string,
  directory: DirectoryLike,
  lang: LabelLanguage,
  opts: { text?: string; removable?: boolean; label: string; id: string; asList: boolean },
): SafeHtml {
  const w = INTAKE_WORDS[lang];
  const candidates = opts.text ? pickAgency(opts.text, directory).candidates : [];
  const suggestions = candidates.map((c) => c.id);
  const control = opts.asList
    ? html`<input type="text" id="${opts.id}" name="${name}" value="${selected}" list="directory-ids" aria-label="${opts.label}" placeholder="${opts.removable ? w.typeIdOrDrop : w.typeId}">${
        candidates.length > 0
          ? html`<div class="as-written">${w.suggestions}: ${candidates
              .slice(0, 3)
              .map((c) => `${c.name} (${c.id})`)
              .join('; ')}</div>`
          : ''
      }`
    : html`<select id="${opts.id}" name="${name}" aria-label="${opts.label}"><option value="">${w.choose}</option>${
        opts.removable ? html`<option value="-">${w.remove}</option>` : ''
      }${agencyOptions(directory, selected, suggestions, lang)}</select>`;
  return html`${control}${opts.text ? html`<div class="as-written">${w.asWritten}: “${opts.text}”</div>` : ''}`;
}

function timingPreview(p: TimingPreview, explicit: IsoDate | null, lang: LabelLanguage): SafeHtml {
  const w = INTAKE_WORDS[lang];
  const parts: SafeHtml[] = [];
  if (explicit) parts.push(html`<strong>${w.officerDue}: ${formatDate(explicit)}</strong>`);
  if (p.due) {
    parts.push(html`${w.due}: <strong data-due="${p.due}">${formatDate(p.due)}</strong>`);
    if (p.effectiveDue && p.effectiveDue !== p.due) parts.push(html` (${w.effective}: ${formatDate(p.effectiveDue)})`);
  }
  if (p.dues.length > 1) parts.push(html`<br>${w.dues}: ${p.dues.map(formatDate).join(', ')}`);
  if (p.windowStart && p.windowEnd && !p.due)
    parts.push(html`${w.window} ${formatDate(p.windowStart)} ${w.to} ${formatDate(p.windowEnd)}`);
  if (p.event) parts.push(html`<br>${w.event}: ${p.event}`);
  if (!p.confident && !explicit) parts.push(html`<br>${w.unsure}: ${p.reason}`);
  return html`<div class="preview${!p.confident && !explicit ? ' unsure' : ''}" data-timing-kind="${p.kind}">${parts}</div>`;
}

type Column = 'ref' | 'title' | 'lead' | 'coordinators' | 'timing' | 'deliverable' | 'review';

/** The column a problem or a mark belongs in ("tasks[2].timing.due" → timing; anything else → title). */
export function columnOf(field: string): Column {
  const f = field.replace(/^tasks\[\d+\]\.?/, '').split(/[.[]/)[0] ?? '';
  if (f === 'lead' || f === 'coordinators' || f === 'timing' || f === 'deliverable' || f === 'ref' || f === 'review')
    return f;
  if (f === 'signOff') return 'coordinators';
  return 'title';
}

/** The draft page: plan fields, the task table with previews, marks and problems, and the action buttons. */
export function renderDraftPage(
  form: IntakeForm,
  lang: LabelLanguage,
  opts: {
    csrf: string;
    directory: DirectoryLike;
    choices: DirectoryChoice[];
    problems?: RowProblem[];
    unknownAgencies?: string[];
    /** The plan id names a plan already imported. */
    exists?: boolean;
  },
): SafeHtml {
  const w = INTAKE_WORDS[lang];
  const problems = opts.problems ?? [];
  const ctx = timingContextOf(form);
  const problemsOf = (row: number, column?: string): SafeHtml[] =>
    problems
      .filter(
        (p) =>
          p.row === row && (column === undefined || (row === 0 ? p.field === column : columnOf(p.field) === column)),
      )
      .map((p) => html`<div class="problem" role="alert" data-row="${row}" data-field="${p.field}">${p.message}</div>`);
  const planProblem = (field: string): SafeHtml[] => problemsOf(0, field);
  const knownPlanFields = [
    'id',
    'number',
    'title',
    'issuer',
    'issued',
    'period',
    'monitoringAgency',
    'escalationAuthority',
  ];
  const otherPlanProblems = problems
    .filter((p) => p.row === 0 && !knownPlanFields.includes(p.field))
    .map(
      (p) =>
        html`<div class="problem" role="alert" data-row="0" data-field="${p.field}">${p.field}: ${p.message}</div>`,
    );
  const dir = opts.directory;
  const pickPlan = (name: string, label: string, selected: string): SafeHtml =>
    agencyPick(name, selected, dir, lang, { label, id: name.replace('.', '-'), asList });

  const choices = opts.choices.some((c) => c.key === form.dir)
    ? opts.choices
    : [...opts.choices, { key: form.dir, label: form.dirName || form.dir }];
  const size = dir.agencies.length + (dir.groups ?? []).length;
  const picks = 3 + form.rows.reduce((n, r) => n + Math.max(1, r.lead.length) + r.coordinators.length + 1, 0);
  const asList = size > SELECT_LIMIT || size * picks > PAGE_OPTIONS_LIMIT;
  const datalist = asList
    ? html`<datalist id="directory-ids">${[...dir.agencies, ...(dir.groups ?? [])].map((a) => html`<option value="${a.id}">${a.name}</option>`)}</datalist>`
    : '';

  const planCard = html`<div class="card"><p class="muted">${w.fromFile}: ${form.fileName}</p>
${otherPlanProblems}<div class="plan-fields">
<div><label for="p-id">${w.planId} *</label><input type="text" id="p-id" name="p.id" value="${form.plan.id}" pattern="[a-z0-9][a-z0-9-]*" maxlength="100" required>${planProblem('id')}</div>
<div><label for="p-number">${w.number}</label><input type="text" id="p-number" name="p.number" value="${form.plan.number}" maxlength="100">${planProblem('number')}</div>
<div><label for="dir">${w.directory}</label><select id="dir" name="dir">${choices.map(
    (c) => html`<option value="${c.key}"${raw(c.key === form.dir ? ' selected' : '')}>${c.label}</option>`,
  )}</select>${planProblem('directory')}</div>
<div class="wide"><label for="p-title">${w.title} *</label><input type="text" id="p-title" name="p.title" value="${form.plan.title}" required>${planProblem('title')}</div>
<div><label for="p-issuer">${w.issuer} *</label>${pickPlan('p.issuer', w.issuer, form.plan.issuer)}${planProblem('issuer')}</div>
<div><label for="p-issued">${w.issued}</label>${dayInput('p.issued', form.plan.issued, { id: 'p-issued', label: w.issued })}${planProblem('issued')}</div>
<div><label for="p-start">${w.start} *</label>${dayInput('p.start', form.plan.start, { id: 'p-start', label: w.start })}${planProblem('period')}</div>
<div><label for="p-end">${w.end} *</label>${dayInput('p.end', form.plan.end, { id: 'p-end', label: w.end })}</div>
<div><label for="p-monitoring">${w.monitoring} *</label>${pickPlan('p.monitoring', w.monitoring, form.plan.monitoring)}${planProblem('monitoringAgency')}</div>
<div><label for="p-escalation">${w.escalation} *</label>${pickPlan('p.escalation', w.escalation, form.plan.escalation)}${planProblem('escalationAuthority')}</div>
${
  opts.exists || form.plan.replace
    ? html`<div class="wide"><label><input type="checkbox" name="p.replace" value="1"${raw(form.plan.replace ? ' checked' : '')}> ${w.replace}</label></div>`
    : ''
}</div>
${
  form.planMarks.length > 0
    ? html`<p><strong>${w.planMarks}</strong></p><ul class="marks">${form.planMarks.map(
        (m, k) =>
          html`<li>${m.field} · ${w.line} ${m.line ?? '—'}: ${m.why}<input type="hidden" name="pm${k}.f" value="${m.field}"><input type="hidden" name="pm${k}.w" value="${m.why}"><input type="hidden" name="pm${k}.l" value="${m.line ?? ''}"></li>`,
      )}</ul><input type="hidden" name="pmn" value="${form.planMarks.length}">`
    : ''
}${
    opts.unknownAgencies && opts.unknownAgencies.length > 0
      ? html`<p class="muted">${w.unknown}: ${opts.unknownAgencies.join('; ')}</p>`
      : ''
  }</div>`;

  const rows = form.rows.map((r, i) => {
    const row = i + 1;
    const p = `r${i}.`;
    const marked = (c: Column): boolean => r.marks.some((m) => !m.ok && columnOf(m.field) === c);
    const cell = (c: Column, label: string, content: SafeHtml): SafeHtml =>
      html`<td class="${c}${marked(c) || problems.some((x) => x.row === row && columnOf(x.field) === c) ? ' mark' : ''}" data-label="${label}">${content}${problemsOf(row, c)}</td>`;
    const explicit = parseDayInput(r.due) ?? null;
    const preview = r.timing
      ? timingPreview(previewTiming(r.timing, ctx), explicit, lang)
      : html`<div class="preview unsure">${w.noTiming}</div>`;
    const leads = r.lead.length > 0 ? r.lead : [{ text: '', id: '' }];
    return html`<tr data-row="${row}"${raw(r.marks.some((m) => !m.ok) ? ' class="needs-review"' : '')}>
${cell('ref', w.ref, html`<input type="text" name="${p}ref" value="${r.ref}" size="4" maxlength="40" aria-label="${w.ref} ${row}">`)}
${cell('title', w.task, html`<textarea name="${p}title" aria-label="${w.task} ${row}">${r.title}</textarea>`)}
${cell(
  'lead',
  w.lead,
  html`${leads.map(
    (l, j) =>
      html`${agencyPick(`${p}l${j}`, l.id, dir, lang, { text: l.text, removable: leads.length > 1, label: `${w.lead} ${row}`, id: `r${i}-l${j}`, asList })}<input type="hidden" name="${p}lt${j}" value="${l.text}">`,
  )}<input type="hidden" name="${p}ln" value="${leads.length}">`,
)}
${cell(
  'coordinators',
  w.coordinators,
  html`${r.coordinators.map(
    (c, j) =>
      html`${agencyPick(`${p}c${j}`, c.id, dir, lang, { text: c.text, removable: true, label: `${w.coordinators} ${row}`, id: `r${i}-c${j}`, asList })}<input type="hidden" name="${p}ct${j}" value="${c.text}">`,
  )}<input type="hidden" name="${p}cn" value="${r.coordinators.length}">${
    asList
      ? html`<input type="text" name="${p}cnew" value="" list="directory-ids" placeholder="${w.add}" aria-label="${w.add} ${row}">`
      : html`<select name="${p}cnew" aria-label="${w.add} ${row}"><option value="">${w.add}</option>${agencyOptions(dir, '', [], lang)}</select>`
  }`,
)}
${cell(
  'timing',
  w.timing,
  html`<input type="text" name="${p}timing" value="${r.timing}" aria-label="${w.timing} ${row}">${preview}<label>${w.explicitDue}${dayInput(`${p}due`, r.due, { id: `r${i}-due`, label: w.explicitDue })}</label>`,
)}
${cell('deliverable', w.deliverable, html`<textarea name="${p}deliv" aria-label="${w.deliverable} ${row}">${r.deliverable}</textarea>`)}
<td class="review${problems.some((x) => x.row === row && columnOf(x.field) === 'review') ? ' mark' : ''}" data-label="${w.review}">${
      r.marks.length > 0
        ? html`<ul class="marks">${r.marks.map(
            (m, k) =>
              html`<li data-mark-field="${m.field}">${m.field} · ${w.line} ${m.line ?? '—'}: ${m.why}<br><label><input type="checkbox" name="${p}m${k}.ok" value="1"${raw(m.ok ? ' checked' : '')}> ${w.reviewed}</label><input type="hidden" name="${p}m${k}.f" value="${m.field}"><input type="hidden" name="${p}m${k}.w" value="${m.why}"><input type="hidden" name="${p}m${k}.l" value="${m.line ?? ''}"></li>`,
          )}</ul>`
        : ''
    }<input type="hidden" name="${p}mn" value="${r.marks.length}">${problemsOf(row, 'review')}
<button type="submit" class="small secondary" name="op" value="del:${i}" formnovalidate>${w.deleteRow}</button></td></tr>`;
  });

  const summary =
    problems.length > 0
      ? html`<div class="card summary" role="alert" id="problems"><p><strong>${w.problems(problems.length)}</strong></p><p class="muted">${w.problemsHint}</p><ul>${problems.map(
          (p) => html`<li data-row="${p.row}">${w.rowLabel(p.row)} · ${p.field}: ${p.message}</li>`,
        )}</ul></div>`
      : '';

  // The first submit button is the one Enter presses: "Update", which changes nothing on the server.
  return html`<style>${raw(CSS)}</style><div class="intake"><h1>${w.draftHeading}</h1><p>${w.draftIntro}</p>${summary}
<form method="post" action="/intake/draft" novalidate>
<button type="submit" name="op" value="refresh" class="secondary">${w.refresh}</button>
<input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="fileName" value="${form.fileName}">
<input type="hidden" name="dirData" value="${form.dirData}"><input type="hidden" name="dirName" value="${form.dirName}">
${planCard}${datalist}
<h2>${w.tasks(form.rows.length)}</h2>
<div class="scroll"><table class="draft"><thead><tr><th>${w.ref}</th><th>${w.task}</th><th>${w.lead}</th><th>${w.coordinators}</th><th>${w.timing}</th><th>${w.deliverable}</th><th>${w.review}</th></tr></thead>
<tbody>${rows}</tbody></table></div><input type="hidden" name="n" value="${form.rows.length}">
<div class="actions"><button type="submit" name="op" value="add" class="secondary">${w.addRow}</button>
<button type="submit" name="op" value="refresh" class="secondary">${w.refresh}</button>
<button type="submit" name="op" value="yaml" class="secondary">${w.download}</button>
<button type="submit" name="op" value="directory" class="secondary">${w.downloadDirectory}</button>
<button type="submit" name="op" value="import" id="import">${w.import}</button></div>
</form></div>`;
}
