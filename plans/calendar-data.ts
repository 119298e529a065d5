/** The shipped per-year calendar data (Vietnamese public holidays and swapped working days). */
import { VN_CALENDAR_OVERRIDES } from '../domain/calendar';
import type { CalendarYearOverride } from '../domain/types';

/** Returns a deep copy of the calendar overrides shipped in `domain/calendar`, sorted by year. */
export function getShippedCalendar(): CalendarYearOverride[] {
  return VN_CALENDAR_OVERRIDES.map((o) => ({
    ...o,
    daysOff: [...o.daysOff],
    workingDays: [...o.workingDays],
    ...(o.notOff ? { notOff: [...o.notOff] } : {}),
  })).sort((a, b) => a.year - b.year);
}
