import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadPlan, loadPlanFile, MAX_DEPTH, PlanValidationError } from '../../plans/load';
import { findPlanDateProblems } from '../../plans/plan-dates';
import { MAX_LENGTH } from '../../plans/schema';
import { BAD_PLANS, captureIssues, lineOf, makeTempPlanDir, validPlanYaml, writeIn } from './helpers';

const MONTHLY = ['reportingDuties:', '  - { id: thang, every: monthly, due: "01-31", to: so-tu-phap }'].join('\n');

/** A valid plan with extra top-level lines inserted before `tasks:`. */
function planWith(extra: string, overrides: Parameters<typeof validPlanYaml>[0] = {}): string {
  return validPlanYaml(overrides).replace('tasks:\n', `${extra}\ntasks:\n`);
}

describe('a reporting duty due written as a day of the month', () => {
  test('gets one error saying the MM-DD form, with a monthly example, not also "does not exist"', () => {
    const dir = makeTempPlanDir();
    const duty = ['reportingDuties:', '  - { id: thang, every: monthly, due: "20", to: so-tu-phap }'].join('\n');
    const file = writeIn(dir, 'plan.yaml', planWith(duty));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.map((i) => i.field)).toEqual(['reportingDuties[0].due']);
    expect(issues[0]?.message).toMatch(/MM-DD/);
    expect(issues[0]?.message).toMatch(/"01-20"/);
  });
});

describe('every date the plan implies is computed and bounded before anything starts (#17.4)', () => {
  test('period.end 9999-12-31 with a monthly duty is refused at period.end, naming the years allowed', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'plan.yaml', planWith(MONTHLY, { period: '{ start: 2024-01-01, end: 9999-12-31 }' }));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file, field: 'period.end', line: lineOf(file, 'period:') });
    expect(issues[0]?.message).toMatch(/2000–2100/);
  });

  test('period.start 0000-01-01 is refused at period.start', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'plan.yaml', validPlanYaml({ period: '{ start: 0000-01-01, end: 2024-12-31 }' }));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.map((i) => i.field)).toEqual(['period.start']);
    expect(issues[0]?.message).toMatch(/Năm phải trong khoảng 2000–2100/);
  });

  test('an explicit due in 2101 is refused at the task; 2100-12-31 with its ladder into 2101 loads', () => {
    const dir = makeTempPlanDir();
    const late = writeIn(
      dir,
      'late.yaml',
      validPlanYaml({
        period: '{ start: 2100-01-01, end: 2100-12-31 }',
        tasks: [
          '  - ref: "1"',
          '    title: Việc xa',
          '    lead: so-tu-phap',
          '    timing: { text: "Năm 2101", due: 2101-01-02 }',
        ].join('\n'),
      }).replace('issued: 2024-01-15', 'issued: 2100-01-01'),
    );
    const issues = captureIssues(() => loadPlanFile(late));
    expect(issues.map((i) => i.field)).toEqual(['tasks[0].timing.due']);
    const edge = writeIn(
      dir,
      'edge.yaml',
      validPlanYaml({
        period: '{ start: 2100-01-01, end: 2100-12-31 }',
        tasks: [
          '  - ref: "1"',
          '    title: Việc cuối kỳ',
          '    lead: so-tu-phap',
          '    timing: { text: "Cuối năm 2100", due: 2100-12-31 }',
        ].join('\n'),
      }).replace('issued: 2024-01-15', 'issued: 2100-01-01'),
    );
    const loaded = loadPlanFile(edge);
    expect(loaded.instances).toHaveLength(1);
  });

  test('the date check names the task whose timers cannot be computed (a due the calendar cannot handle)', () => {
    const dir = makeTempPlanDir();
    const loaded = loadPlanFile(writeIn(dir, 'plan.yaml', planWith(MONTHLY)));
    expect(findPlanDateProblems(loaded.plan, loaded.instances)).toEqual([]);
    const spec = loaded.instances[0]!;
    const broken = { ...spec, schedule: { ...spec.schedule, dues: ['2150-12-31'] } };
    const problems = findPlanDateProblems(loaded.plan, [broken]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toEqual(['tasks', 0, 'timing']);
    expect(problems[0]?.message).toMatch(/31\/12\/2150.*2000–2100/);
    const badZone = findPlanDateProblems({ ...loaded.plan, timeZone: 'Mars/Olympus' }, loaded.instances);
    expect(badZone.map((p) => p.path)).toEqual([['reportingDuties'], ['tasks', 0, 'timing']]);
  });

  test('an unknown time zone is refused at timeZone', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'plan.yaml', planWith('timeZone: Mars/Olympus'));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.map((i) => [i.field, i.line])).toEqual([['timeZone', lineOf(file, 'timeZone:')]]);
  });
});

