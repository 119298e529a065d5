/**
 * Shared pieces of the fault tests: the compiled worker process, a small scenario of task instances whose every
 * notification goes to its own recipient (so each email carries one item and its subject is predictable), and
 * waiting helpers. Loopback only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { VN_CALENDAR_OVERRIDES, addDays, createCalendar, localDateOf } from '../../domain/calendar';
import type { ContactRole, TaskInstanceSpec } from '../../domain/types';
import { directoryFileSchema, type DirectoryFile } from '../../plans/schema';
import { startStoredPlan } from '../helpers/stored-plan';
import { digestWorkflowId } from '../../workflows/digest-workflow';
import type { TaskCore, TaskWorkflowInput } from '../../workflows/task-workflow';
import type { ReceivedMail } from '../mail/smtp-harness';

export const ROOT = path.resolve(__dirname, '../..');
export const WORKER_MAIN = path.join(ROOT, 'dist/workers/main.js');
export const LINK_SECRET = 'fault-test-secret-fault-test-secret-0123';
const TZ = 'Asia/Ho_Chi_Minh';

/** Builds dist/ when the worker entry point is missing (npm test builds it in scripts/setup.sh). */
export function ensureDist(): void {
  if (fs.existsSync(WORKER_MAIN)) return;
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the worker printed its start line (workflows bundled, polling). */
  ready: Promise<void>;
  /** Resolves with the exit signal or code. */
  exited: Promise<NodeJS.Signals | number | null>;
  output: () => string;
}

