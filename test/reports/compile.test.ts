import fc from 'fast-check';
import { REPORTING_STATUSES, TASK_STATES } from '../../domain/types';
import type { ReportingStatus } from '../../domain/types';
import { createCalendar } from '../../domain/calendar';
import { compileReport } from '../../reports/compile';
import { labelReportingStatus } from '../../reports/labels';
import {
  AGENCY_A,
  AGENCY_B,
  AGENCY_C,
  MONITORING,
  idOf,
  makeInput,
  makeSnapshot,
  testCalendar,
} from './report-fixture';

const ids = (...refs: [string, typeof AGENCY_A][]): string[] => refs.map(([r, a]) => idOf(r, a)).sort();

describe('compileReport on the scripted plan as of 15/12/2026', () => {
  const report = compileReport(makeInput());

  test('counts every status exactly, with the workflow ids behind each count', () => {
    const expected: Record<ReportingStatus, string[]> = {
      done_on_time: ids(['1.1', AGENCY_A], ['1.3', AGENCY_B], ['4.2', AGENCY_B]),
      done_late: ids(['1.2', AGENCY_A]),
      in_progress_within_deadline: ids(['2.1', AGENCY_B], ['4.1', AGENCY_A], ['5.1', AGENCY_C]),
      due_soon: ids(['2.2', AGENCY_C]),
      in_progress_overdue: ids(['2.3', AGENCY_C], ['3.1', AGENCY_A]),
      not_started: ids(['3.2', AGENCY_B], ['3.3', AGENCY_C]),
      cancelled: [],
    };
    for (const s of REPORTING_STATUSES) {
      expect({ s, ids: [...report.counts.byStatus[s].workflowIds].sort() }).toEqual({ s, ids: expected[s] });
      expect(report.counts.byStatus[s].count).toBe(expected[s].length);
    }
    expect(report.counts.total.count).toBe(12);
    expect(report.tasks).toHaveLength(12);
  });

  test('leaves cancelled tasks out of the counts and says why', () => {
    expect(report.excluded).toEqual([
      expect.objectContaining({ workflowId: idOf('4.3', AGENCY_C), reason: 'Nhiệm vụ đã hủy' }),
    ]);
    expect(report.counts.total.workflowIds).not.toContain(idOf('4.3', AGENCY_C));
  });

  test('counts per lead agency', () => {
    const byName = Object.fromEntries(report.byAgency.map((a) => [a.agency.id, a]));
    expect(Object.keys(byName).sort()).toEqual([AGENCY_A.id, AGENCY_B.id, AGENCY_C.id].sort());
    expect(byName[AGENCY_A.id]?.total.count).toBe(4);
    expect(byName[AGENCY_A.id]?.byStatus.done_late.workflowIds).toEqual([idOf('1.2', AGENCY_A)]);
    expect(byName[AGENCY_B.id]?.byStatus.done_on_time.count).toBe(2);
    expect(byName[AGENCY_C.id]?.byStatus.in_progress_overdue.workflowIds).toEqual([idOf('2.3', AGENCY_C)]);
    const sum = report.byAgency.reduce((n, a) => n + a.total.count, 0);
    expect(sum).toBe(report.counts.total.count);
  });

  test('lists overdue items most overdue first, with calendar and working days and ladder level', () => {
    expect(
      report.overdue.map((o) => [o.taskRef, o.due, o.calendarDaysOverdue, o.workingDaysOverdue, o.ladderLevelReached]),
    ).toEqual([
      ['3.1', '2026-11-02', 43, 31, 3],
      ['2.3', '2026-11-30', 15, 11, 2],
    ]);
  });

  test('lists extensions granted in the period with the previous and new deadline', () => {
    expect(report.extensions).toEqual([
      expect.objectContaining({
        taskRef: '4.2',
        previousDue: '2026-08-31',
        newDue: '2026-10-30',
        grantedOn: '2026-09-05',
        reason: 'Chờ hướng dẫn của Bộ Tư pháp',
        decisionNote: 'Đồng ý; không gia hạn thêm lần nữa.',
      }),
    ]);
  });

  test('the approver’s note is read from its decision in the timeline, and only from it', () => {
    const approved = (note?: string) =>
      makeSnapshot({
        ref: '9.1',
        lead: AGENCY_A,
        state: 'in_progress',
        due: '2026-12-31',
        originalDue: '2026-10-30',
        extensions: [{ due: '2026-12-31', grantedOn: '2026-10-20', reason: 'Chờ kinh phí', ...(note ? { note } : {}) }],
      });
    const noted = compileReport(makeInput({ snapshots: [approved('Đồng ý, lần cuối.')] })).extensions;
    expect(noted.map((e) => [e.reason, e.decisionNote])).toEqual([['Chờ kinh phí', 'Đồng ý, lần cuối.']]);
    const bare = compileReport(makeInput({ snapshots: [approved()] })).extensions;
    expect(bare[0]).not.toHaveProperty('decisionNote');
    // Another agency's note on the same day is not the approver's.
    const other = approved('Ý kiến khác');
    const moved = {
      ...other,
      timeline: other.timeline.map((t) =>
        t.action === 'approve_extension' ? { ...t, actor: { id: 'khac', name: 'Cơ quan khác' } } : t,
      ),
    };
    expect(compileReport(makeInput({ snapshots: [moved] })).extensions[0]).not.toHaveProperty('decisionNote');
  });

  test('lists tasks done in the period with their evidence, by done date', () => {
    expect(report.done.map((d) => [d.taskRef, d.doneOn, d.reportingStatus])).toEqual([
      ['1.2', '2026-04-10', 'done_late'],
      ['1.1', '2026-06-20', 'done_on_time'],
      ['1.3', '2026-09-29', 'done_on_time'],
      ['4.2', '2026-10-15', 'done_on_time'],
    ]);
    expect(report.done[1]?.evidence).toEqual({
      summary: 'Đã hoàn thành nhiệm vụ 1.1',
      documentNumber: '11/BC-SO-GD',
      documentDate: '2026-06-20',
      evidenceUrl: 'https://vanban.example.gov.vn/1.1',
    });
    const late = report.tasks.find((t) => t.taskRef === '1.2');
    expect([late?.calendarDaysLate, late?.workingDaysLate]).toEqual([10, 8]);
  });

  test('aggregates target values: latest per agency, reported by the as-of day, compared with the goal', () => {
    const [rate, people, none] = report.targets;
    expect(rate?.aggregate).toBe('average');
    expect(rate?.values.map((v) => [v.agency.id, v.value])).toEqual([
      [AGENCY_A.id, 90],
      [AGENCY_B.id, 84],
    ]);
    expect(rate?.aggregated).toBe(87);
    expect(rate?.verdict).toBe('met');
    expect([people?.aggregate, people?.aggregated, people?.verdict]).toEqual(['sum', 90, 'not_met']);
    expect([none?.aggregated, none?.verdict, none?.workflowIds]).toEqual([null, 'no_data', []]);
  });

  test('writes the summary paragraph in Vietnamese with comma decimals', () => {
    expect(
      report.summary.startsWith(
        'Tính đến ngày 15/12/2026, kế hoạch có 12 nhiệm vụ; 3 nhiệm vụ hoàn thành đúng hạn (25%), 1 nhiệm vụ hoàn thành quá hạn (8,3%), ' +
          '3 nhiệm vụ đang thực hiện, trong hạn (25%), 1 nhiệm vụ sắp đến hạn (8,3%), 2 nhiệm vụ chưa hoàn thành, quá hạn (16,7%), 2 nhiệm vụ chưa triển khai (16,7%).',
      ),
    ).toBe(true);
    expect(report.summary).toContain(
      'nhiệm vụ 3.1 do Sở Giáo dục và Đào tạo chủ trì, quá hạn 43 ngày (31 ngày làm việc)',
    );
    expect(report.summary).toContain('1 chỉ tiêu đạt, 1 chỉ tiêu chưa đạt, 1 chỉ tiêu chưa có số liệu');
    expect(report.summary).toBe(report.summary.normalize('NFC'));
  });
});

