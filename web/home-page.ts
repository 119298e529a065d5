/**
 * The board's home page: every imported plan with its number, title, issuer and date of issue, and its tasks
 * counted by reporting status, overdue first. Two plans with the same number differ by issuer, date and title;
 * a plan without a number says so instead of showing its id.
 */
import type { Client } from '@temporalio/client';
import { ACTION_FIRST_STATUSES, type IsoDate, type ReportingStatus } from '../domain/types';
import { formatDate } from '../domain/format';
import { labelReportingStatus, type LabelLanguage } from '../reports/labels';
import type { PlanReader } from '../services/plan-store';
import { buildTaskQuery } from '../services/tasks';
import { html, statusBadge, type SafeHtml } from './html';

/** The order of the counts: what needs action first, then what is done, then what was cancelled. */
export const HOME_STATUS_ORDER = ACTION_FIRST_STATUSES;

export interface HomePlan {
  id: string;
  number: string;
  title: string;
  issuerName: string | null;
  issued: IsoDate | null;
  /** Null when Temporal visibility could not count them. */
  counts: Record<ReportingStatus, number> | null;
  total: number | null;
}

const WORDS = {
  vi: {
    heading: 'Kế hoạch đang theo dõi',
    number: 'Số, ký hiệu',
    title: 'Tên kế hoạch',
    issuer: 'Cơ quan ban hành',
    issued: 'ngày',
    noNumber: '(không số)',
    total: 'Tổng',
    none: 'Chưa có kế hoạch nào được nhập.',
    import: 'Nhập kế hoạch từ văn bản',
    importHint: 'hoặc dùng lệnh "dondoc import <tệp kế hoạch>".',
    uncounted: 'Chưa đọc được số nhiệm vụ theo kết quả từ Temporal (—). Tải lại trang sau ít phút.',
  },
  en: {
    heading: 'Plans followed',
    number: 'Number',
    title: 'Title',
    issuer: 'Issued by',
    issued: 'on',
    noNumber: '(no number)',
    total: 'Total',
    none: 'No plan has been imported yet.',
    import: 'Import a plan from a document',
    importHint: 'or use "dondoc import <plan file>".',
    uncounted: 'Task counts could not be read from Temporal (—). Reload the page in a few minutes.',
  },
} as const;

/** Shown on a phone too: what needs action; the rest fold away below 600 px (the total stays). */
const ON_PHONE: readonly ReportingStatus[] = ['in_progress_overdue', 'due_soon', 'in_progress_within_deadline'];
const phone = (s: ReportingStatus): string => (ON_PHONE.includes(s) ? '' : ' hide-sm');

const zeroCounts = (): Record<ReportingStatus, number> =>
  Object.fromEntries(HOME_STATUS_ORDER.map((s) => [s, 0])) as Record<ReportingStatus, number>;

/** How long the home page waits for one plan's own record (its workflow's query) before showing the plan without it. */
const RECORD_WAIT_MS = 2_000;

