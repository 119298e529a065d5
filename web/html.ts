/**
 * Server-side HTML for the web doors: escaping, the page frame, badges and the words of the interface in
 * Vietnamese (first) and English. Pure functions of their arguments.
 */
import type { ReportingStatus, TaskState } from '../domain/types';
import { labelReportingStatus, labelTaskState, type LabelLanguage } from '../reports/labels';
import { formatInstant } from '../domain/format';

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(value: unknown): string {
  const text =
    typeof value === 'string' ? value : value === undefined || value === null ? '' : (JSON.stringify(value) ?? '');
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A value already made safe for HTML (built by the functions of this file). */
export interface SafeHtml {
  readonly html: string;
}

/** Marks a string of trusted markup as safe. Only for markup built here from escaped parts. */
export function raw(html: string): SafeHtml {
  return { html };
}

/** Tagged template: interpolated values are escaped unless they are {@link SafeHtml} (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += renderValue(v) + (strings[i + 1] ?? '');
  });
  return { html: out };
}

function renderValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(renderValue).join('');
  if (v !== null && typeof v === 'object' && 'html' in v && typeof (v as SafeHtml).html === 'string')
    return (v as SafeHtml).html;
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(v);
}

/** Badge colours per reporting status (CSS hex): green, orange, blue, amber, red, grey. */
export const STATUS_CSS: Record<ReportingStatus, { bg: string; fg: string; dot: string }> = {
  done_on_time: { bg: '#c6efce', fg: '#006100', dot: '#2e9e44' },
  done_late: { bg: '#ffd8a8', fg: '#8a4b00', dot: '#f08c00' },
  in_progress_within_deadline: { bg: '#ddebf7', fg: '#1f4e79', dot: '#1c7ed6' },
  due_soon: { bg: '#fff2cc', fg: '#7f6000', dot: '#f5b800' },
  in_progress_overdue: { bg: '#ffc7ce', fg: '#9c0006', dot: '#e03131' },
  not_started: { bg: '#e7e6e6', fg: '#404040', dot: '#868e96' },
  cancelled: { bg: '#f1f3f5', fg: '#6c757d', dot: '#adb5bd' },
};

export function statusBadge(status: ReportingStatus, lang: LabelLanguage): SafeHtml {
  const c = STATUS_CSS[status];
  return html`<span class="badge" data-status="${status}" style="background:${c.bg};color:${c.fg}">${labelReportingStatus(status, lang)}</span>`;
}

export function stateBadge(state: TaskState, lang: LabelLanguage): SafeHtml {
  return html`<span class="state" data-state="${state}">${labelTaskState(state, lang)}</span>`;
}

const CSS = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9;line-height:1.45}
header{background:#9c1c1c;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:600}header nav{margin-left:auto;display:flex;gap:.8rem;font-size:.9rem}
main{max-width:72rem;margin:0 auto;padding:1rem}h1{font-size:1.35rem;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92rem}th,td{border:1px solid #dcdfe4;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef0f3}.badge{display:inline-block;padding:.1rem .45rem;border-radius:.6rem;font-size:.82rem;white-space:nowrap}
.state{font-size:.88rem}.banner{background:#fff3bf;border:1px solid #f0c36d;padding:.5rem .8rem;margin-bottom:1rem}
.card{background:#fff;border:1px solid #dcdfe4;border-radius:.4rem;padding:1rem;margin-bottom:1rem}
.ok{border-left:6px solid #2e9e44}.err{border-left:6px solid #e03131}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}
label{display:block;font-size:.9rem;margin:.4rem 0 .15rem}input,select,textarea{font:inherit;padding:.4rem;border:1px solid #adb5bd;border-radius:.3rem;max-width:100%}
textarea{width:100%;min-height:5rem}button{font:inherit;background:#9c1c1c;color:#fff;border:0;border-radius:.3rem;padding:.5rem 1rem;cursor:pointer;margin-top:.6rem}
.scroll{overflow-x:auto}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
.muted{color:#666;font-size:.88rem}th .badge{white-space:normal}
@media (max-width:600px){dl{grid-template-columns:1fr}th,td{padding:.3rem}.hide-sm{display:none}}
`;

export interface PageOptions {
  title: string;
  lang: LabelLanguage;
  body: SafeHtml;
  /** Shows the "board is open" banner. */
  openBoardBanner?: boolean;
  /** Show the navigation of the board (hidden on action pages, whose visitors have no sign-in). */
  boardNav?: boolean;
  /** More in the navigation (the sign-out form of a signed-in visitor). */
  navExtra?: SafeHtml;
  /** Path of the current page, for the language switch. */
  path?: string;
}

/** The whole HTML document of a page. */
export function renderPage(o: PageOptions): string {
  const t = WORDS[o.lang];
  const other: LabelLanguage = o.lang === 'vi' ? 'en' : 'vi';
  const base = (o.path ?? '/').split('?')[0] ?? '/';
  const nav = o.boardNav
    ? html`<a href="/">${t.plans}</a><a href="/my">${t.myTasks}</a><a href="/leadership">${t.leadership}</a><a href="/outbox">${t.outbox}</a>`
    : html``;
  return `<!doctype html>${
    html`<html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · dondoc</title><style>${raw(CSS)}</style></head>
<body><header><a href="${o.boardNav ? '/' : base}">dondoc · ${t.appName}</a><nav>${nav}${o.navExtra ?? ''}<a href="${base}?lang=${other}">${other === 'en' ? 'English' : 'Tiếng Việt'}</a></nav></header>
<main>${o.openBoardBanner ? html`<div class="banner" role="status">${t.openBoard}</div>` : ''}${o.body}</main></body></html>`
      .html
  }`;
}

/** The words of the interface. */
export const WORDS = {
  vi: {
    appName: 'Theo dõi, đôn đốc nhiệm vụ',
    plans: 'Kế hoạch',
    outbox: 'Hộp thư đi',
    myTasks: 'Việc của tôi',
    leadership: 'Lãnh đạo',
    openBoard: 'Bảng theo dõi đang mở không cần đăng nhập (cấu hình DONDOC_BOARD_TOKEN)',
    noPlans: 'Chưa có kế hoạch nào được nhập. Dùng lệnh "dondoc import <tệp kế hoạch>" để nhập.',
    ref: 'Số TT',
    title: 'Nhiệm vụ',
    lead: 'Cơ quan chủ trì',
    due: 'Thời hạn',
    state: 'Tình trạng',
    status: 'Kết quả',
    agency: 'Cơ quan',
    all: 'Tất cả',
    dueFrom: 'Hạn từ ngày',
    dueTo: 'đến ngày',
    filter: 'Lọc',
    total: 'Tổng',
    countsByStatus: 'Số nhiệm vụ theo kết quả',
    countsByAgency: 'Số nhiệm vụ theo cơ quan chủ trì',
    timeline: 'Tiến độ theo thời hạn',
    tasks: 'Danh sách nhiệm vụ',
    noTasks: 'Không có nhiệm vụ nào khớp bộ lọc.',
    reportXlsx: 'Tải báo cáo (Excel)',
    reportDocx: 'Tải báo cáo (Word)',
    noDue: 'không có hạn',
    details: 'Thông tin nhiệm vụ',
    plan: 'Kế hoạch',
    coordinators: 'Cơ quan phối hợp',
    signOff: 'Phải xác nhận',
    monitoring: 'Cơ quan theo dõi',
    timing: 'Thời hạn theo văn bản',
    effectiveDue: 'Hạn tính theo ngày làm việc',
    deliverable: 'Sản phẩm',
    deadlineHistory: 'Lịch sử thời hạn',
    originalDue: 'Thời hạn ban đầu',
    changedTo: 'Đổi thành',
    when: 'Thời điểm',
    who: 'Người thực hiện',
    what: 'Nội dung',
    why: 'Lý do / ghi chú',
    history: 'Diễn biến',
    confirmations: 'Ý kiến cơ quan phối hợp',
    noConfirmations: 'Chưa có ý kiến.',
    submission: 'Báo cáo kết quả',
    noSubmission: 'Chưa báo cáo kết quả.',
    evidence: 'Tài liệu kèm theo',
    documentNumber: 'Số văn bản',
    documentDate: 'Ngày văn bản',
    summary: 'Tóm tắt kết quả',
    pendingExtension: 'Đề nghị gia hạn đang chờ',
    login: 'Đăng nhập bảng theo dõi',
    loginToken: 'Mã truy cập',
    loginButton: 'Đăng nhập',
    loginWrong: 'Mã truy cập không đúng. Kiểm tra lại mã do quản trị viên cung cấp.',
    outboxSmtp: 'Thư được gửi qua SMTP',
    outboxEmpty: 'Hộp thư đi trống.',
    date: 'Ngày gửi',
    to: 'Người nhận',
    subject: 'Tiêu đề',
    view: 'Xem',
  },
  en: {
    appName: 'Task follow-up',
    plans: 'Plans',
    outbox: 'Outbox',
    myTasks: 'My tasks',
    leadership: 'Leadership',
    openBoard: 'The board is open without sign-in (set DONDOC_BOARD_TOKEN)',
    noPlans: 'No plan has been imported yet. Use "dondoc import <plan file>".',
    ref: 'No.',
    title: 'Task',
    lead: 'Lead agency',
    due: 'Due',
    state: 'State',
    status: 'Status',
    agency: 'Agency',
    all: 'All',
    dueFrom: 'Due from',
    dueTo: 'to',
    filter: 'Filter',
    total: 'Total',
    countsByStatus: 'Tasks by status',
    countsByAgency: 'Tasks by lead agency',
    timeline: 'Timeline by due date',
    tasks: 'Tasks',
    noTasks: 'No task matches the filter.',
    reportXlsx: 'Download report (Excel)',
    reportDocx: 'Download report (Word)',
    noDue: 'no due date',
    details: 'Task details',
    plan: 'Plan',
    coordinators: 'Coordinators',
    signOff: 'Must confirm',
    monitoring: 'Monitoring agency',
    timing: 'Timing as written',
    effectiveDue: 'Due (working-day rule)',
    deliverable: 'Deliverable',
    deadlineHistory: 'Deadline history',
    originalDue: 'Original due date',
    changedTo: 'Changed to',
    when: 'When',
    who: 'Who',
    what: 'What',
    why: 'Reason / note',
    history: 'Timeline',
    confirmations: 'Coordinators’ confirmations',
    noConfirmations: 'None yet.',
    submission: 'Submitted result',
    noSubmission: 'Not submitted yet.',
    evidence: 'Evidence',
    documentNumber: 'Document number',
    documentDate: 'Document date',
    summary: 'Summary',
    pendingExtension: 'Pending extension request',
    login: 'Sign in to the board',
    loginToken: 'Access code',
    loginButton: 'Sign in',
    loginWrong: 'Wrong access code. Check the code your administrator gave you.',
    outboxSmtp: 'Mail is sent through SMTP',
    outboxEmpty: 'The outbox is empty.',
    date: 'Date',
    to: 'To',
    subject: 'Subject',
    view: 'View',
  },
} as const satisfies Record<LabelLanguage, Record<string, string>>;

/** Words of timeline actions. */
export const TIMELINE_ACTION_WORDS: Record<LabelLanguage, Record<string, string>> = {
  vi: {
    created: 'Khởi tạo nhiệm vụ',
    submit: 'Báo cáo kết quả',
    confirm: 'Xác nhận',
    dispute: 'Có ý kiến khác',
    accept: 'Nghiệm thu, chấp nhận kết quả',
    return: 'Trả lại, yêu cầu bổ sung',
    request_extension: 'Đề nghị gia hạn',
    approve_extension: 'Đồng ý gia hạn',
    reject_extension: 'Không đồng ý gia hạn',
    postpone: 'Tạm hoãn',
    resume: 'Tiếp tục thực hiện',
    decline: 'Từ chối nhiệm vụ',
    reassign: 'Giao lại cơ quan chủ trì',
    amend: 'Điều chỉnh kế hoạch',
    cancel: 'Hủy nhiệm vụ',
    report_target: 'Báo cáo chỉ tiêu',
    reminder: 'Nhắc hạn',
    overdue: 'Thông báo quá hạn',
    escalation: 'Báo cáo cấp trên',
    cycle_started: 'Bắt đầu kỳ mới',
    delivery_failed: 'Gửi thư không thành công',
    reassigned_by_succession: 'Chuyển cho cơ quan kế thừa',
  },
  en: {
    created: 'Task created',
    submit: 'Result submitted',
    confirm: 'Confirmed',
    dispute: 'Disputed',
    accept: 'Accepted',
    return: 'Returned for rework',
    request_extension: 'Extension requested',
    approve_extension: 'Extension approved',
    reject_extension: 'Extension refused',
    postpone: 'Postponed',
    resume: 'Resumed',
    decline: 'Declined',
    reassign: 'Reassigned',
    amend: 'Plan amended',
    cancel: 'Cancelled',
    report_target: 'Target reported',
    reminder: 'Reminder',
    overdue: 'Overdue notice',
    escalation: 'Escalation',
    cycle_started: 'New cycle',
    delivery_failed: 'Mail delivery failed',
    reassigned_by_succession: 'Moved to successor agency',
  },
};

/** `dd/mm/yyyy HH:mm` of an instant in a time zone (domain/format.ts). */
export function formatInstantLocal(instant: string, timeZone: string): string {
  return formatInstant(instant, timeZone);
}
