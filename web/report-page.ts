/**
 * The periodic report from the board (`/plans/:planId/report`): what the plan and its directory do not give (the
 * document code, the place, the signer's title, "Nơi nhận") is asked for once on a form, with where to record it so
 * nobody is asked again, and the officer may write the assessment and proposals; the .xlsx or .docx is made only
 * when nothing is missing, so no file with stand-ins leaves the board. The same rules as the CLI (reports/heading).
 */
import { ReportInputError, MISSING_FIELD_PROMPTS, resolveReportHeading } from '../reports/heading';
import type { MissingReportField, ReportOfficerInputs } from '../reports/heading';
import type { ExtensionItem } from '../reports/compile';
import { DEADLINE_CHANGE_LABELS } from '../reports/deadline-changes';
import { formatDateShortVi, type LabelLanguage } from '../reports/labels';
import type { BuiltReport, PlanSources } from '../services/periodic-report';
import { html, type SafeHtml } from './html';

/** The query fields of the form, each an officer input. */
const QUERY = {
  code: 'documentCode',
  place: 'place',
  signerTitle: 'signerTitle',
  signerAuthority: 'signerAuthority',
  signerName: 'signerName',
  recipients: 'recipients',
  assessment: 'assessment',
  proposals: 'proposals',
} as const;

const WORDS = {
  vi: {
    title: 'Báo cáo định kỳ',
    missing: (n: number) => `Kế hoạch và danh bạ chưa cho biết ${n} thông tin của văn bản. Điền vào đây để tạo tệp:`,
    complete: 'Đủ thông tin của văn bản. Có thể viết thêm phần đánh giá, kiến nghị (không bắt buộc) rồi tải tệp.',
    record: 'Ghi lại để không phải điền lần sau',
    assessment: 'Đánh giá chung (để trống: bỏ mục này)',
    proposals: 'Kiến nghị, đề xuất (để trống: bỏ mục này)',
    authority: 'Dòng thẩm quyền ký (ví dụ TM. ỦY BAN NHÂN DÂN; ngăn cách bằng dấu ;)',
    signerName: 'Họ tên người ký',
    xlsx: 'Tải báo cáo (Excel)',
    docx: 'Tải báo cáo (Word)',
    stillMissing: 'Chưa tạo tệp: còn thiếu thông tin bên dưới.',
    changes: 'III. Gia hạn, điều chỉnh thời hạn trong kỳ (như trong tệp báo cáo)',
    noChanges: 'Trong kỳ báo cáo không có nhiệm vụ được gia hạn hoặc điều chỉnh thời hạn.',
    changeHeads: [
      'Nhiệm vụ (cơ quan chủ trì)',
      'Hạn cũ',
      'Hạn mới',
      'Người quyết định',
      'Hình thức, lý do',
      'Ý kiến của người quyết định',
    ],
    noDue: 'Chưa có hạn',
  },
  en: {
    title: 'Periodic report',
    missing: (n: number) => `The plan and its directory do not give ${n} part(s) of the document. Fill them in here:`,
    complete: 'The document is complete. You may add the assessment and proposals (optional), then download.',
    record: 'Record it so nobody is asked again',
    assessment: 'General assessment (empty: section left out)',
    proposals: 'Proposals (empty: section left out)',
    authority: 'Signing authority lines (e.g. TM. ỦY BAN NHÂN DÂN; separated by ;)',
    signerName: 'Signer’s name',
    xlsx: 'Download the report (Excel)',
    docx: 'Download the report (Word)',
    stillMissing: 'No file made: the parts below are still missing.',
    changes: 'III. Deadline extensions and changes in the period (as in the report file)',
    noChanges: 'No task deadline was extended or changed in the period.',
    changeHeads: [
      'Task (lead agency)',
      'Old deadline',
      'New deadline',
      'Decided by',
      'Kind, reason',
      'Remark of the decider',
    ],
    noDue: 'None',
  },
} as const;

const text = (q: Record<string, unknown>, k: string): string | undefined => {
  const v = q[k];
  return typeof v === 'string' && v.trim() ? v.normalize('NFC').trim() : undefined;
};
const list = (v: string | undefined): string[] | undefined =>
  v
    ?.split(';')
    .map((s) => s.trim())
    .filter(Boolean);

/** The officer inputs a query carries (empty fields are absent). */
export function officerInputsOf(query: Record<string, unknown>): ReportOfficerInputs {
  const out: ReportOfficerInputs = {};
  const code = text(query, QUERY.code);
  const place = text(query, QUERY.place);
  const title = text(query, QUERY.signerTitle);
  const authority = list(text(query, QUERY.signerAuthority));
  const name = text(query, QUERY.signerName);
  const recipients = list(text(query, QUERY.recipients));
  const assessment = text(query, QUERY.assessment);
  const proposals = text(query, QUERY.proposals);
  if (code) out.documentCode = code;
  if (place) out.place = place;
  if (title) out.signerTitle = title;
  if (authority?.length) out.signerAuthority = authority;
  if (name) out.signerName = name;
  if (recipients?.length) out.recipients = recipients;
  if (assessment) out.assessment = assessment;
  if (proposals) out.proposals = proposals;
  return out;
}

