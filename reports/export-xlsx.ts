/**
 * The periodic report as an Excel workbook (exceljs): the spreadsheet the monitoring officer used to keep
 * by hand, now filled from the compiled report.
 */
import ExcelJS from 'exceljs';
import type { IsoDate, ReportingStatus } from '../domain/types';
import { REPORTING_STATUSES } from '../domain/types';
import type { PeriodicReport, ReportEvidence, StatusCounts } from './compile';
import { formatTargetGoal, formatTargetValue } from './compile';
import {
  REPORTING_STATUS_COLORS,
  formatDateShortVi,
  labelReportingStatus,
  labelTaskState,
  parseIsoDate,
} from './labels';

/** Sheet names, in workbook order. */
export const XLSX_SHEET_NAMES = {
  summary: 'Tổng hợp',
  tasks: 'Nhiệm vụ',
  overdue: 'Quá hạn',
  extensions: 'Gia hạn',
  targets: 'Chỉ tiêu',
} as const;

const DATE_FORMAT = 'dd/mm/yyyy';
const FONT = 'Times New Roman';

/** A plan-local day as a spreadsheet date (UTC midnight, which exceljs writes as that very day). */
function toCellDate(date: IsoDate | null | undefined): Date | null {
  if (!date) return null;
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

/** Evidence in one line: summary; document number and date; link. */
export function formatEvidence(evidence: ReportEvidence | undefined): string {
  if (!evidence) return '';
  const doc = evidence.documentNumber
    ? `Văn bản số ${evidence.documentNumber}${evidence.documentDate ? ` ngày ${formatDateShortVi(evidence.documentDate)}` : ''}`
    : '';
  return [evidence.summary, doc, evidence.evidenceUrl ?? ''].filter((s) => s.trim() !== '').join('; ');
}

interface ColumnSpec {
  header: string;
  key: string;
  width: number;
  date?: boolean;
  wrap?: boolean;
  numFmt?: string;
}

function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: ColumnSpec[],
  rows: Record<string, unknown>[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    // A4 landscape, all columns on one page width, header row repeated on every printed page.
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
  });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const r of rows) ws.addRow(r);
  const header = ws.getRow(1);
  header.font = { name: FONT, bold: true, size: 12 };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 36;
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
  });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.eachCell({ includeEmpty: false }, (cell, rowNumber) => {
      cell.border = {
        top: { style: 'thin' },
        bottom: { style: 'thin' },
        left: { style: 'thin' },
        right: { style: 'thin' },
      };
      if (rowNumber === 1) return;
      cell.font = { name: FONT, size: 12 };
      if (c.date) cell.numFmt = DATE_FORMAT;
      if (c.numFmt) cell.numFmt = c.numFmt;
      cell.alignment = { vertical: 'top', wrapText: c.wrap === true };
    });
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
  return ws;
}

function paintStatus(ws: ExcelJS.Worksheet, columnKey: string, statuses: ReportingStatus[]): void {
  const col = ws.getColumn(columnKey);
  statuses.forEach((status, i) => {
    const cell = ws.getCell(i + 2, col.number);
    const colors = REPORTING_STATUS_COLORS[status];
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: colors.fill } };
    cell.font = { name: FONT, size: 12, color: { argb: colors.font } };
  });
}

function countsRow(label: string, c: StatusCounts): Record<string, unknown> {
  const row: Record<string, unknown> = { agency: label, total: c.total.count };
  for (const s of REPORTING_STATUSES) row[s] = c.byStatus[s].count;
  const done = c.byStatus.done_on_time.count + c.byStatus.done_late.count;
  row['doneShare'] = c.total.count === 0 ? 0 : done / c.total.count;
  row['onTimeShare'] = c.total.count === 0 ? 0 : c.byStatus.done_on_time.count / c.total.count;
  return row;
}

/**
 * Renders the report as an .xlsx workbook with the sheets "Tổng hợp" (counts overall and per lead agency,
 * then the summary paragraph), "Nhiệm vụ" (every counted task), "Quá hạn" (overdue items, days as numbers),
 * "Gia hạn" and "Chỉ tiêu". Every sheet has a frozen header row with Vietnamese column names and an
 * autofilter; dates are real date cells shown dd/mm/yyyy; status cells carry the usual colours.
 * Pure apart from building the buffer: the same report gives the same workbook content.
 */
