/**
 * The administrative units of a directory: agencies that name their official `unit`, groups declared by
 * `units` ("UBND cấp xã" of a province), and the successors the data gives to units from before 1 July 2025.
 * Pure: takes the parsed directory and the indexed data, returns the directory with every agency and member
 * written out, the successions it proposes, and the problems found (each with the path of its field).
 */
import {
  committeeName,
  describeUnit,
  findUnit,
  getSuccessors,
  listAllCommunes,
  listCommunes,
  listProvinces,
  type AdminUnit,
  type AdminUnits,
  type UnitLevel,
} from '../admin-units';
import type { Agency, AgencyGroup, DirectoryFile, UnitRef } from './schema';

type PathKey = string | number;

/** A problem with a field of the directory file. */
export interface UnitProblem {
  path: PathKey[];
  message: string;
}

/** A successor of an old unit, as an agency of the directory. */
export interface SuccessorAgency {
  id: string;
  name: string;
  code: string;
}

/** What the data says became of an agency's old unit; applied to the plan only when confirmed. */
export interface SuccessionProposal {
  agencyId: string;
  agencyName: string;
  /** Index of the agency in the directory file (for the line of its `unit`). */
  agencyIndex: number;
  unit: AdminUnit;
  on: string;
  successors: SuccessorAgency[];
  /** Several successors: the officer should check that the task belongs to each of them. */
  review: boolean;
  /** `unit.confirmed: true` in the directory. */
  confirmed: boolean;
}

export interface ResolvedDirectory {
  directory: DirectoryFile;
  /** How many agencies the file itself lists (the rest were created from units). */
  handAgencies: number;
  proposals: SuccessionProposal[];
  problems: UnitProblem[];
  /** Agency id → the unit from 1 July 2025 it stands for (named by `unit`, or created from units). */
  unitOf: Map<string, AdminUnit>;
}

/** Deterministic id of the agency of a unit: from its official code only, so a renamed or upgraded unit keeps it. */
export function unitAgencyId(unit: Pick<AdminUnit, 'level' | 'code'>): string {
  return `ubnd-${unit.level === 'province' ? 'tinh' : 'xa'}-${unit.code}`;
}

/** True when the directory needs the administrative units data. */
export function usesAdminUnits(directory: DirectoryFile): boolean {
  return directory.agencies.some((a) => a.unit !== undefined) || directory.groups.some((g) => g.units !== undefined);
}

/** The first field that needs the data, for the message when it is missing. */
export function firstUnitsField(directory: DirectoryFile): PathKey[] {
  const a = directory.agencies.findIndex((x) => x.unit !== undefined);
  if (a >= 0) return ['agencies', a, 'unit'];
  const g = directory.groups.findIndex((x) => x.units !== undefined);
  return g >= 0 ? ['groups', g, 'units'] : [];
}

function unitLevelOf(agency: Agency): UnitLevel | null {
  switch (agency.level) {
    case 'province':
    case 'district':
    case 'commune':
      return agency.level;
    default:
      return null;
  }
}

function listCandidates(candidates: AdminUnit[]): string {
  const shown = candidates.slice(0, 6).map(describeUnit).join('; ');
  return candidates.length > 6 ? `${shown}; … (${candidates.length} đơn vị)` : shown;
}

function normaliseRef(ref: UnitRef): { query: string; province?: string; confirmed: boolean } {
  if (typeof ref === 'string') return { query: ref, confirmed: false };
  return {
    query: ref.code ?? ref.name ?? '',
    ...(ref.province !== undefined ? { province: ref.province } : {}),
    confirmed: ref.confirmed === true,
  };
}

