/**
 * The shape of `.cache/admin-units.json`, written at setup by scripts/extract-admin-units.py from the PyPI
 * package vietnam-provinces (GPL-3.0-or-later). Codes are official and zero-padded: province 2 digits,
 * district 3, commune 5. The data itself is never part of this repository.
 */

export interface AdminUnitsSource {
  package: string;
  version: string;
  license: string;
  /** Date the package's authors retrieved the data. */
  dataVersion: string;
  /** Day the 2025 arrangement took effect (2025-07-01): old units end the day before. */
  effectiveDate: string;
  format: number;
}

export interface ProvinceRecord {
  code: string;
  name: string;
  /** "tỉnh" or "thành phố trung ương". */
  type: string;
}

export interface CommuneRecord {
  code: string;
  name: string;
  /** "xã", "phường" or "đặc khu". */
  type: string;
  province: string;
}

export interface LegacyProvinceRecord extends ProvinceRecord {
  /** Codes of the provinces after 1 July 2025 that took it over. */
  successors: string[];
}

export interface LegacyDistrictRecord {
  code: string;
  name: string;
  /** "huyện", "quận", "thị xã" or "thành phố". */
  type: string;
  province: string;
  /** Codes of the communes after 1 July 2025 that took over its communes. */
  successors: string[];
}

export interface LegacyCommuneRecord {
  code: string;
  name: string;
  /** "xã", "phường" or "thị trấn". */
  type: string;
  district: string;
  /** Codes of the communes after 1 July 2025 that took it over (several when it was split). */
  successors: string[];
  /** True when the old commune was split between several new ones. */
  partly: boolean;
}

export interface AdminUnitsData {
  source: AdminUnitsSource;
  provinces: ProvinceRecord[];
  communes: CommuneRecord[];
  legacy: {
    provinces: LegacyProvinceRecord[];
    districts: LegacyDistrictRecord[];
    communes: LegacyCommuneRecord[];
  };
}

/** `current`: from 1 July 2025; `legacy`: before. */
export type UnitEra = 'current' | 'legacy';
export type UnitLevel = 'province' | 'district' | 'commune';

/** One administrative unit, current or legacy, as the functions of this module return it. */
export interface AdminUnit {
  era: UnitEra;
  level: UnitLevel;
  code: string;
  /** Official name, e.g. "Phường Vũ Ninh", "Tỉnh Thanh Hóa", "Huyện Hoằng Hóa". */
  name: string;
  type: string;
  /** Code of the province it belongs to (its own code for a province), in the same era. */
  province: string;
  /** Legacy communes only: code of their district. */
  district?: string;
}
