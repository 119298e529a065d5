import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import stringWidth from 'string-width';
import { addDays, createCalendar, localDateOf } from '../../domain/calendar';
import { formatDate, formatInstant } from '../../domain/format';
import type { TaskSnapshot } from '../../domain/types';
import { getShippedCalendar } from '../../plans/calendar-data';
import { labelReportingStatus } from '../../reports/labels';
import { PlanStore } from '../../services/plan-store';
import { listPlanInstances } from '../../services/import-plan';
import { planWorkflowId } from '../../workflows/plan-workflow';
import {
  CLI_BIN,
  assertCliBuilt,
  cliEnv,
  runCli as run,
  shellQuote,
  startCliWorker,
  stopCliWorker,
  type CliRun as Run,
  type CliWorker,
} from '../helpers/cli';
import { writePlanFixture, type FixtureTask } from '../helpers/plan-fixture';
import { terminateAll, uniqueId } from '../helpers/temporal';

const ZONE = 'Asia/Ho_Chi_Minh';

/** The CLI writing into a real pipe whose reader stops early: the CLI's own exit status and its stderr. */
function runIntoPipe(args: string[], reader: string, env: Record<string, string>): Promise<Run> {
  const quoted = shellQuote([process.execPath, CLI_BIN, ...args]);
  const errFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-pipe-')), 'stderr');
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `${quoted} 2>'${errFile}' | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}"`],
      { cwd: os.tmpdir(), env: cliEnv(env), timeout: 60_000 },
      (_err, stdout) => resolve({ code: Number(stdout.trim()), stdout, stderr: fs.readFileSync(errFile, 'utf8') }),
    );
  });
}

let rig: CliWorker | undefined;
let env: TestWorkflowEnvironment;
const started: string[] = [];
let temporalEnv: Record<string, string>;

beforeAll(async () => {
  assertCliBuilt();
  rig = await startCliWorker('cli-officer');
  ({ env, temporalEnv } = rig);
});
afterAll(async () => {
  if (rig) await terminateAll(started.map((id) => rig!.env.client.workflow.getHandle(id)));
  await stopCliWorker(rig);
});

const today = (): string => localDateOf(Date.now(), ZONE);

/** A plan whose first task is overdue (its deadline 20 days ago) and whose second is due in 40 days. */
function overduePlan(planId: string, tasks?: FixtureTask[], dir?: string): { planPath: string; dir: string } {
  return writePlanFixture({
    id: planId,
    periodStart: addDays(today(), -60),
    periodEnd: addDays(today(), 300),
    ...(dir ? { dir } : {}),
    tasks: tasks ?? [
      {
        ref: '1',
        title: 'Kiện toàn tổ hòa giải ở cơ sở',
        lead: 'so-tu-phap',
        timing: { text: 'Trong quý', due: addDays(today(), -20) },
        signOff: 'none',
      },
      {
        ref: '2',
        title: 'Tập huấn hòa giải viên',
        lead: 'so-noi-vu',
        timing: { text: 'Trong quý', due: addDays(today(), 40) },
        signOff: 'none',
      },
    ],
  });
}

/** Polls `status --json` until `n` rows are listed (visibility is eventually consistent). */
async function waitForRows(
  planId: string,
  n: number,
  until?: (rows: { status: string; state: string }[]) => boolean,
): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const r = await run(['status', planId, '--json'], temporalEnv);
    const rows = r.code === 0 ? (JSON.parse(r.stdout) as { status: string; state: string }[]) : [];
    if (rows.length === n && (!until || until(rows))) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`status of ${planId} never listed ${n} rows`);
}

