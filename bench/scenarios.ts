/**
 * The benchmark's timed scenarios after the import: raw and real wake-ups, reminders on the announced minute end
 * to end, and actions in open loop against the raw update. See bench/README.md for what each figure means.
 */
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { DondocConfig } from '../config';
import { createCalendar, instantOfLocal, localDateOf } from '../domain/calendar';
import type { DeliverySchedule } from '../domain/lifecycle/delivery';
import type { TaskInstanceSpec } from '../domain/types';
import { getShippedCalendar } from '../plans/calendar-data';
import { createLinkSigner } from '../security/links';
import { actOnTask } from '../services/tasks';
import { buildWebApp } from '../web/app';
import type { TaskWorkflowInput } from '../workflows/task-workflow';
import { poissonArrivals, runOpenLoop } from './open-loop';
import type { SmtpSink } from './smtp-sink';
import { runPool, summarize, type Summary } from './stats';
import { SYNTHETIC } from './synthetic-plan';
import { benchNoopUpdate } from './definitions';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret!';

export const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

export interface ScenarioOptions {
  concurrency: number;
  /** Preparation window of the announced-delivery scenario (minutes); undefined: from N. */
  prepareMinutes?: number;
  actionRates: number[];
  actionSeconds: number;
  actionsVia: 'web' | 'service';
  /** How many empty workflows take the raw updates. */
  rawUpdateWorkflows: number;
}

interface WakeContext {
  client: Client;
  taskQueue: string;
  tag: string;
  worker: Worker;
  /** Time to start N workflows and let the worker take them up, from the import's figures. */
  startBudgetMs: number;
  /** Workflow id → when its enqueueNotifications ran (filled by the benchmark's activity wrapper). */
  ran: Map<string, number>;
}

/** Resolves once the worker has had no workflow activation or activity in flight for `quietMs`, or after `timeoutMs`. */
export async function waitForWorkerQuiet(worker: Worker, quietMs: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let idleSince = Date.now();
  while (Date.now() < deadline) {
    const s = worker.getStatus();
    if (s.numInFlightWorkflowActivations > 0 || s.numInFlightActivities > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= quietMs) return true;
    await sleep(100);
  }
  return false;
}

/** Waits until every id has run (or `timeoutMs`), then returns N / seconds from `instant` to the last one. */
async function throughputFrom(
  ids: string[],
  ran: Map<string, number>,
  instant: number,
  timeoutMs: number,
): Promise<{ perSec: number; done: number; lastMs: number }> {
  // The timeout counts from the instant: the caller may come here well before it.
  const deadline = Math.max(Date.now(), instant) + timeoutMs;
  const done = (): number => ids.filter((id) => ran.has(id)).length;
  while (done() < ids.length && Date.now() < deadline) await sleep(250);
  // Over the wake-ups that ran: an instance taken up after the instant has no reminder to run (logged).
  const times = ids.flatMap((id) => (ran.has(id) ? [ran.get(id)!] : []));
  const lastMs = Math.max(0, ...times) - instant;
  return { perSec: times.length / (Math.max(1, lastMs) / 1000), done: times.length, lastMs };
}

async function terminate(client: Client, ids: string[], concurrency: number): Promise<void> {
  await runPool(ids, concurrency, async (id) => {
    await client.workflow
      .getHandle(id)
      .terminate('benchmark finished')
      .catch(() => undefined);
  });
}

/** Temporal's raw wake-up: N empty workflows whose timer fires at one instant, each running one no-op local activity. */
export async function measureRawWake(n: number, opts: ScenarioOptions, ctx: WakeContext): Promise<{ perSec: number }> {
  const wakeAt = Math.ceil((Date.now() + ctx.startBudgetMs) / 1000) * 1000;
  const ids = Array.from({ length: n }, (_, i) => `bench-wake-${ctx.tag}-${i}`);
  await runPool(ids, opts.concurrency, async (workflowId) => {
    await ctx.client.workflow.start('benchWakeWorkflow', { taskQueue: ctx.taskQueue, workflowId, args: [{ wakeAt }] });
  });
  if (!(await waitForWorkerQuiet(ctx.worker, 3_000, wakeAt - Date.now())))
    log('raw wake-ups: the worker was still busy at the instant: some may not have been taken up');
  const r = await throughputFrom(ids, ctx.ran, wakeAt, Math.max(120_000, n * 60));
  log(`N=${n}: raw wake-ups ${r.done}/${n} in ${round(r.lastMs / 1000)} s: ${round(r.perSec)}/s`);
  return { perSec: r.perSec };
}