export async function renderReportXlsx(report: PeriodicReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'dondoc';
  wb.title = `Báo cáo ${report.period.label} - Kế hoạch ${report.plan.number}`;
  const created = toCellDate(report.asOf);
  if (created) {
    wb.created = created;
    wb.modified = created;
  }

  const statusColumns: ColumnSpec[] = REPORTING_STATUSES.map((s) => ({
    header: labelReportingStatus(s),
    key: s,
    width: 15,
    numFmt: '0',
  }));
  const summarySheet = addTableSheet(
    wb,
    XLSX_SHEET_NAMES.summary,
    [
      { header: 'Cơ quan chủ trì', key: 'agency', width: 40, wrap: true },
      { header: 'Tổng số nhiệm vụ', key: 'total', width: 12, numFmt: '0' },
      ...statusColumns,
      { header: 'Tỷ lệ hoàn thành', key: 'doneShare', width: 13, numFmt: '0.0%' },
      { header: 'Tỷ lệ hoàn thành đúng hạn', key: 'onTimeShare', width: 15, numFmt: '0.0%' },
    ],
    [countsRow('Toàn kế hoạch', report.counts), ...report.byAgency.map((a) => countsRow(a.agency.name, a))],
  );
  summarySheet.getRow(2).font = { name: FONT, size: 12, bold: true };
  REPORTING_STATUSES.forEach((s) => {
    const colors = REPORTING_STATUS_COLORS[s];
    summarySheet.getCell(1, summarySheet.getColumn(s).number).fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: colors.fill },
    };
  });
  const noteRow = report.byAgency.length + 4;
  const lastCol = summarySheet.columnCount;
  summarySheet.mergeCells(noteRow, 1, noteRow, lastCol);
  const note = summarySheet.getCell(noteRow, 1);
  note.value = report.summary;
  note.font = { name: FONT, size: 12 };
  note.alignment = { wrapText: true, vertical: 'top' };
  summarySheet.getRow(noteRow).height = Math.min(400, 16 * Math.ceil(report.summary.length / 150) + 8);
  const infoRow = noteRow + 1;
  summarySheet.mergeCells(infoRow, 1, infoRow, lastCol);
  summarySheet.getCell(infoRow, 1).value =
    `Kế hoạch số ${report.plan.number}: ${report.plan.title}. Kỳ báo cáo: ${report.period.label} (${formatDateShortVi(report.period.from)} - ${formatDateShortVi(report.period.to)}); số liệu tính đến ngày ${formatDateShortVi(report.asOf)}.`;
  summarySheet.getCell(infoRow, 1).font = { name: FONT, size: 12, italic: true };
  summarySheet.getCell(infoRow, 1).alignment = { wrapText: true, vertical: 'top' };
  summarySheet.getRow(infoRow).height = 32;

  const taskSheet = addTableSheet(
    wb,
    XLSX_SHEET_NAMES.tasks,
    [
      { header: 'STT', key: 'no', width: 6, numFmt: '0' },
      { header: 'Số thứ tự nhiệm vụ', key: 'ref', width: 10 },
      { header: 'Nội dung nhiệm vụ', key: 'title', width: 55, wrap: true },
      { header: 'Cơ quan chủ trì', key: 'lead', width: 30, wrap: true },
      { header: 'Kỳ', key: 'cycle', width: 6, numFmt: '0' },
      { header: 'Hạn hoàn thành', key: 'due', width: 14, date: true },
      { header: 'Trạng thái xử lý', key: 'state', width: 22, wrap: true },
      { header: 'Tình trạng thực hiện', key: 'status', width: 24, wrap: true },
      { header: 'Ngày hoàn thành', key: 'doneOn', width: 14, date: true },
      { header: 'Số ngày quá hạn', key: 'late', width: 11, numFmt: '0' },
      { header: 'Kết quả, minh chứng', key: 'evidence', width: 50, wrap: true },
      { header: 'Mã theo dõi', key: 'workflowId', width: 36 },
    ],
    report.tasks.map((t, i) => ({
      no: i + 1,
      ref: t.taskRef,
      title: t.title,
      lead: t.lead.name,
      cycle: t.cycle,
      due: toCellDate(t.due),
      state: labelTaskState(t.state),
      status: labelReportingStatus(t.reportingStatus),
      doneOn: toCellDate(t.doneOn),
      late: t.calendarDaysLate ?? null,
      evidence: formatEvidence(t.evidence),
      workflowId: t.workflowId,
    })),
  );
  paintStatus(
    taskSheet,
    'status',
    report.tasks.map((t) => t.reportingStatus),
  );

  const overdueSheet = addTableSheet(
    wb,
    XLSX_SHEET_NAMES.overdue,
    [
      { header: 'STT', key: 'no', width: 6, numFmt: '0' },
      { header: 'Số thứ tự nhiệm vụ', key: 'ref', width: 10 },
      { header: 'Nội dung nhiệm vụ', key: 'title', width: 55, wrap: true },
      { header: 'Cơ quan chủ trì', key: 'lead', width: 30, wrap: true },
      { header: 'Hạn hoàn thành', key: 'due', width: 14, date: true },
      { header: 'Số ngày quá hạn', key: 'days', width: 11, numFmt: '0' },
      { header: 'Số ngày làm việc quá hạn', key: 'workingDays', width: 13, numFmt: '0' },
      { header: 'Cấp đôn đốc đã đến', key: 'ladder', width: 11, numFmt: '0' },
      { header: 'Trạng thái xử lý', key: 'state', width: 22, wrap: true },
      { header: 'Mã theo dõi', key: 'workflowId', width: 36 },
    ],
    report.overdue.map((o, i) => ({
      no: i + 1,
      ref: o.taskRef,
      title: o.title,
      lead: o.lead.name,
      due: toCellDate(o.due),
      days: o.calendarDaysOverdue,
      workingDays: o.workingDaysOverdue,
      ladder: o.ladderLevelReached,
      state: labelTaskState(o.state),
      workflowId: o.workflowId,
    })),
  );
  paintStatus(
    overdueSheet,
    'days',
    report.overdue.map(() => 'in_progress_overdue' as const),
  );

  addTableSheet(
    wb,
    XLSX_SHEET_NAMES.extensions,
    [
      { header: 'STT', key: 'no', width: 6, numFmt: '0' },
      { header: 'Số thứ tự nhiệm vụ', key: 'ref', width: 10 },
      { header: 'Nội dung nhiệm vụ', key: 'title', width: 50, wrap: true },
      { header: 'Cơ quan chủ trì', key: 'lead', width: 30, wrap: true },
      { header: 'Hạn cũ', key: 'previousDue', width: 14, date: true },
      { header: 'Hạn mới', key: 'newDue', width: 14, date: true },
      { header: 'Ngày gia hạn', key: 'grantedOn', width: 14, date: true },
      { header: 'Người quyết định', key: 'by', width: 28, wrap: true },
      { header: 'Lý do', key: 'reason', width: 45, wrap: true },
    ],
    report.extensions.map((e, i) => ({
      no: i + 1,
      ref: e.taskRef,
      title: e.title,
      lead: e.lead.name,
      previousDue: toCellDate(e.previousDue),
      newDue: toCellDate(e.newDue),
      grantedOn: toCellDate(e.grantedOn),
      by: e.by.name,
      reason: e.reason,
    })),
  );

  addTableSheet(
    wb,
    XLSX_SHEET_NAMES.targets,
    [
      { header: 'Chỉ tiêu', key: 'title', width: 45, wrap: true },
      { header: 'Mục tiêu', key: 'goal', width: 14 },
      { header: 'Kết quả tổng hợp', key: 'value', width: 14, numFmt: '#,##0.##' },
      { header: 'Đơn vị tính', key: 'unit', width: 10 },
      { header: 'Số cơ quan báo cáo', key: 'agencies', width: 12, numFmt: '0' },
      { header: 'Đánh giá', key: 'verdict', width: 16 },
      { header: 'Số liệu từng cơ quan', key: 'values', width: 60, wrap: true },
    ],
    report.targets.map((t) => ({
      title: t.target.title,
      goal: formatTargetGoal(t.target),
      value: t.aggregated,
      unit: t.target.unit ?? '',
      agencies: t.values.length,
      verdict: t.verdict === 'met' ? 'Đạt' : t.verdict === 'not_met' ? 'Chưa đạt' : 'Chưa có số liệu',
      values: t.values.map((v) => `${v.agency.name}: ${formatTargetValue(v.value, t.target.unit)}`).join('; '),
    })),
  );

  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data);
}