test('bad dates on the command line exit 2 saying what is wrong, before connecting to anything', async () => {
  const r = await run(['report', 'khong-co', '--as-of', '2026-13-45']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--as-of');
  expect(r.stderr).toContain('2026-13-45');
  expect(r.stderr).toMatch(/không có tháng 13/);
  const feb = await run(['timing', 'Quý II/2024', '--issued', '2024-02-30']);
  expect(feb.code).toBe(2);
  expect(feb.stderr).toMatch(/--issued.*2024-02-30.*không có trong lịch/);
  const status = await run(['status', 'khong-co', '--status', 'qua-han']);
  expect(status.code).toBe(2);
  expect(status.stderr).toContain('in_progress_overdue');
  const year = await run(['report', 'khong-co', '--as-of', '0000-01-01']);
  expect(year.code).toBe(2);
  expect(year.stderr).toMatch(/2000–2100/);
});

test('a plan ending in 9999 with a monthly duty exits 2 and starts nothing; an alias bomb exits 2 naming the file', async () => {
  const planId = uniqueId('y9999').toLowerCase();
  const { planPath, dir } = writePlanFixture({
    id: planId,
    periodStart: '2026-01-01',
    periodEnd: '9999-12-31',
    tasks: [
      { ref: '1', title: 'Báo cáo hằng tháng', lead: 'so-tu-phap', timing: { text: 'Trong năm', due: '2026-12-31' } },
    ],
  });
  fs.writeFileSync(
    planPath,
    fs
      .readFileSync(planPath, 'utf8')
      .replace(
        'tasks:\n',
        'reportingDuties:\n  - { id: thang, every: monthly, due: "01-31", to: van-phong-ubnd }\ntasks:\n',
      ),
  );
  const before = (await env.client.workflow.count()).count;
  const r = await run(['import', planPath], temporalEnv);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/plan\.yaml:\d+:\d+ +period\.end +Năm phải trong khoảng 2000–2100/);
  expect(r.stderr).toContain('chưa nhập gì');
  await new Promise((res) => setTimeout(res, 1500));
  expect((await env.client.workflow.count()).count).toBe(before);
  await expect(env.client.workflow.getHandle(planWorkflowId(planId)).describe()).rejects.toThrow(/not found/i);

  const bomb = path.join(dir, 'bom.yaml');
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++)
    lines.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  fs.writeFileSync(bomb, `${lines.join('\n')}\n`);
  const b = await run(['import', bomb], temporalEnv);
  expect(b.code).toBe(2);
  expect(b.stderr).toContain(bomb);
  expect(b.stderr).toMatch(/bí danh/);
});

test('import --dry-run prints the difference per task and starts nothing; after an amendment it names each kind', async () => {
  const planId = uniqueId('dry').toLowerCase();
  const { planPath, dir } = overduePlan(planId);
  started.push(
    planWorkflowId(planId),
    `dondoc:${planId}:1:so-tu-phap`,
    `dondoc:${planId}:2:so-noi-vu`,
    `dondoc:${planId}:3:mttq-tinh`,
  );

  const before = (await env.client.workflow.count()).count;
  const dry = await run(['import', planPath, '--dry-run'], temporalEnv);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('chưa áp dụng gì');
  expect(dry.stdout).toContain(
    `+ Bắt đầu  1 Kiện toàn tổ hòa giải ở cơ sở — Sở Tư pháp (dondoc:${planId}:1:so-tu-phap)`,
  );
  expect(dry.stdout).toContain(`(dondoc:${planId}:2:so-noi-vu)`);
  await expect(env.client.workflow.getHandle(planWorkflowId(planId)).describe()).rejects.toThrow(/not found/i);
  await expect(env.client.workflow.getHandle(`dondoc:${planId}:1:so-tu-phap`).describe()).rejects.toThrow(/not found/i);
  await new Promise((res) => setTimeout(res, 1000));
  expect((await env.client.workflow.count()).count).toBe(before);

  expect((await run(['import', planPath], temporalEnv)).code).toBe(0);
  await waitForRows(planId, 2);

  // The amended plan: task 1 gets a new deadline, task 2 leaves the plan, task 3 is new.
  overduePlan(
    planId,
    [
      {
        ref: '1',
        title: 'Kiện toàn tổ hòa giải ở cơ sở',
        lead: 'so-tu-phap',
        timing: { text: 'Trong quý', due: addDays(today(), 10) },
        signOff: 'none',
      },
      {
        ref: '3',
        title: 'Sơ kết công tác hòa giải',
        lead: 'mttq-tinh',
        timing: { text: 'Cuối năm', due: addDays(today(), 90) },
        signOff: 'none',
      },
    ],
    dir,
  );
  const json = await run(['import', planPath, '--dry-run', '--json'], temporalEnv);
  expect(json.code).toBe(0);
  const preview = JSON.parse(json.stdout) as {
    dryRun: boolean;
    start: number;
    amend: number;
    cancel: number;
    tasks: { workflowId: string; action: string }[];
  };
  expect(preview).toMatchObject({ dryRun: true, start: 1, amend: 1, cancel: 1, unchanged: 0 });
  expect(preview.tasks.map((t) => [t.workflowId, t.action])).toEqual([
    [`dondoc:${planId}:3:mttq-tinh`, 'start'],
    [`dondoc:${planId}:1:so-tu-phap`, 'amend'],
    [`dondoc:${planId}:2:so-noi-vu`, 'cancel'],
  ]);
  const text = await run(['import', planPath, '--dry-run'], temporalEnv);
  expect(text.stdout).toMatch(/~ Điều chỉnh {2}1 .*\n {4}Hạn hoàn thành: /);
  expect(text.stdout).toContain(`- Hủy  dondoc:${planId}:2:so-noi-vu`);
  // Still nothing applied: task 2 runs, task 3 does not exist, task 1 keeps its deadline.
  expect((await env.client.workflow.getHandle(`dondoc:${planId}:2:so-noi-vu`).describe()).status.name).toBe('RUNNING');
  await expect(env.client.workflow.getHandle(`dondoc:${planId}:3:mttq-tinh`).describe()).rejects.toThrow(/not found/i);
  const task1 = JSON.parse(
    (await run(['task', `dondoc:${planId}:1:so-tu-phap`, '--json'], temporalEnv)).stdout,
  ) as TaskSnapshot;
  expect(task1.due).toBe(addDays(today(), -20));
});