/**
 * A local day, minute and zone for the reminders: the announced minute at or after `earliest + prepare window`,
 * on a working day of the shipped calendar, with the whole window after the local midnight of that day.
 */
function findSlot(
  earliest: number,
  prepareMinutes: number,
): { deliverAt: number; timeZone: string; day: string; minuteOfDay: number } {
  const calendar = createCalendar(getShippedCalendar());
  const zones = [
    'Asia/Ho_Chi_Minh',
    'Asia/Kolkata',
    'Europe/London',
    'America/New_York',
    'Pacific/Auckland',
    'Asia/Tokyo',
  ];
  for (let extraMinutes = 0; extraMinutes < 3 * 24 * 60; extraMinutes += 30) {
    const deliverAt = Math.ceil((earliest + (prepareMinutes + extraMinutes) * 60_000) / 60_000) * 60_000;
    for (const timeZone of zones) {
      const day = localDateOf(deliverAt, timeZone);
      if (!calendar.isWorkingDay(day)) continue;
      if (localDateOf(deliverAt - prepareMinutes * 60_000, timeZone) !== day) continue;
      return {
        deliverAt,
        timeZone,
        day,
        minuteOfDay: Math.round((deliverAt - instantOfLocal(day, 0, 0, timeZone)) / 60_000),
      };
    }
  }
  throw new Error('no working day within three days in any of the benchmark zones');
}

/** A task instance of the synthetic plan due `due` with only the due-day reminder, led by commune `i % communes`. */
function reminderSpec(
  workflowId: string,
  planId: string,
  due: string,
  timeZone: string,
  lead: number,
): TaskInstanceSpec {
  return {
    workflowId,
    planId,
    planNumber: '1/KH-BENCH',
    planTitle: 'Kế hoạch thử tải',
    timeZone,
    taskKey: workflowId,
    taskRef: '1',
    title: 'Nhiệm vụ thử tải nhắc hạn',
    lead: { id: SYNTHETIC.commune(lead), name: `UBND xã số ${lead} (thử tải)` },
    coordinators: [],
    requiredSignOff: [],
    monitoring: { id: SYNTHETIC.monitoring, name: 'Sở Tư pháp (thử tải)' },
    authority: { id: SYNTHETIC.authority, name: 'UBND tỉnh (thử tải)' },
    schedule: {
      text: `Trong ngày ${due}`,
      kind: 'deadline',
      due,
      dues: [due],
      recurrence: 'none',
      confident: true,
      reason: 'bench',
    },
    reminderOffsets: [0],
    overdueEveryWorkingDays: 1000,
    ladder: [],
    calendar: getShippedCalendar(),
    specHash: 'bench',
  };
}

async function startReminderTasks(
  ids: string[],
  ctx: WakeContext & { planId: string },
  slot: { timeZone: string; day: string },
  delivery: DeliverySchedule,
  concurrency: number,
): Promise<void> {
  const communes = Math.max(1, Math.ceil(ids.length / 10));
  await runPool(ids, concurrency, async (workflowId, i) => {
    const input: TaskWorkflowInput = {
      spec: reminderSpec(workflowId, ctx.planId, slot.day, slot.timeZone, i % communes),
      reminderHour: Math.floor(delivery.minuteOfDay / 60),
      delivery,
    };
    await ctx.client.workflow.start('taskWorkflow', { taskQueue: ctx.taskQueue, workflowId, args: [input] });
  });
}

/** Our wake-up: N real task workflows whose due-day reminder is prepared at one instant (window 0). */
export async function measureTaskWake(
  n: number,
  opts: ScenarioOptions,
  ctx: WakeContext & { planId: string },
): Promise<{ perSec: number }> {
  const slot = findSlot(Date.now() + ctx.startBudgetMs, 0);
  const ids = Array.from({ length: n }, (_, i) => `bench-burst-${ctx.tag}-${i}`);
  await startReminderTasks(
    ids,
    ctx,
    slot,
    { minuteOfDay: slot.minuteOfDay, prepareMinutes: 0, midnightSpreadMinutes: 0 },
    opts.concurrency,
  );
  // An instance taken up after its instant has no reminder that day (alarms before its start are history).
  if (!(await waitForWorkerQuiet(ctx.worker, 3_000, slot.deliverAt - Date.now())))
    log('our wake-ups: the worker was still busy at the instant: instances taken up after it have no reminder');
  const r = await throughputFrom(ids, ctx.ran, slot.deliverAt, Math.max(120_000, n * 60));
  log(`N=${n}: our wake-ups ${r.done}/${n} in ${round(r.lastMs / 1000)} s: ${round(r.perSec)}/s`);
  await terminate(ctx.client, ids, opts.concurrency);
  return { perSec: r.perSec };
}

