/**
 * Agency names as plans write them: splitting a list into names, normalising a name for comparison,
 * and resolving a name against an agency directory.
 */

/** The part of an agency directory the reader needs (plans/FORMAT.md). */
export interface DirectoryLike {
  agencies: { id: string; name: string; aliases?: string[]; level?: string }[];
  groups?: { id: string; name: string; members?: string[] }[];
}

/** Lower case, no diacritics (đ → d), punctuation folded to spaces, single spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const ABBREVIATIONS: [RegExp, string][] = [
  // Names of departments by their initials, as plans write them ("Sở TT&TT", "Sở KH&CN", "Sở GDĐT").
  [/\btt ?tt\b|\btttt\b/g, 'thong tin va truyen thong'],
  [/\bkh ?cn\b/g, 'khoa hoc va cong nghe'],
  [/\bgd ?dt\b/g, 'giao duc va dao tao'],
  [/\bkh ?dt\b/g, 'ke hoach va dau tu'],
  [/\bvh ?tt ?dl\b|\bvh ?tt ?va ?dl\b/g, 'van hoa the thao va du lich'],
  [/\bnn ?ptnt\b/g, 'nong nghiep va phat trien nong thon'],
  [/\bnn ?mt\b/g, 'nong nghiep va moi truong'],
  [/\btn ?mt\b/g, 'tai nguyen va moi truong'],
  [/\bld ?tb ?xh\b|\bldtbxh\b/g, 'lao dong thuong binh va xa hoi'],
  [/\bgtvt\b|\bgt ?vt\b/g, 'giao thong van tai'],
  [/\bbhxh\b/g, 'bao hiem xa hoi'],
  [/\bptth\b|\bpt ?th\b/g, 'phat thanh va truyen hinh'],
  [/\bbchqs\b/g, 'bo chi huy quan su'],
  [/\blhpn\b/g, 'lien hiep phu nu'],
  [/\bubmttq\b/g, 'uy ban mat tran to quoc'],
  [/\bmttq\b/g, 'mat tran to quoc'],
  [/\bubnd\b/g, 'uy ban nhan dan'],
  [/\bhdnd\b/g, 'hoi dong nhan dan'],
  [/\bso tp\b/g, 'so tu phap'],
  [/\bstp\b/g, 'so tu phap'],
  [/\btp\b/g, 'thanh pho'],
  [/\btx\b/g, 'thi xa'],
  [/\bvp\b/g, 'van phong'],
  [/\btand\b/g, 'toa an nhan dan'],
  [/\bvksnd\b/g, 'vien kiem sat nhan dan'],
  [/\bviet nam\b/g, ''],
  [/\bvn\b/g, ''],
];

/**
 * A comparison key for an agency name: folded, abbreviations expanded (UBND, HĐND, MTTQ, Sở TP…),
 * "Việt Nam" dropped (plans write "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" and "Ủy ban MTTQ tỉnh" alike).
 */
export function normaliseAgencyName(name: string): string {
  let key = foldText(name);
  for (const [pattern, replacement] of ABBREVIATIONS) key = key.replace(pattern, replacement);
  return key.replace(/\s+/g, ' ').replace(/^cac /, '').trim();
}

/** The same name in any word order ("Công an tỉnh" and "tỉnh Công an" aside, mostly lists): sorted words, no "và"/"các". */
function orderFreeKey(key: string): string {
  return key
    .split(' ')
    .filter((w) => w && w !== 'va' && w !== 'cac')
    .sort()
    .join(' ');
}

export type AgencyLevelHint = 'district' | 'commune' | 'department';

/** The level a group phrase names: "các huyện, thị xã, thành phố", "UBND cấp xã", "các sở, ban, ngành". */
export function groupLevelOf(name: string): AgencyLevelHint | undefined {
  const k = normaliseAgencyName(name);
  if (/\bcap huyen\b|\bcac (?:huyen|quan)\b|\bhuyen thi xa\b|\bquan huyen\b|\bhuyen thanh pho\b/.test(k))
    return 'district';
  if (
    /\bcap xa\b|\bcac (?:xa|phuong)\b|\bxa phuong\b|\bphuong xa\b|\bxa thi tran\b|\bphuong thi tran\b|\bdac khu\b/.test(
      k,
    ) &&
    !/\bxa hoi\b/.test(k)
  )
    return 'commune';
  if (/^(?:so ban nganh|so nganh|so\b.*\bnganh\b)|\bcac so\b/.test(k) && !/\bso [a-z]+ (?:tinh|thanh pho)$/.test(k))
    return 'department';
  return undefined;
}

