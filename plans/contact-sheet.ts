/**
 * Reads a contacts spreadsheet into rows of text cells: .xlsx with exceljs (first worksheet; the text people
 * see, so an email Excel turned into a link reads as its address), .csv as UTF-8 with `,`, `;` or tab between
 * cells (what Excel writes for a Vietnamese locale), quotes as RFC 4180 has them.
 */
import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';

import type { ContactIssue, ContactSheet } from './contacts';

/** A sheet that was read, or why it could not be. */
export type ContactSheetRead = { ok: true; sheet: ContactSheet } | { ok: false; issues: ContactIssue[] };

const MAX_BYTES = 5 * 1024 * 1024;

function kindOf(file: string): 'xlsx' | 'csv' | null {
  const ext = path.extname(file).toLowerCase();
  return ext === '.xlsx' ? 'xlsx' : ext === '.csv' ? 'csv' : null;
}

function refuse(message: string): ContactSheetRead {
  return { ok: false, issues: [{ message }] };
}

function statOrRefuse(file: string): ContactSheetRead | null {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_BYTES) return refuse(`Tệp quá lớn (${(size / 1024 / 1024).toFixed(1)} MB, tối đa 5 MB).`);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return refuse(
      code === 'ENOENT'
        ? 'Không tìm thấy tệp. Kiểm tra lại đường dẫn.'
        : `Không đọc được tệp (${code ?? String(err)}).`,
    );
  }
}

/** Splits CSV text into rows of cells (RFC 4180 quotes; the delimiter is the most frequent of , ; tab in the first line). */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string): number => firstLine.split(ch).length - 1;
  const delimiter = [',', ';', '\t'].reduce((best, ch) => (count(ch) > count(best) ? ch : best), ',');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Reads a .csv contact sheet synchronously. */
export function readCsvContactSheet(file: string): ContactSheetRead {
  const refused = statOrRefuse(file);
  if (refused) return refused;
  const bytes = fs.readFileSync(file);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return refuse('Tệp CSV lưu bằng mã UTF-16. Hãy lưu lại dạng "CSV UTF-8 (Comma delimited)".');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('Tệp CSV không phải mã UTF-8 (có thể lưu bằng Windows-1258/TCVN3). Hãy lưu lại dạng "CSV UTF-8".');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = parseCsv(text.normalize('NFC')).map((cells, i) => ({ row: i + 1, cells }));
  return { ok: true, sheet: { file, rows } };
}

/** Reads a .xlsx contact sheet (its first worksheet). */
export async function readXlsxContactSheet(file: string): Promise<ContactSheetRead> {
  const refused = statOrRefuse(file);
  if (refused) return refused;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (err) {
    return refuse(
      `Không đọc được tệp Excel (.xlsx): ${(err as Error).message}. Hãy lưu lại dạng "Excel Workbook (.xlsx)".`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return refuse('Tệp Excel không có trang tính nào.');
  const rows: ContactSheet['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = (cell.text ?? '').normalize('NFC');
    });
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? '') });
  });
  return { ok: true, sheet: { file, rows } };
}

/** Reads a contact sheet, .xlsx or .csv by its extension. */
export async function readContactSheet(file: string): Promise<ContactSheetRead> {
  switch (kindOf(file)) {
    case 'xlsx':
      return readXlsxContactSheet(file);
    case 'csv':
      return readCsvContactSheet(file);
    default:
      return refuse('Chỉ nhận tệp .xlsx hoặc .csv (UTF-8). Hãy lưu bảng tính dưới một trong hai dạng này.');
  }
}

/** Reads a contact sheet when that can be done synchronously (.csv); null for .xlsx. */
export function readContactSheetSync(file: string): ContactSheetRead | null {
  const kind = kindOf(file);
  if (kind === 'xlsx') return null;
  if (kind === 'csv') return readCsvContactSheet(file);
  return refuse('Chỉ nhận tệp .xlsx hoặc .csv (UTF-8). Hãy lưu bảng tính dưới một trong hai dạng này.');
}
