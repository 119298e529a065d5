/**
 * Reads the administrative units that scripts/setup.sh fetched (PyPI vietnam-provinces, GPL-3.0-or-later) and
 * extracted to `.cache/admin-units.json`. The data never lives in this repository.
 */
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { AdminUnitsData } from './types';
import { indexAdminUnits, type AdminUnits } from './units';

const ROOT = path.resolve(__dirname, '..', __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '');

/** Where scripts/setup.sh writes the extracted data. */
export const DEFAULT_ADMIN_UNITS_PATH = path.join(ROOT, '.cache', 'admin-units.json');

/** The setup step that fetches the data, named in every error about it. */
export const ADMIN_UNITS_SETUP_HINT = 'bash scripts/setup.sh (hoặc npm run setup)';

/** The data file is missing or unreadable: the setup step has not run, or did not finish. */
export class AdminUnitsUnavailableError extends Error {
  override readonly name = 'AdminUnitsUnavailableError' as const;
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(
      `Chưa có dữ liệu đơn vị hành chính (${file}): ${reason}. Hãy chạy "${ADMIN_UNITS_SETUP_HINT}" để tải gói ` +
        'vietnam-provinces từ PyPI và trích xuất dữ liệu (administrative units data missing: run the setup step).',
    );
  }
}

const code = (width: number) => z.string().regex(new RegExp(`^\\d{${width}}$`));
const dataSchema = z.object({
  source: z.object({
    package: z.string(),
    version: z.string(),
    license: z.string(),
    dataVersion: z.string(),
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    format: z.literal(1),
  }),
  provinces: z.array(z.object({ code: code(2), name: z.string(), type: z.string() })).min(1),
  communes: z.array(z.object({ code: code(5), name: z.string(), type: z.string(), province: code(2) })).min(1),
  legacy: z.object({
    provinces: z.array(z.object({ code: code(2), name: z.string(), type: z.string(), successors: z.array(code(2)) })),
    districts: z.array(
      z.object({ code: code(3), name: z.string(), type: z.string(), province: code(2), successors: z.array(code(5)) }),
    ),
    communes: z.array(
      z.object({
        code: code(5),
        name: z.string(),
        type: z.string(),
        district: code(3),
        successors: z.array(code(5)),
        partly: z.boolean(),
      }),
    ),
  }),
});

const cache = new Map<string, { mtimeMs: number; units: AdminUnits }>();

/** Parses and checks the JSON text of the data file. Throws `AdminUnitsUnavailableError` when it is not valid. */
export function parseAdminUnitsJson(text: string, file: string): AdminUnitsData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AdminUnitsUnavailableError(file, `tệp không phải JSON hợp lệ (${(err as Error).message})`);
  }
  const parsed = dataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminUnitsUnavailableError(
      file,
      `tệp không đúng định dạng (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'không rõ'})`,
    );
  }
  return parsed.data;
}

/**
 * Loads and indexes the administrative units from `file` (default `.cache/admin-units.json`). Re-reads the
 * file only when it changed. Throws `AdminUnitsUnavailableError`, naming the setup step, when it is missing
 * or damaged.
 */
export function loadAdminUnits(file: string = DEFAULT_ADMIN_UNITS_PATH): AdminUnits {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new AdminUnitsUnavailableError(file, 'không tìm thấy tệp');
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit.units;
  const units = indexAdminUnits(parseAdminUnitsJson(fs.readFileSync(file, 'utf8'), file));
  cache.set(file, { mtimeMs: stat.mtimeMs, units });
  return units;
}
