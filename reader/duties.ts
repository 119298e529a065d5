/**
 * Reading assignments in running text: an agency heading ("2. Sở Tài chính", "Đề nghị Ủy ban MTTQ
 * tỉnh:"), a sentence whose subject is an agency ("Sở Nội vụ hướng dẫn …"), a duty under such a
 * heading ("Phối hợp với Sở Y tế tham mưu …"), and the timing phrase a sentence carries
 * ("trước ngày 15/12 hằng năm", "Định kỳ hằng năm (trước ngày 25 tháng 10)").
 */
import { foldText, splitAgencyList } from './agency-names';
import { cutAtWork } from './fields';

/** Words that open an agency name (any case). */
const AGENCY_START =
  /^(?:(?:các|những)\s+(?:sở|ban|ngành|cơ quan|đơn vị|tổ chức|doanh nghiệp|chủ đầu tư|cơ sở|hội|trường|địa phương|xã|phường|huyện|tỉnh|bộ|ủy ban|uỷ ban|ubnd|phòng|trung tâm|ngân hàng|đoàn thể|lực lượng|cá nhân|hợp tác xã|nhà mạng|đài|báo|thành viên|chi cục|cục|viện|tòa|toà|cấp|đối tượng|bên|nhà|chủ|thôn|tổ)|sở|ban(?!\s+hành)|ubnd|ủy ban|uỷ ban|ubmttq|mttq|mặt trận|hđnd|hội đồng|hội(?!\s+(?:nghị|thảo|thi|diễn|chợ|viên))|liên hiệp|liên đoàn|liên minh|hiệp hội|phòng(?!\s+(?:chống|ngừa|cháy|tránh|dịch|bệnh))|văn phòng|đoàn(?!\s+(?:viên|kiểm tra|công tác|giám sát))|tòa án|toà án|viện|công an|bộ chỉ huy|ban chỉ huy|bộ(?!\s+(?:tiêu chí|máy|phận|công cụ|hồ sơ|tài liệu|đội|quy tắc|chỉ số))|cục|chi cục|đài|báo(?!\s+cáo)|trung tâm|trường(?!\s+hợp)|thanh tra|kho bạc|ngân hàng|bảo hiểm|tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|đảng ủy|đảng uỷ|thường trực|cơ quan|đơn vị|doanh nghiệp|chi nhánh|công ty|tổng công ty|hợp tác xã|bệnh viện|thuế|hải quan|chủ đầu tư|cơ sở(?!\s+(?:dữ liệu|vật chất|pháp lý|hạ tầng))|công chức|chủ tịch (?:ủy ban|uỷ ban|ubnd)|tổ (?:hòa giải|công tác|dân phố|giúp việc)|quỹ|cảng vụ|điện lực|bưu điện|viettel|vnpt)(?![\p{L}\p{N}])/iu;

/** A person's title or a non-agency word that opens a heading: never a lead. */
const NOT_AGENCY =
  /^(?:trưởng|phó|đồng chí|đ\/c|giám đốc|thủ trưởng|lãnh đạo|người đứng đầu|cán bộ|mục|nội dung|thời gian|kinh phí|địa điểm|thành phần|đối tượng|hình thức|số lượng|tiêu chí|chỉ tiêu|yêu cầu|mục đích|các bước|phương pháp|dự án|tiểu dự án)(?![\p{L}\p{N}])/iu;

/** A person's title: a person is never the lead agency. */
const PERSON = /^(?:trưởng|phó|đồng chí|đ\/c|giám đốc|thủ trưởng|lãnh đạo|người đứng đầu|cán bộ)(?![\p{L}\p{N}])/iu;

