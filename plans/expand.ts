/**
 * Fan-out: turns a validated plan and its directory into one `TaskInstanceSpec` per task and
 * responsible agency. A task given to a group yields one instance per member. Pure apart from the
 * hash (node:crypto); the loader has already checked every id, so a missing id here is a bug.
 */
import { createHash } from 'node:crypto';

import { parseTiming } from '../domain/timing';
import type {
  AgencyRef,
  CalendarYearOverride,
  IsoDate,
  LadderLevel,
  Schedule,
  TaskInstanceSpec,
  TimingContext,
} from '../domain/types';
import type { Agency, AgencyGroup, DirectoryFile, PlanFile, PlanTask, PlanTiming } from './schema';

/** The timing reader: `parseTiming` from domain/timing, injectable for tests. */
export type TimingParser = (text: string, ctx: TimingContext) => Schedule;

/** A directory indexed by id. */
export interface DirectoryIndex {
  agencies: Map<string, Agency>;
  groups: Map<string, AgencyGroup>;
}

/** Indexes a directory by id (first occurrence wins; the loader reports duplicates). */
export function indexDirectory(directory: DirectoryFile): DirectoryIndex {
  const agencies = new Map<string, Agency>();
  const groups = new Map<string, AgencyGroup>();
  for (const a of directory.agencies) if (!agencies.has(a.id)) agencies.set(a.id, a);
  for (const g of directory.groups) if (!groups.has(g.id)) groups.set(g.id, g);
  return { agencies, groups };
}

/** The key of a task within its plan: its `id`, else its `ref`. */
export function getTaskKey(task: Pick<PlanTask, 'id' | 'ref'>): string {
  return task.id ?? task.ref;
}

/** The lead ids of a task as a list (the file allows one id or a list). */
export function getLeadIds(task: Pick<PlanTask, 'lead'>): string[] {
  return typeof task.lead === 'string' ? [task.lead] : [...task.lead];
}

/** Deterministic workflow id of a task instance: `dondoc:${planId}:${taskKey}:${agencyId}`. */
export function makeWorkflowId(planId: string, taskKey: string, agencyId: string): string {
  return `dondoc:${planId}:${taskKey}:${agencyId}`;
}

/**
 * The timing context of a plan: issue date, period and the yearly reporting day (the first yearly
 * reporting duty's `MM-DD`), which the timing rules use as the due day of yearly tasks.
 */
export function buildTimingContext(plan: Pick<PlanFile, 'period' | 'issued' | 'reportingDuties'>): TimingContext {
  const ctx: TimingContext = { periodStart: plan.period.start, periodEnd: plan.period.end };
  if (plan.issued) ctx.issued = plan.issued;
  const yearly = plan.reportingDuties.find((d) => d.every === 'yearly');
  if (yearly) {
    const [month, day] = yearly.due.split('-').map(Number);
    if (month && day) ctx.yearlyDueDay = { month, day };
  }
  return ctx;
}

/** Splits a timing field into its verbatim text and explicit dates. */
export function getTimingParts(timing: PlanTiming): { text: string; due?: IsoDate; dues?: IsoDate[] } {
  return typeof timing === 'string' ? { text: timing } : timing;
}

function addYears(date: IsoDate, years: number): IsoDate | null {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  if (md === '02-29') {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return `${String(y).padStart(4, '0')}-02-${leap ? '29' : '28'}`;
  }
  return `${String(y).padStart(4, '0')}-${md}`;
}

/**
 * The schedule of a task. The timing text is read by `parse`; explicit dates override what it read
 * but the verbatim text is kept and the schedule becomes confident:
 * - `dues` → exactly those dates (sorted, de-duplicated);
 * - `due` on a yearly schedule → that date and the same day of each following year up to the period end;
 * - `due` otherwise → that single date.
 * A parser that throws counts as "not confident" (the loader then asks for a date).
 */
