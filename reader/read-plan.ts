/**
 * Reads a plan (Kế hoạch) text as an officer receives it into a draft task list. General rules only:
 * numbered sections with labelled lines, leads given in the closing "Tổ chức thực hiện" part or in an
 * assignment sentence, news-style prose, table-like rows and leftover markdown. Everything unsure is
 * marked for review with its source line.
 */
import type { IsoDate, Schedule, TimingContext } from '../domain/types';
import { foldText, isGenericAgencyName, resolveAgency, splitAgencyList, type DirectoryLike } from './agency-names';
import { cutAtWork, readCoordinatorPhrase, readField, readLeadPhrase, stripBullet } from './fields';
import { readPlanHeader } from './plan-header';
import { splitSourceLines, type SourceLine } from './source-lines';
import { readTiming } from './timing-adapter';
import type { DraftTask, PlanDraft, ReviewMark } from './types';

export type { DirectoryLike } from './agency-names';
export type { DraftTask, PlanDraft, ReviewMark } from './types';

type SectionKind = 'preamble' | 'purpose' | 'tasks' | 'funding' | 'roles' | 'closing';

interface Item {
  ref: string;
  depth: number;
  heading: SourceLine;
  /** Heading text without the number. */
  text: string;
  body: SourceLine[];
  children: Item[];
  section: SectionKind;
}

interface TaskFields {
  lead: string[];
  leadLine?: number;
  coordinators: string[];
  timingText: string | null;
  timingLine?: number;
  deliverable: string | null;
  leadFrom?: 'inline' | 'inherited' | 'sentence';
  timingFromSentence?: boolean;
}

const ROMAN = /^(X{0,3}(?:IX|IV|V?I{0,3}))\s*[.)/]\s*(\S.*)$/u;
const NUMBERED_MULTI = /^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$/u;
const NUMBERED_ONE = /^(\d{1,2})[.)]\s*(\S.*)$/u;
const UPPER_LETTER_SECTION = /^([A-ZĐ])\s*[.)]\s*(\S.*)$/u;
const LETTERED = /^([a-zđ])[.)]\s+(\S.*)$/u;
const CLOSING = /^(?:Nơi nhận|Trên đây là|Nhận được Kế hoạch|Trong quá trình (?:thực hiện|triển khai)|KT\.|TM\.|CHỦ TỊCH|GIÁM ĐỐC)/u;

function classifySection(title: string): SectionKind {
  const f = foldText(title);
  if (/\b(muc dich|yeu cau|muc tieu|quan diem)\b/.test(f) && !/\bnoi dung\b/.test(f)) return 'purpose';
  if (/\bkinh phi\b/.test(f)) return 'funding';
  if (/\bto chuc thuc hien\b|\bphan cong\b|\btrach nhiem\b/.test(f)) return 'roles';
  return 'tasks';
}

function isKeywordHeading(text: string): SectionKind | undefined {
  const f = foldText(text);
  if (f.split(' ').length > 8) return undefined;
  if (/^(muc dich|yeu cau|muc tieu)/.test(f)) return 'purpose';
  if (/^kinh phi/.test(f)) return 'funding';
  if (/^(to chuc thuc hien|phan cong)/.test(f)) return 'roles';
  return undefined;
}

