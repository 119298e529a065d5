/**
 * Task tables, as plans print them in an appendix or in the body: a header row naming the content,
 * lead, coordinators, time and product columns (in any order and wording), group rows ("I | NHÓM
 * GIẢI PHÁP …", "A. …"), task rows, repeated header rows, rows split over two lines, merged cells.
 * Cells are separated by "|" (docx and markdown tables), tabs or runs of spaces.
 */
import { foldText } from './agency-names';
import type { SourceLine } from './source-lines';
import type { ReviewMark } from './types';

export type Column = 'ref' | 'title' | 'lead' | 'coordinators' | 'timing' | 'deliverable' | 'other';

export interface TableHeader {
  sep: RegExp;
  columns: Column[];
  line: number;
}

export interface TableRow {
  /** The row's number as printed, prefixed by its group numbers when rows restart in each group. */
  ref: string | null;
  title: string;
  lead: string;
  coordinators: string;
  timing: string;
  deliverable: string;
  line: number;
  /** The group rows above the row ("NHÓM NHIỆM VỤ VỀ THỂ CHẾ"). */
  groups: string[];
  marks: ReviewMark[];
}

export interface TableRead {
  rows: TableRow[];
  /** Every line the tables took (header, group and task rows), for the outline to skip. */
  lines: Set<number>;
  headers: TableHeader[];
}

const SEPARATORS = [/\s*\|\s*/, /\t+/, / {2,}/];

function splitCells(text: string, sep: RegExp): string[] {
  return text
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split(sep)
    .map((c) => c.trim());
}

/** What a header cell names, whatever its wording and case. */
export function classifyColumn(cell: string): Column | undefined {
  const f = foldText(cell);
  if (!f) return undefined;
  if (/^(stt|tt|so tt|so thu tu|thu tu)$/.test(f)) return 'ref';
  if (/phoi hop/.test(f)) return 'coordinators';
  if (
    /^(thoi gian|thoi han|tien do|moc thoi gian|han hoan thanh)/.test(f) ||
    /\bthoi (gian|han) (thuc hien|hoan thanh|trien khai)\b/.test(f)
  )
    return 'timing';
  if (
    /chu tri|co quan thuc hien|don vi thuc hien|dau moi|trach nhiem|^thuc hien$|co quan thuc hien|don vi chu tri|^co quan$|^don vi$/.test(
      f,
    )
  )
    return 'lead';
  if (/ket qua|san pham/.test(f)) return 'deliverable';
  if (/noi dung|nhiem vu|hoat dong|cong viec|giai phap|ten nhiem vu/.test(f)) return 'title';
  return 'other';
}

function readHeader(text: string, line: number): TableHeader | undefined {
  for (const sep of SEPARATORS) {
    const cells = splitCells(text, sep);
    if (cells.length < 3) continue;
    const columns = cells.map((c) => classifyColumn(c) ?? 'other');
    if (!columns.includes('title') || !(columns.includes('lead') || columns.includes('timing'))) continue;
    // Header cells are short labels; a task row that happens to use these words is longer.
    if (cells.some((c) => c.split(/\s+/).length > 8)) continue;
    return { sep, columns, line };
  }
  return undefined;
}

const REF_CELL = /^(?:\d{1,2}(?:\.\d{1,2}){0,3}|[IVX]{1,5}|[A-ZĐ]|[a-zđ])[.)]?$/u;
const GROUP_REF = /^(?:[IVX]{1,5}|[A-ZĐ])[.)]?$/u;
const GROUP_LINE = /^((?:[IVX]{1,5}|[A-ZĐ]))\s*[.)]\s*(\S.*)$/u;

function isUpper(text: string): boolean {
  return text === text.toLocaleUpperCase('vi') && /\p{Lu}/u.test(text);
}

/**
 * Reads every task table in the lines. A table starts at a header row and ends at the first line
 * that is neither a row, a group heading nor a lone row number. Rows with fewer cells than the
 * header (merged cells) take the missing lead, coordinators and time from the row above, marked
 * for review.
 */
