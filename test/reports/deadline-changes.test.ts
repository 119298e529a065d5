import fc from 'fast-check';
import type { DeadlineChange, DeadlineChangeKind, IsoDate, TaskSnapshot, TimelineEntry } from '../../domain/types';
import { readDeadlineChanges } from '../../reports/deadline-changes';
import { MONITORING, noon } from './report-fixture';

const SYSTEM = { id: 'system' as const, name: 'dondoc' };
type History = Pick<TaskSnapshot, 'deadlineHistory' | 'originalDue' | 'timeline'>;

const entry = (
  due: IsoDate,
  on: IsoDate,
  by: DeadlineChange['by'],
  extra: Partial<DeadlineChange> = {},
): DeadlineChange => ({
  due,
  at: noon(on),
  by,
  reason: `lý do ${due}`,
  ...extra,
});

const summary = (h: History) => readDeadlineChanges(h).map((c) => [c.kind, c.previousDue, c.due, c.by.id]);

describe('readDeadlineChanges on instances recorded before `kind` existed', () => {
  test('the first system entry at the original deadline is the initial deadline, not a change', () => {
    const h: History = {
      originalDue: '2026-06-30',
      deadlineHistory: [entry('2026-06-30', '2026-01-05', SYSTEM)],
      timeline: [],
    };
    expect(readDeadlineChanges(h)).toEqual([]);
  });

  test('an entry by an agency is an extension, with the deadline it replaced and who decided', () => {
    const h: History = {
      originalDue: '2026-06-30',
      deadlineHistory: [entry('2026-06-30', '2026-01-05', SYSTEM), entry('2026-09-30', '2026-06-20', MONITORING)],
      timeline: [],
    };
    expect(readDeadlineChanges(h)).toEqual([
      {
        kind: 'extension',
        previousDue: '2026-06-30',
        due: '2026-09-30',
        at: noon('2026-06-20'),
        by: MONITORING,
        reason: 'lý do 2026-09-30',
        inferred: true,
      },
    ]);
  });

  test('a later system entry is an amendment of the plan; an agency entry where the timeline resumes is a resume', () => {
    const resumeAt = noon('2026-08-01');
    const timeline: TimelineEntry[] = [
      { at: noon('2026-07-01'), actor: MONITORING, action: 'postpone', state: 'postponed' },
      { at: resumeAt, actor: MONITORING, action: 'resume', state: 'in_progress', data: { newDue: '2026-11-30' } },
    ];
    const h: History = {
      originalDue: '2026-06-30',
      deadlineHistory: [
        entry('2026-11-30', '2026-08-01', MONITORING),
        entry('2026-06-30', '2026-01-05', SYSTEM),
        entry('2026-07-31', '2026-03-01', SYSTEM),
      ],
      timeline,
    };
    expect(summary(h)).toEqual([
      ['amendment', '2026-06-30', '2026-07-31', 'system'],
      ['resume', '2026-07-31', '2026-11-30', MONITORING.id],
    ]);
  });

  test('a first system entry that is not the original deadline is an amendment, not the initial deadline', () => {
    const h: History = {
      originalDue: '2026-06-30',
      deadlineHistory: [entry('2026-05-31', '2026-02-01', SYSTEM)],
      timeline: [],
    };
    expect(summary(h)).toEqual([['amendment', '2026-06-30', '2026-05-31', 'system']]);
  });

  test('an entry that leaves the deadline where it was is not a change', () => {
    const h: History = {
      originalDue: '2026-06-30',
      deadlineHistory: [entry('2026-06-30', '2026-01-05', SYSTEM), entry('2026-06-30', '2026-03-01', SYSTEM)],
      timeline: [],
    };
    expect(readDeadlineChanges(h)).toEqual([]);
  });
});

