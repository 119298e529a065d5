import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { compileReport } from '../../reports/compile';
import { renderReportDocx, reportTitle } from '../../reports/export-docx';
import {
  XLSX_HEADER_ROW,
  XLSX_SHEET_NAMES,
  renderReportXlsx,
  rowHeightFor,
  wrappedLineCount,
} from '../../reports/export-xlsx';
import { resolveReportHeading, type ReportHeading } from '../../reports/heading';
import { REPORTING_STATUS_COLORS } from '../../reports/labels';
import { AGENCY_A, makeInput, makePlanSources, makeSnapshot } from './report-fixture';

const report = compileReport(makeInput());
const { heading } = resolveReportHeading(makePlanSources().plan, makePlanSources().directory);

async function readWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(
    (await renderReportXlsx(report, { issuingBody: heading.issuingBodyName })) as unknown as ArrayBuffer,
  );
  return wb;
}

function headerOf(ws: ExcelJS.Worksheet): string[] {
  const values = ws.getRow(XLSX_HEADER_ROW).values as unknown[];
  return values.slice(1).map(String);
}

/** The data row whose "Số thứ tự nhiệm vụ" column (2) holds `ref`. */
function rowOf(ws: ExcelJS.Worksheet, ref: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row, n) => {
    if (n > XLSX_HEADER_ROW && row.getCell(2).value === ref) found = row;
  });
  if (!found) throw new Error(`no row ${ref} in ${ws.name}`);
  return found;
}

