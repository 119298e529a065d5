/**
 * A small iCalendar (RFC 5545) writer: one all-day VEVENT per due date, METHOD:PUBLISH.
 */

/** One all-day event. */
export interface IcsEvent {
  /** Globally unique and stable for the same task instance: calendars update instead of duplicating. */
  uid: string;
  /** `YYYY-MM-DD`, the due date. */
  date: string;
  summary: string;
  description?: string;
  url?: string;
}

/** Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line so no physical line exceeds 75 octets (RFC 5545 §3.1), never splitting a
 * UTF-8 character; continuation lines start with one space. Lines are joined with CRLF.
 */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let currentBytes = 0;
  let limit = 75;
  for (const ch of line) {
    const bytes = Buffer.byteLength(ch, 'utf8');
    if (currentBytes + bytes > limit) {
      out.push(current);
      current = ' ';
      currentBytes = 1;
      limit = 75;
    }
    current += ch;
    currentBytes += bytes;
  }
  out.push(current);
  return out.join('\r\n');
}

function basicDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`Ngày không hợp lệ cho lịch iCalendar: "${iso}" (cần YYYY-MM-DD).`);
  return iso.replace(/-/g, '');
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Builds a VCALENDAR with METHOD:PUBLISH and one all-day VEVENT per event (DTSTART;VALUE=DATE on the
 * date, DTEND the day after). Events with the same uid are written once. `stamp` is DTSTAMP.
 */
export function buildIcs(events: readonly IcsEvent[], stamp: Date): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//dondoc//don doc nhiem vu//VI', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.uid)) continue;
    seen.add(e.uid);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeIcsText(e.uid)}`,
      `DTSTAMP:${utcStamp(stamp)}`,
      `DTSTART;VALUE=DATE:${basicDate(e.date)}`,
      `DTEND;VALUE=DATE:${basicDate(nextDay(e.date))}`,
      `SUMMARY:${escapeIcsText(e.summary)}`,
    );
    if (e.description !== undefined) lines.push(`DESCRIPTION:${escapeIcsText(e.description)}`);
    if (e.url !== undefined) lines.push(`URL:${e.url}`);
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}
