/**
 * Leadership's page (UBND tỉnh): which agencies are late. Agencies ranked by overdue tasks and days overdue, done on
 * time against done late, the trend by month of the due date, and the oldest overdue items with their latest
 * history. Read-only, one A4 page when printed. `/leadership` covers every plan, `/leadership?plan=<id>` one.
 * Open to the operator, to an agency that is a plan's leadership (escalation authority) or monitoring agency, and to
 * anyone on an open board.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IsoDate, ReportingStatus, TaskSnapshot } from '../domain/types';
import { formatDateShortVi, labelReportingStatus, toLocalDate, type LabelLanguage } from '../reports/labels';
import { getTask, listTasks, type TaskRow } from '../services/tasks';
import type { WebContext } from './context';
import { WebError } from './errors';
import { formatInstantLocal, html, raw, STATUS_CSS, TIMELINE_ACTION_WORDS } from './html';
import { readPlanRecords } from './plan-records';
import { planRole } from './roles';

const OLDEST_MAX = 8;
const MONTHS = 12;

/** The words of the leadership page, in both languages. */
export const LEADERSHIP_WORDS = {
  vi: {
    show: 'Xem',
    title: 'Tình hình thực hiện nhiệm vụ theo cơ quan',
    asOf: 'Số liệu đến ngày',
    plans: 'Kế hoạch',
    all: 'Tất cả kế hoạch',
    ranking: 'Cơ quan theo số nhiệm vụ quá hạn',
    agency: 'Cơ quan chủ trì',
    overdue: 'Quá hạn',
    daysOverdue: 'Tổng số ngày quá hạn',
    maxDays: 'Quá hạn lâu nhất (ngày)',
    onTime: 'Xong đúng hạn',
    late: 'Xong trễ hạn',
    total: 'Tổng số',
    onTimeShare: 'Tỷ lệ đúng hạn',
    trend: 'Theo tháng đến hạn',
    month: 'Tháng',
    oldest: 'Nhiệm vụ quá hạn lâu nhất',
    task: 'Nhiệm vụ',
    due: 'Hạn',
    days: 'Số ngày',
    history: 'Diễn biến gần nhất',
    none: 'Không có nhiệm vụ quá hạn.',
    readOnly: 'Trang chỉ để xem; in trên một trang A4.',
  },
  en: {
    show: 'Show',
    title: 'Progress of tasks by agency',
    asOf: 'Figures as of',
    plans: 'Plans',
    all: 'All plans',
    ranking: 'Agencies by overdue tasks',
    agency: 'Lead agency',
    overdue: 'Overdue',
    daysOverdue: 'Total days overdue',
    maxDays: 'Longest overdue (days)',
    onTime: 'Done on time',
    late: 'Done late',
    total: 'Total',
    onTimeShare: 'Share on time',
    trend: 'By month of the due date',
    month: 'Month',
    oldest: 'Oldest overdue tasks',
    task: 'Task',
    due: 'Due',
    days: 'Days',
    history: 'Latest history',
    none: 'No overdue task.',
    readOnly: 'Read-only page; prints on one A4 page.',
  },
} as const;

const PRINT_CSS = `
.lead-page table{font-size:.85rem}.lead-page td.num,.lead-page th.num{text-align:right}
.lead-page .bar{display:inline-block;height:.7rem;vertical-align:middle}
@media print{@page{size:A4 portrait;margin:10mm}header,nav,.no-print,.banner{display:none!important}
body{background:#fff;font-size:9pt}main{max-width:none;padding:0}.lead-page h1{font-size:13pt}.lead-page h2{font-size:10.5pt;margin:.5rem 0 .2rem}
.lead-page table{font-size:8pt}.lead-page th,.lead-page td{padding:.1rem .25rem}.scroll{overflow:visible}}
`;

const querySchema = z.object({
  plan: z
    .string()
    .regex(/^[a-z0-9-]{1,100}$/, 'plan phải là mã kế hoạch')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  lang: z.string().max(10).optional(),
});

interface AgencyLine {
  id: string;
  name: string;
  overdue: number;
  daysOverdue: number;
  maxDays: number;
  onTime: number;
  late: number;
  total: number;
}