/** Lower-case verbs that end the subject of an assignment ("Sở Nội vụ | hướng dẫn …"). */
const VERB =
  /(?<![-–,]\s*)\s+(?:có trách nhiệm|chịu trách nhiệm|là cơ quan|là đầu mối|(?<!(?:cơ quan|đơn vị) )chủ trì|(?<!(?:cơ quan|đơn vị) )phối hợp|tham mưu|căn cứ|chỉ đạo|hướng dẫn|chủ động|thường xuyên|(?<!các |những )tổ chức|theo dõi|triển khai|thực hiện|xây dựng|ban hành|gửi|báo cáo|tổng hợp|rà soát|kiểm tra|phát huy|tiếp tục|tăng cường|đẩy mạnh|bố trí|huy động|quyết định|xem xét|thẩm định|cử|lập|nghiên cứu|đề xuất|cung cấp|phổ biến|tuyên truyền|vận động|giám sát|đảm bảo|bảo đảm|hỗ trợ|thành lập|phân công|trình|định kỳ|khẩn trương|kịp thời|tích cực|nghiêm túc|quan tâm|ưu tiên|lựa chọn|đôn đốc|sử dụng|đăng tải|cập nhật|tập trung|chuẩn bị|tham gia|phát động|vận hành|(?<!chủ |nhà )đầu tư|thông báo|thu thập|đánh giá|hoàn thành|hoàn thiện|ký kết|chia sẻ|tiếp nhận|xử lý|kiện toàn|củng cố|biên soạn|phát hành|duy trì|nâng cao|ứng dụng|số hóa|trong phạm vi|theo chức năng|được giao|cần|phải|sẽ)(?![\p{L}\p{N}])/u;

/** Lead-ins before the subject: "Giao", "Đề nghị", "Trên cơ sở …,", "Căn cứ …,". */
const LEAD_IN =
  /^(?:(?:căn cứ|theo)(?:\s+vào)?\s+chức năng,?\s*nhiệm vụ(?:,?\s*quyền hạn)?(?:\s+(?:được giao|của mình|của đơn vị|của cơ quan))?\s*,?\s*|(?:trên cơ sở|căn cứ|theo đó|đồng thời|ngoài ra|trong đó|sau khi)[^,;:]{0,160},\s*|(?:giao|đề nghị|yêu cầu|khuyến khích)\s+)/iu;

function stripLeadIns(text: string): string {
  let t = text.trim();
  for (let i = 0; i < 4; i += 1) {
    const m = LEAD_IN.exec(t);
    if (!m) break;
    t = t.slice(m[0].length).trim();
  }
  return t;
}

/** True when the text reads as an agency name (or a list of them), not a sentence. */
export function isAgencyName(text: string): boolean {
  const t = text.trim().replace(/[.:;,]+$/, '');
  if (!t || NOT_AGENCY.test(t) || !AGENCY_START.test(t)) return false;
  if (t.split(/\s+/).length > 30) return false;
  return !VERB.test(` ${t.replace(/\([^()]*\)/g, ' ')}`.replace(/^\s+/, ' ')) || /^\s*$/.test(t);
}

function cleanName(text: string): string {
  return text
    .replace(/\s*\((?:gồm|bao gồm|trong đó|sau đây gọi|gọi tắt|viết tắt|cơ quan thường trực)[^()]*\)\s*/giu, ' ')
    .replace(/\s+[-–]\s+(?:Cơ quan|cơ quan|Thường trực|thường trực)[^;:]*$/u, '')
    .replace(/\s+/g, ' ')
    .replace(/[.:;,\s]+$/u, '')
    .trim();
}

export interface AgencyHeading {
  leads: string[];
  coordinators: string[];
  /** The duty written after "Agency:" on the same line, if any. */
  duty: string | null;
}

/**
 * Reads a heading that names who does the work below it: "1. Sở Y tế", "4. Sở Văn hóa, Thể thao
 * và Du lịch; Đài Truyền thanh X", "Đề nghị Ủy ban MTTQ tỉnh:", "Trách nhiệm của
 * các cơ quan cấp trên (gồm …):", "Sở X - Cơ quan thường trực", "Sở X phối
 * hợp Ban Y: hướng dẫn …", "3. Sở Tư pháp: Chủ trì, phối hợp …".
 */
