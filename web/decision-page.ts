/**
 * The page behind an action link (`/a/:token`): what is to be decided, then the form. A coordinator confirming, the
 * monitoring agency accepting or returning, and a lead reporting again see the report itself (summary, document
 * number and date, evidence), every coordinator's answer so far and the reasons given (the return, the dispute, the
 * extension asked for); a resubmission starts from the previous report. A link already used says what was done and
 * the task's state as the workflow holds it now. Pure functions of the task snapshot.
 */
import { dayInput } from './date-input';
import type { ActionName } from '../domain/lifecycle/actions';
import { ACTIONS, isActionName } from '../domain/lifecycle/actions';
import { formatDate } from '../domain/format';
import { REFUSAL_OUTCOMES } from '../domain/lifecycle/refusals';
import type { IsoDate, TaskSnapshot } from '../domain/types';
import { labelReportingStatus, labelTaskState, type LabelLanguage } from '../reports/labels';
import type { ActionFormSpec, FieldDef } from './action-forms';
import { formatInstantLocal, html, raw, stateBadge, statusBadge, WORDS, type SafeHtml } from './html';

const PAGE_WORDS = {
  vi: {
    actingAs: 'Thực hiện với tư cách',
    task: 'Nhiệm vụ',
    report: 'Báo cáo hoàn thành của cơ quan chủ trì',
    previousReport: 'Báo cáo lần trước (biểu mẫu dưới đây bắt đầu từ báo cáo này)',
    reportedBy: 'Cơ quan báo cáo',
    reportedAt: 'Thời điểm báo cáo',
    documentDate: 'Ngày văn bản',
    evidenceFiles: 'Tệp minh chứng',
    answers: 'Ý kiến của cơ quan phối hợp',
    noAnswer: 'chưa có ý kiến',
    confirmed: 'Xác nhận',
    disputed: 'Không thống nhất',
    returned: 'Lý do trả lại',
    returnedBy: (by: string, at: string) => `${by} trả lại lúc ${at}`,
    extension: 'Đề nghị gia hạn',
    extensionAsked: (due: string, at: string) => `Đề nghị gia hạn đến ${due} (gửi lúc ${at})`,
    extensionOther: 'Có thể đồng ý gia hạn đến ngày khác ngày đề nghị: ghi ngày đó vào ô thời hạn mới.',
    noReport: 'Chưa có báo cáo hoàn thành.',
    already: 'Thao tác này đã được thực hiện lúc',
    nothingMore: 'Không có thay đổi nào thêm.',
    now: 'Tình trạng hiện tại của nhiệm vụ',
    status: 'kết quả',
    cycle: 'kỳ',
    lastChange: (what: string, by: string, at: string) => `Thay đổi gần nhất: ${what} (${by}, ${at}).`,
  },
  en: {
    actingAs: 'Acting as',
    task: 'Task',
    report: 'The lead agency’s completion report',
    previousReport: 'Previous report (the form below starts from it)',
    reportedBy: 'Reported by',
    reportedAt: 'Reported at',
    documentDate: 'Document date',
    evidenceFiles: 'Evidence files',
    answers: 'Coordinating agencies’ answers',
    noAnswer: 'no answer yet',
    confirmed: 'Confirmed',
    disputed: 'Disputed',
    returned: 'Reason for the return',
    returnedBy: (by: string, at: string) => `Returned by ${by} at ${at}`,
    extension: 'Extension request',
    extensionAsked: (due: string, at: string) => `Extension requested to ${due} (sent ${at})`,
    extensionOther: 'You may approve another date than the one requested: enter it as the new due date.',
    noReport: 'No completion report yet.',
    already: 'This action was already done at',
    nothingMore: 'Nothing more was changed.',
    now: 'The task is now',
    status: 'status',
    cycle: 'cycle',
    lastChange: (what: string, by: string, at: string) => `Last change: ${what} (${by}, ${at}).`,
  },
} as const;

/** Actions whose decision is about the lead's report: their page shows it. */
const ABOUT_THE_REPORT: ReadonlySet<ActionName> = new Set(['confirm', 'dispute', 'accept', 'return', 'submit']);