describe('compileReport as of another day', () => {
  test('a report dated in the past reads state and deadline back from the timeline and history', () => {
    const early = compileReport(makeInput({ asOf: '2026-09-03' }));
    const row = (ref: string) => early.tasks.find((t) => t.taskRef === ref);
    // 1.2 was done on 10/4: done late. 1.3 not yet submitted, due 30/9: within deadline.
    expect(row('1.2')?.reportingStatus).toBe('done_late');
    expect(row('1.3')?.reportingStatus).toBe('in_progress_within_deadline');
    expect(row('1.3')?.state).toBe('in_progress');
    // 4.2 was extended only on 5/9: on 3/9 its deadline was still Mon 31/8 (1 working day: 1-2/9 are holidays).
    expect([
      row('4.2')?.reportingStatus,
      row('4.2')?.due,
      row('4.2')?.calendarDaysLate,
      row('4.2')?.workingDaysLate,
    ]).toEqual(['in_progress_overdue', '2026-08-31', 3, 1]);
    // 3.1 (due 2/11) was not yet late and had no escalation.
    expect([row('3.1')?.reportingStatus, row('3.1')?.ladderLevelReached]).toEqual(['in_progress_within_deadline', 0]);
    expect(early.extensions).toEqual([]);
    expect(early.targets[0]?.values.map((v) => v.value)).toEqual([80]);
  });

  test('a past-dated report reads an instance with transitions exactly, though its timeline was cut (review defect 4)', () => {
    const base = makeSnapshot({
      ref: '9.1',
      lead: AGENCY_A,
      state: 'returned',
      due: '2026-06-30',
      submittedOn: '2026-06-20',
    });
    // 300 reminders and notes since June pushed everything before 1/10 out of the 200-entry timeline.
    const timeline = Array.from({ length: 200 }, (_, i) => ({
      at: new Date(Date.parse('2026-10-01T02:00:00Z') + i * 3_600_000).toISOString(),
      actor: base.timeline[0]!.actor,
      action: 'reminder' as const,
      state: 'returned' as const,
    }));
    const transitions = [
      { at: '2026-01-05T05:00:00Z', state: 'scheduled' as const, due: '2026-06-30' },
      { at: '2026-01-06T05:00:00Z', state: 'in_progress' as const, due: '2026-06-30' },
      {
        at: '2026-06-20T05:00:00Z',
        state: 'submitted' as const,
        due: '2026-06-30',
        submittedAt: '2026-06-20T05:00:00Z',
      },
      { at: '2026-09-20T05:00:00Z', state: 'returned' as const, due: '2026-06-30' },
      { at: '2026-09-28T05:00:00Z', state: 'returned' as const, due: '2026-06-30', ladderLevel: 1 },
    ];
    const at = (asOf: string, snapshot: typeof base) =>
      compileReport(makeInput({ snapshots: [snapshot], asOf })).tasks.find((t) => t.taskRef === '9.1')!;

    const withTransitions = { ...base, timeline, transitions };
    // As of 25/6 the result was submitted on 20/6, before its deadline; as of 25/9 it had been returned, overdue.
    const june = at('2026-06-25', withTransitions);
    expect([june.state, june.due, june.doneOn, june.ladderLevelReached]).toEqual([
      'submitted',
      '2026-06-30',
      '2026-06-20',
      0,
    ]);
    const september = at('2026-09-29', withTransitions);
    expect([september.state, september.reportingStatus, september.ladderLevelReached]).toEqual([
      'returned',
      'in_progress_overdue',
      1,
    ]);
    // Without transitions (an instance from before lifecycle-v3) the cut timeline knows nothing of June.
    expect(at('2026-06-25', { ...base, timeline }).state).toBe('scheduled');
  });

  test('after the extension the same task is within its new deadline', () => {
    const later = compileReport(makeInput({ asOf: '2026-09-10' }));
    const row = later.tasks.find((t) => t.taskRef === '4.2');
    expect([row?.reportingStatus, row?.due, row?.extensionsGranted]).toEqual([
      'in_progress_within_deadline',
      '2026-10-30',
      1,
    ]);
  });

  test('done on time or late is judged on the local (Hà Nội) day of the submission', () => {
    const at = (instant: string) =>
      compileReport(
        makeInput({
          snapshots: [
            makeSnapshot({
              ref: '9.1',
              lead: AGENCY_A,
              state: 'accepted',
              due: '2026-06-30',
              submittedAt: instant,
              acceptedOn: '2026-07-03',
            }),
          ],
        }),
      ).tasks[0]?.reportingStatus;
    expect(at('2026-06-30T16:30:00.000Z')).toBe('done_on_time'); // 23:30 on 30/6 in Hà Nội
    expect(at('2026-06-30T17:30:00.000Z')).toBe('done_late'); // 00:30 on 1/7
  });

  test("a yearly task whose current cycle is next year's shows the period's cycle", () => {
    const snapshot = makeSnapshot({
      ref: '6.1',
      lead: AGENCY_B,
      state: 'in_progress',
      due: '2027-12-15',
      cycle: 2,
      pastCycles: [
        {
          cycle: 1,
          due: '2026-12-15',
          state: 'accepted',
          doneAt: '2026-12-18T03:00:00.000Z',
          reportingStatus: 'done_late',
        },
      ],
    });
    const report = compileReport(makeInput({ snapshots: [snapshot], asOf: '2027-01-05' }));
    expect(
      report.tasks.map((t) => [t.cycle, t.fromPastCycle, t.reportingStatus, t.doneOn, t.calendarDaysLate]),
    ).toEqual([[1, true, 'done_late', '2026-12-18', 3]]);
    expect(report.done.map((d) => d.taskRef)).toEqual(['6.1']);
  });

  test('refuses an inverted period and a malformed date, naming them', () => {
    expect(() =>
      compileReport(makeInput({ period: { kind: 'year', from: '2026-12-31', to: '2026-01-01', label: 'Năm 2026' } })),
    ).toThrow(/Năm 2026.*2026-12-31/);
    expect(() => compileReport(makeInput({ asOf: '15/12/2026' }))).toThrow(/15\/12\/2026/);
  });
});