export function readAgencyHeading(text: string): AgencyHeading | undefined {
  let t = text.trim();
  let responsibleOf = false;
  const resp = /^(?:trách nhiệm|nhiệm vụ)(?:\s+cụ thể)?\s+của\s+/iu.exec(t);
  if (resp) {
    t = t.slice(resp[0].length);
    responsibleOf = true;
  }
  t = t.replace(/^(?:đề nghị|giao)\s*:?\s+/iu, '');
  let namePart = t;
  let duty: string | null = null;
  const colon = findColonOutsideParens(t);
  if (colon >= 0) {
    namePart = t.slice(0, colon);
    duty = t.slice(colon + 1).trim() || null;
  }
  const partnerMatch = /^(.*?)\s+phối hợp(?:\s+(?:chặt chẽ\s+)?với)?\s+(.+)$/iu.exec(namePart);
  // "Sở X phối hợp Ban Y:" names partners; "Phòng X phối hợp thực hiện" is a sentence, not a heading.
  if (partnerMatch?.[2] && !AGENCY_START.test(partnerMatch[2].trim())) return undefined;
  const partner = partnerMatch;
  const name = cleanName(partner?.[1] ?? namePart);
  if (!name || PERSON.test(name) || /^thành viên/iu.test(name)) return undefined;
  // "Các cơ quan quản lý chuyên ngành": a heading naming a class of bodies may hold verbs.
  const classOfBodies =
    duty === null &&
    /^(?:các|những)\s+(?:sở|ban|ngành|cơ quan|đơn vị|tổ chức|doanh nghiệp|cơ sở|chủ đầu tư|nhà mạng|nhà đầu tư|hộ|hợp tác xã|trường|bệnh viện)(?![\p{L}\p{N}])/iu.test(
      name,
    ) &&
    name.split(/\s+/).length <= 24;
  if (!responsibleOf && !classOfBodies && !isAgencyName(name)) return undefined;
  const leads = name.split(/\s*;\s*/).flatMap((n) => splitAgencyList(n));
  if (leads.length === 0) return undefined;
  return { leads, coordinators: partner?.[2] ? splitAgencyList(cleanName(partner[2])) : [], duty };
}

function findColonOutsideParens(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ':' && depth === 0) return i;
  }
  return -1;
}

export interface Subject {
  leads: string[];
  /** The sentence from the verb on ("hướng dẫn khen thưởng …"). */
  rest: string;
}

/**
 * The agency that is the subject of a sentence: "Sở Tư pháp hướng dẫn …", "Giao Sở X tổ chức
 * …", "Trên cơ sở …, các sở, ban, ngành tỉnh căn cứ …", "Khen thưởng cấp tỉnh: Sở X phối
 * hợp …". Undefined when the sentence does not open with an agency.
 */
export function readSubject(text: string): Subject | undefined {
  // The head of a body answers for it: "Trưởng phòng X" → "Phòng X", "Giám đốc Sở X" → "Sở X".
  let t = stripLeadIns(text)
    .replace(/^trưởng\s+phòng\s+/iu, 'Phòng ')
    .replace(/^(?:giám đốc|thủ trưởng|chủ tịch)\s+(?=(?:sở|ban|các|cơ quan|đơn vị)(?![\p{L}\p{N}]))/iu, '');
  // "Label: Agency verb …" (a short label before the sentence).
  const label = /^([^:;,]{2,60}):\s+(.+)$/u.exec(t);
  if (label?.[2] && !AGENCY_START.test(t) && AGENCY_START.test(stripLeadIns(label[2]))) t = stripLeadIns(label[2]);
  if (!AGENCY_START.test(t) || NOT_AGENCY.test(t)) return undefined;
  const m = VERB.exec(t);
  if (!m || m.index === 0) return undefined;
  let subject = t.slice(0, m.index).trim();
  subject = subject.replace(/\s*[,:–-]+$/u, '').replace(/\s+(?:trong|theo|căn cứ|trên)\s+.*$/iu, '');
  if (subject.split(/\s+/).length > 25 || !isAgencyName(subject)) return undefined;
  const leads = splitAgencyList(cleanName(subject));
  if (leads.length === 0) return undefined;
  return { leads, rest: t.slice(m.index).trim() };
}

