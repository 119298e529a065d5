import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { compileReport } from '../../reports/compile';
import { renderReportDocx } from '../../reports/export-docx';
import { renderReportXlsx } from '../../reports/export-xlsx';
import { convertToPdfAndPng } from '../../reports/render-preview';
import { makeInput } from './report-fixture';

// Page-one PNGs are kept here for people to look at (git-ignored).
const OUT = path.join(__dirname, '..', '..', 'test-artifacts', 'reports');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function expectPagePng(png: string): Promise<void> {
  const bytes = await readFile(png);
  expect(bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  // A4 at 80 dpi is 661 × 935 pixels: width and height sit in the IHDR chunk.
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([expect.any(Number), expect.any(Number)]);
  expect(bytes.readUInt32BE(16)).toBeGreaterThan(300);
  // A blank page compresses to a few kilobytes; a page with tables and text does not.
  expect((await stat(png)).size).toBeGreaterThan(20_000);
}

describe('LibreOffice previews of the exported report', () => {
  const report = compileReport(makeInput());

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
  });

  test('the .docx converts to a PDF whose first page renders to a non-trivial PNG', async () => {
    const file = path.join(OUT, 'bao-cao-word.docx');
    await writeFile(file, await renderReportDocx(report, { place: 'Đắk Lắk', signerTitle: 'GIÁM ĐỐC' }));
    const { pdf, png } = await convertToPdfAndPng(file, OUT);
    expect((await readFile(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectPagePng(png);
    expect(png).toBe(path.join(OUT, 'bao-cao-word.png'));
  }, 300_000);

  test('the .xlsx converts to a PDF whose first page renders to a non-trivial PNG', async () => {
    const file = path.join(OUT, 'bao-cao-excel.xlsx');
    await writeFile(file, await renderReportXlsx(report));
    const { png } = await convertToPdfAndPng(file, OUT);
    await expectPagePng(png);
  }, 300_000);
});
