/**
 * Per-year days off for civil servants (công chức, viên chức) as the government's notices fixed
 * them, where they differ from the computed default of `holidays.ts`. Only entries we can state
 * with confidence are here; for any other year the computed default applies, and a province can
 * supply its own `CalendarYearOverride` data.
 */
import type { CalendarYearOverride } from '../types';

export const VN_CALENDAR_OVERRIDES: readonly CalendarYearOverride[] = [
  {
    year: 2024,
    // Tết Giáp Thìn: 8/2 (29 Tết) to 14/2 (mùng 5), 7 days. Computed default: 9/2–13/2 with
    // 10/2 and 11/2 on the weekend, compensated 14/2 and 15/2; the notice took 8/2 instead of 15/2.
    // 30/4–1/5: 27/4 to 1/5, Monday 29/4 swapped with Saturday 4/5.
    daysOff: ['2024-02-08', '2024-04-29'],
    workingDays: ['2024-05-04'],
    notOff: ['2024-02-15'],
    source:
      'Thông báo của Bộ LĐ-TB&XH về lịch nghỉ Tết Giáp Thìn 2024 (8/2–14/2/2024) và nghỉ 30/4–1/5/2024 (27/4–1/5, hoán đổi thứ Hai 29/4 sang thứ Bảy 4/5)',
  },
  {
    year: 2025,
    // Tết Ất Tỵ: Saturday 25/1 to Sunday 2/2, 9 days, Monday 27/1 swapped with Saturday 8/2; back
    // to work Monday 3/2 (the computed default would give 3/2 as nghỉ bù for mùng 4 on Saturday 1/2).
    // 30/4–1/5: 30/4 to 4/5, Friday 2/5 swapped with Saturday 26/4.
    daysOff: ['2025-01-27', '2025-05-02'],
    workingDays: ['2025-02-08', '2025-04-26'],
    notOff: ['2025-02-03'],
    source:
      'Thông báo của Bộ LĐ-TB&XH về lịch nghỉ Tết Ất Tỵ 2025 (25/1–2/2/2025, hoán đổi 27/1 sang thứ Bảy 8/2) và nghỉ 30/4–1/5/2025 (hoán đổi thứ Sáu 2/5 sang thứ Bảy 26/4)',
  },
  {
    year: 2026,
    // Tết Dương lịch: Friday 2/1 off, made up on Saturday 10/1.
    // Tết Bính Ngọ: Saturday 14/2 to Sunday 22/2, 9 days; the five weekdays 16/2–20/2 are the
    // computed default too, listed here so the notice is explicit.
    daysOff: ['2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'],
    workingDays: ['2026-01-10'],
    source:
      'Thông báo của Bộ Nội vụ về lịch nghỉ Tết Dương lịch 2026 (nghỉ thứ Sáu 2/1, làm bù thứ Bảy 10/1) và Tết Bính Ngọ 2026 (14/2–22/2/2026)',
  },
];
