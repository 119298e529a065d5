import fc from 'fast-check';
import { nextAlarmV3, type AlarmSlots } from '../../../domain/alarms';
import { createCalendar, instantOfLocal, localDateOf, VN_CALENDAR_OVERRIDES } from '../../../domain/calendar';
import { ACTION_NAMES, type ActionName } from '../../../domain/lifecycle/actions';
import { initialCore, type TaskCore } from '../../../domain/lifecycle/core';
import type { ActionInput } from '../../../domain/lifecycle/inputs';
import {
  applyAction,
  applyFact,
  checkAction,
  noticeItems,
  pendingCoordinators,
  snapshotOf,
  type MachineContext,
} from '../../../domain/lifecycle/machine';
import { TASK_STATES, type TaskInstanceSpec, type TaskState } from '../../../domain/types';
import { AGENCIES, deadlineSchedule, makeSpec } from '../../helpers/spec';

const TZ = 'Asia/Ho_Chi_Minh';
const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
const NOW = Date.UTC(2029, 10, 20, 3, 0, 0); // 20/11/2029 10:00 local, before the spec's 01/01/2030 deadline
const ctx = (now = NOW, v3 = true): MachineContext => ({
  now,
  timeZone: TZ,
  calendar,
  rules: { v3, slowAfterLadder: true },
});
const spec = makeSpec('dondoc:test-plan:1.1:so-tu-phap', { targetIds: ['ty-le'] });

/** A core in a given state, with a submission when the state implies one. */
function coreIn(state: TaskState, s: TaskInstanceSpec = spec): TaskCore {
  const core = initialCore(s, 0, NOW, localDateOf(NOW, TZ), true);
  const submitted = ['submitted', 'confirmed', 'disputed', 'accepted'].includes(state);
  return {
    ...core,
    state,
    resumeState: 'in_progress',
    ...(submitted ? { submission: { summary: 'Đã xong', at: new Date(NOW).toISOString(), by: s.lead } } : {}),
    ...(state === 'confirmed'
      ? {
          confirmations: s.requiredSignOff.map((agencyId) => ({
            agencyId,
            verdict: 'confirmed' as const,
            at: new Date(NOW).toISOString(),
          })),
        }
      : {}),
    ...(state === 'disputed'
      ? {
          confirmations: [
            { agencyId: AGENCIES.coord1.id, verdict: 'disputed' as const, at: new Date(NOW).toISOString() },
          ],
        }
      : {}),
    ...(state === 'extension_requested'
      ? { pendingExtension: { newDue: '2030-03-01', reason: 'Chờ kinh phí', at: new Date(NOW).toISOString() } }
      : {}),
  };
}

/** Valid fields of each action, so a refusal in the table is about who and when, not about the input. */
const FIELDS: Record<ActionName, Record<string, unknown>> = {
  submit: { summary: 'Đã hoàn thành' },
  confirm: {},
  dispute: { reason: 'Thiếu số liệu' },
  accept: {},
  return: { reason: 'Bổ sung phụ lục' },
  request_extension: { newDue: '2030-06-30', reason: 'Chờ kinh phí' },
  approve_extension: { approve: true },
  reject_extension: { approve: false, reason: 'Không đủ căn cứ' },
  postpone: { reason: 'Chờ chỉ đạo' },
  resume: {},
  decline: { reason: 'Không thuộc thẩm quyền' },
  reassign: { newLead: { id: 'so-noi-vu-moi', name: 'Sở Nội vụ (mới)' }, reason: 'Đúng thẩm quyền' },
  report_target: { targetId: 'ty-le', value: 85 },
};

const ACTORS = {
  lead: AGENCIES.lead.id,
  coordinator: AGENCIES.coord1.id, // required to sign off
  bystander: AGENCIES.coord2.id, // a coordinator whose confirmation is not required
  monitoring: AGENCIES.monitoring.id,
  outsider: AGENCIES.other.id,
} as const;
type Who = keyof typeof ACTORS;

/**
 * The rules as the product brief states them, written out by hand: who may take each action in which state.
 * (The registry is what the code reads; this table is what it must mean.)
 */