/** The default preparation window for N instances: room for them at a wake rate of 40/s, at least 2 minutes. */
export function defaultPrepareMinutes(n: number): number {
  return Math.max(2, Math.ceil(n / 40 / 60) + 1);
}

export interface DeliveryFigures {
  detail: string;
  lateness: Summary;
  expected: number;
  delivered: number;
  duplicated: number;
  missing: number;
}

/**
 * Reminders on the announced minute, end to end: N real task workflows (10 per commune of the synthetic plan, so
 * N/10 recipients) due today with the due-day reminder, announced for a minute after they are all taken up; they
 * prepare at spread instants of the window, the real enqueue activity signal-with-starts each recipient's digest,
 * and the real deliverDigest sends through SMTP to the sink. Lateness is the sink's arrival time of each message
 * carrying these items minus the announced minute.
 */
export async function measureAnnouncedDelivery(
  n: number,
  opts: ScenarioOptions,
  ctx: WakeContext & { planId: string; digests: Map<string, string[]>; sink: SmtpSink },
): Promise<DeliveryFigures> {
  const prepareMinutes = opts.prepareMinutes ?? defaultPrepareMinutes(n);
  const slot = findSlot(Date.now() + ctx.startBudgetMs, prepareMinutes);
  const delivery: DeliverySchedule = { minuteOfDay: slot.minuteOfDay, prepareMinutes, midnightSpreadMinutes: 60 };
  const prefix = `bench-ann-${ctx.tag}-`;
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const sinkBefore = ctx.sink.received.length;
  log(
    `N=${n}: ${n} reminders announced for ${new Date(slot.deliverAt).toISOString()} (${slot.timeZone}), prepared over ${prepareMinutes} min before it; starting…`,
  );
  await startReminderTasks(ids, ctx, slot, delivery, opts.concurrency);
  const windowStart = slot.deliverAt - prepareMinutes * 60_000;
  const quiet = await waitForWorkerQuiet(ctx.worker, 3_000, windowStart - Date.now());
  const margin = quiet ? windowStart - Date.now() : 0;
  let detail = `real taskWorkflow and digestWorkflow, SMTP on loopback; announced ${new Date(slot.deliverAt).toISOString()} (${slot.timeZone}), preparation window ${prepareMinutes} min`;
  detail +=
    margin > 0
      ? `; all taken up ${round(margin / 1000)} s before the window`
      : `; NOT all taken up before the window (${round(-margin / 1000)} s after)`;
  log(`N=${n}: ${detail}`);

  const communes = Math.max(1, Math.ceil(n / 10));
  const expected = Math.min(n, communes);
  // The reminders' items only: the notices of the new tasks went out at take-up, before the window.
  const keysOf = (messageId: string): string[] =>
    (ctx.digests.get(messageId) ?? []).filter((k) => k.startsWith(prefix) && !k.includes('|plan_imported|'));
  const deadline = slot.deliverAt + Math.max(120_000, n * 20);
  const seen = (): Set<string> => {
    const s = new Set<string>();
    for (const m of ctx.sink.received.slice(sinkBefore)) for (const k of keysOf(m.messageId)) s.add(k);
    return s;
  };
  while (seen().size < n && Date.now() < deadline) await sleep(500);
  await sleep(3_000); // a duplicate, if any, has time to arrive

  const messages = ctx.sink.received.slice(sinkBefore).filter((m) => keysOf(m.messageId).length > 0);
  const lateness = summarize(messages.map((m) => m.at - slot.deliverAt));
  const perRecipient = new Map<string, number>();
  const keyCount = new Map<string, number>();
  for (const m of messages) {
    const to = m.to.join(',');
    perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    for (const k of keysOf(m.messageId)) keyCount.set(k, (keyCount.get(k) ?? 0) + 1);
  }
  const duplicated =
    [...perRecipient.values()].reduce((a, c) => a + Math.max(0, c - 1), 0) +
    [...keyCount.values()].reduce((a, c) => a + Math.max(0, c - 1), 0);
  const figures: DeliveryFigures = {
    detail,
    lateness: {
      ...lateness,
      p50: Math.round(lateness.p50),
      p99: Math.round(lateness.p99),
      max: Math.round(lateness.max),
    },
    expected,
    delivered: perRecipient.size,
    duplicated,
    missing: n - keyCount.size,
  };
  log(
    `N=${n}: digests expected ${expected}, delivered ${figures.delivered}, duplicated ${duplicated}, items missing ${figures.missing}; lateness p50 ${figures.lateness.p50} ms, p99 ${figures.lateness.p99} ms, max ${figures.lateness.max} ms`,
  );
  await terminate(ctx.client, ids, opts.concurrency);
  return figures;
}