export interface AgencyCandidate {
  id: string;
  name: string;
  kind: 'agency' | 'group';
  /** 1 exact name or alias; 0.95 same words in another order; 0.9 without the place; 0.85 the group a class phrase names; 0.7 contained; below, a fuzzy suggestion. */
  confidence: number;
  how: 'exact' | 'word-order' | 'unqualified' | 'group-level' | 'contained' | 'similar';
}

const LEVEL_SUFFIX = /\s+(?:tinh|thanh pho|huyen|thi xa|thi tran|quan|xa|phuong|dac khu)\s+[a-z0-9 ]+$/;
const LEVEL_SUFFIX_KEEP_LEVEL = /(\s+(?:tinh|thanh pho|huyen|thi xa|thi tran|quan|xa|phuong|dac khu))\s+[a-z0-9 ]+$/;

interface Entry {
  id: string;
  name: string;
  kind: 'agency' | 'group';
  keys: string[];
  level?: string;
}

function entriesOf(directory: DirectoryLike): Entry[] {
  const levelById = new Map(directory.agencies.map((a) => [a.id, a.level]));
  return [
    ...directory.agencies.map((a): Entry => ({
      id: a.id,
      name: a.name,
      kind: 'agency',
      keys: [a.name, ...(a.aliases ?? [])].map(normaliseAgencyName),
      level: a.level,
    })),
    ...(directory.groups ?? []).map((g): Entry => {
      const levels = new Set((g.members ?? []).map((m) => levelById.get(m)).filter(Boolean));
      const fromMembers = levels.size === 1 ? [...levels][0] : undefined;
      return {
        id: g.id,
        name: g.name,
        kind: 'group',
        keys: [normaliseAgencyName(g.name)],
        level: groupLevelOf(g.name) ?? fromMembers,
      };
    }),
  ];
}

function tokenJaccard(a: string, b: string): number {
  const ta = new Set(a.split(' ').filter(Boolean));
  const tb = new Set(b.split(' ').filter(Boolean));
  let common = 0;
  for (const t of ta) if (tb.has(t)) common += 1;
  return ta.size + tb.size === 0 ? 0 : common / (ta.size + tb.size - common);
}

/**
 * Directory entries a name written in a plan may mean, best first: the exact name or an alias
 * (abbreviations expanded: "UBND" = "Ủy ban nhân dân", "Sở TT&TT" = "Sở Thông tin và Truyền thông"),
 * the same words in another order, the name without its place ("Công an tỉnh" for "Công an tỉnh X"),
 * the group a class phrase names ("các huyện, thị xã, thành phố" → the district group), a directory
 * name that contains all its words, then names that share most words (suggestions only).
 */
export function matchAgency(name: string, directory: DirectoryLike, limit = 5): AgencyCandidate[] {
  const key = normaliseAgencyName(name);
  if (!key) return [];
  const entries = entriesOf(directory);
  const out = new Map<string, AgencyCandidate>();
  const add = (e: Entry, confidence: number, how: AgencyCandidate['how']): void => {
    const prev = out.get(e.id);
    if (!prev || prev.confidence < confidence) out.set(e.id, { id: e.id, name: e.name, kind: e.kind, confidence, how });
  };
  const orderFree = orderFreeKey(key);
  const words = key.split(' ');
  const level = groupLevelOf(name);
  for (const e of entries) {
    if (e.keys.includes(key)) add(e, 1, 'exact');
    else if (e.keys.some((k) => orderFreeKey(k) === orderFree)) add(e, 0.95, 'word-order');
    else if (
      e.keys.some((k) => k.replace(LEVEL_SUFFIX, '') === key || k.replace(LEVEL_SUFFIX_KEEP_LEVEL, '$1') === key)
    )
      add(e, 0.9, 'unqualified');
    else if (level && e.kind === 'group' && e.level === level) add(e, 0.85, 'group-level');
    else if (
      words.length >= 2 &&
      e.keys.some((k) => {
        const have = new Set(k.split(' '));
        return words.every((w) => have.has(w)) && k.split(' ').length - words.length <= 3;
      })
    )
      add(e, 0.7, 'contained');
    else {
      const j = Math.max(...e.keys.map((k) => tokenJaccard(key, k)));
      if (j >= 0.5) add(e, Math.round(j * 0.6 * 100) / 100, 'similar');
    }
  }
  return [...out.values()].sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name)).slice(0, limit);
}

