#!/usr/bin/env node
/**
 * `dondoc`: the command line for officers and scripts. Exit codes scripts can rely on:
 * 0 done · 1 unexpected failure · 2 bad input (file, setting, argument) · 3 action refused by the task ·
 * 4 not found or Temporal unreachable.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { ConfigError, loadProcessConfig, type DondocConfig } from '../config';
import { localDateOf } from '../domain/calendar';
import { formatInstant } from '../domain/format';
import { describeTiming } from '../domain/timing';
import { REPORTING_STATUSES, type ReportingStatus } from '../domain/types';
import { PlanValidationError } from '../plans/load';
import { checkContactsFile, loadDirectoryFile, loadPlan, type LoadedPlan } from '../plans/load';
import { formatSuccessionProposal } from '../plans/units';
import { DocumentReadError, evaluateReader, formatEvalTable, draftToYaml, readDocument, readPlanText } from '../reader';
import { labelReportingStatus, labelTaskState, formatDateShortVi } from '../reports/labels';
import { listOutbox } from '../mail/mailer';
import {
  applyLoadedPlan,
  PlanNotFoundError,
  previewLoadedPlan,
  MAX_WITHDRAW_REASON,
  withdrawPlan,
  WithdrawReasonError,
  type ImportSummary,
  type WithdrawSummary,
} from '../services/import-plan';
import {
  askForMissing,
  buildPlanReport,
  missingFieldsMessage,
  readPlanSources,
  type PlanSources,
} from '../services/periodic-report';
import { ReportInputError, resolveReportHeading, type ReportOfficerInputs } from '../reports/heading';
import { ACTION_LIST, type FieldDef } from '../domain/lifecycle/actions';
import type { ActionInput } from '../domain/lifecycle/inputs';
import { REFUSAL_OUTCOMES } from '../domain/lifecycle/refusals';
import { actOnTask, getTask, listTasks, planIdOfTask } from '../services/tasks';
import { connectClient } from '../services/temporal-connection';
import { PlanStore } from '../services/plan-store';
import { outboxFolder } from '../activities';
import { ClusterError } from '../cluster/errors';
import { cliDateProblem } from './args';
import { createProgress } from './progress';
import { formatStatus } from './status-table';
import { runStart, runWeb } from './start';
import { TIMELINE_ACTION_WORDS } from '../web/html';

export const EXIT = { ok: 0, failure: 1, badInput: 2, refused: 3, notFound: 4 } as const;

interface ReportCliOptions {
  asOf?: string;
  out: string;
  duty?: string;
  code?: string;
  place?: string;
  signerTitle?: string;
  signerAuthority: string[];
  signerName?: string;
  recipient: string[];
  assessment?: string;
  proposals?: string;
  input?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A text flag, or the UTF-8 file it names when it starts with `@`. */