/** "… phối hợp (chặt chẽ) (với) X tham mưu …": the partners X, cut before the work they do. */
export function readPartners(text: string): string[] {
  // The partners of the duty are named in its first clause; a later "phối hợp với" is a detail.
  const first = firstSentence(text).split(/;\s+/)[0] ?? text;
  const m =
    /(?:^|\s|,)[Pp]hối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+((?:(?:các|những|Sở|Ban|Ủy ban|Uỷ ban|UBND|Công an|Hội|Bộ|Cục|Chi cục|Phòng|Văn phòng|Trung tâm|Đài|Báo|Ngân hàng|Viện|Tòa án|Toà án|Liên hiệp|Liên đoàn|Mặt trận|Đoàn|Trường|Hiệp hội|Bảo hiểm|Kho bạc|Các|Những|lực lượng|cơ quan|đơn vị|tổ chức|doanh nghiệp|chủ đầu tư|địa phương|sở|ban|ngành)(?![\p{L}\p{N}])[^.;]*))/u.exec(
      first,
    );
  if (!m?.[1]) return [];
  // "các nhà mạng (A, B, C)": the bodies named in the brackets.
  const named = /^(?:các|những)\s+[^(),;]{2,40}?\s*\(([^()]+)\)/iu.exec(m[1]);
  if (named?.[1] && named[1].split(',').length >= 2 && !/\d/.test(named[1])) return splitAgencyList(named[1]);
  const cut = cutAtVerb(
    m[1].replace(/\s*\((?!qua)[^()]*\)/g, (p) => (/(?:UBND|cấp|xã|huyện)/u.test(p) ? p : '')),
  ).replace(/\s+(?:để|nhằm|trong|khi|về)(?![\p{L}\p{N}]).*$/u, '');
  return splitAgencyList(cut).filter((n) => n.split(/\s+/).length <= 20);
}

/** Cuts an agency phrase at the first lower-case verb of the work it describes. */
export function cutAtVerb(text: string): string {
  const m = VERB.exec(text);
  return cutAtWork(m && m.index > 0 ? text.slice(0, m.index) : text).trim();
}

/** Parts of a sentence that open a duty without saying what it is. */
/** Verbs a duty's work starts with, after "Chủ trì, phối hợp với X" (lower case: names are capitalised). */
const WORK_START =
  '(?:tổ chức|triển khai|thực hiện|tham mưu|xây dựng|ban hành|chỉ đạo|hướng dẫn|kiểm tra|rà soát|theo dõi|đôn đốc|tổng hợp|nghiên cứu|đề xuất|lồng ghép|bố trí|tăng cường|đẩy mạnh|phổ biến|tuyên truyền|giám sát|cân đối|quản lý|chuyển giao|phát triển|huy động|thẩm định|lập|hỗ trợ|kiện toàn|xử lý|tiếp nhận|chia sẻ|cung cấp|vận động|thông tin|đánh giá|thu thập|giải quyết|bảo đảm|đảm bảo|để|nhằm|trong việc)(?![\\p{L}\\p{N}])';

/** Role words that open a duty without saying what it is: "Chủ trì, phối hợp với X …", "Phối hợp với X …", "Chủ động …". */
const DUTY_LEAD = new RegExp(
  `^(?:(?:[Cc]ó|[Cc]hịu) trách nhiệm\\s+|[Cc]hủ trì\\s*,?\\s*(?:và\\s+)?(?:phối hợp(?:\\s+chặt chẽ)?(?:\\s+với)?\\s+[^;.]*?(?=\\s${WORK_START}))?\\s*,?\\s*|[Pp]hối hợp(?:\\s+chặt chẽ)?\\s+với\\s+[^;.]*?(?=\\s${WORK_START})\\s*(?:để\\s+|nhằm\\s+|trong việc\\s+)?|[Cc]hủ động\\s+|[Tt]iếp tục\\s+)`,
  'u',
);

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

