import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import type { DeliverySchedule } from '../domain/lifecycle/delivery';

const SECRET_KEYS = new Set([
  'TEMPORAL_API_KEY',
  'DONDOC_LINK_SECRET',
  'DONDOC_BOARD_TOKEN',
  'DONDOC_SMTP_URL',
  'DONDOC_DATABASE_URL',
]);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A PostgreSQL connection URL: postgres:// or postgresql://, a host and a database name. */
const postgresUrl = z.string().refine((value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1
  );
}, 'phải là URL PostgreSQL có máy chủ và tên cơ sở dữ liệu, ví dụ postgres://dondoc:MẬT-KHẨU@127.0.0.1:5432/dondoc');

const durationMinutes = z.coerce
  .number()
  .int()
  .min(0)
  .max(24 * 60);

/** Every runtime setting of dondoc, read from the environment. */
export const envSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'phải có dạng host:port, ví dụ 127.0.0.1:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('dondoc'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  DONDOC_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'phải bắt đầu bằng smtp:// hoặc smtps://')
    .optional(),
  DONDOC_MAIL_FROM: z.string().min(3).default('dondoc <dondoc@localhost>'),
  DONDOC_PUBLIC_URL: z.url('phải là một URL, ví dụ https://dondoc.example.gov.vn').optional(),
  DONDOC_LINK_SECRET: z.string().min(32, 'cần ít nhất 32 ký tự').optional(),
  DONDOC_BOARD_TOKEN: z.string().min(12, 'cần ít nhất 12 ký tự').optional(),
  DONDOC_TZ: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => isValidTimeZone(tz), 'không phải múi giờ IANA hợp lệ, ví dụ Asia/Ho_Chi_Minh'),
  DONDOC_DATA_DIR: z.string().min(1).default('data'),
  // Where dondoc keeps the records Temporal cannot hold (the mail ledger) when it runs on more than one host.
  DONDOC_DATABASE_URL: postgresUrl.optional(),
  // The operator's word that this worker is the only one (the file mail ledger is then safe on a real cluster).
  DONDOC_SINGLE_HOST: bool.optional(),
  // `dondoc worker`: the port of its /healthz and /readyz (on DONDOC_WEB_HOST); unset, no health server.
  DONDOC_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DONDOC_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // The address the web server listens on: loopback unless a reverse proxy on another host needs it.
  DONDOC_WEB_HOST: z
    .string()
    .regex(/^[0-9A-Za-z.:-]+$/, 'phải là một địa chỉ IP hoặc tên máy, ví dụ 127.0.0.1')
    .default('127.0.0.1'),
  DONDOC_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  DONDOC_TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  DONDOC_LANG: z.enum(['vi', 'en']).default('vi'),
  DONDOC_DIGEST_WINDOW_MINUTES: durationMinutes.default(10),
  DONDOC_REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  // The announced minute of reminders, local time; unset: DONDOC_REMINDER_HOUR:00.
  DONDOC_DELIVERY_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'phải có dạng HH:MM (giờ địa phương), ví dụ 08:00')
    .optional(),
  DONDOC_PREPARE_WINDOW_MINUTES: z.coerce.number().int().min(0).max(720).default(60),
  DONDOC_MIDNIGHT_SPREAD_MINUTES: z.coerce.number().int().min(0).max(360).default(60),
  // The memory a worker is given (MB); the workflow cache is sized from it unless DONDOC_MAX_CACHED_WORKFLOWS is set.
  DONDOC_WORKER_MEMORY_MB: z.coerce.number().int().min(256).max(1_048_576).optional(),
  DONDOC_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  DONDOC_EXAMPLE_PLAN: z.string().min(1).default('examples/vu-ninh-2026/plan.yaml'),
  DONDOC_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(10).optional(),
  // Activities a worker runs at once (emails, reports, hand-overs); default the SDK's. 1 sends one email at a time.
  DONDOC_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).optional(),
  // A fixed maximum of workflow-task polls (the SDK's default, 10: 8 for cached workflows, 2 for the others), or
  // 'autoscaling'. Autoscaling left a 70-second tail on a burst of reminders after the worker had been idle a
  // minute (bench/README.md), and idle-then-burst is how reminders come, so it is not the default.
  DONDOC_WORKFLOW_TASK_POLLERS: z
    .union([z.literal('autoscaling'), z.coerce.number().int().min(2).max(200)], {
      error: () => '"autoscaling" hoặc một số nguyên từ 2 đến 200',
    })
    .default(10),
});

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface DondocConfig {
  temporal: {
    /** Undefined: dondoc runs its own embedded dev server. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    apiKey: string | undefined;
    tls:
      | undefined
      | {
          caPath?: string;
          certPath?: string;
          keyPath?: string;
          serverName?: string;
        };
    devServerPort: number;
    devServerUiPort: number;
    maxCachedWorkflows: number | undefined;
    maxConcurrentActivities: number | undefined;
    workflowTaskPollers: 'autoscaling' | number;
  };
  mail: { smtpUrl: string | undefined; from: string; language: 'vi' | 'en'; digestWindowMinutes: number };
  web: { host: string; port: number; publicUrl: string; boardToken: string | undefined };
  links: { secret: string | undefined; ttlDays: number };
  timeZone: string;
  reminderHour: number;
  /** When reminders reach people and when task workflows prepare them (domain/lifecycle/delivery.ts). */
  delivery: DeliverySchedule;
  /** DONDOC_WORKER_MEMORY_MB: what a worker may use; undefined: the SDK's cache default. */
  workerMemoryMb: number | undefined;
  dataDir: string;
  /** PostgreSQL for dondoc's own durable records; undefined: files under dataDir (one host only). */
  database: { url: string | undefined };
  /** DONDOC_SINGLE_HOST: one worker host only, so the file mail ledger may serve a real cluster. */
  singleHost: boolean;
  /** Port of the worker's health endpoints; undefined: none. */
  healthPort: number | undefined;
  examplePlan: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(
      `Cấu hình không hợp lệ (invalid configuration) — ${problems.length} lỗi:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSửa các biến môi trường trên (hoặc tệp .env) rồi chạy lại. Xem bảng cấu hình trong README.',
    );
  }
}

/**
 * Validates the environment and returns dondoc's configuration. Collects every problem before failing;
 * messages name the variable and never include a secret's value.
 */
export function loadConfig(env: NodeJS.ProcessEnv): DondocConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '?');
      const shown = SECRET_KEYS.has(key) ? '(giá trị bí mật, không hiển thị)' : JSON.stringify(input[key]);
      problems.push(`${key}=${shown}: ${issue.message}`);
    }
  }
  const e = parsed.success ? parsed.data : undefined;
  if (e) {
    const tlsFiles = [e.TEMPORAL_TLS_CERT_PATH, e.TEMPORAL_TLS_KEY_PATH].filter(Boolean).length;
    if (tlsFiles === 1) problems.push('TEMPORAL_TLS_CERT_PATH và TEMPORAL_TLS_KEY_PATH phải được đặt cùng nhau (mTLS)');
    if (e.TEMPORAL_ADDRESS !== undefined && e.DONDOC_LINK_SECRET === undefined)
      problems.push('DONDOC_LINK_SECRET: bắt buộc khi dùng Temporal bên ngoài (ít nhất 32 ký tự ngẫu nhiên)');
  }
  if (problems.length > 0 || !e) throw new ConfigError(problems);
  const useTls =
    e.TEMPORAL_TLS ?? (e.TEMPORAL_API_KEY !== undefined || e.TEMPORAL_TLS_CERT_PATH !== undefined || undefined);
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: useTls
        ? {
            caPath: e.TEMPORAL_TLS_CA_PATH,
            certPath: e.TEMPORAL_TLS_CERT_PATH,
            keyPath: e.TEMPORAL_TLS_KEY_PATH,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      devServerPort: e.DONDOC_TEMPORAL_PORT,
      devServerUiPort: e.DONDOC_TEMPORAL_UI_PORT,
      maxCachedWorkflows: e.DONDOC_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: e.DONDOC_MAX_CONCURRENT_ACTIVITIES,
      workflowTaskPollers: e.DONDOC_WORKFLOW_TASK_POLLERS,
    },
    mail: {
      smtpUrl: e.DONDOC_SMTP_URL,
      from: e.DONDOC_MAIL_FROM,
      language: e.DONDOC_LANG,
      digestWindowMinutes: e.DONDOC_DIGEST_WINDOW_MINUTES,
    },
    web: {
      host: e.DONDOC_WEB_HOST,
      port: e.DONDOC_PORT,
      publicUrl: (e.DONDOC_PUBLIC_URL ?? `http://localhost:${e.DONDOC_PORT}`).replace(/\/+$/, ''),
      boardToken: e.DONDOC_BOARD_TOKEN,
    },
    links: { secret: e.DONDOC_LINK_SECRET, ttlDays: e.DONDOC_LINK_TTL_DAYS },
    timeZone: e.DONDOC_TZ,
    reminderHour: e.DONDOC_DELIVERY_TIME ? Number(e.DONDOC_DELIVERY_TIME.slice(0, 2)) : e.DONDOC_REMINDER_HOUR,
    delivery: {
      minuteOfDay: e.DONDOC_DELIVERY_TIME
        ? Number(e.DONDOC_DELIVERY_TIME.slice(0, 2)) * 60 + Number(e.DONDOC_DELIVERY_TIME.slice(3, 5))
        : e.DONDOC_REMINDER_HOUR * 60,
      prepareMinutes: e.DONDOC_PREPARE_WINDOW_MINUTES,
      midnightSpreadMinutes: e.DONDOC_MIDNIGHT_SPREAD_MINUTES,
    },
    workerMemoryMb: e.DONDOC_WORKER_MEMORY_MB,
    dataDir: e.DONDOC_DATA_DIR,
    database: { url: e.DONDOC_DATABASE_URL },
    singleHost: e.DONDOC_SINGLE_HOST ?? false,
    healthPort: e.DONDOC_HEALTH_PORT,
    examplePlan: e.DONDOC_EXAMPLE_PLAN,
  };
}

