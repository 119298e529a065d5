import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertCliBuilt, runCli as run, startCliWorker, stopCliWorker, type CliWorker } from '../helpers/cli';
import { ROOT } from '../helpers/paths';
import { writePlanFixture } from '../helpers/plan-fixture';
import { terminateAll, uniqueId } from '../helpers/temporal';

let rig: CliWorker | undefined;
const started: string[] = [];
let temporalEnv: Record<string, string>;

beforeAll(async () => {
  assertCliBuilt();
  rig = await startCliWorker('cli');
  ({ temporalEnv } = rig);
});
afterAll(async () => {
  if (rig) await terminateAll(started.map((id) => rig!.env.client.workflow.getHandle(id)));
  await stopCliWorker(rig);
});

test('timing reads a deadline and prints the JSON contract', async () => {
  const r = await run(['timing', 'Hoàn thành trước ngày 30 tháng 9 năm 2019', '--json']);
  expect(r.code).toBe(0);
  const t = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(t).toMatchObject({
    kind: 'deadline',
    due: '2019-09-30',
    recurrence: 'none',
    effectiveDue: '2019-09-30',
    confident: true,
  });
  expect(Object.keys(t).sort()).toEqual([
    'confident',
    'due',
    'dues',
    'effectiveDue',
    'kind',
    'reason',
    'recurrence',
    'text',
  ]);
  const weekend = JSON.parse((await run(['timing', 'Quý II/2024', '--json'])).stdout) as Record<string, unknown>;
  expect(weekend).toMatchObject({ due: '2024-06-30', effectiveDue: '2024-07-01' }); // Sunday → Monday
  expect((await run(['timing', 'x', '--issued', '30/9/2019'])).code).toBe(2);
});

test('a bad setting stops the program with every problem listed and no secret shown', async () => {
  const r = await run(['status', 'x'], {
    TEMPORAL_ADDRESS: 'not-an-address',
    DONDOC_PORT: 'abc',
    DONDOC_TZ: 'Mars/Olympus',
    DONDOC_LINK_SECRET: 'short-secret-value',
  });
  expect(r.code).toBe(2);
  for (const name of ['TEMPORAL_ADDRESS', 'DONDOC_PORT', 'DONDOC_TZ', 'DONDOC_LINK_SECRET'])
    expect(r.stderr).toContain(name);
  expect(r.stderr).not.toContain('short-secret-value');
});

test('import, re-import, status and a refused action, as a script would use them', async () => {
  const planId = uniqueId('cli').toLowerCase();
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const due = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  const { planPath } = writePlanFixture({
    id: planId,
    periodStart: today,
    periodEnd: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
    tasks: [
      {
        ref: '1',
        title: 'Kiện toàn tổ hòa giải',
        lead: 'so-tu-phap',
        coordinators: ['mttq-tinh'],
        timing: { text: 'Trong quý', due },
      },
      {
        ref: '2',
        title: 'Tập huấn hòa giải viên',
        lead: 'so-noi-vu',
        timing: { text: 'Trong quý', due },
        signOff: 'none',
      },
    ],
  });
  const first = await run(['import', planPath, '--json'], temporalEnv);
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toMatchObject({ planId, started: 2, amended: 0, cancelled: 0 });
  started.push(`dondoc:${planId}:1:so-tu-phap`, `dondoc:${planId}:2:so-noi-vu`, `dondoc-plan:${planId}`);
  const again = await run(['import', planPath, '--json'], temporalEnv);
  expect(JSON.parse(again.stdout)).toMatchObject({ started: 0, unchanged: 2 });

  let rows: { workflowId: string; state: string }[] = [];
  for (let i = 0; i < 40 && rows.length < 2; i++) {
    rows = JSON.parse((await run(['status', planId, '--json'], temporalEnv)).stdout) as typeof rows;
    if (rows.length < 2) await new Promise((r) => setTimeout(r, 250));
  }
  expect(rows.map((r) => r.state)).toEqual(['in_progress', 'in_progress']);

  const wf = `dondoc:${planId}:1:so-tu-phap`;
  const refused = await run(['submit', wf, '--as', 'so-noi-vu', '--summary', 'Xong'], temporalEnv);
  expect(refused.code).toBe(3);
  expect(refused.stderr).toContain('Chỉ cơ quan chủ trì');
  const ok = await run(['submit', wf, '--as', 'so-tu-phap', '--summary', 'Đã kiện toàn 80 tổ'], temporalEnv);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('chờ cơ quan phối hợp xác nhận');
  const task = JSON.parse((await run(['task', wf, '--json'], temporalEnv)).stdout) as {
    state: string;
    submission: { summary: string };
  };
  expect(task.state).toBe('submitted');
  expect(task.submission.summary).toBe('Đã kiện toàn 80 tổ');
  expect((await run(['task', 'dondoc:khong-co:1:x'], temporalEnv)).code).toBe(4);
});

test('a malformed plan exits 2 with every error and its line', async () => {
  const { planPath } = writePlanFixture({
    id: uniqueId('bad').toLowerCase(),
    periodStart: '2027-01-01',
    periodEnd: '2026-01-01',
    tasks: [{ ref: '1', title: 'X', lead: 'khong-co', timing: 'Quý II/2027' }],
  });
  const r = await run(['import', planPath], temporalEnv);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('chưa nhập gì');
  expect(r.stderr).toMatch(/plan\.yaml:\d+:\d+ +tasks\[0\]\.lead/);
  expect(r.stderr).toMatch(/period/);
});

test('eval-reader prints the reader figures as JSON', async () => {
  const r = await run(['eval-reader', path.resolve(ROOT, '../shared/plans'), '--json']);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as { overall: Record<string, number>; files: { file: string }[] };
  expect(Object.keys(result.overall).sort()).toEqual([
    'coordinatorF1',
    'dueAccuracy',
    'goldTasks',
    'leadAccuracy',
    'matched',
    'readerTasks',
    'taskF1',
    'taskPrecision',
    'taskRecall',
  ]);
  for (const v of Object.values(result.overall)) expect(v).toBeGreaterThanOrEqual(0);
  expect(result.files).toHaveLength(5);
});

test('eval-reader takes several folders, and every plan yields tasks; a missing path is bad input', async () => {
  const r = await run([
    'eval-reader',
    path.resolve(ROOT, '../shared/plans'),
    path.resolve(ROOT, '../shared/plans/corpus'),
    '--json',
  ]);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as { files: { file: string; readerTasks: number }[] };
  expect(result.files.length).toBeGreaterThan(5);
  for (const f of result.files) expect([f.file, f.readerTasks > 0]).toEqual([f.file, true]);
  const missing = await run(['eval-reader', path.join(os.tmpdir(), 'khong-co-thu-muc-nay')]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('khong-co-thu-muc-nay');
});

test('draft refuses a format it cannot read, with exit code 2', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-draft-')), 'ke-hoach.doc');
  fs.writeFileSync(file, 'x');
  const r = await run(['draft', file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/\.docx, \.pdf/);
});
