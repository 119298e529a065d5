/**
 * The timeline picture of a plan: one row per task (the instances of a task given to a group share its row), a dot
 * per due date and reporting status (sized by how many instances share it), an axis by month, quarter or year as
 * the span asks, and today marked. Inline SVG rendered on the server; on a narrow screen it keeps a readable
 * minimum width and scrolls sideways inside its frame.
 */
import type { IsoDate, ReportingStatus } from '../domain/types';
import type { TaskRow } from '../services/tasks';
import { escapeHtml, STATUS_CSS } from './html';
import { labelReportingStatus, type LabelLanguage } from '../reports/labels';

const DAY = 86_400_000;
const toMs = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`);
const vnDate = (d: IsoDate): string => d.split('-').reverse().join('/');

/** At most this many task rows are drawn; the table lists every task. */
export const TIMELINE_MAX_ROWS = 200;
/** Narrowest the picture is drawn (px): below it, it scrolls instead of shrinking its text. */
const MIN_WIDTH = 900;
/** Least room between two axis labels (px of the drawing). */
const LABEL_GAP = 48;

const ROMAN = ['I', 'II', 'III', 'IV'] as const;

export type AxisUnit = 'month' | 'quarter' | 'year';

/** The axis unit for a span of months: months up to 18, quarters up to 48, then years. */
export function axisUnit(spanMonths: number): AxisUnit {
  return spanMonths <= 18 ? 'month' : spanMonths <= 48 ? 'quarter' : 'year';
}

interface Tick {
  ms: number;
  label: string;
  /** First tick of a year (drawn stronger). */
  yearStart: boolean;
}

/** Ticks from `start` (first of a month) to `end`, by unit. */
function ticks(start: number, end: number, unit: AxisUnit, lang: LabelLanguage): Tick[] {
  const out: Tick[] = [];
  const step = unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
  const s = new Date(start);
  let y = s.getUTCFullYear();
  let m = s.getUTCMonth();
  if (unit === 'quarter') m -= m % 3;
  if (unit === 'year') m = 0;
  for (;;) {
    const ms = Date.UTC(y, m, 1);
    if (ms > end) break;
    const label =
      unit === 'month'
        ? `${m + 1}/${y}`
        : unit === 'quarter'
          ? lang === 'vi'
            ? `Q.${ROMAN[m / 3]}/${y}`
            : `Q${m / 3 + 1} ${y}`
          : String(y);
    out.push({ ms, label, yearStart: m === 0 });
    m += step;
    if (m >= 12) {
      y += Math.floor(m / 12);
      m %= 12;
    }
  }
  return out;
}

interface Dot {
  due: IsoDate;
  status: ReportingStatus;
  rows: TaskRow[];
}

interface Group {
  key: string;
  ref: string;
  dots: Dot[];
  count: number;
}

/** Rows grouped per task (in the order of their numbers: 1, 2, 2.1, 10), each task's instances merged by due date and status. */
function groupRows(rows: readonly (TaskRow & { due: IsoDate })[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const key = `${r.planId}|${r.taskKey}`;
    const g = groups.get(key) ?? { key, ref: r.taskRef, dots: [], count: 0 };
    g.count += 1;
    const dot = g.dots.find((d) => d.due === r.due && d.status === r.status);
    if (dot) dot.rows.push(r);
    else g.dots.push({ due: r.due, status: r.status, rows: [r] });
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.ref.localeCompare(b.ref, 'vi', { numeric: true }));
}

/**
 * Renders the SVG of `rows` around `today` (`YYYY-MM-DD`). Tasks without a due date are left out of the
 * picture. Returns '' when no task has a due date.
 */
export function renderTimelineSvg(rows: TaskRow[], today: IsoDate, lang: LabelLanguage): string {
  const dated = rows.filter((r): r is TaskRow & { due: IsoDate } => r.due !== null);
  if (dated.length === 0) return '';
  const groups = groupRows(dated).slice(0, TIMELINE_MAX_ROWS);
  const shown = groups.flatMap((g) => g.dots.map((d) => toMs(d.due)));
  const todayMs = toMs(today);
  // Whole months around the dues and today.
  const minD = new Date(Math.min(...shown, todayMs));
  const maxD = new Date(Math.max(...shown, todayMs));
  const start = Date.UTC(minD.getUTCFullYear(), minD.getUTCMonth(), 1);
  const end = Date.UTC(maxD.getUTCFullYear(), maxD.getUTCMonth() + 1, 1);
  const spanMonths =
    (maxD.getUTCFullYear() - minD.getUTCFullYear()) * 12 + (maxD.getUTCMonth() - minD.getUTCMonth()) + 1;
  const unit = axisUnit(spanMonths);

  const left = 96;
  const width = 1000;
  const rowH = 22;
  const top = 40;
  const height = top + groups.length * rowH + 14;
  const x = (ms: number): number => left + ((ms - start) / Math.max(end - start, DAY)) * (width - left - 14);
  const parts: string[] = [];

  // Alternate years shaded, so a multi-year plan reads year by year.
  const allTicks = ticks(start, end, unit, lang);
  for (let y = new Date(start).getUTCFullYear(); Date.UTC(y, 0, 1) < end; y++) {
    if (y % 2 !== 0) continue;
    const x0 = x(Math.max(start, Date.UTC(y, 0, 1)));
    const x1 = x(Math.min(end, Date.UTC(y + 1, 0, 1)));
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${top - 6}" width="${(x1 - x0).toFixed(1)}" height="${height - top}" fill="#f4f6f8"/>`,
    );
  }
  let lastLabelX = -Infinity;
  for (const t of allTicks) {
    const tx = x(t.ms);
    parts.push(
      `<line x1="${tx.toFixed(1)}" y1="${top - 8}" x2="${tx.toFixed(1)}" y2="${height - 8}" stroke="${t.yearStart ? '#adb5bd' : '#e3e6ea'}"/>`,
    );
    if (t.ms < end && tx - lastLabelX >= LABEL_GAP) {
      parts.push(
        `<text x="${(tx + 3).toFixed(1)}" y="${top - 14}" font-size="12" fill="#444" class="tick">${escapeHtml(t.label)}</text>`,
      );
      lastLabelX = tx;
    }
  }
  const tx = x(todayMs);
  const todayWord = lang === 'vi' ? 'hôm nay' : 'today';
  parts.push(
    `<line x1="${tx.toFixed(1)}" y1="${top - 30}" x2="${tx.toFixed(1)}" y2="${height - 8}" stroke="#9c1c1c" stroke-width="1.5" stroke-dasharray="4 3" class="today"/>`,
  );
  // Near the right edge the label goes to the left of the line, so it is never cut off.
  const todayRight = tx > width - 140;
  parts.push(
    `<text x="${(todayRight ? tx - 4 : tx + 4).toFixed(1)}" y="${top - 28}" font-size="11" font-weight="600" fill="#9c1c1c"${todayRight ? ' text-anchor="end"' : ''}>${todayWord} ${vnDate(today)}</text>`,
  );

  groups.forEach((g, i) => {
    const y = top + i * rowH + rowH / 2;
    if (i % 2 === 1)
      parts.push(`<rect x="0" y="${y - rowH / 2}" width="${left - 4}" height="${rowH}" fill="#f8f9fa"/>`);
    const refLabel = g.count > 1 ? `${g.ref.slice(0, 8)} (${g.count})` : g.ref.slice(0, 12);
    parts.push(`<text x="4" y="${y + 4}" font-size="12" fill="#222">${escapeHtml(refLabel)}</text>`);
    // Dots of one due date (several statuses) sit side by side instead of on top of each other.
    const radius = (d: Dot): number => Math.min(9, 5 + Math.log2(d.rows.length));
    const xs = g.dots.map((d) => {
      const same = g.dots.filter((o) => o.due === d.due);
      if (same.length === 1) return x(toMs(d.due));
      const k = same.indexOf(d);
      const step = Math.max(...same.map(radius)) * 2 + 1;
      return x(toMs(d.due)) + (k - (same.length - 1) / 2) * step;
    });
    parts.push(
      `<line x1="${Math.min(...xs).toFixed(1)}" y1="${y}" x2="${Math.max(...xs).toFixed(1)}" y2="${y}" stroke="#adb5bd" stroke-width="2"/>`,
    );
    g.dots.forEach((d, j) => {
      const c = STATUS_CSS[d.status];
      const n = d.rows.length;
      const r = radius(d);
      const who = n === 1 ? d.rows[0]!.leadName : `${n} ${lang === 'vi' ? 'đơn vị' : 'agencies'}`;
      const label = `${g.ref} · ${who} · ${vnDate(d.due)} · ${labelReportingStatus(d.status, lang)}`;
      parts.push(
        `<circle cx="${xs[j]!.toFixed(1)}" cy="${y}" r="${r.toFixed(1)}" fill="${c.dot}" stroke="#fff" stroke-width="1" data-status="${d.status}" data-count="${n}"><title>${escapeHtml(label)}</title></circle>`,
      );
    });
  });
  const title = lang === 'vi' ? 'Tiến độ các nhiệm vụ theo thời hạn' : 'Tasks along the calendar by due date';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" data-axis="${unit}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="display:block;min-width:${MIN_WIDTH}px;max-width:${width + 400}px;background:#fff;border:1px solid #dcdfe4">${parts.join('')}</svg>`;
}
