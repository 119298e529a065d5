/**
 * The periodic report for the monitoring agency, compiled from task snapshots. Pure: no I/O, no clock;
 * the same input always gives the same report, and every figure names the task instances behind it.
 */
import type {
  AgencyRef,
  DeadlineChange,
  IsoDate,
  IsoInstant,
  ReportingStatus,
  TaskSnapshot,
  TaskState,
} from '../domain/types';
import { REPORTING_STATUSES } from '../domain/types';
import { classifyReportingStatus, DUE_SOON_WORKING_DAYS } from '../domain/reporting-status';
import { readDeadlineChanges, type RealDeadlineChangeKind } from './deadline-changes';
import {
  formatDateShortVi,
  formatNumberVi,
  formatPercentVi,
  labelReportingStatus,
  parseIsoDate,
  toLocalDate,
} from './labels';
import { clipPeriodToPlan } from './period';

/** What the report needs of the working-day calendar (`createCalendar(overrides)` from `domain/calendar` fits). */
export interface ReportCalendar {
  isWorkingDay(date: IsoDate): boolean;
  addWorkingDays(date: IsoDate, n: number): IsoDate;
}

export type TargetOp = '>=' | '<=' | '=' | '>' | '<';
/** How the values agencies report for one target become one figure. */
export type TargetAggregate = 'sum' | 'average' | 'min' | 'max';

export interface ReportTarget {
  id: string;
  title: string;
  op: TargetOp;
  value: number;
  unit?: string;
  /** Defaults to `average` when the unit is `%`, else `sum`. */
  aggregate?: TargetAggregate;
}

export interface ReportPlan {
  id: string;
  number: string;
  title: string;
  /** Issue date of the plan, when the document gives one. */
  issued?: IsoDate;
  /** The plan's own period: a report never starts before the plan does. */
  period?: { start: IsoDate; end: IsoDate };
  issuerName: string;
  monitoringName: string;
  targets: ReportTarget[];
}

export interface ReportPeriod {
  kind: 'year' | 'half' | 'quarter' | 'month' | 'asof';
  from: IsoDate;
  to: IsoDate;
  /** As people read it: "Năm 2026", "6 tháng đầu năm 2026", "Quý IV/2026". */
  label: string;
}

export interface CompileReportInput {
  plan: ReportPlan;
  period: ReportPeriod;
  snapshots: TaskSnapshot[];
  /** The day the figures are counted at ("Tính đến ngày …"), plan-local. */
  asOf: IsoDate;
  calendar: ReportCalendar;
  /** Time zone of the plan, to read instants as local days. Default `Asia/Ho_Chi_Minh`. */
  timeZone?: string;
}

export interface ReportEvidence {
  summary: string;
  documentNumber?: string;
  documentDate?: IsoDate;
  evidenceUrl?: string;
}

/** One task instance as the report sees it, as of `asOf`, for the cycle relevant to the period. */
export interface ReportTaskRow {
  workflowId: string;
  taskRef: string;
  taskKey: string;
  title: string;
  lead: AgencyRef;
  leadGroup?: AgencyRef;
  cycle: number;
  /** True when the row is an earlier cycle of a recurring task (its recorded final status is used). */
  fromPastCycle: boolean;
  /** State as of `asOf` (reconstructed from the timeline for a report dated before the snapshot). */
  state: TaskState;
  reportingStatus: ReportingStatus;
  /** Effective due date (after extensions and the working-day rule) as of `asOf`; null when unscheduled. */
  due: IsoDate | null;
  originalDue: IsoDate | null;
  /** Local day of the submission that counts, when done by `asOf`. */
  doneOn: IsoDate | null;
  evidence?: ReportEvidence;
  /** Days past the effective due date, for overdue rows (until `asOf`) and late rows (until done). */
  calendarDaysLate?: number;
  workingDaysLate?: number;
  ladderLevelReached: number;
  extensionsGranted: number;
}

/** A count and the workflow ids it is made of. */
export interface CountedIds {
  count: number;
  workflowIds: string[];
}