const safeHref = (url: string | undefined): string | undefined =>
  url && /^https?:\/\/\S+$/i.test(url) ? url : undefined;

const dateText = (due: IsoDate | null | undefined, lang: LabelLanguage): string =>
  due ? formatDate(due) : WORDS[lang].noDue;

function namesOf(s: TaskSnapshot): Map<string, string> {
  return new Map<string, string>([
    [s.lead.id, s.lead.name],
    [s.monitoring.id, s.monitoring.name],
    ...s.coordinators.map((c) => [c.id, c.name] as [string, string]),
  ]);
}

/**
 * The task in a few lines: plan, reference, title, deliverable, agencies, deadline, state and status. With
 * `originalDue` (the board's task page) the deadline as the plan set it comes before the working-day one.
 */
export function renderTaskCard(s: TaskSnapshot, lang: LabelLanguage, originalDue = false): SafeHtml {
  const t = WORDS[lang];
  const names = namesOf(s);
  return html`<div class="card" data-part="task"><dl>
<dt>${t.plan}</dt><dd>${s.planNumber || s.planId}</dd>
<dt>${t.ref}</dt><dd>${s.taskRef}</dd>
<dt>${t.title}</dt><dd>${s.title}</dd>
${s.deliverable ? html`<dt>${t.deliverable}</dt><dd>${s.deliverable}</dd>` : ''}
<dt>${t.lead}</dt><dd>${s.lead.name}</dd>
<dt>${t.coordinators}</dt><dd>${s.coordinators.map((c) => c.name).join(', ') || '—'}</dd>
<dt>${t.signOff}</dt><dd>${s.requiredSignOff.map((id) => names.get(id) ?? id).join(', ') || '—'}</dd>
<dt>${t.monitoring}</dt><dd>${s.monitoring.name}</dd>
<dt>${t.timing}</dt><dd>${s.timingText}</dd>
${
  originalDue
    ? html`<dt>${t.due}</dt><dd>${dateText(s.due, lang)}</dd>
<dt>${t.effectiveDue}</dt><dd>${dateText(s.effectiveDue, lang)}</dd>`
    : html`<dt>${t.due}</dt><dd>${dateText(s.effectiveDue, lang)}</dd>`
}
<dt>${t.state}</dt><dd>${stateBadge(s.state, lang)}</dd>
<dt>${t.status}</dt><dd>${statusBadge(s.reportingStatus, lang)}</dd>
</dl></div>`;
}

/** The lead's report as submitted: who, when, summary, document number and date, evidence link and files. */
export function renderSubmission(
  s: TaskSnapshot,
  lang: LabelLanguage,
  timeZone: string,
  heading: string = PAGE_WORDS[lang].report,
  evidenceHref?: (fileId: string) => string | undefined,
): SafeHtml {
  const t = WORDS[lang];
  const w = PAGE_WORDS[lang];
  const sub = s.submission;
  if (!sub) return html`<h2>${heading}</h2><p data-part="submission">${w.noReport}</p>`;
  const link = safeHref(sub.evidenceUrl);
  const files = sub.evidenceFiles ?? [];
  return html`<h2>${heading}</h2><div class="card" data-part="submission"><dl>
<dt>${w.reportedBy}</dt><dd>${sub.by.name}</dd>
<dt>${w.reportedAt}</dt><dd>${formatInstantLocal(sub.at, timeZone)}</dd>
<dt>${t.summary}</dt><dd style="white-space:pre-wrap">${sub.summary}</dd>
${sub.documentNumber ? html`<dt>${t.documentNumber}</dt><dd>${sub.documentNumber}</dd>` : ''}
${sub.documentDate ? html`<dt>${w.documentDate}</dt><dd>${formatDate(sub.documentDate)}</dd>` : ''}
${link ? html`<dt>${t.evidence}</dt><dd><a href="${link}" rel="noopener noreferrer">${link}</a></dd>` : ''}
${
  files.length > 0
    ? html`<dt>${w.evidenceFiles}</dt><dd>${files.map((f) => {
        const href = evidenceHref?.(f.id);
        const size = `${Math.max(1, Math.round(f.size / 1024))} KB`;
        return html`<div>${href ? html`<a href="${href}">${f.name}</a>` : f.name} (${size})</div>`;
      })}</dd>`
    : ''
}
</dl></div>`;
}

