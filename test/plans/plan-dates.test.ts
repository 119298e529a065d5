import fc from 'fast-check';

import { addDays, fromEpochDay, getDaysInMonth, toEpochDay } from '../../domain/calendar';
import { reportingDatesOf } from '../../domain/reporting-dates';
import { loadPlanFile } from '../../plans/load';
import { findPlanDateProblems } from '../../plans/plan-dates';
import { makeTempPlanDir, validPlanYaml, writeIn } from './helpers';

const EVERY = ['yearly', 'half-yearly', 'quarterly', 'monthly'] as const;

/** A period inside the years a plan may use: start, and end 0–15 years later but not past 2100. */
const period = fc
  .record({
    start: fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2100-12-31') }),
    length: fc.integer({ min: 0, max: 15 * 366 }),
  })
  .map(({ start, length }) => ({
    start: fromEpochDay(start),
    end: fromEpochDay(Math.min(start + length, toEpochDay('2100-12-31'))),
  }));

const duty = fc.record({
  every: fc.constantFrom(...EVERY),
  due: fc
    .record({ m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
    .map(
      ({ m, d }) => `${String(m).padStart(2, '0')}-${String(Math.min(d, getDaysInMonth(2024, m))).padStart(2, '0')}`,
    ),
});

describe('reporting dates (the dates import checks are the dates the plan workflow waits for)', () => {
  test('ascending, without repeats, inside the period (or the month closing it), each on its duty day', () => {
    fc.assert(
      fc.property(period, fc.array(duty, { minLength: 1, maxLength: 3 }), (p, duties) => {
        const dates = reportingDatesOf({ period: p, reportingDuties: duties });
        for (let i = 1; i < dates.length; i++) expect(dates[i - 1]! < dates[i]!).toBe(true);
        for (const d of dates) {
          expect(d >= p.start && d <= addDays(p.end, 31)).toBe(true);
          const [y, m, day] = d.split('-').map(Number) as [number, number, number];
          const fits = duties.some((u) => {
            const [dm, dd] = u.due.split('-').map(Number) as [number, number];
            const step = { yearly: 12, 'half-yearly': 6, quarterly: 3, monthly: 1 }[u.every];
            return (m - dm + 12) % step === 0 && day === Math.min(dd, getDaysInMonth(y, m));
          });
          expect(fits).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('a monthly duty over whole years yields twelve dates a year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 2 }), (year, years) => {
        const end = Math.min(year + years - 1, 2100);
        const dates = reportingDatesOf({
          period: { start: `${year}-01-01`, end: `${end}-12-31` },
          reportingDuties: [{ every: 'monthly', due: '12-20' }],
        });
        expect(dates).toHaveLength(12 * (end - year + 1));
      }),
    );
  });
});

describe('every valid plan inside 2000–2100 has all its timers computable', () => {
  test('any period and deadline in range, with a monthly duty: no date problem', () => {
    const dir = makeTempPlanDir();
    fc.assert(
      fc.property(period, fc.integer({ min: 0, max: 1000 }), (p, k) => {
        const span = toEpochDay(p.end) - toEpochDay(p.start);
        const due = fromEpochDay(toEpochDay(p.start) + (span === 0 ? 0 : k % (span + 1)));
        const file = writeIn(
          dir,
          'plan.yaml',
          validPlanYaml({
            period: `{ start: ${p.start}, end: ${p.end} }`,
            tasks: [
              '  - ref: "1"',
              '    title: Nhiệm vụ',
              '    lead: so-tu-phap',
              `    timing: { text: "Theo hạn", due: ${due} }`,
            ].join('\n'),
          })
            .replace(/issued: .*/, `issued: ${p.start}`)
            .replace(
              'tasks:\n',
              'reportingDuties:\n  - { id: thang, every: monthly, due: "01-31", to: so-tu-phap }\ntasks:\n',
            ),
        );
        const loaded = loadPlanFile(file);
        expect(findPlanDateProblems(loaded.plan, loaded.instances)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
