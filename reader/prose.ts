/**
 * Reading plans written as running text or loose bullets (news articles, short commune plans):
 * labelled lines under a bullet, the "Giao X chủ trì, phối hợp với Y" assignment sentence, and
 * task lists written into one sentence ("các nhiệm vụ như: …; …"). Line based.
 */
import { splitAgencyList } from './agency-names';
import { cutAtWork, readCoordinatorPhrase, readField, readLeadPhrase, stripBullet } from './fields';
import type { SourceLine } from './source-lines';
import type { ReviewMark } from './types';

export interface TaskFields {
  lead: string[];
  leadLine?: number;
  coordinators: string[];
  timingText: string | null;
  timingLine?: number;
  deliverable: string | null;
  leadFrom?: 'inline' | 'inherited' | 'sentence' | 'heading' | 'subject' | 'table';
  timingFromSentence?: boolean;
}

export interface PendingTask {
  ref: string | null;
  title: string;
  line: number;
  fields: TaskFields;
  marks?: ReviewMark[];
}

export interface Assignment {
  lead: string[];
  coordinators: string[];
  line: number;
}

/** The plan-wide assignment sentence "Giao X chủ trì, phối hợp với Y …", if any. */
export function findAssignment(lines: SourceLine[]): Assignment | undefined {
  for (const l of lines) {
    const m =
      /(?<![\p{L}\p{N}])giao\s+(.+?)\s+chủ trì(?![\p{L}\p{N}])\s*,?\s*(?:(?:và\s+)?phối hợp\s+với\s+(.+?))?(?:[.;]\s|[.;]?$)/iu.exec(
        l.text,
      );
    if (!m?.[1]) continue;
    const lead = splitAgencyList(cutAtWork(m[1]));
    if (lead.length === 0) continue;
    return { lead, coordinators: m[2] ? readCoordinatorPhrase(m[2]) : [], line: l.line };
  }
  return undefined;
}

const FIELD_START =
  /;\s*(?=(?:cơ quan|đơn vị|thời gian|thời hạn|tiến độ|kết quả|sản phẩm|chủ trì|phối hợp)[^:;]{0,30}:)/iu;

/** "Cơ quan chủ trì: A; Thời gian: B" on one line gives two labelled lines. */
function splitFieldSegments(body: SourceLine[]): SourceLine[] {
  return body.flatMap((l) => l.text.split(FIELD_START).map((text) => ({ text: text.trim(), line: l.line })));
}

const INLINE_LEAD =
  /(?:^|[.;]\s+)(?:giao\s+)?((?:Sở|UBND|Ủy ban|Uỷ ban|Ban|Phòng|Văn phòng|Hội|Đoàn|Công an|Trung tâm|Bộ|Tòa án|Viện|Đài|Báo|Mặt trận|Liên đoàn|Trường|Cục|Chi cục|Công chức|Bộ Chỉ huy|Hợp tác xã)(?:\s+[^\s.;:]+){0,12}?)\s+(?:là cơ quan\s+)?chủ trì(?![\p{L}\p{N}])\s*,?\s*(?:(?:và\s+)?phối hợp\s+với\s+([^.;]+))?/u;

export const PROSE_TIMING =
  /(?:trước|chậm nhất(?: là)?)\s+ngày\s+\d{1,2}\s*\/\s*\d{1,2}\s*\/\s*\d{4}|trước\s+tháng\s+\d{1,2}\s*\/\s*\d{4}|trong\s+(?:quý\s+[IVX\d]+|tháng\s+\d{1,2}|năm)\s*\/?\s*\d{4}|(?:trong\s+)?quý\s+[IVX]+\s*\/\s*\d{4}/iu;

