/**
 * Agency names as plans write them: splitting a list into names, normalising a name for comparison,
 * and resolving a name against an agency directory.
 */

/** The part of an agency directory the reader needs (plans/FORMAT.md). */
export interface DirectoryLike {
  agencies: { id: string; name: string; aliases?: string[] }[];
  groups?: { id: string; name: string }[];
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

const LEVEL_SUFFIX = /\s+(?:tinh|thanh pho|huyen|thi xa|thi tran|quan|xa|phuong|dac khu)\s+[a-z0-9 ]+$/;
const LEVEL_SUFFIX_KEEP_LEVEL = /(\s+(?:tinh|thanh pho|huyen|thi xa|thi tran|quan|xa|phuong|dac khu))\s+[a-z0-9 ]+$/;

/**
 * Resolves a plan's agency name to a directory id: exact name, alias or group name (after
 * normalisation) gives confidence 1; the directory name without its place qualifier ("Sở Tư pháp"
 * for "Sở Tư pháp tỉnh X") gives 0.9; the plan name's words all inside exactly one directory name
 * gives 0.7. Ambiguous or unknown names give undefined.
 */
export function resolveAgency(name: string, directory: DirectoryLike): { id: string; confidence: number } | undefined {
  const key = normaliseAgencyName(name);
  if (!key) return undefined;
  const entries: { id: string; keys: string[] }[] = [
    ...directory.agencies.map((a) => ({ id: a.id, keys: [a.name, ...(a.aliases ?? [])].map(normaliseAgencyName) })),
    ...(directory.groups ?? []).map((g) => ({ id: g.id, keys: [normaliseAgencyName(g.name)] })),
  ];
  const exact = entries.filter((e) => e.keys.includes(key));
  if (exact.length === 1 && exact[0]) return { id: exact[0].id, confidence: 1 };
  if (exact.length > 1) return undefined;

  const unqualified = entries.filter((e) =>
    e.keys.some((k) => k.replace(LEVEL_SUFFIX, '') === key || k.replace(LEVEL_SUFFIX_KEEP_LEVEL, '$1') === key),
  );
  if (unqualified.length === 1 && unqualified[0]) return { id: unqualified[0].id, confidence: 0.9 };
  if (unqualified.length > 1) return undefined;

  const words = key.split(' ');
  if (words.length < 2) return undefined;
  const containing = entries.filter((e) =>
    e.keys.some((k) => {
      const have = new Set(k.split(' '));
      return words.every((w) => have.has(w)) && k.split(' ').length - words.length <= 3;
    }),
  );
  if (containing.length === 1 && containing[0]) return { id: containing[0].id, confidence: 0.7 };
  return undefined;
}

/** Words that alone do not name one agency: "các cơ quan, tổ chức, đơn vị liên quan". */
const GENERIC_WORDS = new Set(
  [
    'cac', 'co', 'quan', 'to', 'chuc', 'don', 'vi', 'so', 'ban', 'nganh', 'doan', 'the', 'dia', 'phuong',
    'ca', 'nhan', 'doanh', 'nghiep', 'lien', 'khac', 'cung', 'cap', 'hoi', 'phong', 'huu', 'tren', 'ban',
    'va', 'thanh', 'vien', 'nhung', 'tinh', 'pho', 'huyen', 'xa', 'phuong', 'dac', 'khu', 'truc', 'thuoc', 'nganh',
  ],
);

/** True when the name is a generic description ("các cơ quan, đơn vị có liên quan"), not one agency. */
export function isGenericAgencyName(name: string): boolean {
  const words = foldText(name).split(' ').filter(Boolean);
  return words.length > 0 && words.every((w) => GENERIC_WORDS.has(w)) && /^(cac|co quan|to chuc|don vi|nhung)\b/.test(foldText(name));
}

/** Words that start a new agency name in a list. */
const AGENCY_HEAD =
  /^(?:các|cơ quan|tổ chức|đơn vị|những|sở|ubnd|ủy ban|uỷ ban|ubmttq|mttq|mặt trận|hđnd|hội|ban|phòng|văn phòng|đoàn|tòa án|toà án|viện|công an|bộ|cục|chi cục|đài|báo|trung tâm|trường|liên đoàn|liên minh|thanh tra|kho bạc|ngân hàng|bảo hiểm|cục|quân|bộ chỉ huy|tỉnh|huyện|thành|tổng|đảng|thường trực|tổ|cá nhân|doanh nghiệp|chi nhánh|công ty|người|hợp tác xã|bệnh viện|câu lạc bộ|chi hội|thôn|bản|khu phố|ấp)(?![\p{L}\p{N}])/iu;

/** Bodies named by their fields, whose names hold commas: "Sở Văn hóa, Thể thao và Du lịch". */
const FIELD_NAMED = /^(?:Sở|Bộ|Ban|Cục|Vụ|Viện|Chi cục|Báo|Đài|Trung tâm|Hội|Học viện|Bảo tàng|Trường)\s/u;

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
  const cleaned = text.replace(/\s+/g, ' ').replace(/[.;:,\s]+$/, '').trim();
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
      } else if (prevSep === 'và' && /(?:HĐND|Hội đồng nhân dân)$/iu.test(last) && /^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?![\p{L}\p{N}])/iu.test(piece)) {
        names[names.length - 1] = `${last}${joiner}${piece}`;
      } else if (isPureGeneric(piece) && isPureGeneric(last) && !/^(?:các|những)(?![\p{L}\p{N}])/iu.test(piece) && !/^(?:Sở|Ban|Hội|Phòng)$/u.test(piece)) {
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
  if (m?.[2] && /^(?:UBND|Ủy ban|Uỷ ban|Sở|Phòng|Ban)(?![\p{L}\p{N}]).*(?<![\p{L}\p{N}])cấp(?![\p{L}\p{N}])/iu.test(m[2].trim())) return m[2].trim();
  return name.trim();
}