describe('compileReport laws', () => {
  test('counts partition the counted tasks: every non-cancelled instance in exactly one status, overall and per agency', () => {
    const agencies = [AGENCY_A, AGENCY_B, AGENCY_C];
    const day = fc
      .integer({ min: 0, max: 500 })
      .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const script = fc.record({
      state: fc.constantFrom(...TASK_STATES),
      due: fc.option(day, { nil: null }),
      submittedOn: fc.option(day, { nil: undefined }),
      lead: fc.constantFrom(...agencies),
    });
    fc.assert(
      fc.property(fc.array(script, { maxLength: 25 }), day, (scripts, asOf) => {
        const snapshots = scripts.map((s, i) => {
          const submittedOn =
            s.state === 'accepted' || s.state === 'submitted' ? (s.submittedOn ?? '2026-03-03') : undefined;
          return makeSnapshot({
            ref: `${i + 1}`,
            lead: s.lead,
            state: s.state,
            due: s.due,
            effectiveDue:
              s.due === null || testCalendar.isWorkingDay(s.due) ? s.due : testCalendar.addWorkingDays(s.due, 1),
            ...(submittedOn !== undefined ? { submittedOn } : {}),
          });
        });
        const r = compileReport(
          makeInput({
            snapshots,
            asOf,
            period: { kind: 'asof', from: '2026-01-01', to: '2027-06-30', label: 'Lũy kế' },
          }),
        );
        const counted = snapshots
          .filter((s) => s.state !== 'cancelled')
          .map((s) => s.workflowId)
          .sort();
        const fromStatuses = REPORTING_STATUSES.flatMap((st) => r.counts.byStatus[st].workflowIds).sort();
        expect(fromStatuses).toEqual(counted);
        expect(r.byAgency.flatMap((a) => a.total.workflowIds).sort()).toEqual(counted);
        expect(r.overdue.every((o) => o.calendarDaysOverdue >= o.workingDaysOverdue && o.workingDaysOverdue >= 0)).toBe(
          true,
        );
        for (let i = 1; i < r.overdue.length; i++)
          expect(r.overdue[i - 1]!.calendarDaysOverdue).toBeGreaterThanOrEqual(r.overdue[i]!.calendarDaysOverdue);
      }),
      { numRuns: 150 },
    );
  });
});

