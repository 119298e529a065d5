/**
 * Plan intake on the board ("Nhập kế hoạch"): upload a plan document, review the draft as an editable table,
 * download it as a plan file, import it. The draft lives only in the page's form; the import writes the plan
 * and its directory to a temporary folder for `importPlan` (the same validation and errors as `dondoc import`)
 * and removes it, whatever happens. Registered by `web/app.ts` behind the board's sign-in.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import multipart from '@fastify/multipart';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { DondocConfig } from '../config';
import { loadDirectoryFile, loadPlan, PlanValidationError, type PlanIssue } from '../plans/load';
import type { DirectoryFile } from '../plans/schema';
import { DocumentReadError } from '../reader/read-document';
import type { LabelLanguage } from '../reports/labels';
import { importPlan } from '../services/import-plan';
import { checkRows, draftFromDocument, previewTiming, rowsToPlanYaml, type RowProblem } from '../services/intake';
import { PlanStore, type PlanReader } from '../services/plan-store';
import { parseDayInput } from './date-input';
import type { SafeHtml } from './html';
import {
  applyRowOp,
  editedFromForm,
  formFromDraft,
  INTAKE_WORDS,
  parseIntakeForm,
  rematch,
  renderDraftPage,
  renderUploadPage,
  timingContextOf,
  type DirectoryChoice,
  type IntakeForm,
} from './intake-page';
import { checkCsrfToken, createCsrfToken, parseCookies, serializeCookie } from './session';

export interface IntakeDeps {
  client: Client;
  config: DondocConfig;
  linkSecret: string;
  dataDir: string;
  plans: PlanReader;
  /** The board's sign-in guard. */
  requireBoard: preHandlerAsyncHookHandler;
  langOf: (req: FastifyRequest) => LabelLanguage;
  sendPage: (reply: FastifyReply, req: FastifyRequest, status: number, title: string, body: SafeHtml) => FastifyReply;
  /** Folder of the shipped example plans (default: `examples/` of the install). */
  examplesDir?: string;
}

/** Largest plan document accepted: a scanned PDF of a long plan at 300 dpi stays below it. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** Largest directory file (the same limit as `dondoc import`). */
const MAX_DIRECTORY_BYTES = 2 * 1024 * 1024;
/** The draft form carries an uploaded directory (gzip): a national directory with contacts fits. */
const DRAFT_BODY_LIMIT = 8 * 1024 * 1024;
const FORM_COOKIE = 'dondoc_form';

/** Thrown inside intake routes; rendered on the intake page with its status. */
class IntakeError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function findExamplesDir(): string | undefined {
  for (const dir of [path.resolve(__dirname, '../examples'), path.resolve(__dirname, '../../examples')])
    if (fs.existsSync(dir)) return dir;
  return undefined;
}

const EXAMPLE_NAME = /^[a-z0-9][a-z0-9-]{0,80}$/;

/** A directory file's text for the form (gzip, base64) and back. */
const packText = (text: string): string => gzipSync(Buffer.from(text, 'utf8')).toString('base64');
function unpackText(data: string): string {
  try {
    return gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_DIRECTORY_BYTES }).toString('utf8');
  } catch {
    throw new IntakeError(400, 'Tệp danh mục gửi kèm bản nháp bị hỏng. Hãy tải văn bản và tệp danh mục lên lại.');
  }
}

