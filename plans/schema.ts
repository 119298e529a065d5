/**
 * Zod schemas of the plan file and the agency directory: the source of truth for plans/FORMAT.md.
 * Structural rules live here; rules that need the whole file (ids that must exist, dates that must
 * be ordered, dissolved agencies) live in `load.ts`, which reports every problem with its line.
 */
import { z } from 'zod';

/** Default reminder offsets, in working days before the due date (0 = on the day). */
export const DEFAULT_REMINDER_OFFSETS: readonly number[] = [30, 7, 3, 1, 0];
/** Default rhythm of overdue notices, in working days. */
export const DEFAULT_OVERDUE_EVERY_WORKING_DAYS = 5;
/** Default escalation ladder. */
export const DEFAULT_LADDER: readonly { afterWorkingDays: number; to: 'lead_head' | 'monitoring' | 'authority' }[] = [
  { afterWorkingDays: 3, to: 'lead_head' },
  { afterWorkingDays: 7, to: 'monitoring' },
  { afterWorkingDays: 14, to: 'authority' },
];
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Years a plan's dates may fall in: anything outside is a typing error, and the calendar is not defined there. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/**
 * Longest texts accepted, in characters. Generous for real plans (the longest task title in the seeds is 336
 * characters, the longest agency name 75), small enough that a page, an email subject or a report cell stays usable.
 */
export const MAX_LENGTH = {
  /** Plan title, plan number, place. */
  planTitle: 500,
  /** A task's content ("Nội dung / nhiệm vụ") and its deliverable. */
  taskTitle: 2000,
  /** Agency, group, target and signer names; aliases. */
  name: 300,
  /** Verbatim timing text, reporting duty text, review notes. */
  text: 1000,
  /** Ids, refs and file paths. */
  id: 200,
} as const;

