/**
 * Reads a plan (Kế hoạch) text as an officer receives it into a draft task list. The reader knows
 * layouts, never documents:
 * - task tables (appendix or body) with their header roles in any order;
 * - numbered or lettered items with labelled lines ("Cơ quan chủ trì: …", "Thời gian thực hiện: …"),
 *   "Hoạt động 1" blocks whose "Nội dung:" line names the work;
 * - per-agency assignments: an agency heading followed by its duties (bullets, a)/b)/c) items or
 *   prose), "Agency: duty" lines, and sentences whose subject is an agency;
 * - dated phases ("Thời gian thi đua: Đợt 1 … từ … đến …") and dated obligations in the closing
 *   parts ("định kỳ trước ngày 15/12 hằng năm báo cáo …");
 * - news-style prose with one assignment sentence.
 * Which of these are the plan's tasks follows from the layout: in a plan with a task table, the
 * rows and the dated obligations; in a plan whose contents name their leads, those items and the
 * dated obligations; in a narrative plan, every per-agency assignment and every dated content item.
 * Everything unsure is marked for review with its source line.
 */
import type { IsoDate, Schedule, TimingContext } from '../domain/types';
import { foldText, isGenericAgencyName, resolveAgency, splitAgencyList, type DirectoryLike } from './agency-names';
import {
  cutAtVerb,
  dutyTitle,
  findProseTiming,
  firstSentence,
  isNonTask,
  readAgencyHeading,
  readPartners,
  readSubject,
  shortenTitle,
  splitSentences,
  type AgencyHeading,
} from './duties';
import { readCoordinatorPhrase, readLeadPhrase } from './fields';
import { readPlanHeader, readPlanPeriod } from './plan-header';
import {
  capitalise,
  findAssignment,
  readBulletTasks,
  readFields,
  readProseTasks,
  shortenProseTitle,
  trimTitle,
  type Assignment,
  type PendingTask,
  type TaskFields,
} from './prose';
import { splitSourceLines, type SourceLine } from './source-lines';
import { buildOutline, walkBlocks, type Block, type FieldLine, type SectionKind } from './structure';
import { readTables } from './tables';
import { readTiming } from './timing-adapter';
import type { DraftTask, PlanDraft, ReviewMark } from './types';

export type { DirectoryLike } from './agency-names';
export type { DraftTask, PlanDraft, ReviewMark } from './types';

type Source = 'table' | 'item' | 'duty' | 'phase' | 'obligation' | 'prose';

interface Candidate extends PendingTask {
  source: Source;
  section: SectionKind;
  /** The sentence as written, for duties: tells a lead role ("Là đầu mối …") from a supporting one. */
  raw?: string;
  /** A content item with neither lead nor time: a task only when the plan has no better task list. */
  weak?: boolean;
}

const ITEM_MARKERS = new Set(['num', 'letter', 'paren', 'label']);

function isItem(b: Block): boolean {
  return ITEM_MARKERS.has(b.marker);
}