export function resolveSchedule(timing: PlanTiming, ctx: TimingContext, parse: TimingParser = parseTiming): Schedule {
  const parts = getTimingParts(timing);
  let parsed: Schedule;
  try {
    parsed = parse(parts.text, ctx);
  } catch (err) {
    parsed = {
      text: parts.text,
      kind: 'unscheduled',
      due: null,
      dues: [],
      recurrence: 'unspecified',
      confident: false,
      reason: `Không đọc được thời gian: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  if (!parts.due && !parts.dues) return { ...parsed, text: parts.text };

  let dues: IsoDate[];
  if (parts.dues) {
    dues = [...new Set(parts.dues)].sort();
  } else {
    const first = parts.due as IsoDate;
    dues = [first];
    if (parsed.recurrence === 'yearly' && ctx.periodEnd) {
      for (let i = 1; i < 200; i += 1) {
        const next = addYears(first, i);
        if (!next || next > ctx.periodEnd) break;
        dues.push(next);
      }
    }
  }
  const recurring = dues.length > 1 && parsed.recurrence === 'yearly';
  const schedule: Schedule = {
    ...parsed,
    text: parts.text,
    kind: dues.length > 1 ? (recurring ? 'recurring' : 'occurrences') : 'deadline',
    due: dues[0] ?? null,
    dues,
    recurrence: recurring ? 'yearly' : 'none',
    confident: true,
    reason: `Ngày do kế hoạch ghi rõ (${dues.join(', ')}); nguyên văn: "${parts.text}".`,
  };
  return schedule;
}

function toRef(entity: { id: string; name: string }): AgencyRef {
  return { id: entity.id, name: entity.name };
}

function refOf(index: DirectoryIndex, id: string): AgencyRef {
  const entity = index.agencies.get(id) ?? index.groups.get(id);
  if (!entity) throw new Error(`Mã "${id}" không có trong danh bạ (lẽ ra bộ nạp đã báo lỗi).`);
  return toRef(entity);
}

/**
 * The agencies that stand for `id` today: the agency itself, or, when it is dissolved with `successors`, each
 * of them (followed through chains; a cycle stops the walk). `dissolved.successor` alone is not followed here:
 * import moves those tasks to the successor with their history (`applyDirectoryChange`).
 */
export function resolveSuccessors(index: DirectoryIndex, id: string, seen: Set<string> = new Set()): string[] {
  const successors = index.agencies.get(id)?.dissolved?.successors;
  if (!successors || successors.length === 0 || seen.has(id)) return [id];
  seen.add(id);
  const out: string[] = [];
  for (const s of successors) for (const r of resolveSuccessors(index, s, seen)) if (!out.includes(r)) out.push(r);
  return out;
}

/**
 * The successions an instance must carry out: for each of its agencies dissolved with a single `successor`, the
 * move to that successor on the dissolution day, followed through chains (A to B, then B to C) in date order. The
 * workflow applies each on its day, at once when the day has passed (a plan imported after the dissolution).
 */
export function successionsOf(
  index: DirectoryIndex,
  agencyIds: string[],
): NonNullable<TaskInstanceSpec['successions']> {
  const out: NonNullable<TaskInstanceSpec['successions']> = [];
  for (const start of agencyIds) {
    const seen = new Set<string>();
    let id = start;
    for (;;) {
      const d = index.agencies.get(id)?.dissolved;
      if (!d?.successor || seen.has(id) || !index.agencies.has(d.successor)) break;
      seen.add(id);
      if (!out.some((s) => s.from === id && s.on === d.on))
        out.push({ from: id, to: refOf(index, d.successor), on: d.on });
      id = d.successor;
    }
  }
  return out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** A responsible agency after fan-out: the group it came from, and the old agency it succeeded, if any. */
export interface ExpandedLead {
  lead: AgencyRef;
  leadGroup?: AgencyRef;
  succeededFrom?: string;
}

/**
 * The responsible agencies of a task after fan-out, each with the group it came from. A dissolved agency with
 * `successors` (directly, or as a member of a group) gives one entry per successor; given directly, its own
 * name is kept as `leadGroup`, so each instance still says which old unit it came from.
 */
export function expandLeads(task: Pick<PlanTask, 'lead'>, index: DirectoryIndex): ExpandedLead[] {
  const out: ExpandedLead[] = [];
  const push = (id: string, leadGroup?: AgencyRef): void => {
    const successors = resolveSuccessors(index, id);
    if (successors.length === 1 && successors[0] === id) {
      out.push({ lead: refOf(index, id), ...(leadGroup ? { leadGroup } : {}) });
      return;
    }
    const from = index.agencies.get(id);
    for (const s of successors)
      out.push({ lead: refOf(index, s), leadGroup: leadGroup ?? toRef(from ?? { id, name: id }), succeededFrom: id });
  };
  for (const id of getLeadIds(task)) {
    const group = index.groups.get(id);
    if (group) {
      for (const member of group.members) push(member, toRef(group));
    } else {
      push(id);
    }
  }
  return out;
}

/** The fields an amendment can change, in a fixed order: what `specHash` covers. */
export function getAmendableFields(spec: Omit<TaskInstanceSpec, 'specHash'>): Record<string, unknown> {
  return {
    title: spec.title,
    lead: spec.lead.id,
    leadGroup: spec.leadGroup?.id ?? null,
    coordinators: spec.coordinators.map((c) => c.id),
    requiredSignOff: spec.requiredSignOff,
    monitoring: spec.monitoring.id,
    authority: spec.authority.id,
    timingText: spec.schedule.text,
    scheduleKind: spec.schedule.kind,
    due: spec.schedule.due,
    dues: spec.schedule.dues,
    reminderOffsets: spec.reminderOffsets,
    overdueEveryWorkingDays: spec.overdueEveryWorkingDays,
    ladder: spec.ladder.map((l) => [l.afterWorkingDays, l.to]),
    deliverable: spec.deliverable ?? null,
    targetIds: spec.targetIds ?? [],
  };
}

/** Stable hash (SHA-256, 16 hex digits) of the amendable fields of a spec. Same fields, same hash. */
export function computeSpecHash(spec: Omit<TaskInstanceSpec, 'specHash'>): string {
  return createHash('sha256')
    .update(JSON.stringify(getAmendableFields(spec)))
    .digest('hex')
    .slice(0, 16);
}

export interface ExpandOptions {
  /** Per-year calendar data put into every spec (default: none; the loader passes the shipped data). */
  calendar?: CalendarYearOverride[];
  parse?: TimingParser;
}

/**
 * Builds every task instance of a validated plan: one per task × responsible agency (group leads
 * fan out to their members, `leadGroup` set; agencies dissolved with `successors` fan out to them, and so do
 * coordinators). Order follows the file. `requiredSignOff` for `signOff: all` lists the coordinators that
 * are single agencies (a group cannot sign as one), minus the instance's own lead. Throws a plain Error only when an id is missing (a loader bug).
 */
export function expandPlan(plan: PlanFile, directory: DirectoryFile, options: ExpandOptions = {}): TaskInstanceSpec[] {
  const index = indexDirectory(directory);
  const ctx = buildTimingContext(plan);
  const calendar = options.calendar ?? [];
  const ladder: LadderLevel[] = plan.ladder.map((l, i) => ({
    level: i + 1,
    afterWorkingDays: l.afterWorkingDays,
    to: l.to,
  }));
  const monitoring = refOf(index, plan.monitoringAgency);
  const authority = refOf(index, plan.escalationAuthority);
  const specs: TaskInstanceSpec[] = [];
  const seen = new Set<string>();

  for (const task of plan.tasks) {
    const taskKey = getTaskKey(task);
    const schedule = resolveSchedule(task.timing, ctx, options.parse);
    const coordinatorIds = [...new Set(task.coordinators.flatMap((id) => resolveSuccessors(index, id)))];
    const coordinators = coordinatorIds.map((id) => refOf(index, id));
    const offsets = [...new Set(task.reminderOffsets ?? plan.reminders.offsets)].sort((a, b) => b - a);

    for (const { lead, leadGroup } of expandLeads(task, index)) {
      const workflowId = makeWorkflowId(plan.id, taskKey, lead.id);
      if (seen.has(workflowId)) continue;
      seen.add(workflowId);
      const signOff =
        task.signOff === 'none'
          ? []
          : task.signOff === 'all'
            ? coordinatorIds.filter((id) => index.agencies.has(id))
            : task.signOff.flatMap((id) => resolveSuccessors(index, id));
      const base: Omit<TaskInstanceSpec, 'specHash'> = {
        workflowId,
        planId: plan.id,
        planNumber: plan.number,
        planTitle: plan.title,
        timeZone: plan.timeZone,
        taskKey,
        taskRef: task.ref,
        title: task.title,
        ...(task.deliverable !== undefined ? { deliverable: task.deliverable } : {}),
        lead,
        ...(leadGroup ? { leadGroup } : {}),
        coordinators,
        requiredSignOff: [...new Set(signOff)].filter((id) => id !== lead.id),
        monitoring,
        authority,
        schedule: { ...schedule, dues: [...schedule.dues] },
        reminderOffsets: offsets,
        overdueEveryWorkingDays: plan.reminders.overdueEveryWorkingDays,
        ladder: ladder.map((l) => ({ ...l })),
        calendar,
        ...(task.targets && task.targets.length > 0 ? { targetIds: [...task.targets] } : {}),
      };
      const successions = successionsOf(index, [lead.id, ...coordinatorIds]);
      if (successions.length > 0) base.successions = successions;
      specs.push({ ...base, specHash: computeSpecHash(base) });
    }
  }
  return specs;
}