export interface StatusCounts {
  total: CountedIds;
  byStatus: Record<ReportingStatus, CountedIds>;
}

export interface AgencyStatusCounts extends StatusCounts {
  agency: AgencyRef;
}

export interface OverdueItem {
  workflowId: string;
  taskRef: string;
  title: string;
  lead: AgencyRef;
  due: IsoDate;
  state: TaskState;
  /** Calendar days from the effective due date to `asOf` (what provinces publish). */
  calendarDaysOverdue: number;
  /** Working days after the effective due date up to and including `asOf` (what the ladder counts). */
  workingDaysOverdue: number;
  ladderLevelReached: number;
}

/** One real change of a deadline (see `readDeadlineChanges`): an approved extension, an amendment, a resume. */
export interface ExtensionItem {
  workflowId: string;
  taskRef: string;
  title: string;
  lead: AgencyRef;
  kind: RealDeadlineChangeKind;
  previousDue: IsoDate | null;
  newDue: IsoDate;
  /** Local day the new deadline was granted. */
  grantedOn: IsoDate;
  at: IsoInstant;
  by: DeadlineChange['by'];
  /** Who decided, as the report names it: the approving agency, or the plan's issuer for an amended plan. */
  decidedBy: string;
  reason: string;
  /** The deciding agency's own remark on an approved extension (see `ReadDeadlineChange.decisionNote`). */
  decisionNote?: string;
}

export interface DoneItem {
  workflowId: string;
  taskRef: string;
  title: string;
  lead: AgencyRef;
  due: IsoDate | null;
  doneOn: IsoDate;
  reportingStatus: 'done_on_time' | 'done_late';
  evidence?: ReportEvidence;
}

export interface TargetValueItem {
  workflowId: string;
  agency: AgencyRef;
  value: number;
  at: IsoInstant;
  note?: string;
}

export type TargetVerdict = 'met' | 'not_met' | 'no_data';

export interface TargetResult {
  target: ReportTarget;
  aggregate: TargetAggregate;
  /** The latest value each agency reported by `asOf`, one per agency. */
  values: TargetValueItem[];
  aggregated: number | null;
  verdict: TargetVerdict;
  workflowIds: string[];
}

export interface ExcludedItem {
  workflowId: string;
  taskRef: string;
  title: string;
  reason: string;
}

export interface PeriodicReport {
  plan: ReportPlan;
  period: ReportPeriod;
  asOf: IsoDate;
  counts: StatusCounts;
  byAgency: AgencyStatusCounts[];
  /** Every counted task instance, ordered by task reference then lead agency. */
  tasks: ReportTaskRow[];
  /** Most overdue first. */
  overdue: OverdueItem[];
  /** Real deadline changes made within the period (up to `asOf`), oldest first: no initial deadline among them. */
  extensions: ExtensionItem[];
  /** Tasks whose counted submission falls within the period, by done date. */
  done: DoneItem[];
  targets: TargetResult[];
  /** Instances left out of the counts (cancelled), with why. */
  excluded: ExcludedItem[];
  /** The generated summary paragraph in Vietnamese. */
  summary: string;
}

const DAY_MS = 86_400_000;

function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function fromDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + n);
}

/** The first working day on or after `date` (the Civil Code rule for a period ending on a day off). */
function rollToWorkingDay(date: IsoDate, calendar: ReportCalendar): IsoDate {
  let d = date;
  for (let i = 0; i < 400 && !calendar.isWorkingDay(d); i++) d = addDays(d, 1);
  return d;
}

/** Working days in (from, to]. */
function countWorkingDaysAfter(from: IsoDate, to: IsoDate, calendar: ReportCalendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (calendar.isWorkingDay(d)) n++;
  return n;
}

function compareRef(a: string, b: string): number {
  return a.localeCompare(b, 'vi', { numeric: true });
}

function emptyCounts(): StatusCounts {
  const byStatus = {} as Record<ReportingStatus, CountedIds>;
  for (const s of REPORTING_STATUSES) byStatus[s] = { count: 0, workflowIds: [] };
  return { total: { count: 0, workflowIds: [] }, byStatus };
}