function uniq(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = foldText(n);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function emptyFields(): TaskFields {
  return { lead: [], coordinators: [], timingText: null, deliverable: null };
}

/** Stands in for "(chủ trì)" while a list is split into names. */
const LEAD_MARK = '⟦chủ trì⟧';

/** "Sở A chủ trì …; Sở B và các sở … chủ động triển khai …": every body that is to do the work, and the partners. */
function readLeadValue(value: string): { lead: string[]; partners: string[] } {
  const lead: string[] = [];
  const partners: string[] = [];
  // "Sở Y tế (chủ trì), Sở Tài chính": the marked body leads, the others support it.
  if (/\((?:cơ quan )?chủ trì\)/iu.test(value)) {
    const marked = value.replace(/\((?:cơ quan )?chủ trì\)/giu, LEAD_MARK).replace(/\((?:cơ quan )?phối hợp\)/giu, '');
    for (const name of splitAgencyList(marked)) {
      if (name.includes(LEAD_MARK)) lead.push(name.split(LEAD_MARK).join('').trim());
      else partners.push(name.trim());
    }
    return { lead: uniq(lead.filter(Boolean)), partners: uniq(partners.filter(Boolean)) };
  }
  for (const clause of value.split(/\s*;\s*/).filter(Boolean)) {
    // "Sở Tài chính phối hợp" as a clause of its own: a partner.
    const partnerOnly = /^(.*?)\s*,?\s*\(?phối hợp\)?\.?$/iu.exec(clause);
    if (partnerOnly?.[1] && !/chủ trì/iu.test(clause)) {
      partners.push(...splitAgencyList(partnerOnly[1]));
      continue;
    }
    if (/chủ trì/iu.test(clause)) {
      const r = readLeadPhrase(clause);
      lead.push(...r.lead.flatMap((n) => splitAgencyList(cutAtVerb(n))));
      partners.push(...r.partners);
    } else {
      const p = /^(.*?)\s*,?\s*phối hợp với\s+(.*)$/iu.exec(clause);
      lead.push(...splitAgencyList(cutAtVerb(p?.[1] ?? clause)));
      if (p?.[2]) partners.push(...readCoordinatorPhrase(p[2]));
    }
  }
  return { lead: uniq(lead), partners: uniq(partners) };
}

/** A timing phrase strong enough to date a sentence on its own (not "năm 2025" inside a noun phrase). */
function strongTiming(text: string): { text: string; index: number } | undefined {
  const t = findProseTiming(text);
  if (!t) return undefined;
  const weak =
    /^(?:trong|vào|cả|hết|giai đoạn|trong giai đoạn)\s/iu.test(t.text) &&
    !/^trong\s+(?:thời\s+hạn|vòng)/iu.test(t.text);
  if (weak && t.index > 0) return undefined;
  if (/^(?:hằng|hàng|mỗi)\s/iu.test(t.text) && t.index > 0) return undefined;
  return t;
}

/** A concrete date or period: what makes an obligation in the closing parts a task. */
function isDatedTiming(text: string): boolean {
  return !/^thường xuyên/iu.test(text);
}

/** The fields of a block: its labelled lines, with "Cơ quan thực hiện:" lists read clause by clause. */
function fieldsOf(b: Block): TaskFields & { content: FieldLine | null; leadItems: SourceLine[] } {
  const f: TaskFields & { content: FieldLine | null; leadItems: SourceLine[] } = {
    ...emptyFields(),
    content: null,
    leadItems: [],
  };
  let partners: string[] = [];
  for (const fl of b.fields) {
    if (fl.name === 'lead' && f.lead.length === 0) {
      if (fl.value) {
        const r = readLeadValue(fl.value);
        f.lead = r.lead;
        partners = r.partners;
        f.leadLine = fl.line;
        f.leadFrom = 'inline';
      } else if (fl.items.length > 0) {
        f.leadItems = fl.items;
        f.leadLine = fl.line;
      }
    } else if (fl.name === 'coordinators' && f.coordinators.length === 0 && fl.value) {
      f.coordinators = readCoordinatorPhrase(fl.value);
    } else if (fl.name === 'timing' && f.timingText === null) {
      const text = fl.value || fl.items.map((i) => i.text.replace(/[.;]+$/, '')).join('; ');
      if (text) {
        f.timingText = text;
        f.timingLine = fl.line;
      }
    } else if (fl.name === 'deliverable' && f.deliverable === null && fl.value) {
      f.deliverable = fl.value;
    } else if (fl.name === 'content' && !f.content) {
      f.content = fl;
    }
  }
  if (f.coordinators.length === 0) f.coordinators = partners;
  return f;
}

const GENERIC_HEADING = /^(?:hoạt động|nhiệm vụ|bước|giai đoạn|nội dung|phần)\s+(?:\d{1,2}|[IVX]{1,4})\s*[:.]?$/iu;
const INTRODUCTORY = /^(?:đối với|ở|tại|về phía|về|trên địa bàn|cấp)(?![\p{L}\p{N}])/iu;

function proseChildren(b: Block): Block[] {
  return b.children.filter((c) => c.marker === 'none');
}

/** The title of an item: its heading, or what its "Nội dung:" line or first paragraph says when the heading only introduces it. */
function titleOfItem(b: Block, parentTitle: string | null): string {
  const f = fieldsOf(b);
  const heading = b.text;
  if (!heading || GENERIC_HEADING.test(heading) || b.marker === 'label') {
    const content =
      f.content?.value ||
      f.content?.items[0]?.text ||
      b.children.find((c) => c.marker !== 'none' || c.text)?.text ||
      heading;
    return capitalise(trimTitle(shortenTitle(firstSentence(content))));
  }
  const headingTitle = trimTitle(shortenTitle(heading));
  const introductory =
    (/:\s*$/u.test(heading) && headingTitle.split(' ').length <= 6) || INTRODUCTORY.test(headingTitle);
  if (introductory) {
    const prose = proseChildren(b)[0];
    if (prose) return capitalise(trimTitle(shortenProseTitle(firstSentence(prose.text))));
    if (parentTitle) return `${trimTitle(parentTitle)}: ${headingTitle.replace(INTRODUCTORY, '').trim()}`;
  }
  return capitalise(headingTitle);
}

/** A sub-heading about aims, scope or criteria inside a content part ("1. Đối tượng thi đua", "2. Hiện trạng"): no tasks under it. */
function isScopeHeading(text: string): boolean {
  const t = text.replace(/[:.]\s*$/u, '').trim();
  return (
    t.split(/\s+/).length <= 8 &&
    /^(?:mục đích|yêu cầu|mục tiêu|đối tượng|phạm vi|nguyên tắc|chỉ tiêu|quan điểm|thực trạng|hiện trạng|kết quả đạt được|căn cứ|sự cần thiết|định hướng)(?![\p{L}\p{N}])/iu.test(
      t,
    )
  );
}

/** A heading that gives the time of the work below it ("Thời gian thi đua", "Thời gian tổ chức …:"). */
function isTimeLabel(text: string): boolean {
  return /^thời gian(?![\p{L}\p{N}])[^:.]{0,60}(?::|$)/iu.test(text.trim()) && !/^thời gian qua/iu.test(text.trim());
}

/** A whole-plan period ("Từ năm 2026 - 2030", "năm 2025", "thường xuyên, liên tục trong năm 2025"), not a phase. */
function isPlanPeriod(timing: string, sentence = ''): boolean {
  if (/thường xuyên|liên tục/iu.test(sentence)) return true;
  const f = foldText(timing).replace(/^(?:trong|ca)\s+/, '');
  return (
    /^(?:tu\s+)?(?:nam\s+)?\d{4}\s*(?:den\s+(?:het\s+)?(?:nam\s+)?)?\d{0,4}$/.test(f.replace(/\s+/g, ' ').trim()) ||
    /^(?:trong\s+)?(?:giai doan\s+)?(?:tu\s+)?(?:nam\s+)?\d{4}\s+(?:den\s+(?:het\s+)?(?:nam\s+)?)?\d{4}$/.test(f) ||
    /thuong xuyen|lien tuc/.test(f)
  );
}

interface ReadContext {
  ctx: TimingContext;
}

/**
 * The duties under an agency heading: each bullet, lettered item or paragraph is one task with the
 * heading's agency as lead. A bullet that introduces "Agency: …" sub-bullets ("… Trong đó:") gives
 * one task per sub-bullet, led by the agency it names.
 */
function readAgencyBlock(b: Block, heading: AgencyHeading, section: SectionKind): Candidate[] {
  const out: Candidate[] = [];
  const base = { lead: heading.leads, coordinators: heading.coordinators };
  const headingFields = fieldsOf(b);
  const duties = b.children.filter((c) => !(c.marker === 'none' && !c.text));
  const push = (
    text: string,
    line: number,
    ref: string | null,
    extra: { lead?: string[]; coordinators?: string[]; fields?: TaskFields; marks?: ReviewMark[] } = {},
  ): void => {
    if (!text || isNonTask(text)) return;
    const own = extra.fields ?? emptyFields();
    const timingField = own.timingText ?? null;
    for (const [i, p] of dutyPieces(text).entries()) {
      const piece = p.text;
      const prose = pieceTiming(p);
      const timing = i === 0 ? (timingField ?? prose?.text ?? headingFields.timingText ?? null) : (prose?.text ?? null);
      const coordinators = uniq([...(extra.coordinators ?? base.coordinators), ...readPartners(piece)]);
      out.push({
        ref,
        title: dutyTitle(piece, timing),
        line,
        fields: {
          lead: extra.lead ?? base.lead,
          leadLine: b.line,
          leadFrom: 'heading',
          coordinators,
          timingText: timing,
          timingLine: own.timingLine ?? line,
          timingFromSentence: timing !== null && timing !== timingField && timing !== headingFields.timingText,
          deliverable: own.deliverable,
        },
        marks: extra.marks,
        source: 'duty',
        section,
        raw: piece,
      });
    }
  };
  if (heading.duty && !/:\s*$/u.test(heading.duty)) push(heading.duty, b.line, b.ref, { fields: headingFields });
  for (const d of duties) {
    const subBullets = d.children.filter((c) => c.marker === 'plus' || c.marker === 'dash');
    const subAgencies = subBullets
      .map((c) => readAgencyHeading(c.text))
      .filter((h): h is AgencyHeading => !!h && !!h.duty);
    if (/:\s*$/u.test(d.text) && subAgencies.length >= 2 && subAgencies.length >= subBullets.length - 1) {
      const fields = fieldsOf(d);
      for (const c of subBullets) {
        const h = readAgencyHeading(c.text);
        if (!h?.duty) continue;
        const own = fieldsOf(c);
        push(h.duty, c.line, d.ref, {
          lead: h.leads,
          coordinators: h.coordinators,
          fields: { ...fields, ...(own.timingText ? { timingText: own.timingText, timingLine: own.timingLine } : {}) },
        });
      }
      continue;
    }
    const sub = readAgencyHeading(d.text);
    if (sub && isItem(d) && (d.children.length > 0 || sub.duty)) {
      out.push(...readAgencyBlock(d, sub, section));
      continue;
    }
    // Beside items that name their agency, an item that does not ("Trưởng Ban Chỉ đạo") is no duty of the heading's.
    if (isItem(d) && d.children.length > 0 && duties.some((o) => o !== d && isItem(o) && readAgencyHeading(o.text)))
      continue;
    push(d.text, d.line, d.ref ?? b.ref, { fields: fieldsOf(d) });
  }
  return out;
}

/** "hằng năm" anywhere in a clause that a dated clause follows ("… xây dựng kế hoạch hằng năm và báo cáo …"). */
const ANY_CYCLE = /(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng)/iu;

interface DutyPiece {
  text: string;
  /** Split off at "và" beside a dated clause: a cycle word anywhere in it ("… hằng năm") is its time. */
  cycleTime: boolean;
}

/**
 * The tasks one duty holds: its first clause, plus every later clause (after "; " or a full stop)
 * that carries a date of its own ("…; Trước ngày 15/12 hằng năm tổng hợp, báo cáo …"), and the two
 * halves of "A hằng năm và định kỳ B trước ngày 20/11" or "A (năm 2030) và B (năm 2035)".
 */
function dutyPieces(text: string): DutyPiece[] {
  const clauses = splitSentences(text)
    .flatMap((sentence) => sentence.split(/;\s+/))
    .flatMap((c) => splitAtAnd(c))
    .filter((c) => c.text.trim());
  const pieces: DutyPiece[] = [];
  for (const [i, c] of clauses.entries()) {
    const t = i > 0 ? pieceTiming(c) : undefined;
    if (t && isDatedTiming(t.text) && c.text.split(/\s+/).length >= 3) pieces.push(c);
    else if (pieces.length === 0) pieces.push(c);
    else pieces[0] = { text: `${pieces[0]?.text ?? ''}; ${c.text}`, cycleTime: pieces[0]?.cycleTime ?? false };
  }
  return pieces;
}

/** "A … và B …" where B carries a date and A a date or a cycle: two clauses. */
function splitAtAnd(clause: string): DutyPiece[] {
  const re = /\s+và\s+/gu;
  for (let m = re.exec(clause); m; m = re.exec(clause)) {
    const left = clause.slice(0, m.index);
    const right = clause.slice(m.index + m[0].length);
    if (!strongTiming(right) || left.split(/\s+/).length < 3 || right.split(/\s+/).length < 3) continue;
    if (strongTiming(left) || ANY_CYCLE.test(left))
      return [
        { text: left, cycleTime: true },
        { text: right, cycleTime: true },
      ];
  }
  return [{ text: clause, cycleTime: false }];
}

/** The time of a duty piece: a strong phrase, or a cycle word anywhere in a piece split off at "và". */
function pieceTiming(piece: DutyPiece): { text: string; index: number } | undefined {
  const strong = strongTiming(piece.text);
  if (strong || !piece.cycleTime) return strong;
  const cycle = ANY_CYCLE.exec(piece.text);
  return cycle ? { text: cycle[0], index: cycle.index } : undefined;
}

/** Tasks from dated phases under a time heading: each part with its own time ("Đợt 01: … (từ … đến …)"). */
function readPhases(b: Block, section: SectionKind): Candidate[] {
  const out: Candidate[] = [];
  const units: { text: string; line: number }[] = [];
  const label = /^thời gian(?![\p{L}\p{N}])[^:]{0,60}:\s*/iu;
  const own = b.text.replace(label, '');
  if (own !== b.text || !isTimeLabel(b.text))
    for (const s of splitSentences(own)) units.push({ text: s, line: b.line });
  for (const f of b.fields) if (f.value) units.push({ text: f.value, line: f.line });
  for (const c of walkBlocks(b.children)) {
    for (const s of splitSentences(c.text)) units.push({ text: s, line: c.line });
    for (const f of c.fields) if (f.value) units.push({ text: f.value, line: f.line });
  }
  for (const u of units) {
    const t = findProseTiming(u.text);
    if (!t || isPlanPeriod(t.text, u.text)) continue;
    // "Các đơn vị gửi hồ sơ về … trước ngày …": the phase names who does it.
    const subject = readSubject(u.text);
    let title = (subject ? subject.rest : u.text)
      .replace(t.text, ' ')
      .replace(/\(\s*\)/g, ' ')
      .replace(/^thời gian(?![\p{L}\p{N}])\s*/iu, '');
    title = title
      .replace(/\s+(?:được|sẽ)\s+(?:triển khai|thực hiện|tổ chức)\s+(?:thực hiện\s+)?$/u, ' ')
      .replace(/\s+(?:vào|trong|từ)\s*$/u, '');
    title = dutyTitle(title.replace(/\s+/g, ' ').trim());
    if (title.split(/\s+/).length < 2) continue;
    const lead = subject?.leads ?? [];
    out.push({
      ref: b.ref,
      title,
      line: u.line,
      fields: {
        ...emptyFields(),
        lead,
        leadLine: u.line,
        ...(lead.length > 0 ? { leadFrom: 'subject' as const } : {}),
        coordinators: subject ? readPartners(subject.rest) : [],
        timingText: t.text,
        timingLine: u.line,
      },
      source: 'phase',
      section,
    });
  }
  return out;
}

interface ItemOptions {
  parentTitle: string | null;
  inherited: TaskFields | undefined;
}

function hasOwn(f: TaskFields): boolean {
  return f.lead.length > 0 || f.timingText !== null;
}

/**
 * Tasks from the items of a content section: an item with its own labelled lines (or an inherited
 * lead or time) is a task at the finest level that has them; an agency heading gives its duties; a
 * time heading gives its phases; an item whose sentence opens with an agency is led by it.
 */
function readContentItems(blocks: Block[], section: SectionKind, opts: ItemOptions, rc: ReadContext): Candidate[] {
  const out: Candidate[] = [];
  for (const b of blocks) {
    if (!isItem(b)) continue;
    if (isScopeHeading(b.text)) continue;
    const heading = readAgencyHeading(b.text);
    if (heading && (b.children.length > 0 || heading.duty)) {
      out.push(...readAgencyBlock(b, heading, section));
      continue;
    }
    if (isTimeLabel(b.text)) {
      out.push(...readPhases(b, section));
      continue;
    }
    const own = fieldsOf(b);
    // A paragraph opening the item with a time ("Trong giai đoạn 2026 - 2030, …") dates the items below it.
    if (own.timingText === null) {
      for (const p of proseChildren(b)) {
        const t = strongTiming(p.text);
        if (t) {
          own.timingText = t.text;
          own.timingLine = p.line;
          own.timingFromSentence = true;
          break;
        }
      }
    }
    const merged: TaskFields = {
      lead: own.lead.length > 0 ? own.lead : (opts.inherited?.lead ?? []),
      leadLine: own.lead.length > 0 ? own.leadLine : opts.inherited?.leadLine,
      leadFrom: own.lead.length > 0 ? own.leadFrom : opts.inherited?.lead.length ? 'inherited' : undefined,
      coordinators: own.coordinators.length > 0 ? own.coordinators : (opts.inherited?.coordinators ?? []),
      timingText: own.timingText ?? opts.inherited?.timingText ?? null,
      timingLine: own.timingText !== null ? own.timingLine : opts.inherited?.timingLine,
      timingFromSentence: own.timingText !== null ? own.timingFromSentence : opts.inherited?.timingFromSentence,
      deliverable: own.deliverable ?? opts.inherited?.deliverable ?? null,
    };
    const children = b.children.filter(isItem);
    const childHasOwn = (c: Block): boolean =>
      hasOwn(fieldsOf(c)) ||
      !!readAgencyHeading(c.text) ||
      isTimeLabel(c.text) ||
      c.children.filter(isItem).some(childHasOwn) ||
      !!readSubject(c.text);
    let title = titleOfItem(b, opts.parentTitle);
    // An item dated only by its opening paragraph ("Trong giai đoạn …, cụ thể như sau:") hands the date to its sub-items.
    const ownByLabel = own.lead.length > 0 || (own.timingText !== null && !own.timingFromSentence);
    if (children.length > 0 && !(ownByLabel && !children.some(childHasOwn))) {
      const produced = readContentItems(children, section, { parentTitle: title, inherited: merged }, rc);
      const withOwn = children.filter(childHasOwn);
      if (
        children.length >= 2 &&
        withOwn.length === 1 &&
        withOwn[0] === children[children.length - 1] &&
        !hasOwn(own)
      ) {
        // Only the last sub-item names a lead or time: those lines may belong to the whole item.
        for (const t of produced)
          (t.marks ??= []).push({
            field: 'ref',
            why: `Trong mục ${b.ref ?? ''} chỉ mục con cuối ghi cơ quan/thời hạn: có thể các dòng đó thuộc cả mục ${b.ref ?? ''} (dòng ${b.line}), cần kiểm tra cách tách nhiệm vụ.`,
            line: t.line,
          });
      }
      out.push(...produced);
      continue;
    }
    if (merged.timingText === null) {
      // "Tổ chức lễ phát động (từ ngày 01/6 đến ngày 30/6/2026)": the time written into the title.
      const inTitle = /\(([^()]+)\)/u.exec(title);
      const t = inTitle?.[1] ? strongTiming(inTitle[1]) : undefined;
      if (inTitle && t && t.index === 0 && t.text.length >= (inTitle[1]?.length ?? 0) - 2) {
        Object.assign(merged, { timingText: t.text, timingLine: b.line, timingFromSentence: true });
        title = title.replace(inTitle[0], ' ').replace(/\s+/g, ' ').trim();
      }
    }
    // "- Cơ quan thực hiện:" with one "+ Agency …" line per body: one task each.
    if (own.leadItems.length > 0) {
      own.leadItems.forEach((li, i) => {
        const subject = readSubject(li.text);
        const r = /chủ trì/iu.test(li.text) ? readLeadPhrase(li.text) : undefined;
        const lead = r?.lead.length ? r.lead.flatMap((n) => splitAgencyList(cutAtVerb(n))) : (subject?.leads ?? []);
        const partners = r?.partners.length ? r.partners : readPartners(li.text);
        out.push({
          ref: b.ref,
          title: i === 0 ? title : dutyTitle(subject?.rest ?? li.text),
          line: i === 0 ? b.line : li.line,
          fields: {
            ...merged,
            lead,
            leadLine: li.line,
            leadFrom: 'inline',
            coordinators: merged.coordinators.length > 0 && i === 0 ? merged.coordinators : partners,
          },
          source: 'item',
          section,
        });
      });
      continue;
    }
    let fields = merged;
    if (fields.lead.length === 0) {
      const firstProse = proseChildren(b)[0];
      const own = readSubject(b.text);
      const subject = own ?? readSubject(firstProse?.text ?? '');
      if (subject) {
        fields = {
          ...fields,
          lead: subject.leads,
          leadLine: own ? b.line : (firstProse?.line ?? b.line),
          leadFrom: 'subject',
          coordinators: fields.coordinators.length > 0 ? fields.coordinators : readPartners(subject.rest),
        };
      } else {
        const body: SourceLine[] = proseChildren(b).map((c) => ({ text: c.text, line: c.line }));
        const fromLines = readFields(body);
        if (fromLines.lead.length > 0)
          fields = {
            ...fields,
            lead: fromLines.lead,
            leadLine: fromLines.leadLine,
            leadFrom: 'sentence',
            coordinators: fields.coordinators.length > 0 ? fields.coordinators : fromLines.coordinators,
          };
      }
    }
    // "Mở tài khoản cho đối tượng: UBND xã, phường phối hợp với …": the label says what the work is.
    const labelled = /^([^:;]{8,80}):\s+\S/u.exec(b.text);
    const itemTitle =
      fields.leadFrom === 'subject' && readSubject(b.text)
        ? labelled?.[1] && labelled[1].split(/\s+/).length >= 3 && !readSubject(labelled[1])
          ? capitalise(trimTitle(labelled[1]))
          : dutyTitle(readSubject(b.text)?.rest ?? b.text)
        : title;
    const parts = splitByLabelledTimings(b, itemTitle, fields);
    if (parts) out.push(...parts.map((p) => ({ ...p, source: 'item' as const, section })));
    else
      out.push({ ref: b.ref, title: itemTitle, line: b.line, fields, source: 'item', section, weak: !hasOwn(fields) });
  }
  return out;
}

/** Splits a task by "+ Sơ kết: Quý IV/2026", "+ Tổng kết: Năm 2027" bullets that give parts their own timing. */
function splitByLabelledTimings(b: Block, title: string, fields: TaskFields): PendingTask[] | undefined {
  const timingField = b.fields.find((f) => f.name === 'timing');
  if (!timingField) return undefined;
  const candidates = [
    ...timingField.items.map((i) => ({ text: i.text, line: i.line })),
    ...b.children
      .filter((c) => (c.marker === 'plus' || c.marker === 'dash') && c.line > timingField.line)
      .map((c) => ({ text: c.text, line: c.line })),
  ];
  const parts: { label: string; text: string; line: number }[] = [];
  for (const c of candidates) {
    const m = /^([^:]{2,30}):\s*(.+)$/u.exec(c.text);
    if (!m?.[1] || !m[2] || m[1].split(/\s+/).length > 4) continue;
    const s = readTiming(m[2], {});
    if (s.kind === 'unscheduled' && !/\d{4}|hằng|hàng|định kỳ|thường xuyên/iu.test(m[2])) continue;
    parts.push({ label: m[1].trim(), text: c.text.replace(/[.;]+$/, ''), line: c.line });
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
      ref: b.ref,
      title: capitalise(partTitle.replace(/\s+/g, ' ').trim()),
      line: b.line,
      fields: { ...fields, timingText: p.text, timingLine: p.line },
    };
  });
}

