/**
 * The periodic report as a Word document (docx) in the shape of a Vietnamese administrative report
 * (Decree 30/2020/NĐ-CP): header block, title, numbered sections, "Nơi nhận" and signature block.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { ReportingStatus } from '../domain/types';
import { REPORTING_STATUSES } from '../domain/types';
import type { PeriodicReport, StatusCounts } from './compile';
import { formatTargetGoal, formatTargetValue } from './compile';
import { formatEvidence } from './export-xlsx';
import { formatDateLongVi, formatDateShortVi, formatPercentVi } from './labels';

export interface RenderDocxOptions {
  /** Place on the date line ("Đắk Lắk, ngày …"); dots for the officer to fill when absent. */
  place?: string;
  /** Suffix of the document number ("BC-STP"); derived from the monitoring agency's name when absent. */
  documentCode?: string;
  /** Title of the signer ("GIÁM ĐỐC"); a placeholder when absent. */
  signerTitle?: string;
  /** Recipients listed under "Nơi nhận:" (without the leading dash); defaults to the issuer and the archive. */
  recipients?: string[];
}

const FONT = 'Times New Roman';
const MM = 56.6929; // twips per millimetre
const PAGE = { width: 11906, height: 16838 }; // A4 in twips
const MARGIN = {
  top: Math.ceil(20 * MM),
  bottom: Math.ceil(20 * MM),
  left: Math.ceil(30 * MM),
  right: Math.ceil(15 * MM),
};
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY_SIZE = 28; // 14 pt in half-points
const TABLE_SIZE = 22; // 11 pt

/** Short column headings for the counts table, where the full labels would not fit. */
const SHORT_STATUS: Record<ReportingStatus, string> = {
  done_on_time: 'Hoàn thành đúng hạn',
  done_late: 'Hoàn thành quá hạn',
  in_progress_within_deadline: 'Đang thực hiện trong hạn',
  due_soon: 'Sắp đến hạn',
  in_progress_overdue: 'Chưa hoàn thành, quá hạn',
  not_started: 'Chưa triển khai',
  cancelled: 'Đã hủy',
};

function run(text: string, o: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean } = {}): TextRun {
  return new TextRun({
    text,
    font: FONT,
    size: o.size ?? BODY_SIZE,
    ...(o.bold ? { bold: true } : {}),
    ...(o.italics ? { italics: true } : {}),
    ...(o.underline ? { underline: {} } : {}),
  });
}

function para(
  children: TextRun[],
  o: {
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    before?: number;
    after?: number;
    indent?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    children,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    spacing: { before: o.before ?? 0, after: o.after ?? 120, line: 288 },
    ...(o.indent ? { indent: { firstLine: Math.round(10 * MM) } } : {}),
  });
}

function heading(text: string): Paragraph {
  return para([run(text, { bold: true })], { before: 120, indent: true });
}

function cell(
  text: string,
  o: {
    bold?: boolean;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    width?: number;
    shade?: boolean;
  } = {},
): TableCell {
  return new TableCell({
    children: text.split('\n').map(
      (line) =>
        new Paragraph({
          children: [run(line, { size: TABLE_SIZE, ...(o.bold ? { bold: true } : {}) })],
          alignment: o.align ?? AlignmentType.LEFT,
          spacing: { before: 40, after: 40 },
        }),
    ),
    verticalAlign: VerticalAlign.CENTER,
    ...(o.width !== undefined ? { width: { size: o.width, type: WidthType.PERCENTAGE } } : {}),
    ...(o.shade ? { shading: { fill: 'D9E1F2' } } : {}),
  });
}