function addToCounts(counts: StatusCounts, row: ReportTaskRow): void {
  counts.total.count++;
  counts.total.workflowIds.push(row.workflowId);
  const c = counts.byStatus[row.reportingStatus];
  c.count++;
  c.workflowIds.push(row.workflowId);
}

const SUBMITTED_STATES: readonly TaskState[] = ['submitted', 'confirmed', 'disputed', 'accepted'];

/** The state, deadline, submission day and ladder level of a task at the end of `asOf`. */
interface StateAsOf {
  state: TaskState;
  due: IsoDate | null;
  submittedOn: IsoDate | null;
  ladderLevelReached: number;
}

/**
 * Read back from the transitions (instances since lifecycle-v3 record every change of state and deadline of the
 * cycle, up to 400): exact however long the timeline has grown. Undefined when they do not reach back to
 * `asOf` (an older instance, or a list cut at its bound after `asOf`): the caller reads the timeline then.
 */
function stateFromTransitions(
  s: TaskSnapshot,
  asOf: IsoDate,
  calendar: ReportCalendar,
  local: (at: IsoInstant) => IsoDate,
): StateAsOf | undefined {
  const transitions = s.transitions;
  if (!transitions || transitions.length === 0 || local(transitions[0]!.at) > asOf) return undefined;
  const known = transitions.filter((t) => local(t.at) <= asOf);
  const last = known[known.length - 1]!;
  let ladderLevelReached = 0;
  let submittedOn: IsoDate | null = null;
  for (const t of known) {
    if (t.ladderLevel !== undefined) ladderLevelReached = Math.max(ladderLevelReached, t.ladderLevel);
    if (t.submittedAt !== undefined) submittedOn = local(t.submittedAt);
  }
  if (!SUBMITTED_STATES.includes(last.state)) submittedOn = null;
  return {
    state: last.state,
    due: last.due === null ? null : rollToWorkingDay(last.due, calendar),
    submittedOn,
    ladderLevelReached,
  };
}

/**
 * Builds the row of one snapshot as of `asOf`. A report dated before the snapshot was taken sees the
 * state, deadline and submission at the end of `asOf`: from the transitions when the instance has them,
 * else from the timeline and deadline history.
 */
function buildCurrentRow(s: TaskSnapshot, asOf: IsoDate, calendar: ReportCalendar, tz: string): ReportTaskRow {
  const local = (at: IsoInstant): IsoDate => toLocalDate(at, tz);

  const timelineKnown = s.timeline.filter((e) => local(e.at) <= asOf);
  const timelineComplete = timelineKnown.length === s.timeline.length;
  const history = [...s.deadlineHistory].sort((a, b) => a.at.localeCompare(b.at));
  const historyKnown = history.filter((h) => local(h.at) <= asOf);
  const transitionsComplete = (s.transitions ?? []).every((t) => local(t.at) <= asOf);
  const complete = timelineComplete && historyKnown.length === history.length && transitionsComplete;
  const fromTransitions = complete ? undefined : stateFromTransitions(s, asOf, calendar, local);

  let state: TaskState;
  let due: IsoDate | null;
  let submittedOn: IsoDate | null;
  let ladderLevelReached = s.ladderLevelReached;
  const doneOn = s.doneAt !== undefined && local(s.doneAt) <= asOf ? local(s.doneAt) : null;
  if (fromTransitions) {
    ({ state, due, ladderLevelReached } = fromTransitions);
    submittedOn = doneOn ?? fromTransitions.submittedOn;
  } else {
    state = timelineComplete ? s.state : (timelineKnown[timelineKnown.length - 1]?.state ?? 'scheduled');
    if (historyKnown.length === history.length) due = s.effectiveDue;
    else {
      const scheduled = historyKnown[historyKnown.length - 1]?.due ?? s.originalDue;
      due = scheduled === null ? null : rollToWorkingDay(scheduled, calendar);
    }
    submittedOn = doneOn;
    if (submittedOn === null && s.submission && SUBMITTED_STATES.includes(state) && local(s.submission.at) <= asOf) {
      submittedOn = local(s.submission.at);
    }
    if (!timelineComplete) {
      ladderLevelReached = 0;
      for (const e of timelineKnown) {
        const level = e.data?.['level'];
        if (e.action === 'escalation' && typeof level === 'number')
          ladderLevelReached = Math.max(ladderLevelReached, level);
      }
    }
  }

  const reportingStatus = classifyReportingStatus({
    state,
    effectiveDue: due,
    submittedOn,
    asOf,
    dueSoonDate: due === null ? null : calendar.addWorkingDays(due, -DUE_SOON_WORKING_DAYS),
  });

  const row: ReportTaskRow = {
    workflowId: s.workflowId,
    taskRef: s.taskRef,
    taskKey: s.taskKey,
    title: s.title,
    lead: s.lead,
    ...(s.leadGroup ? { leadGroup: s.leadGroup } : {}),
    cycle: s.cycle,
    fromPastCycle: false,
    state,
    reportingStatus,
    due,
    originalDue: s.originalDue,
    doneOn: submittedOn,
    ladderLevelReached,
    extensionsGranted: readDeadlineChanges(s).filter((c) => c.kind === 'extension' && local(c.at) <= asOf).length,
  };
  if (s.submission && submittedOn !== null) {
    const { summary, documentNumber, documentDate, evidenceUrl } = s.submission;
    row.evidence = {
      summary,
      ...(documentNumber !== undefined ? { documentNumber } : {}),
      ...(documentDate !== undefined ? { documentDate } : {}),
      ...(evidenceUrl !== undefined ? { evidenceUrl } : {}),
    };
  }
  addLateness(row, asOf, calendar);
  return row;
}