describe('renderReportXlsx', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await readWorkbook();
  });

  test('has the sheets in order, each with title rows, then a frozen, filtered header row', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Nhiệm vụ',
      'Quá hạn',
      'Gia hạn, điều chỉnh',
      'Chỉ tiêu',
    ]);
    for (const ws of wb.worksheets) {
      expect({ sheet: ws.name, view: ws.views[0] }).toEqual({
        sheet: ws.name,
        view: expect.objectContaining({ state: 'frozen', ySplit: XLSX_HEADER_ROW }),
      });
      expect({ sheet: ws.name, filter: ws.autoFilter }).toEqual({ sheet: ws.name, filter: expect.anything() });
      const title = ws.getCell(1, 1);
      expect({ sheet: ws.name, title: title.text, bold: title.font?.bold }).toEqual({
        sheet: ws.name,
        title: expect.stringMatching(/^[A-ZĐÀ-Ỹ ,]+$/u),
        bold: true,
      });
      expect(ws.getCell(2, 1).text).toContain(`Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026`);
      expect(ws.getCell(2, 1).text).toContain('UBND tỉnh Đắk Lắk');
      expect(ws.getCell(2, 1).text).toContain('số liệu tính đến ngày 15/12/2026');
    }
  });

  test('every sheet prints on A4 landscape, fitted to the page width, its header row repeated on each page', () => {
    for (const ws of wb.worksheets) {
      expect({ sheet: ws.name, setup: ws.pageSetup }).toEqual({
        sheet: ws.name,
        setup: expect.objectContaining({
          paperSize: 9,
          orientation: 'landscape',
          fitToPage: true,
          fitToWidth: 1,
          fitToHeight: 0,
          printTitlesRow: `${XLSX_HEADER_ROW}:${XLSX_HEADER_ROW}`,
        }),
      });
      expect(ws.headerFooter.oddFooter).toContain('&P/&N');
    }
    // The tracking id stays in the file, off the printed page.
    const tasks = wb.getWorksheet(XLSX_SHEET_NAMES.tasks)!;
    expect(headerOf(tasks).at(-1)).toBe('Mã theo dõi');
    expect(tasks.pageSetup.printArea).toBe(`A1:K${XLSX_HEADER_ROW + report.tasks.length}`);
  });

  test('every row with wrapped text is at least as tall as its text needs', () => {
    for (const ws of wb.worksheets) {
      ws.eachRow((row, n) => {
        row.eachCell((cell, col) => {
          if (!cell.alignment?.wrapText || typeof cell.value !== 'string' || cell.isMerged) return;
          const width = ws.getColumn(col).width ?? 10;
          const need = rowHeightFor(cell.value, width, cell.font?.size ?? 12, cell.font?.bold === true);
          expect({ sheet: ws.name, row: n, col, height: (row.height ?? 0) >= need }).toEqual({
            sheet: ws.name,
            row: n,
            col,
            height: true,
          });
        });
      });
    }
    // The summary paragraph spans the sheet and is several lines tall.
    const summary = wb.getWorksheet(XLSX_SHEET_NAMES.summary)!;
    let noteRow: ExcelJS.Row | undefined;
    summary.eachRow((row) => {
      if (row.getCell(1).text === report.summary) noteRow = row;
    });
    expect(noteRow?.height).toBeGreaterThanOrEqual(3 * 12 * 1.3);
  });

  test('the task sheet has Vietnamese headers, one row per task, real date cells in dd/mm/yyyy', () => {
    const ws = wb.getWorksheet(XLSX_SHEET_NAMES.tasks)!;
    expect(headerOf(ws)).toEqual([
      'STT',
      'Số thứ tự nhiệm vụ',
      'Nội dung nhiệm vụ',
      'Cơ quan chủ trì',
      'Kỳ',
      'Hạn hoàn thành',
      'Trạng thái xử lý',
      'Tình trạng thực hiện',
      'Ngày hoàn thành',
      'Số ngày quá hạn',
      'Kết quả, minh chứng',
      'Mã theo dõi',
    ]);
    expect(ws.actualRowCount).toBe(XLSX_HEADER_ROW + report.tasks.length);
    const r11 = rowOf(ws, '1.1');
    const due = r11.getCell(6);
    expect(due.value).toBeInstanceOf(Date);
    expect((due.value as Date).toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(due.numFmt).toBe('dd/mm/yyyy');
    expect((r11.getCell(9).value as Date).toISOString()).toBe('2026-06-20T00:00:00.000Z');
    expect(r11.getCell(8).value).toBe('Hoàn thành đúng hạn');
    expect(r11.getCell(5).value).toBe(1); // the first cycle, counted from 1 for people
    expect(r11.getCell(11).text).toContain('Văn bản số 11/BC-SO-GD ngày 20/06/2026');
    const late = rowOf(ws, '1.2');
    expect(late.getCell(10).value).toBe(10);
    const statusFill = (row: ExcelJS.Row) => (row.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb;
    expect(statusFill(r11)).toBe(REPORTING_STATUS_COLORS.done_on_time.fill);
    expect(statusFill(late)).toBe(REPORTING_STATUS_COLORS.done_late.fill);
    expect(statusFill(rowOf(ws, '2.3'))).toBe(REPORTING_STATUS_COLORS.in_progress_overdue.fill);
    expect(statusFill(rowOf(ws, '3.2'))).toBe(REPORTING_STATUS_COLORS.not_started.fill);
    expect(statusFill(rowOf(ws, '2.1'))).toBe(REPORTING_STATUS_COLORS.in_progress_within_deadline.fill);
  });

  test('the overdue sheet carries days overdue as numbers, most overdue first', () => {
    const ws = wb.getWorksheet(XLSX_SHEET_NAMES.overdue)!;
    expect(headerOf(ws).slice(0, 8)).toEqual([
      'STT',
      'Số thứ tự nhiệm vụ',
      'Nội dung nhiệm vụ',
      'Cơ quan chủ trì',
      'Hạn hoàn thành',
      'Số ngày quá hạn',
      'Số ngày làm việc quá hạn',
      'Cấp đôn đốc đã đến',
    ]);
    const rows = [1, 2].map((n) => ws.getRow(XLSX_HEADER_ROW + n));
    expect(rows.map((r) => [r.getCell(2).value, r.getCell(6).value, r.getCell(7).value, r.getCell(8).value])).toEqual([
      ['3.1', 43, 31, 3],
      ['2.3', 15, 11, 2],
    ]);
    expect(typeof rows[0]!.getCell(6).value).toBe('number');
    expect((rows[0]!.getCell(5).value as Date).toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });

  test('the deadline-change sheet lists the one real change: old and new date, who decided, what kind', () => {
    const ws = wb.getWorksheet(XLSX_SHEET_NAMES.extensions)!;
    expect(ws.actualRowCount).toBe(XLSX_HEADER_ROW + 1);
    const r = rowOf(ws, '4.2');
    expect([
      (r.getCell(5).value as Date).toISOString().slice(0, 10),
      (r.getCell(6).value as Date).toISOString().slice(0, 10),
      r.getCell(8).value,
      r.getCell(9).value,
      r.getCell(10).value,
      r.getCell(11).value,
    ]).toEqual([
      '2026-08-31',
      '2026-10-30',
      'Sở Tư pháp',
      'Gia hạn',
      'Chờ hướng dẫn của Bộ Tư pháp',
      'Đồng ý; không gia hạn thêm lần nữa.',
    ]);
    expect(headerOf(ws).slice(7, 11)).toEqual([
      'Người quyết định',
      'Hình thức',
      'Lý do',
      'Ý kiến của người quyết định',
    ]);
  });

  test('the summary sheet counts overall and per agency, numbers as numbers', () => {
    const ws = wb.getWorksheet(XLSX_SHEET_NAMES.summary)!;
    expect(headerOf(ws).slice(0, 3)).toEqual(['Cơ quan chủ trì', 'Tổng số nhiệm vụ', 'Hoàn thành đúng hạn']);
    const overall = ws.getRow(XLSX_HEADER_ROW + 1);
    expect([
      overall.getCell(1).value,
      overall.getCell(2).value,
      overall.getCell(3).value,
      overall.getCell(7).value,
    ]).toEqual(['Toàn kế hoạch', 12, 3, 2]);
    const agencies = [2, 3, 4].map((n) => ws.getRow(XLSX_HEADER_ROW + n).getCell(1).value);
    expect(agencies).toEqual(report.byAgency.map((a) => a.agency.name));
    expect(ws.getRow(XLSX_HEADER_ROW + 2).getCell(2).value).toBe(report.byAgency[0]!.total.count);
    const texts: string[] = [];
    ws.eachRow((row) => texts.push(row.getCell(1).text));
    expect(texts).toContain(report.summary);
  });

  test('an empty table says so under its header', async () => {
    const quiet = compileReport(makeInput({ snapshots: [] }));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderReportXlsx(quiet)) as unknown as ArrayBuffer);
    expect(book.getWorksheet(XLSX_SHEET_NAMES.overdue)!.getCell(XLSX_HEADER_ROW + 1, 1).text).toBe(
      'Không có nhiệm vụ quá hạn.',
    );
  });
});

