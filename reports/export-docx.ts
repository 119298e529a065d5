/**
 * The periodic report as a Word document (docx) in the layout of a Vietnamese administrative report
 * (Decree 30/2020/NĐ-CP, Appendix I): header block, title, numbered sections, "Nơi nhận" and signature block,
 * page numbers from page 2 centred in the top margin.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
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
import type { ExtensionItem, PeriodicReport, ReportPlan, StatusCounts } from './compile';
import { formatTargetGoal, formatTargetValue } from './compile';
import { DEADLINE_CHANGE_LABELS } from './deadline-changes';
import { formatEvidence } from './export-xlsx';
import type { ReportHeading } from './heading';
import { planReference } from './heading';
import { formatDateLongVi, formatDateShortVi } from './labels';

export { deriveDocumentCode } from './heading';

export interface RenderDocxOptions {
  /** Issuing body, code, place, signer and "Nơi nhận" (`resolveReportHeading`). */
  heading: ReportHeading;
  /** Section "Đánh giá chung", as the officer wrote it (paragraphs separated by new lines); left out when absent. */
  assessment?: string;
  /** Section "Kiến nghị, đề xuất", as the officer wrote it; left out when absent. */
  proposals?: string;
}

const FONT = 'Times New Roman';
const MM = 56.6929; // twips per millimetre
const PAGE = { width: 11906, height: 16838 }; // A4 in twips
const MARGIN = {
  top: Math.ceil(20 * MM),
  bottom: Math.ceil(20 * MM),
  left: Math.ceil(30 * MM),
  right: Math.ceil(15 * MM),
  // The page number sits in the top margin, 10 mm from the edge.
  header: Math.ceil(10 * MM),
  footer: Math.ceil(10 * MM),
};
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY_SIZE = 28; // 14 pt in half-points
const TABLE_SIZE = 22; // 11 pt
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

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

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

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
  o: { align?: Align; before?: number; after?: number; indent?: boolean; keepNext?: boolean } = {},
): Paragraph {
  return new Paragraph({
    children,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    spacing: { before: o.before ?? 0, after: o.after ?? 120, line: 288 },
    ...(o.indent ? { indent: { firstLine: Math.round(10 * MM) } } : {}),
    ...(o.keepNext ? { keepNext: true } : {}),
  });
}

function heading(text: string): Paragraph {
  return para([run(text, { bold: true })], { before: 120, indent: true, keepNext: true });
}

/** The officer's text as paragraphs: one per non-empty line. */
function officerParagraphs(text: string): Paragraph[] {
  return text
    .normalize('NFC')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => para([run(line)], { indent: true }));
}

function cell(text: string, o: { bold?: boolean; align?: Align; width?: number; shade?: boolean } = {}): TableCell {
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

/** A bordered data table: header row bold, shaded and repeated on each page; widths in percent. */
function dataTable(headers: string[], widths: number[], rows: string[][], centredColumns: number[] = []): Table {
  // A column without its width is laid out by LibreOffice from what is left, and the table breaks.
  if (widths.length !== headers.length)
    throw new Error(`dataTable: ${headers.length} columns but ${widths.length} widths (${headers.join(' | ')})`);
  const align = (i: number): Align => (centredColumns.includes(i) ? AlignmentType.CENTER : AlignmentType.LEFT);
  const total = widths.reduce((a, b) => a + b, 0);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    // Fixed grid: LibreOffice and Word otherwise size columns by content and wrap dates mid-number.
    columnWidths: widths.map((w) => Math.floor((TEXT_WIDTH * w) / total)),
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: headers.map((h, i) =>
          cell(h, { bold: true, align: AlignmentType.CENTER, width: widths[i] ?? 10, shade: true }),
        ),
      }),
      ...rows.map(
        (r) =>
          new TableRow({
            cantSplit: true,
            children: r.map((v, i) => cell(v, { align: align(i), width: widths[i] ?? 10 })),
          }),
      ),
    ],
  });
}

function centered(
  text: string,
  o: { bold?: boolean; italics?: boolean; underline?: boolean; size?: number; before?: number } = {},
): Paragraph {
  return new Paragraph({
    children: [run(text, o)],
    alignment: AlignmentType.CENTER,
    spacing: { before: o.before ?? 0, after: 0 },
  });
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER };

/** Borderless rows of two columns (header block, signature block): one `[left, right]` pair per row. */
function twoColumns(rows: [Paragraph[], Paragraph[]][], leftPercent: number): Table {
  const leftWidth = Math.round((TEXT_WIDTH * leftPercent) / 100);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [leftWidth, TEXT_WIDTH - leftWidth],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: rows.map(
      ([left, right]) =>
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              children: left,
              width: { size: leftPercent, type: WidthType.PERCENTAGE },
              borders: NO_BORDERS,
            }),
            new TableCell({
              children: right,
              width: { size: 100 - leftPercent, type: WidthType.PERCENTAGE },
              borders: NO_BORDERS,
            }),
          ],
        }),
    ),
  });
}

const upper = (s: string): string => s.toLocaleUpperCase('vi');

