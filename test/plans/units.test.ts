/**
 * Directories declared by administrative units, on the small invented dataset (no I/O for the data): a group
 * of every commune of a province, agencies that name their unit, and successions proposed for old units and
 * applied only when the officer confirms them.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import { indexAdminUnits } from '../../admin-units';
import { loadDirectoryFile, loadPlanFile, type LoadPlanOptions } from '../../plans/load';
import { syntheticAdminUnits } from '../admin-units/synthetic-data';
import { captureIssues, lineOf } from './helpers';
import { task, writePlanFiles } from './units-helpers';

const adminUnits = indexAdminUnits(syntheticAdminUnits());
const opts = (extra: LoadPlanOptions = {}): LoadPlanOptions => ({ adminUnits, ...extra });

describe('a group declared by administrative units', () => {
  test('"UBND cấp xã" of a province fans out to exactly its communes, with ids from the official codes', () => {
    const files = writePlanFiles({
      groups: '  - { id: ubnd-cap-xa, name: "UBND cấp xã", units: { province: "Lúa Vàng", level: commune } }',
      tasks: task('1', 'ubnd-cap-xa'),
    });
    const loaded = loadPlanFile(files.planPath, opts());
    expect(loaded.instances.map((i) => i.lead)).toEqual([
      { id: 'ubnd-xa-00101', name: 'UBND phường Hòa An' },
      { id: 'ubnd-xa-00102', name: 'UBND xã Hòa An' },
      { id: 'ubnd-xa-00103', name: 'UBND xã Quan Sơn' },
      { id: 'ubnd-xa-00104', name: 'UBND đặc khu Đảo Ngọc' },
    ]);
    expect(loaded.instances.map((i) => i.workflowId)).toContain('dondoc:ke-hoach-thu:1:ubnd-xa-00104');
    expect(loaded.instances.every((i) => i.leadGroup?.id === 'ubnd-cap-xa')).toBe(true);
    const created = loaded.directory.agencies.find((a) => a.id === 'ubnd-xa-00102');
    expect(created).toMatchObject({ level: 'commune', aliases: ['Xã Hòa An'], unit: { code: '00102' } });
    // Loading again gives the same instances (import is idempotent on them).
    expect(loadPlanFile(files.planPath, opts()).instances.map((i) => i.specHash)).toEqual(
      loaded.instances.map((i) => i.specHash),
    );
  });

  test('a province by code, a whole-country group, and a group of every province', () => {
    const files = writePlanFiles({
      groups: [
        '  - { id: xa-song-xanh, name: "UBND cấp xã", units: { province: "20", level: commune, escalatesTo: ubnd-tinh } }',
        '  - { id: xa-ca-nuoc, name: "UBND cấp xã cả nước", units: { level: commune } }',
        '  - { id: cap-tinh, name: "UBND cấp tỉnh", units: { level: province } }',
      ].join('\n'),
      tasks: [task('1', 'xa-song-xanh'), task('2', 'xa-ca-nuoc'), task('3', 'cap-tinh')].join('\n'),
    });
    const loaded = loadPlanFile(files.planPath, opts());
    const leads = (key: string): string[] => loaded.instances.filter((i) => i.taskKey === key).map((i) => i.lead.id);
    expect(leads('1')).toEqual(['ubnd-xa-00201', 'ubnd-xa-00202', 'ubnd-xa-00203', 'ubnd-xa-00204']);
    expect(leads('2')).toHaveLength(8);
    expect(leads('3')).toEqual(['ubnd-tinh-10', 'ubnd-tinh-20']);
    expect(loaded.directory.agencies.find((a) => a.id === 'ubnd-xa-00201')?.escalatesTo).toBe('ubnd-tinh');
    // An agency is created once even when two groups include its unit.
    const ids = loaded.directory.agencies.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("an agency of the file that names a unit stands for it in the group, with the file's contacts", () => {
    const files = writePlanFiles({
      agencies: [
        '  - id: ubnd-phuong-hoa-an',
        '    name: UBND phường Hòa An',
        '    level: commune',
        '    unit: "P. Hoà An"',
        '    contacts: { focal: { email: tuphap@hoaan.example.gov.vn } }',
      ].join('\n'),
      groups: '  - { id: ubnd-cap-xa, name: "UBND cấp xã", units: { province: "Tỉnh Lúa Vàng", level: commune } }',
      tasks: task('1', 'ubnd-cap-xa'),
    });
    const loaded = loadPlanFile(files.planPath, opts());
    expect(loaded.instances.map((i) => i.lead.id)).toEqual([
      'ubnd-phuong-hoa-an',
      'ubnd-xa-00102',
      'ubnd-xa-00103',
      'ubnd-xa-00104',
    ]);
    expect(loaded.directory.agencies.filter((a) => a.name === 'UBND phường Hòa An')).toHaveLength(1);
  });

  test('every mistake in units is reported with its line: unknown, ambiguous, units beside members, misplaced', () => {
    const files = writePlanFiles({
      agencies: [
        '  - { id: ubnd-xa-a, name: UBND xã A, level: commune, unit: "Xã Hòa An" }',
        '  - { id: ubnd-xa-b, name: UBND xã B, level: commune, unit: { name: "Xã Không Có", province: "Lúa Vàng" } }',
        '  - { id: so-x, name: Sở X, level: department, unit: "00101" }',
      ].join('\n'),
      groups: [
        '  - { id: g1, name: Nhóm 1, members: [so-tu-phap], units: { province: "Lúa Vàng", level: commune } }',
        '  - { id: g2, name: Nhóm 2, units: { province: "Tỉnh Mây Trắng", level: commune } }',
        '  - { id: g3, name: Nhóm 3, units: { province: "Lúa Vàng", level: province } }',
      ].join('\n'),
      tasks: task('1', 'so-tu-phap'),
    });
    const issues = captureIssues(() => loadPlanFile(files.planPath, opts()));
    const at = (needle: string): number => lineOf(files.directoryPath, needle);
    const find = (field: string) => issues.find((i) => i.field === field);
    expect(find('agencies[2].unit')).toMatchObject({
      line: at('ubnd-xa-a'),
      message: expect.stringContaining('ứng với 2 đơn vị'),
    });
    expect(find('agencies[2].unit')?.message).toContain('Xã Hòa An (mã 00102)');
    expect(find('agencies[3].unit')).toMatchObject({
      line: at('ubnd-xa-b'),
      message: expect.stringContaining('Không tìm thấy'),
    });
    expect(find('agencies[4].unit')?.message).toContain('level province, district hoặc commune');
    expect(find('groups[0].members')).toMatchObject({ line: at('id: g1') });
    expect(find('groups[1].units.province')?.message).toContain('Tỉnh Mây Trắng');
    expect(find('groups[2].units.province')?.message).toContain('mọi tỉnh');
    expect(issues.every((i) => i.file === files.directoryPath)).toBe(true);
    expect(issues).toHaveLength(6);
  });

  test('without the data, the loader names the setup step at the first field that needs it', () => {
    const files = writePlanFiles({
      groups: '  - { id: ubnd-cap-xa, name: "UBND cấp xã", units: { province: "Lúa Vàng", level: commune } }',
      tasks: task('1', 'ubnd-cap-xa'),
    });
    const issues = captureIssues(() =>
      loadPlanFile(files.planPath, { adminUnitsFile: '/nonexistent/admin-units.json' }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'groups[0].units', line: lineOf(files.directoryPath, 'ubnd-cap-xa') });
    expect(issues[0]?.message).toContain('scripts/setup.sh');
  });
});

describe('a plan from before the reform maps onto the successors the data gives', () => {
  const oldUnits = [
    '  - id: ubnd-huyen-hoa-an',
    '    name: UBND huyện Hòa An',
    '    level: district',
    '    unit: { name: "Huyện Hòa An", province: "Lúa Vàng" }',
    '    contacts: { focal: { email: tuphap@huyenhoaan.example.gov.vn } }',
    '  - id: ubnd-tt-hoa-an',
    '    name: UBND thị trấn Hòa An',
    '    level: commune',
    '    unit: "01001"',
    '    dissolved: { on: 2025-07-01 }',
    '  - id: ubnd-xa-bien',
    '    name: UBND xã Biển',
    '    level: commune',
    '    unit: "Xã Biển"',
    '    dissolved: { on: 2025-07-01 }',
  ].join('\n');
  const files = writePlanFiles({
    agencies: oldUnits,
    groups: '  - { id: ubnd-cap-huyen, name: UBND cấp huyện, members: [ubnd-huyen-hoa-an] }',
    tasks: [
      task('1', 'ubnd-cap-huyen'),
      task('2', '[ubnd-tt-hoa-an, ubnd-huyen-hoa-an]'),
      task('3', 'so-tu-phap', ['coordinators: [ubnd-xa-bien]']),
    ].join('\n'),
  });

  test('unconfirmed, the loader proposes each mapping at the line of the unit and imports nothing', () => {
    const issues = captureIssues(() => loadPlanFile(files.planPath, opts()));
    expect(issues.map((i) => [i.field, i.line])).toEqual([
      ['agencies[2].unit', lineOf(files.directoryPath, 'unit: { name: "Huyện Hòa An"')],
      ['agencies[3].unit', lineOf(files.directoryPath, 'unit: "01001"')],
      ['agencies[4].unit', lineOf(files.directoryPath, 'unit: "Xã Biển"')],
    ]);
    const [district, townlet, commune] = issues.map((i) => i.message);
    expect(district).toContain('Huyện Hòa An (mã 101)');
    expect(district).toContain('2 đơn vị: Phường Hòa An (00101), Xã Hòa An (00102)');
    expect(district).toContain('cần xem lại');
    expect(district).toContain('--confirm-successors');
    expect(townlet).toContain('→ Phường Hòa An (00101)');
    expect(townlet).not.toContain('cần xem lại');
    expect(commune).toContain('→ Đặc khu Đảo Ngọc (00104)');
  });

  test('confirmed, every task goes to the successors, once each, and says which old unit it came from', () => {
    const loaded = loadPlanFile(files.planPath, opts({ confirmSuccessors: true }));
    const rows = loaded.instances.map((i) => [i.taskKey, i.lead.id, i.leadGroup?.id ?? null]);
    expect(rows).toEqual([
      ['1', 'ubnd-xa-00101', 'ubnd-cap-huyen'],
      ['1', 'ubnd-xa-00102', 'ubnd-cap-huyen'],
      // The townlet and the district both went to the ward: one instance, no "assigned twice" error.
      ['2', 'ubnd-xa-00101', 'ubnd-tt-hoa-an'],
      ['2', 'ubnd-xa-00102', 'ubnd-huyen-hoa-an'],
      ['3', 'so-tu-phap', null],
    ]);
    const t3 = loaded.instances.find((i) => i.taskKey === '3');
    expect(t3?.coordinators.map((c) => c.id)).toEqual(['ubnd-xa-00104']);
    expect(t3?.requiredSignOff).toEqual(['ubnd-xa-00104']);
    expect(loaded.successions.map((p) => [p.agencyId, p.successors.map((s) => s.id), p.review])).toEqual([
      ['ubnd-huyen-hoa-an', ['ubnd-xa-00101', 'ubnd-xa-00102'], true],
      ['ubnd-tt-hoa-an', ['ubnd-xa-00101'], false],
      ['ubnd-xa-bien', ['ubnd-xa-00104'], false],
    ]);
    const district = loaded.directory.agencies.find((a) => a.id === 'ubnd-huyen-hoa-an');
    expect(district?.dissolved).toEqual({ on: '2025-07-01', successors: ['ubnd-xa-00101', 'ubnd-xa-00102'] });
  });

  test('confirmed: true in the directory confirms one unit; the others are still asked for', () => {
    const text = readFileSync(files.directoryPath, 'utf8').replace(
      'unit: { name: "Huyện Hòa An", province: "Lúa Vàng" }',
      'unit: { name: "Huyện Hòa An", province: "Lúa Vàng", confirmed: true }',
    );
    const again = writePlanFiles({ agencies: '', tasks: task('1', 'so-tu-phap') });
    writeFileSync(again.directoryPath, text);
    writeFileSync(again.planPath, readFileSync(files.planPath, 'utf8'));
    const issues = captureIssues(() => loadPlanFile(again.planPath, opts()));
    expect(issues.map((i) => i.field)).toEqual(['agencies[3].unit', 'agencies[4].unit']);
  });

  test('a unit the plan does not give tasks to is not asked about; one the data gives no successor is an error', () => {
    const quiet = writePlanFiles({ agencies: oldUnits, tasks: task('1', 'so-tu-phap') });
    expect(loadPlanFile(quiet.planPath, opts()).successions).toEqual([]);
    const none = writePlanFiles({
      agencies:
        '  - { id: ubnd-xa-cu, name: UBND xã Cũ, level: commune, unit: "02002", dissolved: { on: 2025-07-01 } }',
      tasks: task('1', 'ubnd-xa-cu'),
    });
    const issues = captureIssues(() => loadPlanFile(none.planPath, opts({ confirmSuccessors: true })));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('không ghi đơn vị kế nhiệm của Xã Cũ (mã 02002)');
  });

  test('a plan that starts after the reform may not name the old unit: the successors are named instead', () => {
    const late = writePlanFiles({
      agencies: oldUnits,
      tasks: task('1', 'ubnd-huyen-hoa-an'),
      period: '{ start: 2026-01-01, end: 2026-12-31 }',
    });
    const issues = captureIssues(() => loadPlanFile(late.planPath, opts({ confirmSuccessors: true })));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('tasks[0].lead');
    expect(issues[0]?.message).toContain('"ubnd-xa-00101" (UBND phường Hòa An), "ubnd-xa-00102" (UBND xã Hòa An)');
  });

  test('a successor written by hand is kept: no proposal, and import moves running tasks as before', () => {
    const hand = writePlanFiles({
      agencies: [
        '  - { id: ubnd-xa-moi, name: UBND xã Mới, level: commune }',
        '  - { id: ubnd-huyen-cu, name: UBND huyện Cũ, level: district, unit: "101", dissolved: { on: 2025-07-01, successor: ubnd-xa-moi } }',
      ].join('\n'),
      tasks: task('1', 'ubnd-huyen-cu'),
    });
    const loaded = loadPlanFile(hand.planPath, opts());
    expect(loaded.successions).toEqual([]);
    expect(loaded.instances.map((i) => i.lead.id)).toEqual(['ubnd-huyen-cu']);
    expect(
      loadDirectoryFile(hand.directoryPath, { adminUnits }).agencies.find((a) => a.id === 'ubnd-huyen-cu')?.dissolved,
    ).toEqual({
      on: '2025-07-01',
      successor: 'ubnd-xa-moi',
    });
  });
});