/**
 * The configuration of this process: the environment, completed by a `.env` file in the working directory when
 * there is one (variables already set win). The only place dondoc reads `process.env`.
 */
export function loadProcessConfig(overrides: Record<string, string | undefined> = {}): DondocConfig {
  const fromFile: Record<string, string> = {};
  const envFile = path.resolve('.env');
  if (fs.existsSync(envFile)) Object.assign(fromFile, dotenv.parse(fs.readFileSync(envFile)));
  return loadConfig({ ...fromFile, ...process.env, ...overrides });
}

/** Whether this process runs under CI or a terminal (progress bars only on a terminal). */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.CI !== 'true';
}

/**
 * A worker on a real Temporal (TEMPORAL_ADDRESS set) keeps its mail ledger in PostgreSQL: with files in its own
 * data folder, a digest retried on another host would be sent again. Refused with what to set, unless the
 * operator said this is the only host (DONDOC_SINGLE_HOST=true).
 */
export function checkLedgerForCluster(config: DondocConfig): void {
  if (config.temporal.address === undefined || config.database.url !== undefined || config.singleHost) return;
  throw new ConfigError([
    `DONDOC_DATABASE_URL: worker nối tới Temporal ${config.temporal.address} nhưng sổ thư đã gửi (mail ledger) đang là tệp trong ${config.dataDir}; ` +
      'worker ở máy khác sẽ không thấy và có thể gửi lại thư. Đặt DONDOC_DATABASE_URL (PostgreSQL, ví dụ từ dondoc cluster up), ' +
      'hoặc DONDOC_SINGLE_HOST=true nếu chỉ có một máy chạy worker.',
  ]);
}
