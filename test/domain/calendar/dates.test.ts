import fc from 'fast-check';
import {
  addDays,
  compareIsoDates,
  endOfMonth,
  formatIsoDate,
  fromEpochDay,
  getDayOfWeek,
  instantOfLocal,
  isIsoDate,
  localDateOf,
  parseIsoDate,
  toEpochDay,
} from '../../../domain/calendar/dates';

describe('date helpers', () => {
  it('parses and formats', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(formatIsoDate(2019, 9, 30)).toBe('2019-09-30');
  });

  it.each(['2023-02-29', '2024-13-01', '2024-1-01', '', '2024-04-31', '20240101'])('refuses %p', (bad) => {
    expect(isIsoDate(bad)).toBe(false);
    expect(() => parseIsoDate(bad)).toThrow(RangeError);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('1969-12-31', 1)).toBe('1970-01-01');
  });

  it('knows month ends', () => {
    expect(endOfMonth(2024, 2)).toBe('2024-02-29');
    expect(endOfMonth(2100, 2)).toBe('2100-02-28');
    expect(endOfMonth(2000, 2)).toBe('2000-02-29');
    expect(endOfMonth(2024, 9)).toBe('2024-09-30');
    expect(endOfMonth(2024, 12)).toBe('2024-12-31');
  });

  it('knows days of the week', () => {
    expect(getDayOfWeek('2026-01-10')).toBe(6); // Saturday
    expect(getDayOfWeek('2026-01-02')).toBe(5); // Friday
    expect(getDayOfWeek('1970-01-01')).toBe(4);
    expect(getDayOfWeek('1969-12-28')).toBe(0);
  });

  it('orders dates', () => {
    expect(compareIsoDates('2024-01-31', '2024-02-01')).toBe(-1);
    expect(compareIsoDates('2024-02-01', '2024-02-01')).toBe(0);
    expect(compareIsoDates('2025-01-01', '2024-12-31')).toBe(1);
  });

  it('day numbers round-trip and agree with addDays (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: -1000, max: 1000 }), (n, k) => {
        const d = fromEpochDay(n);
        expect(isIsoDate(d)).toBe(true);
        expect(toEpochDay(d)).toBe(n);
        expect(toEpochDay(addDays(d, k))).toBe(n + k);
      }),
    );
  });
});

describe('local dates and instants', () => {
  it('reads Vietnam dates (UTC+7, no DST)', () => {
    expect(localDateOf(Date.parse('2026-12-31T16:59:59.999Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-12-31');
    expect(localDateOf(Date.parse('2026-12-31T17:00:00.000Z'), 'Asia/Ho_Chi_Minh')).toBe('2027-01-01');
    expect(instantOfLocal('2026-12-31', 24, 0, 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2026-12-31T17:00:00.000Z'));
    expect(instantOfLocal('2024-06-30', 8, 30, 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2024-06-30T01:30:00.000Z'));
  });

  it('handles zones west of UTC and DST transitions (compatible rule)', () => {
    expect(instantOfLocal('2024-07-01', 9, 0, 'America/New_York')).toBe(Date.parse('2024-07-01T13:00:00Z'));
    expect(instantOfLocal('2024-01-15', 9, 0, 'America/New_York')).toBe(Date.parse('2024-01-15T14:00:00Z'));
    // 02:30 does not exist on 2024-03-10: moved forward to 03:30 EDT.
    expect(instantOfLocal('2024-03-10', 2, 30, 'America/New_York')).toBe(Date.parse('2024-03-10T07:30:00Z'));
    // 01:30 happens twice on 2024-11-03: the earlier (EDT) one.
    expect(instantOfLocal('2024-11-03', 1, 30, 'America/New_York')).toBe(Date.parse('2024-11-03T05:30:00Z'));
    expect(instantOfLocal('2024-07-01', 0, 0, 'Asia/Kolkata')).toBe(Date.parse('2024-06-30T18:30:00Z'));
    expect(localDateOf(Date.parse('2024-06-30T18:29:00Z'), 'Asia/Kolkata')).toBe('2024-06-30');
  });

  it('refuses a bad zone, hour or date', () => {
    expect(() => localDateOf(0, 'Mars/Olympus')).toThrow(RangeError);
    expect(() => instantOfLocal('2024-02-30', 0, 0, 'UTC')).toThrow(RangeError);
    expect(() => instantOfLocal('2024-02-01', 25, 0, 'UTC')).toThrow(RangeError);
  });

  it('localDateOf(instantOfLocal(d, h, m, z), z) = d for any zone (property)', () => {
    const zones = ['Asia/Ho_Chi_Minh', 'UTC', 'America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(
        fc.integer({ min: toEpochDay('1990-01-01'), max: toEpochDay('2060-12-31') }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(...zones),
        (n, h, m, zone) => {
          const d = fromEpochDay(n);
          expect(localDateOf(instantOfLocal(d, h, m, zone), zone)).toBe(d);
        },
      ),
    );
  });
});