const dayDiff = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The ranking, most overdue first: by overdue tasks, then days overdue, then name. Pure. */
export function rankAgencies(rows: readonly TaskRow[], today: IsoDate): AgencyLine[] {
  const by = new Map<string, AgencyLine>();
  for (const r of rows) {
    if (r.status === 'cancelled') continue;
    const a = by.get(r.leadId) ?? {
      id: r.leadId,
      name: r.leadName,
      overdue: 0,
      daysOverdue: 0,
      maxDays: 0,
      onTime: 0,
      late: 0,
      total: 0,
    };
    a.total += 1;
    if (r.status === 'in_progress_overdue') {
      const d = r.due ? Math.max(0, dayDiff(r.due, today)) : 0;
      a.overdue += 1;
      a.daysOverdue += d;
      a.maxDays = Math.max(a.maxDays, d);
    } else if (r.status === 'done_on_time') a.onTime += 1;
    else if (r.status === 'done_late') a.late += 1;
    by.set(r.leadId, a);
  }
  return [...by.values()].sort(
    (x, y) => y.overdue - x.overdue || y.daysOverdue - x.daysOverdue || x.name.localeCompare(y.name, 'vi'),
  );
}

const TREND_STATUSES: readonly ReportingStatus[] = ['done_on_time', 'done_late', 'in_progress_overdue'];

