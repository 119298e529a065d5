/**
 * Contacts of units imported from a spreadsheet: one row per unit and role, with the columns code, name, role
 * and email (headers in Vietnamese or English, in any order; a contact-person column is optional). Every row
 * is checked against the directory and the administrative units, and every problem is reported with its row.
 * Pure: the sheet is read by `contact-sheet.ts`.
 */
import { z } from 'zod';

import { describeUnit, foldVietnamese, parseUnitName, type AdminUnit } from '../admin-units';
import type { ContactRole } from '../domain/types';
import type { Agency, DirectoryFile } from './schema';

/** A spreadsheet as rows of text cells; `row` is the row number people see (1 = first row). */
export interface ContactSheet {
  file: string;
  rows: { row: number; cells: string[] }[];
}

/** A problem with a cell, a row or the sheet as a whole (no row). */
export interface ContactIssue {
  row?: number;
  /** The column's header as written in the sheet. */
  column?: string;
  message: string;
}

export interface ContactAssignment {
  agencyId: string;
  role: ContactRole;
  email: string;
  /** The person or office named in the optional contact column. */
  name?: string;
  row: number;
}

type Column = 'code' | 'name' | 'role' | 'email' | 'person';

/** Accepted headers (folded: no diacritics, lower case). */
const HEADERS: Readonly<Record<Column, readonly string[]>> = {
  code: ['code', 'ma', 'ma don vi', 'ma so', 'ma dvhc', 'ma co quan', 'unit code', 'agency'],
  name: ['name', 'ten', 'ten don vi', 'ten co quan', 'don vi', 'unit', 'unit name'],
  role: ['role', 'vai tro', 'loai', 'loai lien he', 'chuc danh'],
  email: ['email', 'e mail', 'thu dien tu', 'dia chi thu dien tu', 'dia chi email', 'hop thu'],
  person: ['contact', 'person', 'contact name', 'nguoi lien he', 'ho ten', 'ho va ten', 'ten nguoi lien he'],
};

/** Accepted roles (folded). */
const ROLES: Readonly<Record<ContactRole, readonly string[]>> = {
  focal: ['focal', 'focal point', 'dau moi', 'can bo dau moi', 'nguoi dau moi', 'cong chuc dau moi'],
  head: ['head', 'thu truong', 'lanh dao', 'nguoi dung dau', 'chu tich', 'giam doc', 'truong phong'],
  office: ['office', 'van thu', 'van phong', 'hop thu chung', 'thu chung', 'bo phan van thu'],
};

const ROLE_HINT = 'đầu mối (focal), thủ trưởng/lãnh đạo (head) hoặc văn thư/văn phòng (office)';

const emailSchema = z.email();

/** What the checker knows of the directory: its agencies, and the unit each unit agency stands for. */
export interface ContactContext {
  directory: DirectoryFile;
  /** Agency id → the current unit it stands for (agencies named by `unit`, and those created from units). */
  unitOf: ReadonlyMap<string, AdminUnit>;
  /** Look-up of a current unit by official code, for "not in this directory" messages; optional. */
  findCurrentUnit?: (code: string) => AdminUnit[];
}

export function parseRole(text: string): ContactRole | undefined {
  const folded = foldVietnamese(text);
  for (const role of ['focal', 'head', 'office'] as const) if (ROLES[role].includes(folded)) return role;
  return undefined;
}

function namesMatch(written: string, agency: Agency, unit: AdminUnit | undefined): boolean {
  const parsed = parseUnitName(written);
  const candidates = [agency.name, ...agency.aliases, ...(unit ? [unit.name] : [])];
  return candidates.some((c) => {
    const other = parseUnitName(c);
    if (other.core !== parsed.core) return false;
    return parsed.kind === undefined || other.kind === undefined || other.kind === parsed.kind;
  });
}

/**
 * Checks every row of a contact sheet against the directory and returns the contacts it gives, or the issues:
 * missing columns; per row, a missing cell, an unknown code (neither an agency id nor the official code of a
 * unit of the directory), a name that does not match the code, an unknown role, a bad email, a row repeating an
 * earlier unit and role, a contact that contradicts one the directory file gives. Empty rows are skipped.
 * When `issues` is not empty, `contacts` must not be applied.
 */