describe('compileReport with the real working-day calendar', () => {
  test('createCalendar from domain/calendar fits ReportCalendar and counts the same December working days', () => {
    const calendar = createCalendar([]);
    const report = compileReport(makeInput({ calendar }));
    expect(report.overdue.find((o) => o.taskRef === '2.3')).toEqual(
      expect.objectContaining({ calendarDaysOverdue: 15, workingDaysOverdue: 11 }),
    );
    expect(report.counts.byStatus.due_soon.workflowIds).toEqual([idOf('2.2', AGENCY_C)]);
  });
});

describe('compileReport section III: only real deadline changes', () => {
  const base = (ref: string, lead = AGENCY_A) => ({ ref, lead, state: 'in_progress' as const, due: '2026-12-31' });

  test.each(['legacy', 'kinded'] as const)(
    'five tasks with their initial deadlines and one extension give one row and "1 lượt gia hạn" (%s history)',
    (historyShape) => {
      const snapshots = [
        makeSnapshot({ ...base('7.1'), historyShape }),
        makeSnapshot({ ...base('7.2'), historyShape }),
        makeSnapshot({ ...base('7.3', AGENCY_B), historyShape }),
        makeSnapshot({ ...base('7.4', AGENCY_C), historyShape }),
        makeSnapshot({
          ...base('7.5', AGENCY_B),
          due: '2026-12-31',
          originalDue: '2026-10-30',
          extensions: [{ due: '2026-12-31', grantedOn: '2026-10-20', reason: 'Chờ kinh phí' }],
          historyShape,
        }),
      ];
      const report = compileReport(makeInput({ snapshots }));
      expect(
        report.extensions.map((e) => [e.taskRef, e.kind, e.previousDue, e.newDue, e.decidedBy, e.grantedOn]),
      ).toEqual([['7.5', 'extension', '2026-10-30', '2026-12-31', MONITORING.name, '2026-10-20']]);
      expect(report.summary).toContain('thời hạn của 1 nhiệm vụ được thay đổi: 1 lượt gia hạn.');
      expect(report.summary).not.toMatch(/[2-9] lượt gia hạn/);
      expect(report.tasks.find((t) => t.taskRef === '7.5')?.extensionsGranted).toBe(1);
      expect(report.tasks.filter((t) => t.taskRef !== '7.5').map((t) => t.extensionsGranted)).toEqual([0, 0, 0, 0]);
    },
  );

  test('an amendment of the plan is listed with the plan issuer as the one who decided', () => {
    const snapshot = makeSnapshot({
      ...base('8.1'),
      due: '2026-11-30',
      originalDue: '2026-09-30',
      amendments: [{ due: '2026-11-30', on: '2026-08-15', reason: 'Hạn hoàn thành: 30/09/2026 → 30/11/2026' }],
    });
    const report = compileReport(makeInput({ snapshots: [snapshot] }));
    expect(report.extensions.map((e) => [e.kind, e.previousDue, e.newDue, e.decidedBy])).toEqual([
      ['amendment', '2026-09-30', '2026-11-30', 'UBND tỉnh Đắk Lắk (kế hoạch sửa đổi)'],
    ]);
    expect(report.summary).toContain('1 lượt điều chỉnh theo kế hoạch sửa đổi');
    expect(report.summary).not.toContain('gia hạn');
  });
});

