/**
 * Dates in emails: the one formatter of domain/format.ts, "30/09/2019" in subjects and tables and
 * "ngày 30 tháng 9 năm 2019" in running text, as on the pages and in the reports. Inputs are plan-local dates.
 */
export { formatDate as formatShortDate, formatDateLong as formatLongDate } from '../../domain/format';