/**
 * Writes out the units of a directory:
 * - an agency's `unit` is looked up (code or name, in the province given) among the units from 1 July 2025, or
 *   among the older ones when the agency is of `level: district` or has `dissolved`;
 * - a group with `units` gets as members the agencies of those units: an agency of the file that names the same
 *   unit, or one created with id `ubnd-xa-<code>` / `ubnd-tinh-<code>` and the unit's official name;
 * - an agency whose old unit the data gives successors (and that has no `dissolved.successor(s)` of its own) gets
 *   `dissolved: { on: <effective date>, successors }`, and a proposal the plan loader asks the officer to confirm.
 * Problems (unknown or ambiguous unit, `units` beside `members`, no successor in the data) are returned with
 * their field; the directory is still returned so that other checks can run.
 */
export function resolveDirectoryUnits(directory: DirectoryFile, units: AdminUnits): ResolvedDirectory {
  const problems: UnitProblem[] = [];
  const agencies: Agency[] = directory.agencies.map((a) => ({ ...a }));
  const handIds = new Set(agencies.map((a) => a.id));
  const byUnit = new Map<string, string>();
  const unitOf = new Map<number, AdminUnit>();
  const created: Agency[] = [];
  const unitOfAgency = new Map<string, AdminUnit>();
  const key = (u: Pick<AdminUnit, 'era' | 'level' | 'code'>): string => `${u.era}:${u.level}:${u.code}`;

  agencies.forEach((agency, i) => {
    if (agency.unit === undefined) return;
    const path: PathKey[] = ['agencies', i, 'unit'];
    const level = unitLevelOf(agency);
    if (!level) {
      problems.push({
        path,
        message: `unit chỉ dùng cho cơ quan có level province, district hoặc commune (đây là "${agency.level}"). Hãy bỏ unit hoặc sửa level.`,
      });
      return;
    }
    const era = level === 'district' || agency.dissolved !== undefined ? 'legacy' : 'current';
    const ref = normaliseRef(agency.unit);
    const match = findUnit(units, ref.query, {
      era,
      level,
      ...(ref.province !== undefined ? { province: ref.province } : {}),
    });
    const when = era === 'legacy' ? 'trước 01/07/2025' : 'từ 01/07/2025';
    if (match.kind === 'none') {
      problems.push({
        path,
        message: `Không tìm thấy đơn vị hành chính cấp ${level === 'province' ? 'tỉnh' : level === 'district' ? 'huyện' : 'xã'} "${ref.query}"${ref.province ? ` thuộc "${ref.province}"` : ''} (${when}). Hãy kiểm tra tên hoặc ghi mã đơn vị.`,
      });
      return;
    }
    if (match.kind === 'ambiguous') {
      problems.push({
        path,
        message: `Tên "${ref.query}" ứng với ${match.candidates.length} đơn vị (${when}): ${listCandidates(match.candidates)}. Hãy ghi mã đơn vị hoặc thêm province.`,
      });
      return;
    }
    const k = key(match.unit);
    const other = byUnit.get(k);
    if (other !== undefined) {
      problems.push({
        path,
        message: `${describeUnit(match.unit)} đã là đơn vị của cơ quan "${other}". Mỗi đơn vị hành chính chỉ ứng với một cơ quan.`,
      });
      return;
    }
    byUnit.set(k, agency.id);
    unitOf.set(i, match.unit);
    if (match.unit.era === 'current') unitOfAgency.set(agency.id, match.unit);
  });

  /** The agency standing for a current unit: the file's own, else one created for it. */
  const agencyFor = (unit: AdminUnit, escalatesTo?: string): string => {
    const k = key(unit);
    const known = byUnit.get(k);
    if (known !== undefined) return known;
    const id = unitAgencyId(unit);
    byUnit.set(k, id);
    if (!unitOfAgency.has(id)) unitOfAgency.set(id, unit);
    if (handIds.has(id)) return id;
    created.push({
      id,
      name: committeeName(unit),
      aliases: [unit.name],
      level: unit.level,
      contacts: {},
      unit: { code: unit.code },
      ...(escalatesTo !== undefined ? { escalatesTo } : {}),
    });
    return id;
  };

  const groups: AgencyGroup[] = directory.groups.map((g, i) => {
    if (!g.units) return { ...g };
    const path: PathKey[] = ['groups', i, 'units'];
    if (g.members.length > 0) {
      problems.push({
        path: ['groups', i, 'members'],
        message:
          'Nhóm khai báo bằng units thì không liệt kê members (thành viên được lấy từ dữ liệu đơn vị hành chính). Hãy bỏ một trong hai.',
      });
      return { ...g };
    }
    let members: AdminUnit[];
    if (g.units.level === 'province') {
      if (g.units.province !== undefined) {
        problems.push({
          path: [...path, 'province'],
          message: 'Nhóm cấp tỉnh (level: province) gồm mọi tỉnh, thành phố; không ghi province.',
        });
        return { ...g };
      }
      members = listProvinces(units);
    } else if (g.units.province === undefined) {
      members = listAllCommunes(units);
    } else {
      const province = findUnit(units, g.units.province, { level: 'province' });
      if (province.kind !== 'found') {
        problems.push({
          path: [...path, 'province'],
          message:
            province.kind === 'none'
              ? `Không có tỉnh, thành phố "${g.units.province}" (từ 01/07/2025). Hãy ghi tên hoặc mã tỉnh, ví dụ "Thanh Hóa" hoặc "38".`
              : `"${g.units.province}" ứng với nhiều tỉnh: ${listCandidates(province.candidates)}. Hãy ghi mã tỉnh.`,
        });
        return { ...g };
      }
      members = listCommunes(units, province.unit.code);
    }
    return { ...g, members: members.map((u) => agencyFor(u, g.units?.escalatesTo)) };
  });

  const proposals: SuccessionProposal[] = [];
  agencies.forEach((agency, i) => {
    const unit = unitOf.get(i);
    if (!unit || unit.era !== 'legacy') return;
    if (agency.dissolved?.successor !== undefined || agency.dissolved?.successors !== undefined) return;
    const successors = getSuccessors(units, unit);
    if (successors.length === 0) {
      problems.push({
        path: ['agencies', i, 'unit'],
        message: `Dữ liệu đơn vị hành chính không ghi đơn vị kế nhiệm của ${describeUnit(unit)}. Hãy ghi dissolved: { on, successor } bằng tay.`,
      });
      return;
    }
    const ids = successors.map((s) => agencyFor(s));
    const on = agency.dissolved?.on ?? units.source.effectiveDate;
    agencies[i] = { ...agency, dissolved: { on, successors: ids } };
    proposals.push({
      agencyId: agency.id,
      agencyName: agency.name,
      agencyIndex: i,
      unit,
      on,
      successors: successors.map((s, n) => ({ id: ids[n] as string, name: s.name, code: s.code })),
      review: successors.length > 1,
      confirmed: normaliseRef(agency.unit as UnitRef).confirmed,
    });
  });

  return {
    directory: { ...directory, agencies: [...agencies, ...created], groups },
    handAgencies: agencies.length,
    proposals,
    problems,
    unitOf: unitOfAgency,
  };
}

/** One line per proposal, for people: "Phòng Tư pháp huyện X (Huyện X, mã 399) → 8 đơn vị: …  [cần xem lại]". */
export function formatSuccessionProposal(p: SuccessionProposal): string {
  const list = p.successors.map((s) => `${s.name} (${s.code})`).join(', ');
  const [y, m, d] = p.on.split('-');
  return (
    `${p.agencyName} (${describeUnit(p.unit)}) giải thể từ ${d}/${m}/${y} → ` +
    `${p.successors.length > 1 ? `${p.successors.length} đơn vị: ` : ''}${list}` +
    (p.review ? ' [cần xem lại: một đơn vị cũ, nhiều đơn vị kế nhiệm; nhiệm vụ giao cho từng đơn vị]' : '')
  );
}
