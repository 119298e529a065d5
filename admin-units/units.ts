/**
 * Pure functions over the administrative units data: list provinces and communes, find a unit by official
 * code or by name (Vietnamese-aware), and the successors of a unit from before 1 July 2025. No I/O: the data
 * comes from `loadAdminUnits` (admin-units/load.ts) or, in tests, from a small synthetic dataset.
 */
import { kindOfType, parseUnitName, type ParsedUnitName, type UnitKind } from './normalize';
import type { AdminUnit, AdminUnitsData, AdminUnitsSource, UnitEra, UnitLevel } from './types';

/** Width of an official code at each level. */
export const CODE_WIDTH: Readonly<Record<UnitLevel, number>> = { province: 2, district: 3, commune: 5 };

const LEVELS: Readonly<Record<UnitEra, readonly UnitLevel[]>> = {
  current: ['province', 'commune'],
  legacy: ['province', 'district', 'commune'],
};

interface LevelIndex {
  list: AdminUnit[];
  byCode: Map<string, AdminUnit>;
  byCore: Map<string, AdminUnit[]>;
}

/** The data indexed for look-ups. Build once with `indexAdminUnits`. */
export interface AdminUnits {
  source: AdminUnitsSource;
  levels: Record<UnitEra, Partial<Record<UnitLevel, LevelIndex>>>;
  communesByProvince: Map<string, AdminUnit[]>;
  /** `level:code` of a legacy unit → codes of its current successors. */
  successors: Map<string, string[]>;
  /** Legacy commune code → true when it was split between several new communes. */
  partly: Map<string, boolean>;
}

function byCode(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function buildLevel(units: AdminUnit[]): LevelIndex {
  const list = [...units].sort(byCode);
  const index: LevelIndex = { list, byCode: new Map(), byCore: new Map() };
  for (const u of list) {
    index.byCode.set(u.code, u);
    const { core } = parseUnitName(u.name);
    const bucket = index.byCore.get(core);
    if (bucket) bucket.push(u);
    else index.byCore.set(core, [u]);
  }
  return index;
}

/** Indexes the data for look-ups. Lists are sorted by official code. */
export function indexAdminUnits(data: AdminUnitsData): AdminUnits {
  const provinces = data.provinces.map((p): AdminUnit => ({
    era: 'current',
    level: 'province',
    code: p.code,
    name: p.name,
    type: p.type,
    province: p.code,
  }));
  const communes = data.communes.map((c): AdminUnit => ({
    era: 'current',
    level: 'commune',
    code: c.code,
    name: c.name,
    type: c.type,
    province: c.province,
  }));
  const legacyDistrictProvince = new Map(data.legacy.districts.map((d) => [d.code, d.province]));
  const legacyProvinces = data.legacy.provinces.map((p): AdminUnit => ({
    era: 'legacy',
    level: 'province',
    code: p.code,
    name: p.name,
    type: p.type,
    province: p.code,
  }));
  const legacyDistricts = data.legacy.districts.map((d): AdminUnit => ({
    era: 'legacy',
    level: 'district',
    code: d.code,
    name: d.name,
    type: d.type,
    province: d.province,
  }));
  const legacyCommunes = data.legacy.communes.map((c): AdminUnit => ({
    era: 'legacy',
    level: 'commune',
    code: c.code,
    name: c.name,
    type: c.type,
    province: legacyDistrictProvince.get(c.district) ?? '',
    district: c.district,
  }));
  const units: AdminUnits = {
    source: data.source,
    levels: {
      current: { province: buildLevel(provinces), commune: buildLevel(communes) },
      legacy: {
        province: buildLevel(legacyProvinces),
        district: buildLevel(legacyDistricts),
        commune: buildLevel(legacyCommunes),
      },
    },
    communesByProvince: new Map(),
    successors: new Map(),
    partly: new Map(),
  };
  for (const c of units.levels.current.commune?.list ?? []) {
    const bucket = units.communesByProvince.get(c.province);
    if (bucket) bucket.push(c);
    else units.communesByProvince.set(c.province, [c]);
  }
  for (const p of data.legacy.provinces) units.successors.set(`province:${p.code}`, [...p.successors]);
  for (const d of data.legacy.districts) units.successors.set(`district:${d.code}`, [...d.successors]);
  for (const c of data.legacy.communes) {
    units.successors.set(`commune:${c.code}`, [...c.successors]);
    units.partly.set(c.code, c.partly);
  }
  return units;
}

/** The provinces and centrally-run cities from 1 July 2025, by official code. */
export function listProvinces(units: AdminUnits): AdminUnit[] {
  return [...(units.levels.current.province?.list ?? [])];
}

/** The commune-level units (xã, phường, đặc khu) of a province, by official code; [] for an unknown province code. */
export function listCommunes(units: AdminUnits, provinceCode: string): AdminUnit[] {
  const code = /^\d+$/.test(provinceCode) ? provinceCode.padStart(CODE_WIDTH.province, '0') : provinceCode;
  return [...(units.communesByProvince.get(code) ?? [])];
}

/** Every commune-level unit of the country, by official code. */
export function listAllCommunes(units: AdminUnits): AdminUnit[] {
  return [...(units.levels.current.commune?.list ?? [])];
}

export interface FindUnitOptions {
  /** Default `current`. */
  era?: UnitEra;
  /** Only units of this level. */
  level?: UnitLevel;
  /**
   * Only units of this province (official code or name). For legacy units, a current province also selects
   * the old provinces it took over ("Bắc Ninh" finds old communes of Bắc Giang too).
   */
  province?: string;
}

function kindMatches(wanted: UnitKind | undefined, unit: AdminUnit): boolean {
  if (!wanted) return true;
  const kind = kindOfType(unit.type);
  if (wanted === 'thanh-pho') return kind === 'thanh-pho';
  // "Tỉnh X" also names X when written loosely for a centrally-run city.
  if (wanted === 'tinh') return unit.level === 'province';
  return kind === wanted;
}

function matchByName(index: LevelIndex, parsed: ParsedUnitName): AdminUnit[] {
  const hits = (index.byCore.get(parsed.core) ?? []).filter((u) => kindMatches(parsed.kind, u));
  if (hits.length <= 1 || parsed.exact === undefined) return hits;
  const exact = hits.filter((u) => parseUnitName(u.name).exact === parsed.exact);
  return exact.length > 0 ? exact : hits;
}

function provinceCodes(units: AdminUnits, era: UnitEra, query: string): Set<string> {
  const current = findUnits(units, query, { era: 'current', level: 'province' }).map((p) => p.code);
  if (era === 'current') return new Set(current);
  const out = new Set(findUnits(units, query, { era: 'legacy', level: 'province' }).map((p) => p.code));
  for (const p of units.levels.legacy.province?.list ?? []) {
    const successors = units.successors.get(`province:${p.code}`) ?? [];
    if (successors.some((s) => current.includes(s))) out.add(p.code);
  }
  return out;
}

/**
 * Every unit that `query` names: an official code ("24121", "399", "38"; leading zeros optional) or a name
 * ("Phường Vũ Ninh", "P. Vũ Ninh", "vu ninh", "UBND xã Hoằng Hóa", "TP.HCM"). Diacritics, case, old tone
 * placement ("Hoà") and the "Tỉnh/Thành phố/Phường/Xã/Đặc khu/Huyện/Quận/…" prefixes do not matter; a prefix,
 * when written, must fit the unit's type. Sorted by level, then code. Several results mean the name is
 * ambiguous: narrow it with `level` or `province`.
 */
export function findUnits(units: AdminUnits, query: string, options: FindUnitOptions = {}): AdminUnit[] {
  const era = options.era ?? 'current';
  const levels = options.level ? [options.level] : LEVELS[era];
  const text = query.normalize('NFC').trim();
  if (text === '') return [];
  let hits: AdminUnit[] = [];
  if (/^\d+$/.test(text)) {
    const exactWidth = levels.filter((l) => CODE_WIDTH[l] === text.length);
    const usable = exactWidth.length > 0 ? exactWidth : levels.filter((l) => text.length < CODE_WIDTH[l]);
    for (const level of usable) {
      const unit = units.levels[era][level]?.byCode.get(text.padStart(CODE_WIDTH[level], '0'));
      if (unit) hits.push(unit);
    }
  } else {
    const parsed = parseUnitName(text);
    for (const level of levels) {
      const index = units.levels[era][level];
      if (index) hits.push(...matchByName(index, parsed));
    }
  }
  if (options.province !== undefined) {
    const codes = provinceCodes(units, era, options.province);
    hits = hits.filter((u) => codes.has(u.province));
  }
  return hits;
}

/** The outcome of looking for exactly one unit. */
export type UnitMatch =
  { kind: 'found'; unit: AdminUnit } | { kind: 'none' } | { kind: 'ambiguous'; candidates: AdminUnit[] };

/** Like `findUnits`, but says whether the query names exactly one unit. */
export function findUnit(units: AdminUnits, query: string, options: FindUnitOptions = {}): UnitMatch {
  const hits = findUnits(units, query, options);
  if (hits.length === 1) return { kind: 'found', unit: hits[0] as AdminUnit };
  return hits.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates: hits };
}