/** Every coordinator that must sign off, with its answer so far and the reason of a dispute. */
export function renderAnswers(s: TaskSnapshot, lang: LabelLanguage, timeZone: string): SafeHtml {
  const w = PAGE_WORDS[lang];
  const names = namesOf(s);
  const ids = [...new Set([...s.requiredSignOff, ...s.confirmations.map((c) => c.agencyId)])];
  if (ids.length === 0) return html``;
  return html`<h2>${w.answers}</h2><div class="scroll"><table data-part="answers"><tbody>${ids.map((id) => {
    const c = s.confirmations.find((x) => x.agencyId === id);
    return html`<tr data-agency="${id}" data-verdict="${c?.verdict ?? 'none'}"><td>${names.get(id) ?? id}</td><td>${
      c ? (c.verdict === 'confirmed' ? w.confirmed : w.disputed) : w.noAnswer
    }</td><td>${c ? formatInstantLocal(c.at, timeZone) : ''}</td><td>${c?.note ?? ''}</td></tr>`;
  })}</tbody></table></div>`;
}

/** The reasons behind the decision: why the report came back, what extension is asked and why. */
export function renderReasons(s: TaskSnapshot, action: ActionName, lang: LabelLanguage, timeZone: string): SafeHtml {
  const w = PAGE_WORDS[lang];
  const parts: SafeHtml[] = [];
  if (s.lastReturn && (s.state === 'returned' || action === 'submit'))
    parts.push(
      html`<div class="card" data-part="return-reason"><h2>${w.returned}</h2><p style="white-space:pre-wrap">${s.lastReturn.reason}</p><p class="muted">${w.returnedBy(s.lastReturn.by.name, formatInstantLocal(s.lastReturn.at, timeZone))}</p></div>`,
    );
  if (s.pendingExtension && (action === 'approve_extension' || action === 'reject_extension'))
    parts.push(
      html`<div class="card" data-part="extension"><h2>${w.extension}</h2><p>${w.extensionAsked(formatDate(s.pendingExtension.newDue), formatInstantLocal(s.pendingExtension.at, timeZone))}</p><p style="white-space:pre-wrap">${s.pendingExtension.reason}</p>${
        action === 'approve_extension' ? html`<p class="muted">${w.extensionOther}</p>` : ''
      }</div>`,
    );
  return html`${parts}`;
}

/**
 * The values a form starts with: a report made again starts from the previous one (summary, document number and
 * date, evidence link); an extension is approved at the requested date unless the officer writes another.
 */
export function formDefaults(action: ActionName, s: TaskSnapshot): Record<string, string> {
  const out: Record<string, string> = {};
  if (action === 'submit' && s.submission) {
    const sub = s.submission;
    out['summary'] = sub.summary;
    if (sub.documentNumber) out['documentNumber'] = sub.documentNumber;
    if (sub.documentDate) out['documentDate'] = sub.documentDate;
    if (sub.evidenceUrl) out['evidenceUrl'] = sub.evidenceUrl;
  }
  if (action === 'approve_extension' && s.pendingExtension) out['newDue'] = s.pendingExtension.newDue;
  return out;
}

/** One form field, with its starting value. */
export function renderField(f: FieldDef, lang: LabelLanguage, value = ''): SafeHtml {
  const req = f.required ? raw(' required') : '';
  const label = html`<label for="${f.name}">${f.label[lang]}${f.required ? ' *' : ''}</label>`;
  if (f.kind === 'textarea')
    return html`${label}<textarea id="${f.name}" name="${f.name}" maxlength="${f.max ?? 4000}"${req}>${value}</textarea>`;
  if (f.kind === 'date')
    return html`${label}${dayInput(f.name, value, { label: f.label[lang], required: f.required })}`;
  const type = f.kind === 'url' ? 'url' : f.kind === 'number' ? 'number' : 'text';
  return html`${label}<input id="${f.name}" name="${f.name}" type="${type}" maxlength="${f.max ?? 2000}"${raw(f.kind === 'number' ? ' step="any"' : '')}${value ? html` value="${value}"` : ''}${req}>`;
}

