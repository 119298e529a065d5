/**
 * The periodic report as an Excel workbook (exceljs): the spreadsheet the monitoring officer used to keep
 * by hand, now filled from the compiled report, and laid out to print on A4 landscape.
 */
import ExcelJS from 'exceljs';
import type { IsoDate, ReportingStatus } from '../domain/types';
import { REPORTING_STATUSES } from '../domain/types';
import type { PeriodicReport, ReportEvidence, StatusCounts } from './compile';
import { formatTargetGoal, formatTargetValue } from './compile';
import { DEADLINE_CHANGE_LABELS } from './deadline-changes';
import { planReference } from './heading';
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
  extensions: 'Gia hạn, điều chỉnh',
  targets: 'Chỉ tiêu',
} as const;

/** Rows above each sheet's table: the sheet's title and the plan and period it is about. */
export const XLSX_TITLE_ROWS = 2;
/** The table's header row, repeated on every printed page. */
export const XLSX_HEADER_ROW = XLSX_TITLE_ROWS + 1;

export interface RenderXlsxOptions {
  /** The body issuing the report, named on each sheet's second title row. */
  issuingBody?: string;
}

const DATE_FORMAT = 'dd/mm/yyyy';
const FONT = 'Times New Roman';
const BODY_PT = 12;
const TITLE_PT = 14;

/**
 * How many characters of Times New Roman at `pt` points fit on one line of a column `width` units wide. A width
 * unit is the width of a digit of the default font (7 px); Vietnamese text in Times New Roman 12 pt averages about
 * 5.2 px a character as LibreOffice prints it (measured on its PDF) and a little more in Excel, so 5.9 px is kept:
 * an estimate errs towards a taller row, never towards text running into the next one.
 */
function charsPerLine(width: number, pt: number, bold: boolean): number {
  const px = width * 7 - 4; // cell padding
  const perChar = 5.9 * (pt / 12) * (bold ? 1.1 : 1);
  return Math.max(1, Math.floor(px / perChar));
}

/** Lines a text takes when wrapped at word boundaries into lines of `perLine` characters (long words are cut). */
export function wrappedLineCount(text: string, perLine: number): number {
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let line = 0;
    lines += 1;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let len = word.length;
      const need = line === 0 ? len : line + 1 + len;
      if (need <= perLine) {
        line = need;
        continue;
      }
      if (line > 0) lines += 1;
      while (len > perLine) {
        lines += 1;
        len -= perLine;
      }
      line = len;
    }
  }
  return lines;
}

/** Points of row height a text needs in a column of `width` units. */
export function rowHeightFor(text: string, width: number, pt = BODY_PT, bold = false): number {
  const lines = wrappedLineCount(text, charsPerLine(width, pt, bold));
  return Math.ceil(lines * pt * 1.3 + 4);
}

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
  /** Kept in the file for tracing, left off the printed page. */
  noPrint?: boolean;
  /** Centre the values; default for dates and numbers. */
  center?: boolean;
}

interface SheetText {
  /** First row, bold: what the sheet lists. */
  title: string;
  /** Second row: the plan, the period, the day the figures are counted at. */
  subtitle: string;
  /** Written under the header when the table has no rows. */
  empty: string;
}

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, bottom: THIN, left: THIN, right: THIN };

/** Merges a row across `columns` columns and writes a wrapped text, sized to its wrapped height. */
function writeMergedText(
  ws: ExcelJS.Worksheet,
  row: number,
  columns: number,
  text: string,
  width: number,
  font: Partial<ExcelJS.Font>,
  align: Partial<ExcelJS.Alignment> = {},
): void {
  ws.mergeCells(row, 1, row, columns);
  const cell = ws.getCell(row, 1);
  cell.value = text;
  cell.font = { name: FONT, size: BODY_PT, ...font };
  cell.alignment = { wrapText: true, vertical: 'top', ...align };
  ws.getRow(row).height = rowHeightFor(text, width, font.size ?? BODY_PT, font.bold === true);
}