export function checkContactSheet(
  sheet: ContactSheet,
  ctx: ContactContext,
): { contacts: ContactAssignment[]; issues: ContactIssue[] } {
  const issues: ContactIssue[] = [];
  const contacts: ContactAssignment[] = [];
  const nonEmpty = sheet.rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (nonEmpty.length === 0)
    return { contacts, issues: [{ message: 'Tệp không có dòng nào. Cần các cột: mã, tên, vai trò, thư điện tử.' }] };

  const columnsOf = (cells: string[]): Map<Column, number> => {
    const found = new Map<Column, number>();
    cells.forEach((cell, i) => {
      const folded = foldVietnamese(cell);
      for (const col of Object.keys(HEADERS) as Column[]) {
        if (HEADERS[col].includes(folded) && !found.has(col)) found.set(col, i);
      }
    });
    return found;
  };
  const REQUIRED = ['code', 'name', 'role', 'email'] as const;
  // The header is the first row naming every column; a title row or two above it ("DANH SÁCH ĐẦU MỐI …") is skipped.
  const headerAt = nonEmpty.slice(0, 10).findIndex((r) => REQUIRED.every((c) => columnsOf(r.cells).has(c)));
  const header = nonEmpty[headerAt < 0 ? 0 : headerAt] as { row: number; cells: string[] };
  const columns = columnsOf(header.cells);
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    const label: Record<Column, string> = {
      code: 'mã (code)',
      name: 'tên (name)',
      role: 'vai trò (role)',
      email: 'thư điện tử (email)',
      person: '',
    };
    return {
      contacts,
      issues: [
        {
          row: header.row,
          message: `Thiếu cột ${missing.map((c) => label[c]).join(', ')}. Dòng tiêu đề cần các cột: mã, tên, vai trò, thư điện tử (hoặc code, name, role, email).`,
        },
      ],
    };
  }
  const headerText = (col: Column): string => header.cells[columns.get(col) as number]?.trim() || col;
  const cell = (r: { cells: string[] }, col: Column): string => {
    const i = columns.get(col);
    return i === undefined ? '' : (r.cells[i] ?? '').normalize('NFC').trim();
  };

  const agencies = new Map(ctx.directory.agencies.map((a) => [a.id, a]));
  const byUnitCode = new Map<string, string[]>();
  for (const [agencyId, unit] of ctx.unitOf) {
    const list = byUnitCode.get(unit.code) ?? [];
    list.push(agencyId);
    byUnitCode.set(unit.code, list);
  }
  const seen = new Map<string, number>();

  for (const r of nonEmpty.slice(headerAt + 1)) {
    const at = (col: Column, message: string): void => {
      issues.push({ row: r.row, column: headerText(col), message });
    };
    const code = cell(r, 'code');
    const name = cell(r, 'name');
    const roleText = cell(r, 'role');
    const email = cell(r, 'email');
    const person = cell(r, 'person');

    let agency: Agency | undefined;
    if (code === '')
      at('code', 'Thiếu mã đơn vị. Hãy ghi mã đơn vị hành chính (ví dụ 24121) hoặc mã cơ quan trong danh bạ.');
    else if (agencies.has(code)) agency = agencies.get(code);
    else if (/^\d+$/.test(code)) {
      const ids = [
        ...new Set([5, 2].filter((w) => code.length <= w).flatMap((w) => byUnitCode.get(code.padStart(w, '0')) ?? [])),
      ];
      if (ids.length === 1) agency = agencies.get(ids[0] as string);
      else if (ids.length > 1)
        at(
          'code',
          `Mã "${code}" ứng với nhiều cơ quan (${ids.join(', ')}). Hãy ghi đủ số 0 ở đầu (tỉnh 2 chữ số, xã 5 chữ số).`,
        );
      else {
        const known = ctx.findCurrentUnit?.(code) ?? [];
        at(
          'code',
          known.length > 0
            ? `${known.map(describeUnit).join('; ')} không có trong danh bạ này. Hãy kiểm tra mã, hoặc thêm đơn vị vào danh bạ.`
            : `Không có đơn vị hành chính nào mang mã "${code}". Hãy kiểm tra lại mã.`,
        );
      }
    } else {
      at(
        'code',
        `Không có cơ quan mã "${code}" trong danh bạ. Hãy ghi mã đơn vị hành chính hoặc mã cơ quan trong danh bạ.`,
      );
    }

    if (name === '') at('name', 'Thiếu tên đơn vị. Hãy ghi tên để đối chiếu với mã.');
    else if (agency && !namesMatch(name, agency, ctx.unitOf.get(agency.id))) {
      const unit = ctx.unitOf.get(agency.id);
      at(
        'name',
        `Tên "${name}" không khớp với mã "${code}" (${unit ? describeUnit(unit) : agency.name}). Hãy kiểm tra xem ghi nhầm mã hay nhầm tên.`,
      );
    }

    const role = roleText === '' ? undefined : parseRole(roleText);
    if (roleText === '') at('role', `Thiếu vai trò. Hãy ghi ${ROLE_HINT}.`);
    else if (!role) at('role', `Vai trò "${roleText}" không hợp lệ. Hãy ghi ${ROLE_HINT}.`);

    if (email === '') at('email', 'Thiếu địa chỉ thư điện tử.');
    else if (!emailSchema.safeParse(email).success)
      at('email', `Địa chỉ thư điện tử "${email}" không hợp lệ. Hãy sửa lại (ví dụ tuphap@xa.example.gov.vn).`);

    if (!agency || !role) continue;
    const key = `${agency.id}|${role}`;
    const first = seen.get(key);
    if (first !== undefined) {
      at('code', `Trùng với dòng ${first}: ${agency.name} đã có liên hệ vai trò "${roleText}". Hãy giữ một dòng.`);
      continue;
    }
    seen.set(key, r.row);
    const inline = agency.contacts[role];
    if (inline && email !== '' && inline.email.toLowerCase() !== email.toLowerCase()) {
      at(
        'email',
        `Danh bạ đã ghi ${inline.email} cho ${agency.name} (vai trò ${role}); bảng tính ghi ${email}. Hãy giữ một nơi ghi.`,
      );
      continue;
    }
    if (issues.some((i) => i.row === r.row)) continue;
    contacts.push({ agencyId: agency.id, role, email, row: r.row, ...(person !== '' ? { name: person } : {}) });
  }
  return { contacts, issues };
}

/** The directory with the sheet's contacts written into its agencies (a contact the file gives is kept). */
export function applyContacts(directory: DirectoryFile, contacts: readonly ContactAssignment[]): DirectoryFile {
  const byAgency = new Map<string, ContactAssignment[]>();
  for (const c of contacts) byAgency.set(c.agencyId, [...(byAgency.get(c.agencyId) ?? []), c]);
  return {
    ...directory,
    agencies: directory.agencies.map((a) => {
      const mine = byAgency.get(a.id);
      if (!mine) return a;
      const merged = { ...a.contacts };
      for (const c of mine)
        if (!merged[c.role]) merged[c.role] = { email: c.email, ...(c.name ? { name: c.name } : {}) };
      return { ...a, contacts: merged };
    }),
  };
}