/**
 * Resolves a plan's agency name to a directory id: exact name, alias or group name (after
 * normalisation) gives confidence 1; the same words in another order 0.95; the directory name
 * without its place qualifier ("Sở Tư pháp" for "Sở Tư pháp tỉnh X") 0.9; the group a class phrase
 * names 0.85; the plan name's words all inside exactly one directory name 0.7. Ambiguous (two
 * entries at the best level) or unknown names give undefined.
 */
export function resolveAgency(name: string, directory: DirectoryLike): { id: string; confidence: number } | undefined {
  const candidates = matchAgency(name, directory, 10).filter((c) => c.how !== 'similar');
  const best = candidates[0];
  if (!best) return undefined;
  if (candidates.filter((c) => c.confidence === best.confidence).length > 1) return undefined;
  return { id: best.id, confidence: best.confidence };
}

/** Words that alone do not name one agency: "các cơ quan, tổ chức, đơn vị liên quan". */
const GENERIC_WORDS = new Set([
  'cac',
  'co',
  'quan',
  'to',
  'chuc',
  'don',
  'vi',
  'so',
  'ban',
  'nganh',
  'doan',
  'the',
  'dia',
  'phuong',
  'ca',
  'nhan',
  'doanh',
  'nghiep',
  'lien',
  'khac',
  'cung',
  'cap',
  'hoi',
  'phong',
  'huu',
  'tren',
  'ban',
  'va',
  'thanh',
  'vien',
  'nhung',
  'tinh',
  'pho',
  'huyen',
  'xa',
  'phuong',
  'dac',
  'khu',
  'truc',
  'thuoc',
  'nganh',
]);

/** True when the name is a generic description ("các cơ quan, đơn vị có liên quan"), not one agency. */
export function isGenericAgencyName(name: string): boolean {
  const words = foldText(name).split(' ').filter(Boolean);
  return (
    words.length > 0 &&
    words.every((w) => GENERIC_WORDS.has(w)) &&
    /^(cac|co quan|to chuc|don vi|nhung)\b/.test(foldText(name))
  );
}

/** Words that start a new agency name in a list. */
const AGENCY_HEAD =
  /^(?:các|cơ quan|tổ chức|đơn vị|những|sở|ubnd|ủy ban|uỷ ban|ubmttq|mttq|mặt trận|hđnd|hội|ban|phòng|văn phòng|đoàn|tòa án|toà án|viện|công an|bộ|cục|chi cục|đài|báo|trung tâm|trường|liên đoàn|liên minh|thanh tra|kho bạc|ngân hàng|bảo hiểm|cục|quân|bộ chỉ huy|tỉnh|huyện|thành|tổng|đảng|thường trực|tổ|cá nhân|doanh nghiệp|chi nhánh|công ty|người|hợp tác xã|bệnh viện|câu lạc bộ|chi hội|thôn|bản|khu phố|ấp)(?![\p{L}\p{N}])/iu;

/** Bodies named by their fields, whose names hold commas: "Sở Văn hóa, Thể thao và Du lịch". */
const FIELD_NAMED = /^(?:Sở|Bộ|Ban|Cục|Vụ|Viện|Chi cục|Báo|Đài|Trung tâm|Hội|Học viện|Bảo tàng|Trường)\s/u;

/** A class of bodies named by one bare word ("Viện", "Trường"): listed together they name one class. */
const BARE_CLASS = /^(?:viện|trường|sở|ban|ngành|hội|doanh nghiệp|đoàn thể|địa phương)$/iu;

/** Place-level words that continue a list of units ("UBND các huyện, thị xã, thành phố"). */
const PLACE_LEVEL = /^(?:xã|phường|thị trấn|thị xã|thành phố|huyện|quận|tỉnh|đặc khu)$/i;