/** The issuing body in capitals, broken as documents break it: "ỦY BAN NHÂN DÂN" / "TỈNH ĐẮK LẮK". */
function issuingBodyLines(name: string): string[] {
  const m = /^(ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân)\s+(.+)$/iu.exec(name.trim());
  return m ? [upper(m[1] as string), upper(m[2] as string)] : [upper(name)];
}

/**
 * The header block: issuing body and Quốc hiệu, Tiêu ngữ on the first row; "Số: …/BC-…" and the date line on the
 * second, so the two sit on one line as Decree 30 lays them out.
 */
function headerBlock(report: PeriodicReport, h: ReportHeading): Table {
  const names = [
    ...(h.governingBody ? [centered(upper(h.governingBody), { size: 26 })] : []),
    ...issuingBodyLines(h.issuingBody).map((line) => centered(line, { bold: true, size: 26 })),
    centered('_______', { bold: true, size: 20 }),
  ];
  const motto = [
    centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 24 }),
    centered('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true, size: 26 }),
  ];
  const date = formatDateLongVi(report.asOf);
  const dateLine = h.place ? `${h.place}, ${date}` : `${date.charAt(0).toLocaleUpperCase('vi')}${date.slice(1)}`;
  return twoColumns(
    [
      [names, motto],
      [
        [centered(`Số:        /${h.documentCode}`, { size: 26, before: 120 })],
        [centered(dateLine, { italics: true, size: 26, before: 120 })],
      ],
    ],
    40,
  );
}

function countsRow(label: string, c: StatusCounts): string[] {
  return [label, String(c.total.count), ...REPORTING_STATUSES.map((s) => String(c.byStatus[s].count))];
}

function signatureBlock(h: ReportHeading): Table {
  const left = [
    new Paragraph({
      children: [run('Nơi nhận:', { bold: true, italics: true, size: 24 })],
      spacing: { before: 0, after: 0 },
    }),
    ...h.recipients.map(
      (r, i) =>
        new Paragraph({
          children: [run(`- ${r}${i < h.recipients.length - 1 ? ';' : '.'}`, { size: 22 })],
          spacing: { before: 0, after: 0 },
        }),
    ),
  ];
  const right = [
    ...h.signer.authority.map((a) => centered(upper(a), { bold: true, size: 26 })),
    centered(upper(h.signer.title), { bold: true, size: 26 }),
    // Room for the signature and the seal.
    ...[1, 2, 3, 4].map(() => centered('', { size: 26 })),
    ...(h.signer.name ? [centered(h.signer.name, { bold: true, size: 26 })] : []),
  ];
  return twoColumns([[left, right]], 50);
}

/** The plan as a short mention in sentences: "Kế hoạch số 12/KH-UBND". */
function shortPlanMention(plan: ReportPlan): string {
  if (plan.number.trim()) return `Kế hoạch số ${plan.number.trim()}`;
  if (plan.issued) return `Kế hoạch ngày ${formatDateShortVi(plan.issued)}`;
  return 'Kế hoạch';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
}

/**
 * The kind of a deadline change and why. An amendment's reason, as import writes it, repeats the old and new deadline
 * ("Hạn hoàn thành: … → …", "Thời gian thực hiện (nguyên văn): …"), which the table already shows: only the rest is
 * kept.
 */
/** A remark as written, ending in one full stop (never ".." after the writer's own). */
function sentenceOf(text: string): string {
  const t = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;,:]+$/u, '');
  return /[?!…]$/u.test(t) ? t : `${t}.`;
}

function changeWhy(e: ExtensionItem): string {
  const label = DEADLINE_CHANGE_LABELS.vi[e.kind];
  const parts =
    e.kind === 'amendment'
      ? e.reason.split(/;\s*/).filter((p) => p.trim() && !/^(Hạn hoàn thành|Thời gian thực hiện)\b/u.test(p.trim()))
      : [e.reason.trim()].filter(Boolean);
  return parts.length > 0 ? `${label}: ${parts.join('; ')}` : label;
}

/** The report's title line under "BÁO CÁO": "Kết quả thực hiện Kế hoạch số … <subject>". */
export function reportTitle(plan: ReportPlan): string {
  return `Kết quả thực hiện ${planReference(plan)}`;
}

function pageNumberHeader(): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: BODY_SIZE })],
      }),
    ],
  });
}

/**
 * Renders the report as a .docx in the layout of Decree 30/2020: a borderless two-column header (issuing body and
 * "Số: …/BC-…" / Quốc hiệu, Tiêu ngữ, "Địa danh, ngày … tháng … năm …"), "BÁO CÁO" and its subject, numbered
 * sections (I. Tình hình thực hiện with the counts and the tasks done in the period; II. Nhiệm vụ quá hạn; III. Gia
 * hạn, điều chỉnh thời hạn: only real changes, each with the old and new deadline and who decided; then the targets
 * when the plan sets any, and the officer's assessment and proposals when given), then "Nơi nhận:" and the signer.
 * Nothing is left for the officer to fill in but the number, which the registry assigns on issue.
 * Times New Roman 14 pt body (11 pt tables); A4 with margins 20/20/30/15 mm; page numbers from page 2, centred in
 * the top margin.
 */