/** A bordered data table: header row bold and shaded, widths in percent. */
function dataTable(headers: string[], widths: number[], rows: string[][], numericColumns: number[] = []): Table {
  const align = (i: number): (typeof AlignmentType)[keyof typeof AlignmentType] =>
    numericColumns.includes(i) ? AlignmentType.CENTER : AlignmentType.LEFT;
  const total = widths.reduce((a, b) => a + b, 0);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    // Fixed grid: LibreOffice and Word otherwise size columns by content and wrap dates mid-number.
    columnWidths: widths.map((w) => Math.floor((TEXT_WIDTH * w) / total)),
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({
        tableHeader: true,
        children: headers.map((h, i) =>
          cell(h, { bold: true, align: AlignmentType.CENTER, width: widths[i] ?? 10, shade: true }),
        ),
      }),
      ...rows.map(
        (r) => new TableRow({ children: r.map((v, i) => cell(v, { align: align(i), width: widths[i] ?? 10 })) }),
      ),
    ],
  });
}

function centered(
  text: string,
  o: { bold?: boolean; italics?: boolean; underline?: boolean; size?: number } = {},
): Paragraph {
  return new Paragraph({ children: [run(text, o)], alignment: AlignmentType.CENTER, spacing: { before: 0, after: 0 } });
}

/** "BC-STP" from "Sở Tư pháp"; "BC-UBND" from "UBND phường Vũ Ninh". */
export function deriveDocumentCode(agencyName: string): string {
  const words = agencyName.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  if (first.length > 1 && first === first.toLocaleUpperCase('vi')) return `BC-${first}`;
  return `BC-${words.map((w) => (w[0] ?? '').toLocaleUpperCase('vi')).join('')}`;
}

function headerBlock(report: PeriodicReport, options: RenderDocxOptions): Table {
  const issuer = report.plan.issuerName.toLocaleUpperCase('vi');
  const agency = report.plan.monitoringName.toLocaleUpperCase('vi');
  const code = options.documentCode ?? deriveDocumentCode(report.plan.monitoringName);
  const left = [
    ...(issuer !== agency ? [centered(issuer, { size: 26 })] : []),
    centered(agency, { bold: true, size: 26 }),
    centered('_______', { bold: true, size: 20 }),
    new Paragraph({
      children: [run(`Số:        /${code}`, { size: 26 })],
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 0 },
    }),
  ];
  const place = options.place?.trim() || '…………';
  const right = [
    centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 24 }),
    centered('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, size: 26 }),
    new Paragraph({
      children: [run(`${place}, ${formatDateLongVi(report.asOf)}`, { italics: true, size: 26 })],
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 0 },
    }),
  ];
  const noBorders = {
    top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
    bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
    left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
    right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          new TableCell({ children: left, width: { size: 40, type: WidthType.PERCENTAGE }, borders: noBorders }),
          new TableCell({ children: right, width: { size: 60, type: WidthType.PERCENTAGE }, borders: noBorders }),
        ],
      }),
    ],
  });
}

function countsRow(label: string, c: StatusCounts): string[] {
  return [label, String(c.total.count), ...REPORTING_STATUSES.map((s) => String(c.byStatus[s].count))];
}

function signatureBlock(report: PeriodicReport, options: RenderDocxOptions): Table {
  const recipients = options.recipients ?? [`${report.plan.issuerName} (để báo cáo)`, 'Lưu: VT.'];
  const left = [
    new Paragraph({
      children: [run('Nơi nhận:', { bold: true, italics: true, size: 24 })],
      spacing: { before: 0, after: 0 },
    }),
    ...recipients.map(
      (r, i) =>
        new Paragraph({
          children: [run(`- ${r}${i < recipients.length - 1 && !/[;.]$/.test(r) ? ';' : ''}`, { size: 22 })],
          spacing: { before: 0, after: 0 },
        }),
    ),
  ];
  const right = [
    centered(options.signerTitle?.trim() || 'THỦ TRƯỞNG CƠ QUAN', { bold: true, size: 26 }),
    centered('(Ký, ghi rõ họ tên, đóng dấu)', { italics: true, size: 24 }),
  ];
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const borders = { top: none, bottom: none, left: none, right: none };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          new TableCell({ children: left, width: { size: 50, type: WidthType.PERCENTAGE }, borders }),
          new TableCell({ children: right, width: { size: 50, type: WidthType.PERCENTAGE }, borders }),
        ],
      }),
    ],
  });
}