describe('texts are bounded and cleaned (#17.4)', () => {
  test('a 20,000-character task title is refused at its line with the limit', () => {
    const dir = makeTempPlanDir();
    const long = 'Hòa giải '.repeat(2500);
    const file = writeIn(
      dir,
      'plan.yaml',
      validPlanYaml({
        tasks: ['  - ref: "1"', `    title: "${long}"`, '    lead: so-tu-phap', '    timing: "Năm 2024"'].join('\n'),
      }),
    );
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.map((i) => i.field)).toEqual(['tasks[0].title']);
    expect(issues[0]?.message).toContain(MAX_LENGTH.taskTitle.toLocaleString('vi-VN'));
    expect(issues[0]?.message.length).toBeLessThan(200);
  });

  test('bidi overrides and zero-width characters are removed from names and titles, each with a warning', () => {
    const dir = makeTempPlanDir();
    writeIn(
      dir,
      'directory.yaml',
      [
        'agencies:',
        '  - { id: ubnd-tinh, name: UBND tỉnh Mẫu, level: province }',
        '  - { id: so-tu-phap, name: "Sở Tư\u200B pháp", level: department }',
        '  - { id: mttq-tinh, name: Ủy ban MTTQ, level: organisation }',
        '',
      ].join('\n'),
    );
    const file = writeIn(
      dir,
      'plan.yaml',
      validPlanYaml({
        tasks: [
          '  - ref: "1"',
          '    title: "Nhiệm vụ \u202Egnôc\u202C một"',
          '    lead: so-tu-phap',
          '    timing: "Năm 2024"',
        ].join('\n'),
      }),
    );
    const loaded = loadPlanFile(file);
    expect(loaded.plan.tasks[0]?.title).toBe('Nhiệm vụ gnôc một');
    expect(loaded.instances[0]?.lead.name).toBe('Sở Tư pháp');
    expect(loaded.warnings.map((w) => [w.file.endsWith('plan.yaml') ? 'plan' : 'directory', w.field, w.line])).toEqual([
      ['plan', 'tasks[0].title', lineOf(file, 'title: "Nhiệm vụ')],
      ['directory', 'agencies[1].name', 3],
    ]);
    expect(loaded.warnings[0]?.message).toMatch(/Đã bỏ 2 ký tự vô hình/);
  });
});

describe('hostile YAML is an ordinary validation error naming the file (#17.4)', () => {
  test('an alias bomb', () => {
    const dir = makeTempPlanDir();
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const file = writeIn(dir, 'bomb.yaml', `${lines.join('\n')}\n`);
    const started = Date.now();
    const issues = captureIssues(() => loadPlanFile(file));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(issues).toEqual([
      expect.objectContaining({ file, field: '(tệp)', message: expect.stringMatching(/bí danh/) }),
    ]);
  });

  test('a document nested far deeper than a plan needs, in brackets and in indentation', () => {
    const dir = makeTempPlanDir();
    const brackets = writeIn(dir, 'brackets.yaml', `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(captureIssues(() => loadPlanFile(brackets))).toEqual([
      expect.objectContaining({ file: brackets, field: '(tệp)', message: expect.stringMatching(/lồng nhau quá sâu/) }),
    ]);
    const indented = writeIn(
      dir,
      'indented.yaml',
      Array.from({ length: MAX_DEPTH + 5 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n',
    );
    expect(captureIssues(() => loadPlanFile(indented))).toEqual([
      expect.objectContaining({ file: indented, field: '(tệp)', message: expect.stringMatching(/lồng nhau quá sâu/) }),
    ]);
  });

  test('the async loader (what import uses) refuses them the same way', async () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'deep.yaml', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`);
    await expect(loadPlan(file)).rejects.toBeInstanceOf(PlanValidationError);
  });
});