/** Counts per month of the due date, for the `MONTHS` months up to `today`'s. Pure. */
export function trendByMonth(
  rows: readonly TaskRow[],
  today: IsoDate,
): { month: string; counts: Record<string, number> }[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const months: string[] = [];
  for (let i = MONTHS - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  const table = new Map(months.map((k) => [k, Object.fromEntries(TREND_STATUSES.map((s) => [s, 0]))]));
  for (const r of rows) {
    const c = r.due ? table.get(r.due.slice(0, 7)) : undefined;
    if (c && r.status in c) c[r.status] = (c[r.status] ?? 0) + 1;
  }
  return months.map((month) => ({ month, counts: table.get(month)! }));
}

export function registerLeadershipRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/leadership', async (req, reply) => {
    const v = await ctx.viewer(req);
    const lang: LabelLanguage = ctx.langOf(req);
    const w = LEADERSHIP_WORDS[lang];
    const q = querySchema.safeParse(req.query ?? {});
    if (!q.success)
      throw new WebError(
        400,
        `Địa chỉ không hợp lệ: ${q.error.issues.map((i) => i.message).join('; ')}.`,
        'Yêu cầu không hợp lệ',
      );
    if (ctx.boardToken !== undefined && v.kind === 'anonymous') return reply.redirect('/login', 303);

    const records = await readPlanRecords(ctx.plans);
    // An agency sees the plans where it is leadership or the monitoring agency; without one, nothing here is its.
    const visible = records.filter((r) => v.kind !== 'agency' || planRole(v.agencyId, r.plan) !== undefined);
    if (v.kind === 'agency' && visible.length === 0)
      throw new WebError(
        403,
        'Trang này dành cho lãnh đạo và cơ quan theo dõi. Xem việc của cơ quan bạn tại "Việc của tôi".',
        'Không có quyền',
      );
    const chosen = q.data.plan ? visible.filter((r) => r.plan.id === q.data.plan) : visible;
    if (q.data.plan && chosen.length === 0)
      throw new WebError(404, `Không có kế hoạch "${q.data.plan}".`, 'Không tìm thấy');

    const today = toLocalDate(new Date(ctx.now()).toISOString(), ctx.tz);
    const rows = (
      await Promise.all(chosen.map((r) => listTasks(ctx.client, { planId: r.plan.id }, { timeZone: ctx.tz })))
    ).flat();
    const ranking = rankAgencies(rows, today);
    const trend = trendByMonth(rows, today);
    const oldestRows = rows
      .filter((r) => r.status === 'in_progress_overdue' && r.due !== null)
      .sort((a, b) => (a.due! < b.due! ? -1 : a.due! > b.due! ? 1 : a.taskRef.localeCompare(b.taskRef)))
      .slice(0, OLDEST_MAX);
    const oldest: { row: TaskRow; s: TaskSnapshot | undefined }[] = await Promise.all(
      oldestRows.map(async (row) => ({ row, s: await getTask(ctx.client, row.workflowId).catch(() => undefined) })),
    );

    const maxTrend = Math.max(1, ...trend.map((t) => TREND_STATUSES.reduce((n, s) => n + (t.counts[s] ?? 0), 0)));
    const planPicker = html`<form class="filters no-print" method="get" action="/leadership"><div><label for="plan">${w.plans}</label><select id="plan" name="plan"><option value="">${w.all}</option>${visible.map(
      (r) =>
        html`<option value="${r.plan.id}"${raw(q.data.plan === r.plan.id ? ' selected' : '')}>${r.plan.number || r.plan.id}</option>`,
    )}</select></div><div><button type="submit">${w.show}</button></div></form>`;

    const rankingTable = html`<h2>${w.ranking}</h2><div class="scroll"><table data-table="ranking"><thead><tr><th>#</th><th>${w.agency}</th><th class="num">${w.overdue}</th><th class="num">${w.daysOverdue}</th><th class="num">${w.maxDays}</th><th class="num">${w.onTime}</th><th class="num">${w.late}</th><th class="num">${w.onTimeShare}</th><th class="num">${w.total}</th></tr></thead><tbody>${ranking.map(
      (a, i) => {
        const done = a.onTime + a.late;
        return html`<tr data-agency="${a.id}"><td>${i + 1}</td><td>${a.name}</td><td class="num" data-overdue="${a.overdue}">${a.overdue}</td><td class="num">${a.daysOverdue}</td><td class="num">${a.maxDays}</td><td class="num">${a.onTime}</td><td class="num">${a.late}</td><td class="num">${done === 0 ? '—' : `${Math.round((100 * a.onTime) / done)}%`}</td><td class="num">${a.total}</td></tr>`;
      },
    )}</tbody></table></div>`;

    const trendTable = html`<h2>${w.trend}</h2><div class="scroll"><table data-table="trend"><thead><tr><th>${w.month}</th>${TREND_STATUSES.map(
      (s) => html`<th class="num">${labelReportingStatus(s, lang)}</th>`,
    )}<th></th></tr></thead><tbody>${trend.map(
      (t) =>
        html`<tr data-month="${t.month}"><td>${t.month.slice(5)}/${t.month.slice(0, 4)}</td>${TREND_STATUSES.map(
          (s) => html`<td class="num">${t.counts[s] ?? 0}</td>`,
        )}<td style="min-width:8rem">${TREND_STATUSES.map(
          (s) =>
            html`<span class="bar" style="width:${((t.counts[s] ?? 0) / maxTrend) * 8}rem;background:${STATUS_CSS[s].dot}"></span>`,
        )}</td></tr>`,
    )}</tbody></table></div>`;

    const oldestTable = html`<h2>${w.oldest}</h2>${
      oldest.length === 0
        ? html`<p>${w.none}</p>`
        : html`<div class="scroll"><table data-table="oldest"><thead><tr><th>${w.task}</th><th>${w.agency}</th><th>${w.due}</th><th class="num">${w.days}</th><th>${w.history}</th></tr></thead><tbody>${oldest.map(
            ({ row, s }) =>
              html`<tr data-workflow-id="${row.workflowId}"><td><a href="/tasks/${encodeURIComponent(row.workflowId)}">${row.taskRef} · ${row.title}</a></td><td>${row.leadName}</td><td>${formatDateShortVi(row.due!)}</td><td class="num">${dayDiff(row.due!, today)}</td><td>${(
                s?.timeline.slice(-3) ?? []
              ).map(
                (e) =>
                  html`<div>${formatInstantLocal(e.at, ctx.tz)} · ${e.actor.name}: ${TIMELINE_ACTION_WORDS[lang][e.action] ?? e.action}${e.note ? html` — ${e.note}` : ''}</div>`,
              )}</td></tr>`,
          )}</tbody></table></div>`
    }`;

    const body = html`<style>${raw(PRINT_CSS)}</style><div class="lead-page"><h1>${w.title}</h1><p class="muted">${w.asOf} ${formatDateShortVi(today)} · ${
      chosen.map((r) => r.plan.number || r.plan.id).join(', ') || '—'
    } · ${w.readOnly}</p>${planPicker}${rankingTable}${trendTable}${oldestTable}</div>`;
    return ctx.sendPage(reply, req, 200, w.title, body);
  });
}
