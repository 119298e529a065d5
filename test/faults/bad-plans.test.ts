import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MAX_FILE_BYTES, PlanValidationError, type PlanIssue } from '../../plans/load';
import { importPlan, listPlanInstances } from '../../services/import-plan';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { connectDevServer, terminateAll, uniqueId } from '../helpers/temporal';

const CORPUS = path.resolve(__dirname, '../fixtures/bad-plans-corpus');

/** 1-based line of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  const i = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in ${file}`);
  return i + 1;
}

interface Case {
  name: string;
  planId: string;
  file: () => string;
  expect: (issues: PlanIssue[], file: string) => void;
}

let generated: string;
const genFile = (name: string, bytes: Buffer): string => {
  const file = path.join(generated, name);
  fs.writeFileSync(file, bytes);
  return file;
};
const header = (id: string): string =>
  [
    `id: ${id}`,
    'number: "1/KH-LOI"',
    'title: Kế hoạch thử mã hóa',
    'issuer: ubnd-tinh',
    'period: { start: 2025-01-01, end: 2025-12-31 }',
    'directory: ./directory.yaml',
    'monitoringAgency: so-tu-phap',
    'escalationAuthority: ubnd-tinh',
    'tasks:',
    '  - ref: "1"',
    '    title: Tổ chức hội nghị phổ biến',
    '    lead: so-tu-phap',
    '    timing: "Quý I năm 2025"',
    '',
  ].join('\n');

const CASES: Case[] = [
  {
    name: 'bad YAML: an unclosed flow map',
    planId: 'loi-cu-phap',
    file: () => path.join(CORPUS, 'bad-yaml.yaml'),
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: '(cú pháp)' });
      expect(issues[0]?.message).toMatch(/Lỗi cú pháp/);
      // The parser notices the missing "}" on the period line or the next one.
      expect([lineOf(file, 'period:'), lineOf(file, 'directory:')]).toContain(issues[0]?.line);
    },
  },
  {
    name: 'wrong types: a list as a title, a word as a number of days',
    planId: 'loi-sai-kieu',
    file: () => path.join(CORPUS, 'wrong-types.yaml'),
    expect: (issues, file) => {
      expect(issues.map((i) => [i.field, i.line])).toEqual([
        ['reminders.offsets[1]', lineOf(file, 'ba-ngay')],
        ['tasks[0].title', lineOf(file, '[Tổ chức, hội nghị]')],
      ]);
      expect(issues[0]?.message).toMatch(/số ngày làm việc/);
      expect(issues[1]?.message).toMatch(/tên nhiệm vụ/);
    },
  },
  {
    name: 'unknown agency as lead',
    planId: 'loi-co-quan-la',
    file: () => path.join(CORPUS, 'unknown-agency.yaml'),
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: 'tasks[0].lead', line: lineOf(file, 'so-khong-ton-tai') });
      expect(issues[0]?.message).toMatch(/"so-khong-ton-tai".*danh bạ/);
    },
  },
  {
    name: 'impossible date 2025-02-29',
    planId: 'loi-ngay-sai',
    file: () => path.join(CORPUS, 'impossible-date.yaml'),
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: 'tasks[0].timing.due', line: lineOf(file, 'due: 2025-02-29') });
      expect(issues[0]?.message).toMatch(/không tồn tại/);
    },
  },
  {
    name: 'duplicate task refs without ids',
    planId: 'loi-trung-so',
    file: () => path.join(CORPUS, 'duplicate-refs.yaml'),
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      const second = fs.readFileSync(file, 'utf8').split('\n').lastIndexOf('  - ref: "2.1"') + 1;
      expect(issues[0]).toMatchObject({ file, field: 'tasks[1].ref', line: second });
      expect(issues[0]?.message).toContain(`dòng ${lineOf(file, 'ref: "2.1"')}`);
      expect(issues[0]?.message).toMatch(/id/);
    },
  },
  {
    name: 'oversized file (generated, just over the limit)',
    planId: 'loi-qua-lon',
    file: () => {
      const base = header('loi-qua-lon');
      const padding = `# ${'đệm '.repeat(30)}\n`;
      const repeat = Math.ceil((MAX_FILE_BYTES + 1 - Buffer.byteLength(base)) / Buffer.byteLength(padding));
      return genFile('oversized.yaml', Buffer.from(base + padding.repeat(repeat)));
    },
    expect: (issues, file) => {
      expect(fs.statSync(file).size).toBeGreaterThan(MAX_FILE_BYTES);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: '(tệp)' });
      expect(issues[0]?.message).toMatch(/quá lớn.*tối đa 2 MB/);
    },
  },
  {
    name: 'wrong encoding: Latin-1 bytes (generated)',
    planId: 'loi-ma-latin1',
    file: () => {
      // "Tổ chức" cannot be Latin-1; write a Latin-1 "é" in the title of line 3 instead.
      const text = header('loi-ma-latin1').replace('title: Kế hoạch thử mã hóa', 'title: Ke hoach thu ma hoa café');
      return genFile(
        'latin1.yaml',
        Buffer.from(text.replace('Tổ chức hội nghị phổ biến', 'To chuc hoi nghi'), 'latin1'),
      );
    },
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: '(tệp)', line: lineOf(file, 'title: Ke hoach') });
      expect(issues[0]?.message).toMatch(/không phải mã UTF-8/);
    },
  },
  {
    name: 'wrong encoding: UTF-16 with a byte-order mark (generated)',
    planId: 'loi-ma-utf16',
    file: () =>
      genFile('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header('loi-ma-utf16'), 'utf16le')])),
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: '(tệp)', line: 1 });
      expect(issues[0]?.message).toMatch(/UTF-16.*UTF-8/);
    },
  },
  {
    name: 'period.end in the year 9999 with a monthly reporting duty (generated; it once started a task, then failed)',
    planId: 'loi-nam-9999',
    file: () =>
      genFile(
        'year-9999.yaml',
        Buffer.from(
          header('loi-nam-9999')
            .replace('period: { start: 2025-01-01, end: 2025-12-31 }', 'period: { start: 2025-01-01, end: 9999-12-31 }')
            .replace(
              'tasks:\n',
              'reportingDuties:\n  - { id: thang, every: monthly, due: "01-31", to: so-tu-phap }\ntasks:\n',
            ),
        ),
      ),
    expect: (issues, file) => {
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file, field: 'period.end', line: lineOf(file, 'period:') });
      expect(issues[0]?.message).toMatch(/2000–2100/);
    },
  },
  {
    name: 'period.start 0000-01-01 (generated)',
    planId: 'loi-nam-0',
    file: () =>
      genFile('year-0.yaml', Buffer.from(header('loi-nam-0').replace('start: 2025-01-01', 'start: 0000-01-01'))),
    expect: (issues, file) => {
      expect(issues.map((i) => [i.field, i.line])).toEqual([['period.start', lineOf(file, 'period:')]]);
    },
  },
  {
    name: 'a YAML alias bomb (generated)',
    planId: 'loi-bom-bi-danh',
    file: () => {
      const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 12; i++)
        lines.push(
          `l${i}: &l${i} [${Array(10)
            .fill(`*l${i - 1}`)
            .join(', ')}]`,
        );
      return genFile('alias-bomb.yaml', Buffer.from(`${header('loi-bom-bi-danh')}${lines.join('\n')}\n`));
    },
    expect: (issues, file) => {
      expect(issues).toEqual([
        expect.objectContaining({ file, field: '(tệp)', message: expect.stringMatching(/bí danh/) }),
      ]);
    },
  },
  {
    name: 'a directory outside the plan folder (generated); its lines are not printed',
    planId: 'loi-danh-ba-ngoai',
    file: () => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-foreign-'));
      fs.writeFileSync(path.join(outside, 'secret.yaml'), 'mat-khau-khong-in-ra: 1\n{ loi\n');
      return genFile(
        'foreign-directory.yaml',
        Buffer.from(header('loi-danh-ba-ngoai').replace('./directory.yaml', path.join(outside, 'secret.yaml'))),
      );
    },
    expect: (issues, file) => {
      expect(issues).toEqual([
        expect.objectContaining({ file, field: 'directory', message: expect.stringMatching(/ngoài thư mục/) }),
      ]);
      expect(JSON.stringify(issues)).not.toContain('mat-khau');
    },
  },
];

describe('malformed plans are refused by importPlan and start nothing', () => {
  let env: TestWorkflowEnvironment;
  let dataDir: string;
  const taskQueue = uniqueId('bad-plans');
  const opts = () => ({ client: env.client, taskQueue, dataDir, reminderHour: 8 });

  beforeAll(async () => {
    env = await connectDevServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-bad-plans-'));
    generated = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-bad-corpus-'));
    fs.copyFileSync(path.join(CORPUS, 'directory.yaml'), path.join(generated, 'directory.yaml'));
  });
  afterAll(async () => {
    await env?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(generated, { recursive: true, force: true });
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s: refused with file, line and field', async (_name, c) => {
    const file = c.file();
    const error = await importPlan(file, opts()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(PlanValidationError);
    const issues = (error as PlanValidationError).issues;
    c.expect(issues, file);
    for (const issue of issues) expect(issue.message).toBe(issue.message.normalize('NFC'));
    // The message a person sees names the file.
    expect((error as Error).message).toContain(path.basename(file));
    // Nothing written, nothing started (the plan workflow is looked up by id: strongly consistent).
    expect(fs.existsSync(path.join(dataDir, 'plans', `${c.planId}.json`))).toBe(false);
    await expect(env.client.workflow.getHandle(planWorkflowId(c.planId)).describe()).rejects.toThrow(/not found/i);
  });

  test('the year-9999 plan leaves the number of workflows on the server unchanged', async () => {
    const year9999 = CASES.find((c) => c.planId === 'loi-nam-9999')!;
    const count = async (): Promise<number> => (await env.client.workflow.count()).count;
    const before = await count();
    await expect(importPlan(year9999.file(), opts())).rejects.toBeInstanceOf(PlanValidationError);
    // A start would be visible well within this wait on the dev server (the control test below waits the same way).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count()).toBe(before);
  });

  test('visibility lists no instance of any refused plan, while a valid control plan is listed', async () => {
    const control = await importPlan(path.join(CORPUS, 'valid-control.yaml'), opts());
    expect(control.started).toBe(1);
    try {
      const deadline = Date.now() + 20_000;
      let listed = await listPlanInstances(env.client, control.planId);
      while (listed.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        listed = await listPlanInstances(env.client, control.planId);
      }
      expect(listed).toHaveLength(1);
      // Visibility has caught up with a start made after every refused import: none of them started anything.
      for (const c of CASES) expect(await listPlanInstances(env.client, c.planId)).toEqual([]);
    } finally {
      const ids = [...control.diff.start.map((s) => s.workflowId), planWorkflowId(control.planId)];
      await terminateAll(ids.map((id) => env.client.workflow.getHandle(id)));
    }
  });
});