test('status: reporting status and working days overdue in aligned columns; a closed pipe stops it quietly', async () => {
  const planId = uniqueId('status').toLowerCase();
  const { planPath } = overduePlan(planId);
  started.push(planWorkflowId(planId), `dondoc:${planId}:1:so-tu-phap`, `dondoc:${planId}:2:so-noi-vu`);
  expect((await run(['import', planPath], temporalEnv)).code).toBe(0);
  await waitForRows(planId, 2, (rows) => rows.some((r) => r.status === 'in_progress_overdue'));

  const r = await run(['status', planId], temporalEnv);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('ngày làm việc');
  const cal = createCalendar(getShippedCalendar());
  const snap = JSON.parse(
    (await run(['task', `dondoc:${planId}:1:so-tu-phap`, '--json'], temporalEnv)).stdout,
  ) as TaskSnapshot;
  const late = cal.workingDaysBetween(snap.effectiveDue!, today());
  expect(late).toBeGreaterThan(5);
  const lines = r.stdout.split('\n');
  const row1 = lines.find((l) => l.includes(`dondoc:${planId}:1:so-tu-phap`))!;
  const cells = row1.split('│').map((c) => c.trim());
  expect(cells).toEqual(
    expect.arrayContaining([
      '1',
      formatDate(snap.effectiveDue!),
      labelReportingStatus('in_progress_overdue'),
      String(late),
      'Sở Tư pháp',
    ]),
  );
  const row2 = lines.find((l) => l.includes(`dondoc:${planId}:2:so-noi-vu`))!;
  expect(row2.split('│').map((c) => c.trim())).toContain(labelReportingStatus('in_progress_within_deadline'));
  // Overdue first.
  expect(lines.indexOf(row1)).toBeLessThan(lines.indexOf(row2));
  // Every line of each table has the same display width: the columns line up, Vietnamese included.
  const tableLines = lines.filter((l) => /^[┌│├└]/.test(l));
  expect(tableLines.length).toBeGreaterThan(6);
  const widths = new Set(
    tableLines.filter((l) => l.includes('Mã theo dõi') || l.includes('dondoc:')).map((l) => stringWidth(l)),
  );
  expect(widths.size).toBe(1);

  for (const reader of ['true', 'head -n 1']) {
    const piped = await runIntoPipe(['status', planId], reader, temporalEnv);
    expect([reader, piped.code, piped.stderr]).toEqual([reader, 0, '']);
  }
});