/** The unit with this official code at this level and era, if any. */
export function getUnit(units: AdminUnits, era: UnitEra, level: UnitLevel, code: string): AdminUnit | undefined {
  return units.levels[era][level]?.byCode.get(code.padStart(CODE_WIDTH[level], '0'));
}

/** The current province a current unit belongs to. */
export function getProvinceOf(units: AdminUnits, unit: AdminUnit): AdminUnit | undefined {
  return getUnit(units, unit.era, 'province', unit.province);
}

/**
 * The units from 1 July 2025 that took over a unit from before, as the data gives them: provinces for a
 * province, communes for a district (every commune that took over one of its communes) or a commune (several
 * when it was split). Sorted by code. [] for a current unit, or an old unit the data gives no successor.
 */
export function getSuccessors(units: AdminUnits, unit: Pick<AdminUnit, 'era' | 'level' | 'code'>): AdminUnit[] {
  if (unit.era !== 'legacy') return [];
  const codes = units.successors.get(`${unit.level}:${unit.code}`) ?? [];
  const level: UnitLevel = unit.level === 'province' ? 'province' : 'commune';
  return codes
    .map((c) => getUnit(units, 'current', level, c))
    .filter((u): u is AdminUnit => u !== undefined)
    .sort(byCode);
}

/** True when the data says this old commune was split between several new ones. */
export function isPartlyMerged(units: AdminUnits, legacyCommuneCode: string): boolean {
  return units.partly.get(legacyCommuneCode) ?? false;
}

/** "Phường Vũ Ninh" → "UBND phường Vũ Ninh": the People's Committee of a unit, as agencies are named. */
export function committeeName(unit: Pick<AdminUnit, 'name'>): string {
  const name = unit.name.normalize('NFC');
  return `UBND ${name.charAt(0).toLocaleLowerCase('vi')}${name.slice(1)}`;
}

/** A short description for messages: "Phường Vũ Ninh (mã 09187)". */
export function describeUnit(unit: Pick<AdminUnit, 'name' | 'code'>): string {
  return `${unit.name} (mã ${unit.code})`;
}
