/**
 * A scripted plan of 13 task instances (12 counted, 1 cancelled) covering every reporting status, and a
 * small working-day calendar (weekends plus a few 2026 holidays) for report tests.
 */
import type {
  AgencyRef,
  DeadlineChange,
  IsoDate,
  IsoInstant,
  TaskSnapshot,
  TaskState,
  TimelineEntry,
} from '../../domain/types';
import { directoryFileSchema, planFileSchema, type DirectoryFile, type PlanFile } from '../../plans/schema';
import type { CompileReportInput, ReportCalendar, ReportPlan } from '../../reports/compile';

const HOLIDAYS = new Set(['2026-01-01', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02']);

function shift(date: IsoDate, n: number): IsoDate {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

export const testCalendar: ReportCalendar = {
  isWorkingDay(d) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6 && !HOLIDAYS.has(d);
  },
  addWorkingDays(d, n) {
    let date = d;
    let left = Math.abs(n);
    while (left > 0) {
      date = shift(date, Math.sign(n));
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  },
};

export const AGENCY_A: AgencyRef = { id: 'so-gd', name: 'Sở Giáo dục và Đào tạo' };
export const AGENCY_B: AgencyRef = { id: 'so-tc', name: 'Sở Tài chính' };
export const AGENCY_C: AgencyRef = { id: 'ubnd-xa-ea-tu', name: 'UBND xã Ea Tu' };
export const MONITORING: AgencyRef = { id: 'so-tp', name: 'Sở Tư pháp' };

/** Noon in Hà Nội on a local day, as an instant. */
export const noon = (d: IsoDate): IsoInstant => `${d}T05:00:00.000Z`;

export interface SnapshotScript {
  ref: string;
  lead: AgencyRef;
  state: TaskState;
  due: IsoDate | null;
  effectiveDue?: IsoDate | null;
  originalDue?: IsoDate | null;
  /** Local day (or exact instant) the lead submitted. */
  submittedOn?: IsoDate;
  submittedAt?: IsoInstant;
  acceptedOn?: IsoDate;
  /** `reason` is the lead's; `note` the approving agency's remark on its decision. */
  extensions?: { due: IsoDate; grantedOn: IsoDate; reason: string; note?: string }[];
  ladder?: number;
  targetValues?: TaskSnapshot['targetValues'];
  pastCycles?: TaskSnapshot['pastCycles'];
  cycle?: number;
  title?: string;
  /**
   * How the deadline history is recorded: `legacy` as instances before `kind` existed (the initial deadline is a
   * plain system entry, as the task workflow wrote it), `kinded` with `kind` and `previousDue` on every entry.
   */
  historyShape?: 'legacy' | 'kinded';
  /** Plan amendments that moved the deadline (system entries). */
  amendments?: { due: IsoDate; on: IsoDate; reason: string }[];
}

const SYSTEM = { id: 'system' as const, name: 'dondoc' };

/** The deadline history the task workflow records for a script: the initial deadline, then each change in time order. */
function deadlineHistoryOf(x: SnapshotScript, originalDue: IsoDate | null): DeadlineChange[] {
  const kinded = x.historyShape === 'kinded';
  const entries: DeadlineChange[] = [];
  if (originalDue !== null)
    entries.push({
      due: originalDue,
      at: '2025-12-31T18:00:00.000Z', // 01:00 on 01/01 in Hà Nội: before any change a test makes
      by: SYSTEM,
      reason: `Hoàn thành trước ngày ${originalDue}`,
      ...(kinded ? { kind: 'initial' as const } : {}),
    });
  const changes = [
    ...(x.extensions ?? []).map((e) => ({
      due: e.due,
      at: noon(e.grantedOn),
      by: MONITORING,
      reason: e.reason,
      kind: 'extension' as const,
    })),
    ...(x.amendments ?? []).map((a) => ({
      due: a.due,
      at: noon(a.on),
      by: SYSTEM,
      reason: a.reason,
      kind: 'amendment' as const,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  let current = originalDue;
  for (const c of changes) {
    entries.push({
      due: c.due,
      at: c.at,
      by: c.by,
      reason: c.reason,
      ...(kinded ? { kind: c.kind, previousDue: current } : {}),
    });
    current = c.due;
  }
  return entries;
}

/** Builds a consistent snapshot: timeline, submission and deadline history follow the script. */
export function makeSnapshot(x: SnapshotScript): TaskSnapshot {
  const workflowId = `dondoc:kh-12:${x.ref}:${x.lead.id}`;
  const system = SYSTEM;
  const timeline: TimelineEntry[] = [{ at: noon('2026-01-05'), actor: system, action: 'created', state: 'scheduled' }];
  if (x.state !== 'scheduled' && x.state !== 'postponed')
    timeline.push({ at: noon('2026-01-06'), actor: system, action: 'cycle_started', state: 'in_progress' });
  for (const e of x.extensions ?? [])
    timeline.push({
      at: noon(e.grantedOn),
      actor: MONITORING,
      action: 'approve_extension',
      state: 'in_progress',
      ...(e.note ? { note: e.note } : {}),
      data: { newDue: e.due },
    });
  for (const a of x.amendments ?? [])
    timeline.push({ at: noon(a.on), actor: system, action: 'amend', state: 'in_progress', note: a.reason });
  for (let level = 1; level <= (x.ladder ?? 0); level++) {
    timeline.push({
      at: noon(shift(x.effectiveDue ?? x.due ?? '2026-12-01', 3 * level + 2)),
      actor: system,
      action: 'escalation',
      state: 'in_progress',
      data: { level },
    });
  }
  const submittedAt = x.submittedAt ?? (x.submittedOn ? noon(x.submittedOn) : undefined);
  if (submittedAt) timeline.push({ at: submittedAt, actor: x.lead, action: 'submit', state: 'submitted' });
  if (x.acceptedOn) timeline.push({ at: noon(x.acceptedOn), actor: MONITORING, action: 'accept', state: 'accepted' });
  if (x.state === 'returned')
    timeline.push({ at: noon('2026-11-20'), actor: MONITORING, action: 'return', state: 'returned' });
  if (x.state === 'postponed')
    timeline.push({ at: noon('2026-03-02'), actor: MONITORING, action: 'postpone', state: 'postponed' });
  if (x.state === 'cancelled')
    timeline.push({ at: noon('2026-03-02'), actor: system, action: 'cancel', state: 'cancelled' });
  if (x.state === 'extension_requested')
    timeline.push({ at: noon('2026-12-01'), actor: x.lead, action: 'request_extension', state: 'extension_requested' });
  timeline.sort((a, b) => a.at.localeCompare(b.at));

  const snapshot: TaskSnapshot = {
    workflowId,
    planId: 'kh-12',
    planNumber: '12/KH-UBND',
    taskKey: x.ref,
    taskRef: x.ref,
    title: x.title ?? `Nhiệm vụ ${x.ref}: tập huấn kỹ năng hòa giải cho hòa giải viên`,
    lead: x.lead,
    coordinators: [],
    requiredSignOff: [],
    monitoring: MONITORING,
    state: x.state,
    reportingStatus: 'not_started',
    cycle: x.cycle ?? 0, // the first cycle, as the task workflow counts
    scheduleKind: x.due ? 'deadline' : 'continuous',
    timingText: x.due ? `Hoàn thành trước ngày ${x.due}` : 'Thường xuyên',
    due: x.due,
    effectiveDue: x.effectiveDue === undefined ? x.due : x.effectiveDue,
    originalDue: x.originalDue === undefined ? x.due : x.originalDue,
    deadlineHistory: deadlineHistoryOf(x, x.originalDue === undefined ? x.due : x.originalDue),
    confirmations: [],
    ladderLevelReached: x.ladder ?? 0,
    extensionsGranted: (x.extensions ?? []).length,
    targetValues: x.targetValues ?? [],
    deliveryFailures: [],
    pastCycles: x.pastCycles ?? [],
    timeline,
  };
  if (submittedAt) {
    snapshot.submission = {
      summary: `Đã hoàn thành nhiệm vụ ${x.ref}`,
      documentNumber: `${x.ref.replace('.', '')}/BC-${x.lead.id.toUpperCase()}`,
      documentDate: submittedAt.slice(0, 10),
      evidenceUrl: `https://vanban.example.gov.vn/${x.ref}`,
      at: submittedAt,
      by: x.lead,
    };
    if (x.state === 'accepted') snapshot.doneAt = submittedAt;
  }
  if (x.acceptedOn) snapshot.acceptedAt = noon(x.acceptedOn);
  return snapshot;
}

const value = (targetId: string, v: number, on: IsoDate, by: AgencyRef): TaskSnapshot['targetValues'][number] => ({
  targetId,
  value: v,
  at: noon(on),
  by,
});

/** The scripted plan: statuses as of 15/12/2026 are in each comment. */
export const SCRIPT: SnapshotScript[] = [
  // done on time
  {
    ref: '1.1',
    lead: AGENCY_A,
    state: 'accepted',
    due: '2026-06-30',
    submittedOn: '2026-06-20',
    acceptedOn: '2026-06-25',
    targetValues: [
      value('ty-le', 80, '2026-06-01', AGENCY_A),
      value('ty-le', 90, '2026-11-01', AGENCY_A),
      value('so-nguoi', 40, '2026-11-01', AGENCY_A),
    ],
  },
  // done late: 10 calendar days after 31/3
  {
    ref: '1.2',
    lead: AGENCY_A,
    state: 'accepted',
    due: '2026-03-31',
    submittedOn: '2026-04-10',
    acceptedOn: '2026-04-15',
  },
  // done on time
  {
    ref: '1.3',
    lead: AGENCY_B,
    state: 'accepted',
    due: '2026-09-30',
    submittedOn: '2026-09-29',
    acceptedOn: '2026-10-02',
    targetValues: [value('ty-le', 84, '2026-10-01', AGENCY_B), value('so-nguoi', 50, '2026-10-01', AGENCY_B)],
  },
  // within deadline
  { ref: '2.1', lead: AGENCY_B, state: 'in_progress', due: '2026-12-31' },
  // due soon: due Thu 17/12, band starts Mon 14/12
  {
    ref: '2.2',
    lead: AGENCY_C,
    state: 'in_progress',
    due: '2026-12-17',
    targetValues: [value('ty-le', 10, '2026-12-20', AGENCY_C)],
  },
  // overdue since Mon 30/11: 15 calendar days, 11 working days
  { ref: '2.3', lead: AGENCY_C, state: 'in_progress', due: '2026-11-30', ladder: 2 },
  // overdue: due Sat 31/10 → effective Mon 2/11: 43 calendar days, 31 working days
  {
    ref: '3.1',
    lead: AGENCY_A,
    state: 'returned',
    due: '2026-10-31',
    effectiveDue: '2026-11-02',
    submittedOn: '2026-11-10',
    ladder: 3,
  },
  // not started
  { ref: '3.2', lead: AGENCY_B, state: 'scheduled', due: '2027-06-30' },
  // not started (postponed)
  { ref: '3.3', lead: AGENCY_C, state: 'postponed', due: '2026-10-30' },
  // submitted 10/12 before the due day 11/12, waiting for acceptance: within deadline
  { ref: '4.1', lead: AGENCY_A, state: 'submitted', due: '2026-12-11', submittedOn: '2026-12-10' },
  // extended on 5/9 from Mon 31/8 to Fri 30/10, done 15/10: on time
  {
    ref: '4.2',
    lead: AGENCY_B,
    state: 'accepted',
    due: '2026-10-30',
    originalDue: '2026-08-31',
    extensions: [
      {
        due: '2026-10-30',
        grantedOn: '2026-09-05',
        reason: 'Chờ hướng dẫn của Bộ Tư pháp',
        note: 'Đồng ý; không gia hạn thêm lần nữa.',
      },
    ],
    submittedOn: '2026-10-15',
    acceptedOn: '2026-10-20',
  },
  // cancelled: excluded
  { ref: '4.3', lead: AGENCY_C, state: 'cancelled', due: '2026-05-31' },
  // extension requested, due next year: within deadline
  { ref: '5.1', lead: AGENCY_C, state: 'extension_requested', due: '2027-03-31' },
];

export const idOf = (ref: string, lead: AgencyRef): string => `dondoc:kh-12:${ref}:${lead.id}`;

export const PLAN: ReportPlan = {
  id: 'kh-12',
  number: '12/KH-UBND',
  issued: '2026-01-05',
  title: 'Thực hiện Đề án "Nâng cao năng lực đội ngũ hòa giải viên ở cơ sở" năm 2026',
  issuerName: 'UBND tỉnh Đắk Lắk',
  monitoringName: 'Sở Tư pháp',
  targets: [
    { id: 'ty-le', title: 'Tỷ lệ hòa giải thành', op: '>=', value: 85, unit: '%' },
    { id: 'so-nguoi', title: 'Số hòa giải viên được tập huấn', op: '>=', value: 100, unit: 'người' },
    { id: 'khong-so-lieu', title: 'Số tổ hòa giải được kiện toàn', op: '>=', value: 20, unit: 'tổ' },
  ],
};

export function makeInput(overrides: Partial<CompileReportInput> = {}): CompileReportInput {
  return {
    plan: PLAN,
    period: { kind: 'year', from: '2026-01-01', to: '2026-12-31', label: 'Năm 2026' },
    snapshots: SCRIPT.map(makeSnapshot),
    asOf: '2026-12-15',
    calendar: testCalendar,
    ...overrides,
  };
}

/**
 * A synthetic plan file and directory in the layouts import reads (through the zod schemas, so defaults apply and
 * the report's optional fields are checked): issued by a provincial People's Committee, followed by its justice
 * department, reporting yearly to a ministry, signed on behalf of the committee.
 */
export function makePlanSources(
  overrides: {
    plan?: Record<string, unknown>;
    duty?: Record<string, unknown> | null;
    agencies?: Record<string, unknown>[];
  } = {},
): { plan: PlanFile; directory: DirectoryFile } {
  const duty =
    overrides.duty === null
      ? []
      : [
          {
            id: 'yearly',
            every: 'yearly',
            due: '12-15',
            to: 'bo-tp',
            signer: { authority: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH'], title: 'PHÓ CHỦ TỊCH' },
            ...(overrides.duty ?? {}),
          },
        ];
  const plan = planFileSchema.parse({
    id: 'kh-12',
    number: '12/KH-UBND',
    title: 'Kế hoạch thực hiện Đề án "Nâng cao năng lực đội ngũ hòa giải viên ở cơ sở" năm 2026',
    issuer: 'ubnd-tinh',
    issued: '2026-01-05',
    period: { start: '2026-01-01', end: '2026-12-31' },
    directory: './directory.yaml',
    monitoringAgency: MONITORING.id,
    escalationAuthority: 'ubnd-tinh',
    reportingDuties: duty,
    targets: PLAN.targets,
    tasks: [{ ref: '1.1', title: 'Tập huấn kỹ năng hòa giải', lead: AGENCY_A.id, timing: 'Quý II/2026' }],
    ...(overrides.plan ?? {}),
  });
  const directory = directoryFileSchema.parse({
    agencies: overrides.agencies ?? [
      { id: 'ubnd-tinh', name: 'UBND tỉnh Đắk Lắk', level: 'province' },
      { id: MONITORING.id, name: MONITORING.name, level: 'department' },
      { id: 'bo-tp', name: 'Bộ Tư pháp', level: 'central' },
      { id: AGENCY_A.id, name: AGENCY_A.name, level: 'department' },
    ],
  });
  return { plan, directory };
}
