/**
 * The outline of a plan text: sections (Roman numerals, upper-case letters, keyword headings),
 * numbered and lettered items, dash and plus bullets, labelled field lines and prose, as a tree
 * whose nodes remember their source lines. Layout strategies read tasks from this tree.
 */
import { foldText } from './agency-names';
import { readField, type FieldName } from './fields';
import type { SourceLine } from './source-lines';

export type SectionKind =
  'preamble' | 'purpose' | 'tasks' | 'funding' | 'roles' | 'reporting' | 'other' | 'appendix' | 'closing';

export interface Section {
  kind: SectionKind;
  title: string;
  line: number;
  ref: string | null;
}

export type MarkerType = 'roman' | 'upper' | 'num' | 'letter' | 'paren' | 'label' | 'dash' | 'plus' | 'none';

/** A labelled line ("Cơ quan chủ trì: …") read as a field of the node it belongs to. */
export interface FieldLine {
  name: FieldName;
  value: string;
  line: number;
  /** Bullets right under an empty-valued field ("- Cơ quan thực hiện:" then "+ …" lines). */
  items: SourceLine[];
}

export interface Block {
  marker: MarkerType;
  /** The number or letter as printed ("1.2", "a", "Hoạt động 1"), null for bullets and prose. */
  ref: string | null;
  /** Numbering depth for items; 0 for bullets and prose. */
  depth: number;
  /** The text after the marker. */
  text: string;
  line: number;
  children: Block[];
  fields: FieldLine[];
  section: Section;
}

const ROMAN = /^((?:X{0,3})(?:IX|IV|V?I{1,3}|V|X))\s*[.)/]\s*(\S.*)$/u;
const UPPER_LETTER = /^([A-ZĐ])\s*[.)]\s*(\S.*)$/u;
const NUMBERED_MULTI = /^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$/u;
const NUMBERED_ONE = /^(\d{1,2})\s*[.)]\s*(\S.*)$/u;
const LETTERED = /^([a-zđ])\s*[.)]\s+(\S.*)$/u;
const PARENS = /^\((\d{1,2}|[a-zđ])\)\s*(\S.*)$/u;
const LABELLED =
  /^((?:Hoạt động|Nhiệm vụ|Bước|Giai đoạn|Nội dung|Phần)\s+(?:\d{1,2}|[IVX]{1,4}))\s*(?:[:.)–-]\s*(.*))?$/iu;
const BULLET = /^([-–—+•*])\s*(\S.*)$/u;

export const CLOSING =
  /^(?:Nơi nhận|Trên đây là|Nhận được Kế hoạch|Trong quá trình (?:tổ chức )?(?:thực hiện|triển khai)|KT\.\s|TM\.\s|CHỦ TỊCH$|GIÁM ĐỐC$|\[\d+\]\s)/u;
const APPENDIX = /^PHỤ LỤC(?:\s+[IVX\d]+)?\s*$|^Phụ lục(?:\s+[IVX\d]+)?\s*$/u;

/** What a section heading is about, from its words (any case, any wording order). */
export function classifySection(title: string): SectionKind {
  const f = foldText(title);
  if (/\bkinh phi\b|\bdu toan\b|\bnguon luc\b(?!.*\bnhiem vu\b)/.test(f) && !/\bnoi dung\b|\bnhiem vu\b/.test(f))
    return 'funding';
  if (/\bto chuc thuc hien\b|\bphan cong\b|\btrach nhiem\b/.test(f)) return 'roles';
  if (/\bche do bao cao\b|\btheo doi\b.*\bbao cao\b|\bkiem tra\b.*\bbao cao\b/.test(f)) return 'reporting';
  if (
    /\bnoi dung\b|\bnhiem vu\b|\bhoat dong\b|\bgiai phap\b|\blo trinh\b|\bcong viec\b|\bke hoach phat trien\b|\btien do\b/.test(
      f,
    )
  )
    return 'tasks';
  if (/\bthoi gian\b/.test(f) && !/\bdoi tuong\b|\bpham vi\b|\bthanh phan\b/.test(f)) return 'tasks';
  if (/\bkhen thuong\b|\bthu tuc\b|\bho so\b|\btieu chi\b|\btieu chuan\b|\bso luong\b/.test(f)) return 'other';
  if (
    /\bmuc dich\b|\byeu cau\b|\bmuc tieu\b|\bquan diem\b|\bchi tieu\b|\bdoi tuong\b|\bpham vi\b|\bnguyen tac\b|\bcan cu\b|\bsu can thiet\b|\bthuc trang\b|\bket qua\b/.test(
      f,
    )
  ) {
    return /\bthoi gian\b/.test(f) ? 'other' : 'purpose';
  }
  return 'tasks';
}

