import { describeTiming, parseTiming } from '../../../domain/timing';
import type { Schedule, TimingContext } from '../../../domain/types';

/** Independent of the code under test: strip Vietnamese diacritics the plain way. */
function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** The same text as people type it: no diacritics, upper case, NFD, doubled and odd spaces. */
function variants(text: string): string[] {
  return [
    text,
    stripDiacritics(text),
    text.toUpperCase(),
    text.normalize('NFD'),
    `  ${text.replace(/ /g, '  ')}\t`,
    text.replace(/ /g, '\u00a0'),
    text.replace(/\//g, ' / ').replace(/ - /g, '–'),
  ];
}

const pick = (s: Schedule) => ({
  kind: s.kind,
  due: s.due,
  dues: s.dues,
  recurrence: s.recurrence,
  confident: s.confident,
});

type Row = [string, Partial<ReturnType<typeof pick>>, TimingContext?];

const rows: Row[] = [
  [
    'hoàn thành trước ngày 30/9/2019',
    { kind: 'deadline', due: '2019-09-30', dues: ['2019-09-30'], recurrence: 'none', confident: true },
  ],
  ['trước ngày 30 tháng 9 năm 2019', { kind: 'deadline', due: '2019-09-30' }],
  ['ngày 30-9-2019', { kind: 'deadline', due: '2019-09-30' }],
  ['30/9/2019', { kind: 'deadline', due: '2019-09-30' }],
  ['30.9.2019', { kind: 'deadline', due: '2019-09-30' }],
  ['chậm nhất ngày 15/12/2024', { kind: 'deadline', due: '2024-12-15' }],
  ['Hoàn thành trước tháng 10/2019', { kind: 'deadline', due: '2019-09-30' }],
  ['Hoàn thành trước tháng 3/2024', { kind: 'deadline', due: '2024-02-29' }],
  ['trong tháng 10/2019', { kind: 'deadline', due: '2019-10-31' }],
  ['tháng 10/2019', { kind: 'deadline', due: '2019-10-31' }],
  ['tháng 2 năm 2024', { kind: 'deadline', due: '2024-02-29' }],
  ['Quý II/2024', { kind: 'deadline', due: '2024-06-30', recurrence: 'none' }],
  ['quý 2 năm 2024', { kind: 'deadline', due: '2024-06-30' }],
  ['Quý IV/2024', { kind: 'deadline', due: '2024-12-31' }],
  ['Quý I năm 2025', { kind: 'deadline', due: '2025-03-31' }],
  ['trước quý III/2024', { kind: 'deadline', due: '2024-06-30' }],
  [
    'dự kiến tổ chức vào quý II và quý III/2024',
    { kind: 'occurrences', due: '2024-06-30', dues: ['2024-06-30', '2024-09-30'] },
  ],
  ['quý I, quý III năm 2025', { kind: 'occurrences', dues: ['2025-03-31', '2025-09-30'] }],
  ['6 tháng đầu năm 2024', { kind: 'deadline', due: '2024-06-30' }],
  ['6 tháng cuối năm 2024', { kind: 'deadline', due: '2024-12-31' }],
  ['6 tháng cuối năm', { kind: 'deadline', due: '2024-12-31', confident: true }, { issued: '2024-02-01' }],
  ['Năm 2024', { kind: 'deadline', due: '2024-12-31', recurrence: 'none' }],
  ['Cả năm 2026', { kind: 'deadline', due: '2026-12-31' }],
  ['trong năm 2025', { kind: 'deadline', due: '2025-12-31' }],
  ['trong năm', { kind: 'deadline', due: '2025-12-31', confident: true }, { issued: '2025-04-17' }],
  ['trước năm 2025', { kind: 'deadline', due: '2024-12-31' }],
  [
    'Năm 2020 - 2022',
    { kind: 'window', due: '2020-12-31', dues: ['2020-12-31', '2021-12-31', '2022-12-31'], recurrence: 'yearly' },
  ],
  ['2020-2022', { kind: 'window', due: '2020-12-31', dues: ['2020-12-31', '2021-12-31', '2022-12-31'] }],
  ['giai đoạn 2020 – 2022', { kind: 'window', due: '2020-12-31', recurrence: 'yearly' }],
  ['từ năm 2020 đến năm 2021', { kind: 'window', dues: ['2020-12-31', '2021-12-31'] }],
  [
    'hằng quý giai đoạn 2024 - 2025',
    {
      kind: 'window',
      recurrence: 'quarterly',
      dues: [
        '2024-03-31',
        '2024-06-30',
        '2024-09-30',
        '2024-12-31',
        '2025-03-31',
        '2025-06-30',
        '2025-09-30',
        '2025-12-31',
      ],
    },
  ],
  ['Tổng kết: Năm 2022', { kind: 'deadline', due: '2022-12-31', recurrence: 'none' }],
  ['Sơ kết giữa năm 2021', { kind: 'deadline', due: '2021-06-30' }],
  ['cuối năm 2023', { kind: 'deadline', due: '2023-12-31' }],
  ['đầu năm 2023', { kind: 'deadline', due: '2023-01-01' }],
  ['cuối tháng 6/2024', { kind: 'deadline', due: '2024-06-30' }],
  ['giữa tháng 3/2024', { kind: 'deadline', due: '2024-03-15' }],
  ['đầu tháng 3/2024', { kind: 'deadline', due: '2024-03-01' }],
  ['cuối tháng 2 năm 2023', { kind: 'deadline', due: '2023-02-28' }],
  ['đầu tháng 3', { kind: 'deadline', due: '2024-03-01', confident: true }, { issued: '2024-01-10' }],
  ['trước ngày 30/9', { kind: 'deadline', due: '2019-09-30', confident: true }, { issued: '2019-05-01' }],
  ['trước ngày 30/3', { kind: 'deadline', due: '2019-03-30', confident: false }, { issued: '2019-05-01' }],
  ['từ tháng 3/2024 đến tháng 6/2024', { kind: 'window', due: '2024-06-30', dues: ['2024-06-30'], recurrence: 'none' }],
  ['từ ngày 01/3/2024 đến ngày 15/4/2024', { kind: 'window', due: '2024-04-15' }],
  ['Thường xuyên', { kind: 'continuous', due: null, dues: [], recurrence: 'continuous' }],
  [
    'Từ năm 2021 và các năm tiếp theo',
    { kind: 'recurring', recurrence: 'yearly', due: '2021-12-31', dues: ['2021-12-31', '2022-12-31', '2023-12-31'] },
    { periodEnd: '2023-12-31' },
  ],
  [
    'Từ năm 2021 và các năm tiếp theo',
    { dues: ['2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31'] },
  ],
  [
    'Theo Kế hoạch công tác phổ biến, giáo dục pháp luật hàng năm của tỉnh',
    { kind: 'unscheduled', recurrence: 'yearly', due: null, confident: false },
  ],
  [
    'Định kỳ hằng năm',
    { kind: 'recurring', recurrence: 'yearly', due: null, confident: false, dues: ['2024-12-31', '2025-12-31'] },
    { issued: '2024-03-01', periodEnd: '2025-12-31' },
  ],
  [
    'Hằng năm',
    { kind: 'recurring', recurrence: 'yearly', due: '2024-12-15', dues: ['2024-12-15', '2025-12-15'], confident: true },
    { periodStart: '2024-01-01', periodEnd: '2025-12-31', yearlyDueDay: { month: 12, day: 15 } },
  ],
  ['hàng năm', { kind: 'recurring', recurrence: 'yearly', due: null, confident: false }, { issued: '2024-03-01' }],
  [
    'Hằng năm hoặc đột xuất (nếu có)',
    { kind: 'recurring', recurrence: 'yearly', due: null, confident: false },
    { issued: '2019-06-01' },
  ],
  ['Hằng năm', { kind: 'recurring', recurrence: 'yearly', due: null, dues: [], confident: false }],
  [
    'quý I hằng năm',
    { kind: 'recurring', recurrence: 'yearly', due: '2025-03-31', dues: ['2025-03-31', '2026-03-31'], confident: true },
    { periodStart: '2024-06-01', periodEnd: '2026-12-31' },
  ],
  [
    'hằng quý',
    { kind: 'recurring', recurrence: 'quarterly', due: null, dues: ['2024-09-30', '2024-12-31'], confident: false },
    { periodStart: '2024-07-01', periodEnd: '2024-12-31' },
  ],
  [
    'hằng tháng',
    { kind: 'recurring', recurrence: 'monthly', dues: ['2024-10-31', '2024-11-30', '2024-12-31'] },
    { periodStart: '2024-10-01', periodEnd: '2024-12-31' },
  ],
  [
    'định kỳ 6 tháng',
    { kind: 'recurring', recurrence: 'half-yearly', dues: ['2024-06-30', '2024-12-31'] },
    { periodStart: '2024-01-01', periodEnd: '2024-12-31' },
  ],
  ['6 tháng', { kind: 'recurring', recurrence: 'half-yearly' }, { periodStart: '2024-01-01', periodEnd: '2024-12-31' }],
  [
    '6 tháng một lần',
    { kind: 'recurring', recurrence: 'half-yearly' },
    { periodStart: '2024-01-01', periodEnd: '2024-12-31' },
  ],
];

describe('timing forms, with and without diacritics and odd spacing', () => {
  it.each(rows.map(([text, expected, ctx]) => ({ text, expected, ctx })))('$text', ({ text, expected, ctx }) => {
    for (const v of variants(text)) {
      const s = parseTiming(v, ctx ?? {});
      expect({ v, ...pick(s) }).toEqual({ v, ...pick(s), ...expected });
      expect(s.text).toBe(v);
      expect(s.reason.length).toBeGreaterThan(0);
    }
  });
});

const refused: [string, TimingContext?][] = [
  [''],
  ['   '],
  ['Kịp thời'],
  ['khi có yêu cầu'],
  ['asdkjh qwe'],
  ['31/2/2024'],
  ['ngày 30 tháng 2 năm 2024'],
  ['tháng 13/2024'],
  ['13/2024'],
  ['Năm 3000'],
  ['2022 - 2020'],
  ['30/9/19'],
  ['hoàn thành trước ngày 30/9/2019 và trước ngày 15/10/2019'],
  ['30/9/2019 hoặc 15/10/2019'],
  ['trong 30 ngày kể từ ngày ký'],
  ['trong vòng 6 tháng'],
  ['trước ngày 30/9'],
  ['ngày 29/2', { issued: '2023-01-05' }],
  ['hằng quý, hằng năm', { issued: '2024-01-01' }],
  ['Theo Kế hoạch số 39/KH-UBND ngày 06/02/2024 của UBND tỉnh'],
  ['Năm 2024, quý II/2024'],
];

describe('texts that must not be guessed', () => {
  it.each(refused.map(([text, ctx]) => ({ text, ctx })))(
    '$text is unscheduled, not confident, without a due date',
    ({ text, ctx }) => {
      for (const v of variants(text)) {
        const s = parseTiming(v, ctx ?? {});
        expect({ v, kind: s.kind, due: s.due, dues: s.dues, confident: s.confident }).toEqual({
          v,
          kind: 'unscheduled',
          due: null,
          dues: [],
          confident: false,
        });
        expect(s.reason).toMatch(/cần|không/);
      }
    },
  );

  it('never throws on non-string input', () => {
    expect(parseTiming(undefined as unknown as string, {}).kind).toBe('unscheduled');
    expect(parseTiming(42 as unknown as string, null as unknown as TimingContext).kind).toBe('unscheduled');
  });

  it('ignores malformed context values instead of using them', () => {
    const s = parseTiming('trước ngày 30/9', { issued: '2019-02-30' });
    expect(s.kind).toBe('unscheduled');
    const y = parseTiming('Hằng năm', {
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      yearlyDueDay: { month: 2, day: 30 },
    });
    expect([y.confident, y.due, y.dues]).toEqual([false, null, ['2024-12-31']]);
  });
});

describe('describeTiming (backs `dondoc timing --json`)', () => {
  it('returns exactly the JSON fields, with effectiveDue after the working-day rule', () => {
    const j = describeTiming('Quý II/2024');
    expect(Object.keys(j).sort()).toEqual([
      'confident',
      'due',
      'dues',
      'effectiveDue',
      'kind',
      'reason',
      'recurrence',
      'text',
    ]);
    expect([j.due, j.effectiveDue]).toEqual(['2024-06-30', '2024-07-01']); // 30/6/2024 is a Sunday
  });

  it('uses the shipped government overrides by default, given ones when passed', () => {
    expect(describeTiming('trước ngày 14/2/2026').effectiveDue).toBe('2026-02-23');
    expect(describeTiming('ngày 2/1/2026').effectiveDue).toBe('2026-01-05');
    expect(describeTiming('ngày 2/1/2026', { overrides: [] }).effectiveDue).toBe('2026-01-02');
    expect(describeTiming('Cả năm 2026').effectiveDue).toBe('2026-12-31');
  });

  it('passes issued and periodEnd to the reading', () => {
    const j = describeTiming('Từ năm 2021 và các năm tiếp theo', { periodEnd: '2022-12-31' });
    expect(j.dues).toEqual(['2021-12-31', '2022-12-31']);
    expect(j.effectiveDue).toBe('2021-12-31');
    const k = describeTiming('trước ngày 30/9', { issued: '2019-05-01' });
    expect([k.due, k.effectiveDue, k.confident]).toEqual(['2019-09-30', '2019-09-30', true]);
    const u = describeTiming('Kịp thời');
    expect([u.kind, u.due, u.effectiveDue, u.confident]).toEqual(['unscheduled', null, null, false]);
  });
});
