/**
 * Checks of command-line values that need more than commander gives: dates that must exist and fall in the years a
 * plan may use. A bad value is bad input (exit 2) with a message naming the flag and what was typed.
 */
import { isValidIsoDate, MAX_YEAR, MIN_YEAR } from '../plans/schema';

/** Why `value` is not a usable `YYYY-MM-DD` date for `flag`, or null when it is. */
export function cliDateProblem(flag: string, value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    return `${flag} phải có dạng YYYY-MM-DD, ví dụ 2026-12-15 (nhận: "${value}").`;
  if (!isValidIsoDate(value)) {
    const month = Number(value.slice(5, 7));
    return `${flag}: ngày "${value}" không có trong lịch (${month < 1 || month > 12 ? `không có tháng ${month}` : 'tháng đó không có ngày này'}). Hãy nhập ngày dạng YYYY-MM-DD.`;
  }
  const year = Number(value.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR)
    return `${flag}: năm ${year} nằm ngoài khoảng ${MIN_YEAR}–${MAX_YEAR}. Hãy nhập ngày dạng YYYY-MM-DD.`;
  return null;
}