/** Keyword headings written without a number ("TỔ CHỨC THỰC HIỆN", "Kinh phí thực hiện"). */
function keywordHeading(text: string): SectionKind | undefined {
  const f = foldText(text);
  if (f.split(' ').length > 9) return undefined;
  if (/^(muc dich|yeu cau|muc tieu)/.test(f)) return 'purpose';
  if (/^(kinh phi|du toan kinh phi)/.test(f)) return 'funding';
  if (/^(to chuc thuc hien|phan cong)/.test(f)) return 'roles';
  if (/^che do bao cao/.test(f)) return 'reporting';
  if (/^(nhiem vu|noi dung|hoat dong|giai phap)/.test(f)) return 'tasks';
  return undefined;
}

function isUpper(text: string): boolean {
  return text === text.toLocaleUpperCase('vi') && /\p{Lu}/u.test(text);
}

export interface Marker {
  marker: MarkerType;
  ref: string | null;
  depth: number;
  rest: string;
}

/** The marker that opens a line, if any. Numbered items need text after the number. */
export function readMarker(text: string): Marker {
  const multi = NUMBERED_MULTI.exec(text);
  if (multi?.[1] && multi[2] && !/^\d/.test(multi[2]))
    return { marker: 'num', ref: multi[1], depth: multi[1].split('.').length, rest: multi[2] };
  const one = NUMBERED_ONE.exec(text);
  if (one?.[1] && one[2] && !/^[\d/%]/.test(one[2])) return { marker: 'num', ref: one[1], depth: 1, rest: one[2] };
  const letter = LETTERED.exec(text);
  if (letter?.[1] && letter[2]) return { marker: 'letter', ref: letter[1], depth: 0, rest: letter[2] };
  const paren = PARENS.exec(text);
  if (paren?.[1] && paren[2]) return { marker: 'paren', ref: `(${paren[1]})`, depth: 0, rest: paren[2] };
  const label = LABELLED.exec(text);
  if (label?.[1]) return { marker: 'label', ref: label[1], depth: 0, rest: (label[2] ?? '').trim() };
  const bullet = BULLET.exec(text);
  if (bullet?.[1] && bullet[2])
    return { marker: bullet[1] === '+' ? 'plus' : 'dash', ref: null, depth: 0, rest: bullet[2] };
  return { marker: 'none', ref: null, depth: 0, rest: text };
}

/** A Roman or upper-case-letter section heading: "II. NỘI DUNG", "B. GIẢI PHÁP". */
export function readSectionHeading(text: string): { ref: string; title: string } | undefined {
  const roman = ROMAN.exec(text);
  if (roman?.[1] && roman[2]) return { ref: roman[1], title: roman[2].trim() };
  const upper = UPPER_LETTER.exec(text);
  if (upper?.[1] && upper[2] && isUpper(upper[2]) && upper[2].length >= 4)
    return { ref: upper[1], title: upper[2].trim() };
  return undefined;
}

const FIELD_START =
  /;\s*(?=(?:cơ quan|đơn vị|thời gian|thời hạn|tiến độ|kết quả|sản phẩm|chủ trì|phối hợp)[^:;]{0,30}:)/iu;