function matchNumbered(text: string): { ref: string; depth: number; rest: string } | undefined {
  const multi = NUMBERED_MULTI.exec(text);
  if (multi?.[1] && multi[2]) return { ref: multi[1], depth: multi[1].split('.').length, rest: multi[2] };
  const one = NUMBERED_ONE.exec(text);
  if (one?.[1] && one[2] && !/^\d/.test(one[2])) return { ref: one[1], depth: 1, rest: one[2] };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

type Column = 'ref' | 'title' | 'lead' | 'coordinators' | 'timing' | 'deliverable';

function splitCells(text: string, sep: RegExp): string[] {
  return text
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split(sep)
    .map((c) => c.trim());
}

function classifyColumn(cell: string): Column | undefined {
  const f = foldText(cell);
  if (/^(stt|tt|so tt|so thu tu)$/.test(f)) return 'ref';
  if (/phoi hop/.test(f)) return 'coordinators';
  if (/thoi gian|thoi han|tien do/.test(f)) return 'timing';
  if (/chu tri|thuc hien|dau moi|trach nhiem/.test(f)) return 'lead';
  if (/ket qua|san pham/.test(f)) return 'deliverable';
  if (/noi dung|nhiem vu|hoat dong|cong viec/.test(f)) return 'title';
  return undefined;
}

interface TableHeader {
  sep: RegExp;
  columns: (Column | undefined)[];
}

function readTableHeader(text: string): TableHeader | undefined {
  const seps = [/\s*\|\s*/, /\t+/, / {2,}/];
  for (const sep of seps) {
    const cells = splitCells(text, sep);
    if (cells.length < 3) continue;
    const columns = cells.map(classifyColumn);
    if (columns.includes('title') && (columns.includes('lead') || columns.includes('timing'))) return { sep, columns };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

interface RoleEntry {
  name: string;
  role: 'lead' | 'coordinator' | 'other';
  line: number;
}

const PERSON_TITLE = /^(?:đồng chí|đ\/c|phó giám đốc|giám đốc|phó chủ tịch|chủ tịch|lãnh đạo|thủ trưởng)(?![\p{L}\p{N}])/iu;
const ROLE_VERB =
  /\s+(?:có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp|là cơ quan|là đầu mối|tham mưu|căn cứ|chỉ đạo|hướng dẫn|chủ động|thường xuyên|tổ chức|theo dõi)(?![\p{L}\p{N}])/iu;

function readRoleSubject(text: string): { subject: string; rest: string } | undefined {
  const t = text.replace(/^(?:giao|đề nghị|yêu cầu)\s+/iu, '');
  const i = t.search(ROLE_VERB);
  if (i <= 0) return undefined;
  let subject = t.slice(0, i).trim().replace(/\s*[:,–-]+$/u, '');
  subject = subject.replace(/^trưởng\s+phòng\s+/iu, 'Phòng ').replace(/^(?:giám đốc|thủ trưởng)\s+(?=(?:sở|ban|các)(?![\p{L}\p{N}]))/iu, '');
  if (PERSON_TITLE.test(subject)) return undefined;
  return { subject, rest: t.slice(i).trim() };
}

function classifyRole(rest: string): RoleEntry['role'] {
  const r = rest.toLocaleLowerCase('vi');
  if (/^(?:(?:có|chịu) trách nhiệm\s+)?(?:chủ trì|là (?:cơ quan )?đầu mối|tham mưu)/u.test(r)) return 'lead';
  if (/^(?:(?:có|chịu) trách nhiệm\s+)?(?:chủ động,?\s*)?(?:thường xuyên\s+)?phối hợp/u.test(r)) return 'coordinator';
  return 'other';
}

function readRoles(items: Item[], prose: SourceLine[]): RoleEntry[] {
  const entries: RoleEntry[] = [];
  const add = (subject: string, role: RoleEntry['role'], line: number): void => {
    for (const name of splitAgencyList(subject)) entries.push({ name, role, line });
  };
  const visit = (item: Item): void => {
    const inline = readRoleSubject(item.text);
    const headingIsName = !inline && item.text.split(/\s+/).length <= 10 && !/[.;]$/.test(item.text) && item.body.length > 0;
    if (inline) {
      if (!isKeywordHeading(item.text)) add(inline.subject, classifyRole(inline.rest), item.heading.line);
    } else if (headingIsName && !isKeywordHeading(item.text)) {
      const bodyText = item.body.map((l) => stripBullet(l.text).rest).join(' ');
      add(item.text.replace(/\s*:$/, ''), classifyRole(bodyText), item.heading.line);
    }
    item.children.forEach(visit);
  };
  items.forEach(visit);
  for (const l of prose) {
    const s = readRoleSubject(stripBullet(l.text).rest);
    if (s) add(s.subject, classifyRole(s.rest), l.line);
  }
  return entries;
}

interface Assignment {
  lead: string[];
  coordinators: string[];
  line: number;
}

function findAssignment(lines: SourceLine[]): Assignment | undefined {
  for (const l of lines) {
    const m = /(?<![\p{L}\p{N}])giao\s+(.+?)\s+chủ trì(?![\p{L}\p{N}])\s*,?\s*(?:(?:và\s+)?phối hợp\s+với\s+(.+?))?(?:[.;]\s|[.;]?$)/iu.exec(l.text);
    if (!m?.[1]) continue;
    const lead = splitAgencyList(cutAtWork(m[1]));
    if (lead.length === 0) continue;
    return { lead, coordinators: m[2] ? readCoordinatorPhrase(m[2]) : [], line: l.line };
  }
  return undefined;
}

const FIELD_START = /;\s*(?=(?:cơ quan|đơn vị|thời gian|thời hạn|tiến độ|kết quả|sản phẩm|chủ trì|phối hợp)[^:;]{0,30}:)/iu;

/** "Cơ quan chủ trì: A; Thời gian: B" on one line gives two labelled lines. */
function splitFieldSegments(body: SourceLine[]): SourceLine[] {
  return body.flatMap((l) => l.text.split(FIELD_START).map((text) => ({ text: text.trim(), line: l.line })));
}

const INLINE_LEAD =
  /(?:^|[.;]\s+)(?:giao\s+)?((?:Sở|UBND|Ủy ban|Uỷ ban|Ban|Phòng|Văn phòng|Hội|Đoàn|Công an|Trung tâm|Bộ|Tòa án|Viện|Đài|Báo|Mặt trận|Liên đoàn|Trường|Cục|Chi cục|Công chức|Bộ Chỉ huy|Hợp tác xã)(?:\s+[^\s.;:]+){0,12}?)\s+(?:là cơ quan\s+)?chủ trì(?![\p{L}\p{N}])\s*,?\s*(?:(?:và\s+)?phối hợp\s+với\s+([^.;]+))?/u;

const PROSE_TIMING =
  /(?:trước|chậm nhất(?: là)?)\s+ngày\s+\d{1,2}\s*\/\s*\d{1,2}\s*\/\s*\d{4}|trước\s+tháng\s+\d{1,2}\s*\/\s*\d{4}|trong\s+(?:quý\s+[IVX\d]+|tháng\s+\d{1,2}|năm)\s*\/?\s*\d{4}|(?:trong\s+)?quý\s+[IVX]+\s*\/\s*\d{4}/iu;

function readFields(rawBody: SourceLine[]): TaskFields {
  const body = splitFieldSegments(rawBody);
  const fields: TaskFields = { lead: [], coordinators: [], timingText: null, deliverable: null };
  let partners: string[] = [];
  body.forEach((l, index) => {
    const f = readField(l.text);
    if (f?.name === 'timing' && !f.value && fields.timingText === null && fields.timingLine === undefined) {
      // "Thời gian thực hiện:" with the timings on the bullets below it.
      const below: string[] = [];
      for (const next of body.slice(index + 1)) {
        if (readField(next.text) || stripBullet(next.text).bullet === null) break;
        below.push(stripBullet(next.text).rest.replace(/[.;]+$/, ''));
      }
      if (below.length > 0) fields.timingText = below.join('; ');
      fields.timingLine = l.line;
      return;
    }
    if (!f || !f.value) return;
    if (f.name === 'lead' && fields.lead.length === 0) {
      const r = readLeadPhrase(f.value);
      fields.lead = r.lead;
      fields.leadLine = l.line;
      fields.leadFrom = 'inline';
      partners = r.partners;
    } else if (f.name === 'coordinators' && fields.coordinators.length === 0) {
      fields.coordinators = readCoordinatorPhrase(f.value);
    } else if (f.name === 'timing' && fields.timingText === null) {
      fields.timingText = f.value;
      fields.timingLine = l.line;
    } else if (f.name === 'deliverable' && fields.deliverable === null) {
      fields.deliverable = f.value;
    }
  });
  const sentences = body.filter((l) => !readField(l.text));
  if (fields.lead.length === 0) {
    for (const l of sentences) {
      const m = INLINE_LEAD.exec(stripBullet(l.text).rest);
      if (!m?.[1]) continue;
      fields.lead = splitAgencyList(m[1]);
      fields.leadLine = l.line;
      fields.leadFrom = 'sentence';
      if (m[2]) partners = readCoordinatorPhrase(m[2]);
      break;
    }
  }
  if (fields.timingText === null && fields.timingLine === undefined) {
    for (const l of sentences) {
      const m = PROSE_TIMING.exec(l.text);
      if (!m) continue;
      fields.timingText = m[0].trim();
      fields.timingLine = l.line;
      fields.timingFromSentence = true;
      break;
    }
  }
  if (fields.coordinators.length === 0) fields.coordinators = partners;
  return fields;
}

function hasOwnFields(f: TaskFields): boolean {
  return f.lead.length > 0 || f.timingText !== null;
}

const TITLE_TAIL = /\s*(?:,?\s*(?:theo hướng|như sau|gồm|bao gồm|cụ thể(?: như sau)?|với các nội dung sau|sau))\s*$/iu;

function trimTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[:.;,…]+$/u, '')
    .replace(/\.{3}$/, '')
    .replace(TITLE_TAIL, '')
    .replace(/[:.;,…]+$/u, '')
    .trim();
}

function firstSentence(text: string): string {
  const m = /^(.+?[^A-ZĐ\d])\.\s+(?=[A-ZÀ-ỸĐ])/u.exec(text);
  return (m?.[1] ?? text).trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

const TITLE_VERB = /^(?:xây dựng|tổ chức|thực hiện|rà soát|triển khai|ban hành|lựa chọn|kiện toàn|bố trí|hướng dẫn|chỉ đạo|thành lập|củng cố|biên soạn|cập nhật|theo dõi)\s/iu;

/**
 * A paragraph used as a title is cut to its first clause: no "Căn cứ …," lead-in, no agency as
 * subject ("UBND cấp huyện xây dựng …" → "Xây dựng …"), nothing after ";" or a defining " là ".
 */
function shortenProseTitle(text: string): string {
  let t = text.replace(/^căn cứ [^,]+,\s*/iu, '');
  const words = t.split(/\s+/);
  for (let i = 1; i <= Math.min(8, words.length - 1); i += 1) {
    if (TITLE_VERB.test(words.slice(i).join(' ')) && /^(?:UBND|Ủy ban|Uỷ ban|Sở|Phòng|Ban|Hội|Đoàn|Công an|Văn phòng|Trung tâm)$/u.test(words[0] ?? '')) {
      t = words.slice(i).join(' ');
      break;
    }
  }
  t = t.split(/;\s*/)[0] ?? t;
  const is = t.search(/\s+là\s+/u);
  if (is > 0 && t.slice(0, is).split(/\s+/).length >= 4) t = t.slice(0, is);
  return t;
}

function titleOf(item: Item): string {
  const heading = item.text;
  const headingTitle = trimTitle(heading);
  const introductory = /:\s*$/u.test(heading) && (headingTitle.split(' ').length <= 6 || /^(?:đối với|ở|tại|về phía|về)(?![\p{L}\p{N}])/iu.test(headingTitle));
  if (introductory) {
    const prose = item.body.find((l) => !readField(l.text) && stripBullet(l.text).bullet === null);
    if (prose) return capitalise(trimTitle(shortenProseTitle(firstSentence(prose.text))));
  }
  return headingTitle;
}

function pickDue(schedule: Schedule | null): IsoDate | null {
  if (!schedule) return null;
  if (schedule.kind === 'deadline') return schedule.due;
  if (schedule.kind === 'window') return schedule.windowEnd ?? schedule.dues[schedule.dues.length - 1] ?? schedule.due;
  if (schedule.kind === 'occurrences') return schedule.dues[schedule.dues.length - 1] ?? schedule.due;
  return null;
}

/** The due date a draft task shows for a schedule: the end of the period the timing implies. */
export function dueOfSchedule(schedule: Schedule | null): IsoDate | null {
  return pickDue(schedule);
}

interface PendingTask {
  ref: string | null;
  title: string;
  line: number;
  fields: TaskFields;
  marks?: ReviewMark[];
}

/** Splits a task by "+ Sơ kết: Quý IV/2026", "+ Tổng kết: Năm 2027" bullets that give parts their own timing. */
function splitByLabelledTimings(item: Item, title: string, fields: TaskFields, ctx: TimingContext): PendingTask[] | undefined {
  if (fields.timingLine === undefined) return undefined;
  const parts: { label: string; text: string; line: number }[] = [];
  for (const l of item.body) {
    if (l.line <= fields.timingLine) continue;
    const { bullet, rest } = stripBullet(l.text);
    const m = /^([^:]{2,30}):\s*(.+)$/u.exec(rest);
    if (!bullet || !m?.[1] || !m[2] || readField(l.text)) continue;
    if (m[1].split(/\s+/).length > 4) continue;
    const s = readTiming(m[2], ctx);
    if (s.kind === 'unscheduled' && !/\d{4}|hằng|hàng|định kỳ|thường xuyên/iu.test(m[2])) continue;
    parts.push({ label: m[1].trim(), text: rest.replace(/[.;]+$/, ''), line: l.line });
  }
  if (parts.length < 2) return undefined;
  const labels = parts.map((p) => foldText(p.label));
  const words = title.split(/\s+/);
  let listEnd = 0;
  for (let i = 1; i <= Math.min(words.length, 12); i += 1) {
    const chunks = words
      .slice(0, i)
      .join(' ')
      .split(/,\s*|\s+và\s+/u)
      .map(foldText);
    if (chunks.every((c) => labels.includes(c))) listEnd = i;
  }
  return parts.map((p) => {
    const rest = listEnd > 0 ? words.slice(listEnd).join(' ') : '';
    const partTitle = listEnd > 0 && rest ? `${p.label} ${rest}` : `${p.label}: ${title}`;
    return {
      ref: item.ref,
      title: capitalise(partTitle.replace(/\s+/g, ' ').trim()),
      line: item.heading.line,
      fields: { ...fields, timingText: p.text, timingLine: p.line },
    };
  });
}

/**
 * Tasks written as bullets ("- Tổ chức …"), each followed by its labelled lines. Stops at the first
 * line that is neither a bullet nor a labelled line.
 */
function readBulletTasks(lines: SourceLine[]): PendingTask[] {
  const groups: { head: SourceLine; title: string; body: SourceLine[] }[] = [];
  for (const l of lines) {
    const field = readField(l.text);
    const { bullet, rest } = stripBullet(l.text);
    const current = groups[groups.length - 1];
    if (field) {
      if (!current) continue;
      current.body.push(l);
    } else if (bullet) {
      if (bullet === '+' && current) current.body.push(l);
      else groups.push({ head: l, title: rest, body: [] });
    } else if (groups.length > 0) {
      break;
    }
  }
  return groups
    .map((g) => {
      const paren = /^(.*?)\s*\(([^()]*(?:chủ trì|phối hợp|thời gian|thời hạn|hoàn thành)[^()]*)\)\s*[.;:]?$/iu.exec(g.title);
      const extra = paren?.[2] ? paren[2].split(/;\s*/).map((text) => ({ text, line: g.head.line })) : [];
      const title = trimTitle(paren?.[1] ?? g.title);
      return { ref: null, title: capitalise(title), line: g.head.line, fields: readFields([...extra, { text: g.title, line: g.head.line }, ...g.body]) };
    })
    .filter((t) => t.title.split(/\s+/).length >= 3);
}

function readProseTasks(lines: SourceLine[], assignmentLine: number | undefined): PendingTask[] {
  const tasks: PendingTask[] = [];
  for (const [index, l] of lines.entries()) {
    if (l.line === assignmentLine) continue;
    const cue = /(?:các\s+)?(?:nhiệm vụ|giải pháp|nội dung|hoạt động)(?:,\s*(?:nhiệm vụ|giải pháp|nội dung|hoạt động))*(?:\s+(?:trọng tâm|chủ yếu|cụ thể))*\s+(?:như(?:\s+sau)?|sau|gồm)\s*:?\s*/iu.exec(l.text);
    if (!cue) continue;
    const text = l.text.slice((cue.index ?? 0) + cue[0].length);
    if (!text.trim()) {
      const bullets = readBulletTasks(lines.slice(index + 1));
      if (bullets.length > 0) return bullets;
      continue;
    }
    const sentences = text.split(/(?<=[^A-ZĐ\d])\.\s+(?=[A-ZÀ-ỸĐ])/u);
    for (const sentence of sentences) {
      for (const clause of sentence.split(/;\s*/)) {
        const cleaned = clause
          .replace(/^(?:bên cạnh đó|đồng thời|ngoài ra|mặt khác|trong đó|theo đó),\s*/iu, '')
          .replace(/^căn cứ [^,]+,\s*/iu, '')
          .replace(/[,.\s]*(?:…|\.\.\.)\s*\.?$/u, '')
          .trim();
        const title = trimTitle(cleaned);
        if (title.split(/\s+/).length < 4) continue;
        tasks.push({ ref: null, title: capitalise(title), line: l.line, fields: { lead: [], coordinators: [], timingText: null, deliverable: null } });
      }
    }
    if (tasks.length > 0) break;
  }
  return tasks;
}

/**
 * Reads a plan text into a draft. Never throws on odd input: what it cannot read is left empty and
 * marked for review (field, Vietnamese reason, source line). With a directory, agency names are
 * checked against it and names it does not know are listed in `unknownAgencies`; without one, every
 * name is listed there and the plan is marked for directory matching.
 */
export function readPlanText(text: string, opts: { directory?: DirectoryLike; fileName?: string } = {}): PlanDraft {
  const lines = splitSourceLines(text);
  const { plan, marks } = readPlanHeader(lines);
  const ctx: TimingContext = { issued: plan.issued ?? undefined, periodStart: plan.periodStart, periodEnd: plan.periodEnd };

  // Pass 1: sections, numbered items, tables.
  let section: SectionKind = 'preamble';
  let sawRoman = false;
  const items: Item[] = [];
  const stack: Item[] = [];
  const sectionProse: Record<SectionKind, SourceLine[]> = { preamble: [], purpose: [], tasks: [], funding: [], roles: [], closing: [] };
  const tableTasks: PendingTask[] = [];
  let table: TableHeader | undefined;
  let introTiming: { text: string; line: number } | undefined;

  for (const l of lines) {
    const t = l.text;
    if (CLOSING.test(t)) {
      section = 'closing';
      stack.length = 0;
      table = undefined;
    }
    if (section === 'closing') {
      sectionProse.closing.push(l);
      continue;
    }
    const header = readTableHeader(t);
    if (header) {
      table = header;
      continue;
    }
    if (table) {
      if (/^[|\s:+-]+$/.test(t)) continue;
      const cells = splitCells(t, table.sep);
      if (cells.length >= 3) {
        const get = (c: Column): string => cells[table?.columns.indexOf(c) ?? -1]?.trim() ?? '';
        const titleCell = get('title');
        if (titleCell && (get('lead') || get('timing'))) {
          const lr = readLeadPhrase(get('lead'));
          const coord = get('coordinators');
          tableTasks.push({
            ref: get('ref').replace(/[.)]$/, '') || null,
            title: trimTitle(titleCell),
            line: l.line,
            fields: {
              lead: lr.lead,
              leadLine: l.line,
              leadFrom: 'inline',
              coordinators: coord ? readCoordinatorPhrase(coord) : lr.partners,
              timingText: get('timing') || null,
              timingLine: l.line,
              deliverable: get('deliverable') || null,
            },
          });
        }
        continue;
      }
      table = undefined;
    }
    const roman = ROMAN.exec(t) ?? UPPER_LETTER_SECTION.exec(t);
    if (roman?.[1] && roman[2] && (ROMAN.test(t) || roman[2] === roman[2].toLocaleUpperCase('vi'))) {
      sawRoman = true;
      section = classifySection(roman[2]);
      stack.length = 0;
      continue;
    }
    if (t.length >= 6 && t === t.toLocaleUpperCase('vi') && /[A-ZĐ]/u.test(t) && foldText(t).split(' ').length <= 8) {
      const kind = isKeywordHeading(t) ?? (/^(?:nhiem vu|noi dung|hoat dong|giai phap)/.test(foldText(t)) ? 'tasks' : undefined);
      if (kind) {
        section = kind;
        sawRoman = true;
        stack.length = 0;
        continue;
      }
    }
    const num = matchNumbered(t);
    const letter = num ? undefined : LETTERED.exec(t);
    if (num || letter) {
      const parentDepth = stack.length > 0 ? (stack[stack.length - 1]?.depth ?? 0) : 0;
      const depth = num ? num.depth : parentDepth + (stack[stack.length - 1]?.ref.match(/^[a-zđ]$/u) ? 0 : 1);
      const rest = num ? num.rest : (letter?.[2] ?? '');
      const paren = /^(.*?)\s*\(([^()]*(?:chủ trì|phối hợp|thời gian|thời hạn|hoàn thành)[^()]*)\)\s*[.;:]?$/iu.exec(rest.trim());
      const item: Item = {
        ref: num ? num.ref : (letter?.[1] ?? ''),
        depth,
        heading: l,
        text: paren?.[1] ? paren[1] : rest.trim(),
        body: paren?.[2] ? paren[2].split(/;\s*/).map((text) => ({ text, line: l.line })) : [],
        children: [],
        section: section === 'preamble' && !sawRoman ? 'tasks' : section,
      };
      const keyword = isKeywordHeading(item.text);
      while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= depth) stack.pop();
      const parent = stack[stack.length - 1];
      if (keyword && !parent) item.section = keyword;
      else if (parent && parent.section !== 'tasks') item.section = parent.section;
      if (parent) parent.children.push(item);
      else items.push(item);
      stack.push(item);
      continue;
    }
    const current = stack[stack.length - 1];
    if (current) current.body.push(l);
    else {
      sectionProse[section === 'preamble' && !sawRoman ? 'preamble' : section].push(l);
      const intro = /(?:trong|cả)\s+năm\s+\d{4}/iu.exec(t);
      if (intro && /:\s*$/.test(t) && /(?:nội dung|nhiệm vụ|hoạt động)/iu.test(t)) introTiming = { text: intro[0], line: l.line };
    }
  }

  // Pass 2: tasks from items.
  const pending: PendingTask[] = [...tableTasks];
  const collect = (item: Item, inherited: TaskFields | undefined): void => {
    if (item.section !== 'tasks') return;
    const own = readFields(item.body);
    const merged: TaskFields = {
      lead: own.lead.length > 0 ? own.lead : (inherited?.lead ?? []),
      leadLine: own.lead.length > 0 ? own.leadLine : inherited?.leadLine,
      leadFrom: own.lead.length > 0 ? own.leadFrom : inherited?.lead.length ? 'inherited' : undefined,
      coordinators: own.coordinators.length > 0 ? own.coordinators : (inherited?.coordinators ?? []),
      timingText: own.timingText ?? inherited?.timingText ?? null,
      timingLine: own.timingText !== null ? own.timingLine : inherited?.timingLine,
      timingFromSentence: own.timingText !== null ? own.timingFromSentence : inherited?.timingFromSentence,
      deliverable: own.deliverable ?? inherited?.deliverable ?? null,
    };
    const childHasFields = (i: Item): boolean => hasOwnFields(readFields(i.body)) || i.children.some(childHasFields);
    const tasksChildren = item.children.filter((c) => c.section === 'tasks');
    if (tasksChildren.length === 0 || (hasOwnFields(own) && !tasksChildren.some(childHasFields))) {
      const title = titleOf(item);
      const parts = splitByLabelledTimings(item, title, merged, ctx);
      if (parts) pending.push(...parts);
      else pending.push({ ref: item.ref, title, line: item.heading.line, fields: merged });
      return;
    }
    const withFields = tasksChildren.filter(childHasFields);
    const last = tasksChildren[tasksChildren.length - 1];
    const before = pending.length;
    for (const c of tasksChildren) collect(c, merged);
    if (tasksChildren.length >= 2 && withFields.length === 1 && withFields[0] === last) {
      // Only the last sub-item names a lead or timing: those lines may belong to the parent.
      for (const t of pending.slice(before))
        (t.marks ??= []).push({
          field: 'ref',
          why: `Trong mục ${item.ref} chỉ mục con cuối ghi cơ quan/thời hạn: có thể các dòng đó thuộc cả mục ${item.ref} (dòng ${item.heading.line}), cần kiểm tra cách tách nhiệm vụ.`,
          line: t.line,
        });
    }
  };
  for (const item of items) collect(item, undefined);
  pending.sort((a, b) => a.line - b.line);

  const assignment = findAssignment(lines);
  if (pending.length === 0 && sectionProse.tasks.length > 0) pending.push(...readBulletTasks(sectionProse.tasks));
  if (pending.length === 0) pending.push(...readProseTasks(lines, assignment?.line));

  // Pass 3: leads from the closing part.
  const roleItems = items.filter((i) => i.section === 'roles');
  const roles = readRoles(roleItems, sectionProse.roles);
  const roleLeads = roles.filter((r) => r.role === 'lead');
  const roleOthers = roles.filter((r) => r.role !== 'lead');

  const tasks: DraftTask[] = pending.map((p) => buildTask(p));

  function buildTask(p: PendingTask): DraftTask {
    const review: ReviewMark[] = [...(p.marks ?? [])];
    let lead = p.fields.lead;
    let coordinators = p.fields.coordinators;
    if (lead.length === 0 && assignment) {
      lead = assignment.lead;
      if (coordinators.length === 0) coordinators = assignment.coordinators;
      review.push({ field: 'lead', why: `Cơ quan chủ trì lấy từ câu giao nhiệm vụ chung (dòng ${assignment.line}), không ghi tại nhiệm vụ: cần xác nhận.`, line: p.line });
    } else if (lead.length === 0 && roleLeads.length > 0) {
      const first = roleLeads[0];
      lead = first ? [first.name] : [];
      if (coordinators.length === 0) coordinators = uniq(roleOthers.map((r) => r.name).filter((n) => !lead.includes(n)));
      review.push({ field: 'lead', why: `Cơ quan chủ trì lấy từ phần Tổ chức thực hiện (dòng ${first?.line ?? p.line}), không ghi tại nhiệm vụ: cần xác nhận.`, line: p.line });
    }
    if (p.fields.leadFrom === 'sentence')
      review.push({ field: 'lead', why: `Cơ quan chủ trì đọc từ câu văn (dòng ${p.fields.leadLine ?? p.line}), không có dòng "Cơ quan chủ trì": cần xác nhận.`, line: p.fields.leadLine ?? p.line });
    if (lead.length === 0) review.push({ field: 'lead', why: 'Không tìm thấy cơ quan chủ trì: chọn một cơ quan chủ trì.', line: p.line });
    if (lead.length > 1)
      review.push({ field: 'lead', why: `Nhiều cơ quan chủ trì (${lead.join('; ')}): mỗi nhiệm vụ chỉ giao một cơ quan chủ trì, hãy chọn một hoặc tách nhiệm vụ.`, line: p.fields.leadLine ?? p.line });

    let timingText = p.fields.timingText;
    let timingLine = p.fields.timingLine ?? p.line;
    if (timingText === null && introTiming) {
      timingText = introTiming.text;
      timingLine = introTiming.line;
      review.push({ field: 'timing', why: `Thời hạn lấy từ câu dẫn chung (dòng ${introTiming.line}): cần xác nhận.`, line: p.line });
    }
    if (p.fields.timingFromSentence)
      review.push({ field: 'timing', why: `Thời hạn "${timingText ?? ''}" đọc từ câu văn (dòng ${timingLine}), không có dòng "Thời gian thực hiện": cần xác nhận.`, line: timingLine });
    const schedule = timingText ? readTiming(timingText, ctx) : null;
    if (!schedule) review.push({ field: 'timing', why: 'Kế hoạch không ghi thời hạn cho nhiệm vụ này: nhập ngày hoàn thành hoặc ghi rõ là thường xuyên.', line: p.line });
    else if (!schedule.confident) review.push({ field: 'timing', why: `Chưa đọc chắc chắn thời hạn "${timingText ?? ''}": ${schedule.reason}`, line: timingLine });

    return {
      ref: p.ref,
      title: p.title,
      lead,
      coordinators,
      timingText,
      schedule,
      due: pickDue(schedule),
      recurrence: schedule ? schedule.recurrence : 'unspecified',
      deliverable: p.fields.deliverable,
      line: p.line,
      review,
    };
  }

  markNumbering(tasks, marks);
  const unknownAgencies = checkAgencies(tasks, opts.directory, marks);
  if (tasks.length === 0)
    marks.push({ field: 'tasks', why: `Không đọc được nhiệm vụ nào${opts.fileName ? ` trong ${opts.fileName}` : ''}: kiểm tra định dạng hoặc nhập nhiệm vụ bằng tay.`, line: 1 });
  return { plan, tasks, unknownAgencies, marks };
}