export interface OpenLoopRow {
  ratePerSec: number;
  p50: number;
  p99: number;
  rawP50: number;
  rawP99: number;
  count: number;
  failed: number;
  rawFailed: number;
}

/**
 * Actions in open loop: at each rate, Poisson arrivals for `actionSeconds`, each a person's click on a signed link
 * (HTTP POST to the web app) or the update alone. Each task alternates submit (lead) and return (monitoring), and
 * never has two actions in flight. Then the raw update (no-op with a validator on an empty cached workflow) at the
 * same rate.
 */
export async function measureActionsOpenLoop(
  tasks: TaskInstanceSpec[],
  opts: ScenarioOptions,
  ctx: { client: Client; config: DondocConfig; taskQueue: string; tag: string },
): Promise<OpenLoopRow[]> {
  const signer = createLinkSigner(BENCH_SECRET);
  const app =
    opts.actionsVia === 'web'
      ? await buildWebApp({
          client: ctx.client,
          config: ctx.config,
          linkSecret: BENCH_SECRET,
          dataDir: ctx.config.dataDir,
          outboxDir: undefined,
        })
      : undefined;
  const base = app ? await app.listen({ host: '127.0.0.1', port: 0 }) : '';
  const idle: { spec: TaskInstanceSpec; next: 'submit' | 'return' }[] = tasks.map((spec) => ({ spec, next: 'submit' }));
  const act = async (): Promise<boolean> => {
    const t = idle.shift();
    if (!t) return false; // every task busy: counted as failed, never silently skipped
    const agencyId = t.next === 'submit' ? t.spec.lead.id : SYNTHETIC.monitoring;
    const fields = t.next === 'submit' ? { summary: 'Đã hoàn thành (thử tải)' } : { reason: 'Bổ sung hồ sơ (thử tải)' };
    let ok: boolean;
    if (app) {
      const token = signer.sign({
        p: t.spec.planId,
        w: t.spec.workflowId,
        c: 0,
        a: agencyId,
        k: t.next,
        exp: Math.floor(Date.now() / 1000) + 3600,
      });
      const res = await fetch(`${base}/api/actions/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
      const body = (await res.json()) as { ok?: boolean };
      ok = res.status === 200 && body.ok === true;
    } else ok = (await actOnTask(ctx.client, t.spec.workflowId, t.next, { ...fields, actor: { agencyId } })).ok;
    if (ok) t.next = t.next === 'submit' ? 'return' : 'submit';
    idle.push(t);
    return ok;
  };

  const rawIds = Array.from({ length: opts.rawUpdateWorkflows }, (_, i) => `bench-update-${ctx.tag}-${i}`);
  await runPool(rawIds, 16, async (workflowId) => {
    const h = await ctx.client.workflow.start('benchUpdateWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId,
      args: [],
    });
    await h.executeUpdate(benchNoopUpdate, { args: [0] }); // cached on the worker from here on
  });
  const rows: OpenLoopRow[] = [];
  try {
    for (const rate of opts.actionRates) {
      const arrivals = poissonArrivals(rate, opts.actionSeconds, 1000 + rate);
      const ours = await runOpenLoop(arrivals, () => act());
      const raw = await runOpenLoop(arrivals, async (i) => {
        const r = await ctx.client.workflow
          .getHandle(rawIds[i % rawIds.length]!)
          .executeUpdate(benchNoopUpdate, { args: [i] });
        return r === i;
      });
      const a = summarize(ours.latencies);
      const b = summarize(raw.latencies);
      rows.push({
        ratePerSec: rate,
        p50: round(a.p50),
        p99: round(a.p99),
        rawP50: round(b.p50),
        rawP99: round(b.p99),
        count: a.count,
        failed: ours.failed,
        rawFailed: raw.failed,
      });
      log(
        `actions at ${rate}/s (${a.count} in ${opts.actionSeconds} s): p50 ${round(a.p50)} ms, p99 ${round(a.p99)} ms, ${ours.failed} failed; raw update p50 ${round(b.p50)} ms, p99 ${round(b.p99)} ms`,
      );
    }
  } finally {
    await app?.close();
    await terminate(ctx.client, rawIds, 16);
  }
  return rows;
}
