/**
 * Timing phrases found in real plans beyond the seeds (issue 14), each read into the schedule an
 * officer expects. One row per phrase; the same table runs on the text without diacritics and in
 * capitals, the way people also type it.
 */
import { parseTiming } from '../../../domain/timing';
import type { Schedule, TimingContext } from '../../../domain/types';

function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

type Expected = Partial<
  Pick<Schedule, 'kind' | 'due' | 'dues' | 'recurrence' | 'confident' | 'windowStart' | 'windowEnd' | 'event'>
>;

/** A plan issued on 18/11/2025 that runs to the end of 2027. */
const PLAN: TimingContext = { issued: '2025-11-18', periodStart: '2025-11-18', periodEnd: '2027-12-31' };

const rows: [string, string, Expected, TimingContext?][] = [
  // A start is not a deadline.
  [
    'a start day',
    'Từ 01/7/2025',
    {
      kind: 'continuous',
      recurrence: 'continuous',
      due: null,
      dues: [],
      windowStart: '2025-07-01',
      windowEnd: '2027-12-31',
      confident: true,
    },
    { ...PLAN, periodStart: '2025-06-01' },
  ],
  [
    'a start day, plan without an end',
    'Từ ngày 01/7/2025',
    { kind: 'continuous', due: null, dues: [], windowStart: '2025-07-01', windowEnd: undefined },
    { issued: '2025-06-01' },
  ],
  [
    'a start month running until an event',
    'Từ tháng 11/2025 đến khi kết thúc đợt rà soát',
    { kind: 'continuous', due: null, windowStart: '2025-11-01', event: 'kết thúc đợt rà soát' },
    PLAN,
  ],
  [
    'from the issue day until an event',
    'từ ngày ban hành Kế hoạch đến khi tổng kết Hội thi',
    { kind: 'continuous', due: null, windowStart: '2025-11-18', event: 'tổng kết Hội thi' },
    PLAN,
  ],
  // "… và các năm tiếp theo": yearly, open-ended to the plan's end.
  [
    'a year and the years after',
    'Năm 2026 và các năm tiếp theo',
    { kind: 'recurring', recurrence: 'yearly', due: '2026-12-31', dues: ['2026-12-31', '2027-12-31'], confident: true },
    PLAN,
  ],
  [
    'a quarter and the years after',
    'Quý IV năm 2025 và các năm tiếp theo',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2025-12-31', '2026-12-31', '2027-12-31'] },
    PLAN,
  ],
  [
    'a mid-year quarter and the years after',
    'Quý II/2026 và các năm tiếp theo',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2026-06-30', '2027-06-30'] },
    PLAN,
  ],
  [
    '"trong năm" and the years after',
    'trong năm 2014 và các năm tiếp theo',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2014-12-31', '2015-12-31', '2016-12-31'] },
    { issued: '2014-03-01', periodEnd: '2016-12-31' },
  ],
  [
    'the years after, no plan end',
    'Năm 2025 và các năm tiếp theo',
    { kind: 'recurring', dues: ['2025-12-31', '2026-12-31', '2027-12-31', '2028-12-31', '2029-12-31'] },
    { issued: '2025-11-18' },
  ],
  [
    '"trở đi"',
    'Từ năm 2026 trở đi',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2026-12-31', '2027-12-31'] },
    PLAN,
  ],
  // Cycles written as a count of months.
  [
    '3 months once',
    '3 tháng một lần',
    { kind: 'recurring', recurrence: 'quarterly', dues: ['2026-03-31', '2026-06-30'], confident: false },
    { periodStart: '2026-01-01', periodEnd: '2026-06-30' },
  ],
  ['định kỳ N tháng', 'định kỳ 03 tháng', { kind: 'recurring', recurrence: 'quarterly' }, PLAN],
  ['06 months per time', '06 tháng/lần', { kind: 'recurring', recurrence: 'half-yearly' }, PLAN],
  ['12 months once', '12 tháng một lần', { kind: 'recurring', recurrence: 'yearly' }, PLAN],
  ['1 month once', '1 tháng một lần', { kind: 'recurring', recurrence: 'monthly' }, PLAN],
  [
    'a count per year',
    '02 hội nghị/năm',
    { kind: 'recurring', recurrence: 'yearly', due: null, confident: false },
    PLAN,
  ],
  // The day of the month, quarter or year is kept.
  [
    'before day D every month',
    'trước ngày 20 hằng tháng',
    {
      kind: 'recurring',
      recurrence: 'monthly',
      due: '2026-01-20',
      dues: ['2026-01-20', '2026-02-20', '2026-03-20'],
      confident: true,
    },
    { periodStart: '2026-01-01', periodEnd: '2026-03-31' },
  ],
  [
    'day D every month, cycle word first',
    'hằng tháng (trước ngày 25)',
    { kind: 'recurring', recurrence: 'monthly', dues: ['2026-01-25', '2026-02-25'], confident: true },
    { periodStart: '2026-01-01', periodEnd: '2026-02-28' },
  ],
  [
    'a 31st in short months',
    'trước ngày 31 hàng tháng',
    { dues: ['2026-01-31', '2026-02-28', '2026-03-31'] },
    { periodStart: '2026-01-01', periodEnd: '2026-03-31' },
  ],
  [
    'day D of the last month of each quarter',
    'định kỳ hằng quý (trước ngày 20 tháng cuối quý)',
    {
      kind: 'recurring',
      recurrence: 'quarterly',
      dues: ['2026-03-20', '2026-06-20', '2026-09-20', '2026-12-20'],
      confident: true,
    },
    { periodStart: '2026-01-01', periodEnd: '2026-12-31' },
  ],
  [
    'day D of the first month of the next quarter',
    'hằng quý, trước ngày 10 tháng đầu quý sau',
    { kind: 'recurring', recurrence: 'quarterly', dues: ['2026-04-10', '2026-07-10'] },
    { periodStart: '2026-01-01', periodEnd: '2026-06-30' },
  ],
  [
    'day D every year',
    'trước ngày 30/11 hằng năm',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2026-11-30', '2027-11-30'], confident: true },
    { periodStart: '2026-01-01', periodEnd: '2027-12-31' },
  ],
  [
    'day D every year, in brackets',
    'Định kỳ hằng năm (trước ngày 05 tháng 12)',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2026-12-05'] },
    { periodStart: '2026-01-01', periodEnd: '2026-12-31' },
  ],
  [
    'two days a year',
    'định kỳ trước ngày 10/6 và 20/11 hằng năm (hoặc đột xuất khi có yêu cầu)',
    { kind: 'recurring', recurrence: 'half-yearly', dues: ['2026-06-10', '2026-11-20'], confident: true },
    { periodStart: '2026-01-01', periodEnd: '2026-12-31' },
  ],
  [
    'half-yearly on given days',
    '6 tháng một lần (trước ngày 15/6 và 15/12)',
    { kind: 'recurring', recurrence: 'half-yearly', dues: ['2026-06-15', '2026-12-15'] },
    { periodStart: '2026-01-01', periodEnd: '2026-12-31' },
  ],
  [
    'months inside each year',
    'Từ tháng 4 đến tháng 10 hàng năm',
    { kind: 'recurring', recurrence: 'yearly', dues: ['2026-10-31', '2027-10-31'] },
    { periodStart: '2026-01-01', periodEnd: '2027-12-31' },
  ],
  // Ranges of quarters, months, days and years: the work runs across the range, due at its end.
  [
    'a range of quarters',
    'Quý III - Quý IV/2025',
    {
      kind: 'window',
      recurrence: 'none',
      due: '2025-12-31',
      dues: ['2025-12-31'],
      windowStart: '2025-07-01',
      windowEnd: '2025-12-31',
    },
  ],
  ['a range of quarters, short', 'quý III-IV/2025', { kind: 'window', due: '2025-12-31', windowStart: '2025-07-01' }],
  [
    'a range of quarters across years',
    'Quý IV/2025 - Quý I/2026',
    { kind: 'window', due: '2026-03-31', windowStart: '2025-10-01' },
  ],
  [
    'from quarter to quarter',
    'từ quý II/2026 đến quý IV/2026',
    { kind: 'window', due: '2026-12-31', windowStart: '2026-04-01' },
  ],
  [
    'a range of months sharing a year',
    'Tháng 11 - 12/2025',
    { kind: 'window', due: '2025-12-31', windowStart: '2025-11-01', windowEnd: '2025-12-31' },
  ],
  [
    'a range of months across years',
    'tháng 11/2025 - tháng 02/2026',
    { kind: 'window', due: '2026-02-28', windowStart: '2025-11-01' },
  ],
  [
    'from month to the end of a month',
    'từ tháng 9 năm 2025 đến hết tháng 4 năm 2026',
    { kind: 'window', due: '2026-04-30', windowStart: '2025-09-01' },
  ],
  [
    'days sharing a month',
    'từ ngày 05 đến ngày 07 tháng 12 năm 2025',
    { kind: 'window', due: '2025-12-07', windowStart: '2025-12-05', windowEnd: '2025-12-07' },
  ],
  [
    'từ … đến … with full dates',
    'Từ ngày 20/11/2025 đến ngày 20/12/2025',
    { kind: 'window', due: '2025-12-20', windowStart: '2025-11-20' },
  ],
  [
    'từ … đến … without years',
    'từ ngày 15/11 đến ngày 15/12',
    { kind: 'window', due: '2025-12-15', confident: true },
    PLAN,
  ],
  [
    'a range of years',
    'Giai đoạn 2026 - 2030',
    { kind: 'window', recurrence: 'yearly', windowStart: '2026-01-01', windowEnd: '2030-12-31' },
  ],
  [
    'two quarters are two occurrences, not a range',
    'quý II và quý III/2026',
    { kind: 'occurrences', dues: ['2026-06-30', '2026-09-30'] },
  ],
  // "chậm nhất".
  ['at the latest, a day', 'chậm nhất là ngày 15/12/2025', { kind: 'deadline', due: '2025-12-15', confident: true }],
  ['at the latest, a month', 'chậm nhất trong tháng 12/2025', { kind: 'deadline', due: '2025-12-31' }],
  ['at the latest, a quarter', 'hoàn thành chậm nhất quý III/2026', { kind: 'deadline', due: '2026-09-30' }],
  // Weeks.
  ['the first week of a month', 'tuần đầu tháng 12/2025', { kind: 'deadline', due: '2025-12-07' }],
  ['the third week of a month', 'trong tuần thứ ba của tháng 3/2026', { kind: 'deadline', due: '2026-03-21' }],
  ['the last week of a month', 'tuần cuối tháng 2/2026', { kind: 'deadline', due: '2026-02-28' }],
  ['every week is not tracked as a cycle', 'hằng tuần', { kind: 'unscheduled', due: null, dues: [], confident: false }],
  [
    'a relative week',
    'trong 01 tuần kể từ ngày nhận văn bản',
    { kind: 'unscheduled', confident: false, event: 'trong 01 tuần kể từ ngày nhận văn bản' },
  ],
  // Event-triggered: unscheduled, the event kept as written.
  [
    'after an event',
    'Sau khi Kế hoạch được phê duyệt',
    {
      kind: 'unscheduled',
      recurrence: 'unspecified',
      due: null,
      confident: false,
      event: 'Sau khi Kế hoạch được phê duyệt',
    },
  ],
  [
    'when something happens',
    'Khi có dịch bệnh trên đàn vật nuôi',
    { kind: 'unscheduled', event: 'Khi có dịch bệnh trên đàn vật nuôi' },
  ],
  [
    'when others issue documents',
    'khi Bộ, ngành Trung ương có văn bản hướng dẫn',
    { kind: 'unscheduled', event: 'khi Bộ, ngành Trung ương có văn bản hướng dẫn' },
  ],
  [
    'a period counted from an event',
    'trong thời hạn 15 ngày kể từ ngày nhận được văn bản',
    { kind: 'unscheduled', event: 'trong thời hạn 15 ngày kể từ ngày nhận được văn bản' },
  ],
  ['following a project', 'Theo tiến độ của dự án', { kind: 'unscheduled', event: 'Theo tiến độ của dự án' }],
  ['on request', 'đột xuất khi có yêu cầu', { kind: 'unscheduled', event: 'đột xuất khi có yêu cầu' }],
];

