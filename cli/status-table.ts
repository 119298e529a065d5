/**
 * The table `dondoc status` prints: counts by reporting status (overdue first), then one row per task instance
 * with its deadline, reporting status, working days overdue, state and lead. Columns are laid out by cli-table3,
 * which measures Vietnamese text by display width (precomposed and combining marks alike), so they line up.
 */
import Table from 'cli-table3';
import { createCalendar, type WorkingCalendar } from '../domain/calendar';
import { formatDate } from '../domain/format';
import { ACTION_FIRST_STATUSES, type IsoDate, type ReportingStatus } from '../domain/types';
import { getShippedCalendar } from '../plans/calendar-data';
import { labelReportingStatus, labelTaskState } from '../reports/labels';
import type { TaskRow } from '../services/tasks';

/** Order of the counts: what needs action first. */
const STATUS_ORDER = ACTION_FIRST_STATUSES;

/** Longest task title shown in the table; the whole title is in `dondoc task` and `--json`. */
const TITLE_WIDTH = 48;

/** A table without colours (output goes to files and pipes as often as to a terminal). */
function plainTable(head: string[], colAligns?: ('left' | 'right')[]): InstanceType<typeof Table> {
  return new Table({
    head,
    style: { head: [], border: [], compact: true },
    ...(colAligns ? { colAligns } : {}),
  });
}

function shorten(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * Working days an open task is past its deadline on `today` (after the Civil Code rule: `due` is the effective
 * deadline the task workflow publishes), or null when it is not overdue.
 */
export function workingDaysOverdue(
  row: Pick<TaskRow, 'status' | 'due'>,
  today: IsoDate,
  cal: WorkingCalendar,
): number | null {
  if (row.status !== 'in_progress_overdue' || row.due === null || today <= row.due) return null;
  return cal.workingDaysBetween(row.due, today);
}

/** The shipped working-day calendar (holidays, swapped days), built once. */
let shipped: WorkingCalendar | undefined;
export function shippedCalendar(): WorkingCalendar {
  shipped ??= createCalendar(getShippedCalendar());
  return shipped;
}

/** The text of `dondoc status`: a heading, the counts and the rows. `today` is the plan's local date. */
export function formatStatus(
  planId: string,
  rows: readonly TaskRow[],
  today: IsoDate,
  cal: WorkingCalendar = shippedCalendar(),
): string {
  const counts = new Map<ReportingStatus, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const summary = plainTable(['Tình trạng báo cáo', 'Số nhiệm vụ'], ['left', 'right']);
  for (const s of STATUS_ORDER) {
    const n = counts.get(s);
    if (n) summary.push([labelReportingStatus(s), String(n)]);
  }

  const table = plainTable(
    [
      'Số TT',
      'Hạn',
      'Tình trạng báo cáo',
      'Quá hạn (ngày làm việc)',
      'Trạng thái',
      'Chủ trì',
      'Nhiệm vụ',
      'Mã theo dõi',
    ],
    ['left', 'left', 'left', 'right', 'left', 'left', 'left', 'left'],
  );
  const ordered = [...rows].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      (a.due ?? '9999').localeCompare(b.due ?? '9999') ||
      a.workflowId.localeCompare(b.workflowId),
  );
  for (const r of ordered) {
    const late = workingDaysOverdue(r, today, cal);
    table.push([
      r.taskRef,
      r.due ? formatDate(r.due) : '—',
      labelReportingStatus(r.status),
      late === null ? '' : String(late),
      labelTaskState(r.state),
      r.leadName,
      shorten(r.title, TITLE_WIDTH),
      r.workflowId,
    ]);
  }
  return [
    `Kế hoạch ${planId}: ${rows.length} nhiệm vụ, tính đến ngày ${formatDate(today)}. ` +
      'Quá hạn tính bằng ngày làm việc (không kể thứ Bảy, Chủ nhật, ngày lễ, Tết) sau hạn thực tế.',
    summary.toString(),
    table.toString(),
  ].join('\n');
}
