/**
 * The timeline picture of a plan: one row per task instance, a dot on its due date coloured by reporting
 * status, month ticks along the top and a line for today. Inline SVG rendered on the server.
 */
import type { IsoDate } from '../domain/types';
import type { TaskRow } from '../services/tasks';
import { escapeHtml, STATUS_CSS } from './html';
import { labelReportingStatus, type LabelLanguage } from '../reports/labels';

const DAY = 86_400_000;
const toMs = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`);

/** At most this many rows are drawn; the table lists every task. */
export const TIMELINE_MAX_ROWS = 200;

/**
 * Renders the SVG of `rows` around `today` (`YYYY-MM-DD`). Tasks without a due date are left out of the
 * picture. Returns '' when no task has a due date.
 */
export function renderTimelineSvg(rows: TaskRow[], today: IsoDate, lang: LabelLanguage): string {
  const dated = rows.filter((r): r is TaskRow & { due: IsoDate } => r.due !== null).slice(0, TIMELINE_MAX_ROWS);
  if (dated.length === 0) return '';
  const dues = dated.map((r) => toMs(r.due));
  const todayMs = toMs(today);
  // Whole months around the dues and today.
  const minD = new Date(Math.min(...dues, todayMs));
  const maxD = new Date(Math.max(...dues, todayMs));
  const start = Date.UTC(minD.getUTCFullYear(), minD.getUTCMonth(), 1);
  const end = Date.UTC(maxD.getUTCFullYear(), maxD.getUTCMonth() + 1, 1);
  const left = 70;
  const width = 900;
  const rowH = 18;
  const top = 30;
  const height = top + dated.length * rowH + 10;
  const x = (ms: number): number => left + ((ms - start) / Math.max(end - start, DAY)) * (width - left - 10);
  const parts: string[] = [];
  for (
    let m = new Date(start);
    m.getTime() <= end;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  ) {
    const mx = x(m.getTime()).toFixed(1);
    parts.push(`<line x1="${mx}" y1="${top - 8}" x2="${mx}" y2="${height - 5}" stroke="#dcdfe4"/>`);
    if (m.getTime() < end)
      parts.push(
        `<text x="${mx}" y="${top - 12}" font-size="11" fill="#555">${m.getUTCMonth() + 1}/${m.getUTCFullYear()}</text>`,
      );
  }
  const tx = x(todayMs).toFixed(1);
  parts.push(
    `<line x1="${tx}" y1="${top - 8}" x2="${tx}" y2="${height - 5}" stroke="#9c1c1c" stroke-dasharray="4 3"/>`,
  );
  parts.push(
    `<text x="${tx}" y="${height - 1}" font-size="10" fill="#9c1c1c">${lang === 'vi' ? 'hôm nay' : 'today'}</text>`,
  );
  dated.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const c = STATUS_CSS[r.status];
    const label = `${r.taskRef} · ${r.leadName} · ${r.due.split('-').reverse().join('/')} · ${labelReportingStatus(r.status, lang)}`;
    parts.push(`<text x="4" y="${y + 4}" font-size="11" fill="#333">${escapeHtml(r.taskRef.slice(0, 10))}</text>`);
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${x(toMs(r.due)).toFixed(1)}" y2="${y}" stroke="${c.dot}" stroke-opacity="0.35" stroke-width="3"/>`,
    );
    parts.push(
      `<circle cx="${x(toMs(r.due)).toFixed(1)}" cy="${y}" r="6" fill="${c.dot}" data-status="${r.status}"><title>${escapeHtml(label)}</title></circle>`,
    );
  });
  const title = lang === 'vi' ? 'Tiến độ các nhiệm vụ theo thời hạn' : 'Tasks along the calendar by due date';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px;background:#fff;border:1px solid #dcdfe4">${parts.join('')}</svg>`;
}