describe('wrappedLineCount', () => {
  test('wraps at word boundaries, cuts words longer than a line, keeps explicit line breaks', () => {
    expect(wrappedLineCount('', 10)).toBe(1);
    expect(wrappedLineCount('một hai ba', 10)).toBe(1);
    expect(wrappedLineCount('một hai ba bốn', 10)).toBe(2);
    expect(wrappedLineCount('abcdefghijklmnopqrstuvwxy', 10)).toBe(3);
    expect(wrappedLineCount('a\nb\nc', 10)).toBe(3);
  });
});

async function documentXml(h: ReportHeading, extra: { assessment?: string; proposals?: string } = {}, r = report) {
  const zip = await JSZip.loadAsync(await renderReportDocx(r, { heading: h, ...extra }));
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files))
    if (/\.(xml|rels)$/.test(name)) files[name] = await zip.file(name)!.async('string');
  return files;
}

const textOf = (xml: string) =>
  xml
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('renderReportDocx', () => {
  let files: Record<string, string>;
  let xml: string;
  beforeAll(async () => {
    files = await documentXml(heading, {
      assessment: 'Các cơ quan đã chủ động triển khai.\nMột số nhiệm vụ còn chậm.',
      proposals: 'Đề nghị bố trí kinh phí tập huấn.',
    });
    xml = files['word/document.xml']!;
  });

  test('has the header block, title, sections, task refs, the duty recipients and signer', () => {
    const t = textOf(xml);
    for (const phrase of [
      'ỦY BAN NHÂN DÂN',
      'TỈNH ĐẮK LẮK',
      'Số:        /BC-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Đắk Lắk, ngày 15 tháng 12 năm 2026',
      'BÁO CÁO',
      'Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026 thực hiện Đề án',
      'UBND tỉnh Đắk Lắk báo cáo kết quả thực hiện Kế hoạch số 12/KH-UBND trong kỳ báo cáo năm 2026 (từ ngày 01/01/2026',
      'I. TÌNH HÌNH THỰC HIỆN',
      'II. NHIỆM VỤ QUÁ HẠN',
      'III. GIA HẠN, ĐIỀU CHỈNH THỜI HẠN',
      'IV. KẾT QUẢ THỰC HIỆN CHỈ TIÊU',
      'V. ĐÁNH GIÁ CHUNG',
      'Một số nhiệm vụ còn chậm.',
      'VI. KIẾN NGHỊ, ĐỀ XUẤT',
      'Đề nghị bố trí kinh phí tập huấn.',
      'Nơi nhận:',
      '- Bộ Tư pháp;',
      '- Lưu: VT.',
      'TM. ỦY BAN NHÂN DÂN',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
      report.summary,
      '3.1. Nhiệm vụ 3.1',
      '2.3. Nhiệm vụ 2.3',
      'Gia hạn: Chờ hướng dẫn của Bộ Tư pháp',
      '4.2. Nhiệm vụ 4.2: tập huấn kỹ năng hòa giải cho hòa giải viên (Sở Tài chính)',
      'Sở Tư pháp, ngày 05/09/2026. Ý kiến: Đồng ý; không gia hạn thêm lần nữa.',
      'Tỷ lệ hòa giải thành',
    ]) {
      expect({ phrase, found: t.includes(phrase) }).toEqual({ phrase, found: true });
    }
    expect(t.indexOf('3.1. Nhiệm vụ 3.1')).toBeLessThan(t.indexOf('2.3. Nhiệm vụ 2.3'));
  });

  test('leaves nothing for the officer to fill in: no brackets, dotted gaps or generic signer', () => {
    const t = textOf(xml);
    expect(t).not.toMatch(/\[|\]|……|\.\.\.\.|THỦ TRƯỞNG CƠ QUAN|Ký, ghi rõ/);
  });

  test('sections the officer did not write are left out, and the numbering closes up', async () => {
    const t = textOf((await documentXml(heading))['word/document.xml']!);
    expect(t).not.toMatch(/ĐÁNH GIÁ CHUNG|KIẾN NGHỊ/);
    expect(t).toContain('IV. KẾT QUẢ THỰC HIỆN CHỈ TIÊU');
    const noTargets = compileReport(makeInput({ plan: { ...makeInput().plan, targets: [] } }));
    const t2 = textOf((await documentXml(heading, { proposals: 'Đề nghị.' }, noTargets))['word/document.xml']!);
    expect(t2).not.toContain('CHỈ TIÊU');
    expect(t2).toContain('IV. KIẾN NGHỊ, ĐỀ XUẤT');
  });

  test('an amendment names the plan issuer and does not repeat the dates the table shows', async () => {
    const amended = compileReport(
      makeInput({
        snapshots: [
          makeSnapshot({
            ref: '8.1',
            lead: AGENCY_A,
            state: 'in_progress',
            due: '2026-11-30',
            originalDue: '2026-09-30',
            amendments: [
              {
                due: '2026-11-30',
                on: '2026-08-15',
                reason: 'Hạn hoàn thành: 30/09/2026 → 30/11/2026; Sản phẩm: "" → "Báo cáo"',
              },
            ],
          }),
        ],
      }),
    );
    const t = textOf((await documentXml(heading, {}, amended))['word/document.xml']!);
    expect(t).toContain('UBND tỉnh Đắk Lắk (kế hoạch sửa đổi), ngày 15/08/2026');
    expect(t).toContain('Điều chỉnh theo kế hoạch sửa đổi: Sản phẩm: "" → "Báo cáo"');
    expect(t).not.toContain('Hạn hoàn thành: 30/09/2026');
    expect(t).toContain('thời hạn của 1 nhiệm vụ được thay đổi: 1 lượt điều chỉnh theo kế hoạch sửa đổi.');
  });

  test('a heading without a place writes the date line alone, never dots', async () => {
    const { place: _place, ...noPlace } = heading;
    const t = textOf((await documentXml(noPlace))['word/document.xml']!);
    expect(t).toContain('Ngày 15 tháng 12 năm 2026');
    expect(t).not.toContain('…');
  });

  test('numbers pages from 2, centred in the header, with none on the first page', () => {
    expect(xml).toMatch(/<w:titlePg\/>|<w:titlePg w:val="(true|1)"\/>/);
    const refs = [...xml.matchAll(/<w:headerReference w:type="(\w+)" r:id="(\w+)"\/>/g)].map((m) => [m[1], m[2]]);
    expect(refs.map(([type]) => type).sort()).toEqual(['default', 'first']);
    const rels = files['word/_rels/document.xml.rels']!;
    const target = (id: string) => new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
    const header = (type: string) => files[`word/${target(refs.find(([t]) => t === type)![1]!)}`]!;
    expect(header('default')).toMatch(/PAGE/);
    expect(header('default')).toMatch(/<w:jc w:val="center"\/>/);
    expect(header('first')).not.toMatch(/PAGE/);
  });

  test('sets A4, Decree 30 margins and Times New Roman', () => {
    expect(xml).toMatch(/<w:pgSz[^>]*w:w="11906"[^>]*w:h="16838"/);
    const margin = /<w:pgMar([^>]*)>/.exec(xml)?.[1] ?? '';
    const mm = (attr: string) => Number(new RegExp(`w:${attr}="(\\d+)"`).exec(margin)?.[1]) / 56.6929;
    expect(mm('top')).toBeGreaterThanOrEqual(20);
    expect(mm('top')).toBeLessThanOrEqual(25);
    expect(mm('bottom')).toBeGreaterThanOrEqual(20);
    expect(mm('bottom')).toBeLessThanOrEqual(25);
    expect(mm('left')).toBeGreaterThanOrEqual(30);
    expect(mm('left')).toBeLessThanOrEqual(35);
    expect(mm('right')).toBeGreaterThanOrEqual(15);
    expect(mm('right')).toBeLessThanOrEqual(20);
    expect(mm('header')).toBeLessThan(mm('top'));
    expect(xml).toContain('w:ascii="Times New Roman"');
  });

  test('the header block is a borderless table', () => {
    const firstTable = /<w:tbl>[\s\S]*?<\/w:tblPr>/.exec(xml)?.[0] ?? '';
    expect(firstTable).toMatch(/<w:tblBorders>[\s\S]*w:val="none"/);
    expect(firstTable).not.toMatch(/w:val="single"/);
  });
});

test('reportTitle names the plan once', () => {
  const plan = { ...makeInput().plan, title: 'Kế hoạch triển khai thực hiện Đề án X năm 2026', issued: undefined };
  expect(reportTitle(plan)).toBe('Kết quả thực hiện Kế hoạch số 12/KH-UBND triển khai thực hiện Đề án X năm 2026');
});
