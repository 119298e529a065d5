/** Labelled lines inside a task ("Cơ quan chủ trì: …") and the agency phrases they hold. */
import { splitAgencyList } from './agency-names';

export type FieldName = 'lead' | 'coordinators' | 'timing' | 'deliverable' | 'content';

/** Checked in order: the lead pattern is the loosest, so it comes last. */
const FIELD_PATTERNS: [FieldName, RegExp][] = [
  [
    'coordinators',
    /^(?:(?:cơ quan|đơn vị|bộ phận)(?:,\s*(?:cơ quan|đơn vị|tổ chức))*\s+)?phối hợp(?:\s+thực hiện)?\s*:\s*/iu,
  ],
  [
    'timing',
    /^(?:thời gian|thời hạn|tiến độ|mốc thời gian)(?:\s+(?:thực hiện|hoàn thành|hoàn tất|triển khai|tổ chức|báo cáo|nộp))?\s*:\s*/iu,
  ],
  [
    'deliverable',
    /^(?:kết quả|sản phẩm)(?:\s*(?:\/|,|và)\s*(?:sản phẩm|kết quả))?(?:\s+(?:thực hiện|đầu ra|dự kiến))?\s*:\s*/iu,
  ],
  ['content', /^nội dung(?:\s+thực hiện)?\s*:\s*/iu],
  [
    'lead',
    /^(?:(?:cơ quan|đơn vị|bộ phận)(?:,\s*(?:cơ quan|đơn vị|tổ chức))*\s+(?:chủ trì|thực hiện|chịu trách nhiệm|đầu mối)[^:]{0,25}|chủ trì(?:\s+thực hiện)?|trách nhiệm thực hiện)\s*:\s*/iu,
  ],
];

/** Strips a leading bullet ("-", "+", "•", "*") and returns the marker with the rest. */
export function stripBullet(text: string): { bullet: string | null; rest: string } {
  const m = /^([-–+•*])\s*(.*)$/u.exec(text);
  return m ? { bullet: m[1] ?? null, rest: (m[2] ?? '').trim() } : { bullet: null, rest: text.trim() };
}

/** Reads "Label: value" when the label is a known task field; otherwise undefined. */
export function readField(text: string): { name: FieldName; value: string } | undefined {
  const { rest } = stripBullet(text);
  for (const [name, pattern] of FIELD_PATTERNS) {
    const m = pattern.exec(rest);
    if (m)
      return {
        name,
        value: rest
          .slice(m[0].length)
          .trim()
          .replace(/[.;]+$/, '')
          .trim(),
      };
  }
  return undefined;
}

/** Where an agency phrase stops and the description of the work begins. */
/** Lower case only: in names the words are capitalised ("Sở Xây dựng"), and "địa chính - xây dựng" names a field. */
const WORK_VERB =
  /(?<![-–]\s*)\s+(?:(?:tổ chức\s+)?(?:triển khai|thực hiện)|tham mưu|xây dựng|ban hành|chỉ đạo|hướng dẫn|tổ chức các|để|nhằm|theo dõi|lựa chọn|có trách nhiệm|chịu trách nhiệm)(?![\p{L}\p{N}])/u;

/** Cuts an agency phrase at the first verb of the work it describes. */
export function cutAtWork(text: string): string {
  const i = text.search(WORK_VERB);
  return (i > 0 ? text.slice(0, i) : text).trim();
}

/**
 * Reads a lead phrase: "Sở X chủ trì, phối hợp với A, B tham mưu …" gives lead ["Sở X"] and the
 * partners ["A", "B"]; a plain list gives each agency.
 */
export function readLeadPhrase(value: string): { lead: string[]; partners: string[] } {
  const m = /^(.*?)\s*,?\s*(?:chủ trì)(?![\p{L}\p{N}])\s*,?\s*(?:(?:và\s+)?phối hợp(?:\s+với)?\s+(.*))?$/iu.exec(value);
  if (m)
    return { lead: splitAgencyList(cutAtWork(m[1] ?? '')), partners: m[2] ? splitAgencyList(cutAtWork(m[2])) : [] };
  const p = /^(.*?)\s*,?\s*phối hợp với\s+(.*)$/iu.exec(value);
  if (p) return { lead: splitAgencyList(cutAtWork(p[1] ?? '')), partners: splitAgencyList(cutAtWork(p[2] ?? '')) };
  return { lead: splitAgencyList(cutAtWork(value)), partners: [] };
}

/** Reads a coordinators phrase: a list of agencies, cut before the work they do. */
export function readCoordinatorPhrase(value: string): string[] {
  return splitAgencyList(cutAtWork(value.replace(/^(?:với\s+)/iu, '')));
}