/** `p`, or undefined once `ms` have passed or if it fails (the query goes on in the background, and is cached). */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** The issuer's name each plan workflow publishes in its memo, read from visibility (no worker needed). */
async function issuerNamesFromMemo(client: Client): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'planWorkflow'` })) {
      const name = (wf.memo as { issuerName?: unknown } | undefined)?.issuerName;
      const id = wf.workflowId.replace(/^dondoc-plan:/, '');
      if (typeof name === 'string' && !names.has(id)) names.set(id, name);
    }
  } catch {
    // Without visibility the names come from the plans' records alone.
  }
  return names;
}

/**
 * Every listed plan with its issuer and date of issue and its task instances counted per reporting status through
 * Temporal visibility (one count per status, no task list is read). A plan whose workflow does not answer its
 * query at once (no worker on its queue) is shown from its memo: the home page never hangs on one plan.
 */
export async function loadHomePlans(client: Client, plans: PlanReader, timeZone: string): Promise<HomePlan[]> {
  const [listed, memoNames] = await Promise.all([plans.list(), issuerNamesFromMemo(client)]);
  const out = await Promise.all(
    listed.map(async (p): Promise<HomePlan> => {
      const record = await within(plans.get(p.id), RECORD_WAIT_MS);
      const issuerId = record?.plan.issuer;
      const issuerName =
        (issuerId &&
          (record.directory.agencies.find((a) => a.id === issuerId)?.name ??
            record.directory.groups?.find((g) => g.id === issuerId)?.name)) ||
        memoNames.get(p.id) ||
        null;
      // A plan stays listed when visibility cannot count (the page says so) rather than the home page failing.
      let counts: Record<ReportingStatus, number> | null = zeroCounts();
      try {
        const got = await Promise.all(
          HOME_STATUS_ORDER.map(
            async (status) =>
              [
                status,
                (await client.workflow.count(buildTaskQuery({ planId: p.id, status }, timeZone))).count,
              ] as const,
          ),
        );
        for (const [status, n] of got) counts[status] = n;
      } catch {
        counts = null;
      }
      const total = counts ? HOME_STATUS_ORDER.reduce((n, s) => n + (counts?.[s] ?? 0), 0) : null;
      return {
        id: p.id,
        number: p.number,
        title: p.title,
        issuerName,
        issued: record?.plan.issued ?? null,
        counts,
        total,
      };
    }),
  );
  // Plans with overdue tasks first, most overdue first; then by number and date as officers cite them.
  return out.sort(
    (a, b) =>
      (b.counts?.in_progress_overdue ?? 0) - (a.counts?.in_progress_overdue ?? 0) ||
      a.number.localeCompare(b.number, 'vi', { numeric: true }) ||
      (b.issued ?? '').localeCompare(a.issued ?? '') ||
      a.title.localeCompare(b.title, 'vi'),
  );
}

/** The home page body: one row per plan, the counts in {@link HOME_STATUS_ORDER}, a link to plan intake. */
export function renderHomePage(list: HomePlan[], lang: LabelLanguage, opts: { intakeHref?: string } = {}): SafeHtml {
  const w = WORDS[lang];
  const intake = opts.intakeHref
    ? html`<p><a class="button" href="${opts.intakeHref}" data-intake-link>${w.import}</a> <span class="muted">${w.importHint}</span></p>`
    : '';
  if (list.length === 0) return html`<h1>${w.heading}</h1><p>${w.none}</p>${intake}`;
  const uncounted = list.some((p) => p.counts === null) ? html`<p class="muted" role="status">${w.uncounted}</p>` : '';
  const rows = list.map((p) => {
    const number = p.number.trim()
      ? html`<a href="/plans/${encodeURIComponent(p.id)}">${p.number}</a>`
      : html`<a href="/plans/${encodeURIComponent(p.id)}" class="muted">${w.noNumber}</a>`;
    const issuer = html`${p.issuerName ?? ''}${p.issued ? html`<br><span class="muted">${w.issued} ${formatDate(p.issued)}</span>` : ''}`;
    return html`<tr data-plan-id="${p.id}"><td>${number}</td><td><a href="/plans/${encodeURIComponent(p.id)}">${p.title}</a></td><td>${issuer}</td>${HOME_STATUS_ORDER.map(
      (s) =>
        html`<td class="num${phone(s)}${s === 'in_progress_overdue' && (p.counts?.[s] ?? 0) > 0 ? ' overdue' : ''}" data-count="${s}" title="${labelReportingStatus(s, lang)}">${p.counts ? p.counts[s] : '—'}</td>`,
    )}<td class="num" data-count="total">${p.total ?? '—'}</td></tr>`;
  });
  return html`<style>.home td.num{text-align:right;white-space:nowrap}.home td.overdue{background:#ffc7ce;color:#9c0006;font-weight:700}a.button{display:inline-block;background:#9c1c1c;color:#fff;padding:.45rem .9rem;border-radius:.3rem;text-decoration:none}</style>
<h1>${w.heading}</h1>${intake}${uncounted}<div class="scroll"><table class="home"><thead><tr><th>${w.number}</th><th>${w.title}</th><th>${w.issuer}</th>${HOME_STATUS_ORDER.map(
    (s) => html`<th class="${phone(s).trim()}">${statusBadge(s, lang)}</th>`,
  )}<th>${w.total}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
