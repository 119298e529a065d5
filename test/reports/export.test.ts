import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { compileReport } from '../../reports/compile';
import { deriveDocumentCode, renderReportDocx } from '../../reports/export-docx';
import { XLSX_SHEET_NAMES, renderReportXlsx } from '../../reports/export-xlsx';
import { REPORTING_STATUS_COLORS } from '../../reports/labels';
import { makeInput } from './report-fixture';

const report = compileReport(makeInput());

async function readWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await renderReportXlsx(report)) as unknown as ArrayBuffer);
  return wb;
}

function headerOf(ws: ExcelJS.Worksheet): string[] {
  const values = ws.getRow(1).values as unknown[];
  return values.slice(1).map(String);
}

describe('renderReportXlsx', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await readWorkbook();
  });

  test('has the sheets in order, each with a frozen header row and an autofilter', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Nhiệm vụ', 'Quá hạn', 'Gia hạn', 'Chỉ tiêu']);
    for (const ws of wb.worksheets) {
      expect({ sheet: ws.name, view: ws.views[0] }).toEqual({
        sheet: ws.name,
        view: expect.objectContaining({ state: 'frozen', ySplit: 1 }),
      });
      expect({ sheet: ws.name, filter: ws.autoFilter }).toEqual({ sheet: ws.name, filter: expect.anything() });
    }
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
    expect(ws.actualRowCount).toBe(1 + report.tasks.length);
    const rowOf = (ref: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => {
        if (row.getCell(2).value === ref) found = row;
      });
      return found!;
    };
    const r11 = rowOf('1.1');
    const due = r11.getCell(6);
    expect(due.value).toBeInstanceOf(Date);
    expect((due.value as Date).toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(due.numFmt).toBe('dd/mm/yyyy');
    expect((r11.getCell(9).value as Date).toISOString()).toBe('2026-06-20T00:00:00.000Z');
    expect(r11.getCell(8).value).toBe('Hoàn thành đúng hạn');
    expect(r11.getCell(11).text).toContain('Văn bản số 11/BC-SO-GD ngày 20/06/2026');
    const late = rowOf('1.2');
    expect(late.getCell(10).value).toBe(10);
    const statusFill = (row: ExcelJS.Row) => (row.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb;
    expect(statusFill(r11)).toBe(REPORTING_STATUS_COLORS.done_on_time.fill);
    expect(statusFill(late)).toBe(REPORTING_STATUS_COLORS.done_late.fill);
    expect(statusFill(rowOf('2.3'))).toBe(REPORTING_STATUS_COLORS.in_progress_overdue.fill);
    expect(statusFill(rowOf('3.2'))).toBe(REPORTING_STATUS_COLORS.not_started.fill);
    expect(statusFill(rowOf('2.1'))).toBe(REPORTING_STATUS_COLORS.in_progress_within_deadline.fill);
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
    const rows = [2, 3].map((n) => ws.getRow(n));
    expect(rows.map((r) => [r.getCell(2).value, r.getCell(6).value, r.getCell(7).value, r.getCell(8).value])).toEqual([
      ['3.1', 43, 31, 3],
      ['2.3', 15, 11, 2],
    ]);
    expect(typeof rows[0]!.getCell(6).value).toBe('number');
    expect((rows[0]!.getCell(5).value as Date).toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });

  test('the summary sheet counts overall and per agency, numbers as numbers', () => {
    const ws = wb.getWorksheet(XLSX_SHEET_NAMES.summary)!;
    expect(headerOf(ws).slice(0, 3)).toEqual(['Cơ quan chủ trì', 'Tổng số nhiệm vụ', 'Hoàn thành đúng hạn']);
    const overall = ws.getRow(2);
    expect([
      overall.getCell(1).value,
      overall.getCell(2).value,
      overall.getCell(3).value,
      overall.getCell(7).value,
    ]).toEqual(['Toàn kế hoạch', 12, 3, 2]);
    const agencies = [3, 4, 5].map((n) => ws.getRow(n).getCell(1).value);
    expect(agencies).toEqual(report.byAgency.map((a) => a.agency.name));
    expect(ws.getRow(3).getCell(2).value).toBe(report.byAgency[0]!.total.count);
    const texts: string[] = [];
    ws.eachRow((row) => texts.push(row.getCell(1).text));
    expect(texts).toContain(report.summary);
  });
});

describe('renderReportDocx', () => {
  let xml: string;
  beforeAll(async () => {
    const zip = await JSZip.loadAsync(await renderReportDocx(report, { place: 'Đắk Lắk', signerTitle: 'GIÁM ĐỐC' }));
    xml = await zip.file('word/document.xml')!.async('string');
  });

  const text = () => xml.replace(/<[^>]+>/g, '');

  test('has the header block, title, sections, task refs and the recipients block', () => {
    const t = text();
    for (const phrase of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND TỈNH ĐẮK LẮK',
      'SỞ TƯ PHÁP',
      '/BC-STP',
      'Đắk Lắk, ngày 15 tháng 12 năm 2026',
      'BÁO CÁO',
      'Kết quả thực hiện Kế hoạch số 12/KH-UBND',
      'I. TÌNH HÌNH THỰC HIỆN',
      'II. NHIỆM VỤ QUÁ HẠN',
      'III. GIA HẠN',
      'IV. KẾT QUẢ THỰC HIỆN CHỈ TIÊU',
      'V. KIẾN NGHỊ, ĐỀ XUẤT',
      'Nơi nhận:',
      'GIÁM ĐỐC',
      report.summary,
      '3.1. Nhiệm vụ 3.1',
      '2.3. Nhiệm vụ 2.3',
      'Chờ hướng dẫn của Bộ Tư pháp',
      'Tỷ lệ hòa giải thành',
    ]) {
      expect({ phrase, found: t.includes(phrase) }).toEqual({ phrase, found: true });
    }
    expect(t.indexOf('3.1. Nhiệm vụ 3.1')).toBeLessThan(t.indexOf('2.3. Nhiệm vụ 2.3'));
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
    expect(xml).toContain('w:ascii="Times New Roman"');
  });

  test('the header block is a borderless table', () => {
    const firstTable = /<w:tbl>[\s\S]*?<\/w:tblPr>/.exec(xml)?.[0] ?? '';
    expect(firstTable).toMatch(/<w:tblBorders>[\s\S]*w:val="none"/);
    expect(firstTable).not.toMatch(/w:val="single"/);
  });
});

test('deriveDocumentCode follows the usual abbreviations', () => {
  expect(deriveDocumentCode('Sở Tư pháp')).toBe('BC-STP');
  expect(deriveDocumentCode('UBND phường Vũ Ninh')).toBe('BC-UBND');
});
