/**
 * Who may do what on the web (web/roles.ts) and the leadership figures (web/leadership-routes.ts): pure logic.
 */
import fc from 'fast-check';
import { ACTIONS, ACTION_NAMES } from '../../domain/lifecycle/actions';
import { TASK_STATES, type TaskState } from '../../domain/types';
import type { TaskRow } from '../../services/tasks';
import { LEADERSHIP_WORDS, rankAgencies, trendByMonth } from '../../web/leadership-routes';
import { actionsFor, holdsRole, maySeeTask, planRole, type TaskParties } from '../../web/roles';

const task = (state: TaskState, over: Partial<TaskParties> = {}): TaskParties => ({
  leadId: 'so-tu-phap',
  agencies: ['so-tu-phap', 'mttq-tinh', 'so-noi-vu'],
  requiredSignOff: ['mttq-tinh'],
  monitoringId: 'phong-pbgdpl',
  leadershipId: 'ubnd-tinh',
  state,
  ...over,
});
const AGENCIES = ['so-tu-phap', 'mttq-tinh', 'so-noi-vu', 'phong-pbgdpl', 'ubnd-tinh', 'so-khac'];

describe('roles', () => {
  it('every action of the registry is offered on the web to the party it belongs to, in some state', () => {
    for (const a of ACTION_NAMES) {
      const offered = TASK_STATES.some((st) => AGENCIES.some((ag) => actionsFor(ag, task(st)).includes(a)));
      expect([a, offered]).toEqual([a, true]);
    }
  });

  it('offers only actions whose role the agency holds and whose states include the task state', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TASK_STATES), fc.constantFrom(...AGENCIES), (st, ag) => {
        for (const a of actionsFor(ag, task(st))) {
          expect(ACTIONS[a].states).toContain(st);
          expect(holdsRole(a, ag, task(st))).toBe(true);
        }
      }),
    );
  });

  it('leadership, an outsider and a coordinator whose sign-off is not required get no lead or monitoring action', () => {
    for (const st of TASK_STATES) {
      expect(actionsFor('ubnd-tinh', task(st))).toEqual([]);
      expect(actionsFor('so-khac', task(st))).toEqual([]);
      expect(actionsFor('so-noi-vu', task(st)).filter((a) => ACTIONS[a].role !== 'party')).toEqual([]);
    }
    expect(actionsFor('mttq-tinh', task('submitted'))).toEqual(expect.arrayContaining(['confirm', 'dispute']));
    expect(actionsFor('phong-pbgdpl', task('submitted'))).toEqual(expect.arrayContaining(['accept', 'return']));
    expect(actionsFor('so-tu-phap', task('in_progress'))).toEqual(
      expect.arrayContaining(['submit', 'request_extension', 'decline']),
    );
  });

  it('who sees a task, and the plan-wide roles', () => {
    expect(maySeeTask('so-khac', task('in_progress'))).toBe(false);
    for (const ag of AGENCIES.slice(0, 5)) expect(maySeeTask(ag, task('in_progress'))).toBe(true);
    const plan = { monitoringAgency: 'phong-pbgdpl', escalationAuthority: 'ubnd-tinh' };
    expect(planRole('phong-pbgdpl', plan)).toBe('monitoring');
    expect(planRole('ubnd-tinh', plan)).toBe('leadership');
    expect(planRole('so-tu-phap', plan)).toBeUndefined();
  });
});

describe('leadership figures', () => {
  const row = (lead: string, status: TaskRow['status'], due: string | null, ref = '1'): TaskRow => ({
    workflowId: `dondoc:p:${ref}:${lead}`,
    planId: 'p',
    taskKey: ref,
    taskRef: ref,
    title: 't',
    leadId: lead,
    leadName: lead.toUpperCase(),
    agencies: [lead],
    state: 'in_progress',
    status,
    due,
    running: true,
  });
  const today = '2026-11-20';

  it('ranks agencies by overdue tasks, then by days overdue, with on-time and late counts', () => {
    const ranked = rankAgencies(
      [
        row('a', 'in_progress_overdue', '2026-11-10'),
        row('b', 'in_progress_overdue', '2026-11-19'),
        row('b', 'in_progress_overdue', '2026-11-18'),
        row('c', 'in_progress_overdue', '2026-10-21'),
        row('a', 'done_on_time', '2026-09-30'),
        row('a', 'done_late', '2026-08-31'),
        row('c', 'cancelled', '2026-08-31'),
      ],
      today,
    );
    expect(ranked.map((a) => [a.id, a.overdue, a.daysOverdue, a.maxDays])).toEqual([
      ['b', 2, 3, 2],
      ['c', 1, 30, 30],
      ['a', 1, 10, 10],
    ]);
    expect(ranked.find((a) => a.id === 'a')).toMatchObject({ onTime: 1, late: 1, total: 3 });
    expect(ranked.find((a) => a.id === 'c')?.total).toBe(1);
  });

  it('counts by month of the due date over the last twelve months, across a year boundary', () => {
    const trend = trendByMonth(
      [
        row('a', 'done_on_time', '2026-01-15'),
        row('a', 'done_late', '2025-12-31'),
        row('a', 'in_progress_overdue', '2026-11-01'),
        row('a', 'done_on_time', '2025-11-30'),
      ],
      today,
    );
    expect(trend).toHaveLength(12);
    expect(trend[0]?.month).toBe('2025-12');
    expect(trend[11]?.month).toBe('2026-11');
    expect(trend.find((t) => t.month === '2025-12')?.counts).toEqual({
      done_on_time: 0,
      done_late: 1,
      in_progress_overdue: 0,
    });
    expect(trend.find((t) => t.month === '2026-11')?.counts['in_progress_overdue']).toBe(1);
    expect(trend.reduce((n, t) => n + Object.values(t.counts).reduce((x, y) => x + y, 0), 0)).toBe(3);
  });
});

describe('leadership page words', () => {
  it('has every word in both languages, and its plan picker button speaks Vietnamese', () => {
    expect(Object.keys(LEADERSHIP_WORDS.en).sort()).toEqual(Object.keys(LEADERSHIP_WORDS.vi).sort());
    // The button read "OK" in both languages.
    expect(LEADERSHIP_WORDS.vi.show).toBe('Xem');
    expect(LEADERSHIP_WORDS.en.show).toBe('Show');
  });
});

describe('target reports', () => {
  it('are offered only on a task that tracks a target, as the workflow menu does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TASK_STATES), fc.constantFrom(...AGENCIES), (st, ag) => {
        expect(actionsFor(ag, task(st, { targetIds: [] }))).not.toContain('report_target');
        // Everything else is offered as before.
        expect(actionsFor(ag, task(st, { targetIds: [] }))).toEqual(
          actionsFor(ag, task(st, { targetIds: ['so-to-hoa-giai'] })).filter((a) => a !== 'report_target'),
        );
      }),
    );
    expect(actionsFor('so-tu-phap', task('in_progress', { targetIds: ['so-to-hoa-giai'] }))).toContain('report_target');
  });
});