/**
 * Assignments in the organising parts (Tổ chức thực hiện, Phân công, Chế độ báo cáo, closing
 * paragraph): agency headings with their duties, "Agency: duty" lines, sentences led by an agency,
 * and time headings with their phases.
 */
function readAssignments(blocks: Block[], section: SectionKind): Candidate[] {
  const out: Candidate[] = [];
  for (const b of blocks) {
    if (!b.text && b.fields.length > 0) continue;
    if (isItem(b) && isScopeHeading(b.text)) continue;
    const heading = readAgencyHeading(b.text);
    if (heading && section !== 'other' && (b.children.length > 0 || heading.duty)) {
      out.push(...readAgencyBlock(b, heading, section));
      continue;
    }
    if (isTimeLabel(b.text)) {
      out.push(...readPhases(b, section));
      continue;
    }
    const subject = readSubject(b.text);
    if (subject && !isNonTask(b.text)) {
      const fields = fieldsOf(b);
      for (const [i, p] of dutyPieces(subject.rest).entries()) {
        const timing = (i === 0 ? fields.timingText : null) ?? pieceTiming(p)?.text ?? null;
        out.push({
          ref: b.ref,
          title: dutyTitle(p.text, timing),
          line: b.line,
          fields: {
            ...fields,
            lead: subject.leads,
            leadLine: b.line,
            leadFrom: 'subject',
            coordinators: uniq([...(i === 0 ? fields.coordinators : []), ...readPartners(p.text)]),
            timingText: timing,
            timingLine: fields.timingLine ?? b.line,
            timingFromSentence: timing !== null && (i > 0 || fields.timingText === null),
          },
          source: 'duty',
          section,
          raw: p.text,
        });
      }
      continue;
    }
    out.push(...readAssignments(b.children, section));
  }
  return out;
}