test('task prints its timeline on the plan clock and in words, as the board does', async () => {
  const planId = uniqueId('clock').toLowerCase();
  const { planPath } = overduePlan(planId);
  started.push(planWorkflowId(planId), `dondoc:${planId}:1:so-tu-phap`, `dondoc:${planId}:2:so-noi-vu`);
  expect((await run(['import', planPath], temporalEnv)).code).toBe(0);
  const wf = `dondoc:${planId}:2:so-noi-vu`;
  expect(
    (await run(['submit', wf, '--as', 'so-noi-vu', '--summary', 'Đã tập huấn 120 hòa giải viên'], temporalEnv)).code,
  ).toBe(0);
  const snap = JSON.parse((await run(['task', wf, '--json'], temporalEnv)).stdout) as TaskSnapshot;
  const submitted = snap.timeline.find((t) => t.action === 'submit')!;
  const r = await run(['task', wf], temporalEnv);
  expect(r.code).toBe(0);
  // The action in words, as the board's timeline says it, not its code.
  expect(r.stdout).toContain(`${formatInstant(submitted.at, ZONE)}  Sở Nội vụ  Báo cáo kết quả — Đã tập huấn`);
  expect(r.stdout).not.toMatch(/ {2}submit\b/);
  expect(r.stdout).toContain(ZONE);
  expect(r.stdout).not.toContain(submitted.at);
  expect(r.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
});

test('plan withdraw cancels every open instance with the reason, keeps done ones, and the plan leaves the board', async () => {
  const planId = uniqueId('withdraw').toLowerCase();
  const { planPath } = overduePlan(planId);
  const wf1 = `dondoc:${planId}:1:so-tu-phap`;
  const wf2 = `dondoc:${planId}:2:so-noi-vu`;
  started.push(planWorkflowId(planId), wf1, wf2);

  const missingReason = await run(['plan', 'withdraw', planId], temporalEnv);
  expect(missingReason.code).toBe(2);
  expect(missingReason.stderr).toContain('--reason');
  expect((await run(['plan', 'withdraw', planId, '--reason', '  '], temporalEnv)).code).toBe(2);
  const tooLong = await run(['plan', 'withdraw', planId, '--reason', 'x'.repeat(4001)], temporalEnv);
  expect([tooLong.code, tooLong.stderr]).toEqual([2, expect.stringMatching(/--reason: lý do dài quá 4\.000 ký tự/)]);
  const unknown = await run(['plan', 'withdraw', planId, '--reason', 'Nhập nhầm'], temporalEnv);
  expect(unknown.code).toBe(4);
  expect(unknown.stderr).toContain(planId);

  expect((await run(['import', planPath], temporalEnv)).code).toBe(0);
  // Task 2 is done before the plan is withdrawn: it must stay accepted.
  expect((await run(['submit', wf2, '--as', 'so-noi-vu', '--summary', 'Đã tập huấn'], temporalEnv)).code).toBe(0);
  const accepted = await run(['accept', wf2, '--as', 'van-phong-ubnd'], temporalEnv);
  expect([accepted.code, accepted.stderr]).toEqual([0, '']);
  await waitForRows(planId, 2, (rows) => rows.some((r) => r.state === 'accepted'));
  const plans = new PlanStore(env.client, { ttlMs: 0 });
  expect((await plans.list()).map((p) => p.id)).toContain(planId);

  const reason = 'Kế hoạch nhập nhầm bản dự thảo';
  const r = await run(['plan', 'withdraw', planId, '--reason', reason, '--json'], temporalEnv);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ planId, cancelled: 1, untouched: 1, reason });

  const snap1 = JSON.parse((await run(['task', wf1, '--json'], temporalEnv)).stdout) as TaskSnapshot;
  expect(snap1.state).toBe('cancelled');
  expect(snap1.timeline.at(-1)).toMatchObject({
    action: 'cancel',
    state: 'cancelled',
    note: expect.stringContaining(reason),
  });
  const snap2 = JSON.parse((await run(['task', wf2, '--json'], temporalEnv)).stdout) as TaskSnapshot;
  expect(snap2.state).toBe('accepted');

  const record = await plans.get(planId);
  expect(record?.withdrawn?.reason).toBe(reason);
  let listed = true;
  for (let i = 0; i < 80 && listed; i++) {
    listed = (await plans.list()).some((p) => p.id === planId);
    if (listed) await new Promise((res) => setTimeout(res, 250));
  }
  expect(listed).toBe(false);
  // Visibility agrees: nothing of the plan is open any more.
  let open = 1;
  for (let i = 0; i < 80 && open > 0; i++) {
    open = (await listPlanInstances(env.client, planId)).filter(
      (l) => l.state !== 'accepted' && l.state !== 'cancelled',
    ).length;
    if (open > 0) await new Promise((res) => setTimeout(res, 250));
  }
  expect(open).toBe(0);
});

test('import and import --dry-run warn, in Vietnamese, of a reporting duty to the plan’s own issuer, and exit 0', async () => {
  const planId = uniqueId('self-report').toLowerCase();
  const { planPath } = writePlanFixture({
    id: planId,
    periodStart: addDays(today(), -10),
    periodEnd: addDays(today(), 300),
    reportingDue: '12-15',
    reportingTo: 'ubnd-tinh',
    tasks: [
      {
        ref: '1',
        title: 'Tập huấn hòa giải viên',
        lead: 'so-tu-phap',
        timing: { text: 'Trong quý', due: addDays(today(), 40) },
        signOff: 'none',
      },
    ],
  });
  started.push(planWorkflowId(planId), `dondoc:${planId}:1:so-tu-phap`);
  const line = fs
    .readFileSync(planPath, 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith('reportingDuties:'));
  const warning = new RegExp(
    `^Cảnh báo: ${planPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line + 2}:\\d+ +reportingDuties\\[0\\]\\.to +` +
      'Nhiệm vụ báo cáo "yearly" gửi tới "ubnd-tinh" \\(Ủy ban nhân dân tỉnh\\), chính là cơ quan ban hành kế hoạch',
    'm',
  );
  const dry = await run(['import', planPath, '--dry-run'], temporalEnv);
  expect([dry.code, dry.stderr]).toEqual([0, expect.stringMatching(warning)]);
  expect(dry.stdout).toContain('chưa áp dụng gì');
  const real = await run(['import', planPath], temporalEnv);
  expect([real.code, real.stderr]).toEqual([0, expect.stringMatching(warning)]);
});
