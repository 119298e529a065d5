/**
 * Contacts of units from a spreadsheet (.xlsx or .csv): every row checked, every problem with its row number,
 * nothing applied while anything is wrong. Runs on the small invented administrative units dataset.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import ExcelJS from 'exceljs';

import { indexAdminUnits } from '../../admin-units';
import { parseCsv } from '../../plans/contact-sheet';
import { checkContactsFile, loadPlan, loadPlanFile, PlanValidationError } from '../../plans/load';
import { syntheticAdminUnits } from '../admin-units/synthetic-data';
import { captureIssues } from './helpers';
import { task, writePlanFiles } from './units-helpers';

const adminUnits = indexAdminUnits(syntheticAdminUnits());

function files(contacts?: string) {
  return writePlanFiles({
    agencies: '  - { id: ubnd-xa-hoa-an, name: UBND xã Hòa An, level: commune, unit: { code: "00102" } }',
    groups: '  - { id: ubnd-cap-xa, name: "UBND cấp xã", units: { province: "Lúa Vàng", level: commune } }',
    ...(contacts ? { directoryExtra: `contacts: ${contacts}` } : {}),
    tasks: task('1', 'ubnd-cap-xa'),
  });
}

async function writeXlsx(path: string, rows: ExcelJS.CellValue[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Liên hệ');
  for (const row of rows) sheet.addRow(row);
  await workbook.xlsx.writeFile(path);
}

describe('a good sheet', () => {
  test('a CSV beside the directory fills the contacts of the units (Vietnamese headers, ";" as Excel writes it, BOM)', () => {
    const f = files('./lien-he.csv');
    writeFileSync(
      join(f.dir, 'lien-he.csv'),
      '\ufeffMã đơn vị;Tên đơn vị;Vai trò;Thư điện tử;Người liên hệ\n' +
        '00101;Phường Hòa An;Đầu mối;tuphap@phuonghoaan.example.gov.vn;"Công chức Tư pháp; Hộ tịch"\n' +
        '101;P. Hoà An;Thủ trưởng;chutich@phuonghoaan.example.gov.vn;\n' +
        '\n' +
        '00102;UBND xã Hòa An;văn thư;vanthu@xahoaan.example.gov.vn;\n' +
        'so-tu-phap;Sở Tư pháp;head;giamdoc@stp.example.gov.vn;\n',
    );
    const loaded = loadPlanFile(f.planPath, { adminUnits });
    const contactsOf = (id: string) => loaded.directory.agencies.find((a) => a.id === id)?.contacts;
    expect(contactsOf('ubnd-xa-00101')).toEqual({
      focal: { email: 'tuphap@phuonghoaan.example.gov.vn', name: 'Công chức Tư pháp; Hộ tịch' },
      head: { email: 'chutich@phuonghoaan.example.gov.vn' },
    });
    // Code 00102 is the file's own agency for that unit: the sheet reaches it, not a created one.
    expect(contactsOf('ubnd-xa-hoa-an')).toEqual({ office: { email: 'vanthu@xahoaan.example.gov.vn' } });
    expect(contactsOf('so-tu-phap')).toEqual({
      focal: { email: 'pbgdpl@stp.example.gov.vn' },
      head: { email: 'giamdoc@stp.example.gov.vn' },
    });
  });

  test('an .xlsx (a title row, English headers in another order, a number for a code, an email Excel made a link) through loadPlan', async () => {
    const f = files('./contacts.xlsx');
    await writeXlsx(join(f.dir, 'contacts.xlsx'), [
      ['DANH SÁCH ĐẦU MỐI TƯ PHÁP CẤP XÃ'],
      [],
      ['Email', 'Role', 'Code', 'Name'],
      [
        { text: 'tuphap@dao.example.gov.vn', hyperlink: 'mailto:tuphap@dao.example.gov.vn' },
        'focal',
        104,
        'Đặc khu Đảo Ngọc',
      ],
    ]);
    // The synchronous loader cannot read .xlsx and says so; loadPlan reads it first.
    expect(captureIssues(() => loadPlanFile(f.planPath, { adminUnits }))[0]?.message).toContain('loadPlan');
    const loaded = await loadPlan(f.planPath, { adminUnits });
    expect(loaded.directory.agencies.find((a) => a.id === 'ubnd-xa-00104')?.contacts).toEqual({
      focal: { email: 'tuphap@dao.example.gov.vn' },
    });
  });
});

describe('a sheet full of mistakes', () => {
  test('every row is checked and every problem reported with its row; nothing is applied', async () => {
    const f = files('./contacts.xlsx');
    const sheet = join(f.dir, 'contacts.xlsx');
    await writeXlsx(sheet, [
      ['Mã', 'Tên', 'Vai trò', 'Email'],
      [101, 'Phường Hòa An', 'Đầu mối', 'tuphap@phuonghoaan.example.gov.vn'], // 2: right
      ['99999', 'Xã Ma', 'đầu mối', 'a@example.gov.vn'], // 3: no such unit
      ['00202', 'Xã Hòa An', 'đầu mối', 'b@example.gov.vn'], // 4: a unit of another province
      ['00103', 'Xã Hòa An', 'đầu mối', 'c@example.gov.vn'], // 5: name of another unit
      ['00104', 'Đặc khu Đảo Ngọc', 'đầu mối', 'tuphap@@dao'], // 6: bad email
      ['00102', 'Xã Hòa An', 'thư ký', 'd@example.gov.vn'], // 7: unknown role
      ['00101', 'Phường Hòa An', 'focal', 'e@example.gov.vn'], // 8: repeats row 2
      [],
      ['00103', 'Xã Quan Sơn', 'văn thư', ''], // 10: no email
      ['so-tu-phap', 'Sở Tư pháp', 'đầu mối', 'khac@stp.example.gov.vn'], // 11: contradicts the directory
      ['', 'Xã Quan Sơn', '', 'f@example.gov.vn'], // 12: no code, no role
      ['so-tu-phap', 'Sở Tư pháp', 'lãnh đạo', 'giamdoc@stp.example.gov.vn'], // 13: right
    ]);
    const error = await checkContactsFile(sheet, f.directoryPath, { adminUnits }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlanValidationError);
    const issues = (error as PlanValidationError).issues;
    expect(issues.every((i) => i.file === sheet)).toBe(true);
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'Mã'],
      [4, 'Mã'],
      [5, 'Tên'],
      [6, 'Email'],
      [7, 'Vai trò'],
      [8, 'Mã'],
      [10, 'Email'],
      [11, 'Email'],
      [12, 'Mã'],
      [12, 'Vai trò'],
    ]);
    const message = (row: number, field: string): string =>
      issues.find((i) => i.line === row && i.field === field)?.message ?? '';
    expect(message(3, 'Mã')).toContain('Không có đơn vị hành chính nào mang mã "99999"');
    expect(message(4, 'Mã')).toContain('Xã Hòa An (mã 00202) không có trong danh bạ này');
    expect(message(5, 'Tên')).toContain('không khớp với mã "00103" (Xã Quan Sơn (mã 00103))');
    expect(message(6, 'Email')).toContain('"tuphap@@dao" không hợp lệ');
    expect(message(7, 'Vai trò')).toContain('"thư ký" không hợp lệ');
    expect(message(8, 'Mã')).toContain('Trùng với dòng 2');
    expect(message(11, 'Email')).toContain('pbgdpl@stp.example.gov.vn');
    expect((error as PlanValidationError).format()).toContain(`${sheet}:6:1  Email  Địa chỉ thư điện tử "tuphap@@dao"`);

    // The directory that names this sheet does not load: no contact of it, right or wrong, is applied.
    const refused = await loadPlan(f.planPath, { adminUnits }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(PlanValidationError);
    expect((refused as PlanValidationError).issues).toHaveLength(10);
  });

  test('a sheet without the needed columns, or not in UTF-8, is refused as a whole', async () => {
    const f = files();
    const noEmail = join(f.dir, 'thieu-cot.csv');
    writeFileSync(noEmail, 'code,name,role\n00101,Phường Hòa An,focal\n');
    const missing = await checkContactsFile(noEmail, f.directoryPath, { adminUnits }).catch(
      (e: PlanValidationError) => e,
    );
    expect(missing).toBeInstanceOf(PlanValidationError);
    expect((missing as PlanValidationError).issues).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining('Thiếu cột thư điện tử (email)') }),
    ]);
    const latin1 = join(f.dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('code,name,role,email\n00101,Ph\xf0\xf4\xf2ng,focal,a@b.vn\n', 'latin1'));
    const notUtf8 = await checkContactsFile(latin1, f.directoryPath, { adminUnits }).catch(
      (e: PlanValidationError) => e,
    );
    expect((notUtf8 as PlanValidationError).issues[0]?.message).toContain('không phải mã UTF-8');
    const odt = join(f.dir, 'lien-he.ods');
    writeFileSync(odt, 'x');
    const other = await checkContactsFile(odt, f.directoryPath, { adminUnits }).catch((e: PlanValidationError) => e);
    expect((other as PlanValidationError).issues[0]?.message).toContain('.xlsx hoặc .csv');
  });
});

test('CSV cells: quotes, doubled quotes, delimiters inside quotes, CRLF', () => {
  expect(parseCsv('a,"b, c","say ""hi"""\r\n1,2,3')).toEqual([
    ['a', 'b, c', 'say "hi"'],
    ['1', '2', '3'],
  ]);
  expect(parseCsv('a;b;c\n"x;y";2;3\n')).toEqual([
    ['a', 'b', 'c'],
    ['x;y', '2', '3'],
  ]);
});