const MAY: Record<ActionName, { who: Who[]; states: TaskState[] }> = {
  submit: { who: ['lead'], states: ['in_progress', 'returned', 'disputed', 'declined'] },
  confirm: { who: ['coordinator'], states: ['submitted', 'disputed'] },
  dispute: { who: ['coordinator'], states: ['submitted', 'confirmed'] }, // not again while it stands
  accept: { who: ['monitoring'], states: ['confirmed'] }, // never while a required sign-off is missing
  return: { who: ['monitoring'], states: ['submitted', 'confirmed', 'disputed'] },
  request_extension: { who: ['lead'], states: ['in_progress', 'returned'] },
  approve_extension: { who: ['monitoring'], states: ['extension_requested'] },
  reject_extension: { who: ['monitoring'], states: ['extension_requested'] },
  postpone: { who: ['monitoring'], states: ['scheduled', 'in_progress', 'returned', 'declined'] },
  resume: { who: ['monitoring'], states: ['postponed'] },
  decline: { who: ['lead'], states: ['scheduled', 'in_progress', 'returned'] },
  reassign: { who: ['monitoring'], states: ['declined', 'in_progress', 'returned', 'scheduled'] },
  report_target: {
    who: ['lead', 'coordinator', 'bystander'],
    states: TASK_STATES.filter((s) => s !== 'cancelled'),
  },
};

describe('checkAction: every action × state × actor', () => {
  const rows = ACTION_NAMES.flatMap((action) =>
    TASK_STATES.flatMap((state) => (Object.keys(ACTORS) as Who[]).map((who) => ({ action, state, who }))),
  );
  test.each(rows)('$action in $state by $who', ({ action, state, who }) => {
    const input: ActionInput = { actor: { agencyId: ACTORS[who] }, ...FIELDS[action] };
    const refusal = checkAction(coreIn(state), spec, action, input, ctx());
    const allowed = MAY[action].who.includes(who) && MAY[action].states.includes(state);
    if (allowed) expect(refusal).toBeUndefined();
    else {
      expect(refusal).toBeDefined();
      // The role is checked before the state: an outsider is told it may not act, not that the state is wrong.
      if (!MAY[action].who.includes(who)) expect(refusal?.code).toBe('not_allowed');
      else expect(refusal?.code).toBe('wrong_state');
    }
  });

  test('a cancelled task accepts nothing, from anyone', () => {
    for (const action of ACTION_NAMES)
      for (const who of Object.keys(ACTORS) as Who[])
        expect(
          checkAction(
            coreIn('cancelled'),
            spec,
            action,
            { actor: { agencyId: ACTORS[who] }, ...FIELDS[action] },
            ctx(),
          ),
        ).toBeDefined();
  });
});

