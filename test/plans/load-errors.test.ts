import { join } from 'node:path';

import { loadDirectoryFile, loadPlan, loadPlanFile, MAX_FILE_BYTES, PlanValidationError } from '../../plans/load';
import { writePlanFixture } from '../helpers/plan-fixture';
import { BAD_PLANS, captureIssues, lineOf, makeTempPlanDir, validPlanYaml, writeIn } from './helpers';

const fixture = (name: string): string => join(BAD_PLANS, name);

describe('loadPlanFile rejects malformed plans with file, line and field', () => {
  test('bad YAML syntax names the line of the unclosed brace', () => {
    const file = fixture('syntax.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.length).toBeGreaterThanOrEqual(1);
    const first = issues[0];
    expect(first?.field).toBe('(cú pháp)');
    expect(first?.message).toMatch(/Lỗi cú pháp/);
    expect(first?.file).toBe(file);
    // The parser notices the missing "}" on the period line or the next one.
    expect([lineOf(file, 'period:'), lineOf(file, 'directory:')]).toContain(first?.line);
  });

  test('wrong types: a string where a list is expected, reported at each place', () => {
    const file = fixture('wrong-types.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    const offsets = issues.find((i) => i.field === 'reminders.offsets');
    const coordinators = issues.find((i) => i.field === 'tasks[0].coordinators');
    expect(offsets?.line).toBe(lineOf(file, 'offsets: ba-ngay'));
    expect(offsets?.message).toMatch(/danh sách/);
    expect(coordinators?.line).toBe(lineOf(file, 'coordinators: mttq-tinh'));
    expect(issues).toHaveLength(2);
  });

  test('unknown agency: lead line, field and what to do', () => {
    const file = fixture('unknown-agency.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'tasks[0].lead', line: lineOf(file, 'so-khong-co'), column: 11 });
    expect(issues[0]?.message).toMatch(/"so-khong-co".*danh bạ/);
  });

  test('impossible date 2024-02-30 is refused at its line', () => {
    const file = fixture('impossible-date.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'tasks[0].timing.due', line: lineOf(file, '2024-02-30') });
    expect(issues[0]?.message).toMatch(/không tồn tại/);
  });

  test('duplicate task refs without explicit id ask for an id, pointing at the second task', () => {
    const file = fixture('duplicate-refs.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'tasks[1].ref', line: lineOf(file, 'ref: "5.3"', 2) });
    expect(issues[0]?.message).toContain(`dòng ${lineOf(file, 'ref: "5.3"', 1)}`);
    expect(issues[0]?.message).toMatch(/thêm "id"/);
  });

  test('unresolved review marks block import unless acceptReview; resolved marks do not', () => {
    const file = fixture('review.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'tasks[0].review[0]', line: lineOf(file, 'field: lead') });
    expect(issues[0]?.message).toMatch(/xem lại.*"lead".*dòng 42/);
    const loaded = loadPlanFile(file, { acceptReview: true });
    expect(loaded.instances).toHaveLength(1);
  });

  test('an agency dissolved before the plan starts is refused and its successor proposed', () => {
    const file = fixture('dissolved.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'tasks[0].lead', line: lineOf(file, 'lead: ubnd-huyen-a') });
    expect(issues[0]?.message).toMatch(/01\/07\/2025/);
    expect(issues[0]?.message).toMatch(/"ubnd-xa-a"/);
  });

  test('a group lead whose member is dissolved is refused too; the same plan before the dissolution loads', () => {
    const dir = makeTempPlanDir();
    const task = [
      '  - ref: "1"',
      '    title: Việc của các huyện',
      '    lead: ubnd-cap-huyen',
      '    timing: "Năm 2024"',
    ].join('\n');
    const late = writeIn(
      dir,
      'late.yaml',
      validPlanYaml({ period: '{ start: 2026-01-01, end: 2026-12-31 }', tasks: task.replace('2024', '2026') }),
    );
    const issues = captureIssues(() => loadPlanFile(late));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/thành viên nhóm "ubnd-cap-huyen".*"ubnd-xa-a"/);
    const early = writeIn(dir, 'early.yaml', validPlanYaml({ tasks: task }));
    const loaded = loadPlanFile(early);
    expect(loaded.instances.map((i) => i.workflowId)).toEqual(['dondoc:hop-le:1:ubnd-huyen-a']);
    expect(loaded.instances[0]?.leadGroup).toEqual({ id: 'ubnd-cap-huyen', name: 'UBND cấp huyện' });
  });

  test('all errors at once: a file with three errors gives exactly three issues, in file order', () => {
    const file = fixture('three-errors.yaml');
    const err = (() => {
      try {
        loadPlanFile(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(PlanValidationError);
    const issues = (err as PlanValidationError).issues;
    expect(issues.map((i) => i.field)).toEqual(['escalationAuthority', 'tasks[0].coordinators[0]', 'tasks[1].timing']);
    expect(issues.find((i) => i.field === 'escalationAuthority')?.line).toBe(lineOf(file, 'ubnd-khong-co'));
    expect(issues.find((i) => i.field === 'tasks[0].coordinators[0]')?.line).toBe(lineOf(file, 'mttq-khong-co'));
    const timing = issues.find((i) => i.field === 'tasks[1].timing');
    expect(timing?.line).toBe(lineOf(file, 'khi nào xong'));
    expect(timing?.message).toMatch(/cần ngày cụ thể/);
    // format(): one line per issue, "file:line:col  field  message".
    const lines = (err as PlanValidationError).format().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines)
      expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+  \\S+  .+`));
    expect((err as PlanValidationError).name).toBe('PlanValidationError');
  });

  test('type errors do not hide cross-field errors elsewhere in the file', () => {
    const file = fixture('mixed-errors.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.map((i) => [i.field, i.line])).toEqual([
      ['issuer', lineOf(file, 'issuer: ubnd-khong-co')],
      ['tasks[0].title', lineOf(file, 'title: [Nhiệm vụ, một]')],
      ['tasks[1].lead', lineOf(file, 'phong-khong-co')],
    ]);
    expect(issues[1]?.message).toBe('Cần tên nhiệm vụ (chuỗi chữ). Hãy sửa giá trị này.');
  });

  test('an unknown field is named at its key; a missing required field at its task', () => {
    const file = fixture('unknown-field.yaml');
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(2);
    const unknown = issues.find((i) => i.field === 'tasks[0].coordinator');
    expect(unknown).toMatchObject({ line: lineOf(file, 'coordinator: [mttq-tinh]'), column: 5 });
    expect(unknown?.message).toMatch(/"coordinator"/);
    const missing = issues.find((i) => i.field === 'tasks[1].title');
    expect(missing?.message).toMatch(/Thiếu trường bắt buộc "title"/);
    expect(missing?.line).toBe(lineOf(file, 'ref: "2"'));
  });

  test('directory errors are reported in the directory file, all at once', () => {
    const dirFile = fixture('bad-directory.yaml');
    const issues = captureIssues(() => loadPlanFile(fixture('uses-bad-directory.yaml')));
    expect(issues.every((i) => i.file === dirFile)).toBe(true);
    expect(issues.map((i) => i.field).sort()).toEqual([
      'agencies[1].id',
      'agencies[2].dissolved.successor',
      'groups[0].members[1]',
    ]);
  });

  test('loadDirectoryFile reports duplicate ids, unknown members and unknown successors with lines', () => {
    const dirFile = fixture('bad-directory.yaml');
    const issues = captureIssues(() => loadDirectoryFile(dirFile));
    const byField = new Map(issues.map((i) => [i.field, i]));
    expect(byField.get('agencies[1].id')?.line).toBe(lineOf(dirFile, 'id: so-tu-phap', 2));
    expect(byField.get('groups[0].members[1]')?.line).toBe(lineOf(dirFile, 'ubnd-huyen-khong-co'));
    expect(byField.get('agencies[2].dissolved.successor')?.message).toMatch(/"ubnd-xa-khong-co"/);
    expect(issues).toHaveLength(3);
  });

  test('period end before start is refused at period.end', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'plan.yaml', validPlanYaml({ period: '{ start: 2024-12-31, end: 2024-01-01 }' }));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'period.end', line: lineOf(file, 'period:') });
  });

  test('a missing directory file is named with what to do', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'plan.yaml', validPlanYaml().replace('./directory.yaml', './khong-co.yaml'));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.file).toBe(join(dir, 'khong-co.yaml'));
    expect(issues[0]?.message).toMatch(/Không tìm thấy tệp/);
  });
});

describe('loadPlanFile refuses files it cannot read safely', () => {
  test('a file larger than 2 MB is refused before parsing', () => {
    const dir = makeTempPlanDir();
    const padding = `# ${'x'.repeat(100)}\n`.repeat(Math.ceil((MAX_FILE_BYTES + 1) / 103));
    const file = writeIn(dir, 'big.yaml', validPlanYaml() + padding);
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/quá lớn.*tối đa 2 MB/);
  });

  test('UTF-16 (with BOM) is refused with advice to save as UTF-8', () => {
    const dir = makeTempPlanDir();
    const body = Buffer.from(validPlanYaml(), 'utf16le');
    const file = writeIn(dir, 'utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 1, field: '(tệp)' });
    expect(issues[0]?.message).toMatch(/UTF-16.*UTF-8/);
  });

  test('Latin-1 bytes are refused at the line where the first invalid byte sits', () => {
    const dir = makeTempPlanDir();
    const text = validPlanYaml().replace('Kế hoạch hợp lệ', 'Ke hoach \u00e9t\u00e9');
    const file = writeIn(dir, 'latin1.yaml', Buffer.from(text, 'latin1'));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.line).toBe(3);
    expect(issues[0]?.message).toMatch(/không phải mã UTF-8/);
  });

  test('a UTF-8 BOM is accepted and the plan loads', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(
      dir,
      'bom.yaml',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(validPlanYaml(), 'utf8')]),
    );
    expect(loadPlanFile(file).plan.title).toBe('Kế hoạch hợp lệ');
  });

  test('numeric-looking refs keep their written form (1.10 is not 1.1)', () => {
    const dir = makeTempPlanDir();
    const tasks = [
      '  - ref: 1.10',
      '    title: Mười',
      '    lead: so-tu-phap',
      '    timing: "Năm 2024"',
      '  - ref: 1.1',
      '    title: Một',
      '    lead: so-tu-phap',
      '    timing: "Năm 2024"',
    ].join('\n');
    const loaded = loadPlanFile(writeIn(dir, 'plan.yaml', validPlanYaml({ tasks })));
    expect(loaded.instances.map((i) => i.taskKey)).toEqual(['1.10', '1.1']);
  });
});

describe('a reporting duty to the plan’s own issuer', () => {
  const write = (to: string) =>
    writePlanFixture({
      id: 'tu-bao-cao',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      reportingDue: '12-15',
      reportingTo: to,
      tasks: [{ ref: '1', title: 'Tập huấn', lead: 'so-tu-phap', timing: { text: 'Quý I', due: '2026-03-31' } }],
    });

  test('loads, with a Vietnamese warning naming the file, the line, the field and the value', async () => {
    const { planPath } = write('ubnd-tinh');
    const loaded = await loadPlan(planPath);
    expect(loaded.plan.reportingDuties[0]?.to).toBe('ubnd-tinh');
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatchObject({
      file: planPath,
      field: 'reportingDuties[0].to',
      line: lineOf(planPath, 'reportingDuties:') + 1,
    });
    expect(loaded.warnings[0]?.message).toContain('"ubnd-tinh" (Ủy ban nhân dân tỉnh)');
    expect(loaded.warnings[0]?.message).toMatch(/chính là cơ quan ban hành kế hoạch \(issuer\): kế hoạch tự báo cáo/);
  });

  test('a duty to another agency loads without a warning', async () => {
    const loaded = await loadPlan(write('van-phong-ubnd').planPath);
    expect(loaded.warnings).toEqual([]);
  });
});
