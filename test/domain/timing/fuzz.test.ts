import fc from 'fast-check';
import { describeTiming, parseTiming } from '../../../domain/timing';
import { isIsoDate } from '../../../domain/calendar/dates';
import type { Schedule, TimingContext } from '../../../domain/types';

const SEEDS = [
  'hoàn thành trước ngày 30/9/2019',
  'Hoàn thành trước tháng 10/2019',
  'Theo Kế hoạch công tác phổ biến, giáo dục pháp luật hàng năm của tỉnh',
  'Định kỳ hằng năm',
  'Thường xuyên',
  'Từ năm 2021 và các năm tiếp theo',
  'Năm 2020 - 2022',
  'Hằng năm hoặc đột xuất (nếu có)',
  'Tổng kết: Năm 2022',
  'Mỗi Hội nghị tổ chức 01 ngày (dự kiến tổ chức vào quý II và quý III/2024)',
  'Quý II/2024',
  'Cả năm 2026',
  'trong năm 2025',
  '6 tháng đầu năm 2024',
  'giữa tháng 3/2024',
  'quý I hằng năm',
  'từ ngày 01/3/2024 đến ngày 15/4/2024',
];

const PIECES = [
  'ngày',
  'tháng',
  'năm',
  'quý',
  'II',
  'IV',
  '/',
  '-',
  '–',
  ' ',
  'trước',
  'từ',
  'đến',
  'và',
  'hoặc',
  'hằng',
  'đầu',
  'giữa',
  'cuối',
  '6',
  '0',
  '29',
  '31',
  '2',
  '13',
  '2024',
  '9999',
  '1899',
  'kể từ',
  'trong',
  'theo',
  '\u0301',
  'đ',
];

/** A seed text mutated: pieces inserted, characters deleted, digits replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(
          fc.constantFrom(...PIECES),
          fc.string({ maxLength: 4 }),
          fc.integer({ min: 0, max: 99999 }).map(String),
        ),
      ),
      { maxLength: 6 },
    ),
    fc.array(fc.nat(), { maxLength: 3 }),
  )
  .map(([seed, inserts, deletes]) => {
    let s = seed;
    for (const [at, piece] of inserts) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + piece + s.slice(i);
    }
    for (const at of deletes) {
      const i = at % Math.max(1, s.length);
      s = s.slice(0, i) + s.slice(i + 1);
    }
    return s;
  });

const anyText = fc.oneof(
  mutated,
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((xs) => xs.join(' ')),
);

const anyDate = fc.oneof(
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2024-02-30', 'nonsense', '', '2024-1-1'),
);
const anyCtx: fc.Arbitrary<TimingContext> = fc.record(
  {
    issued: anyDate,
    periodStart: anyDate,
    periodEnd: anyDate,
    yearlyDueDay: fc.record({ month: fc.integer({ min: -1, max: 14 }), day: fc.integer({ min: -1, max: 32 }) }),
  },
  { requiredKeys: [] },
);

function checkSchedule(s: Schedule, text: string): void {
  expect(s.text).toBe(text);
  if (s.due !== null) expect(isIsoDate(s.due)).toBe(true);
  for (const d of s.dues) expect(isIsoDate(d)).toBe(true);
  expect([...s.dues].sort()).toEqual(s.dues);
  expect(new Set(s.dues).size).toBe(s.dues.length);
  if (s.due !== null) expect(s.dues).toContain(s.due);
  if (s.windowStart !== undefined) expect(isIsoDate(s.windowStart)).toBe(true);
  if (s.windowEnd !== undefined) expect(isIsoDate(s.windowEnd)).toBe(true);
  if (s.kind === 'unscheduled') expect([s.due, s.dues.length, s.confident]).toEqual([null, 0, false]);
  expect(typeof s.reason).toBe('string');
  expect(s.reason.length).toBeGreaterThan(0);
  expect(s.reason).toBe(s.reason.normalize('NFC'));
}

describe('parseTiming never throws and never returns an invalid date (fuzz)', () => {
  it('random and mutated Vietnamese texts, random contexts', () => {
    fc.assert(
      fc.property(anyText, anyCtx, (text, ctx) => {
        checkSchedule(parseTiming(text, ctx), text);
      }),
      { numRuns: 3000 },
    );
  });

  it('describeTiming on the same inputs: effectiveDue is a valid date ≥ due', () => {
    fc.assert(
      fc.property(anyText, anyDate, anyDate, (text, issued, periodEnd) => {
        const j = describeTiming(text, { issued, periodEnd });
        if (j.due === null) expect(j.effectiveDue).toBeNull();
        else {
          expect(isIsoDate(j.effectiveDue)).toBe(true);
          expect((j.effectiveDue ?? '') >= j.due).toBe(true);
        }
        for (const d of j.dues) expect(isIsoDate(d)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