describe('checkAction: input, links and action ids', () => {
  const lead = { agencyId: ACTORS.lead };

  test('bad fields are refused as invalid_input, naming the field', () => {
    const core = coreIn('in_progress');
    expect(checkAction(core, spec, 'submit', { actor: lead, summary: '   ' }, ctx())).toMatchObject({
      code: 'invalid_input',
      field: 'summary',
    });
    expect(checkAction(core, spec, 'submit', { actor: lead, summary: 'x'.repeat(4001) }, ctx())).toMatchObject({
      code: 'invalid_input',
      field: 'summary',
    });
    expect(
      checkAction(core, spec, 'submit', { actor: lead, summary: 'Xong', evidenceUrl: 'javascript:alert(1)' }, ctx()),
    ).toMatchObject({
      field: 'evidenceUrl',
    });
    expect(
      checkAction(core, spec, 'request_extension', { actor: lead, newDue: '2030-02-30', reason: 'x' }, ctx()),
    ).toMatchObject({ field: 'newDue' });
    expect(
      checkAction(core, spec, 'request_extension', { actor: lead, newDue: '2029-12-31', reason: 'x' }, ctx()),
    ).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('01/01/2030') as string,
    });
    expect(
      checkAction(core, spec, 'report_target', { actor: lead, targetId: 'khong-co', value: 1 }, ctx()),
    ).toMatchObject({ field: 'targetId' });
    expect(
      checkAction(core, spec, 'report_target', { actor: lead, targetId: 'ty-le', value: Number.NaN }, ctx()),
    ).toMatchObject({ field: 'value' });
    expect(checkAction(core, spec, 'submit', { actor: { agencyId: '' }, summary: 'x' }, ctx())).toMatchObject({
      code: 'invalid_input',
      field: 'actor',
    });
  });

  test('a link of another cycle is refused as stale_link', () => {
    expect(
      checkAction(coreIn('in_progress'), spec, 'submit', { actor: lead, summary: 'Xong', cycle: 3 }, ctx()),
    ).toMatchObject({ code: 'stale_link' });
    expect(
      checkAction(coreIn('in_progress'), spec, 'submit', { actor: lead, summary: 'Xong', cycle: 0 }, ctx()),
    ).toBeUndefined();
  });

  test('an action id is applied once: the same id again is already_done, with the earlier record and the state now', () => {
    const first = applyAction(
      coreIn('in_progress'),
      spec,
      'submit',
      { actor: lead, summary: 'Xong', actionId: 'link:abc' },
      ctx(),
    );
    expect(first.result).toMatchObject({ state: 'submitted', actionId: 'link:abc' });
    const again = checkAction(
      first.core,
      spec,
      'submit',
      { actor: lead, summary: 'Lần hai', actionId: 'link:abc' },
      ctx(NOW + 60_000),
    );
    expect(again).toMatchObject({
      code: 'already_done',
      earlier: { action: 'submit', state: 'submitted', by: AGENCIES.lead.name },
    });
    // After a return the same link is still used: it does not replace the new submission.
    const returned = applyAction(
      first.core,
      spec,
      'return',
      { actor: { agencyId: ACTORS.monitoring }, reason: 'Bổ sung' },
      ctx(),
    );
    expect(
      checkAction(returned.core, spec, 'submit', { actor: lead, summary: 'Lần hai', actionId: 'link:abc' }, ctx()),
    ).toMatchObject({
      code: 'already_done',
    });
    // Another actor reusing the id cannot act with it and learns nothing from it.
    const other = checkAction(
      first.core,
      spec,
      'dispute',
      { actor: { agencyId: ACTORS.coordinator }, reason: 'x', actionId: 'link:abc' },
      ctx(),
    );
    expect(other).toMatchObject({ code: 'invalid_input', field: 'actionId' });
    expect(other?.earlier).toBeUndefined();
  });
});