/** The labelled lines, inline lead sentence and timing phrase of a task's body lines. */
export function readFields(rawBody: SourceLine[]): TaskFields {
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

const TITLE_TAIL = /\s*(?:,?\s*(?:theo hướng|như sau|gồm|bao gồm|cụ thể(?: như sau)?|với các nội dung sau|sau))\s*$/iu;

export function trimTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[:.;,…]+$/u, '')
    .replace(/\.{3}$/, '')
    .replace(TITLE_TAIL, '')
    .replace(/[:.;,…]+$/u, '')
    .trim();
}

export function firstSentence(text: string): string {
  const m = /^(.+?[^A-ZĐ\d])\.\s+(?=[A-ZÀ-ỸĐ])/u.exec(text);
  return (m?.[1] ?? text).trim();
}

export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

const TITLE_VERB =
  /^(?:xây dựng|tổ chức|thực hiện|rà soát|triển khai|ban hành|lựa chọn|kiện toàn|bố trí|hướng dẫn|chỉ đạo|thành lập|củng cố|biên soạn|cập nhật|theo dõi)\s/iu;

/**
 * A paragraph used as a title is cut to its first clause: no "Căn cứ …," lead-in, no agency as
 * subject ("UBND cấp huyện xây dựng …" → "Xây dựng …"), nothing after ";" or a defining " là ".
 */
export function shortenProseTitle(text: string): string {
  let t = text.replace(/^căn cứ [^,]+,\s*/iu, '');
  const words = t.split(/\s+/);
  for (let i = 1; i <= Math.min(8, words.length - 1); i += 1) {
    if (
      TITLE_VERB.test(words.slice(i).join(' ')) &&
      /^(?:UBND|Ủy ban|Uỷ ban|Sở|Phòng|Ban|Hội|Đoàn|Công an|Văn phòng|Trung tâm)$/u.test(words[0] ?? '')
    ) {
      t = words.slice(i).join(' ');
      break;
    }
  }
  t = t.split(/;\s*/)[0] ?? t;
  const is = t.search(/\s+là\s+/u);
  if (is > 0 && t.slice(0, is).split(/\s+/).length >= 4) t = t.slice(0, is);
  return t;
}

/**
 * Tasks written as bullets ("- Tổ chức …"), each followed by its labelled lines. Stops at the first
 * line that is neither a bullet nor a labelled line.
 */
export function readBulletTasks(lines: SourceLine[]): PendingTask[] {
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
      const paren = /^(.*?)\s*\(([^()]*(?:chủ trì|phối hợp|thời gian|thời hạn|hoàn thành)[^()]*)\)\s*[.;:]?$/iu.exec(
        g.title,
      );
      const extra = paren?.[2] ? paren[2].split(/;\s*/).map((text) => ({ text, line: g.head.line })) : [];
      const title = trimTitle(paren?.[1] ?? g.title);
      return {
        ref: null,
        title: capitalise(title),
        line: g.head.line,
        fields: readFields([...extra, { text: g.title, line: g.head.line }, ...g.body]),
      };
    })
    .filter((t) => t.title.split(/\s+/).length >= 3);
}

/** Tasks listed in one sentence after a cue ("các nhiệm vụ, giải pháp như: …"). */
export function readProseTasks(lines: SourceLine[], assignmentLine: number | undefined): PendingTask[] {
  const tasks: PendingTask[] = [];
  for (const [index, l] of lines.entries()) {
    if (l.line === assignmentLine) continue;
    const cue =
      /(?:các\s+)?(?:nhiệm vụ|giải pháp|nội dung|hoạt động)(?:,\s*(?:nhiệm vụ|giải pháp|nội dung|hoạt động))*(?:\s+(?:trọng tâm|chủ yếu|cụ thể))*\s+(?:như(?:\s+sau)?|sau|gồm)\s*:?\s*/iu.exec(
        l.text,
      );
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
        tasks.push({
          ref: null,
          title: capitalise(title),
          line: l.line,
          fields: { lead: [], coordinators: [], timingText: null, deliverable: null },
        });
      }
    }
    if (tasks.length > 0) break;
  }
  return tasks;
}