/** The figures the summary paragraph states, read back from its words. */
function figuresOfSummary(summary: string) {
  const byStatus: Partial<Record<ReportingStatus, number>> = {};
  for (const s of REPORTING_STATUSES) {
    const label = labelReportingStatus(s).charAt(0).toLocaleLowerCase('vi') + labelReportingStatus(s).slice(1);
    const m = new RegExp(`(\\d+) nhiệm vụ ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`).exec(summary);
    if (m) byStatus[s] = Number(m[1]);
  }
  const total = Number(/kế hoạch có (\d+) nhiệm vụ/.exec(summary)?.[1]);
  const changed = /thời hạn của (\d+) nhiệm vụ được thay đổi/.exec(summary);
  const count = (words: string) => Number(new RegExp(`(\\d+) lượt ${words}`).exec(summary)?.[1] ?? 0);
  const worst =
    /nhiệm vụ ([\d.]+) do (.+?) chủ trì, quá hạn (\d+) ngày \((\d+) ngày làm việc\); cơ quan có nhiệm vụ quá hạn: (.+?)\./.exec(
      summary,
    );
  return {
    total,
    byStatus,
    tasksChanged: changed ? Number(changed[1]) : 0,
    extensions: count('gia hạn'),
    amendments: count('điều chỉnh theo kế hoạch sửa đổi'),
    resumes: count('đặt hạn mới khi tiếp tục sau tạm hoãn'),
    worst: worst
      ? { ref: worst[1], lead: worst[2], days: Number(worst[3]), workingDays: Number(worst[4]), agencies: worst[5] }
      : null,
  };
}

