/** The plan's own header: number, issuer, issue date, title and period. */
import type { IsoDate } from '../domain/types';
import type { SourceLine } from './source-lines';
import type { PlanDraft, ReviewMark } from './types';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function toIsoDate(d: number, m: number, y: number): IsoDate | null {
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

const DATE_WORDS = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/i;
const DATE_SLASH = /ngày\s+(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/i;

function readDate(text: string): IsoDate | null {
  const m = DATE_WORDS.exec(text) ?? DATE_SLASH.exec(text);
  return m ? toIsoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

const LOWER_WORDS = new Set(['tỉnh', 'thành', 'phố', 'huyện', 'quận', 'thị', 'xã', 'trấn', 'phường', 'đặc', 'khu']);

/** "ỦY BAN NHÂN DÂN TỈNH X Y" → "Ủy ban nhân dân tỉnh X Y"; "SỞ TƯ PHÁP" → "Sở Tư pháp". */
function caseAgencyHeader(upper: string): string {
  const words = upper.toLocaleLowerCase('vi').split(/\s+/).filter(Boolean);
  const cap = (w: string): string => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1);
  const ubnd = /^(?:(?:ủy|uỷ) ban nhân dân|ubnd)(?![\p{L}\p{N}])/u.exec(words.join(' '));
  if (ubnd) {
    const rest = words.slice(ubnd[0].split(' ').length);
    let i = 0;
    while (i < rest.length && LOWER_WORDS.has(rest[i] ?? '')) i += 1;
    return ['Ủy ban nhân dân', ...rest.slice(0, i), ...rest.slice(i).map(cap)].join(' ');
  }
  const [head, first, ...others] = words;
  return [cap(head ?? ''), first ? cap(first) : '', ...others].filter(Boolean).join(' ');
}

const ISSUER_HEADER = /^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|SỞ|BAN|HỘI ĐỒNG|VĂN PHÒNG|BỘ)(?:\s|$)/u;
const AGENCY_START = /(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Sở|Ban|Phòng|Hội đồng|Bộ)\s/u;

/** The cells of a header line laid out as a table (agency on the left, national motto on the right). */
function headerCells(text: string): string[] {
  return (
    text
      .split(/\t+|\s{2,}|\s*\|\s*/)
      // "ỦY BAN NHÂN DÂN TỈNH X -------": the rule drawn under the name is not part of it.
      .map((c) => c.replace(/\s*[-_=–—]{3,}\s*$/u, '').trim())
      .filter((c) => c && !/^(?:CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập\s*[-–]|[-_=]{3,}$)/iu.test(c))
  );
}

const PLACE_HEAD = /^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s/u;
const BODY_HEAD = /^(?:SỞ|BAN|PHÒNG|VĂN PHÒNG|CHI CỤC|TRUNG TÂM)\s/u;

/**
 * The issuing body from an upper-case header, possibly over two lines ("ỦY BAN NHÂN DÂN" / "TỈNH X")
 * or under its parent ("UBND TỈNH X" / "SỞ Y": the lower line issues).
 */
function readIssuerHeader(head: SourceLine[]): string | undefined {
  const firstCells = head.map((l) => headerCells(l.text)[0] ?? '');
  for (let i = 0; i < firstCells.length; i += 1) {
    const cell = firstCells[i] ?? '';
    if (!ISSUER_HEADER.test(cell) || cell !== cell.toLocaleUpperCase('vi') || cell.length > 80) continue;
    const next = firstCells[i + 1] ?? '';
    const nextUpper = next !== '' && next === next.toLocaleUpperCase('vi');
    if (nextUpper && PLACE_HEAD.test(next)) {
      const joined = `${cell} ${next}`;
      const after = firstCells[i + 2] ?? '';
      return after === after.toLocaleUpperCase('vi') && BODY_HEAD.test(after) ? after : joined;
    }
    if (nextUpper && BODY_HEAD.test(next) && !BODY_HEAD.test(cell)) return next;
    return cell.replace(/\s+/g, ' ');
  }
  return undefined;
}

/**
 * Reads the header fields. A "Số:" line decides the number (blank gives null, and a plan cited with
 * "Căn cứ/Thực hiện Kế hoạch số …" is never taken as this plan's number); the issue date is the
 * "…, ngày … tháng … năm …" line or the date written next to this plan's number; the issuer is an
 * upper-case agency header or the subject of "… ban hành / xây dựng Kế hoạch".
 */
export function readPlanHeader(lines: SourceLine[]): { plan: PlanDraft['plan']; marks: ReviewMark[] } {
  const marks: ReviewMark[] = [];
  const head = lines.slice(0, 15);
  let number: string | null = null;
  let numberLine: SourceLine | undefined;
  const soLine = head.find((l) => /^Số\s*:/i.test(l.text));
  if (soLine) {
    const m = /^Số\s*:\s*(\d+[^\s/]*\/[^\s,;]+)/i.exec(soLine.text);
    number = m?.[1] ?? null;
    numberLine = soLine;
    if (!number)
      marks.push({ field: 'number', why: 'Số kế hoạch để trống trong văn bản: điền số khi có.', line: soLine.line });
  } else {
    for (const l of lines.slice(0, 20)) {
      for (const m of l.text.matchAll(/Kế hoạch\s+(?:số\s+)?(\d+\/KH[-\w]*)/giu)) {
        const before = l.text.slice(0, m.index).slice(-30);
        const after = l.text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 40);
        if (
          /(?:căn cứ|thực hiện|thiện|theo|tại)\s*$/iu.test(before) ||
          /^\s*(?:ngày\s+\S+\s+)?của(?![\p{L}\p{N}])/iu.test(after)
        )
          continue;
        number = m[1] ?? null;
        numberLine = l;
        break;
      }
      if (number) break;
    }
  }

  let issued: IsoDate | null = null;
  const placeDate = head
    .flatMap((l) => headerCells(l.text).map((text) => ({ text, line: l.line })))
    .find((c) => /^[^,\d]{2,40},\s*ngày(?![\p{L}\p{N}])/iu.test(c.text));
  if (placeDate) {
    issued = readDate(placeDate.text);
    if (!issued)
      marks.push({
        field: 'issued',
        why: 'Ngày ban hành chưa đầy đủ trong văn bản: điền ngày khi có.',
        line: placeDate.line,
      });
  } else if (numberLine && number) {
    const idx = numberLine.text.indexOf(number);
    const after = numberLine.text.slice(idx + number.length, idx + number.length + 40);
    const clauseStart = Math.max(numberLine.text.lastIndexOf(';', idx), numberLine.text.lastIndexOf('.', idx - 1), 0);
    const before = numberLine.text.slice(clauseStart, idx);
    issued = (/^\s*\)?\s*,?\s*ngày/i.test(after) ? readDate(after) : null) ?? readDate(before);
  }

  let issuer: string | null = null;
  const header = readIssuerHeader(head);
  if (header) issuer = caseAgencyHeader(header);
  if (!issuer) {
    for (const l of lines.slice(0, 20)) {
      const m = /^(.*?)\s+(?:vừa\s+|đã\s+)?(?:ban hành|xây dựng)\s+Kế hoạch(?![\p{L}\p{N}])/iu.exec(l.text);
      if (!m?.[1]) continue;
      const clause = m[1].split(/[,.;:]\s/).pop() ?? '';
      const start = clause.search(AGENCY_START);
      if (start >= 0) {
        issuer = clause.slice(start).trim();
        break;
      }
    }
  }
  if (!issuer)
    marks.push({
      field: 'issuer',
      why: 'Không tìm thấy cơ quan ban hành: chọn cơ quan trong danh mục.',
      line: lines[0]?.line ?? 1,
    });

  let title: string | null = null;
  const khIndex = lines.findIndex((l, i) => i < 20 && /^KẾ HOẠCH$/u.test(l.text.trim()));
  if (khIndex >= 0 && lines[khIndex + 1]) title = `Kế hoạch ${lines[khIndex + 1]?.text ?? ''}`.trim();
  else if (lines[0] && /^Kế hoạch(?![\p{L}\p{N}])/u.test(lines[0].text)) title = lines[0].text;
  else {
    const m = /(Kế hoạch (?:thực hiện|triển khai)[^.(]*?)(?:\s*\(|\.|$)/u.exec(
      lines
        .slice(0, 5)
        .map((l) => l.text)
        .join(' '),
    );
    title = m?.[1]?.trim() ?? null;
  }

  const plan: PlanDraft['plan'] = { number, issuer, issued, title };
  const period = readPeriod(title ?? '', issued);
  if (period) {
    plan.periodStart = period.start;
    plan.periodEnd = period.end;
  }
  return { plan, marks };
}

function readPeriod(title: string, issued: IsoDate | null): { start: IsoDate; end: IsoDate } | undefined {
  const outsideQuotes = title.replace(/[“"'‘][^”"'’]*[”"'’]/g, ' ');
  // "năm 2024" of the plan, not the date of a document the title cites ("… ngày 15 tháng 8 năm 2024").
  const year = /(?<!tháng\s+\d{1,2}\s+)(?<!đến\s+)năm\s+(\d{4})\b(?!\s*[-–])/iu.exec(outsideQuotes);
  if (year?.[1] && (!issued || Number(year[1]) >= Number(issued.slice(0, 4))))
    return { start: `${year[1]}-01-01`, end: `${year[1]}-12-31` };
  const range = /(\d{4})\s*[-–—]\s*(\d{4})/.exec(title);
  if (range) return { start: `${range[1]}-01-01`, end: `${range[2]}-12-31` };
  if (issued) return { start: issued, end: `${issued.slice(0, 4)}-12-31` };
  return undefined;
}

/**
 * The plan's own period, when the text states it: a line "Thời gian thực hiện (Kế hoạch|Chương
 * trình): Từ năm 2026 - 2030", a title "… giai đoạn 2026 - 2030" or "… đến năm 2035" (from the
 * issue date). Undefined when the text says nothing more than the header did.
 */
export function readPlanPeriod(
  lines: SourceLine[],
  plan: PlanDraft['plan'],
): { start: IsoDate; end: IsoDate } | undefined {
  for (const l of lines) {
    const m =
      /thời gian thực hiện(?:\s+(?:kế hoạch|chương trình|đề án))?\s*:\s*(?:từ\s+)?(?:năm\s+)?(\d{4})\s*(?:[-–]|đến(?:\s+hết)?)\s*(?:năm\s+)?(\d{4})\b/iu.exec(
        l.text,
      );
    if (m?.[1] && m[2] && Number(m[2]) >= Number(m[1])) return { start: `${m[1]}-01-01`, end: `${m[2]}-12-31` };
  }
  const title = (plan.title ?? '').replace(/[“"'‘][^”"'’]*[”"'’]/g, ' ');
  const range = /(\d{4})\s*[-–—]\s*(\d{4})/.exec(title);
  if (range?.[1] && range[2] && Number(range[2]) >= Number(range[1]))
    return { start: `${range[1]}-01-01`, end: `${range[2]}-12-31` };
  const until = /đến năm\s+(\d{4})/iu.exec(title);
  if (until?.[1]) {
    const start = plan.issued ?? `${until[1]}-01-01`;
    return { start, end: `${until[1]}-12-31` };
  }
  return undefined;
}