/** True when `text` is `YYYY-MM-DD` and names a day that exists (no 2024-02-30). */
export function isValidIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** True when `zone` is an IANA time zone this runtime knows. */
function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** True when `text` is a date (any validity) whose year lies in MIN_YEAR…MAX_YEAR. */
function isYearInRange(text: string): boolean {
  const year = Number(text.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** A string of at most `max` characters, with the message naming the limit. */
const bounded = (max: number, what: string) =>
  z.string().max(max, { error: `${what} dài quá ${max.toLocaleString('vi-VN')} ký tự: hãy rút gọn` });

/** An agency, group, plan or target id: lower-case slug. */
const idSchema = z
  .string({ error: 'cần một mã (id) dạng chữ thường không dấu, ví dụ "so-tu-phap"' })
  .regex(/^[a-z0-9][a-z0-9-]*$/, {
    error: 'mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ "so-tu-phap"',
  })
  .max(MAX_LENGTH.id, { error: `mã dài quá ${MAX_LENGTH.id} ký tự: hãy rút gọn` });

/** A task key: part of a workflow id, so no `:` and no spaces. */
const taskIdSchema = z
  .string({ error: 'cần một mã nhiệm vụ, ví dụ "1.1" hoặc "5.3-tong-ket"' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    error: 'mã nhiệm vụ chỉ gồm chữ không dấu, chữ số, dấu chấm và gạch ngang',
  })
  .max(MAX_LENGTH.id, { error: `mã nhiệm vụ dài quá ${MAX_LENGTH.id} ký tự: hãy rút gọn` });

const isoDateFormat = z
  .string({ error: 'cần một ngày dạng YYYY-MM-DD, ví dụ 2026-12-31' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'ngày phải viết dạng YYYY-MM-DD, ví dụ 2026-12-31' });

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDateSchema = isoDateFormat
  .refine(isValidIsoDate, {
    error: 'ngày không tồn tại trong lịch (ví dụ 30/02): hãy sửa lại ngày đúng',
  })
  .refine(isYearInRange, {
    error: `năm phải trong khoảng ${MIN_YEAR}–${MAX_YEAR}: hãy sửa lại ngày đúng`,
  });

const monthDaySchema = z
  .string({ error: 'cần ngày trong năm dạng MM-DD, ví dụ "12-15"' })
  // abort: a value not in the MM-DD form gets that one error, not also "does not exist".
  .regex(/^\d{2}-\d{2}$/, {
    error:
      'ngày trong năm phải viết dạng MM-DD, ví dụ "12-15"; báo cáo hằng tháng, hằng quý: ngày của lần đầu trong năm, ví dụ "01-20"',
    abort: true,
  })
  .refine((s) => isValidIsoDate(`2024-${s}`), { error: 'ngày trong năm không tồn tại: hãy sửa lại' });

const nonEmpty = (what: string, max: number = MAX_LENGTH.text) =>
  z
    .string({ error: `cần ${what} (chuỗi chữ)` })
    .trim()
    .min(1, { error: `${what} không được để trống` })
    .max(max, { error: `${what} dài quá ${max.toLocaleString('vi-VN')} ký tự: hãy rút gọn` });

const workingDays = z
  .number({ error: 'cần một số ngày làm việc (số nguyên ≥ 0)' })
  .int({ error: 'số ngày phải là số nguyên' })
  .min(0, { error: 'số ngày không được âm' });

export const ladderTargetSchema = z.enum(['lead_head', 'monitoring', 'authority'], {
  error: 'cấp nhận cảnh báo phải là lead_head, monitoring hoặc authority',
});

export const timingSchema = z.union(
  [
    z
      .string()
      .trim()
      .min(1, { error: 'thời gian thực hiện không được để trống' })
      .max(MAX_LENGTH.text, { error: `thời gian thực hiện dài quá ${MAX_LENGTH.text} ký tự: hãy rút gọn` }),
    z.strictObject({
      text: nonEmpty('nguyên văn thời gian thực hiện'),
      due: isoDateSchema.optional(),
      dues: z.array(isoDateSchema).min(1, { error: 'dues cần ít nhất một ngày' }).optional(),
    }),
  ],
  { error: 'timing phải là nguyên văn thời gian (chuỗi) hoặc { text, due } / { text, dues }' },
);

export const reviewMarkSchema = z.strictObject({
  field: nonEmpty('tên trường cần xem lại'),
  why: bounded(MAX_LENGTH.text, 'ghi chú cần xem lại').default(''),
  line: z.number().int().optional(),
  /** Addition: a reviewer sets `resolved: true` instead of deleting the mark. */
  resolved: z.boolean().optional(),
});

export const signOffSchema = z.union([z.literal('all'), z.literal('none'), z.array(idSchema)], {
  error: 'signOff phải là all, none hoặc danh sách mã cơ quan phối hợp',
});

export const taskSchema = z.strictObject({
  ref: z
    .string({ error: 'cần số thứ tự nhiệm vụ như trong văn bản, ví dụ "1.1"' })
    .trim()
    .min(1, { error: 'ref không được để trống' })
    .max(MAX_LENGTH.id, { error: `ref dài quá ${MAX_LENGTH.id} ký tự: hãy rút gọn` }),
  id: taskIdSchema.optional(),
  title: nonEmpty('tên nhiệm vụ', MAX_LENGTH.taskTitle),
  /** One agency or group id; addition: a list when the plan names several leads (each tracked separately). */
  lead: z.union([idSchema, z.array(idSchema).min(1, { error: 'cần ít nhất một cơ quan chủ trì' })], {
    error: 'lead phải là mã cơ quan/nhóm hoặc danh sách mã',
  }),
  coordinators: z.array(idSchema).default([]),
  timing: timingSchema,
  deliverable: bounded(MAX_LENGTH.taskTitle, 'kết quả, sản phẩm').optional(),
  signOff: signOffSchema.default('all'),
  reminderOffsets: z.array(workingDays).optional(),
  targets: z.array(idSchema).optional(),
  review: z.array(reviewMarkSchema).optional(),
});

export const reportingDutySchema = z.strictObject({
  id: idSchema,
  every: z.enum(['yearly', 'half-yearly', 'quarterly', 'monthly'], {
    error: 'every phải là yearly, half-yearly, quarterly hoặc monthly',
  }),
  due: monthDaySchema,
  to: idSchema,
  text: bounded(MAX_LENGTH.text, 'nguyên văn nhiệm vụ báo cáo').optional(),
  /** Addition: who signs the report ("CHỦ TỊCH", with "TM. ỦY BAN NHÂN DÂN" above it). */
  signer: z
    .strictObject({
      title: nonEmpty('chức vụ người ký', MAX_LENGTH.name),
      authority: z
        .union([nonEmpty('thẩm quyền ký', MAX_LENGTH.name), z.array(nonEmpty('thẩm quyền ký', MAX_LENGTH.name))])
        .optional(),
      name: nonEmpty('họ và tên người ký', MAX_LENGTH.name).optional(),
    })
    .optional(),
  /** Addition: "Nơi nhận" as written, one line each; default the agency the duty reports `to`. */
  recipients: z.array(nonEmpty('nơi nhận', MAX_LENGTH.name)).optional(),
});

export const targetSchema = z.strictObject({
  id: idSchema,
  title: nonEmpty('tên chỉ tiêu', MAX_LENGTH.taskTitle),
  op: z.enum(['>=', '<=', '=', '>', '<'], { error: 'op phải là một trong >=, <=, =, >, <' }),
  value: z.number({ error: 'value phải là một số' }),
  unit: bounded(MAX_LENGTH.name, 'đơn vị tính').optional(),
});

export const planFileSchema = z.strictObject({
  id: idSchema,
  number: z
    .string({ error: 'number là số hiệu văn bản (chuỗi); để "" nếu văn bản bỏ trống' })
    .max(MAX_LENGTH.name, { error: `số hiệu văn bản dài quá ${MAX_LENGTH.name} ký tự: hãy rút gọn` })
    .default(''),
  title: nonEmpty('tên kế hoạch', MAX_LENGTH.planTitle),
  issuer: idSchema,
  issued: isoDateSchema.nullable().default(null),
  period: z.strictObject({ start: isoDateSchema, end: isoDateSchema }),
  timeZone: z
    .string({ error: 'timeZone là tên múi giờ, ví dụ "Asia/Ho_Chi_Minh"' })
    .refine(isKnownTimeZone, { error: 'múi giờ không có trong cơ sở dữ liệu múi giờ (IANA), ví dụ "Asia/Ho_Chi_Minh"' })
    .default(DEFAULT_TIME_ZONE),
  /** Addition: "địa danh" on the date line of the plan's reports ("Đắk Lắk"); default the issuer's. */
  place: nonEmpty('địa danh (place)', MAX_LENGTH.name).optional(),
  /** Path of the directory file, relative to the plan file. */
  directory: nonEmpty('đường dẫn tệp danh bạ cơ quan', MAX_LENGTH.id),
  monitoringAgency: idSchema,
  escalationAuthority: idSchema,
  reminders: z
    .strictObject({
      offsets: z.array(workingDays).default([...DEFAULT_REMINDER_OFFSETS]),
      overdueEveryWorkingDays: workingDays
        .min(1, { error: 'nhịp nhắc quá hạn phải ≥ 1 ngày làm việc' })
        .default(DEFAULT_OVERDUE_EVERY_WORKING_DAYS),
    })
    .default({ offsets: [...DEFAULT_REMINDER_OFFSETS], overdueEveryWorkingDays: DEFAULT_OVERDUE_EVERY_WORKING_DAYS }),
  ladder: z
    .array(
      z.strictObject({
        afterWorkingDays: workingDays.min(1, { error: 'bậc cảnh báo cần ≥ 1 ngày làm việc' }),
        to: ladderTargetSchema,
      }),
    )
    .default(DEFAULT_LADDER.map((l) => ({ ...l }))),
  reportingDuties: z.array(reportingDutySchema).default([]),
  targets: z.array(targetSchema).default([]),
  tasks: z
    .array(taskSchema, { error: 'tasks phải là danh sách nhiệm vụ' })
    .min(1, { error: 'kế hoạch cần ít nhất một nhiệm vụ' }),
});

const emailSchema = z.email({ error: 'địa chỉ thư điện tử không hợp lệ' });

const contactSchema = z.strictObject({
  name: bounded(MAX_LENGTH.name, 'tên người liên hệ').optional(),
  email: emailSchema,
});

export const agencyLevelSchema = z.enum(['central', 'province', 'department', 'district', 'commune', 'organisation'], {
  error: 'level phải là central, province, department, district, commune hoặc organisation',
});

/**
 * Addition: the official administrative unit an agency stands for (`admin-units/`), by official code or name:
 * `unit: "399"`, `unit: "Phường Vũ Ninh"` or `unit: { name: "Huyện Hoằng Hóa", province: "Thanh Hóa" }`. A unit
 * from before 1 July 2025 (an agency of `level: district`, or one with `dissolved`) gets its successors from the
 * data; `confirmed: true` records that the officer checked them.
 */
export const unitRefSchema = z.union(
  [
    z.string().trim().min(1, { error: 'unit không được để trống' }),
    z
      .strictObject({
        code: z.string().trim().min(1).optional(),
        name: z.string().trim().min(1).optional(),
        province: z.string().trim().min(1).optional(),
        confirmed: z.boolean().optional(),
      })
      .refine((u) => u.code !== undefined || u.name !== undefined, {
        error: 'unit cần mã (code) hoặc tên (name) của đơn vị hành chính',
      }),
  ],
  { error: 'unit phải là mã/tên đơn vị hành chính hoặc { code, name, province, confirmed }' },
);

export const agencySchema = z.strictObject({
  id: idSchema,
  name: nonEmpty('tên cơ quan', MAX_LENGTH.name),
  aliases: z.array(bounded(MAX_LENGTH.name, 'tên gọi khác')).default([]),
  level: agencyLevelSchema,
  contacts: z
    .strictObject({ focal: contactSchema.optional(), head: contactSchema.optional(), office: contactSchema.optional() })
    .default({}),
  escalatesTo: idSchema.optional(),
  /** Additions for documents the agency issues: "STP" in "Số: …/BC-STP", "địa danh", full and governing names. */
  abbreviation: z
    .string()
    .trim()
    .regex(/^[\p{Lu}\d][\p{Lu}\d&.-]*$/u, {
      error: 'abbreviation chỉ gồm chữ in hoa, chữ số và dấu gạch ngang, ví dụ "STP"',
    })
    .optional(),
  place: nonEmpty('địa danh (place)', MAX_LENGTH.name).optional(),
  officialName: nonEmpty('tên đầy đủ (officialName)', MAX_LENGTH.name).optional(),
  governingBody: nonEmpty('cơ quan chủ quản (governingBody)', MAX_LENGTH.name).optional(),
  unit: unitRefSchema.optional(),
  /**
   * `successor`: one agency; import moves the open tasks of the dissolved agency to it. Addition: `successors`, the
   * agencies that took it over (filled from the data for a `unit` from before 1 July 2025): its tasks are given to
   * each of them when the plan is loaded.
   */
  dissolved: z
    .strictObject({
      on: isoDateSchema,
      successor: idSchema.optional(),
      successors: z.array(idSchema).min(1, { error: 'successors cần ít nhất một cơ quan' }).optional(),
    })
    .optional(),
});

/** Addition: a group of every administrative unit of a level (of one province, or of the country). */
export const groupUnitsSchema = z.strictObject({
  level: z.enum(['commune', 'province'], { error: 'units.level phải là commune hoặc province' }),
  /** Official code or name of a province (from 1 July 2025); omitted: the whole country. */
  province: z.string().trim().min(1).optional(),
  /** `escalatesTo` of every agency the group creates. */
  escalatesTo: idSchema.optional(),
});

export const groupSchema = z.strictObject({
  id: idSchema,
  name: nonEmpty('tên nhóm', MAX_LENGTH.name),
  members: z.array(idSchema).default([]),
  units: groupUnitsSchema.optional(),
});

export const directoryFileSchema = z.strictObject({
  agencies: z
    .array(agencySchema, { error: 'agencies phải là danh sách cơ quan' })
    .min(1, { error: 'danh bạ cần ít nhất một cơ quan' }),
  groups: z.array(groupSchema).default([]),
  /** Addition: path of a contacts spreadsheet (.xlsx or .csv), relative to the directory file. */
  contacts: z.string().trim().min(1, { error: 'contacts là đường dẫn tệp .xlsx hoặc .csv' }).optional(),
});

export type PlanFile = z.output<typeof planFileSchema>;
export type PlanTask = z.output<typeof taskSchema>;
export type PlanTiming = z.output<typeof timingSchema>;
export type ReviewMark = z.output<typeof reviewMarkSchema>;
export type ReportingDuty = z.output<typeof reportingDutySchema>;
export type PlanTarget = z.output<typeof targetSchema>;
export type DirectoryFile = z.output<typeof directoryFileSchema>;
export type Agency = z.output<typeof agencySchema>;
export type AgencyGroup = z.output<typeof groupSchema>;
export type UnitRef = z.output<typeof unitRefSchema>;
export type GroupUnits = z.output<typeof groupUnitsSchema>;