function textOrFile(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('@')) return value;
  const file = value.slice(1);
  try {
    return fs
      .readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .normalize('NFC');
  } catch (err) {
    throw new CliError(
      `${flag}: không đọc được tệp ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      EXIT.badInput,
    );
  }
}

function officerInputsOf(opts: ReportCliOptions): ReportOfficerInputs {
  const assessment = textOrFile('--assessment', opts.assessment);
  const proposals = textOrFile('--proposals', opts.proposals);
  return {
    ...(opts.duty !== undefined ? { dutyId: opts.duty } : {}),
    ...(opts.code !== undefined ? { documentCode: opts.code } : {}),
    ...(opts.place !== undefined ? { place: opts.place } : {}),
    ...(opts.signerTitle !== undefined ? { signerTitle: opts.signerTitle } : {}),
    ...(opts.signerAuthority.length > 0 ? { signerAuthority: opts.signerAuthority } : {}),
    ...(opts.signerName !== undefined ? { signerName: opts.signerName } : {}),
    ...(opts.recipient.length > 0 ? { recipients: opts.recipient } : {}),
    ...(assessment !== undefined ? { assessment } : {}),
    ...(proposals !== undefined ? { proposals } : {}),
  };
}

class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

function config(): DondocConfig {
  return loadProcessConfig();
}

async function withClient<T>(
  fn: (client: Awaited<ReturnType<typeof connectClient>>, cfg: DondocConfig) => Promise<T>,
): Promise<T> {
  const cfg = config();
  let client;
  try {
    client = await connectClient(cfg);
  } catch (err) {
    throw new CliError(
      `Không kết nối được Temporal (${cfg.temporal.address ?? `127.0.0.1:${cfg.temporal.devServerPort}`}): ${(err as Error).message}. ` +
        'Hãy chạy "npm start" (hoặc đặt TEMPORAL_ADDRESS).',
      EXIT.notFound,
    );
  }
  try {
    return await fn(client, cfg);
  } finally {
    await client.connection.close();
  }
}

function printImport(summary: ImportSummary, json: boolean): void {
  if (json) {
    const { diff: _diff, ...rest } = summary;
    out(JSON.stringify(rest));
    return;
  }
  out(
    `Kế hoạch ${summary.planId}: ${summary.started} nhiệm vụ bắt đầu theo dõi, ${summary.amended} điều chỉnh, ${summary.cancelled} hủy, ${summary.unchanged} không đổi.`,
  );
  if (summary.successions) out(`${summary.successions} nhiệm vụ chuyển sang cơ quan kế thừa.`);
  if (summary.text.trim()) out(summary.text);
}

/** The CLI flag of an action field (kebab-case of its name, or the registry's own). */
function cliFlagOf(f: FieldDef): string {
  return f.flag ?? f.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** commander's option key of a flag: `new-due` → `newDue`. */
function camelOf(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** What reading the plan changed without refusing it (invisible characters removed), on stderr. */
function printWarnings(loaded: LoadedPlan): void {
  for (const w of loaded.warnings)
    process.stderr.write(
      `Cảnh báo: ${w.file}${w.line !== undefined ? `:${w.line}:${w.column ?? 1}` : ''}  ${w.field}  ${w.message}\n`,
    );
}

function printSuccessions(loaded: LoadedPlan): void {
  if (loaded.successions.length === 0) return;
  out(
    `Giao nhiệm vụ cho đơn vị kế nhiệm theo dữ liệu đơn vị hành chính (${loaded.successions.length} cơ quan đã giải thể):`,
  );
  for (const p of loaded.successions) out(`  ${formatSuccessionProposal(p)}`);
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dondoc')
    .description('Đôn đốc: theo dõi, nhắc hạn và đôn đốc các nhiệm vụ của kế hoạch (Temporal)')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('start')
    .description('Chạy tất cả trên máy này: Temporal dev server (SQLite), worker, web, nhập kế hoạch mẫu')
    .option('--no-example', 'không nhập kế hoạch mẫu')
    .action(async (opts: { example: boolean }) => {
      await runStart(config(), { importExample: opts.example });
    });

  program
    .command('import <plan>')
    .description('Nhập (hoặc cập nhật) một kế hoạch YAML/JSON: kiểm tra toàn bộ trước, chỉ áp dụng phần thay đổi')
    .option('--accept-review', 'chấp nhận bản nháp còn mục cần rà soát')
    .option(
      '--confirm-successors',
      'xác nhận giao nhiệm vụ của đơn vị đã giải thể cho đơn vị kế nhiệm theo dữ liệu đơn vị hành chính',
    )
    .option(
      '--dry-run',
      'chỉ in phần thay đổi (bắt đầu / điều chỉnh / hủy / giữ nguyên, từng nhiệm vụ), không áp dụng gì',
    )
    .option('--json', 'in kết quả dạng JSON')
    .action(
      async (
        planPath: string,
        opts: { acceptReview?: boolean; confirmSuccessors?: boolean; dryRun?: boolean; json?: boolean },
      ) => {
        // The whole plan is checked first: a bad file exits 2 and starts nothing, whether Temporal is up or not.
        const loaded = await loadPlan(planPath, {
          acceptReview: opts.acceptReview,
          confirmSuccessors: opts.confirmSuccessors,
        });
        printWarnings(loaded);
        if (opts.dryRun) {
          await withClient(async (client) => {
            const preview = await previewLoadedPlan(loaded, { client });
            if (opts.json) {
              const { diff, text: _text, ...counts } = preview;
              out(
                JSON.stringify({
                  ...counts,
                  tasks: [
                    ...diff.start.map((s) => ({ workflowId: s.workflowId, action: 'start' })),
                    ...diff.amend.map((a) => ({ workflowId: a.spec.workflowId, action: 'amend', changes: a.changes })),
                    ...diff.cancel.map((id) => ({ workflowId: id, action: 'cancel', reason: diff.cancelReasons[id] })),
                    ...diff.unchanged.map((id) => ({ workflowId: id, action: 'unchanged' })),
                  ],
                }),
              );
              return;
            }
            printSuccessions(loaded);
            out(
              `Chạy thử (--dry-run), chưa áp dụng gì. Kế hoạch ${preview.planId}: ${preview.start} nhiệm vụ sẽ bắt đầu, ${preview.amend} điều chỉnh, ${preview.cancel} hủy, ${preview.unchanged} giữ nguyên.`,
            );
            out(preview.text);
          });
          return;
        }
        await withClient(async (client, cfg) => {
          const progress = createProgress('Nhập nhiệm vụ');
          try {
            const summary = await applyLoadedPlan(loaded, {
              client,
              taskQueue: cfg.temporal.taskQueue,
              dataDir: cfg.dataDir,
              reminderHour: cfg.reminderHour,
              delivery: cfg.delivery,
              acceptReview: opts.acceptReview,
              confirmSuccessors: opts.confirmSuccessors,
              onProgress: progress.update,
            });
            progress.stop();
            if (!opts.json) printSuccessions(loaded);
            printImport(summary, Boolean(opts.json));
          } finally {
            progress.stop();
          }
        });
      },
    );

  const plan = program.command('plan').description('Thao tác trên cả một kế hoạch');
  plan
    .command('withdraw <planId>')
    .description(
      'Rút một kế hoạch nhập nhầm: hủy mọi nhiệm vụ đang mở (ghi lý do vào diễn biến), thôi gửi báo cáo định kỳ, bỏ khỏi bảng theo dõi',
    )
    .requiredOption('--reason <text>', 'lý do rút kế hoạch (ghi vào diễn biến từng nhiệm vụ)')
    .option('--json', 'in JSON')
    .action(async (planId: string, opts: { reason: string; json?: boolean }) => {
      if (opts.reason.trim() === '') throw new CliError('--reason: cần ghi lý do rút kế hoạch.', EXIT.badInput);
      if ([...opts.reason.trim()].length > MAX_WITHDRAW_REASON)
        throw new CliError(
          `--reason: lý do dài quá ${MAX_WITHDRAW_REASON.toLocaleString('vi-VN')} ký tự, hãy rút gọn.`,
          EXIT.badInput,
        );
      await withClient(async (client) => {
        let summary: WithdrawSummary;
        try {
          summary = await withdrawPlan(client, planId, opts.reason);
        } catch (err) {
          if (err instanceof PlanNotFoundError) throw new CliError(err.message, EXIT.notFound);
          if (err instanceof WithdrawReasonError) throw new CliError(err.message, EXIT.badInput);
          throw err;
        }
        if (opts.json) out(JSON.stringify(summary));
        else
          out(
            `Đã rút kế hoạch ${planId} (lý do: ${summary.reason}): ${summary.cancelled} nhiệm vụ đang mở đã hủy, ${summary.untouched} nhiệm vụ đã xong hoặc đã hủy trước đó giữ nguyên. Kế hoạch không còn trên bảng theo dõi và không gửi báo cáo định kỳ nữa.`,
          );
      });
    });

  program
    .command('validate <plan>')
    .description('Kiểm tra một tệp kế hoạch mà không nhập')
    .option('--accept-review', 'bỏ qua các mục cần rà soát')
    .option('--confirm-successors', 'xác nhận đơn vị kế nhiệm theo dữ liệu đơn vị hành chính')
    .action(async (planPath: string, opts: { acceptReview?: boolean; confirmSuccessors?: boolean }) => {
      const loaded = await loadPlan(planPath, {
        acceptReview: opts.acceptReview,
        confirmSuccessors: opts.confirmSuccessors,
      });
      printWarnings(loaded);
      printSuccessions(loaded);
      out(`Hợp lệ: ${loaded.plan.tasks.length} nhiệm vụ, ${loaded.instances.length} phiên bản theo dõi.`);
    });

  const contacts = program
    .command('contacts')
    .description('Liên hệ (đầu mối, thủ trưởng, văn thư) của các đơn vị, từ bảng tính');
  contacts
    .command('check <file>')
    .description(
      'Kiểm tra từng dòng của bảng liên hệ (.xlsx hoặc .csv: mã, tên, vai trò, thư điện tử) với danh bạ; không áp dụng gì',
    )
    .requiredOption('--directory <file>', 'tệp danh bạ cơ quan (YAML/JSON)')
    .option('--json', 'in JSON')
    .action(async (file: string, opts: { directory: string; json?: boolean }) => {
      let checked: Awaited<ReturnType<typeof checkContactsFile>>;
      try {
        checked = await checkContactsFile(file, opts.directory);
      } catch (err) {
        if (!(err instanceof PlanValidationError)) throw err;
        throw new CliError(
          `Bảng liên hệ hoặc danh bạ có ${err.issues.length} lỗi, không áp dụng gì. Sửa tất cả rồi kiểm tra lại:\n${err.format()}`,
          EXIT.badInput,
        );
      }
      const agencies = new Set(checked.contacts.map((c) => c.agencyId)).size;
      if (opts.json) out(JSON.stringify({ contacts: checked.contacts, agencies }));
      else out(`Bảng liên hệ hợp lệ: ${checked.contacts.length} liên hệ của ${agencies} cơ quan, đơn vị.`);
    });

  program
    .command('timing <text>')
    .description('Đọc một cách ghi thời hạn ("Quý II/2024", "Hằng năm", …) thành lịch cụ thể')
    .option('--issued <date>', 'ngày ban hành kế hoạch (YYYY-MM-DD)')
    .option('--period-end <date>', 'ngày kết thúc kỳ kế hoạch (YYYY-MM-DD)')
    .option('--json', 'in JSON')
    .action((text: string, opts: { issued?: string; periodEnd?: string; json?: boolean }) => {
      for (const [name, v] of [
        ['--issued', opts.issued],
        ['--period-end', opts.periodEnd],
      ] as const) {
        const problem = v === undefined ? null : cliDateProblem(name, v);
        if (problem) throw new CliError(problem, EXIT.badInput);
      }
      const t = describeTiming(text, { issued: opts.issued, periodEnd: opts.periodEnd });
      if (opts.json) out(JSON.stringify(t));
      else
        out(
          `${t.text}\n  loại: ${t.kind} (${t.recurrence})\n  hạn: ${t.due ?? '—'}  hạn thực tế: ${t.effectiveDue ?? '—'}\n  các hạn: ${t.dues.join(', ') || '—'}\n  ${t.confident ? 'chắc chắn' : 'CẦN XÁC NHẬN'}: ${t.reason}`,
        );
    });

  program
    .command('status <planId>')
    .description('Bảng nhiệm vụ của một kế hoạch, theo tình trạng và cơ quan')
    .addOption(new Option('--status <status>', 'lọc theo tình trạng báo cáo').choices([...REPORTING_STATUSES]))
    .option('--agency <id>', 'lọc theo cơ quan (chủ trì hoặc phối hợp)')
    .option('--json', 'in JSON')
    .action(async (planId: string, opts: { status?: ReportingStatus; agency?: string; json?: boolean }) => {
      await withClient(async (client, cfg) => {
        const rows = await listTasks(
          client,
          { planId, status: opts.status, agencyId: opts.agency },
          { timeZone: cfg.timeZone },
        );
        if (opts.json) {
          out(JSON.stringify(rows));
          return;
        }
        if (rows.length === 0) throw new CliError(`Không có nhiệm vụ nào của kế hoạch "${planId}".`, EXIT.notFound);
        const zone = (await planTimeZone(client, planId)) ?? cfg.timeZone;
        out(formatStatus(planId, rows, localDateOf(Date.now(), zone)));
      });
    });

  program
    .command('task <workflowId>')
    .description('Chi tiết và diễn biến của một nhiệm vụ')
    .option('--json', 'in JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      await withClient(async (client, cfg) => {
        const snap = await getTask(client, workflowId).catch((err: Error) => {
          throw new CliError(`Không tìm thấy nhiệm vụ ${workflowId}: ${err.message}`, EXIT.notFound);
        });
        if (opts.json) {
          out(JSON.stringify(snap));
          return;
        }
        // Instants are stored in UTC; people read them on the plan's clock, as the board shows them.
        const zone = (await planTimeZone(client, snap.planId)) ?? cfg.timeZone;
        const at = (instant: string): string => formatInstant(instant, zone);
        out(
          `${snap.taskRef} ${snap.title}\n  chủ trì: ${snap.lead.name}\n  trạng thái: ${labelTaskState(snap.state)} · ${labelReportingStatus(snap.reportingStatus)}`,
        );
        out(`  hạn: ${snap.effectiveDue ? formatDateShortVi(snap.effectiveDue) : '—'} (${snap.timingText})`);
        if (snap.pendingExtension)
          out(
            `  xin gia hạn đến ${formatDateShortVi(snap.pendingExtension.newDue)} (${at(snap.pendingExtension.at)}): ${snap.pendingExtension.reason}`,
          );
        out(`  giờ theo múi giờ của kế hoạch: ${zone}`);
        for (const t of snap.timeline)
          out(
            `  ${at(t.at)}  ${t.actor.name}  ${TIMELINE_ACTION_WORDS.vi[t.action] ?? t.action}${t.note ? ` — ${t.note}` : ''}`,
          );
      });
    });

  // One command per action of the registry (domain/lifecycle/actions.ts), with its fields as flags.
  for (const def of ACTION_LIST) {
    const cmd = program
      .command(`${def.command} <workflowId>`)
      .description(def.title.vi)
      .requiredOption('--as <agencyId>', 'cơ quan thực hiện');
    const fields = def.fields.filter((f) => f.kind !== 'evidence');
    for (const f of fields) {
      const flag = `--${cliFlagOf(f)} <${f.kind === 'date' ? 'YYYY-MM-DD' : f.kind === 'agency' ? 'agencyId' : f.kind === 'number' ? 'số' : 'giá trị'}>`;
      if (f.required) cmd.requiredOption(flag, f.label.vi);
      else cmd.option(flag, f.label.vi);
    }
    cmd.option('--action-id <id>', 'mã thao tác: chạy lại lệnh với cùng mã thì thao tác chỉ được thực hiện một lần');
    cmd.option('--json', 'in JSON');
    cmd.action(async (workflowId: string, opts: Record<string, string | boolean | undefined>) => {
      await withClient(async (client) => {
        const input: ActionInput = {
          actor: { agencyId: String(opts.as) },
          actionId: typeof opts.actionId === 'string' ? opts.actionId : `cli:${randomUUID()}`,
          via: 'cli',
        };
        for (const f of fields) {
          const raw = opts[camelOf(cliFlagOf(f))];
          if (typeof raw !== 'string') continue;
          if (f.kind === 'agency') {
            const name = await new PlanStore(client).agencyName(raw, planIdOfTask(workflowId));
            input[f.name] = { id: raw, name: name ?? raw };
          } else input[f.name] = f.kind === 'number' ? Number(raw.replace(',', '.')) : raw;
        }
        const outcome = await actOnTask(client, workflowId, def.name, input);
        if (opts.json) out(JSON.stringify(outcome));
        if (!outcome.ok) {
          if (outcome.code === 'not_found') throw new CliError(outcome.reason, EXIT.notFound);
          const exit = REFUSAL_OUTCOMES[outcome.code].exit;
          if (exit !== EXIT.ok) throw new CliError(outcome.reason, exit);
          if (!opts.json) out(outcome.reason);
          return;
        }
        if (!opts.json) out(outcome.result.message);
      });
    });
  }

  program
    .command('outbox')
    .description('Thư trong hộp thư đi cục bộ (khi không cấu hình SMTP)')
    .option('--json', 'in JSON')
    .action(async (opts: { json?: boolean }) => {
      const cfg = config();
      const messages = await listOutbox(outboxFolder(cfg));
      if (opts.json) out(JSON.stringify(messages));
      else
        for (const m of messages)
          out(`${formatInstant(m.date, cfg.timeZone)}  ${m.to.join(', ')}  ${m.subject}\n    ${m.file}`);
    });

  program
    .command('report <planId>')
    .description('Lập báo cáo định kỳ (.xlsx và .docx) tại một ngày, theo thể thức Nghị định 30/2020')
    .option('--as-of <date>', 'tính đến ngày (YYYY-MM-DD), mặc định hôm nay')
    .option('--out <dir>', 'thư mục lưu tệp', '.')
    .option('--duty <id>', 'nhiệm vụ báo cáo của kế hoạch (reportingDuties[].id), mặc định cái đầu tiên')
    .option('--code <code>', 'ký hiệu văn bản, ví dụ BC-UBND (mặc định theo cơ quan ban hành kế hoạch)')
    .option('--place <name>', 'địa danh ghi trên văn bản, ví dụ Đắk Lắk')
    .option('--signer-title <title>', 'chức vụ người ký, ví dụ CHỦ TỊCH')
    .option(
      '--signer-authority <line>',
      'dòng thẩm quyền trên chức vụ (TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH); lặp lại được',
      collect,
      [],
    )
    .option('--signer-name <name>', 'họ và tên người ký')
    .option('--recipient <line>', 'một dòng "Nơi nhận"; lặp lại được', collect, [])
    .option('--assessment <text>', 'mục "Đánh giá chung" (hoặc @tệp để đọc từ tệp)')
    .option('--proposals <text>', 'mục "Kiến nghị, đề xuất" (hoặc @tệp để đọc từ tệp)')
    .option('--no-input', 'không hỏi: báo lỗi nếu còn thiếu thông tin')
    .option('--json', 'in JSON')
    .action(async (planId: string, opts: ReportCliOptions) => {
      const asOfProblem = opts.asOf === undefined ? null : cliDateProblem('--as-of', opts.asOf);
      if (asOfProblem) throw new CliError(asOfProblem, EXIT.badInput);
      await withClient(async (client) => {
        const plans = new PlanStore(client);
        let sources: PlanSources;
        try {
          sources = await readPlanSources(plans, planId);
        } catch (err) {
          throw new CliError((err as Error).message, EXIT.notFound);
        }
        let officer = officerInputsOf(opts);
        const resolve = (inputs: ReportOfficerInputs) => {
          try {
            return resolveReportHeading(sources.plan, sources.directory, inputs);
          } catch (err) {
            if (err instanceof ReportInputError) throw new CliError(err.message, EXIT.badInput);
            throw err;
          }
        };
        let { missing } = resolve(officer);
        if (missing.length > 0 && opts.input !== false && process.stdin.isTTY) {
          process.stderr.write(`${missingFieldsMessage(planId, missing)}\n`);
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          // Lines are read through the iterator, which keeps lines typed (or pasted) ahead of their question.
          const lines = rl[Symbol.asyncIterator]();
          try {
            officer = await askForMissing(missing, officer, async (question) => {
              rl.setPrompt(question);
              rl.prompt();
              const next = await lines.next();
              return next.done ? '' : String(next.value);
            });
          } finally {
            rl.close();
          }
          ({ missing } = resolve(officer));
        }
        if (missing.length > 0)
          throw new CliError(`${missingFieldsMessage(planId, missing)}\nChưa tạo tệp nào.`, EXIT.badInput);
        const built = await buildPlanReport(client, plans, planId, opts.asOf, undefined, undefined, officer);
        fs.mkdirSync(opts.out, { recursive: true });
        const xlsx = path.join(opts.out, `${built.fileBase}.xlsx`);
        const docx = path.join(opts.out, `${built.fileBase}.docx`);
        fs.writeFileSync(xlsx, built.xlsx);
        fs.writeFileSync(docx, built.docx);
        if (opts.json) out(JSON.stringify({ xlsx, docx, counts: built.report.counts, summary: built.report.summary }));
        else out(`${built.report.summary}\n${xlsx}\n${docx}`);
      });
    });

  program
    .command('draft <file>')
    .description('Đọc văn bản kế hoạch (.txt, .md, .docx, .pdf — cả PDF scan, qua OCR) thành bản nháp YAML để rà soát')
    .option('--directory <file>', 'danh bạ cơ quan để đối chiếu tên')
    .option('--plan-id <id>', 'mã kế hoạch trong bản nháp')
    .option('--out <file>', 'ghi ra tệp thay vì màn hình')
    .action(async (file: string, opts: { directory?: string; planId?: string; out?: string }) => {
      if (!fs.existsSync(file)) throw new CliError(`Không tìm thấy tệp ${file}`, EXIT.badInput);
      let text: string;
      let uncertain: { text: string; page: number; confidence: number }[] | undefined;
      try {
        const read = await readDocument(fs.readFileSync(file), file, {
          onProgress: ({ page, pages }) => process.stderr.write(`Nhận dạng chữ (OCR) trang ${page}/${pages}…\n`),
        });
        if (read.format === 'pdf-ocr')
          process.stderr.write(`Đã đọc ${read.pages ?? 0} trang scan bằng OCR: kiểm tra kỹ bản nháp.\n`);
        text = read.text;
        uncertain = read.uncertain;
      } catch (err) {
        if (err instanceof DocumentReadError) throw new CliError(err.message, EXIT.badInput);
        throw err;
      }
      const directory = opts.directory ? loadDirectoryFile(opts.directory) : undefined;
      const draft = readPlanText(text, { directory, fileName: file, ocrUncertain: uncertain });
      const planId =
        opts.planId ??
        path
          .basename(file)
          .replace(/\.[^.]+$/, '')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-');
      const yaml = draftToYaml(draft, { planId, directory, directoryPath: opts.directory });
      if (opts.out) fs.writeFileSync(opts.out, yaml);
      else out(yaml);
      const marks = draft.tasks.reduce((n, t) => n + t.review.length, draft.marks.length);
      process.stderr.write(
        `${draft.tasks.length} nhiệm vụ; ${marks} mục cần rà soát; ${draft.unknownAgencies.length} tên cơ quan chưa có trong danh bạ.\n`,
      );
    });

  program
    .command('eval-reader <paths...>')
    .description('Đánh giá bộ đọc kế hoạch trên các cặp X.txt / X.gold.json (thư mục hoặc tệp .txt)')
    .option('--json', 'in JSON')
    .action(async (paths: string[], opts: { json?: boolean }) => {
      let result;
      try {
        result = await evaluateReader(paths);
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.badInput);
      }
      out(opts.json ? JSON.stringify(result) : formatEvalTable(result));
    });

  const cluster = program
    .command('cluster')
    .description('Một cụm Temporal thật trên PostgreSQL ở máy này, trong một thư mục (up / down / status)');
  const clusterDir = (dir: string | undefined): string => path.resolve(dir ?? path.join(config().dataDir, 'cluster'));
  const integer =
    (name: string) =>
    (v: string): number => {
      if (!/^\d+$/.test(v)) throw new CliError(`${name} phải là số nguyên dương (nhận: "${v}")`, EXIT.badInput);
      return Number(v);
    };
  cluster
    .command('up')
    .description(
      'Tạo (lần đầu) hoặc khởi động cụm: PostgreSQL, lược đồ, máy chủ Temporal, namespace, thuộc tính tìm kiếm',
    )
    .option('--dir <dir>', 'thư mục của cụm (mặc định: <DONDOC_DATA_DIR>/cluster)')
    .option('--shards <n>', 'số history shard, cố định khi tạo cụm (mặc định 16)', integer('--shards'))
    .option(
      '--port <port>',
      'cổng gRPC của Temporal khi tạo cụm (mặc định: cổng trống đầu tiên từ 7233)',
      integer('--port'),
    )
    .option('--json', 'in JSON (không có mật khẩu)')
    .action(async (opts: { dir?: string; shards?: number; port?: number; json?: boolean }) => {
      const { startCluster } = await import('../cluster');
      const started = Date.now();
      const up = await startCluster({
        dir: clusterDir(opts.dir),
        shards: opts.shards,
        ports: opts.port === undefined ? undefined : { frontend: opts.port },
        onProgress: (line) => process.stderr.write(`==> ${line}\n`),
      });
      const { redactDatabaseUrl } = await import('../storage/postgres');
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (opts.json) {
        const { dir, outcome, temporalAddress, namespace, shards, postgresAddress, envFile, logs } = up;
        const databaseUrl = redactDatabaseUrl(up.databaseUrl);
        out(
          JSON.stringify({
            dir,
            outcome,
            temporalAddress,
            namespace,
            shards,
            postgresAddress,
            databaseUrl,
            envFile,
            logs,
            seconds: Number(seconds),
          }),
        );
        return;
      }
      const what = { created: 'đã tạo và chạy', started: 'đã khởi động', running: 'đang chạy sẵn' }[up.outcome];
      out(`Cụm dondoc ${what} (${seconds} s): ${up.dir}`);
      out(`  Temporal (gRPC):       ${up.temporalAddress} · namespace ${up.namespace} · ${up.shards} shard`);
      out(`  PostgreSQL:            ${up.postgresAddress}`);
      out(`  DONDOC_DATABASE_URL:   ${redactDatabaseUrl(up.databaseUrl)}`);
      out(`  Biến môi trường:       ${up.envFile} (chứa mật khẩu; nạp bằng: set -a; . ${up.envFile}; set +a)`);
      out(`  Nhật ký Temporal:      ${up.logs.temporal}`);
      out(`  Nhật ký lược đồ:       ${up.logs.schema}`);
      out(`  Nhật ký PostgreSQL:    ${up.logs.postgres}`);
      out(`  Dừng:                  npx dondoc cluster down --dir ${up.dir}`);
    });
  cluster
    .command('down')
    .description('Dừng máy chủ Temporal rồi PostgreSQL của cụm (dữ liệu được giữ)')
    .option('--dir <dir>', 'thư mục của cụm (mặc định: <DONDOC_DATA_DIR>/cluster)')
    .action(async (opts: { dir?: string }) => {
      const { stopCluster } = await import('../cluster');
      const dir = clusterDir(opts.dir);
      const stopped = await stopCluster(dir, (line) => process.stderr.write(`==> ${line}\n`));
      out(
        stopped.temporal || stopped.postgres
          ? `Đã dừng cụm ${dir} (${[stopped.temporal && 'Temporal', stopped.postgres && 'PostgreSQL'].filter(Boolean).join(', ')}); dữ liệu được giữ. Chạy lại: npx dondoc cluster up --dir ${dir}`
          : `Cụm ${dir} không chạy; không có gì để dừng.`,
      );
    });
  cluster
    .command('status')
    .description('Cụm đang chạy gì, ở đâu')
    .option('--dir <dir>', 'thư mục của cụm (mặc định: <DONDOC_DATA_DIR>/cluster)')
    .option('--json', 'in JSON')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const { clusterStatus } = await import('../cluster');
      const status = await clusterStatus(clusterDir(opts.dir));
      if (opts.json) out(JSON.stringify(status));
      else if (!status.exists) out(`Chưa có cụm ở ${status.dir}. Tạo bằng: npx dondoc cluster up --dir ${status.dir}`);
      else {
        const state = (running: boolean | undefined): string => (running ? 'đang chạy' : 'đã dừng');
        out(`Cụm dondoc: ${status.dir}`);
        out(
          `  Temporal (gRPC):       ${status.temporal?.address} · ${state(status.temporal?.running)}${status.temporal?.pid ? ` (pid ${status.temporal.pid})` : ''} · namespace ${status.namespace} · ${status.shards} shard`,
        );
        out(`  PostgreSQL:            ${status.postgres?.address} · ${state(status.postgres?.running)}`);
        out(`  DONDOC_DATABASE_URL:   ${status.databaseUrl}`);
        out(`  Biến môi trường:       ${status.envFile}`);
        out(`  Nhật ký:               ${status.logs?.temporal}, ${status.logs?.postgres}`);
      }
    });

  program
    .command('web')
    .description('Chỉ chạy máy chủ web (triển khai trên cụm Temporal; cần TEMPORAL_ADDRESS)')
    .action(async () => {
      await runWeb(config());
    });

  program
    .command('worker')
    .description('Chỉ chạy worker (triển khai trên cụm Temporal)')
    .action(async () => {
      await import('../workers/main');
    });

  return program;
}

/**
 * The time zone of an imported plan, or undefined when the plan is not known here. Read with a query of the plan's
 * workflow, which needs a worker: when none answers within 3 s the caller falls back to DONDOC_TZ rather than wait.
 */
async function planTimeZone(
  client: Awaited<ReturnType<typeof connectClient>>,
  planId: string,
): Promise<string | undefined> {
  try {
    const record = await client.connection.withDeadline(Date.now() + 3000, () => new PlanStore(client).get(planId));
    return record?.plan.timeZone;
  } catch {
    return undefined;
  }
}

/**
 * A reader that stops early (`dondoc status … | head`) closes the pipe: the rest of the output has nowhere to go,
 * which is not an error. Stop quietly instead of crashing with EPIPE.
 */
function stopQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT.ok);
      throw err;
    });
}

export async function main(argv: string[]): Promise<number> {
  stopQuietlyOnClosedPipe();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return EXIT.badInput;
    if (err instanceof PlanValidationError) {
      process.stderr.write(`Tệp kế hoạch không hợp lệ — ${err.issues.length} lỗi, chưa nhập gì:\n${err.format()}\n`);
      return EXIT.badInput;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.badInput;
    }
    if (err instanceof ClusterError) {
      process.stderr.write(`Cụm dondoc: ${err.message}\n`);
      return err.details.badInput ? EXIT.badInput : EXIT.failure;
    }
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      return err.code;
    }
    process.stderr.write(`Lỗi: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT.failure;
    },
  );
}