function addLateness(row: ReportTaskRow, asOf: IsoDate, calendar: ReportCalendar): void {
  if (row.due === null) return;
  const until =
    row.reportingStatus === 'in_progress_overdue' ? asOf : row.reportingStatus === 'done_late' ? row.doneOn : null;
  if (until === null || until <= row.due) return;
  row.calendarDaysLate = toDayNumber(until) - toDayNumber(row.due);
  row.workingDaysLate = countWorkingDaysAfter(row.due, until, calendar);
}

/**
 * The cycle of a recurring task the period is about: the latest cycle due within the period. A report
 * compiled after the year has turned still shows the year's cycle, not next year's.
 */
function buildRow(s: TaskSnapshot, input: CompileReportInput, tz: string): ReportTaskRow {
  const { period, asOf, calendar } = input;
  const inPeriod = (d: IsoDate | null): boolean => d !== null && d >= period.from && d <= period.to;
  const current = buildCurrentRow(s, asOf, calendar, tz);
  if (current.due === null || inPeriod(current.due) || current.due < period.from) return current;
  const past = [...s.pastCycles].filter((c) => inPeriod(c.due)).sort((a, b) => b.cycle - a.cycle)[0];
  if (!past) return current;
  const doneOn = past.doneAt !== undefined ? toLocalDate(past.doneAt, tz) : null;
  const row: ReportTaskRow = {
    ...current,
    cycle: past.cycle,
    fromPastCycle: true,
    state: past.state,
    reportingStatus: past.reportingStatus,
    due: past.due,
    originalDue: past.due,
    doneOn: doneOn !== null && doneOn <= asOf ? doneOn : null,
    ladderLevelReached: 0,
    extensionsGranted: 0,
  };
  delete row.evidence;
  delete row.calendarDaysLate;
  delete row.workingDaysLate;
  addLateness(row, asOf, calendar);
  return row;
}

function defaultAggregate(t: ReportTarget): TargetAggregate {
  return t.aggregate ?? (t.unit?.trim() === '%' ? 'average' : 'sum');
}

function aggregateValues(values: number[], how: TargetAggregate): number | null {
  if (values.length === 0) return null;
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
  }
}