function uniq(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = foldText(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function markNumbering(tasks: DraftTask[], marks: ReviewMark[]): void {
  const byRef = new Map<string, DraftTask[]>();
  for (const t of tasks) if (t.ref) byRef.set(t.ref, [...(byRef.get(t.ref) ?? []), t]);
  for (const [ref, same] of byRef) {
    if (same.length < 2) continue;
    for (const t of same)
      t.review.push({ field: 'ref', why: `Số thứ tự ${ref} dùng cho ${same.length} nhiệm vụ: đặt id riêng cho từng nhiệm vụ.`, line: t.line });
  }
  let prev: number[] | undefined;
  for (const t of tasks) {
    if (!t.ref || !/^\d+(?:\.\d+)*$/.test(t.ref)) continue;
    const parts = t.ref.split('.').map(Number);
    if (prev && compareRefs(parts, prev) < 0)
      marks.push({ field: 'ref', why: `Số thứ tự ${t.ref} đứng sau ${prev.join('.')}: thứ tự đánh số không liền mạch, cần kiểm tra.`, line: t.line });
    prev = parts;
  }
}

function compareRefs(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function checkAgencies(tasks: DraftTask[], directory: DirectoryLike | undefined, marks: ReviewMark[]): string[] {
  const unknown: string[] = [];
  const note = (name: string): void => {
    if (!unknown.some((u) => foldText(u) === foldText(name))) unknown.push(name);
  };
  for (const t of tasks) {
    for (const [field, names] of [['lead', t.lead], ['coordinators', t.coordinators]] as const) {
      for (const name of names) {
        if (!directory) {
          note(name);
          continue;
        }
        const hit = resolveAgency(name, directory);
        if (!hit) {
          note(name);
          t.review.push({
            field,
            why: isGenericAgencyName(name)
              ? `"${name}" là tên chung, không chỉ một cơ quan cụ thể: ghi rõ cơ quan trong danh mục hoặc bỏ.`
              : `Không tìm thấy "${name}" trong danh mục cơ quan: chọn mã cơ quan hoặc bổ sung vào danh mục.`,
            line: t.line,
          });
        } else if (hit.confidence < 0.9) {
          t.review.push({ field, why: `"${name}" được đối chiếu gần đúng với ${hit.id}: cần xác nhận.`, line: t.line });
        }
      }
    }
  }
  if (!directory && unknown.length > 0)
    marks.push({ field: 'directory', why: 'Chưa có danh mục cơ quan: tên cơ quan giữ nguyên như văn bản, cần đối chiếu danh mục trước khi nhập.', line: 1 });
  return unknown;
}
