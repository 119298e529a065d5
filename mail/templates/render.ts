/**
 * Renders notification items into one email (subject, text part, HTML part). One item → that kind's
 * own message; several → a digest grouped by kind, with escalations grouped by agency (most overdue
 * first). Vietnamese first; English when asked. Every string is NFC; every HTML value is escaped.
 */
import type { ActionKind, IsoDate, NotificationRequest } from '../../domain/types';
import { formatLongDate, formatShortDate } from './dates';
import type { Language } from './kinds';
import {
  ACTION_LABELS,
  KIND_ORDER,
  asSentence,
  groupHeading,
  itemDue,
  kindLabel,
  kindSentence,
  withdrawalReason,
} from './kinds';

export interface RenderInput {
  language: Language;
  /** Agency name after "Kính gửi:". */
  agencyName: string;
  localDate: IsoDate;
  items: readonly NotificationRequest[];
  /** Signed URL for an action on an item. */
  actionUrl: (item: NotificationRequest, action: ActionKind) => string;
  /** Names of attached report files, listed in the body. */
  attachmentNames?: readonly string[];
  /** Last day the links work, shown in the footer. */
  linksValidUntil?: IsoDate;
  /** True when an .ics calendar file is attached (the footer then says what it is for). */
  calendarAttached?: boolean;
  /**
   * Base of the web pages (`DONDOC_PUBLIC_URL`): escalations link to the task, the plan's board and the leadership
   * page under it. Without it they carry no links.
   */
  publicUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const SUBJECT_TITLE_MAX = 60;

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Trims to at most `max` characters on a word boundary when possible, with an ellipsis. */
export function trimTitle(title: string, max = SUBJECT_TITLE_MAX): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  if (chars.length <= max) return clean;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

function taskHeadline(item: NotificationRequest): string {
  const t = item.task;
  if (t.taskRef || t.title) return [t.taskRef, t.title].filter((s) => s.length > 0).join(' ');
  return [t.planNumber, t.planTitle].filter((s) => s.length > 0).join(' ');
}

/** Subject of a single-item email, e.g. `[dondoc] Nhắc hạn: 1.1 Tổ chức hội nghị … — hạn 30/9/2019`. */
export function subjectForItem(item: NotificationRequest, lang: Language): string {
  const due = itemDue(item);
  const t = item.task;
  const headline =
    item.kind === 'periodic_report'
      ? [t.planNumber, trimTitle(t.planTitle)].filter(Boolean).join(' ')
      : [t.taskRef, trimTitle(t.title)].filter(Boolean).join(' ');
  const duePart =
    due && item.kind !== 'periodic_report' && item.kind !== 'accepted' && item.kind !== 'cancelled'
      ? ` — ${lang === 'vi' ? 'hạn' : 'due'} ${formatShortDate(due)}`
      : '';
  return `[dondoc] ${kindLabel(item, lang)}: ${headline || taskHeadline(item)}${duePart}`.normalize('NFC');
}

/** How many tasks (task instances) the items are about: two notices on one task count once. */
export function countTasks(items: readonly NotificationRequest[]): number {
  return new Set(items.map((i) => i.task.workflowId)).size;
}

/**
 * Subject of a digest, e.g. `[dondoc] Tổng hợp ngày 22/11/2026: 10 nhiệm vụ cần xử lý`. `tasks` counts tasks, not
 * notices (see {@link countTasks}).
 */
export function subjectForDigest(localDate: IsoDate, tasks: number, lang: Language): string {
  return (
    lang === 'vi'
      ? `[dondoc] Tổng hợp ngày ${formatShortDate(localDate)}: ${tasks} nhiệm vụ cần xử lý`
      : `[dondoc] Daily summary ${formatShortDate(localDate)}: ${tasks} task${tasks === 1 ? '' : 's'} to handle`
  ).normalize('NFC');
}

interface Group {
  heading: string;
  items: NotificationRequest[];
}

function byDueThenRef(a: NotificationRequest, b: NotificationRequest): number {
  const da = itemDue(a) ?? '9999-12-31';
  const db = itemDue(b) ?? '9999-12-31';
  if (da !== db) return da < db ? -1 : 1;
  return a.task.taskRef.localeCompare(b.task.taskRef, 'vi', { numeric: true }) || a.key.localeCompare(b.key);
}

const overdueOf = (i: NotificationRequest): number => i.details.daysOverdue ?? 0;

/** Groups items for a digest: by kind in {@link KIND_ORDER}; escalations by lead agency, most overdue first. */
export function groupItems(items: readonly NotificationRequest[], lang: Language): Group[] {
  const groups: Group[] = [];
  for (const kind of KIND_ORDER) {
    const ofKind = items.filter((i) => i.kind === kind);
    if (ofKind.length === 0) continue;
    if (kind === 'escalation') {
      const byAgency = new Map<string, NotificationRequest[]>();
      for (const item of ofKind) {
        const list = byAgency.get(item.task.lead.id) ?? [];
        list.push(item);
        byAgency.set(item.task.lead.id, list);
      }
      const agencies = [...byAgency.values()].map((list) =>
        list.sort((a, b) => overdueOf(b) - overdueOf(a) || byDueThenRef(a, b)),
      );
      agencies.sort(
        (a, b) =>
          overdueOf(b[0]!) - overdueOf(a[0]!) ||
          b.length - a.length ||
          a[0]!.task.lead.name.localeCompare(b[0]!.task.lead.name, 'vi'),
      );
      for (const list of agencies) {
        const name = list[0]!.task.lead.name;
        groups.push({
          heading: `${groupHeading(kind, lang)} — ${name}: ${list.length} ${lang === 'vi' ? 'nhiệm vụ quá hạn' : 'overdue task(s)'}`,
          items: list,
        });
      }
    } else {
      groups.push({ heading: `${groupHeading(kind, lang)} (${ofKind.length})`, items: [...ofKind].sort(byDueThenRef) });
    }
  }
  return groups;
}

interface ItemFacts {
  sentence: string;
  rows: [string, string][];
  actions: { label: string; url: string }[];
  /** Links to pages (not actions): the task, the board, the leadership page. */
  pages: { label: string; url: string }[];
}

const VERDICT_WORDS: Record<Language, Record<'confirmed' | 'disputed', string>> = {
  vi: { confirmed: 'đã xác nhận', disputed: 'không thống nhất' },
  en: { confirmed: 'confirmed', disputed: 'disputed' },
};

/** The rows that show what the lead reported and what the coordinators answered. */
function submissionRows(item: NotificationRequest, lang: Language): [string, string][] {
  const vi = lang === 'vi';
  const rows: [string, string][] = [];
  const sub = item.details.submission;
  if (sub) {
    rows.push([vi ? 'Báo cáo của cơ quan chủ trì' : 'Lead agency report', sub.summary]);
    const doc = [
      sub.documentNumber ? (vi ? `số ${sub.documentNumber}` : `No. ${sub.documentNumber}`) : '',
      sub.documentDate
        ? vi
          ? `ngày ${formatShortDate(sub.documentDate)}`
          : `of ${formatShortDate(sub.documentDate)}`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (doc) rows.push([vi ? 'Văn bản báo cáo' : 'Report document', doc]);
    const evidence = [...(sub.evidenceFileNames ?? []), ...(sub.evidenceUrl ? [sub.evidenceUrl] : [])];
    if (evidence.length > 0) rows.push([vi ? 'Minh chứng' : 'Evidence', evidence.join('; ')]);
  }
  const answers = item.details.confirmations ?? [];
  if (answers.length > 0) {
    rows.push([
      vi ? 'Ý kiến cơ quan phối hợp' : 'Coordinating agencies',
      answers
        .map(
          (c) =>
            `${c.agency.name}: ${VERDICT_WORDS[lang][c.verdict]}${c.note ? ` (${c.note.replace(/[\s.]+$/u, '')})` : ''}`,
        )
        .join('; '),
    ]);
  }
  return rows;
}

/** Page links of an item: an escalation links to the task, the plan's board and the leadership page. */
function pageLinks(item: NotificationRequest, input: RenderInput): { label: string; url: string }[] {
  if (item.kind !== 'escalation' || !input.publicUrl) return [];
  const base = input.publicUrl.replace(/\/+$/, '');
  const vi = input.language === 'vi';
  const q = vi ? '' : '?lang=en';
  return [
    {
      label: vi ? 'Xem nhiệm vụ' : 'View the task',
      url: `${base}/tasks/${encodeURIComponent(item.task.workflowId)}${q}`,
    },
    {
      label: vi ? 'Bảng theo dõi kế hoạch' : 'Plan board',
      url: `${base}/plans/${encodeURIComponent(item.task.planId)}${q}`,
    },
    // The leadership page is for the plan's monitoring agency and leadership, not the lead told of its own task.
    ...(item.recipient.agencyId === item.task.lead.id
      ? []
      : [{ label: vi ? 'Cơ quan chậm thực hiện' : 'Agencies running late', url: `${base}/leadership${q}` }]),
  ];
}

/**
 * Links to the evidence files of the report an item shows, on the board: the file opens only for a signed-in agency
 * that is a party of the task (web/evidence.ts), which the label says. Without a public URL there are none.
 */
function evidenceLinks(item: NotificationRequest, input: RenderInput): { label: string; url: string }[] {
  const names = item.details.submission?.evidenceFileNames ?? [];
  if (names.length === 0 || !input.publicUrl) return [];
  const base = input.publicUrl.replace(/\/+$/, '');
  const vi = input.language === 'vi';
  return names.map((name) => ({
    label: vi
      ? `Mở tệp minh chứng ${name} (cần đăng nhập hệ thống)`
      : `Open the evidence file ${name} (sign-in needed)`,
    url: `${base}/tasks/${encodeURIComponent(item.task.workflowId)}/evidence/${encodeURIComponent(name)}`,
  }));
}

function itemFacts(item: NotificationRequest, input: RenderInput): ItemFacts {
  const lang = input.language;
  const vi = lang === 'vi';
  const t = item.task;
  const due = itemDue(item);
  const rows: [string, string][] = [];
  rows.push([
    vi ? 'Kế hoạch' : 'Plan',
    [t.planNumber ? (vi ? `số ${t.planNumber}` : `No. ${t.planNumber}`) : '', t.planTitle].filter(Boolean).join(' — '),
  ]);
  if (t.taskRef || t.title) rows.push([vi ? 'Nhiệm vụ' : 'Task', [t.taskRef, t.title].filter(Boolean).join('. ')]);
  rows.push([vi ? 'Cơ quan chủ trì' : 'Lead agency', t.lead.name]);
  const sentence = kindSentence(item, lang);
  // The deadline is said once: in the opening sentence when it names it (due today, an extension's decision, a
  // resumed task), else here. A new task's notice reads as a list of tasks and dates: dd/mm/yyyy, plan-local.
  const dueText = due ? (item.kind === 'plan_imported' ? formatShortDate(due) : formatLongDate(due, lang)) : undefined;
  // A cancelled task has no deadline left to keep.
  if (item.kind !== 'cancelled' && (!dueText || !sentence.includes(dueText)))
    rows.push([
      item.kind === 'plan_imported' ? (vi ? 'Hạn hoàn thành' : 'Deadline') : vi ? 'Thời hạn' : 'Deadline',
      dueText ?? (vi ? 'chưa xác định' : 'not yet set'),
    ]);
  // Cycles count from 0 in the workflow and from 1 for people; the first one goes unsaid.
  if (t.cycle > 0) rows.push([vi ? 'Kỳ' : 'Cycle', String(t.cycle + 1)]);
  if (item.details.daysOverdue !== undefined && (item.kind === 'escalation' || item.kind === 'overdue')) {
    rows.push([vi ? 'Số ngày làm việc quá hạn' : 'Working days overdue', String(item.details.daysOverdue)]);
  }
  if (item.kind === 'extension_decision' && item.details.requestedDue)
    rows.push([vi ? 'Thời hạn đã đề nghị' : 'Requested deadline', formatLongDate(item.details.requestedDue, lang)]);
  rows.push(...submissionRows(item, lang));
  // Most kinds give the reason in their opening sentence; a fact row would say it a second time.
  const reasonText = withdrawalReason(item) ?? item.details.reason;
  const reason = reasonText ? asSentence(reasonText) : undefined;
  if (reason && !sentence.includes(reason)) rows.push([vi ? 'Lý do' : 'Reason', reason]);
  const actions = (item.details.actions ?? []).map((a) => ({
    label: ACTION_LABELS[lang][a],
    url: input.actionUrl(item, a),
  }));
  return { sentence, rows, actions, pages: [...evidenceLinks(item, input), ...pageLinks(item, input)] };
}

function greeting(input: RenderInput): string {
  return input.language === 'vi' ? `Kính gửi: ${input.agencyName}` : `To: ${input.agencyName}`;
}

function introForDigest(input: RenderInput): string {
  const date = formatLongDate(input.localDate, input.language);
  const tasks = countTasks(input.items);
  return input.language === 'vi'
    ? `Hệ thống theo dõi, đôn đốc thực hiện nhiệm vụ tổng hợp ${tasks} nhiệm vụ cần quý cơ quan quan tâm xử lý ${date}:`
    : `The task follow-up system lists ${tasks} task${tasks === 1 ? '' : 's'} for your attention on ${date}:`;
}

export function closing(lang: Language): string {
  return lang === 'vi' ? 'Trân trọng.' : 'Kind regards.';
}

/** The first sentence of every dondoc email's footer: sent automatically, do not reply. */
export function mailFooterSentence(lang: Language): string {
  return lang === 'vi'
    ? 'Thư này được gửi tự động từ hệ thống theo dõi, đôn đốc thực hiện nhiệm vụ (dondoc); vui lòng không trả lời thư này.'
    : 'This message was sent automatically by the task follow-up system (dondoc); please do not reply.';
}

/**
 * The footer says only what is true of this email: the action links' validity when it has action links, the sign-in
 * of the board when it links to pages, the calendar file when one is attached.
 */
function footer(input: RenderInput): string {
  const vi = input.language === 'vi';
  const until = input.linksValidUntil ? formatLongDate(input.linksValidUntil, input.language) : undefined;
  const hasActions = input.items.some((i) => (i.details.actions ?? []).length > 0);
  const hasPages = input.items.some((i) => pageLinks(i, input).length > 0);
  const parts = [mailFooterSentence(input.language)];
  if (hasActions)
    parts.push(
      vi
        ? `Các nút thao tác trong thư dành riêng cho quý cơ quan, không chuyển tiếp cho người khác${until ? ` và có hiệu lực đến hết ${until}` : ''}.`
        : `The action buttons are for your agency only; do not forward them${until ? `. They work until the end of ${until}` : ''}.`,
    );
  if (hasPages)
    parts.push(
      vi
        ? 'Các trang theo dõi nêu trong thư mở sau khi đăng nhập hệ thống.'
        : 'The follow-up pages named in this email open after signing in.',
    );
  if (input.calendarAttached)
    parts.push(
      vi
        ? 'Tệp lịch (.ics) đính kèm giúp đưa các thời hạn vào lịch công tác.'
        : 'The attached calendar file (.ics) adds the deadlines to your calendar.',
    );
  return parts.join(' ');
}

function attachmentsLine(input: RenderInput): string | undefined {
  const names = input.attachmentNames ?? [];
  if (names.length === 0) return undefined;
  return `${input.language === 'vi' ? 'Tệp đính kèm' : 'Attachments'}: ${names.join(', ')}`;
}

function renderText(input: RenderInput, groups: Group[] | undefined, single: NotificationRequest | undefined): string {
  const lines: string[] = [greeting(input), ''];
  const itemText = (item: NotificationRequest, indent: string, withSentence: boolean): void => {
    const f = itemFacts(item, input);
    if (withSentence) lines.push(`${indent}${f.sentence}`, '');
    for (const [k, v] of f.rows) lines.push(`${indent}${k}: ${v}`);
    for (const a of f.actions) lines.push(`${indent}- ${a.label}: ${a.url}`);
    for (const p of f.pages) lines.push(`${indent}- ${p.label}: ${p.url}`);
    lines.push('');
  };
  if (single) {
    itemText(single, '', true);
  } else if (groups) {
    lines.push(introForDigest(input), '');
    let n = 0;
    for (const g of groups) {
      lines.push(g.heading, '-'.repeat(Math.min(60, [...g.heading].length)), '');
      for (const item of g.items) {
        n += 1;
        lines.push(`${n}. ${kindLabel(item, input.language)}`);
        lines.push(`   ${kindSentence(item, input.language)}`);
        itemText(item, '   ', false);
      }
    }
  }
  const att = attachmentsLine(input);
  if (att) lines.push(att, '');
  lines.push(closing(input.language), '', '--', footer(input), '');
  return lines.join('\n').normalize('NFC');
}

const STYLE = {
  body: 'margin:0;padding:0;background:#f2f4f7;',
  wrap: 'max-width:640px;margin:0 auto;padding:16px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;',
  h2: 'font-size:16px;margin:20px 0 8px;padding-bottom:4px;border-bottom:2px solid #1f5fa8;color:#1f5fa8;',
  item: 'margin:0 0 14px;padding:10px 12px;border:1px solid #d8dde6;border-radius:6px;',
  title: 'font-weight:bold;margin:0 0 6px;',
  table: 'border-collapse:collapse;width:100%;font-size:14px;',
  th: 'text-align:left;vertical-align:top;padding:2px 8px 2px 0;color:#555555;font-weight:normal;white-space:nowrap;',
  td: 'vertical-align:top;padding:2px 0;',
  button:
    'display:inline-block;margin:6px 6px 0 0;padding:8px 14px;background:#1f5fa8;color:#ffffff;text-decoration:none;border-radius:4px;font-size:14px;',
  pageLink: 'display:inline-block;margin:6px 10px 0 0;color:#1f5fa8;font-size:14px;',
  footer: 'margin-top:20px;padding-top:8px;border-top:1px solid #d8dde6;font-size:12px;color:#666666;',
};

function renderHtml(input: RenderInput, groups: Group[] | undefined, single: NotificationRequest | undefined): string {
  const e = escapeHtml;
  const itemHtml = (item: NotificationRequest, numbered: number | undefined): string => {
    const f = itemFacts(item, input);
    const rows = f.rows
      .map(([k, v]) => `<tr><th style="${STYLE.th}">${e(k)}</th><td style="${STYLE.td}">${e(v)}</td></tr>`)
      .join('');
    const actions = [
      ...f.actions.map((a) => `<a href="${e(a.url)}" style="${STYLE.button}">${e(a.label)}</a>`),
      ...f.pages.map((p) => `<a href="${e(p.url)}" style="${STYLE.pageLink}">${e(p.label)}</a>`),
    ].join(' ');
    const title =
      numbered !== undefined ? `<p style="${STYLE.title}">${numbered}. ${e(kindLabel(item, input.language))}</p>` : '';
    return `<div style="${STYLE.item}">${title}<p style="margin:0 0 8px;">${e(f.sentence)}</p><table role="presentation" style="${STYLE.table}">${rows}</table>${actions ? `<div>${actions}</div>` : ''}</div>`;
  };
  const parts: string[] = [`<p style="margin:0 0 12px;"><strong>${e(greeting(input))}</strong></p>`];
  if (single) {
    parts.push(itemHtml(single, undefined));
  } else if (groups) {
    parts.push(`<p>${e(introForDigest(input))}</p>`);
    let n = 0;
    for (const g of groups) {
      parts.push(`<h2 style="${STYLE.h2}">${e(g.heading)}</h2>`);
      for (const item of g.items) parts.push(itemHtml(item, (n += 1)));
    }
  }
  const att = attachmentsLine(input);
  if (att) parts.push(`<p>${e(att)}</p>`);
  parts.push(`<p>${e(closing(input.language))}</p>`, `<p style="${STYLE.footer}">${e(footer(input))}</p>`);
  return (
    `<!DOCTYPE html><html lang="${input.language}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(input.language === 'vi' ? 'Đôn đốc' : 'dondoc')}</title></head>` +
    `<body style="${STYLE.body}"><div style="${STYLE.wrap}">${parts.join('\n')}</div></body></html>`
  ).normalize('NFC');
}

/**
 * Renders the email for `input.items` (at least one). Throws when there are no items: a digest
 * workflow never asks for an empty email.
 */
export function renderEmail(input: RenderInput): RenderedEmail {
  if (input.items.length === 0) throw new Error('Không có nội dung để gửi: thư tổng hợp cần ít nhất một mục.');
  const single = input.items.length === 1 ? input.items[0] : undefined;
  const groups = single ? undefined : groupItems(input.items, input.language);
  return {
    subject: single
      ? subjectForItem(single, input.language)
      : subjectForDigest(input.localDate, countTasks(input.items), input.language),
    text: renderText(input, groups, single),
    html: renderHtml(input, groups, single),
  };
}