function meets(value: number, op: TargetOp, goal: number): boolean {
  switch (op) {
    case '>=':
      return value >= goal;
    case '<=':
      return value <= goal;
    case '>':
      return value > goal;
    case '<':
      return value < goal;
    case '=':
      return Math.abs(value - goal) < 1e-9;
  }
}

function compileTargets(targets: ReportTarget[], snapshots: TaskSnapshot[], asOf: IsoDate, tz: string): TargetResult[] {
  return targets.map((target) => {
    const latestByAgency = new Map<string, TargetValueItem>();
    for (const s of snapshots) {
      for (const v of s.targetValues) {
        if (v.targetId !== target.id || toLocalDate(v.at, tz) > asOf) continue;
        const prev = latestByAgency.get(v.by.id);
        if (!prev || prev.at < v.at) {
          latestByAgency.set(v.by.id, {
            workflowId: s.workflowId,
            agency: v.by,
            value: v.value,
            at: v.at,
            ...(v.note !== undefined ? { note: v.note } : {}),
          });
        }
      }
    }
    const values = [...latestByAgency.values()].sort((a, b) => a.agency.name.localeCompare(b.agency.name, 'vi'));
    const aggregate = defaultAggregate(target);
    const aggregated = aggregateValues(
      values.map((v) => v.value),
      aggregate,
    );
    const verdict: TargetVerdict =
      aggregated === null ? 'no_data' : meets(aggregated, target.op, target.value) ? 'met' : 'not_met';
    return {
      target,
      aggregate,
      values,
      aggregated,
      verdict,
      workflowIds: [...new Set(values.map((v) => v.workflowId))],
    };
  });
}

function compileExtensions(
  snapshots: TaskSnapshot[],
  plan: ReportPlan,
  period: ReportPeriod,
  asOf: IsoDate,
  tz: string,
): ExtensionItem[] {
  const items: ExtensionItem[] = [];
  const until = asOf < period.to ? asOf : period.to;
  for (const s of snapshots) {
    for (const c of readDeadlineChanges(s)) {
      const grantedOn = toLocalDate(c.at, tz);
      if (grantedOn < period.from || grantedOn > until) continue;
      items.push({
        workflowId: s.workflowId,
        taskRef: s.taskRef,
        title: s.title,
        lead: s.lead,
        kind: c.kind,
        previousDue: c.previousDue,
        newDue: c.due,
        grantedOn,
        at: c.at,
        by: c.by,
        decidedBy: c.by.id === 'system' ? `${plan.issuerName} (kế hoạch sửa đổi)` : c.by.name,
        reason: c.reason,
        ...(c.decisionNote ? { decisionNote: c.decisionNote } : {}),
      });
    }
  }
  return items.sort((a, b) => a.at.localeCompare(b.at) || compareRef(a.taskRef, b.taskRef));
}

const SUMMARY_ORDER: readonly ReportingStatus[] = [
  'done_on_time',
  'done_late',
  'in_progress_within_deadline',
  'due_soon',
  'in_progress_overdue',
  'not_started',
];

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
}

const CHANGE_WORDS: Record<RealDeadlineChangeKind, string> = {
  extension: 'gia hạn',
  amendment: 'điều chỉnh theo kế hoạch sửa đổi',
  resume: 'đặt hạn mới khi tiếp tục sau tạm hoãn',
};

/** Counts of `items` by `key`, in first-seen order. */
function countBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * The summary paragraph, every figure counted here from the rows the report lists: task rows by status, the
 * overdue rows, the deadline-change rows, the target rows. Nothing is taken from a counter kept elsewhere, so the
 * paragraph cannot say "5 lượt gia hạn" over a table of one.
 */