function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  text: SheetText,
  columns: ColumnSpec[],
  rows: Record<string, unknown>[],
): ExcelJS.Worksheet {
  // Columns kept off the page come last, so the printed ones are 1…lastPrinted.
  const lastPrinted = columns.findIndex((c) => c.noPrint) === -1 ? columns.length : columns.findIndex((c) => c.noPrint);
  const printedWidth = columns.slice(0, lastPrinted).reduce((n, c) => n + c.width, 0);
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: XLSX_HEADER_ROW, xSplit: 0 }],
    // A4 landscape, every printed column on one page width, the header row repeated on every printed page.
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${XLSX_HEADER_ROW}:${XLSX_HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&C&"${FONT}"&10${name} - Trang &P/&N` },
  });
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width }));

  writeMergedText(
    ws,
    1,
    lastPrinted,
    text.title,
    printedWidth,
    { bold: true, size: TITLE_PT },
    { horizontal: 'center' },
  );
  writeMergedText(ws, 2, lastPrinted, text.subtitle, printedWidth, { italic: true }, { horizontal: 'center' });

  const header = ws.getRow(XLSX_HEADER_ROW);
  header.values = columns.map((c) => c.header);
  header.font = { name: FONT, bold: true, size: BODY_PT };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = Math.max(...columns.map((c) => rowHeightFor(c.header, c.width, BODY_PT, true)));
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = BORDER;
  });

  rows.forEach((r, i) => {
    const row = ws.getRow(XLSX_HEADER_ROW + 1 + i);
    let height = BODY_PT * 1.3 + 4;
    columns.forEach((c, j) => {
      const cell = row.getCell(j + 1);
      const value = r[c.key];
      cell.value = value === undefined ? null : (value as ExcelJS.CellValue);
      cell.border = BORDER;
      cell.font = { name: FONT, size: BODY_PT };
      if (c.date) cell.numFmt = DATE_FORMAT;
      if (c.numFmt) cell.numFmt = c.numFmt;
      // Numbers, dates and task numbers are centred, as tables in administrative reports have them.
      const centred = c.center ?? (c.date === true || c.numFmt !== undefined);
      cell.alignment = {
        vertical: 'top',
        wrapText: c.wrap === true,
        ...(centred ? { horizontal: 'center' as const } : {}),
      };
      if (c.wrap && typeof value === 'string') height = Math.max(height, rowHeightFor(value, c.width));
    });
    row.height = Math.ceil(height);
  });

  const lastRow = XLSX_HEADER_ROW + rows.length;
  ws.autoFilter = { from: { row: XLSX_HEADER_ROW, column: 1 }, to: { row: XLSX_HEADER_ROW, column: columns.length } };
  if (rows.length === 0) writeMergedText(ws, lastRow + 1, lastPrinted, text.empty, printedWidth, { italic: true });
  setPrintArea(ws, lastPrinted, Math.max(lastRow + (rows.length === 0 ? 1 : 0), XLSX_HEADER_ROW));
  return ws;
}

/**
 * Prints columns 1…`columns` of rows 1…`rows`. exceljs writes the area as `$` + each corner, so the corners carry
 * the row's `$` themselves: LibreOffice ignores a print area whose rows are relative (`$A1:$K60`).
 */
function setPrintArea(ws: ExcelJS.Worksheet, columns: number, rows: number): void {
  ws.pageSetup.printArea = `A$1:${ws.getColumn(columns).letter}$${rows}`;
}

function paintStatus(ws: ExcelJS.Worksheet, columnKey: string, statuses: ReportingStatus[]): void {
  const col = ws.getColumn(columnKey);
  statuses.forEach((status, i) => {
    const cell = ws.getCell(XLSX_HEADER_ROW + 1 + i, col.number);
    const colors = REPORTING_STATUS_COLORS[status];
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: colors.fill } };
    cell.font = { name: FONT, size: BODY_PT, color: { argb: colors.font } };
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

const verdictLabel = (v: 'met' | 'not_met' | 'no_data'): string =>
  v === 'met' ? 'Đạt' : v === 'not_met' ? 'Chưa đạt' : 'Chưa có số liệu';

/**
 * Renders the report as an .xlsx workbook with the sheets "Tổng hợp" (counts overall and per lead agency, then the
 * summary paragraph), "Nhiệm vụ" (every counted task), "Quá hạn" (overdue items, days as numbers), "Gia hạn, điều
 * chỉnh" (real deadline changes, who decided) and "Chỉ tiêu".
 * Every sheet prints on A4 landscape, fitted to the page width: two title rows (what the sheet lists; the plan,
 * the period and the as-of day), then a header row that is frozen, filtered and repeated on every printed page;
 * each row is as tall as its wrapped text needs, so no text runs into the next row; the tracking id column stays in
 * the file but off the printed page. Dates are real date cells shown dd/mm/yyyy; status cells carry the usual
 * colours. Pure apart from building the buffer: the same report gives the same workbook content.
 */
export async function renderReportXlsx(report: PeriodicReport, options: RenderXlsxOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'dondoc';
  wb.title = `Báo cáo ${report.period.label} - ${planReference({ ...report.plan, title: '' })}`;
  const created = toCellDate(report.asOf);
  if (created) {
    wb.created = created;
    wb.modified = created;
  }
  const { period } = report;
  const subtitle =
    `${options.issuingBody ? `${options.issuingBody}. ` : ''}Kết quả thực hiện ${planReference(report.plan)}. ` +
    `Kỳ báo cáo: ${period.label} (từ ngày ${formatDateShortVi(period.from)} đến ngày ${formatDateShortVi(period.to)}); ` +
    `số liệu tính đến ngày ${formatDateShortVi(report.asOf)}.`;
  const sheetText = (title: string, empty: string): SheetText => ({ title, subtitle, empty });

  const statusColumns: ColumnSpec[] = REPORTING_STATUSES.map((s) => ({
    header: labelReportingStatus(s),
    key: s,
    width: 12,
    numFmt: '0',
  }));
  const summaryColumns: ColumnSpec[] = [
    { header: 'Cơ quan chủ trì', key: 'agency', width: 34, wrap: true, center: false },
    { header: 'Tổng số nhiệm vụ', key: 'total', width: 10, numFmt: '0' },
    ...statusColumns,
    { header: 'Tỷ lệ hoàn thành', key: 'doneShare', width: 11, numFmt: '0.0%' },
    { header: 'Tỷ lệ hoàn thành đúng hạn', key: 'onTimeShare', width: 12, numFmt: '0.0%' },
  ];
  const summarySheet = addTableSheet(
    wb,
    XLSX_SHEET_NAMES.summary,
    sheetText('TỔNG HỢP TÌNH HÌNH THỰC HIỆN THEO CƠ QUAN CHỦ TRÌ', 'Kế hoạch chưa có nhiệm vụ được tính.'),
    summaryColumns,
    [countsRow('Toàn kế hoạch', report.counts), ...report.byAgency.map((a) => countsRow(a.agency.name, a))],
  );
  summarySheet.getRow(XLSX_HEADER_ROW + 1).font = { name: FONT, size: BODY_PT, bold: true };
  REPORTING_STATUSES.forEach((s) => {
    const colors = REPORTING_STATUS_COLORS[s];
    summarySheet.getCell(XLSX_HEADER_ROW, summarySheet.getColumn(s).number).fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: colors.fill },
    };
  });
  const noteRow = XLSX_HEADER_ROW + report.byAgency.length + 3;
  const summaryWidth = summaryColumns.reduce((n, c) => n + c.width, 0);
  writeMergedText(
    summarySheet,
    noteRow,
    summaryColumns.length,
    report.summary,
    summaryWidth,
    {},
    { horizontal: 'justify' },
  );
  setPrintArea(summarySheet, summaryColumns.length, noteRow);

  const taskSheet = addTableSheet(
    wb,
    XLSX_SHEET_NAMES.tasks,
    sheetText('DANH SÁCH NHIỆM VỤ VÀ TÌNH TRẠNG THỰC HIỆN', 'Kế hoạch chưa có nhiệm vụ được tính.'),
    [
      { header: 'STT', key: 'no', width: 5, numFmt: '0' },
      { header: 'Số thứ tự nhiệm vụ', key: 'ref', width: 8, wrap: true, center: true },
      { header: 'Nội dung nhiệm vụ', key: 'title', width: 40, wrap: true },
      { header: 'Cơ quan chủ trì', key: 'lead', width: 20, wrap: true },
      { header: 'Kỳ', key: 'cycle', width: 5, numFmt: '0' },
      { header: 'Hạn hoàn thành', key: 'due', width: 12, date: true },
      { header: 'Trạng thái xử lý', key: 'state', width: 16, wrap: true },
      { header: 'Tình trạng thực hiện', key: 'status', width: 16, wrap: true },
      { header: 'Ngày hoàn thành', key: 'doneOn', width: 12, date: true },
      { header: 'Số ngày quá hạn', key: 'late', width: 9, numFmt: '0' },
      { header: 'Kết quả, minh chứng', key: 'evidence', width: 36, wrap: true },
      { header: 'Mã theo dõi', key: 'workflowId', width: 40, noPrint: true },
    ],
    report.tasks.map((t, i) => ({
      no: i + 1,
      ref: t.taskRef,
      title: t.title,
      lead: t.lead.name,
      // Cycles are counted from 0 in the workflow; people count them from 1.
      cycle: t.cycle + 1,
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
    sheetText('NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN', 'Không có nhiệm vụ quá hạn.'),
    [
      { header: 'STT', key: 'no', width: 5, numFmt: '0' },
      { header: 'Số thứ tự nhiệm vụ', key: 'ref', width: 8, wrap: true, center: true },
      { header: 'Nội dung nhiệm vụ', key: 'title', width: 45, wrap: true },
      { header: 'Cơ quan chủ trì', key: 'lead', width: 24, wrap: true },
      { header: 'Hạn hoàn thành', key: 'due', width: 12, date: true },
      { header: 'Số ngày quá hạn', key: 'days', width: 10, numFmt: '0' },
      { header: 'Số ngày làm việc quá hạn', key: 'workingDays', width: 12, numFmt: '0' },
      { header: 'Cấp đôn đốc đã đến', key: 'ladder', width: 10, numFmt: '0' },
      { header: 'Trạng thái xử lý', key: 'state', width: 18, wrap: true },
      { header: 'Mã theo dõi', key: 'workflowId', width: 40, noPrint: true },
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
    sheetText(
      'GIA HẠN, ĐIỀU CHỈNH THỜI HẠN NHIỆM VỤ',
      'Trong kỳ báo cáo không có nhiệm vụ được gia hạn hoặc điều chỉnh thời hạn.',
    ),
    [
      { header: 'STT', key: 'no', width: 5, numFmt: '0' },
      { header: 'Số thứ tự nhiệm vụ', key: 'ref', width: 8, wrap: true, center: true },
      { header: 'Nội dung nhiệm vụ', key: 'title', width: 34, wrap: true },
      { header: 'Cơ quan chủ trì', key: 'lead', width: 20, wrap: true },
      { header: 'Hạn cũ', key: 'previousDue', width: 12, date: true },
      { header: 'Hạn mới', key: 'newDue', width: 12, date: true },
      { header: 'Ngày quyết định', key: 'grantedOn', width: 12, date: true },
      { header: 'Người quyết định', key: 'by', width: 22, wrap: true },
      { header: 'Hình thức', key: 'kind', width: 16, wrap: true },
      { header: 'Lý do', key: 'reason', width: 32, wrap: true },
      { header: 'Ý kiến của người quyết định', key: 'note', width: 30, wrap: true },
      { header: 'Mã theo dõi', key: 'workflowId', width: 40, noPrint: true },
    ],
    report.extensions.map((e, i) => ({
      no: i + 1,
      ref: e.taskRef,
      title: e.title,
      lead: e.lead.name,
      previousDue: toCellDate(e.previousDue),
      newDue: toCellDate(e.newDue),
      grantedOn: toCellDate(e.grantedOn),
      by: e.decidedBy,
      kind: DEADLINE_CHANGE_LABELS.vi[e.kind],
      reason: e.reason,
      note: e.decisionNote ?? '',
      workflowId: e.workflowId,
    })),
  );

  addTableSheet(
    wb,
    XLSX_SHEET_NAMES.targets,
    sheetText('KẾT QUẢ THỰC HIỆN CHỈ TIÊU', 'Kế hoạch không đặt chỉ tiêu định lượng.'),
    [
      { header: 'Chỉ tiêu', key: 'title', width: 40, wrap: true },
      { header: 'Mục tiêu', key: 'goal', width: 12, center: true },
      { header: 'Kết quả tổng hợp', key: 'value', width: 12, numFmt: '#,##0.##' },
      { header: 'Đơn vị tính', key: 'unit', width: 9, wrap: true },
      { header: 'Số cơ quan báo cáo', key: 'agencies', width: 10, numFmt: '0' },
      { header: 'Đánh giá', key: 'verdict', width: 14, wrap: true },
      { header: 'Số liệu từng cơ quan', key: 'values', width: 50, wrap: true },
    ],
    report.targets.map((t) => ({
      title: t.target.title,
      goal: formatTargetGoal(t.target),
      value: t.aggregated,
      unit: t.target.unit ?? '',
      agencies: t.values.length,
      verdict: verdictLabel(t.verdict),
      values: t.values.map((v) => `${v.agency.name}: ${formatTargetValue(v.value, t.target.unit)}`).join('\n'),
    })),
  );

  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data);
}