describe('a directory: path stays beside the plan file (#17.4)', () => {
  const secret = 'dong-bi-mat-khong-duoc-in-ra: 42';
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'dondoc-outside-'));
    writeFileSync(join(outside, 'directory.yaml'), `${secret}\n{ khong hop le\n`);
  });

  const refusedWith = (file: string): void => {
    const err = (() => {
      try {
        loadPlanFile(file);
      } catch (e) {
        return e as PlanValidationError;
      }
      throw new Error('loaded');
    })();
    expect(err.issues).toEqual([
      expect.objectContaining({
        file,
        field: 'directory',
        line: lineOf(file, 'directory:'),
        message: expect.stringMatching(/ngoài thư mục/),
      }),
    ]);
    expect(err.message).not.toContain('bi-mat');
  };

  test('a relative path climbing out with ..', () => {
    const dir = makeTempPlanDir();
    const rel = join('..', outside.split('/').pop()!, 'directory.yaml');
    refusedWith(writeIn(dir, 'plan.yaml', validPlanYaml().replace('./directory.yaml', rel)));
  });

  test('an absolute path elsewhere', () => {
    const dir = makeTempPlanDir();
    refusedWith(
      writeIn(dir, 'plan.yaml', validPlanYaml().replace('./directory.yaml', join(outside, 'directory.yaml'))),
    );
  });

  test('a symbolic link beside the plan that leads out', async () => {
    const dir = makeTempPlanDir();
    symlinkSync(join(outside, 'directory.yaml'), join(dir, 'link.yaml'));
    const file = writeIn(dir, 'plan.yaml', validPlanYaml().replace('./directory.yaml', './link.yaml'));
    refusedWith(file);
    await expect(loadPlan(file)).rejects.toBeInstanceOf(PlanValidationError);
  });

  test('a contact sheet the directory names must stay beside the directory too', async () => {
    const dir = makeTempPlanDir();
    writeFileSync(join(outside, 'lien-he.csv'), `ma,ten,vai tro,email\n${secret}\n`);
    const directory = join(dir, 'directory.yaml');
    writeFileSync(directory, `${readFileSync(directory, 'utf8')}contacts: ${join(outside, 'lien-he.csv')}\n`);
    const file = writeIn(dir, 'plan.yaml', validPlanYaml());
    const err = await loadPlan(file).then(
      () => undefined,
      (e: unknown) => e as PlanValidationError,
    );
    expect(err?.issues).toEqual([
      expect.objectContaining({
        file: directory,
        field: 'contacts',
        line: lineOf(directory, `contacts: ${outside}`),
        message: expect.stringMatching(/^Bảng liên hệ .* nằm ngoài thư mục của tệp danh bạ/),
      }),
    ]);
    expect(err?.message).not.toContain('bi-mat');
  });

  test('a sub-folder and an absolute path inside the plan folder are fine', () => {
    const dir = makeTempPlanDir();
    mkdirSync(join(dir, 'danh-ba'));
    writeFileSync(join(dir, 'danh-ba', 'd.yaml'), readFileSync(join(BAD_PLANS, 'directory.yaml')));
    expect(
      loadPlanFile(writeIn(dir, 'a.yaml', validPlanYaml().replace('./directory.yaml', 'danh-ba/d.yaml'))).instances,
    ).toHaveLength(1);
    expect(
      loadPlanFile(writeIn(dir, 'b.yaml', validPlanYaml().replace('./directory.yaml', join(dir, 'directory.yaml'))))
        .instances,
    ).toHaveLength(1);
  });
});

describe('errors a person can act on (#19.4)', () => {
  test('YAML syntax errors are in Vietnamese with line and column', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(dir, 'plan.yaml', validPlanYaml().replace('period: {', 'period: {{').concat('\tx: 1\n'));
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.length).toBeGreaterThanOrEqual(1);
    for (const i of issues) {
      expect(i).toMatchObject({ file, field: '(cú pháp)' });
      expect(i.message).toContain(`dòng ${i.line}, cột ${i.column}`);
      expect(i.message).not.toMatch(/\b(Missing|Unexpected|Implicit|expected|flow|collection|must|map)\b/);
    }
  });

  test('a schema error in a task does not hide the reference errors of the same task', () => {
    const dir = makeTempPlanDir();
    const file = writeIn(
      dir,
      'plan.yaml',
      validPlanYaml({
        tasks: [
          '  - ref: "1"',
          '    title: Nhiệm vụ một',
          '    lead: so-khong-co',
          '    coordinators: [mttq-tinh, phong-khong-co]',
          '    timing: 2024',
          '    signOff: [mttq-tinh]',
          '    reminderOffsets: ba',
        ].join('\n'),
      }),
    );
    const issues = captureIssues(() => loadPlanFile(file));
    expect(issues.map((i) => i.field)).toEqual([
      'tasks[0].lead',
      'tasks[0].coordinators[1]',
      'tasks[0].timing',
      'tasks[0].reminderOffsets',
    ]);
    expect(issues[0]?.message).toMatch(/"so-khong-co"/);
    expect(issues[1]?.message).toMatch(/"phong-khong-co"/);
  });
});