describe('timing phrases in the wordings plans use', () => {
  it.each(rows.map(([name, text, expected, ctx]) => ({ name, text, expected, ctx })))(
    '$name: "$text"',
    ({ text, expected, ctx }) => {
      const s = parseTiming(text, ctx ?? {});
      expect(s.text).toBe(text);
      const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, s[k as keyof Schedule]]));
      expect(picked).toEqual(expected);
      expect(s.reason.length).toBeGreaterThan(10);
    },
  );

  it.each(
    rows
      .filter(([, , e]) => e.event === undefined)
      .map(([name, text, expected, ctx]) => ({ name, text, expected, ctx })),
  )('$name, typed without diacritics or in capitals', ({ text, expected, ctx }) => {
    for (const v of [stripDiacritics(text), text.toUpperCase()]) {
      const s = parseTiming(v, ctx ?? {});
      const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, s[k as keyof Schedule]]));
      expect({ v, ...picked }).toEqual({ v, ...expected });
    }
  });

  it('keeps the event as written, with its marks, whatever the case of the trigger word', () => {
    expect(parseTiming('SAU KHI có hướng dẫn của Bộ').event).toBe('SAU KHI có hướng dẫn của Bộ');
    expect(parseTiming('Ngay sau khi có hướng dẫn của Bộ').event).toBe('sau khi có hướng dẫn của Bộ');
  });

  it('never takes a start day as a deadline that is already past', () => {
    const s = parseTiming('Từ 01/7/2025', { issued: '2025-11-18' });
    expect(s.due).toBeNull();
    expect(s.dues).toEqual([]);
    expect(s.reason).toMatch(/bắt đầu/);
  });

  it('refuses a cycle of months it cannot track instead of guessing one', () => {
    const s = parseTiming('định kỳ 2 tháng', PLAN);
    expect([s.kind, s.confident, s.dues]).toEqual(['unscheduled', false, []]);
    expect(s.reason).toMatch(/2 tháng/);
  });
});