export async function renderReportDocx(report: PeriodicReport, options: RenderDocxOptions): Promise<Buffer> {
  const { plan, period } = report;
  const h = options.heading;
  const children: (Paragraph | Table)[] = [headerBlock(report, h)];
  const mention = shortPlanMention(plan);

  children.push(
    centered('BÁO CÁO', { bold: true, size: 28, before: 360 }),
    centered(reportTitle(plan), { bold: true }),
    centered(`(${period.label}; số liệu tính đến ngày ${formatDateShortVi(report.asOf)})`, { italics: true }),
    centered('_______________', { size: 20 }),
    para(
      [
        run(
          `${h.issuingBodyName} báo cáo kết quả thực hiện ${mention} trong kỳ báo cáo ${lowerFirst(period.label)} (từ ngày ${formatDateShortVi(period.from)} đến ngày ${formatDateShortVi(period.to)}) như sau:`,
        ),
      ],
      { before: 240, indent: true },
    ),
  );

  let section = 0;
  const nextSection = (title: string): Paragraph => heading(`${ROMAN[section++] ?? String(section)}. ${title}`);

  children.push(nextSection('TÌNH HÌNH THỰC HIỆN'), para([run(report.summary)], { indent: true }));
  children.push(
    dataTable(
      ['Cơ quan chủ trì', 'Tổng số', ...REPORTING_STATUSES.map((s) => SHORT_STATUS[s])],
      // A width and centring for every column, the status columns alike (one per reporting status).
      [22, 8, ...REPORTING_STATUSES.map(() => Math.floor(70 / REPORTING_STATUSES.length))],
      [countsRow('Toàn kế hoạch', report.counts), ...report.byAgency.map((a) => countsRow(a.agency.name, a))],
      REPORTING_STATUSES.map((_, i) => i + 1).concat(REPORTING_STATUSES.length + 1),
    ),
  );
  if (report.done.length > 0) {
    children.push(
      para([run('Nhiệm vụ hoàn thành trong kỳ:', { italics: true })], { before: 120, indent: true, keepNext: true }),
    );
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

  children.push(nextSection('NHIỆM VỤ QUÁ HẠN'));
  if (report.overdue.length === 0) children.push(para([run('Không có nhiệm vụ quá hạn.')], { indent: true }));
  else {
    children.push(
      para(
        [
          run(
            `Có ${report.overdue.length} nhiệm vụ chưa hoàn thành, quá hạn (xếp theo số ngày quá hạn, nhiều nhất trước):`,
          ),
        ],
        { indent: true, keepNext: true },
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
        [7, 29, 19, 14, 11, 11, 9],
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

  children.push(nextSection('GIA HẠN, ĐIỀU CHỈNH THỜI HẠN'));
  if (report.extensions.length === 0)
    children.push(
      para([run('Trong kỳ báo cáo không có nhiệm vụ được gia hạn hoặc điều chỉnh thời hạn.')], { indent: true }),
    );
  else {
    children.push(
      dataTable(
        ['STT', 'Nhiệm vụ (cơ quan chủ trì)', 'Hạn cũ', 'Hạn mới', 'Người quyết định', 'Hình thức, lý do'],
        // Date columns wide enough for dd/mm/yyyy on one line.
        [7, 23, 15, 15, 20, 20],
        report.extensions.map((e, i) => [
          String(i + 1),
          `${e.taskRef}. ${e.title} (${e.lead.name})`,
          e.previousDue ? formatDateShortVi(e.previousDue) : 'Chưa có hạn',
          formatDateShortVi(e.newDue),
          `${e.decidedBy}, ngày ${formatDateShortVi(e.grantedOn)}${e.decisionNote ? `. Ý kiến: ${sentenceOf(e.decisionNote)}` : ''}`,
          changeWhy(e),
        ]),
        [0, 2, 3],
      ),
    );
  }

  if (report.targets.length > 0) {
    children.push(nextSection('KẾT QUẢ THỰC HIỆN CHỈ TIÊU'));
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

  const assessment = options.assessment ? officerParagraphs(options.assessment) : [];
  if (assessment.length > 0) children.push(nextSection('ĐÁNH GIÁ CHUNG'), ...assessment);
  const proposals = options.proposals ? officerParagraphs(options.proposals) : [];
  if (proposals.length > 0) children.push(nextSection('KIẾN NGHỊ, ĐỀ XUẤT'), ...proposals);

  children.push(
    para([run(`Trên đây là báo cáo kết quả thực hiện ${mention} của ${h.issuingBodyName}./.`)], {
      before: 120,
      indent: true,
      keepNext: true,
    }),
    signatureBlock(h),
  );

  const doc = new Document({
    creator: 'dondoc',
    title: `Báo cáo ${period.label} - ${mention}`,
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE } } } },
    sections: [
      {
        // Decree 30/2020: pages numbered from 1, the number not shown on the first page.
        properties: { titlePage: true, page: { size: PAGE, margin: MARGIN } },
        headers: { default: pageNumberHeader(), first: new Header({ children: [new Paragraph({})] }) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
