import { convertLunarToSolar, convertSolarToLunar, getHungKingsDate, getTetDate } from '../../../domain/calendar';
import { addDays } from '../../../domain/calendar/dates';

const TET: Record<number, string> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  // Not 2030-02-03 (China's date): the new moon is at 16:08 UTC on 2 February, 23:08 in Vietnam
  // (UTC+7) but 00:08 on 3 February in China (UTC+8), so Vietnam's Tết Canh Tuất is a day earlier.
  2030: '2030-02-02',
};

describe('lunar calendar (Hồ Ngọc Đức, UTC+7)', () => {
  it.each(Object.entries(TET))('Tết %s falls on %s', (year, date) => {
    expect(getTetDate(Number(year))).toBe(date);
    expect(convertSolarToLunar(date)).toEqual({ day: 1, month: 1, year: Number(year), leap: false });
  });

  it.each([
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2023, '2023-04-29'],
  ])('Giỗ Tổ %i falls on %s', (year, date) => {
    expect(getHungKingsDate(year)).toBe(date);
  });

  it('knows the leap month 2023 (tháng 2 nhuận) and 2025 (tháng 6 nhuận)', () => {
    // 2023-03-22 is 1/2 nhuận Quý Mão; 2025-07-25 is 1/6 nhuận Ất Tỵ.
    expect(convertSolarToLunar('2023-03-22')).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(convertLunarToSolar({ day: 1, month: 2, year: 2023, leap: true })).toBe('2023-03-22');
    expect(convertSolarToLunar('2025-07-25')).toEqual({ day: 1, month: 6, year: 2025, leap: true });
  });

  it('refuses a leap month the year does not have and a day past the month', () => {
    expect(convertLunarToSolar({ day: 1, month: 5, year: 2024, leap: true })).toBeUndefined();
    expect(convertLunarToSolar({ day: 31, month: 1, year: 2024, leap: false })).toBeUndefined();
  });

  it('round-trips every day of 2018–2031', () => {
    for (let d = '2018-01-01'; d < '2032-01-01'; d = addDays(d, 1)) {
      expect(convertLunarToSolar(convertSolarToLunar(d))).toBe(d);
    }
  });

  it('puts the last day of the lunar year the day before Tết', () => {
    const lastDay = convertSolarToLunar('2026-02-16');
    expect(lastDay.month).toBe(12);
    expect(lastDay.year).toBe(2025);
    expect([29, 30]).toContain(lastDay.day);
  });
});
