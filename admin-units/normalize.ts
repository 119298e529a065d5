/**
 * Vietnamese-aware normalisation of administrative unit names, so that "P. Vũ Ninh", "phường Vũ Ninh",
 * "UBND phường Vũ Ninh" and "Phuong Vu Ninh" all find Phường Vũ Ninh, and "TP.HCM" finds Thành phố Hồ Chí Minh.
 * Pure: no I/O.
 */

/** The kind of unit a name announces by its prefix, when it does. */
export type UnitKind = 'tinh' | 'thanh-pho' | 'xa' | 'phuong' | 'dac-khu' | 'thi-tran' | 'huyen' | 'quan' | 'thi-xa';

/** Lower case, NFC, without diacritics (đ → d), punctuation turned into spaces, spaces collapsed. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Prefixes, longest first, with the kind they announce. Matched WITH diacritics, so "Xã Quan Sơn" keeps "Quan"
 * and "Xã Tịnh Sơn" keeps "Tịnh"; input written entirely without diacritics ("Phuong Vu Ninh") is matched on
 * the folded forms instead.
 */
const PREFIXES: readonly [string, UnitKind | null][] = [
  ['ủy ban nhân dân', null],
  ['ubnd', null],
  ['thành phố trực thuộc trung ương', 'thanh-pho'],
  ['thành phố', 'thanh-pho'],
  ['đặc khu', 'dac-khu'],
  ['thị trấn', 'thi-tran'],
  ['thị xã', 'thi-xa'],
  ['tỉnh', 'tinh'],
  ['phường', 'phuong'],
  ['xã', 'xa'],
  ['huyện', 'huyen'],
  ['quận', 'quan'],
];

/** Abbreviations written with a dot (or glued, as in "TP.HCM", "TPHCM"). */
const ABBREVIATIONS: readonly [RegExp, UnitKind][] = [
  [/^tp\.?\s*/, 'thanh-pho'],
  [/^tx\.\s*/, 'thi-xa'],
  [/^tt\.\s*/, 'thi-tran'],
  [/^p\.\s*/, 'phuong'],
  [/^x\.\s*/, 'xa'],
  [/^q\.\s*/, 'quan'],
  [/^h\.\s*/, 'huyen'],
  [/^t\.\s*/, 'tinh'],
];

/** Common short forms of whole names (folded). */
const NAME_ALIASES: Readonly<Record<string, string>> = {
  hcm: 'ho chi minh',
  'tp hcm': 'ho chi minh',
  tphcm: 'ho chi minh',
};

/** Old-style tone placement ("hoà", "thuỷ") written the new way ("hòa", "thủy"), so both spellings compare equal. */
const TONE_PLACEMENT: readonly [RegExp, string][] = [
  [/oà/g, 'òa'],
  [/oá/g, 'óa'],
  [/oả/g, 'ỏa'],
  [/oã/g, 'õa'],
  [/oạ/g, 'ọa'],
  [/oè/g, 'òe'],
  [/oé/g, 'óe'],
  [/oẻ/g, 'ỏe'],
  [/oẽ/g, 'õe'],
  [/oẹ/g, 'ọe'],
  [/uỳ/g, 'ùy'],
  [/uý/g, 'úy'],
  [/uỷ/g, 'ủy'],
  [/uỹ/g, 'ũy'],
  [/uỵ/g, 'ụy'],
];

/** Lower case NFC with one tone placement and single spaces: the exact (accented) form used to compare names. */
function canonicalLower(text: string): string {
  let out = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [re, to] of TONE_PLACEMENT) out = out.replace(re, to);
  return out;
}

/** A name split into the kind its prefix announces (if any) and its core. */
export interface ParsedUnitName {
  kind?: UnitKind;
  /** Folded name without prefixes; numbers without leading zeros ("Phường 01" → "1"). */
  core: string;
  /** The same core with its diacritics (lower case, one tone placement), or undefined when the input had none. */
  exact?: string;
}

function stripZeros(text: string): string {
  return text.replace(/(^|[^0-9])0+(\d)/g, '$1$2');
}

/**
 * Splits a unit name into its announced kind and its core: "UBND Phường Vũ Ninh" → { kind: 'phuong',
 * core: 'vu ninh' }; "TP.HCM" → { kind: 'thanh-pho', core: 'ho chi minh' }; "Hoằng Hóa" → { core: 'hoang hoa' }.
 * A prefix is only removed when something remains after it ("Xã" alone stays "xa").
 */
export function parseUnitName(name: string): ParsedUnitName {
  let text = canonicalLower(name);
  const accented = foldVietnamese(text) !== text.replace(/[^a-z0-9]+/g, ' ').trim();
  const alias = NAME_ALIASES[foldVietnamese(text)];
  if (alias) return { kind: 'thanh-pho', core: alias };
  let kind: UnitKind | undefined;
  // At most "UBND" then one kind prefix: "Xã Phường Thạnh" is the commune "Phường Thạnh".
  for (let guard = 0; guard < 2 && kind === undefined; guard += 1) {
    let changed = false;
    for (const [prefix, k] of PREFIXES) {
      const written = accented ? prefix : foldVietnamese(prefix);
      const head = accented ? text : foldVietnamese(text);
      if (head.startsWith(`${written} `) && foldVietnamese(head.slice(written.length)) !== '') {
        text = accented ? text.slice(prefix.length).trim() : head.slice(written.length).trim();
        if (k) kind = k;
        changed = true;
        break;
      }
    }
    if (!changed) {
      for (const [re, k] of ABBREVIATIONS) {
        const rest = text.replace(re, '');
        if (rest !== text && foldVietnamese(rest) !== '') {
          text = rest.trim();
          kind = k;
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
  }
  const folded = foldVietnamese(text);
  const core = stripZeros(NAME_ALIASES[folded] ?? folded);
  const exact = accented ? stripZeros(text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()) : undefined;
  return { ...(kind ? { kind } : {}), core, ...(exact !== undefined ? { exact } : {}) };
}

/** The kind of a unit type as the data writes it ("xã", "phường", "thành phố trung ương", …). */
export function kindOfType(type: string): UnitKind | undefined {
  switch (foldVietnamese(type)) {
    case 'tinh':
      return 'tinh';
    case 'thanh pho trung uong':
    case 'thanh pho':
      return 'thanh-pho';
    case 'xa':
      return 'xa';
    case 'phuong':
      return 'phuong';
    case 'dac khu':
      return 'dac-khu';
    case 'thi tran':
      return 'thi-tran';
    case 'huyen':
      return 'huyen';
    case 'quan':
      return 'quan';
    case 'thi xa':
      return 'thi-xa';
    default:
      return undefined;
  }
}