/** Starts `node dist/workers/main.js` against `address` on `taskQueue`. */
export function spawnWorker(opts: {
  address: string;
  taskQueue: string;
  dataDir: string;
  smtpUrl: string;
  extraEnv?: Record<string, string>;
}): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: opts.address,
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    DONDOC_DATA_DIR: opts.dataDir,
    DONDOC_SMTP_URL: opts.smtpUrl,
    DONDOC_LINK_SECRET: LINK_SECRET,
    DONDOC_DIGEST_WINDOW_MINUTES: '0',
    // One worker host in these tests: its file ledger is safe.
    DONDOC_SINGLE_HOST: 'true',
    ...opts.extraEnv,
  };
  const child = spawn(process.execPath, [WORKER_MAIN], { cwd: opts.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const onData = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    if (out.includes('dondoc worker: task queue')) markReady();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return { child, ready, exited, output: () => out };
}

/** Kills a worker process with SIGKILL (no graceful shutdown) and waits for it to be gone. */
export async function killWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await w.exited;
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The agencies of scenario task `i`: each notification of the task goes to a distinct address. */
export function scenarioAgencies(prefix: string, i: number) {
  const p = `${prefix}-${i}`;
  return {
    lead: {
      id: `${p}-lead`,
      name: `UBND xã thử ${i}`,
      focal: `lead-${p}@fault.example.gov.vn`,
      head: `head-${p}@fault.example.gov.vn`,
    },
    coord: { id: `${p}-coord`, name: `Ủy ban MTTQ thử ${i}`, focal: `coord-${p}@fault.example.gov.vn` },
    monitoring: { id: `${p}-mon`, name: `Sở Tư pháp thử ${i}`, focal: `mon-${p}@fault.example.gov.vn` },
    authority: { id: `${p}-auth`, name: `UBND tỉnh thử ${i}`, office: `auth-${p}@fault.example.gov.vn` },
  };
}

/** The scenario's agency directory (every address the scenario's emails go to). */
export function scenarioDirectory(prefix: string, tasks: number): DirectoryFile {
  const agencies: unknown[] = [];
  for (let i = 0; i < tasks; i++) {
    const a = scenarioAgencies(prefix, i);
    agencies.push(
      {
        id: a.lead.id,
        name: a.lead.name,
        level: 'commune',
        contacts: { focal: { email: a.lead.focal }, head: { email: a.lead.head } },
      },
      { id: a.coord.id, name: a.coord.name, level: 'organisation', contacts: { focal: { email: a.coord.focal } } },
      {
        id: a.monitoring.id,
        name: a.monitoring.name,
        level: 'department',
        contacts: { focal: { email: a.monitoring.focal } },
      },
      {
        id: a.authority.id,
        name: a.authority.name,
        level: 'province',
        contacts: { office: { email: a.authority.office } },
      },
    );
  }
  return directoryFileSchema.parse({ agencies });
}

/** A due date about 30 days back that is a working day, so the whole ladder (14 working days) lies in the past. */
export function pastWorkingDue(now: number): string {
  const cal = createCalendar(VN_CALENDAR_OVERRIDES);
  let d = addDays(localDateOf(now, TZ), -30);
  while (!cal.isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

/**
 * The input of scenario task `i`: a single deadline with only the due-day reminder, no overdue rhythm within a
 * year, and a three-level ladder. It starts as a task whose worker was away since 40 days (`core.since`): the
 * real alarm loop then fires, at once and in order, the due-day reminder (lead focal) and the three escalations
 * (lead head, monitoring focal, authority office): four real notifications to four distinct recipients.
 */
export function scenarioInput(planId: string, prefix: string, i: number, now: number): TaskWorkflowInput {
  const a = scenarioAgencies(prefix, i);
  const due = pastWorkingDue(now);
  const spec: TaskInstanceSpec = {
    workflowId: `dondoc:${planId}:${i + 1}:${a.lead.id}`,
    planId,
    planNumber: '7/KH-THU',
    planTitle: 'Kế hoạch thử lỗi',
    timeZone: TZ,
    taskKey: String(i + 1),
    taskRef: String(i + 1),
    title: `Nhiệm vụ thử lỗi số ${i + 1}`,
    lead: { id: a.lead.id, name: a.lead.name },
    coordinators: [{ id: a.coord.id, name: a.coord.name }],
    requiredSignOff: [a.coord.id],
    monitoring: { id: a.monitoring.id, name: a.monitoring.name },
    authority: { id: a.authority.id, name: a.authority.name },
    schedule: {
      text: `Hoàn thành trước ngày ${due}`,
      kind: 'deadline',
      due,
      dues: [due],
      recurrence: 'none',
      confident: true,
      reason: 'test',
    },
    reminderOffsets: [0],
    overdueEveryWorkingDays: 1000,
    ladder: [
      { level: 1, afterWorkingDays: 3, to: 'lead_head' },
      { level: 2, afterWorkingDays: 7, to: 'monitoring' },
      { level: 3, afterWorkingDays: 14, to: 'authority' },
    ],
    calendar: [...VN_CALENDAR_OVERRIDES],
    specHash: 'fault',
  };
  const core: TaskCore = {
    state: 'in_progress',
    resumeState: 'in_progress',
    cycle: 0,
    lead: spec.lead,
    due,
    originalDue: due,
    opensOn: null,
    since: now - 40 * 86_400_000,
    fired: [],
    deadlineHistory: [],
    confirmations: [],
    ladderLevelReached: 0,
    extensionsGranted: 0,
    targetValues: [],
    deliveryFailures: [],
    pastCycles: [],
    timeline: [],
  };
  return { spec, reminderHour: 8, core };
}

/** Starts scenario tasks (no search attributes needed: they are upserted by the workflow). */
export async function startScenario(
  client: Client,
  taskQueue: string,
  planId: string,
  prefix: string,
  tasks: number,
): Promise<string[]> {
  const now = Date.now();
  // The plan's workflow holds the scenario's directory, where every worker host reads the addresses from.
  await startStoredPlan(
    client,
    taskQueue,
    {
      id: planId,
      number: '1/KH-TEST',
      title: `Kịch bản ${prefix}`,
      issuer: scenarioAgencies(prefix, 0).authority.id,
      timeZone: TZ,
      period: { start: localDateOf(now, TZ), end: addDays(localDateOf(now, TZ), 365) },
      reportingDuties: [],
    },
    scenarioDirectory(prefix, tasks),
  );
  const ids: string[] = [];
  for (let i = 0; i < tasks; i++) {
    const input = scenarioInput(planId, prefix, i, now);
    await client.workflow.start('taskWorkflow', { taskQueue, workflowId: input.spec.workflowId, args: [input] });
    ids.push(input.spec.workflowId);
  }
  return ids;
}

/** Emails received for an address whose subject matches. */
export function mailsFor(received: ReceivedMail[], address: string, subject: RegExp): ReceivedMail[] {
  return received.filter((m) => m.envelopeTo.includes(address) && subject.test(m.parsed.subject ?? ''));
}

/** Message-IDs received more than once. */
export function duplicateMessageIds(received: ReceivedMail[]): string[] {
  const seen = new Map<string, number>();
  for (const m of received) seen.set(m.parsed.messageId ?? '', (seen.get(m.parsed.messageId ?? '') ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

/** The eight emails a scenario task yields, by address and subject: four alarms, then submit, confirm, accept. */
export function expectedMails(
  prefix: string,
  i: number,
): { address: string; subject: RegExp; after: 'alarms' | 'submit' | 'confirm' | 'accept' }[] {
  const a = scenarioAgencies(prefix, i);
  const task = `${i + 1} Nhiệm vụ thử lỗi số ${i + 1}`;
  return [
    { address: a.lead.focal, subject: new RegExp(`Đến hạn hôm nay: ${task}\\b`), after: 'alarms' },
    { address: a.lead.head, subject: new RegExp(`cấp 1: ${task}\\b`), after: 'alarms' },
    { address: a.monitoring.focal, subject: new RegExp(`cấp 2: ${task}\\b`), after: 'alarms' },
    { address: a.authority.office, subject: new RegExp(`cấp 3: ${task}\\b`), after: 'alarms' },
    { address: a.coord.focal, subject: new RegExp(`Đề nghị xác nhận: ${task}\\b`), after: 'submit' },
    { address: a.lead.focal, subject: new RegExp(`Đã nhận xác nhận: ${task}\\b`), after: 'confirm' },
    { address: a.monitoring.focal, subject: new RegExp(`Báo cáo hoàn thành: ${task}\\b`), after: 'confirm' },
    { address: a.lead.focal, subject: new RegExp(`Đã chấp nhận kết quả: ${task}\\b`), after: 'accept' },
  ];
}

/** Digest workflow ids a scenario task may have opened today (to terminate them after the test). */
export function scenarioDigestIds(prefix: string, i: number, taskQueue: string, now = Date.now()): string[] {
  const a = scenarioAgencies(prefix, i);
  const day = localDateOf(now, TZ);
  return [
    [a.lead.id, 'focal'],
    [a.lead.id, 'head'],
    [a.monitoring.id, 'focal'],
    [a.authority.id, 'office'],
    [a.coord.id, 'focal'],
  ].map(([agencyId, role]) => digestWorkflowId({ agencyId: agencyId!, role: role as ContactRole }, day, taskQueue));
}