/** Dated sentences in closing prose: "Định kỳ hằng năm (trước ngày 25 tháng 10) báo cáo … về Sở X". */
function readClosingObligations(lines: SourceLine[]): Candidate[] {
  const out: Candidate[] = [];
  for (const l of lines) {
    if (/^(?:Nơi nhận|KT\.|TM\.|\[\d+\])/u.test(l.text)) break;
    let lastSubject: string[] = [];
    for (const s of splitSentences(l.text)) {
      const subject = readSubject(s);
      if (subject) lastSubject = subject.leads;
      const t = strongTiming(s);
      if (!t || !isDatedTiming(t.text) || isNonTask(s) || /^trên đây/iu.test(s)) continue;
      const rest = subject ? subject.rest : s;
      out.push({
        ref: null,
        title: dutyTitle(rest, t.text),
        line: l.line,
        fields: {
          ...emptyFields(),
          lead: subject?.leads ?? lastSubject,
          leadLine: l.line,
          leadFrom: 'subject',
          coordinators: readPartners(rest),
          timingText: t.text,
          timingLine: l.line,
          timingFromSentence: true,
        },
        source: 'obligation',
        section: 'closing',
      });
    }
  }
  return out;
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

type Layout = 'table' | 'structured' | 'narrative' | 'content-with-roles' | 'prose';

/** Which agency the organising part makes responsible for the plan's content, and who supports it. */
function readStandingRoles(duties: Candidate[]): { lead: string[]; coordinators: string[]; line: number } | undefined {
  const leadRole = duties.find((d) =>
    /^(?:(?:có|chịu) trách nhiệm\s+)?(?:chủ trì|là (?:cơ quan )?đầu mối|tham mưu)/iu.test((d.raw ?? '').trim()),
  );
  if (!leadRole) return undefined;
  const others = uniq(
    duties.filter((d) => d.fields.lead.join() !== leadRole.fields.lead.join()).flatMap((d) => d.fields.lead),
  );
  return { lead: leadRole.fields.lead, coordinators: others, line: leadRole.line };
}

/**
 * Reads a plan text into a draft. Never throws on odd input: what it cannot read is left empty and
 * marked for review (field, Vietnamese reason, source line). With a directory, agency names are
 * checked against it and names it does not know are listed in `unknownAgencies`; without one, every
 * name is listed there and the plan is marked for directory matching.
 */
export interface ReadPlanOptions {
  directory?: DirectoryLike;
  fileName?: string;
  /** Words OCR read with low confidence (from `readDocument`): tasks whose time or lead holds one are marked. */
  ocrUncertain?: { text: string; page: number; confidence: number }[];
}

export function readPlanText(text: string, opts: ReadPlanOptions = {}): PlanDraft {
  const lines = splitSourceLines(text);
  const { plan, marks } = readPlanHeader(lines);
  const period = readPlanPeriod(lines, plan);
  if (period) {
    plan.periodStart = period.start;
    plan.periodEnd = period.end;
  }
  const ctx: TimingContext = {
    issued: plan.issued ?? undefined,
    periodStart: plan.periodStart,
    periodEnd: plan.periodEnd,
  };
  const rc: ReadContext = { ctx };

  const tables = readTables(lines);
  const outline = buildOutline(lines, tables.lines);
  const hasSections = outline.sections.some((s) => s.kind !== 'closing' && s.kind !== 'appendix');

  const tableTasks: Candidate[] = tables.rows.map((r) => {
    // A lead cell may also say who supports: "Sở Y tế chủ trì; Sở Tài chính phối hợp", "Sở Y tế (chủ trì), Sở Tài chính".
    const lr = /chủ trì|phối hợp/iu.test(r.lead)
      ? readLeadValue(r.lead)
      : { lead: r.lead.split(/\s*;\s*/).flatMap((n) => splitAgencyList(n)), partners: [] };
    const lead = lr.lead;
    return {
      ref: r.ref,
      title: capitalise(trimTitle(shortenTitle(firstSentence(r.title)))),
      line: r.line,
      fields: {
        lead: uniq(lead),
        leadLine: r.line,
        leadFrom: 'table',
        coordinators: r.coordinators
          ? r.coordinators.split(/\s*;\s*/).flatMap((c) => readCoordinatorPhrase(c))
          : lr.partners,
        timingText: r.timing || null,
        timingLine: r.line,
        deliverable: r.deliverable || null,
      },
      marks: r.marks,
      source: 'table',
      section: 'appendix',
    };
  });

  // Content: items of the task sections (or of the whole text when it has no sections).
  const contentRoots = outline.roots.filter((b) =>
    hasSections ? b.section.kind === 'tasks' : b.section.kind === 'preamble' || b.section.kind === 'tasks',
  );
  const contentAll = readContentItems(contentRoots, 'tasks', { parentTitle: null, inherited: undefined }, rc);
  const content = contentAll.filter((c) => !c.weak);
  const weakContent = contentAll.filter((c) => c.weak);
  // Contents that name their leads in labelled lines or under agency headings make a structured plan;
  // a sentence that happens to open with an agency does not.
  const contentLeads = content.filter(
    (c) => c.fields.lead.length > 0 && (c.fields.leadFrom === 'inline' || c.fields.leadFrom === 'heading'),
  ).length;

  // Organising parts: Tổ chức thực hiện, reporting, awards and procedures, the closing paragraph.
  const organising = (['roles', 'reporting', 'other'] as SectionKind[]).flatMap((kind) =>
    readAssignments(
      outline.roots.filter((b) => b.section.kind === kind),
      kind,
    ),
  );
  const closing = readClosingObligations(outline.prose.filter((p) => p.section.kind === 'closing').map((p) => p.line));

  let layout: Layout;
  const roleDuties = organising.filter((c) => c.section === 'roles' && c.source === 'duty');
  // Content items dated by their own "Thời gian …:" line (not by a sentence, not phases).
  const datedItems = content.filter(
    (c) => c.source === 'item' && c.fields.timingText !== null && !c.fields.timingFromSentence,
  );
  if (tableTasks.length >= 2 || (tableTasks.length === 1 && content.length === 0)) layout = 'table';
  else if (contentLeads > 0) layout = 'structured';
  // Dated contents with a short organising part: that part names who leads them (standing roles), it
  // is no task list of its own. When the organising part holds most of the work, it is the task list.
  else if (
    datedItems.length >= 2 &&
    !content.some((c) => c.fields.lead.length > 0) &&
    roleDuties.length <= 1.5 * datedItems.length &&
    readStandingRoles(roleDuties)
  )
    layout = 'content-with-roles';
  else if (content.length > 0 || organising.length > 0) layout = 'narrative';
  else layout = 'prose';

  const pending: Candidate[] = [];
  if (layout === 'table') {
    pending.push(
      ...tableTasks,
      ...content.filter((c) => c.fields.lead.length > 0 && c.fields.timingText !== null && c.source === 'item'),
    );
    pending.push(
      ...organising.filter((c) => c.fields.timingText !== null && isDatedTiming(c.fields.timingText)),
      ...closing,
    );
  } else if (layout === 'structured' || layout === 'content-with-roles') {
    pending.push(
      ...tableTasks,
      ...content,
      ...organising.filter((c) => c.fields.timingText !== null && isDatedTiming(c.fields.timingText)),
      ...closing,
    );
  } else if (layout === 'narrative') {
    pending.push(
      ...tableTasks,
      ...content,
      ...organising.filter((c) => c.section !== 'other' || c.source === 'phase' || c.fields.lead.length > 0),
      ...closing,
    );
  }
  // Content items with neither lead nor time are the task list only when nothing else assigns the work.
  const assignmentEarly = findAssignment(lines);
  if (layout !== 'table' && (roleDuties.length === 0 || assignmentEarly || layout === 'content-with-roles'))
    pending.push(...weakContent);
  else if (layout === 'prose' && weakContent.length > 0) pending.push(...weakContent);
  if (pending.length > 0 && layout === 'prose') layout = 'structured';

  // Nothing structured: bullets under the content heading, then tasks listed in running text.
  const assignment = findAssignment(lines);
  if (pending.length === 0) {
    const taskSections = outline.sections.filter((s) => s.kind === 'tasks');
    const proseLines: SourceLine[] = lines.filter((l) =>
      taskSections.some((s) => {
        const next = outline.sections.find((o) => o.line > s.line);
        return l.line > s.line && (!next || l.line < next.line);
      }),
    );
    const bullets = proseLines.length > 0 ? readBulletTasks(proseLines) : [];
    const prose = bullets.length > 0 ? bullets : readProseTasks(lines, assignment?.line);
    pending.push(...prose.map((p): Candidate => ({ ...p, source: 'prose', section: 'tasks' })));
    if (pending.length > 0) layout = 'prose';
  }

  // One task per source line and title.
  const seen = new Set<string>();
  const unique = pending
    .sort((a, b) => a.line - b.line)
    .filter((p) => {
      const key = `${p.line}:${foldText(p.title)}`;
      if (seen.has(key) || !p.title) return false;
      seen.add(key);
      return true;
    });

  const roleLeads = organising.filter((c) => c.source === 'duty' && c.fields.lead.length > 0);
  const standing = layout === 'content-with-roles' ? readStandingRoles(roleDuties) : undefined;
  const introTiming = findIntroTiming(
    outline.prose.filter((p) => p.section.kind === 'preamble' || p.section.kind === 'tasks').map((p) => p.line),
  );
  const tasks = unique.map((p) => buildTask(p, { assignment, roleLeads, standing, introTiming, ctx, layout }));
  if (opts.ocrUncertain && opts.ocrUncertain.length > 0) markOcrUncertain(tasks, opts.ocrUncertain, marks);

  markNumbering(tasks, marks);
  const unknownAgencies = checkAgencies(tasks, opts.directory, marks);
  if (tasks.length === 0)
    marks.push({
      field: 'tasks',
      why: `Không đọc được nhiệm vụ nào${opts.fileName ? ` trong ${opts.fileName}` : ''}: kiểm tra định dạng hoặc nhập nhiệm vụ bằng tay.`,
      line: 1,
    });
  return { plan, tasks, unknownAgencies, marks };
}

/** "Theo Kế hoạch, trong năm 2026 sẽ triển khai các nội dung sau:": a time the listed items share. */
function findIntroTiming(lines: SourceLine[]): { text: string; line: number } | undefined {
  for (const l of lines) {
    const intro = /(?:trong|cả)\s+năm\s+\d{4}/iu.exec(l.text);
    if (intro && /:\s*$/.test(l.text) && /(?:nội dung|nhiệm vụ|hoạt động)/iu.test(l.text))
      return { text: intro[0], line: l.line };
  }
  return undefined;
}

interface BuildContext {
  assignment: Assignment | undefined;
  roleLeads: Candidate[];
  standing: { lead: string[]; coordinators: string[]; line: number } | undefined;
  introTiming: { text: string; line: number } | undefined;
  ctx: TimingContext;
  layout: Layout;
}

function buildTask(p: Candidate, bc: BuildContext): DraftTask {
  const review: ReviewMark[] = [...(p.marks ?? [])];
  let lead = p.fields.lead;
  let coordinators = p.fields.coordinators;
  if (lead.length === 0 && bc.assignment) {
    lead = bc.assignment.lead;
    if (coordinators.length === 0) coordinators = bc.assignment.coordinators;
    review.push({
      field: 'lead',
      why: `Cơ quan chủ trì lấy từ câu giao nhiệm vụ chung (dòng ${bc.assignment.line}), không ghi tại nhiệm vụ: cần xác nhận.`,
      line: p.line,
    });
  } else if (lead.length === 0 && bc.standing && p.source === 'item') {
    lead = bc.standing.lead;
    if (coordinators.length === 0) coordinators = bc.standing.coordinators;
    review.push({
      field: 'lead',
      why: `Cơ quan chủ trì lấy từ phần Tổ chức thực hiện (dòng ${bc.standing.line}), không ghi tại nhiệm vụ: cần xác nhận.`,
      line: p.line,
    });
  } else if (lead.length === 0 && bc.roleLeads.length > 0) {
    const names = uniq(bc.roleLeads.flatMap((r) => r.fields.lead)).slice(0, 4);
    review.push({
      field: 'lead',
      why: `Nhiệm vụ không ghi cơ quan chủ trì. Phần Tổ chức thực hiện (dòng ${bc.roleLeads[0]?.line ?? p.line}) giao việc cho: ${names.join('; ')}: chọn một cơ quan chủ trì.`,
      line: p.line,
    });
  }
  if (p.fields.leadFrom === 'sentence' || p.fields.leadFrom === 'subject')
    review.push({
      field: 'lead',
      why: `Cơ quan chủ trì đọc từ câu văn (dòng ${p.fields.leadLine ?? p.line}), không có dòng "Cơ quan chủ trì": cần xác nhận.`,
      line: p.fields.leadLine ?? p.line,
    });
  if (lead.length === 0 && !review.some((m) => m.field === 'lead'))
    review.push({ field: 'lead', why: 'Không tìm thấy cơ quan chủ trì: chọn một cơ quan chủ trì.', line: p.line });
  if (lead.length > 1)
    review.push({
      field: 'lead',
      why: `Nhiều cơ quan chủ trì (${lead.join('; ')}): mỗi nhiệm vụ chỉ giao một cơ quan chủ trì, hãy chọn một hoặc tách nhiệm vụ.`,
      line: p.fields.leadLine ?? p.line,
    });

  let timingText = p.fields.timingText;
  let timingLine = p.fields.timingLine ?? p.line;
  if (timingText === null && bc.introTiming && (p.source === 'item' || p.source === 'prose')) {
    timingText = bc.introTiming.text;
    timingLine = bc.introTiming.line;
    review.push({
      field: 'timing',
      why: `Thời hạn lấy từ câu dẫn chung (dòng ${bc.introTiming.line}): cần xác nhận.`,
      line: p.line,
    });
  }
  if (p.fields.timingFromSentence && timingText)
    review.push({
      field: 'timing',
      why: `Thời hạn "${timingText}" đọc từ câu văn (dòng ${timingLine}), không có dòng "Thời gian thực hiện": cần xác nhận.`,
      line: timingLine,
    });
  const schedule = timingText ? readTiming(timingText, bc.ctx) : null;
  if (!schedule)
    review.push({
      field: 'timing',
      why: 'Kế hoạch không ghi thời hạn cho nhiệm vụ này: nhập ngày hoàn thành hoặc ghi rõ là thường xuyên.',
      line: p.line,
    });
  else if (!schedule.confident)
    review.push({
      field: 'timing',
      why: `Chưa đọc chắc chắn thời hạn "${timingText ?? ''}": ${schedule.reason}`,
      line: timingLine,
    });

  return {
    ref: p.ref,
    title: p.title,
    lead,
    coordinators: coordinators.filter((c) => !lead.some((l) => foldText(l) === foldText(c))),
    timingText,
    schedule,
    due: pickDue(schedule),
    recurrence: schedule ? schedule.recurrence : 'unspecified',
    deliverable: p.fields.deliverable,
    line: p.line,
    review,
  };
}

/** A task whose time or lead holds a word OCR was unsure of is checked against the scan, never trusted silently. */
function markOcrUncertain(
  tasks: DraftTask[],
  words: NonNullable<ReadPlanOptions['ocrUncertain']>,
  marks: ReviewMark[],
): void {
  const holds = (text: string | null, w: string): boolean => !!text && text.includes(w);
  for (const t of tasks) {
    for (const w of words) {
      if (holds(t.timingText, w.text))
        t.review.push({
          field: 'timing',
          why: `Chữ "${w.text}" trong thời hạn được nhận dạng từ bản scan (OCR) với độ tin cậy ${w.confidence}% (trang ${w.page}): đối chiếu với bản giấy.`,
          line: t.line,
        });
      if (t.lead.some((l) => holds(l, w.text)))
        t.review.push({
          field: 'lead',
          why: `Chữ "${w.text}" trong tên cơ quan chủ trì được nhận dạng từ bản scan (OCR) với độ tin cậy ${w.confidence}% (trang ${w.page}): đối chiếu với bản giấy.`,
          line: t.line,
        });
    }
  }
  marks.push({
    field: 'ocr',
    why: `Văn bản đọc từ bản scan (OCR): ${words.length} chữ số hoặc số La Mã chưa chắc chắn (${words
      .slice(0, 6)
      .map((w) => `"${w.text}" trang ${w.page}`)
      .join(', ')}${words.length > 6 ? ', …' : ''}): đối chiếu với bản giấy.`,
    line: 1,
  });
}

function markNumbering(tasks: DraftTask[], marks: ReviewMark[]): void {
  const byRef = new Map<string, DraftTask[]>();
  for (const t of tasks) if (t.ref) byRef.set(t.ref, [...(byRef.get(t.ref) ?? []), t]);
  for (const [ref, same] of byRef) {
    if (same.length < 2) continue;
    for (const t of same)
      t.review.push({
        field: 'ref',
        why: `Số thứ tự ${ref} dùng cho ${same.length} nhiệm vụ: đặt id riêng cho từng nhiệm vụ.`,
        line: t.line,
      });
  }
  let prev: number[] | undefined;
  for (const t of tasks) {
    if (!t.ref || !/^\d+(?:\.\d+)*$/.test(t.ref)) continue;
    const parts = t.ref.split('.').map(Number);
    if (prev && compareRefs(parts, prev) < 0)
      marks.push({
        field: 'ref',
        why: `Số thứ tự ${t.ref} đứng sau ${prev.join('.')}: thứ tự đánh số không liền mạch, cần kiểm tra.`,
        line: t.line,
      });
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
    for (const [field, names] of [
      ['lead', t.lead],
      ['coordinators', t.coordinators],
    ] as const) {
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
    marks.push({
      field: 'directory',
      why: 'Chưa có danh mục cơ quan: tên cơ quan giữ nguyên như văn bản, cần đối chiếu danh mục trước khi nhập.',
      line: 1,
    });
  return unknown;
}