const FIELD_OF: Record<MissingReportField, string> = {
  documentCode: QUERY.code,
  place: QUERY.place,
  signerTitle: QUERY.signerTitle,
  recipients: QUERY.recipients,
};

export type ReportStep =
  | { kind: 'file'; format: 'xlsx' | 'docx'; built: BuiltReport }
  | { kind: 'form'; status: number; title: string; body: SafeHtml };

/**
 * One step of the report page: the file when it was asked for and nothing is missing; otherwise the form (status
 * 400 when the officer's input cannot be used or a file was asked for while parts are still missing).
 */
export async function reportStep(opts: {
  planId: string;
  query: Record<string, unknown>;
  lang: LabelLanguage;
  sources: PlanSources;
  build: (officer: ReportOfficerInputs) => Promise<BuiltReport>;
  /** Section III's rows (real deadline changes), shown under the form; absent, the section is not shown. */
  changes?: () => Promise<readonly ExtensionItem[]>;
}): Promise<ReportStep> {
  const { planId, query, lang, sources } = opts;
  const w = WORDS[lang];
  const format = query['format'] === 'xlsx' || query['format'] === 'docx' ? query['format'] : undefined;
  const officer = officerInputsOf(query);
  let missing: MissingReportField[];
  let problem: string | undefined;
  try {
    missing = resolveReportHeading(sources.plan, sources.directory, officer).missing;
  } catch (err) {
    if (!(err instanceof ReportInputError)) throw err;
    problem = err.message;
    missing = resolveReportHeading(sources.plan, sources.directory, {
      ...officer,
      [err.field]: undefined,
    }).missing;
    if (!missing.includes('documentCode') && err.field === 'documentCode') missing.unshift('documentCode');
  }
  if (format && !problem && missing.length === 0) return { kind: 'file', format, built: await opts.build(officer) };
  const value = (k: string): string => (typeof query[k] === 'string' ? query[k] : '');
  const input = (name: string, label: string, hint?: string): SafeHtml =>
    html`<label for="${name}">${label}</label><input id="${name}" name="${name}" type="text" value="${value(name)}">${
      hint ? html`<p class="muted">${w.record}: ${hint}</p>` : ''
    }`;
  const area = (name: string, label: string): SafeHtml =>
    html`<label for="${name}">${label}</label><textarea id="${name}" name="${name}" maxlength="8000">${value(name)}</textarea>`;
  const asked = missing.map((f) => {
    const p = MISSING_FIELD_PROMPTS[f];
    return input(FIELD_OF[f], p.question, p.planField);
  });
  const body = html`<h1>${w.title}</h1>
${problem ? html`<p class="error" data-part="problem">${problem}</p>` : ''}
${format && missing.length > 0 ? html`<p class="error" data-part="still-missing">${w.stillMissing}</p>` : ''}
<p data-part="missing" data-count="${missing.length}">${missing.length > 0 ? w.missing(missing.length) : w.complete}</p>
<form class="card" method="get" action="/plans/${encodeURIComponent(planId)}/report">
${asked}${missing.includes('signerTitle') ? html`${input(QUERY.signerAuthority, w.authority)}${input(QUERY.signerName, w.signerName)}` : ''}
${area(QUERY.assessment, w.assessment)}${area(QUERY.proposals, w.proposals)}
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div><button type="submit" name="format" value="xlsx">${w.xlsx}</button> <button type="submit" name="format" value="docx">${w.docx}</button></div>
</form>`;
  const changes = opts.changes ? changesTable(await opts.changes(), lang) : html``;
  return { kind: 'form', status: problem ? 400 : 200, title: w.title, body: html`${body}${changes}` };
}

/** Section III as the files have it: each real deadline change, who decided, and the decider's own remark. */
function changesTable(items: readonly ExtensionItem[], lang: LabelLanguage): SafeHtml {
  const w = WORDS[lang];
  if (items.length === 0) return html`<h2>${w.changes}</h2><p data-part="changes" data-count="0">${w.noChanges}</p>`;
  return html`<h2>${w.changes}</h2><table data-part="changes" data-count="${items.length}"><thead><tr>${w.changeHeads.map(
    (h) => html`<th>${h}</th>`,
  )}</tr></thead><tbody>${items.map(
    (e) =>
      html`<tr><td>${e.taskRef}. ${e.title} (${e.lead.name})</td><td>${e.previousDue ? formatDateShortVi(e.previousDue) : w.noDue}</td><td>${formatDateShortVi(
        e.newDue,
      )}</td><td>${e.decidedBy}, ${formatDateShortVi(e.grantedOn)}</td><td>${DEADLINE_CHANGE_LABELS[lang][e.kind]}${
        e.reason.trim() ? html`: ${e.reason}` : ''
      }</td><td data-part="decision-note">${e.decisionNote ?? ''}</td></tr>`,
  )}</tbody></table>`;
}