function isPureGeneric(name: string): boolean {
  const words = foldText(name).split(' ').filter(Boolean);
  return words.length > 0 && words.every((w) => GENERIC_WORDS.has(w));
}

function splitOutsideParens(text: string): { part: string; sep: string }[] {
  const out: { part: string; sep: string }[] = [];
  let depth = 0;
  let current = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ';')) {
      out.push({ part: current, sep: ch });
      current = '';
      i += 1;
      continue;
    }
    if (depth === 0) {
      const m = /^\s+và\s+/i.exec(text.slice(i));
      if (m) {
        out.push({ part: current, sep: 'và' });
        current = '';
        i += m[0].length;
        continue;
      }
    }
    current += ch;
    i += 1;
  }
  out.push({ part: current, sep: '' });
  return out;
}

/**
 * Splits a written list of agencies into names, following the gold rules: commas, semicolons and
 * "và" separate names, but not inside a name ("Sở Thông tin và Truyền thông", "Văn phòng HĐND và
 * UBND"), a list of place levels stays one name ("UBND các huyện, thị xã, thành phố") and so does a
 * generic list ("các cơ quan, tổ chức, đơn vị liên quan"); in a shared list "UBND cấp huyện, cấp xã"
 * the left-out head is added back ("UBND cấp xã"). A trailing "(UBND cấp xã)" that renames the whole
 * item wins over the long form.
 */
export function splitAgencyList(text: string): string[] {
  const cleaned = text
    .replace(/\s+/g, ' ')
    .replace(/[.;:,\s]+$/, '')
    .trim();
  if (!cleaned) return [];
  const pieces = splitOutsideParens(cleaned);
  const names: string[] = [];
  let prevSep = '';
  for (const { part, sep } of pieces) {
    const piece = part.trim();
    if (!piece) {
      prevSep = sep || prevSep;
      continue;
    }
    const last = names[names.length - 1];
    const joiner = prevSep === 'và' ? ' và ' : `${prevSep} `;
    if (last !== undefined) {
      const levelMatch = /^cấp\s+\S+/i.exec(piece);
      if (levelMatch) {
        const head = /^(.*?)\s+cấp\s+\S+/i.exec(last);
        names.push(head?.[1] ? `${head[1]} ${piece}` : piece);
      } else if (PLACE_LEVEL.test(piece.replace(/\s*\(.*\)$/, ''))) {
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else if (
        prevSep === 'và' &&
        /(?:HĐND|Hội đồng nhân dân)$/iu.test(last) &&
        /^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?![\p{L}\p{N}])/iu.test(piece)
      ) {
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else if (
        prevSep === 'và' &&
        /^Ban quản lý(?![\p{L}\p{N}])/iu.test(last) &&
        /^(?:các\s+)?khu(?![\p{L}\p{N}])/iu.test(piece)
      ) {
        // "Ban Quản lý Khu kinh tế … và các Khu công nghiệp …": one board over several zones.
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else if (prevSep === ',' && BARE_CLASS.test(piece) && last.split(/,\s*/).every((w) => BARE_CLASS.test(w))) {
        // "Viện, Trường": bare class words listed together name one class of bodies.
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else if (
        isPureGeneric(piece) &&
        isPureGeneric(last) &&
        !/^(?:các|những)(?![\p{L}\p{N}])/iu.test(piece) &&
        !/^(?:Sở|Ban|Hội|Phòng)$/u.test(piece)
      ) {
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else if (!AGENCY_HEAD.test(piece) && (prevSep === 'và' || !/^\p{Lu}/u.test(piece) || FIELD_NAMED.test(last))) {
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else {
        names.push(piece);
      }
    } else {
      names.push(piece);
    }
    prevSep = sep;
  }
  return names.map(preferShortForm).filter((n) => n.length > 0);
}

function preferShortForm(name: string): string {
  const m = /^(.*?)\s*\(([^()]+)\)$/.exec(name);
  if (
    m?.[2] &&
    /^(?:UBND|Ủy ban|Uỷ ban|Sở|Phòng|Ban)(?![\p{L}\p{N}]).*(?<![\p{L}\p{N}])cấp(?![\p{L}\p{N}])/iu.test(m[2].trim())
  )
    return m[2].trim();
  return name.trim();
}
