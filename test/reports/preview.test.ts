import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AgencyRef, TaskState } from '../../domain/types';
import { compileReport } from '../../reports/compile';
import { renderReportDocx } from '../../reports/export-docx';
import { renderReportXlsx } from '../../reports/export-xlsx';
import { resolveReportHeading } from '../../reports/heading';
import {
  convertToPdfAndPng,
  findOverlappingWords,
  readPdfPages,
  readPdfWords,
  type PdfWord,
} from '../../reports/render-preview';
import { AGENCY_A, AGENCY_B, AGENCY_C, SCRIPT, makeInput, makePlanSources, makeSnapshot } from './report-fixture';

// Every rendered page is kept here as PNG for people to look at (git-ignored).
const OUT = path.join(__dirname, '..', '..', 'test-artifacts', 'reports');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PT_PER_MM = 72 / 25.4;

async function expectPagePng(png: string): Promise<void> {
  const bytes = await readFile(png);
  expect(bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  expect(bytes.readUInt32BE(16)).toBeGreaterThan(300);
  // A blank page compresses to a few kilobytes; a page with tables and text does not.
  expect((await stat(png)).size).toBeGreaterThan(20_000);
}

/** The scripted plan plus 45 more tasks with long titles and evidence, so both files run over several pages. */
function manyTasks() {
  const leads: AgencyRef[] = [AGENCY_A, AGENCY_B, AGENCY_C];
  const states: TaskState[] = ['accepted', 'in_progress', 'returned', 'scheduled', 'submitted'];
  const extra = Array.from({ length: 45 }, (_, i) => {
    const state = states[i % states.length]!;
    const extended = i % 9 === 0;
    // An extended task moved from 27/02 to a later day; the others fall due through the year.
    const due = extended
      ? `2026-${String((i % 8) + 3).padStart(2, '0')}-15`
      : `2026-${String((i % 11) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    return makeSnapshot({
      ref: `9.${i + 1}`,
      lead: leads[i % 3]!,
      state,
      due,
      title:
        `Tổ chức hội nghị tập huấn, bồi dưỡng kiến thức pháp luật và kỹ năng hòa giải cho hòa giải viên ở cơ sở, ` +
        `đợt ${i + 1}, kết hợp biên soạn tài liệu hướng dẫn nghiệp vụ`,
      ...(state === 'accepted' || state === 'submitted' || state === 'returned' ? { submittedOn: '2026-03-02' } : {}),
      ...(state === 'accepted' ? { acceptedOn: '2026-03-09' } : {}),
      ...(extended
        ? {
            originalDue: '2026-02-27',
            extensions: [
              { due, grantedOn: '2026-02-20', reason: 'Chờ ý kiến của các cơ quan phối hợp về nội dung tài liệu' },
            ],
          }
        : {}),
    });
  });
  return makeInput({ snapshots: [...SCRIPT.map(makeSnapshot), ...extra] });
}

const overlapsText = (pairs: [PdfWord, PdfWord][]) =>
  pairs.slice(0, 5).map(([a, b]) => `trang ${a.page}: "${a.text}" / "${b.text}"`);

describe('LibreOffice renders the exported report as it would print', () => {
  const report = compileReport(manyTasks());
  const sources = makePlanSources();
  const { heading } = resolveReportHeading(sources.plan, sources.directory);

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
  });

  test('the .docx: Decree 30 header, page numbers from page 2 centred in the top margin, nothing overlapping', async () => {
    const file = path.join(OUT, 'bao-cao-word.docx');
    await writeFile(
      file,
      await renderReportDocx(report, {
        heading,
        assessment: 'Các cơ quan chủ trì đã triển khai phần lớn nhiệm vụ đúng tiến độ.',
        proposals: 'Đề nghị các cơ quan có nhiệm vụ quá hạn hoàn thành trước ngày 31/12/2026.',
      }),
    );
    const { pdf, pngs } = await convertToPdfAndPng(file, OUT, { allPages: true });
    expect(pngs.length).toBeGreaterThanOrEqual(3);
    for (const png of pngs) await expectPagePng(png);

    const words = await readPdfWords(pdf);
    expect(overlapsText(findOverlappingWords(words))).toEqual([]);
    const topMargin = 20 * PT_PER_MM;
    // The text area runs from 30 mm to 195 mm across: the header is centred on it.
    const centre = ((30 + 195) / 2) * PT_PER_MM;
    const inTopMargin = (page: number) => words.filter((w) => w.page === page && w.yMax <= topMargin);
    expect(inTopMargin(1)).toEqual([]);
    for (let page = 2; page <= pngs.length; page++) {
      const marks = inTopMargin(page);
      expect({ page, marks: marks.map((w) => w.text) }).toEqual({ page, marks: [String(page)] });
      expect(Math.abs((marks[0]!.xMin + marks[0]!.xMax) / 2 - centre)).toBeLessThan(4);
    }

    const text = (await readPdfPages(pdf)).join('\n');
    for (const phrase of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'ỦY BAN NHÂN DÂN',
      'TỈNH ĐẮK LẮK',
      '/BC-UBND',
      'Đắk Lắk, ngày 15 tháng 12 năm 2026',
      'GIA HẠN, ĐIỀU CHỈNH THỜI HẠN',
      'TM. ỦY BAN NHÂN DÂN',
      'PHÓ CHỦ TỊCH',
    ]) {
      expect({ phrase, found: text.includes(phrase) }).toEqual({ phrase, found: true });
    }
    // Every date on one line: none cut by a narrow column (section III's old and new deadlines once were).
    expect(
      words.filter((w) => /^\d{1,2}\/\d{1,2}\/\d{0,3}$/.test(w.text)).map((w) => `trang ${w.page}: ${w.text}`),
    ).toEqual([]);
    expect(words.filter((w) => /^\d{2}\/\d{2}\/\d{4}$/.test(w.text)).length).toBeGreaterThan(10);
  }, 300_000);

  test('the .xlsx: A4 landscape pages, fitted to width, titled, header repeated, nothing overlapping', async () => {
    const file = path.join(OUT, 'bao-cao-excel.xlsx');
    await writeFile(file, await renderReportXlsx(report, { issuingBody: heading.issuingBodyName }));
    const { pdf, pngs } = await convertToPdfAndPng(file, OUT, { allPages: true });
    for (const png of pngs) await expectPagePng(png);

    const words = await readPdfWords(pdf);
    expect(overlapsText(findOverlappingWords(words))).toEqual([]);
    expect(words.every((w) => w.pageWidth > w.pageHeight && Math.abs(w.pageWidth - 297 * PT_PER_MM) < 2)).toBe(true);

    const pages = await readPdfPages(pdf);
    expect(pages).toHaveLength(pngs.length);
    const sheetOf = (page: string) =>
      /(Tổng hợp|Nhiệm vụ|Quá hạn|Gia hạn, điều chỉnh|Chỉ tiêu) - Trang/.exec(page)?.[1];
    expect([...new Set(pages.map(sheetOf))]).toEqual([
      'Tổng hợp',
      'Nhiệm vụ',
      'Quá hạn',
      'Gia hạn, điều chỉnh',
      'Chỉ tiêu',
    ]);
    const taskPages = pages.filter((p) => sheetOf(p) === 'Nhiệm vụ');
    // 57 tasks run over several pages; each repeats the header and holds every printed column.
    expect(taskPages.length).toBeGreaterThanOrEqual(2);
    for (const p of taskPages) {
      expect(p).toContain('Nội dung nhiệm vụ');
      expect(p).toContain('Kết quả, minh chứng');
      expect(p).not.toContain('dondoc:kh-12');
    }
    // Each sheet opens with its title row.
    for (const [sheet, title] of [
      ['Tổng hợp', 'TỔNG HỢP TÌNH HÌNH THỰC HIỆN THEO CƠ QUAN CHỦ TRÌ'],
      ['Nhiệm vụ', 'DANH SÁCH NHIỆM VỤ VÀ TÌNH TRẠNG THỰC HIỆN'],
      ['Quá hạn', 'NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN'],
      ['Gia hạn, điều chỉnh', 'GIA HẠN, ĐIỀU CHỈNH THỜI HẠN NHIỆM VỤ'],
      ['Chỉ tiêu', 'KẾT QUẢ THỰC HIỆN CHỈ TIÊU'],
    ] as const) {
      expect({ sheet, title: pages.find((p) => sheetOf(p) === sheet)?.includes(title) }).toEqual({
        sheet,
        title: true,
      });
    }
    // Printed no smaller than about two thirds of its size: body text at 12 pt stays at least 8 pt high.
    const body = words.filter((w) => w.text === 'Sở' || w.text === 'UBND');
    expect(Math.min(...body.map((w) => w.yMax - w.yMin))).toBeGreaterThan(8);
  }, 300_000);
});