export function buildSummary(
  report: Pick<PeriodicReport, 'asOf' | 'period' | 'tasks' | 'overdue' | 'extensions' | 'targets'>,
): string {
  const { tasks, overdue, extensions, targets } = report;
  const total = tasks.length;
  const head = `Tính đến ngày ${formatDateShortVi(report.asOf)}, kế hoạch có ${total} nhiệm vụ`;
  if (total === 0) return `${head}.`;
  const byStatus = countBy(tasks, (t) => t.reportingStatus);
  const parts = SUMMARY_ORDER.filter((s) => (byStatus.get(s) ?? 0) > 0).map((s) => {
    const n = byStatus.get(s) ?? 0;
    return `${n} nhiệm vụ ${lowerFirst(labelReportingStatus(s))} (${formatPercentVi(n, total)})`;
  });
  const sentences = [`${head}; ${parts.join(', ')}.`];
  const worst = overdue[0];
  if (worst) {
    const lateAgencies = [...countBy(overdue, (o) => o.lead.name)]
      .sort(([a], [b]) => a.localeCompare(b, 'vi'))
      .map(([name, n]) => `${name} (${n})`);
    sentences.push(
      `Nhiệm vụ quá hạn lâu nhất là nhiệm vụ ${worst.taskRef} do ${worst.lead.name} chủ trì, quá hạn ${worst.calendarDaysOverdue} ngày (${worst.workingDaysOverdue} ngày làm việc); cơ quan có nhiệm vụ quá hạn: ${lateAgencies.join(', ')}.`,
    );
  }
  if (extensions.length > 0) {
    const tasksChanged = new Set(extensions.map((e) => e.workflowId)).size;
    const byKind = countBy(extensions, (e) => e.kind);
    const kinds = (['extension', 'amendment', 'resume'] as const)
      .filter((k) => (byKind.get(k) ?? 0) > 0)
      .map((k) => `${byKind.get(k)} lượt ${CHANGE_WORDS[k]}`);
    sentences.push(`Trong kỳ báo cáo, thời hạn của ${tasksChanged} nhiệm vụ được thay đổi: ${kinds.join(', ')}.`);
  }
  if (targets.length > 0) {
    const met = targets.filter((t) => t.verdict === 'met').length;
    const notMet = targets.filter((t) => t.verdict === 'not_met').length;
    const noData = targets.filter((t) => t.verdict === 'no_data').length;
    const bits = [`${met} chỉ tiêu đạt`, `${notMet} chỉ tiêu chưa đạt`];
    if (noData > 0) bits.push(`${noData} chỉ tiêu chưa có số liệu`);
    sentences.push(`Về chỉ tiêu: ${targets.length} chỉ tiêu, trong đó ${bits.join(', ')}.`);
  }
  return sentences.join(' ');
}

/**
 * Compiles the periodic report of one plan from its task snapshots, as of `asOf` (plan-local day).
 *
 * Contract:
 * - The period starts at the later of its own start and the plan's (`plan.period.start`).
 * - One row per task instance (snapshot), for the cycle the period is about: the current cycle, or for a
 *   recurring task whose current cycle is due after the period, the latest earlier cycle due in it.
 * - Statuses are recomputed as of `asOf` with `classifyReportingStatus` (domain/reporting-status); for a
 *   date before the snapshot was taken, state, deadline and submission are read back from the timeline and
 *   deadline history. Cancelled instances are left out of the counts and listed in `excluded`.
 * - Every count carries the workflow ids it is made of; overdue items carry calendar and working days
 *   overdue and are ordered most overdue first; `extensions` are the real deadline changes made in the period
 *   (`readDeadlineChanges`: approved extensions, plan amendments, resumes with a new date; never the initial
 *   deadline), each with the deadline it replaced and who decided.
 * - The summary paragraph is counted from those rows (`buildSummary`).
 * - Target values: the latest value each agency reported by `asOf`, aggregated per target (`aggregate`,
 *   default average for `%`, else sum) and compared with the goal (met / not met / no data).
 * Throws `RangeError` when a date in the input is not `YYYY-MM-DD`, the period is inverted, or the plan starts
 * after the period ends.
 */