/**
 * Renders the report as a .docx in the usual shape of a Vietnamese administrative report: a borderless
 * two-column header (agency and number / national motto and date line), "BÁO CÁO" and its subject, sections
 * I. Tình hình thực hiện (summary paragraph, counts table, tasks done in the period), II. Nhiệm vụ quá hạn,
 * III. Gia hạn, IV. Chỉ tiêu, V. Kiến nghị (a placeholder for the officer), then "Nơi nhận:" and the signer.
 * Times New Roman 14 pt body (11 pt tables); A4 with margins 20/20/30/15 mm (Decree 30/2020).
 */
export async function renderReportDocx(report: PeriodicReport, options: RenderDocxOptions = {}): Promise<Buffer> {
  const { plan, period } = report;
  const children: (Paragraph | Table)[] = [headerBlock(report, options)];

  children.push(
    new Paragraph({
      children: [run('BÁO CÁO', { bold: true, size: 28 })],
      alignment: AlignmentType.CENTER,
      spacing: { before: 360, after: 0 },
    }),
    new Paragraph({
      children: [
        run(
          `Kết quả thực hiện Kế hoạch số ${plan.number} ${plan.title.charAt(0).toLocaleLowerCase('vi')}${plan.title.slice(1)}`,
          { bold: true },
        ),
      ],
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 0 },
    }),
    new Paragraph({
      children: [run(`(${period.label}; số liệu tính đến ngày ${formatDateShortVi(report.asOf)})`, { italics: true })],
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 0 },
    }),
    centered('_______________', { size: 20 }),
    para(
      [
        run(
          `${plan.monitoringName} báo cáo kết quả theo dõi, đôn đốc thực hiện Kế hoạch số ${plan.number} trong kỳ báo cáo ${period.label} (từ ngày ${formatDateShortVi(period.from)} đến ngày ${formatDateShortVi(period.to)}) như sau:`,
        ),
      ],
      { before: 240, indent: true },
    ),
  );

  children.push(heading('I. TÌNH HÌNH THỰC HIỆN'), para([run(report.summary)], { indent: true }));
  children.push(
    dataTable(
      ['Cơ quan chủ trì', 'Tổng số', ...REPORTING_STATUSES.map((s) => SHORT_STATUS[s])],
      [24, 8, 11, 11, 12, 11, 12, 11],
      [countsRow('Toàn kế hoạch', report.counts), ...report.byAgency.map((a) => countsRow(a.agency.name, a))],
      [1, 2, 3, 4, 5, 6, 7],
    ),
  );
  if (report.done.length > 0) {
    children.push(para([run('Nhiệm vụ hoàn thành trong kỳ:', { italics: true })], { before: 120, indent: true }));
    children.push(
      dataTable(
        ['Nhiệm vụ', 'Cơ quan chủ trì', 'Hạn', 'Ngày hoàn thành', 'Kết quả, minh chứng'],
        [27, 17, 14, 14, 28],
        report.done.map((d) => [
          `${d.taskRef}. ${d.title}`,
          d.lead.name,
          d.due ? formatDateShortVi(d.due) : '—',
          `${formatDateShortVi(d.doneOn)}${d.reportingStatus === 'done_late' ? '\n(quá hạn)' : ''}`,
          formatEvidence(d.evidence),
        ]),
        [2, 3],
      ),
    );
  }

  children.push(heading('II. NHIỆM VỤ QUÁ HẠN'));
  if (report.overdue.length === 0) children.push(para([run('Không có nhiệm vụ quá hạn.')], { indent: true }));
  else {
    children.push(
      para(
        [
          run(
            `Có ${report.overdue.length} nhiệm vụ chưa hoàn thành, quá hạn (xếp theo số ngày quá hạn, nhiều nhất trước):`,
          ),
        ],
        { indent: true },
      ),
    );
    children.push(
      dataTable(
        [
          'STT',
          'Nhiệm vụ',
          'Cơ quan chủ trì',
          'Hạn hoàn thành',
          'Số ngày quá hạn',
          'Số ngày làm việc quá hạn',
          'Cấp đôn đốc',
        ],
        [7, 30, 20, 14, 10, 10, 9],
        report.overdue.map((o, i) => [
          String(i + 1),
          `${o.taskRef}. ${o.title}`,
          o.lead.name,
          formatDateShortVi(o.due),
          String(o.calendarDaysOverdue),
          String(o.workingDaysOverdue),
          String(o.ladderLevelReached),
        ]),
        [0, 3, 4, 5, 6],
      ),
    );
  }

  children.push(heading('III. GIA HẠN, ĐIỀU CHỈNH THỜI HẠN'));
  if (report.extensions.length === 0)
    children.push(para([run('Trong kỳ báo cáo không có nhiệm vụ được gia hạn.')], { indent: true }));
  else {
    children.push(
      dataTable(
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Hạn cũ', 'Hạn mới', 'Lý do'],
        [7, 27, 19, 14, 14, 19],
        report.extensions.map((e, i) => [
          String(i + 1),
          `${e.taskRef}. ${e.title}`,
          e.lead.name,
          e.previousDue ? formatDateShortVi(e.previousDue) : '—',
          formatDateShortVi(e.newDue),
          e.reason,
        ]),
        [0, 3, 4],
      ),
    );
  }

  children.push(heading('IV. KẾT QUẢ THỰC HIỆN CHỈ TIÊU'));
  if (report.targets.length === 0)
    children.push(para([run('Kế hoạch không đặt chỉ tiêu định lượng.')], { indent: true }));
  else {
    children.push(
      dataTable(
        ['Chỉ tiêu', 'Mục tiêu', 'Kết quả', 'Đánh giá', 'Số liệu các cơ quan'],
        [30, 12, 12, 12, 34],
        report.targets.map((t) => [
          t.target.title,
          formatTargetGoal(t.target),
          formatTargetValue(t.aggregated, t.target.unit),
          t.verdict === 'met' ? 'Đạt' : t.verdict === 'not_met' ? 'Chưa đạt' : 'Chưa có số liệu',
          t.values.map((v) => `${v.agency.name}: ${formatTargetValue(v.value, t.target.unit)}`).join('\n') || '—',
        ]),
        [1, 2, 3],
      ),
    );
  }

  const total = report.counts.total.count;
  const done = report.counts.byStatus.done_on_time.count + report.counts.byStatus.done_late.count;
  children.push(
    heading('V. KIẾN NGHỊ, ĐỀ XUẤT'),
    para(
      [
        run(
          `[Cán bộ theo dõi ghi kiến nghị, đề xuất: tỷ lệ hoàn thành hiện là ${formatPercentVi(done, total)}; nêu biện pháp đối với các nhiệm vụ quá hạn, đề xuất gia hạn hoặc điều chỉnh kế hoạch nếu cần.]`,
          { italics: true },
        ),
      ],
      { indent: true },
    ),
    para([run(`Trên đây là báo cáo kết quả thực hiện Kế hoạch số ${plan.number} của ${plan.monitoringName}./.`)], {
      before: 120,
      indent: true,
    }),
    signatureBlock(report, options),
  );

  const doc = new Document({
    creator: 'dondoc',
    title: `Báo cáo ${period.label} - Kế hoạch ${plan.number}`,
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE } } } },
    sections: [{ properties: { page: { size: PAGE, margin: MARGIN } }, children }],
  });
  return Packer.toBuffer(doc);
}