/** Runs `fn` with a temporary folder holding `files`, removed afterwards whatever happens. */
async function withTempFiles<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-intake-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where a loader issue belongs in the table: the row of `tasks[i]`, or the plan (0). Paths are the officer's names. */
export function problemsOfIssues(issues: PlanIssue[], tempDir: string): RowProblem[] {
  return issues.map((issue) => {
    const m = /^tasks\[(\d+)\]/.exec(issue.field);
    const isDirectory = path.basename(issue.file) === 'directory.yaml';
    const message = issue.message
      .split(tempDir + path.sep)
      .join('')
      .split(tempDir)
      .join('');
    if (m) return { row: Number(m[1]) + 1, field: issue.field, message };
    const top = issue.field.split(/[.[]/)[0] ?? issue.field;
    return {
      row: 0,
      field: isDirectory ? 'directory' : top || 'plan',
      message: isDirectory ? `${issue.field}: ${message}` : message,
    };
  });
}

/** Registers `/intake` (upload page), `/intake/upload`, `/intake/draft` and `/api/intake/timing`. */
export async function registerIntakeRoutes(app: FastifyInstance, deps: IntakeDeps): Promise<void> {
  const { client, config, linkSecret, plans } = deps;
  const examplesDir = deps.examplesDir ?? findExamplesDir();
  const secureCookies = config.web.publicUrl.startsWith('https://');

  // --- CSRF: a random cookie of the intake pages, and in each form its MAC under the link secret. Works whether
  // the board has a sign-in or is open, and whatever the sign-in model becomes.
  const formCookie = (req: FastifyRequest, reply: FastifyReply): string => {
    const have = parseCookies(req.headers.cookie)[FORM_COOKIE];
    if (have && /^[A-Za-z0-9_-]{20,100}$/.test(have)) return have;
    const value = randomBytes(24).toString('base64url');
    void reply.header(
      'set-cookie',
      serializeCookie(FORM_COOKIE, value, { httpOnly: true, sameSite: 'Strict', secure: secureCookies }),
    );
    return value;
  };
  const csrfOf = (cookie: string): string => createCsrfToken(linkSecret, `intake:${cookie}`);
  const checkCsrf = (req: FastifyRequest, given: unknown): string => {
    const cookie = parseCookies(req.headers.cookie)[FORM_COOKIE];
    if (!cookie || !checkCsrfToken(linkSecret, `intake:${cookie}`, given))
      throw new IntakeError(
        403,
        'Biểu mẫu đã hết hiệu lực hoặc không được gửi từ trang của hệ thống. Mở lại trang "Nhập kế hoạch" rồi gửi lại.',
      );
    return cookie;
  };

  // --- directories ---------------------------------------------------------------------------------------
  const choices = async (): Promise<DirectoryChoice[]> => {
    const out: DirectoryChoice[] = [];
    for (const p of await plans.list().catch(() => []))
      out.push({ key: `plan:${p.id}`, label: `Danh mục của kế hoạch ${p.number || p.id} — ${p.title}` });
    if (examplesDir)
      for (const name of fs.readdirSync(examplesDir).sort())
        if (EXAMPLE_NAME.test(name) && fs.existsSync(path.join(examplesDir, name, 'directory.yaml')))
          out.push({ key: `example:${name}`, label: `Danh mục mẫu: ${name}` });
    return out;
  };

  /** The chosen directory, validated as `dondoc import` validates it, and its text for the import. */
  const directoryOf = async (dir: string, dirData: string): Promise<{ directory: DirectoryFile; text: string }> => {
    const readText = async (text: string): Promise<DirectoryFile> =>
      withTempFiles({ 'directory.yaml': text }, (d) => {
        try {
          return Promise.resolve(loadDirectoryFile(path.join(d, 'directory.yaml')));
        } catch (err) {
          if (err instanceof PlanValidationError)
            throw new IntakeError(
              400,
              `Tệp danh mục không hợp lệ: ${problemsOfIssues(err.issues, d)
                .map((p) => `${p.message}`)
                .join(' · ')}`,
            );
          throw err;
        }
      });
    if (dir.startsWith('plan:')) {
      const record = await plans.get(dir.slice(5));
      if (!record)
        throw new IntakeError(400, `Không có kế hoạch "${dir.slice(5)}" để lấy danh mục cơ quan. Chọn danh mục khác.`);
      return { directory: record.directory, text: JSON.stringify(record.directory, null, 1) };
    }
    if (dir.startsWith('example:')) {
      const name = dir.slice(8);
      const file = examplesDir && EXAMPLE_NAME.test(name) ? path.join(examplesDir, name, 'directory.yaml') : undefined;
      if (!file || !fs.existsSync(file))
        throw new IntakeError(400, `Không có danh mục mẫu "${name}". Chọn danh mục khác.`);
      const text = fs.readFileSync(file, 'utf8');
      return { directory: await readText(text), text };
    }
    if (dir === 'upload') {
      if (!dirData) throw new IntakeError(400, 'Chưa có tệp danh mục: chọn tệp danh mục (.yaml, .json) để tải lên.');
      const text = unpackText(dirData);
      return { directory: await readText(text), text };
    }
    throw new IntakeError(400, 'Chọn danh mục cơ quan.');
  };

  const fail = async (req: FastifyRequest, reply: FastifyReply, err: unknown): Promise<FastifyReply> => {
    if (!(err instanceof IntakeError) && !(err instanceof DocumentReadError)) throw err;
    const lang = deps.langOf(req);
    const status = err instanceof IntakeError ? err.statusCode : 400;
    const csrf = csrfOf(formCookie(req, reply));
    return deps.sendPage(
      reply,
      req,
      status,
      INTAKE_WORDS[lang].heading,
      renderUploadPage(lang, { csrf, choices: await choices(), error: err.message }),
    );
  };

  const planExists = async (id: string): Promise<boolean> =>
    /^[a-z0-9-]{1,100}$/.test(id) ? !!(await plans.get(id).catch(() => undefined)) : false;

  const showDraft = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: IntakeForm,
    directory: DirectoryFile,
    status = 200,
    problems: RowProblem[] = [],
  ): Promise<FastifyReply> => {
    const lang = deps.langOf(req);
    const body = renderDraftPage(form, lang, {
      csrf: csrfOf(formCookie(req, reply)),
      directory,
      choices: await choices(),
      problems,
      exists: await planExists(form.plan.id),
    });
    return deps.sendPage(reply, req, status, INTAKE_WORDS[lang].draftHeading, body);
  };

  await app.register(async (scope) => {
    // The app's own multipart parser (evidence files on the link pages) is inherited; the upload routes stream
    // their parts through @fastify/multipart instead, in this scope only.
    if (scope.hasContentTypeParser('multipart/form-data')) scope.removeContentTypeParser('multipart/form-data');
    await scope.register(multipart, {
      // One document and one directory file; a size limit so that an upload cannot fill the server's memory.
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 2, fields: 10, parts: 12, fieldSize: 4096 },
    });

    scope.get('/intake', { preHandler: deps.requireBoard }, async (req, reply) => {
      const lang = deps.langOf(req);
      const csrf = csrfOf(formCookie(req, reply));
      return deps.sendPage(
        reply,
        req,
        200,
        INTAKE_WORDS[lang].heading,
        renderUploadPage(lang, { csrf, choices: await choices() }),
      );
    });

    scope.post('/intake/upload', { preHandler: deps.requireBoard }, async (req, reply) => {
      try {
        if (!req.isMultipart()) throw new IntakeError(415, 'Gửi văn bản bằng biểu mẫu "Nhập kế hoạch".');
        const fields: Record<string, string> = {};
        const files: Record<string, { name: string; bytes: Buffer }> = {};
        try {
          let checked = false;
          for await (const part of req.parts()) {
            if (part.type === 'file') {
              // The form puts its token before the files: a forged upload is refused before any file is read.
              if (!checked) checkCsrf(req, fields['csrf']);
              checked = true;
              const bytes = await part.toBuffer();
              if (bytes.length > 0) files[part.fieldname] = { name: path.basename(part.filename || 'van-ban'), bytes };
            } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
          }
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE')
            throw new IntakeError(413, `Tệp quá lớn: tối đa ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`);
          if (code && code.startsWith('FST_'))
            throw new IntakeError(400, 'Biểu mẫu gửi lên không đúng: chỉ một văn bản và một tệp danh mục.');
          throw err;
        }
        checkCsrf(req, fields['csrf']);
        const doc = files['document'];
        if (!doc) throw new IntakeError(400, 'Chưa chọn văn bản kế hoạch (.docx, .pdf hoặc .txt).');
        const dir = fields['dir'] ?? '';
        let dirData = '';
        let dirName = '';
        if (dir === 'upload') {
          const f = files['directoryFile'];
          if (!f)
            throw new IntakeError(400, 'Đã chọn "Tải lên tệp danh mục" nhưng chưa chọn tệp danh mục (.yaml, .json).');
          if (f.bytes.length > MAX_DIRECTORY_BYTES) throw new IntakeError(413, 'Tệp danh mục quá lớn: tối đa 2 MB.');
          dirData = packText(f.bytes.toString('utf8'));
          dirName = f.name;
        }
        const { directory } = await directoryOf(dir, dirData);
        const draft = await draftFromDocument(doc.bytes, doc.name, { directory });
        const monitoring = directory.agencies.find((a) => /tư pháp/i.test(a.name))?.id;
        const form = formFromDraft(draft, { dir, dirData, dirName }, { ...(monitoring ? { monitoring } : {}) });
        const lang = deps.langOf(req);
        const body = renderDraftPage(form, lang, {
          csrf: csrfOf(formCookie(req, reply)),
          directory,
          choices: await choices(),
          unknownAgencies: draft.unknownAgencies,
          exists: await planExists(form.plan.id),
        });
        return deps.sendPage(reply, req, 200, INTAKE_WORDS[lang].draftHeading, body);
      } catch (err) {
        return fail(req, reply, err);
      }
    });

    scope.post('/intake/draft', { preHandler: deps.requireBoard, bodyLimit: DRAFT_BODY_LIMIT }, async (req, reply) => {
      let form: IntakeForm;
      let directory: DirectoryFile;
      let directoryText: string;
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        checkCsrf(req, body['csrf']);
        form = parseIntakeForm(body);
        ({ directory, text: directoryText } = await directoryOf(form.dir, form.dirData));
      } catch (err) {
        return fail(req, reply, err);
      }
      form = rematch(form, directory);
      const op = typeof body['op'] === 'string' ? body['op'] : 'refresh';
      if (op === 'add' || op.startsWith('del:')) return showDraft(req, reply, applyRowOp(form, op), directory);

      const { plan: edited, problems: formProblems } = editedFromForm(form, './directory.yaml');
      if (op === 'yaml' || op === 'directory') {
        const isPlan = op === 'yaml';
        const name = isPlan
          ? `${/^[a-z0-9-]{1,100}$/.test(form.plan.id) ? form.plan.id : 'ke-hoach'}.yaml`
          : 'directory.yaml';
        return reply
          .type('application/yaml; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .send(isPlan ? rowsToPlanYaml(edited) : directoryText);
      }
      if (op !== 'import') return showDraft(req, reply, form, directory);

      // Import: the loader's every error, as `dondoc import` gives them, each against its row; then what only the
      // form can tell (a date that is not a day, a plan id already used) and what checkRows adds in plainer words.
      const keyOf = (p: RowProblem): string => `${p.row}:${p.field.replace(/^tasks\[\d+\]\./, '').split(/[.[]/)[0]}`;
      const extra: RowProblem[] = [...formProblems];
      if (!form.plan.replace && (await planExists(form.plan.id)))
        extra.push({
          row: 0,
          field: 'id',
          message: `Đã có kế hoạch với mã "${form.plan.id}". Đổi mã, hoặc đánh dấu ô "cập nhật nó" nếu đây là bản sửa đổi của kế hoạch đó.`,
        });
      const imported = await withTempFiles(
        { 'plan.yaml': rowsToPlanYaml(edited), 'directory.yaml': directoryText },
        async (tmp): Promise<{ ok: true } | { ok: false; problems: RowProblem[] }> => {
          const planPath = path.join(tmp, 'plan.yaml');
          const fromLoader = async (load: () => Promise<unknown>): Promise<RowProblem[]> => {
            try {
              await load();
              return [];
            } catch (err) {
              if (!(err instanceof PlanValidationError)) throw err;
              return problemsOfIssues(err.issues, tmp);
            }
          };
          const loaded = await fromLoader(() => loadPlan(planPath));
          const seen = new Set(loaded.map(keyOf));
          const all = [...loaded];
          for (const p of [...extra, ...checkRows(edited)]) {
            if (seen.has(keyOf(p))) continue;
            seen.add(keyOf(p));
            all.push(p);
          }
          if (all.length > 0) return { ok: false, problems: all.sort((x, y) => x.row - y.row) };
          const refused = await fromLoader(() =>
            importPlan(planPath, {
              client,
              taskQueue: config.temporal.taskQueue,
              dataDir: deps.dataDir,
              reminderHour: config.reminderHour,
              delivery: config.delivery,
              ...(plans instanceof PlanStore ? { plans } : {}),
            }),
          );
          return refused.length > 0 ? { ok: false, problems: refused } : { ok: true };
        },
      );
      if (!imported.ok) return showDraft(req, reply, form, directory, 400, imported.problems);
      return reply.redirect(`/plans/${encodeURIComponent(form.plan.id)}`, 303);
    });
  });

  // A timing read live, as the draft table reads it (for scripts and any page that can call it).
  app.get('/api/intake/timing', { preHandler: deps.requireBoard }, async (req, reply) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const text = typeof q['text'] === 'string' ? q['text'].slice(0, 1000) : '';
    const day = (k: string): string => (typeof q[k] === 'string' ? q[k] : '');
    const bad = ['issued', 'start', 'end'].filter((k) => parseDayInput(day(k)) === undefined);
    if (bad.length > 0)
      return reply
        .code(400)
        .send({ ok: false, reason: `Ngày không hợp lệ (${bad.join(', ')}): dùng dạng dd/mm/yyyy.` });
    const form = { plan: { issued: day('issued'), start: day('start'), end: day('end') } } as IntakeForm;
    return { ok: true, timing: previewTiming(text, timingContextOf(form)) };
  });
}