export interface DecisionPageInput {
  snapshot: TaskSnapshot;
  form: ActionFormSpec;
  /** The link's token: the form posts back to `/a/<token>`. */
  token: string;
  csrf: string;
  /** Name of the agency the link was made for. */
  acting: string;
  lang: LabelLanguage;
  timeZone: string;
  /** The href of an evidence file for this link's party, when files can be shown. */
  evidenceHref?: (fileId: string) => string | undefined;
  /** Extra markup inside the form (the evidence upload), before the button. */
  extraFields?: SafeHtml;
  /** `multipart/form-data` when the form uploads files. */
  enctype?: string;
}

/** The whole decision page: title, who acts, the task, the thing decided, the reasons, and the form. */
export function renderDecisionPage(i: DecisionPageInput): SafeHtml {
  const { snapshot: s, form, lang, timeZone } = i;
  const w = PAGE_WORDS[lang];
  const action = form.action;
  const resubmission = action === 'submit' && s.submission !== undefined;
  const about = ABOUT_THE_REPORT.has(action) && (action !== 'submit' || resubmission);
  const defaults = formDefaults(action, s);
  return html`<h1>${form.title[lang]}</h1>
<p>${w.actingAs}: <strong>${i.acting}</strong></p>${renderTaskCard(s, lang)}
${renderReasons(s, action, lang, timeZone)}
${about ? renderSubmission(s, lang, timeZone, resubmission ? w.previousReport : w.report, i.evidenceHref) : ''}
${about ? renderAnswers(s, lang, timeZone) : ''}
<form class="card" method="post" action="/a/${i.token}"${i.enctype ? html` enctype="${i.enctype}"` : ''}><input type="hidden" name="csrf" value="${i.csrf}">
${form.fields.map((f) => renderField(f, lang, defaults[f.name]))}${i.extraFields ?? ''}<div><button type="submit">${form.button[lang]}</button></div></form>`;
}

/**
 * A link already used: what was done, when and by whom, and the task's state now as the workflow holds it (state,
 * reporting status, cycle and the last change), so a reader never takes an old state for the current one.
 */
export function renderAlreadyDone(
  earlier: { action: string; at: string; by: string },
  current: TaskSnapshot | undefined,
  lang: LabelLanguage,
  timeZone: string,
): SafeHtml {
  const w = PAGE_WORDS[lang];
  const last = current?.timeline.at(-1);
  const what = (action: string): string => (isActionName(action) ? ACTIONS[action].done[lang] : action);
  return html`<div class="card ok" data-outcome="already-done"><h1>${REFUSAL_OUTCOMES.already_done.title[lang]}</h1>
<p>${w.already} ${formatInstantLocal(earlier.at, timeZone)} (${earlier.by}): ${what(earlier.action)}.</p>
<p class="muted">${w.nothingMore}</p>${
    current
      ? html`<p data-part="current-state" data-state="${current.state}">${w.now}: <strong>${labelTaskState(current.state, lang)}</strong> (${w.status}: ${labelReportingStatus(current.reportingStatus, lang)}; ${w.cycle} ${current.cycle + 1}).${
          last
            ? html` ${w.lastChange(labelTimeline(last.action, lang), last.actor.name, formatInstantLocal(last.at, timeZone))}`
            : ''
        }</p>`
      : ''
  }</div>`;
}

function labelTimeline(action: string, lang: LabelLanguage): string {
  return isActionName(action) ? ACTIONS[action].done[lang] : (TIMELINE_WORDS[lang][action] ?? action);
}

/** Timeline entries that are not actions of the registry. */
const TIMELINE_WORDS: Record<LabelLanguage, Record<string, string>> = {
  vi: { created: 'tạo nhiệm vụ', cycle_started: 'bắt đầu kỳ mới', overdue: 'quá hạn', cancel: 'hủy nhiệm vụ' },
  en: { created: 'task created', cycle_started: 'new cycle', overdue: 'overdue', cancel: 'task cancelled' },
};