describe('applyAction: state, timeline and notices', () => {
  const lead = { agencyId: ACTORS.lead };
  const monitoring = { agencyId: ACTORS.monitoring };

  test('a decline goes to the monitoring agency as a decline, with the reassign button', () => {
    const step = applyAction(
      coreIn('in_progress'),
      spec,
      'decline',
      { actor: lead, reason: 'Không thuộc thẩm quyền' },
      ctx(),
    );
    expect(step.core.state).toBe('declined');
    expect(step.notices).toEqual([
      expect.objectContaining({
        kind: 'declined',
        to: [{ agencyId: ACTORS.monitoring, role: 'focal', actions: ['reassign'] }],
      }),
    ]);
  });

  test('a reassignment tells the new lead it now leads the task, and the lead changes', () => {
    const step = applyAction(coreIn('declined'), spec, 'reassign', { actor: monitoring, ...FIELDS.reassign }, ctx());
    expect(step.core.lead).toEqual({ id: 'so-noi-vu-moi', name: 'Sở Nội vụ (mới)' });
    expect(step.core.state).toBe('in_progress');
    const [notice] = step.notices;
    expect(notice).toMatchObject({
      kind: 'reassigned',
      to: [{ agencyId: 'so-noi-vu-moi', actions: ['submit', 'request_extension', 'decline'] }],
    });
    expect(noticeItems(step.core, spec, notice!, ctx())[0]?.task.lead.id).toBe('so-noi-vu-moi');
  });

  test('a dispute offers the lead a new report and the monitoring agency a return, never a submit link', () => {
    const step = applyAction(
      coreIn('submitted'),
      spec,
      'dispute',
      { actor: { agencyId: ACTORS.coordinator }, reason: 'Thiếu số liệu' },
      ctx(),
    );
    const items = noticeItems(step.core, spec, step.notices[0]!, ctx());
    const byAgency = new Map(items.map((i) => [i.recipient.agencyId, i.details.actions]));
    expect(byAgency.get(ACTORS.lead)).toEqual(['submit']);
    expect(byAgency.get(ACTORS.monitoring)).toEqual(['return']);
  });

  test('before lifecycle-v3 the same actions keep the notices they were recorded with', () => {
    const decline = applyAction(coreIn('in_progress'), spec, 'decline', { actor: lead, reason: 'x' }, ctx(NOW, false));
    expect(decline.notices[0]?.kind).toBe('disputed');
    const reassign = applyAction(
      coreIn('declined'),
      spec,
      'reassign',
      { actor: monitoring, ...FIELDS.reassign },
      ctx(NOW, false),
    );
    expect(reassign.notices[0]?.kind).toBe('reminder');
    expect(
      applyAction(coreIn('in_progress'), spec, 'postpone', { actor: monitoring, reason: 'x' }, ctx(NOW, false)).notices,
    ).toEqual([]);
  });

  test('an approved extension may set another date than requested, moves the deadline and resets the ladder', () => {
    const core = {
      ...coreIn('extension_requested'),
      ladderLevelReached: 2,
      fired: ['escalation:1:2030-01-01', 'reminder:7:2030-01-01'],
      lastOverdueNotice: '2030-01-08',
    };
    const step = applyAction(
      core,
      spec,
      'approve_extension',
      { actor: monitoring, approve: true, newDue: '2030-04-30' },
      ctx(),
    );
    expect(step.core).toMatchObject({
      due: '2030-04-30',
      ladderLevelReached: 0,
      lastOverdueNotice: null,
      fired: [],
      state: 'in_progress',
    });
    expect(step.core.deadlineHistory.at(-1)).toMatchObject({
      kind: 'extension',
      due: '2030-04-30',
      previousDue: '2030-01-01',
    });
    expect(step.notices[0]?.details).toMatchObject({
      approved: true,
      newDue: '2030-04-30',
      requestedDue: '2030-03-01',
    });
  });

  test('a return keeps the report and records why, so the resubmission starts from both', () => {
    const step = applyAction(
      coreIn('submitted'),
      spec,
      'return',
      { actor: monitoring, reason: 'Bổ sung phụ lục' },
      ctx(),
    );
    const snap = snapshotOf(step.core, spec, ctx());
    expect(snap.submission?.summary).toBe('Đã xong');
    expect(snap.lastReturn).toMatchObject({ reason: 'Bổ sung phụ lục', by: { id: ACTORS.monitoring } });
  });

  test('the decisions about a report carry the report and the answers so far, in every email they make', () => {
    const submitted = applyAction(
      coreIn('in_progress'),
      spec,
      'submit',
      {
        actor: lead,
        summary: 'Đã tổ chức hội nghị',
        documentNumber: '12/BC-STP',
        documentDate: '2029-11-19',
        evidenceUrl: 'https://vanban.example.gov.vn/12',
      },
      ctx(),
    );
    const report = {
      summary: 'Đã tổ chức hội nghị',
      documentNumber: '12/BC-STP',
      documentDate: '2029-11-19',
      evidenceUrl: 'https://vanban.example.gov.vn/12',
      by: spec.lead,
    };
    const [confirmRequest] = submitted.notices;
    expect(confirmRequest?.kind).toBe('confirm_request');
    for (const item of noticeItems(submitted.core, spec, confirmRequest!, ctx()))
      expect(item.details.submission).toMatchObject(report);

    const disputed = applyAction(
      submitted.core,
      spec,
      'dispute',
      { actor: { agencyId: ACTORS.coordinator }, reason: 'Thiếu số liệu' },
      ctx(),
    );
    const items = noticeItems(disputed.core, spec, disputed.notices[0]!, ctx());
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.details.submission).toMatchObject(report);
      expect(item.details.confirmations).toEqual([
        { agency: { id: ACTORS.coordinator, name: AGENCIES.coord1.name }, verdict: 'disputed', note: 'Thiếu số liệu' },
      ]);
    }

    const returned = applyAction(disputed.core, spec, 'return', { actor: monitoring, reason: 'Bổ sung' }, ctx());
    expect(returned.notices[0]).toMatchObject({ kind: 'returned', details: { reason: 'Bổ sung', submission: report } });

    // Before lifecycle-v3 the notices stay as they were recorded.
    const old = applyAction(coreIn('in_progress'), spec, 'submit', { actor: lead, summary: 'x' }, ctx(NOW, false));
    expect(old.notices[0]?.details.submission).toBeUndefined();
  });

  test('a new instance tells its lead of the task, with the actions its first state allows', () => {
    const open = applyFact(coreIn('in_progress'), spec, { kind: 'created' }, ctx());
    expect(open.notices).toEqual([
      {
        kind: 'plan_imported',
        to: [{ agencyId: ACTORS.lead, role: 'focal', actions: ['submit', 'request_extension', 'decline'] }],
        detailKey: 'created',
        details: {},
      },
    ]);
    const [item] = noticeItems(open.core, spec, open.notices[0]!, ctx());
    expect(item).toMatchObject({ kind: 'plan_imported', task: { due: expect.any(String), lead: spec.lead } });
    const notYetOpen = applyFact(coreIn('scheduled'), spec, { kind: 'created' }, ctx());
    expect(notYetOpen.notices[0]?.to[0]?.actions).toEqual(['decline']);
  });

  test('text is kept as NFC without bidi overrides or zero-width characters', () => {
    const step = applyAction(
      coreIn('in_progress'),
      spec,
      'submit',
      { actor: lead, summary: 'Hoa\u0300n tha\u0300nh\u202E\u200B' },
      ctx(),
    );
    expect(step.core.submission?.summary).toBe('Hoàn thành');
  });

  test('a cancelled task counts as cancelled, not as in progress', () => {
    const step = applyFact(coreIn('in_progress'), spec, { kind: 'cancel', reason: 'Bỏ khỏi kế hoạch' }, ctx());
    expect(snapshotOf(step.core, spec, ctx()).reportingStatus).toBe('cancelled');
    expect(step.notices[0]).toMatchObject({ kind: 'cancelled' });
    expect(applyFact(step.core, spec, { kind: 'cancel', reason: 'lần hai' }, ctx()).unchanged).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------------------
// Laws over random action sequences
// ------------------------------------------------------------------------------------------------------------

const actionArb = fc.record({
  action: fc.constantFrom(...ACTION_NAMES),
  who: fc.constantFrom(...(Object.keys(ACTORS) as Who[])),
  days: fc.integer({ min: 0, max: 40 }),
  idReuse: fc.boolean(),
});
const factArb = fc.oneof(
  fc.record({ fact: fc.constant('cancel' as const) }),
  fc.record({ fact: fc.constant('amend' as const), due: fc.constantFrom('2030-02-28', '2030-06-30', '2029-12-31') }),
);

describe('laws of the lifecycle over random sequences', () => {
  const twoSignOff = makeSpec('dondoc:test-plan:2.1:so-tu-phap', {
    requiredSignOff: [AGENCIES.coord1.id, AGENCIES.coord2.id],
    targetIds: ['ty-le'],
  });

  test('one lead; no acceptance without a submission; confirmations only from required coordinators; cancelled is final', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 9, arbitrary: actionArb }, { weight: 1, arbitrary: factArb }), { maxLength: 40 }),
        (steps) => {
          const s = twoSignOff;
          let core = initialCore(s, 0, NOW, localDateOf(NOW, TZ), true);
          let now = NOW;
          let leads = new Set([s.lead.id]);
          let n = 0;
          for (const step of steps) {
            if ('fact' in step) {
              if (step.fact === 'cancel') core = applyFact(core, s, { kind: 'cancel', reason: 'x' }, ctx(now)).core;
              else
                core = applyFact(
                  core,
                  s,
                  { kind: 'amend', spec: s, reason: 'điều chỉnh', nextDue: step.due },
                  ctx(now),
                ).core;
              continue;
            }
            now += step.days * 86_400_000;
            n += 1;
            const who =
              step.who === 'bystander' ? AGENCIES.coord2.id : step.who === 'lead' ? core.lead.id : ACTORS[step.who];
            const input: ActionInput = {
              actor: { agencyId: who },
              ...FIELDS[step.action],
              actionId: step.idReuse ? 'same-id' : `id-${n}`,
            };
            if (step.action === 'reassign') input.newLead = { id: `lead-${n}`, name: `Cơ quan ${n}` };
            const before = core;
            const refusal = checkAction(core, s, step.action, input, ctx(now));
            if (before.state === 'cancelled') expect(refusal).toBeDefined();
            if (refusal) continue;
            core = applyAction(core, s, step.action, input, ctx(now)).core;
            if (step.action === 'reassign') leads = new Set([...leads, core.lead.id]);

            // Exactly one lead, and always one that was given the task.
            expect(typeof core.lead.id).toBe('string');
            expect(leads.has(core.lead.id)).toBe(true);
            // No acceptance without a submission made before it.
            if (core.state === 'accepted') {
              expect(core.submission).toBeDefined();
              expect(core.submission!.at <= core.acceptedAt!).toBe(true);
              expect(pendingCoordinators(before, s)).toEqual([]);
            }
            // Confirmations come only from coordinators whose sign-off is required.
            for (const c of core.confirmations) expect(s.requiredSignOff).toContain(c.agencyId);
            // An approved extension moves the deadline and resets the ladder.
            if (step.action === 'approve_extension') {
              expect(core.due).toBe(before.pendingExtension?.newDue);
              expect(core.ladderLevelReached).toBe(0);
              expect(core.fired.some((k) => k.endsWith(`:${before.due}`))).toBe(false);
            }
            // Every applied action is recorded, and an id is never applied twice.
            const ids = (core.handled ?? []).map((h) => h.id);
            expect(new Set(ids).size).toBe(ids.length);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('overdue notices and the ladder, however late a task is first followed', () => {
  const at = (d: string, h: number, m: number): number => instantOfLocal(d, h, m, TZ);
  const slots: AlarmSlots = { notify: (d) => at(d, 8, 0), escalate: (d) => at(d, 8, 5), midnight: (d) => at(d, 0, 0) };

  /** Plays the alarms of an open, overdue task from `since` for `horizonDays`, firing each as the workflow would. */
  function play(
    s: TaskInstanceSpec,
    since: number,
    horizonDays: number,
  ): { at: number; kind: string; level?: number }[] {
    let core: TaskCore = { ...initialCore(s, 0, since, localDateOf(since, TZ), true), since };
    const fired: { at: number; kind: string; level?: number }[] = [];
    const end = since + horizonDays * 86_400_000;
    for (let i = 0; i < 500; i++) {
      const alarm = nextAlarmV3(
        {
          state: core.state,
          leadId: core.lead.id,
          monitoringId: s.monitoring.id,
          authorityId: s.authority.id,
          coordinatorsPending: [],
          opensOn: core.opensOn,
          due: core.due,
          since: core.since,
          submittedOn: null,
          reminderOffsets: s.reminderOffsets,
          overdueEveryWorkingDays: s.overdueEveryWorkingDays,
          ladder: s.ladder,
          fired: new Set(core.fired),
          lastOverdueNotice: core.lastOverdueNotice ?? null,
          closeUnfinishedCycle: false,
          successions: [],
          timeZone: TZ,
        },
        calendar,
        slots,
      );
      if (!alarm || alarm.at > end) break;
      expect(alarm.at).toBeGreaterThanOrEqual(since);
      core = applyFact(core, s, { kind: 'alarm', alarm }, ctx(alarm.at)).core;
      fired.push({ at: alarm.at, kind: alarm.kind, level: alarm.notify?.details['level'] as number | undefined });
    }
    // The state carried across continue-as-new stays small however long the task is overdue.
    expect(core.fired.length).toBeLessThanOrEqual(s.reminderOffsets.length + s.ladder.length + 2);
    return fired;
  }

  test('property: the first notice comes at the next working morning, the next within the rhythm, each level once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2020, max: 2032 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 23 }),
        (year, month, daysLate, rhythm, hour) => {
          const due = `${year}-${String(month).padStart(2, '0')}-15`;
          const s = makeSpec('dondoc:p:1:a', {
            schedule: deadlineSchedule(due),
            overdueEveryWorkingDays: rhythm,
            requiredSignOff: [],
          });
          const effective = calendar.effectiveDeadline(due);
          const since = at(effective, 0, 0) + daysLate * 86_400_000 + hour * 3_600_000;
          const events = play(s, since, 120);
          const notices = events.filter((e) => e.kind === 'overdue_notice');
          expect(notices.length).toBeGreaterThan(0);
          // The first notice: on a working day, within the rhythm of the day the task is first followed (the next
          // working morning when the rhythm's date has already passed).
          const sinceDay = localDateOf(since, TZ);
          const firstDay = localDateOf(notices[0]!.at, TZ);
          expect(calendar.isWorkingDay(firstDay)).toBe(true);
          expect(calendar.workingDaysBetween(sinceDay, firstDay)).toBeLessThanOrEqual(rhythm);
          if (calendar.workingDaysBetween(effective, sinceDay) > rhythm)
            expect(calendar.workingDaysBetween(sinceDay, firstDay)).toBeLessThanOrEqual(1);
          // Then never more than the slowed rhythm apart.
          for (let i = 1; i < notices.length; i++) {
            const gap = calendar.workingDaysBetween(
              localDateOf(notices[i - 1]!.at, TZ),
              localDateOf(notices[i]!.at, TZ),
            );
            expect(gap).toBeGreaterThanOrEqual(1);
            expect(gap).toBeLessThanOrEqual(rhythm * 4);
          }
          // Each ladder level at most once; a task followed after the whole ladder gets one escalation, the top level.
          const levels = events.filter((e) => e.kind === 'escalation').map((e) => e.level);
          expect(new Set(levels).size).toBe(levels.length);
          const passedAll = calendar.workingDaysBetween(effective, sinceDay) > 14;
          if (passedAll) expect(levels).toEqual([3]);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a task followed years after its deadline is reminded within days, not years (the Thanh Hóa and Đắk Lắk cases)', () => {
    for (const due of ['2024-06-30', '2019-09-30']) {
      const s = makeSpec('dondoc:p:1:a', { schedule: deadlineSchedule(due), requiredSignOff: [] });
      const since = Date.UTC(2026, 11, 1, 3, 0, 0);
      const [first, second] = play(s, since, 60);
      expect(first).toMatchObject({ kind: 'overdue_notice' });
      expect(first!.at - since).toBeLessThan(4 * 86_400_000);
      expect(second).toMatchObject({ kind: 'escalation', level: 3 });
    }
  });
});

describe("a decision's notice carries who decided and their remark", () => {
  test('an acceptance tells the lead the monitoring agency’s remark', () => {
    const step = applyAction(
      coreIn('confirmed'),
      spec,
      'accept',
      { actor: { agencyId: ACTORS.monitoring }, note: 'Đạt yêu cầu, tuy báo cáo muộn' },
      ctx(),
    );
    const notice = step.notices.find((n) => n.kind === 'accepted');
    expect(notice?.details).toMatchObject({
      actor: { id: AGENCIES.monitoring.id, name: AGENCIES.monitoring.name },
      reason: 'Đạt yêu cầu, tuy báo cáo muộn',
    });
  });

  test('an extension decision names the deciding agency and keeps its remark', () => {
    const step = applyAction(
      coreIn('extension_requested'),
      spec,
      'approve_extension',
      { actor: { agencyId: ACTORS.monitoring }, newDue: '2030-03-15', reason: 'Đồng ý để kịp kinh phí' },
      ctx(),
    );
    const notice = step.notices.find((n) => n.kind === 'extension_decision');
    expect(notice?.details).toMatchObject({
      approved: true,
      newDue: '2030-03-15',
      reason: 'Đồng ý để kịp kinh phí',
      actor: { id: AGENCIES.monitoring.id, name: AGENCIES.monitoring.name },
    });
  });
});