/**
 * A full stop that ends a sentence: before a capital, and not after an item number ("1. ", "II. ",
 * "a. ") or an abbreviation ("TP. ", "KT. "). A year may end a sentence ("… năm 2026. Sơ kết …").
 */
export const SENTENCE_END = /(?<!(?:^|[\s(])(?:\d{1,2}|[IVXLC]{1,4}|[A-ZĐa-zđ]|TP|Tp|TT|KT|TM|ThS|TS))\.\s+(?=\p{Lu})/u;

export function splitSentences(text: string): string[] {
  return text
    .split(new RegExp(SENTENCE_END.source, 'gu'))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** First sentence of a text: up to the first full stop that ends a sentence, or the whole text. */
export function firstSentence(text: string): string {
  return splitSentences(text)[0] ?? text.trim();
}

/**
 * A title an officer can scan: long asides in brackets go, and a title longer than about 120 words is
 * cut where its purpose or details begin ("… nhằm …", "… để …", "; …"), never before its 8th word.
 */
export function shortenTitle(text: string): string {
  let t = text
    .replace(/\s*\(([^()]*)\)/gu, (whole, inner: string) => (inner.split(/\s+/).length > 8 ? '' : whole))
    .replace(/\s+/g, ' ')
    .trim();
  const words = (): number => t.split(/\s+/).length;
  const cutAt = (re: RegExp): void => {
    const m = new RegExp(re.source, 'gu');
    for (let hit = m.exec(t); hit; hit = m.exec(t)) {
      if (t.slice(0, hit.index).split(/\s+/).length >= 8) {
        t = t.slice(0, hit.index).replace(/[\s,;:]+$/u, '');
        return;
      }
    }
  };
  if (words() > 120)
    cutAt(
      /\s(?:nhằm|để|nhất là|đặc biệt là|góp phần|bảo đảm|đảm bảo|theo quy định|trong đó|như sau|cụ thể)(?![\p{L}\p{N}])|:\s/u,
    );
  if (words() > 120) cutAt(/;\s/u);
  if (words() > 130) {
    const parts = t.split(/,\s/);
    let kept = '';
    for (const p of parts) {
      const next = kept ? `${kept}, ${p}` : p;
      if (next.split(/\s+/).length > 120 && kept.split(/\s+/).length >= 8) break;
      kept = next;
    }
    t = kept;
  }
  return t;
}

/** A title from a duty: the lead-in and role words cut, the first sentence, capitalised, no trailing marks. */
export function dutyTitle(text: string, timing: string | null = null): string {
  let t = stripLeadIns(text);
  if (timing && t.startsWith(timing)) t = t.slice(timing.length).replace(/^[\s,:;)–-]+/u, '');
  else if (timing) {
    // A date inside the sentence ends what the title says: "Gửi báo cáo … về Sở X trước ngày 16/12/2025 để tổng hợp".
    const at = t.indexOf(timing);
    if (at > 0 && at >= t.length * 0.35) t = t.slice(0, at).replace(/[\s,;:(–-]+$/u, '');
  }
  if (timing) t = t.replace(/^(?:thường xuyên|định kỳ|hằng năm|hàng năm)\s*,?\s*(?=\p{Ll})/iu, '');
  for (let i = 0; i < 3; i += 1) {
    const m = DUTY_LEAD.exec(t);
    if (!m || m[0].length === 0) break;
    const rest = t.slice(m[0].length).trim();
    if (rest.split(/\s+/).length < 3) break;
    t = rest;
  }
  t = shortenTitle(firstSentence(t))
    .replace(/\s+/g, ' ')
    .replace(/[:.;,…/\s]+$/u, '')
    .replace(/\s*\((?:nếu có|nếu có yêu cầu|nếu có nhu cầu)\)\s*$/iu, '')
    .trim();
  return capitalise(t);
}

const POINT =
  '(?:ngày\\s+\\d{1,2}(?:\\s*[/.-]\\s*\\d{1,2}(?:\\s*[/.-]\\s*\\d{4})?|\\s+tháng\\s+\\d{1,2}(?:\\s*(?:,\\s*)?năm\\s+\\d{4})?)?|tháng\\s+\\d{1,2}(?:\\s*[/.-]\\s*\\d{4}|\\s+năm\\s+\\d{4})?|qu[ýíyi]\\s+[IVX\\d]{1,4}(?:\\s*(?:[/-]|năm)\\s*\\d{4})?|năm\\s+\\d{4}|\\d{1,2}\\s*/\\s*\\d{1,2}(?:\\s*/\\s*\\d{4})?)';
const CYCLE = '(?:hằng|hàng|mỗi)\\s+(?:năm|quý|tháng)';

/** Timing phrases in running text, most telling first. */
const PROSE_TIMINGS: RegExp[] = [
  new RegExp(`định\\s+kỳ\\s+${CYCLE}\\s*\\([^()]{3,60}\\)`, 'iu'),
  new RegExp(
    `(?:định\\s+kỳ\\s+)?(?:trước|chậm\\s+nhất(?:\\s+là)?|không\\s+quá)\\s+${POINT}(?:\\s+(?:và|,)\\s+${POINT})*(?:\\s+${CYCLE})?(?:\\s*\\((?:hoặc\\s+)?đột\\s+xuất[^()]*\\))?`,
    'iu',
  ),
  /(?:từ|kể\s+từ)\s+(?:ngày|khi)\s+ban\s+hành[^.;]*?đến\s+khi[^.;,]*/iu,
  new RegExp(`(?:từ\\s+)${POINT}\\s+(?:đến|tới)\\s+(?:hết\\s+)?(?:${POINT})(?:\\s+${CYCLE})?`, 'iu'),
  new RegExp(`từ\\s+${POINT}(?:\\s+đến\\s+khi[^.;,]*)?`, 'iu'),
  new RegExp(`\\((?:${POINT}|${CYCLE})\\)`, 'iu'),
  /trong\s+(?:thời\s+hạn|vòng)\s+\d{1,3}\s+(?:ngày|tuần|tháng)(?:\s+làm\s+việc)?(?:\s*,?\s*kể\s+từ[^.;]*)?/iu,
  new RegExp(`định\\s+kỳ\\s+(?:${CYCLE}|\\d{1,2}\\s+tháng(?:\\s*(?:một|1|01)\\s+lần)?)`, 'iu'),
  new RegExp(`(?:trong|vào|cả|hết)\\s+(?:${POINT})`, 'iu'),
  /(?:trong\s+)?giai\s+đoạn\s+\d{4}\s*[-–]\s*\d{4}/iu,
  new RegExp(`^(?:${CYCLE}|thường\\s+xuyên)(?=[\\s,])`, 'iu'),
];

/** The timing phrase a sentence carries, verbatim, with where it starts; undefined when none. */
export function findProseTiming(text: string): { text: string; index: number } | undefined {
  for (const re of PROSE_TIMINGS) {
    const m = re.exec(text);
    if (m && m[0].trim()) return { text: m[0].trim().replace(/[,;.]+$/, ''), index: m.index };
  }
  return undefined;
}

/** Statements that are not work to follow up: encouragement, compliance, "report difficulties". */
export function isNonTask(text: string): boolean {
  const f = foldText(text);
  return (
    /^(khuyen khich|tuan thu|chap hanh|nghiem tuc thuc hien|trong qua trinh (thuc hien|trien khai)|neu co kho khan)/.test(
      f,
    ) ||
    (/phan anh (ve|kip thoi)|kho khan, vuong mac|vuong mac phat sinh,? (de nghi|bao cao)/.test(f) &&
      /^(trong qua trinh|neu)/.test(f))
  );
}
