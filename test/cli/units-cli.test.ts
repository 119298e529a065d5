/**
 * The command line over the administrative units (real data fetched at setup): `contacts check` and the
 * `--confirm-successors` flag of validate and import, with the exit codes scripts rely on. No Temporal needed:
 * every one of these refuses (or accepts) the files before connecting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { assertCliBuilt, runCli, type CliRun } from '../helpers/cli';
import { writePlanFiles } from '../plans/units-helpers';

// An unreachable Temporal: a command that got past the files would exit 4, not 2.
const run = (args: string[]): Promise<CliRun> =>
  runCli(args, {
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    DONDOC_LINK_SECRET: 'units-cli-test-secret-0123456789abcdef',
    DONDOC_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-units-cli-')),
  });

beforeAll(assertCliBuilt);

describe('dondoc contacts check', () => {
  const f = writePlanFiles({
    groups: '  - { id: ubnd-cap-xa, name: "UBND cấp xã", units: { province: "Thanh Hóa", level: commune } }',
    tasks: [
      '  - ref: "1"',
      '    title: Nhiệm vụ',
      '    lead: ubnd-cap-xa',
      '    timing: { text: "Năm 2026", due: 2026-11-30 }',
    ].join('\n'),
    period: '{ start: 2026-01-01, end: 2026-12-31 }',
  });

  test('a right sheet: exit 0 and what it would give', async () => {
    const good = path.join(f.dir, 'good.csv');
    fs.writeFileSync(
      good,
      'code,name,role,email\n15865,Xã Hoằng Hóa,focal,tuphap@hoanghoa.example.gov.vn\n15865,UBND xã Hoằng Hóa,văn thư,vanthu@hoanghoa.example.gov.vn\n',
    );
    const r = await run(['contacts', 'check', good, '--directory', f.directoryPath]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Bảng liên hệ hợp lệ: 2 liên hệ của 1 cơ quan, đơn vị.');
  });

  test('a sheet with mistakes: exit 2, every problem with its row', async () => {
    const bad = path.join(f.dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      [
        'code,name,role,email',
        '15865,Xã Hoằng Hóa,focal,tuphap@hoanghoa.example.gov.vn',
        '15865,Xã Hoằng Hóa,đầu mối,x@example.gov.vn',
        '00004,Phường Ba Đình,focal,y@example.gov.vn',
        '15865,Xã Hoằng Giang,trưởng thôn,not-an-email',
        '',
      ].join('\n'),
    );
    const r = await run(['contacts', 'check', bad, '--directory', f.directoryPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('có 5 lỗi, không áp dụng gì');
    expect(r.stderr).toContain(`${bad}:3:1  code  Trùng với dòng 2`);
    expect(r.stderr).toContain(`${bad}:4:1  code  Phường Ba Đình (mã 00004) không có trong danh bạ này`);
    expect(r.stderr).toContain(`${bad}:5:1  name  Tên "Xã Hoằng Giang" không khớp với mã "15865"`);
    expect(r.stderr).toContain(`${bad}:5:1  role  Vai trò "trưởng thôn" không hợp lệ`);
    expect(r.stderr).toContain(`${bad}:5:1  email  Địa chỉ thư điện tử "not-an-email" không hợp lệ`);
    expect(r.stdout).toBe('');
  });

  test('a missing file or option: exit 2', async () => {
    expect((await run(['contacts', 'check', path.join(f.dir, 'none.xlsx'), '--directory', f.directoryPath])).code).toBe(
      2,
    );
    expect((await run(['contacts', 'check', path.join(f.dir, 'none.xlsx')])).code).toBe(2);
  });
});

describe('validate and import of a pre-reform plan', () => {
  const f = writePlanFiles({
    agencies: [
      '  - id: ubnd-tx-bim-son',
      '    name: UBND thị xã Bỉm Sơn',
      '    level: district',
      '    unit: { name: "Thị xã Bỉm Sơn", province: "Thanh Hóa" }',
    ].join('\n'),
    tasks: [
      '  - ref: "1"',
      '    title: Nhiệm vụ',
      '    lead: ubnd-tx-bim-son',
      '    timing: { text: "Năm 2024", due: 2024-11-30 }',
    ].join('\n'),
  });

  test('unconfirmed: validate and import exit 2, naming the flag; confirmed: validate lists the mapping', async () => {
    const validate = await run(['validate', f.planPath]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('Thị xã Bỉm Sơn (mã 381)');
    expect(validate.stderr).toContain('--confirm-successors');
    const imported = await run(['import', f.planPath]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('--confirm-successors');

    const confirmed = await run(['validate', f.planPath, '--confirm-successors']);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain(
      'UBND thị xã Bỉm Sơn (Thị xã Bỉm Sơn (mã 381)) giải thể từ 01/07/2025 → 2 đơn vị: Phường Bỉm Sơn (14812), Phường Quang Trung (14818)',
    );
    expect(confirmed.stdout).toContain('Hợp lệ: 1 nhiệm vụ, 2 phiên bản theo dõi.');
    // Confirmed, import gets past the files and stops only at the unreachable Temporal.
    expect((await run(['import', f.planPath, '--confirm-successors'])).code).toBe(4);
  });
});
