#!/usr/bin/env node
/**
 * `dondoc`: the command line for officers and scripts. Exit codes scripts can rely on:
 * 0 done · 1 unexpected failure · 2 bad input (file, setting, argument) · 3 action refused by the task ·
 * 4 not found or Temporal unreachable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError, loadProcessConfig, type DondocConfig } from '../config';
import { describeTiming } from '../domain/timing';
import type { ReportingStatus } from '../domain/types';
import { PlanValidationError } from '../plans/load';
import { loadDirectoryFile } from '../plans/load';
import { DocumentReadError, evaluateReader, formatEvalTable, draftToYaml, readDocument, readPlanText } from '../reader';
import { labelReportingStatus, labelTaskState, formatDateShortVi } from '../reports/labels';
import { listOutbox } from '../mail/mailer';
import { importPlan, type ImportSummary } from '../services/import-plan';
import { buildPlanReport } from '../services/periodic-report';
import { actOnTask, getTask, listTasks, type ActionName } from '../services/tasks';
import { connectClient } from '../services/temporal-connection';
import { DirectoryStore } from '../services/directory-store';
import { outboxFolder } from '../activities';
import { createProgress } from './progress';
import { runStart } from './start';

export const EXIT = { ok: 0, failure: 1, badInput: 2, refused: 3, notFound: 4 } as const;

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

async function withClient<T>(fn: (client: Awaited<ReturnType<typeof connectClient>>, cfg: DondocConfig) => Promise<T>): Promise<T> {
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
  out(`Kế hoạch ${summary.planId}: ${summary.started} nhiệm vụ bắt đầu theo dõi, ${summary.amended} điều chỉnh, ${summary.cancelled} hủy, ${summary.unchanged} không đổi.`);
  if (summary.successions) out(`${summary.successions} nhiệm vụ chuyển sang cơ quan kế thừa.`);
  if (summary.text.trim()) out(summary.text);
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
    .option('--json', 'in kết quả dạng JSON')
    .action(async (planPath: string, opts: { acceptReview?: boolean; json?: boolean }) => {
      await withClient(async (client, cfg) => {
        const progress = createProgress('Nhập nhiệm vụ');
        try {
          const summary = await importPlan(planPath, {
            client,
            taskQueue: cfg.temporal.taskQueue,
            dataDir: cfg.dataDir,
            reminderHour: cfg.reminderHour,
            acceptReview: opts.acceptReview,
            onProgress: progress.update,
          });
          progress.stop();
          printImport(summary, Boolean(opts.json));
        } finally {
          progress.stop();
        }
      });
    });

  program
    .command('validate <plan>')
    .description('Kiểm tra một tệp kế hoạch mà không nhập')
    .option('--accept-review', 'bỏ qua các mục cần rà soát')
    .action(async (planPath: string, opts: { acceptReview?: boolean }) => {
      const { loadPlanFile } = await import('../plans/load');
      const loaded = loadPlanFile(planPath, { acceptReview: opts.acceptReview });
      out(`Hợp lệ: ${loaded.plan.tasks.length} nhiệm vụ, ${loaded.instances.length} phiên bản theo dõi.`);
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
      ] as const)
        if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v))
          throw new CliError(`${name} phải có dạng YYYY-MM-DD (nhận: "${v}")`, EXIT.badInput);
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
    .addOption(new Option('--status <status>', 'lọc theo tình trạng báo cáo'))
    .option('--agency <id>', 'lọc theo cơ quan (chủ trì hoặc phối hợp)')
    .option('--json', 'in JSON')
    .action(async (planId: string, opts: { status?: ReportingStatus; agency?: string; json?: boolean }) => {
      await withClient(async (client, cfg) => {
        const rows = await listTasks(client, { planId, status: opts.status, agencyId: opts.agency }, { timeZone: cfg.timeZone });
        if (opts.json) {
          out(JSON.stringify(rows));
          return;
        }
        if (rows.length === 0) throw new CliError(`Không có nhiệm vụ nào của kế hoạch "${planId}".`, EXIT.notFound);
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        out(`Kế hoạch ${planId}: ${rows.length} nhiệm vụ`);
        for (const [s, n] of counts) out(`  ${labelReportingStatus(s as ReportingStatus).padEnd(32)} ${n}`);
        out('');
        for (const r of rows)
          out(
            `${r.taskRef.padEnd(8)} ${(r.due ? formatDateShortVi(r.due) : '—').padEnd(11)} ${labelTaskState(r.state).padEnd(30)} ${r.leadName}  ${r.title.slice(0, 60)}\n         ${r.workflowId}`,
          );
      });
    });

  program
    .command('task <workflowId>')
    .description('Chi tiết và diễn biến của một nhiệm vụ')
    .option('--json', 'in JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const snap = await getTask(client, workflowId).catch((err: Error) => {
          throw new CliError(`Không tìm thấy nhiệm vụ ${workflowId}: ${err.message}`, EXIT.notFound);
        });
        if (opts.json) {
          out(JSON.stringify(snap));
          return;
        }
        out(`${snap.taskRef} ${snap.title}\n  chủ trì: ${snap.lead.name}\n  trạng thái: ${labelTaskState(snap.state)} · ${labelReportingStatus(snap.reportingStatus)}`);
        out(`  hạn: ${snap.effectiveDue ? formatDateShortVi(snap.effectiveDue) : '—'} (${snap.timingText})`);
        for (const t of snap.timeline) out(`  ${t.at}  ${t.actor.name}  ${t.action}${t.note ? ` — ${t.note}` : ''}`);
      });
    });

  const act = (name: string, action: ActionName, description: string, fields: [string, string, boolean][]): void => {
    const cmd = program.command(`${name} <workflowId>`).description(description).requiredOption('--as <agencyId>', 'cơ quan thực hiện');
    for (const [flag, help, required] of fields) {
      if (required) cmd.requiredOption(flag, help);
      else cmd.option(flag, help);
    }
    cmd.option('--json', 'in JSON');
    cmd.action(async (workflowId: string, opts: Record<string, string | boolean | undefined>) => {
      await withClient(async (client) => {
        const input: Record<string, unknown> = { actor: { agencyId: opts.as } };
        for (const key of ['summary', 'documentNumber', 'documentDate', 'evidenceUrl', 'note', 'reason', 'newDue', 'targetId'])
          if (typeof opts[key] === 'string') input[key] = opts[key];
        if (typeof opts.value === 'string') input.value = Number(opts.value);
        if (typeof opts.to === 'string') {
          const directories = new DirectoryStore(DirectoryStore.folder(config().dataDir));
          input.newLead = { id: opts.to, name: directories.agencyName(opts.to) ?? opts.to };
        }
        const outcome = await actOnTask(client, workflowId, action, input);
        if (opts.json) out(JSON.stringify(outcome));
        if (!outcome.ok) throw new CliError(outcome.reason, outcome.code === 'not_found' ? EXIT.notFound : EXIT.refused);
        if (!opts.json) out(outcome.result.message);
      });
    });
  };
  act('submit', 'submit', 'Cơ quan chủ trì báo cáo hoàn thành', [
    ['--summary <text>', 'tóm tắt kết quả', true],
    ['--document-number <no>', 'số văn bản', false],
    ['--document-date <date>', 'ngày văn bản', false],
    ['--evidence-url <url>', 'đường dẫn minh chứng', false],
  ]);
  act('confirm', 'confirm', 'Cơ quan phối hợp xác nhận', [['--note <text>', 'ghi chú', false]]);
  act('dispute', 'dispute', 'Cơ quan phối hợp không thống nhất', [['--reason <text>', 'lý do', true]]);
  act('accept', 'accept', 'Cơ quan theo dõi nghiệm thu', [['--note <text>', 'ghi chú', false]]);
  act('return', 'return', 'Cơ quan theo dõi trả lại để hoàn thiện', [['--reason <text>', 'lý do', true]]);
  act('extend', 'request_extension', 'Cơ quan chủ trì đề nghị gia hạn', [
    ['--new-due <date>', 'hạn mới (YYYY-MM-DD)', true],
    ['--reason <text>', 'lý do', true],
  ]);
  act('approve-extension', 'approve_extension', 'Cơ quan theo dõi chấp thuận gia hạn', [['--reason <text>', 'ghi chú', false]]);
  act('reject-extension', 'reject_extension', 'Cơ quan theo dõi từ chối gia hạn', [['--reason <text>', 'lý do', true]]);
  act('postpone', 'postpone', 'Cơ quan theo dõi tạm hoãn nhiệm vụ', [['--reason <text>', 'lý do', true]]);
  act('resume', 'resume', 'Cơ quan theo dõi cho tiếp tục nhiệm vụ', [
    ['--new-due <date>', 'hạn mới (YYYY-MM-DD)', false],
    ['--reason <text>', 'ghi chú', false],
  ]);
  act('decline', 'decline', 'Cơ quan chủ trì từ chối nhiệm vụ không thuộc thẩm quyền', [['--reason <text>', 'lý do', true]]);
  act('reassign', 'reassign', 'Cơ quan theo dõi giao lại nhiệm vụ cho cơ quan khác', [
    ['--to <agencyId>', 'cơ quan được giao', true],
    ['--reason <text>', 'lý do', true],
  ]);
  act('report-target', 'report_target', 'Báo cáo số liệu một chỉ tiêu', [
    ['--target-id <id>', 'mã chỉ tiêu', true],
    ['--value <number>', 'giá trị', true],
    ['--note <text>', 'ghi chú', false],
  ]);

  program
    .command('outbox')
    .description('Thư trong hộp thư đi cục bộ (khi không cấu hình SMTP)')
    .option('--json', 'in JSON')
    .action(async (opts: { json?: boolean }) => {
      const cfg = config();
      const messages = await listOutbox(outboxFolder(cfg));
      if (opts.json) out(JSON.stringify(messages));
      else for (const m of messages) out(`${m.date}  ${m.to.join(', ')}  ${m.subject}\n    ${m.file}`);
    });

  program
    .command('report <planId>')
    .description('Lập báo cáo định kỳ (.xlsx và .docx) tại một ngày')
    .option('--as-of <date>', 'tính đến ngày (YYYY-MM-DD), mặc định hôm nay')
    .option('--out <dir>', 'thư mục lưu tệp', '.')
    .option('--json', 'in JSON')
    .action(async (planId: string, opts: { asOf?: string; out: string; json?: boolean }) => {
      await withClient(async (client, cfg) => {
        const built = await buildPlanReport(client, cfg.dataDir, planId, opts.asOf);
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
        if (read.format === 'pdf-ocr') process.stderr.write(`Đã đọc ${read.pages ?? 0} trang scan bằng OCR: kiểm tra kỹ bản nháp.\n`);
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
      process.stderr.write(`${draft.tasks.length} nhiệm vụ; ${marks} mục cần rà soát; ${draft.unknownAgencies.length} tên cơ quan chưa có trong danh bạ.\n`);
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

  program
    .command('worker')
    .description('Chỉ chạy worker (triển khai trên cụm Temporal)')
    .action(async () => {
      await import('../workers/main');
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
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