describe('readDeadlineChanges on instances that record `kind` and `previousDue`', () => {
  test('reads the kind as recorded, skips the initial deadline, keeps the recorded previous deadline', () => {
    const h: History = {
      originalDue: '2026-06-30',
      deadlineHistory: [
        entry('2026-06-30', '2026-01-05', SYSTEM, { kind: 'initial' }),
        entry('2026-09-30', '2026-06-20', MONITORING, { kind: 'extension', previousDue: '2026-06-30' }),
        entry('2026-10-31', '2026-09-01', SYSTEM, { kind: 'amendment', previousDue: '2026-09-30' }),
        // Recorded by an agency but said to be a resume: the recorded kind wins over any reading of the timeline.
        entry('2026-12-15', '2026-11-01', MONITORING, { kind: 'resume', previousDue: '2026-10-31' }),
      ],
      timeline: [],
    };
    const changes = readDeadlineChanges(h);
    expect(changes.map((c) => [c.kind, c.previousDue, c.due, c.inferred])).toEqual([
      ['extension', '2026-06-30', '2026-09-30', false],
      ['amendment', '2026-09-30', '2026-10-31', false],
      ['resume', '2026-10-31', '2026-12-15', false],
    ]);
  });

  test('an amendment that gives an unscheduled task its first date has no previous deadline', () => {
    const h: History = {
      originalDue: null,
      deadlineHistory: [entry('2026-10-31', '2026-09-01', SYSTEM, { kind: 'amendment', previousDue: null })],
      timeline: [],
    };
    expect(summary(h)).toEqual([['amendment', null, '2026-10-31', 'system']]);
  });
});

describe('readDeadlineChanges laws', () => {
  /** A random life of one deadline: the plan sets it, then extensions, amendments and resumes move it. */
  const lifeArb = fc.record({
    original: fc.integer({ min: 0, max: 300 }),
    events: fc.array(
      fc.record({
        kind: fc.constantFrom<DeadlineChangeKind>('extension', 'amendment', 'resume'),
        shift: fc.integer({ min: -20, max: 60 }),
      }),
      { maxLength: 8 },
    ),
  });
  const day = (n: number): IsoDate => new Date(Date.UTC(2026, 0, 10) + n * 86_400_000).toISOString().slice(0, 10);

  /** The same life recorded both ways: as older instances did (no kind) and as instances do now. */
  function record(life: { original: number; events: { kind: DeadlineChangeKind; shift: number }[] }): {
    legacy: History;
    kinded: History;
    realChanges: number;
  } {
    const originalDue = day(life.original);
    const legacy: DeadlineChange[] = [{ due: originalDue, at: noon('2026-01-05'), by: SYSTEM, reason: 'kế hoạch' }];
    const kinded: DeadlineChange[] = [{ ...legacy[0]!, kind: 'initial' }];
    const timeline: TimelineEntry[] = [];
    let current = life.original;
    let realChanges = 0;
    life.events.forEach((e, i) => {
      const next = current + e.shift;
      const at = noon(day(i * 7 + 1));
      const by = e.kind === 'amendment' ? SYSTEM : MONITORING;
      legacy.push({ due: day(next), at, by, reason: e.kind });
      kinded.push({ due: day(next), at, by, reason: e.kind, kind: e.kind, previousDue: day(current) });
      if (e.kind === 'resume')
        timeline.push({ at, actor: MONITORING, action: 'resume', state: 'in_progress', data: { newDue: day(next) } });
      if (next !== current) realChanges++;
      current = next;
    });
    return {
      legacy: { originalDue, deadlineHistory: legacy, timeline },
      kinded: { originalDue, deadlineHistory: kinded, timeline },
      realChanges,
    };
  }

  test('both shapes of the same history read the same: kinds, old and new deadlines, who decided', () => {
    fc.assert(
      fc.property(lifeArb, (life) => {
        const { legacy, kinded } = record(life);
        expect(summary(legacy)).toEqual(summary(kinded));
      }),
      { numRuns: 200 },
    );
  });

  test('never the initial deadline, never a change that changes nothing, each change starting where the last ended', () => {
    fc.assert(
      fc.property(lifeArb, fc.boolean(), (life, useLegacy) => {
        const recorded = record(life);
        const changes = readDeadlineChanges(useLegacy ? recorded.legacy : recorded.kinded);
        expect(changes).toHaveLength(recorded.realChanges);
        let previous: IsoDate | null = recorded.legacy.originalDue;
        for (const c of changes) {
          expect(c.due).not.toBe(c.previousDue);
          expect(c.previousDue).toBe(previous);
          previous = c.due;
        }
      }),
      { numRuns: 200 },
    );
  });
});