export function readTables(lines: SourceLine[]): TableRead {
  const rows: TableRow[] = [];
  const taken = new Set<number>();
  const headers: TableHeader[] = [];
  let header: TableHeader | undefined;
  let groups: { ref: string | null; title: string }[] = [];
  let pendingRef: { ref: string; line: number } | undefined;
  let refsRestart = false;
  const seenRefs = new Set<string>();

  const close = (): void => {
    header = undefined;
    groups = [];
    pendingRef = undefined;
  };
  const isPart = (ref: string | null): boolean => !!ref && /^[A-ZĐ]$/u.test(ref) && !/^[IVX]$/.test(ref);
  const pushGroup = (ref: string | null, title: string): void => {
    // Parts (A, B, C) hold Roman groups (I, II): "A > I"; a new part starts over.
    if (isPart(ref)) groups = [{ ref, title }];
    else if (groups[0] && isPart(groups[0].ref)) groups = [groups[0], { ref, title }];
    else groups = [{ ref, title }];
  };

  for (const l of lines) {
    const fresh = readHeader(l.text, l.line);
    if (fresh) {
      // A repeated header inside a table keeps the row-number column of the first one.
      if (header && !fresh.columns.includes('ref') && header.columns[0] === 'ref')
        fresh.columns = ['ref', ...fresh.columns];
      else if (!header) {
        groups = [];
        refsRestart = false;
        seenRefs.clear();
      }
      header = fresh;
      headers.push(fresh);
      taken.add(l.line);
      continue;
    }
    if (!header) continue;
    const t = l.text.trim();
    if (/^[|\s:+-]+$/.test(t)) {
      taken.add(l.line);
      continue;
    }
    let cells = splitCells(t, header.sep);
    if (cells.length < 2 && pendingRef) {
      // "5.1" on one line, "Thương mại |" on the next: one group row split in two.
      pushGroup(pendingRef.ref, t.replace(/\|\s*$/, '').trim());
      pendingRef = undefined;
      taken.add(l.line);
      continue;
    }
    if (cells.length < 2) {
      if (REF_CELL.test(t)) {
        pendingRef = { ref: t.replace(/[.)]$/, ''), line: l.line };
        taken.add(l.line);
        continue;
      }
      const g = GROUP_LINE.exec(t);
      if ((g && isUpper(g[2] ?? '')) || (isUpper(t) && t.length >= 6)) {
        pushGroup(g?.[1] ?? null, (g?.[2] ?? t).trim());
        taken.add(l.line);
        continue;
      }
      close();
      continue;
    }
    if (pendingRef) {
      cells = [pendingRef.ref, ...cells];
      pendingRef = undefined;
    }
    // A row that starts with a number under a header that has no number column (a repeated header
    // often drops it), or a row without a number under a header that has one.
    let columns = header.columns;
    const refFirst = REF_CELL.test((cells[0] ?? '').trim());
    if (refFirst && !columns.includes('ref')) columns = ['ref', ...columns];
    if (columns[0] === 'ref' && !refFirst && cells.length === columns.length - 1) columns = columns.slice(1);
    const get = (c: Column): string => {
      const i = columns.indexOf(c);
      return i >= 0 ? (cells[i] ?? '').trim() : '';
    };
    const ref = get('ref').replace(/[.)]$/, '');
    const title = get('title');
    const lead = get('lead');
    const timing = get('timing');
    const filled = cells.filter((c) => c.trim()).length;
    if ((ref && GROUP_REF.test(ref) && !lead && !timing) || (!lead && !timing && !get('coordinators') && filled <= 2)) {
      pushGroup(ref || null, title || cells.find((c) => c && c !== ref) || '');
      taken.add(l.line);
      continue;
    }
    if (!title) {
      taken.add(l.line);
      continue;
    }
    const marks: ReviewMark[] = [];
    const row: TableRow = {
      ref: ref || null,
      title,
      lead,
      coordinators: get('coordinators'),
      timing,
      deliverable: get('deliverable'),
      line: l.line,
      groups: groups.map((g) => g.title),
      marks,
    };
    const prev = rows[rows.length - 1];
    if (cells.length < columns.length && cells.length >= 3 && prev && prev.line < l.line) {
      // Merged cells: the missing cells carry on from the row above.
      for (const k of ['lead', 'coordinators', 'timing'] as const) {
        if (!row[k] && prev[k]) {
          row[k] = prev[k];
          marks.push({
            field: k === 'timing' ? 'timing' : k,
            why: `Ô này gộp với dòng trên (dòng ${prev.line}) trong bảng: lấy lại "${prev[k]}", cần xác nhận.`,
            line: l.line,
          });
        }
      }
    }
    if (ref) {
      if (seenRefs.has(ref)) refsRestart = true;
      seenRefs.add(ref);
    }
    // Only Roman and letter groups prefix a row number; a numbered group ("5.1") is already in its rows' numbers.
    row.ref = ref
      ? [...groups.map((g) => g.ref).filter((r): r is string => !!r && /^(?:[IVX]{1,5}|[A-ZĐ])$/u.test(r)), ref].join(
          '.',
        )
      : null;
    rows.push(row);
    taken.add(l.line);
  }
  // Refs only need their group prefix when numbering restarts in each group.
  if (!refsRestart)
    for (const r of rows)
      if (r.ref)
        r.ref =
          r.ref
            .split('.')
            .filter((p) => !/^(?:[IVX]{1,5}|[A-ZĐ])$/u.test(p))
            .join('.') || r.ref;
  return { rows, lines: taken, headers };
}