describe('the summary paragraph and the rows agree', () => {
  test('on the scripted plan', () => {
    const report = compileReport(makeInput());
    const f = figuresOfSummary(report.summary);
    expect(f.total).toBe(report.tasks.length);
    for (const s of REPORTING_STATUSES) {
      const rows = report.tasks.filter((t) => t.reportingStatus === s).length;
      expect({ s, n: f.byStatus[s] ?? 0 }).toEqual({ s, n: rows });
    }
    expect(f.extensions).toBe(report.extensions.filter((e) => e.kind === 'extension').length);
    expect(f.extensions).toBe(1);
  });

  test('for any plan: every figure of the summary is counted from the rows the report lists', () => {
    const agencies = [AGENCY_A, AGENCY_B, AGENCY_C];
    const day = fc
      .integer({ min: 0, max: 364 })
      .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const script = fc.record({
      state: fc.constantFrom('in_progress', 'accepted', 'submitted', 'scheduled', 'returned'),
      due: day,
      lead: fc.constantFrom(...agencies),
      extendedOn: fc.option(day, { nil: undefined }),
      amendedOn: fc.option(day, { nil: undefined }),
      shape: fc.constantFrom('legacy' as const, 'kinded' as const),
    });
    fc.assert(
      fc.property(fc.array(script, { minLength: 1, maxLength: 15 }), day, (scripts, asOf) => {
        const snapshots = scripts.map((s, i) => {
          const original = s.due;
          const moved = (n: number) =>
            new Date(Date.parse(`${original}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
          const extensions = s.extendedOn ? [{ due: moved(30), grantedOn: s.extendedOn, reason: 'Gia hạn' }] : [];
          const amendments = s.amendedOn ? [{ due: moved(-10), on: s.amendedOn, reason: 'Sửa kế hoạch' }] : [];
          const changes = [
            ...extensions.map((e) => ({ due: e.due, on: e.grantedOn })),
            ...amendments.map((a) => ({ due: a.due, on: a.on })),
          ].sort((a, b) => a.on.localeCompare(b.on));
          const due = changes.length ? changes[changes.length - 1]!.due : original;
          return makeSnapshot({
            ref: `${i + 1}`,
            lead: s.lead,
            state: s.state,
            due,
            effectiveDue: testCalendar.isWorkingDay(due) ? due : testCalendar.addWorkingDays(due, 1),
            originalDue: original,
            extensions,
            amendments,
            historyShape: s.shape,
            ...(s.state === 'accepted' || s.state === 'submitted' ? { submittedOn: '2026-03-03' } : {}),
          });
        });
        const r = compileReport(makeInput({ snapshots, asOf }));
        const f = figuresOfSummary(r.summary);
        expect(f.total).toBe(r.tasks.length);
        for (const s of REPORTING_STATUSES)
          expect(f.byStatus[s] ?? 0).toBe(r.tasks.filter((t) => t.reportingStatus === s).length);
        expect(f.tasksChanged).toBe(new Set(r.extensions.map((e) => e.workflowId)).size);
        expect(f.extensions).toBe(r.extensions.filter((e) => e.kind === 'extension').length);
        expect(f.amendments).toBe(r.extensions.filter((e) => e.kind === 'amendment').length);
        expect(f.resumes).toBe(r.extensions.filter((e) => e.kind === 'resume').length);
        // The extension rows are exactly the changes made in the period up to the as-of day.
        const expectedRows = scripts.flatMap((s) => [
          ...(s.extendedOn && s.extendedOn <= asOf ? ['extension'] : []),
          ...(s.amendedOn && s.amendedOn <= asOf ? ['amendment'] : []),
        ]);
        expect(r.extensions.map((e) => e.kind).sort()).toEqual(expectedRows.sort());
        if (r.overdue.length === 0) expect(f.worst).toBeNull();
        else {
          const worst = r.overdue[0]!;
          expect(f.worst).toEqual({
            ref: worst.taskRef,
            lead: worst.lead.name,
            days: worst.calendarDaysOverdue,
            workingDays: worst.workingDaysOverdue,
            agencies: agencies
              .map((a) => [a.name, r.overdue.filter((o) => o.lead.id === a.id).length] as const)
              .filter(([, n]) => n > 0)
              .sort(([a], [b]) => a.localeCompare(b, 'vi'))
              .map(([name, n]) => `${name} (${n})`)
              .join(', '),
          });
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('compileReport over a plan that starts within the period', () => {
  const plan = { ...makeInput().plan, period: { start: '2026-10-20', end: '2027-10-19' } };

  test('the period starts on the plan start, not on 01/01; what happened before is not in the period', () => {
    const report = compileReport(makeInput({ plan }));
    expect([report.period.from, report.period.to]).toEqual(['2026-10-20', '2026-12-31']);
    // Done on 20/6, 29/9, 15/10 and 10/4: all before the plan's start.
    expect(report.done).toEqual([]);
    // 4.2 was extended on 5/9, before the plan started.
    expect(report.extensions).toEqual([]);
  });

  test('a plan that starts after the period is refused with both dates', () => {
    expect(() =>
      compileReport(
        makeInput({ plan: { ...plan, period: { start: '2027-02-01', end: '2027-12-31' } }, asOf: '2026-12-15' }),
      ),
    ).toThrow(/01\/02\/2027.*Năm 2026/);
  });
});
