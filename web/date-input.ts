/**
 * Date fields of the web forms, written and read as dd/mm/yyyy whatever the browser's locale: a native
 * `type=date` shows the locale's format (mm/dd/yyyy in an English browser), so the pages use a text input
 * with a pattern and the server reads the day.
 */
import type { IsoDate } from '../domain/types';
import { formatDate } from '../domain/format';
import { html, raw, type SafeHtml } from './html';

const VN_DAY = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/;
const ISO_DAY = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/;

/** The HTML `pattern` of a dd/mm/yyyy field (the browser checks the shape; the server checks the day). */
export const DAY_PATTERN = String.raw`\d{1,2}/\d{1,2}/\d{4}`;

function isoOf(year: number, month: number, day: number): IsoDate | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a day typed as `dd/mm/yyyy` (also `d/m/yyyy`, `dd.mm.yyyy`, `dd-mm-yyyy`) or `yyyy-mm-dd` (old links and
 * scripts). Empty text: null. A text that is no real day: undefined.
 */
export function parseDayInput(text: string | undefined | null): IsoDate | null | undefined {
  if (text === undefined || text === null || text.trim() === '') return null;
  const vn = VN_DAY.exec(text);
  if (vn) return isoOf(Number(vn[3]), Number(vn[2]), Number(vn[1]));
  const iso = ISO_DAY.exec(text);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return undefined;
}

/** `2026-06-30` → `30/06/2026`; other text as it is (what the officer typed, shown back with its error). */
export function showDay(value: string | null | undefined): string {
  if (!value) return '';
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseDayInput(value) ? formatDate(value) : value;
}

/** A dd/mm/yyyy text field (placeholder, pattern, numeric keyboard hint on phones). */
export function dayInput(
  name: string,
  value: string | null | undefined,
  opts: { id?: string; label?: string; required?: boolean } = {},
): SafeHtml {
  const id = opts.id ?? name;
  const title = opts.label ? `${opts.label} (dd/mm/yyyy)` : 'dd/mm/yyyy';
  return html`<input type="text" id="${id}" name="${name}" value="${showDay(value)}" placeholder="dd/mm/yyyy" pattern="${DAY_PATTERN}" inputmode="numeric" autocomplete="off" size="10" maxlength="10" title="${title}"${raw(opts.required ? ' required' : '')}>`;
}
