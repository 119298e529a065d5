/**
 * Directories over the real administrative units that scripts/setup.sh fetched (vietnam-provinces on PyPI).
 * Unit names and counts are public administrative facts; the plans are synthetic.
 */
import { findUnit, getSuccessors, getUnit, loadAdminUnits } from '../../admin-units';
import { loadPlanFile } from '../../plans/load';
import { captureIssues, lineOf } from './helpers';
import { task, writePlanFiles } from './units-helpers';

const units = loadAdminUnits();

test('"UBND cấp xã" of Thanh Hóa and of Bắc Ninh fan out to exactly their 166 and 99 communes', () => {
  const f = writePlanFiles({
    groups: [
      '  - { id: ubnd-cap-xa-thanh-hoa, name: "UBND cấp xã", units: { province: "Thanh Hoá", level: commune } }',
      '  - { id: ubnd-cap-xa-bac-ninh, name: "UBND cấp xã", units: { province: "24", level: commune } }',
    ].join('\n'),
    tasks: [task('1', 'ubnd-cap-xa-thanh-hoa'), task('2', 'ubnd-cap-xa-bac-ninh')].join('\n'),
  });
  const loaded = loadPlanFile(f.planPath);
  const byTask = (key: string) => loaded.instances.filter((i) => i.taskKey === key);
  expect(byTask('1')).toHaveLength(166);
  expect(byTask('2')).toHaveLength(99);
  const codes = (key: string) => byTask(key).map((i) => i.lead.id.replace('ubnd-xa-', ''));
  const inProvince = (code: string, province: string): boolean =>
    getUnit(units, 'current', 'commune', code)?.province === province;
  expect(codes('1').every((c) => inProvince(c, '38'))).toBe(true);
  expect(codes('2').every((c) => inProvince(c, '24'))).toBe(true);
  expect(byTask('2').map((i) => i.lead.name)).toContain('UBND phường Vũ Ninh');
  expect(new Set(loaded.instances.map((i) => i.workflowId)).size).toBe(166 + 99);
});

test('a national plan to "UBND cấp xã" gives 3,321 instances per task', () => {
  const f = writePlanFiles({
    groups: '  - { id: ubnd-cap-xa, name: "UBND cấp xã", units: { level: commune } }',
    tasks: task('1', 'ubnd-cap-xa'),
  });
  expect(loadPlanFile(f.planPath).instances).toHaveLength(3321);
});

describe('a pre-reform plan of Thanh Hóa naming its districts', () => {
  const f = writePlanFiles({
    agencies: [
      '  - id: phong-tu-phap-huyen-hoang-hoa',
      '    name: Phòng Tư pháp huyện Hoằng Hóa',
      '    level: district',
      '    unit: { name: "Huyện Hoằng Hóa", province: "Thanh Hóa" }',
      '    dissolved: { on: 2025-07-01 }',
      '  - id: phong-tu-phap-tx-bim-son',
      '    name: Phòng Tư pháp thị xã Bỉm Sơn',
      '    level: district',
      '    unit: { name: "TX. Bỉm Sơn", province: "38" }',
      '  - id: phong-tu-phap-tp-thanh-hoa',
      '    name: Phòng Tư pháp thành phố Thanh Hóa',
      '    level: district',
      '    unit: { name: "TP. Thanh Hóa", province: "Thanh Hóa" }',
    ].join('\n'),
    groups:
      '  - { id: phong-tu-phap-cap-huyen, name: "Phòng Tư pháp các huyện, thị xã, thành phố", members: [phong-tu-phap-huyen-hoang-hoa, phong-tu-phap-tx-bim-son] }',
    tasks: [
      task('1', 'phong-tu-phap-cap-huyen'),
      task('2', 'so-tu-phap', ['coordinators: [phong-tu-phap-tp-thanh-hoa]', 'signOff: none']),
    ].join('\n'),
  });
  const successorsOf = (name: string): string[] => {
    const m = findUnit(units, name, { era: 'legacy', level: 'district', province: 'Thanh Hóa' });
    if (m.kind !== 'found') throw new Error(`${name}: ${m.kind}`);
    return getSuccessors(units, m.unit).map((s) => `ubnd-xa-${s.code}`);
  };

  test('the loader proposes each district → communes mapping, for review, and imports nothing unconfirmed', () => {
    const issues = captureIssues(() => loadPlanFile(f.planPath));
    expect(issues.map((i) => [i.field, i.line])).toEqual([
      ['agencies[2].unit', lineOf(f.directoryPath, 'Huyện Hoằng Hóa')],
      ['agencies[3].unit', lineOf(f.directoryPath, 'TX. Bỉm Sơn')],
      ['agencies[4].unit', lineOf(f.directoryPath, 'TP. Thanh Hóa')],
    ]);
    expect(issues[0]?.message).toContain('Huyện Hoằng Hóa (mã 399)');
    expect(issues[0]?.message).toContain('Xã Hoằng Hóa');
    expect(issues.every((i) => i.message.includes('cần xem lại'))).toBe(true);
  });

  test('confirmed, the districts’ tasks go to the communes the data gives, each once', () => {
    const loaded = loadPlanFile(f.planPath, { confirmSuccessors: true });
    const leads = loaded.instances.filter((i) => i.taskKey === '1').map((i) => i.lead.id);
    const expected = [...new Set([...successorsOf('Huyện Hoằng Hóa'), ...successorsOf('Thị xã Bỉm Sơn')])];
    expect(leads.sort()).toEqual(expected.sort());
    expect(leads.length).toBeGreaterThan(2);
    expect(loaded.instances.find((i) => i.taskKey === '1' && i.lead.name === 'UBND xã Hoằng Hóa')).toBeDefined();
    const t2 = loaded.instances.filter((i) => i.taskKey === '2');
    expect(t2).toHaveLength(1);
    expect(t2[0]?.coordinators.map((c) => c.id).sort()).toEqual(successorsOf('Thành phố Thanh Hóa').sort());
    expect(loaded.successions.map((s) => s.unit.code)).toEqual(['399', '381', '380']);
  });
});