/** Splits "… nội dung. Thời gian hoàn thành: Trước ngày 20/5/2026." into the text and its field. */
const INLINE_FIELD =
  /(?:^|[.;]\s+)((?:Thời gian|Thời hạn)(?:\s+(?:thực hiện|hoàn thành|hoàn tất|triển khai))?\s*:\s*.+)$/u;

export interface Outline {
  roots: Block[];
  sections: Section[];
  /** Lines in no numbered item, by section (prose under a heading). */
  prose: { line: SourceLine; section: Section; block: Block | null }[];
}

/**
 * Builds the outline. `skip` holds line numbers already read elsewhere (tables). Items nest by
 * numbering depth ("1." > "1.1." > "a)"), bullets nest under the item before them ("+" under
 * "-"), labelled lines become fields of the node they describe, prose lines become children of
 * the current node.
 */
export function buildOutline(lines: SourceLine[], skip: Set<number> = new Set()): Outline {
  const preamble: Section = { kind: 'preamble', title: '', line: 0, ref: null };
  let section: Section = preamble;
  const sections: Section[] = [];
  const roots: Block[] = [];
  const prose: Outline['prose'] = [];
  let items: Block[] = [];
  let dash: Block | null = null;
  let plus: Block | null = null;
  let lastField: FieldLine | null = null;

  const newBlock = (m: Marker, l: SourceLine, text: string): Block => ({
    marker: m.marker,
    ref: m.ref,
    depth: m.depth,
    text,
    line: l.line,
    children: [],
    fields: [],
    section,
  });
  const openSection = (kind: SectionKind, title: string, line: number, ref: string | null): void => {
    section = { kind, title, line, ref };
    sections.push(section);
    items = [];
    dash = null;
    plus = null;
    lastField = null;
  };
  const currentItem = (): Block | null => items[items.length - 1] ?? null;
  const attach = (b: Block): void => {
    const parent = currentItem();
    if (parent) parent.children.push(b);
    else roots.push(b);
  };
  const addField = (target: Block | null, name: FieldName, value: string, l: SourceLine): void => {
    const f: FieldLine = { name, value, line: l.line, items: [] };
    if (target) target.fields.push(f);
    else
      roots.push({
        marker: 'none',
        ref: null,
        depth: 0,
        text: l.text,
        line: l.line,
        children: [],
        fields: [f],
        section,
      });
    lastField = value ? null : f;
  };

  for (const l of lines) {
    if (skip.has(l.line)) continue;
    const t = l.text;
    if (APPENDIX.test(t)) {
      openSection('appendix', t, l.line, null);
      continue;
    }
    if (CLOSING.test(t)) {
      if (section.kind !== 'closing') openSection('closing', t, l.line, null);
      prose.push({ line: l, section, block: null });
      continue;
    }
    const heading = readSectionHeading(t);
    // A decision signs before the plan it issues: "KẾ HOẠCH" or a new Roman section starts reading again.
    if (
      section.kind === 'closing' &&
      (/^KẾ HOẠCH(?:\s|$)/u.test(t) || (heading && /^[IVX]+$/.test(heading.ref) && isUpper(heading.title)))
    ) {
      openSection('preamble', t, l.line, null);
      if (!heading) continue;
    }
    if (section.kind === 'closing') {
      prose.push({ line: l, section, block: null });
      continue;
    }
    if (heading) {
      openSection(classifySection(heading.title), heading.title, l.line, heading.ref);
      continue;
    }
    if (t.length >= 6 && isUpper(t) && foldText(t).split(' ').length <= 9) {
      const kind = keywordHeading(t);
      if (kind) {
        openSection(kind, t, l.line, null);
        continue;
      }
    }

    const m = readMarker(t);
    // "- Cơ quan thực hiện:" followed by "+ …" lines: the bullets are the field's values.
    if (lastField && m.marker === 'plus') {
      (lastField as FieldLine).items.push({ text: m.rest, line: l.line });
      continue;
    }
    lastField = null;

    const field = m.marker === 'num' || m.marker === 'label' ? undefined : readField(m.rest);
    if (field) {
      // "Cơ quan chủ trì: A; Cơ quan phối hợp: B; Thời gian: C" on one line: three fields.
      const segments = m.rest
        .split(FIELD_START)
        .map((x) => readField(x.trim()))
        .filter((f): f is NonNullable<typeof f> => !!f);
      // A field belongs to the bullet it follows when written without a marker ("- task." then
      // "Thời gian thực hiện: …"); a bulleted or lettered field belongs to the item.
      // After sub-bullets of an introducing bullet ("… Trong đó:"), the field covers the whole bullet.
      const intro = dash && /:\s*$/.test(dash.text) ? dash : null;
      const target = m.marker === 'none' ? (intro ?? plus ?? dash ?? currentItem()) : (currentItem() ?? dash);
      if (segments.length > 1) for (const f of segments) addField(target, f.name, f.value, l);
      else addField(target, field.name, field.value, l);
      continue;
    }

    if (m.marker === 'num' || m.marker === 'letter' || m.marker === 'paren' || m.marker === 'label') {
      const parent = currentItem();
      let depth: number;
      if (m.marker === 'num') depth = m.depth;
      else {
        // Letters, "(1)" and "Hoạt động 1" sit one level under the numbered item before them, or
        // beside a previous item of the same kind.
        const sameKind = [...items].reverse().find((i) => i.marker === m.marker);
        depth = sameKind ? sameKind.depth : (parent?.depth ?? 0) + 1;
      }
      const inline = INLINE_FIELD.exec(m.rest);
      // "1. Tổ chức hội thi (Cơ quan chủ trì: Công an huyện; thời gian: Quý III/2025)."
      const paren = /^(.*?)\s*\(([^()]*(?:chủ trì|phối hợp|thời gian|thời hạn|hoàn thành)[^()]*)\)\s*[.;:]?$/iu.exec(
        m.rest.trim(),
      );
      const parenFields = paren?.[2]
        ? paren[2]
            .split(/;\s*/)
            .map(
              (p) =>
                readField(p.trim()) ??
                (/\schủ trì(?![\p{L}\p{N}])/u.test(p) ? { name: 'lead' as const, value: p.trim() } : undefined),
            )
            .filter((f): f is NonNullable<typeof f> => !!f)
        : [];
      const headText =
        parenFields.length > 0 && paren?.[1] ? paren[1] : inline ? m.rest.slice(0, inline.index).trim() : m.rest.trim();
      const block = newBlock({ ...m, depth }, l, headText);
      while (items.length > 0 && (items[items.length - 1]?.depth ?? 0) >= depth) items.pop();
      attach(block);
      items.push(block);
      dash = null;
      plus = null;
      for (const f of parenFields) addField(block, f.name, f.value, l);
      if (inline?.[1] && parenFields.length === 0) {
        const f = readField(inline[1]);
        if (f) addField(block, f.name, f.value, l);
      }
      continue;
    }

    const inline = INLINE_FIELD.exec(m.rest);
    const text = inline ? m.rest.slice(0, inline.index).trim() : m.rest.trim();
    if (m.marker === 'dash' || m.marker === 'plus' || m.marker === 'none') {
      const block = newBlock(m, l, text);
      if (m.marker === 'plus' && dash) {
        dash.children.push(block);
        plus = block;
      } else if (m.marker === 'plus' && !dash) {
        attach(block);
        plus = block;
      } else if (m.marker === 'dash') {
        attach(block);
        dash = block;
        plus = null;
      } else {
        // Prose: a child of the current item (never of a bullet: a new paragraph ends the bullet).
        attach(block);
        dash = null;
        plus = null;
        if (!currentItem()) prose.push({ line: l, section, block });
      }
      if (inline?.[1]) {
        const f = readField(inline[1]);
        if (f) addField(block, f.name, f.value, l);
      }
    }
  }
  return { roots, sections, prose };
}

/** Every block of a tree, depth first, in document order. */
export function walkBlocks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  const visit = (b: Block): void => {
    out.push(b);
    b.children.forEach(visit);
  };
  blocks.forEach(visit);
  return out;
}