export function compileReport(input: CompileReportInput): PeriodicReport {
  const { plan, snapshots, asOf } = input;
  const tz = input.timeZone ?? 'Asia/Ho_Chi_Minh';
  parseIsoDate(asOf);
  parseIsoDate(input.period.from);
  parseIsoDate(input.period.to);
  if (input.period.from > input.period.to) {
    throw new RangeError(
      `Kỳ báo cáo "${input.period.label}" không hợp lệ: ngày bắt đầu ${input.period.from} sau ngày kết thúc ${input.period.to}.`,
    );
  }
  const period = clipPeriodToPlan(input.period, plan.period?.start);

  const excluded: ExcludedItem[] = [];
  const counted: TaskSnapshot[] = [];
  for (const s of snapshots) {
    if (s.state === 'cancelled')
      excluded.push({ workflowId: s.workflowId, taskRef: s.taskRef, title: s.title, reason: 'Nhiệm vụ đã hủy' });
    else counted.push(s);
  }

  const tasks = counted
    .map((s) => buildRow(s, { ...input, period }, tz))
    .sort(
      (a, b) =>
        compareRef(a.taskRef, b.taskRef) ||
        a.lead.name.localeCompare(b.lead.name, 'vi') ||
        a.workflowId.localeCompare(b.workflowId),
    );

  const counts = emptyCounts();
  const agencies = new Map<string, AgencyStatusCounts>();
  for (const row of tasks) {
    addToCounts(counts, row);
    let a = agencies.get(row.lead.id);
    if (!a) {
      a = { agency: row.lead, ...emptyCounts() };
      agencies.set(row.lead.id, a);
    }
    addToCounts(a, row);
  }
  const byAgency = [...agencies.values()].sort((a, b) => a.agency.name.localeCompare(b.agency.name, 'vi'));

  const overdue: OverdueItem[] = tasks
    .filter((r): r is ReportTaskRow & { due: IsoDate } => r.reportingStatus === 'in_progress_overdue' && r.due !== null)
    .map((r) => ({
      workflowId: r.workflowId,
      taskRef: r.taskRef,
      title: r.title,
      lead: r.lead,
      due: r.due,
      state: r.state,
      calendarDaysOverdue: r.calendarDaysLate ?? 0,
      workingDaysOverdue: r.workingDaysLate ?? 0,
      ladderLevelReached: r.ladderLevelReached,
    }))
    .sort(
      (a, b) =>
        b.calendarDaysOverdue - a.calendarDaysOverdue ||
        b.workingDaysOverdue - a.workingDaysOverdue ||
        compareRef(a.taskRef, b.taskRef),
    );

  const done: DoneItem[] = tasks
    .filter(
      (r) =>
        (r.reportingStatus === 'done_on_time' || r.reportingStatus === 'done_late') &&
        r.doneOn !== null &&
        r.doneOn >= period.from &&
        r.doneOn <= period.to,
    )
    .map((r) => ({
      workflowId: r.workflowId,
      taskRef: r.taskRef,
      title: r.title,
      lead: r.lead,
      due: r.due,
      doneOn: r.doneOn as IsoDate,
      reportingStatus: r.reportingStatus as 'done_on_time' | 'done_late',
      ...(r.evidence ? { evidence: r.evidence } : {}),
    }))
    .sort((a, b) => a.doneOn.localeCompare(b.doneOn) || compareRef(a.taskRef, b.taskRef));

  const partial = {
    plan,
    period,
    asOf,
    counts,
    byAgency,
    tasks,
    overdue,
    extensions: compileExtensions(counted, plan, period, asOf, tz),
    done,
    targets: compileTargets(plan.targets, counted, asOf, tz),
    excluded,
  };
  return { ...partial, summary: buildSummary(partial) };
}

const OP_SYMBOLS: Record<TargetOp, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' };

/** The goal of a target as people write it: `≥ 85%`, `≤ 3 ngày`. */
export function formatTargetGoal(target: Pick<ReportTarget, 'op' | 'value' | 'unit'>): string {
  return `${OP_SYMBOLS[target.op]} ${formatTargetValue(target.value, target.unit)}`;
}

/** Formats a target figure for people: `85,5 %` style with the unit, or `—` when there is no data. */
export function formatTargetValue(value: number | null, unit?: string): string {
  if (value === null) return '—';
  return unit ? `${formatNumberVi(value, 2)} ${unit}`.replace(/ %$/, '%') : formatNumberVi(value, 2);
}
