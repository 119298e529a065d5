/**
 * The people's doors on the web: the board of plans and tasks, task pages, sign-off pages opened from signed
 * email links, the outbox and a JSON API. Built as a value from its dependencies; the CLI listens.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DondocConfig } from '../config';
import { REPORTING_STATUSES, type IsoDate, type ReportingStatus, type TaskSnapshot } from '../domain/types';
import { listOutbox } from '../mail/mailer';
import {
  labelReportingStatus,
  labelTaskState,
  formatDateShortVi,
  toLocalDate,
  type LabelLanguage,
} from '../reports/labels';
import { createLinkSigner, linkActionId, type LinkPayload } from '../security/links';
import { PlanStore, type PlanReader } from '../services/plan-store';
import { buildPlanReport, readPlanSources, type BuiltReport } from '../services/periodic-report';
import { createReadinessProbe } from '../services/readiness';
import { actOnTask, getTask, listTasks, planIdOfTask, type TaskFilter, type TaskRow } from '../services/tasks';
import { ACTION_FORMS, FormInputError, parseActionFields, type ActionFormSpec } from './action-forms';
import { isActionName } from '../domain/lifecycle/actions';
import type { Refusal } from '../domain/lifecycle/inputs';
import type { ActionResult } from '../domain/lifecycle/machine';
import { REFUSAL_OUTCOMES } from '../domain/lifecycle/refusals';
import { handledActionQuery } from '../workflows/definitions';
import {
  escapeHtml,
  formatInstantLocal,
  html,
  raw,
  renderPage,
  stateBadge,
  statusBadge,
  TIMELINE_ACTION_WORDS,
  WORDS,
  type SafeHtml,
} from './html';
import {
  checkBoardToken,
  checkCsrfToken,
  checkSessionValue,
  createCsrfToken,
  createSessionValue,
  parseCookies,
  serializeCookie,
} from './session';
import { renderAlreadyDone, renderDecisionPage } from './decision-page';
import { reportStep } from './report-page';
import {
  evidenceInput,
  registerEvidenceRoute,
  registerMultipart,
  storeUploads,
  UploadError,
  uploadsOf,
} from './evidence';
import { createEvidenceStore, type EvidenceStore } from '../storage/evidence-store';
import { renderTimelineSvg } from './timeline-svg';
import { dayInput, parseDayInput } from './date-input';
import { loadHomePlans, renderHomePage } from './home-page';
import { registerIntakeRoutes } from './intake-routes';

export interface WebDeps {
  client: Client;
  config: DondocConfig;
  linkSecret: string;
  dataDir: string;
  /** Where plans are read (default: the plans' workflows through `client`). */
  plans?: PlanReader;
  /** Undefined when mail goes to SMTP. */
  outboxDir: string | undefined;
  /** Clock, epoch ms (tests pass a fixed one). */
  now?: () => number;
  /** Where evidence files are kept (default: PostgreSQL with DONDOC_DATABASE_URL, else `<dataDir>/evidence`). */
  evidence?: EvidenceStore;
}

/** An error with its HTTP status and a message for people (Vietnamese). Mapped in the one error handler. */
export class WebError extends Error {
  override readonly name = 'WebError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly title = 'Không thực hiện được',
  ) {
    super(message);
  }
}

const SESSION_COOKIE = 'dondoc_session';
const LANG_COOKIE = 'dondoc_lang';
const SESSION_HOURS = 12;
const PLAN_ID = /^[a-z0-9-]{1,100}$/;
const OUTBOX_FILE = /^[A-Za-z0-9@_-][A-Za-z0-9._@-]{0,250}\.eml$/;

const LINK_REFUSALS: Record<
  'malformed' | 'bad_signature' | 'expired',
  { status: number; title: string; message: string }
> = {
  malformed: {
    status: 403,
    title: 'Liên kết không hợp lệ',
    message:
      'Liên kết này không đúng định dạng (có thể bị cắt khi sao chép). Không có thay đổi nào được thực hiện. Hãy mở lại liên kết đầy đủ từ thư điện tử.',
  },
  bad_signature: {
    status: 403,
    title: 'Liên kết không hợp lệ',
    message:
      'Chữ ký của liên kết không đúng: liên kết đã bị sửa đổi hoặc không do hệ thống cấp. Không có thay đổi nào được thực hiện. Hãy dùng liên kết trong thư điện tử gốc.',
  },
  expired: {
    status: 410,
    title: 'Liên kết đã hết hạn',
    message:
      'Liên kết này đã hết hạn sử dụng. Không có thay đổi nào được thực hiện. Hãy dùng liên kết trong thư nhắc mới nhất hoặc liên hệ cơ quan theo dõi để được gửi lại.',
  },
};

const filterSchema = z.object({
  agency: z.string().trim().max(100).optional(),
  status: z
    .enum(REPORTING_STATUSES)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Typed as dd/mm/yyyy on the board (yyyy-mm-dd still read from old links and scripts).
  dueFrom: z
    .string()
    .optional()
    .transform((v, c) => {
      const d = parseDayInput(v);
      if (d === undefined) c.addIssue({ code: 'custom', message: `"Hạn từ ngày" phải là ngày dạng dd/mm/yyyy` });
      return d ?? undefined;
    }),
  dueTo: z
    .string()
    .optional()
    .transform((v, c) => {
      const d = parseDayInput(v);
      if (d === undefined) c.addIssue({ code: 'custom', message: `"đến ngày" phải là ngày dạng dd/mm/yyyy` });
      return d ?? undefined;
    }),
  lang: z.string().optional(),
});

function parseFilter(planId: string, query: unknown): TaskFilter {
  const parsed = filterSchema.safeParse(query ?? {});
  if (!parsed.success)
    throw new WebError(
      400,
      `Bộ lọc không hợp lệ: ${parsed.error.issues.map((i) => i.message).join('; ')}. Sửa bộ lọc rồi thử lại.`,
      'Bộ lọc không hợp lệ',
    );
  const q = parsed.data;
  const f: TaskFilter = { planId };
  if (q.agency) f.agencyId = q.agency;
  if (q.status) f.status = q.status;
  if (q.dueFrom) f.dueFrom = q.dueFrom;
  if (q.dueTo) f.dueTo = q.dueTo;
  return f;
}

function checkPlanId(planId: string): string {
  if (!PLAN_ID.test(planId)) throw new WebError(404, `Không có kế hoạch "${planId}".`, 'Không tìm thấy');
  return planId;
}

function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

/**
 * Builds the web app (not listening). Routes: `/` and `/plans/:planId` (board), `/tasks/:workflowId`, `/a/:token`
 * (signed action links, no sign-in), `/login`, `/outbox`, `/api/...`, `/healthz`. Request logging is off so
 * link tokens never reach a log; every error becomes an HTTP status in the one error handler.
 */
export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const { client, config, linkSecret } = deps;
  const now = deps.now ?? Date.now;
  const signer = createLinkSigner(linkSecret);
  const boardToken = config.web.boardToken;
  const secureCookies = config.web.publicUrl.startsWith('https://');
  // Plans and directories are read from Temporal (each plan's workflow), cached briefly: any host sees the same.
  const plans = deps.plans ?? new PlanStore(client);
  const tz = config.timeZone;

  // Signed tokens are longer than fastify's default 100-character parameter limit.
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, routerOptions: { maxParamLength: 4096 } });
  await app.register(formbody);
  registerMultipart(app);
  const evidence = deps.evidence ?? createEvidenceStore({ database: deps.config.database, dataDir: deps.dataDir });
  if (!deps.evidence) app.addHook('onClose', () => evidence.close());

  const langOf = (req: FastifyRequest): LabelLanguage => {
    const q = (req.query as Record<string, unknown> | undefined)?.['lang'];
    if (q === 'en' || q === 'vi') return q;
    const c = parseCookies(req.headers.cookie)[LANG_COOKIE];
    return c === 'en' ? 'en' : 'vi';
  };

  app.addHook('onRequest', async (req, reply) => {
    const q = (req.query as Record<string, unknown> | undefined)?.['lang'];
    if (q === 'en' || q === 'vi')
      void reply.header(
        'set-cookie',
        serializeCookie(LANG_COOKIE, q, {
          sameSite: 'Lax',
          maxAgeSeconds: 365 * 86400,
          httpOnly: true,
          secure: secureCookies,
        }),
      );
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    // Action links carry their token in the URL: never send it on as a Referer (e.g. to an evidence link).
    void reply.header('Referrer-Policy', 'no-referrer');
    void reply.header('X-Frame-Options', 'DENY');
    void reply.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    void reply.header('Cache-Control', 'no-store');
    return payload;
  });

  const sendPage = (
    reply: FastifyReply,
    req: FastifyRequest,
    status: number,
    title: string,
    body: SafeHtml,
    board = true,
  ): FastifyReply =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        renderPage({
          title,
          lang: langOf(req),
          body,
          boardNav: board,
          openBoardBanner: board && boardToken === undefined,
          path: req.url,
        }),
      );

  // The one place where errors become HTTP statuses.
  app.setErrorHandler((err: unknown, req, reply) => {
    let status = 500;
    let title = 'Lỗi máy chủ';
    let message = 'Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo cho quản trị viên.';
    const e = err as { name?: string; statusCode?: number; message?: string; validation?: unknown };
    if (err instanceof WebError) {
      status = err.statusCode;
      title = err.title;
      message = err.message;
    } else if (err instanceof UploadError) {
      status = err.statusCode;
      title = 'Tệp minh chứng không nhận được';
      message = err.message;
    } else if (err instanceof FormInputError) {
      status = 400;
      title = 'Thông tin chưa hợp lệ';
      message = err.message;
    } else if (e.name === 'WorkflowNotFoundError' || e.name === 'NotFoundError' || e.name === 'TaskNotFoundError') {
      status = 404;
      title = 'Không tìm thấy';
      message = 'Không tìm thấy nhiệm vụ này (mã nhiệm vụ sai hoặc nhiệm vụ đã bị xóa khỏi hệ thống).';
    } else if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      status = e.statusCode;
      title = 'Yêu cầu không hợp lệ';
      message =
        status === 413
          ? 'Nội dung gửi lên quá lớn.'
          : status === 415
            ? 'Kiểu nội dung không được hỗ trợ.'
            : 'Yêu cầu không hợp lệ. Kiểm tra lại thông tin rồi gửi lại.';
    }
    if (isApi(req)) return reply.code(status).send({ ok: false, reason: message });
    return sendPage(
      reply,
      req,
      status,
      title,
      html`<div class="card err"><h1>${title}</h1><p>${message}</p></div>`,
      !req.url.startsWith('/a/'),
    );
  });

  app.setNotFoundHandler((req, reply) => {
    if (isApi(req)) return reply.code(404).send({ ok: false, reason: 'Không có địa chỉ này.' });
    return sendPage(
      reply,
      req,
      404,
      'Không tìm thấy',
      html`<div class="card err"><h1>Không tìm thấy trang</h1><p>Địa chỉ này không có trên hệ thống.</p><p><a href="/">Về bảng theo dõi</a></p></div>`,
    );
  });

  // --- sign-in -----------------------------------------------------------------------------------------
  const signedIn = (req: FastifyRequest): boolean =>
    boardToken === undefined ||
    checkSessionValue(linkSecret, boardToken, parseCookies(req.headers.cookie)[SESSION_COOKIE], now());

  /** Guard for board routes: a page visitor is sent to /login, an API caller gets 401. */
  const requireBoard = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (signedIn(req)) return;
    if (isApi(req)) {
      await reply.code(401).send({ ok: false, reason: 'Cần đăng nhập bảng theo dõi.' });
      return;
    }
    await reply.redirect('/login', 303);
  };

  const loginForm = (lang: LabelLanguage, error?: string): SafeHtml => {
    const t = WORDS[lang];
    return html`<div class="card${error ? ' err' : ''}"><h1>${t.login}</h1>${error ? html`<p role="alert">${error}</p>` : ''}
<form method="post" action="/login"><label for="token">${t.loginToken}</label><input id="token" name="token" type="password" autocomplete="current-password" required>
<div><button type="submit">${t.loginButton}</button></div></form></div>`;
  };

  app.get('/login', async (req, reply) => {
    if (boardToken === undefined || signedIn(req)) return reply.redirect('/', 303);
    return sendPage(reply, req, 200, WORDS[langOf(req)].login, loginForm(langOf(req)), false);
  });

  app.post('/login', async (req, reply) => {
    if (boardToken === undefined) return reply.redirect('/', 303);
    const given = (req.body as Record<string, unknown> | undefined)?.['token'];
    if (!checkBoardToken(boardToken, given))
      return sendPage(
        reply,
        req,
        401,
        WORDS[langOf(req)].login,
        loginForm(langOf(req), WORDS[langOf(req)].loginWrong),
        false,
      );
    const exp = Math.floor(now() / 1000) + SESSION_HOURS * 3600;
    void reply.header(
      'set-cookie',
      serializeCookie(SESSION_COOKIE, createSessionValue(linkSecret, boardToken, exp), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: secureCookies,
        maxAgeSeconds: SESSION_HOURS * 3600,
      }),
    );
    return reply.redirect('/', 303);
  });

  app.get('/logout', async (_req, reply) => {
    void reply.header(
      'set-cookie',
      serializeCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'Strict', maxAgeSeconds: 0 }),
    );
    return reply.redirect('/login', 303);
  });

  app.get('/healthz', () => Promise.resolve({ ok: true }));
  // Ready when Temporal (and PostgreSQL, if configured) answer: a load balancer sends no officer to a host that cannot act.
  const readiness = createReadinessProbe(client, config);
  app.addHook('onClose', () => readiness.close());
  app.get('/readyz', async (_req, reply) => {
    const r = await readiness.check();
    return reply.code(r.ready ? 200 : 503).send(r);
  });

  // --- board -------------------------------------------------------------------------------------------
  interface PlanMeta {
    id: string;
    number: string;
    title: string;
  }
  const readPlan = async (planId: string): Promise<PlanMeta | undefined> => {
    const r = await plans.get(planId);
    return r && !r.withdrawn ? { id: r.plan.id, number: r.plan.number, title: r.plan.title } : undefined;
  };

  app.get('/', { preHandler: requireBoard }, async (req, reply) => {
    const lang = langOf(req);
    const body = renderHomePage(await loadHomePlans(client, plans, tz), lang, { intakeHref: '/intake' });
    return sendPage(reply, req, 200, WORDS[lang].plans, body);
  });

  await registerIntakeRoutes(app, {
    client,
    config,
    linkSecret,
    dataDir: deps.dataDir,
    plans,
    requireBoard,
    langOf,
    sendPage,
  });

  const dueText = (due: IsoDate | null, lang: LabelLanguage): string =>
    due ? formatDateShortVi(due) : WORDS[lang].noDue;

  app.get<{ Params: { planId: string } }>('/plans/:planId', { preHandler: requireBoard }, async (req, reply) => {
    const lang = langOf(req);
    const t = WORDS[lang];
    const planId = checkPlanId(req.params.planId);
    const filter = parseFilter(planId, req.query);
    const [plan, rows] = await Promise.all([readPlan(planId), listTasks(client, filter, { timeZone: tz })]);
    if (!plan && rows.length === 0)
      throw new WebError(
        404,
        `Không có kế hoạch "${planId}". Kiểm tra lại địa chỉ hoặc nhập kế hoạch trước.`,
        'Không tìm thấy',
      );
    const today = toLocalDate(new Date(now()).toISOString(), tz);
    const agencies = (await plans.get(planId))?.directory.agencies ?? [];
    const q = req.query as Record<string, string | undefined>;

    const byStatus = new Map<ReportingStatus, number>(REPORTING_STATUSES.map((s) => [s, 0]));
    const byAgency = new Map<string, { name: string; counts: Map<ReportingStatus, number>; total: number }>();
    for (const r of rows) {
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const a = byAgency.get(r.leadId) ?? { name: r.leadName, counts: new Map(), total: 0 };
      a.counts.set(r.status, (a.counts.get(r.status) ?? 0) + 1);
      a.total += 1;
      byAgency.set(r.leadId, a);
    }

    const filters = html`<form class="filters" method="get" action="/plans/${encodeURIComponent(planId)}">
<div><label for="agency">${t.agency}</label><select id="agency" name="agency"><option value="">${t.all}</option>${agencies.map(
      (a) => html`<option value="${a.id}"${raw(q['agency'] === a.id ? ' selected' : '')}>${a.name}</option>`,
    )}</select></div>
<div><label for="status">${t.status}</label><select id="status" name="status"><option value="">${t.all}</option>${REPORTING_STATUSES.map(
      (s) =>
        html`<option value="${s}"${raw(q['status'] === s ? ' selected' : '')}>${labelReportingStatus(s, lang)}</option>`,
    )}</select></div>
<div><label for="dueFrom">${t.dueFrom}</label>${dayInput('dueFrom', q['dueFrom'], { label: t.dueFrom })}</div>
<div><label for="dueTo">${t.dueTo}</label>${dayInput('dueTo', q['dueTo'], { label: t.dueTo })}</div>
<div><button type="submit">${t.filter}</button></div></form>`;

    const statusTable = html`<h2>${t.countsByStatus}</h2><div class="scroll"><table><thead><tr>${REPORTING_STATUSES.map(
      (s) => html`<th>${statusBadge(s, lang)}</th>`,
    )}<th>${t.total}</th></tr></thead><tbody><tr>${REPORTING_STATUSES.map(
      (s) => html`<td data-count="${s}">${byStatus.get(s) ?? 0}</td>`,
    )}<td data-count="total">${rows.length}</td></tr></tbody></table></div>`;

    const agencyTable = html`<h2>${t.countsByAgency}</h2><div class="scroll"><table><thead><tr><th>${t.agency}</th>${REPORTING_STATUSES.map(
      (s) => html`<th class="hide-sm">${labelReportingStatus(s, lang)}</th>`,
    )}<th>${t.total}</th></tr></thead><tbody>${[...byAgency.entries()].map(
      ([id, a]) =>
        html`<tr data-agency="${id}"><td>${a.name}</td>${REPORTING_STATUSES.map((s) => html`<td class="hide-sm">${a.counts.get(s) ?? 0}</td>`)}<td>${a.total}</td></tr>`,
    )}</tbody></table></div>`;

    const svg = renderTimelineSvg(rows, today, lang);
    const taskTable =
      rows.length === 0
        ? html`<p>${t.noTasks}</p>`
        : html`<div class="scroll"><table class="tasks"><thead><tr><th>${t.ref}</th><th>${t.title}</th><th>${t.lead}</th><th>${t.due}</th><th>${t.state}</th><th>${t.status}</th></tr></thead><tbody>${rows.map(
            (r: TaskRow) =>
              html`<tr data-workflow-id="${r.workflowId}"><td>${r.taskRef}</td><td><a href="/tasks/${encodeURIComponent(r.workflowId)}">${r.title}</a></td><td>${r.leadName}</td><td>${dueText(r.due, lang)}</td><td>${stateBadge(r.state, lang)}</td><td>${statusBadge(r.status, lang)}</td></tr>`,
          )}</tbody></table></div>`;

    const title = plan ? `${plan.number ? `${plan.number} · ` : ''}${plan.title}` : planId;
    const body = html`<h1>${title}</h1>${filters}
<p><a href="/plans/${encodeURIComponent(planId)}/report?format=xlsx">${t.reportXlsx}</a> · <a href="/plans/${encodeURIComponent(planId)}/report?format=docx">${t.reportDocx}</a></p>
${statusTable}${agencyTable}${svg ? html`<h2>${t.timeline}</h2><div class="scroll">${raw(svg)}</div>` : ''}<h2>${t.tasks} (${rows.length})</h2>${taskTable}`;
    return sendPage(reply, req, 200, plan?.number || planId, body);
  });

  // --- task page ---------------------------------------------------------------------------------------
  const safeHref = (url: string | undefined): string | undefined =>
    url && /^https?:\/\/\S+$/i.test(url) ? url : undefined;

  const renderTaskDetails = (s: TaskSnapshot, lang: LabelLanguage): SafeHtml => {
    const t = WORDS[lang];
    const names = new Map<string, string>([
      [s.lead.id, s.lead.name],
      [s.monitoring.id, s.monitoring.name],
      ...s.coordinators.map((c) => [c.id, c.name] as [string, string]),
    ]);
    return html`<div class="card"><dl>
<dt>${t.plan}</dt><dd>${s.planNumber || s.planId}</dd>
<dt>${t.ref}</dt><dd>${s.taskRef}</dd>
<dt>${t.title}</dt><dd>${s.title}</dd>
${s.deliverable ? html`<dt>${t.deliverable}</dt><dd>${s.deliverable}</dd>` : ''}
<dt>${t.lead}</dt><dd>${s.lead.name}</dd>
<dt>${t.coordinators}</dt><dd>${s.coordinators.map((c) => c.name).join(', ') || '—'}</dd>
<dt>${t.signOff}</dt><dd>${s.requiredSignOff.map((id) => names.get(id) ?? id).join(', ') || '—'}</dd>
<dt>${t.monitoring}</dt><dd>${s.monitoring.name}</dd>
<dt>${t.timing}</dt><dd>${s.timingText}</dd>
<dt>${t.due}</dt><dd>${dueText(s.due, lang)}</dd>
<dt>${t.effectiveDue}</dt><dd>${dueText(s.effectiveDue, lang)}</dd>
<dt>${t.state}</dt><dd>${stateBadge(s.state, lang)}</dd>
<dt>${t.status}</dt><dd>${statusBadge(s.reportingStatus, lang)}</dd>
</dl></div>`;
  };

  app.get<{ Params: { workflowId: string } }>(
    '/tasks/:workflowId',
    { preHandler: requireBoard },
    async (req, reply) => {
      const lang = langOf(req);
      const t = WORDS[lang];
      const s = await getTask(client, req.params.workflowId);
      const names = new Map<string, string>([
        [s.lead.id, s.lead.name],
        [s.monitoring.id, s.monitoring.name],
        ...s.coordinators.map((c) => [c.id, c.name] as [string, string]),
      ]);
      const deadlines = html`<h2>${t.deadlineHistory}</h2><div class="scroll"><table><thead><tr><th>${t.due}</th><th>${t.when}</th><th>${t.who}</th><th>${t.why}</th></tr></thead><tbody>
<tr><td>${dueText(s.originalDue, lang)}</td><td colspan="3">${t.originalDue}</td></tr>${s.deadlineHistory
        .filter((d, i) => !(i === 0 && d.due === s.originalDue))
        .map(
          (d) =>
            html`<tr><td>${t.changedTo} ${dueText(d.due, lang)}</td><td>${formatInstantLocal(d.at, tz)}</td><td>${d.by.name}</td><td>${d.reason}</td></tr>`,
        )}</tbody></table></div>${
        s.pendingExtension
          ? html`<p>${t.pendingExtension}: ${dueText(s.pendingExtension.newDue, lang)} — ${s.pendingExtension.reason}</p>`
          : ''
      }`;
      const sub = s.submission;
      const subHref = safeHref(sub?.evidenceUrl);
      const submission = html`<h2>${t.submission}</h2>${
        sub
          ? html`<div class="card"><dl><dt>${t.when}</dt><dd>${formatInstantLocal(sub.at, tz)}</dd><dt>${t.who}</dt><dd>${sub.by.name}</dd>
<dt>${t.summary}</dt><dd>${sub.summary}</dd>${sub.documentNumber ? html`<dt>${t.documentNumber}</dt><dd>${sub.documentNumber}</dd>` : ''}${
              sub.documentDate ? html`<dt>${t.documentDate}</dt><dd>${dueText(sub.documentDate, lang)}</dd>` : ''
            }${subHref ? html`<dt>${t.evidence}</dt><dd><a href="${subHref}" rel="noopener noreferrer">${subHref}</a></dd>` : ''}</dl></div>`
          : html`<p>${t.noSubmission}</p>`
      }`;
      const confirmations = html`<h2>${t.confirmations}</h2>${
        s.confirmations.length === 0
          ? html`<p>${t.noConfirmations}</p>`
          : html`<div class="scroll"><table><tbody>${s.confirmations.map(
              (c) =>
                html`<tr><td>${names.get(c.agencyId) ?? c.agencyId}</td><td>${TIMELINE_ACTION_WORDS[lang][c.verdict === 'confirmed' ? 'confirm' : 'dispute']}</td><td>${formatInstantLocal(c.at, tz)}</td><td>${c.note ?? ''}</td></tr>`,
            )}</tbody></table></div>`
      }`;
      const timeline = html`<h2>${t.history}</h2><div class="scroll"><table class="timeline-table"><thead><tr><th>${t.when}</th><th>${t.who}</th><th>${t.what}</th><th>${t.why}</th></tr></thead><tbody>${s.timeline.map(
        (e) =>
          html`<tr data-action="${e.action}"><td>${formatInstantLocal(e.at, tz)}</td><td>${e.actor.name}</td><td>${TIMELINE_ACTION_WORDS[lang][e.action] ?? e.action} → ${labelTaskState(e.state, lang)}</td><td>${e.note ?? ''}</td></tr>`,
      )}</tbody></table></div>`;
      const body = html`<p><a href="/plans/${encodeURIComponent(s.planId)}">← ${s.planNumber || s.planId}</a></p><h1>${s.taskRef} · ${s.title}</h1>${renderTaskDetails(s, lang)}${deadlines}${submission}${confirmations}${timeline}`;
      return sendPage(reply, req, 200, `${s.taskRef} ${s.title}`, body);
    },
  );

  // --- action links ------------------------------------------------------------------------------------
  const verifyLink = (token: string): LinkPayload => {
    const v = signer.verify(token, now());
    if (!v.ok) {
      const r = LINK_REFUSALS[v.reason];
      throw new WebError(r.status, r.message, r.title);
    }
    return v.payload;
  };

  const formOf = (payload: LinkPayload): ActionFormSpec => {
    if (!isActionName(payload.k))
      throw new WebError(
        400,
        'Thao tác này không thực hiện được trên trang web; hãy liên hệ cơ quan theo dõi.',
        'Thao tác không hỗ trợ',
      );
    return ACTION_FORMS[payload.k];
  };

  const actorName = async (s: TaskSnapshot, agencyId: string): Promise<string> =>
    [s.lead, s.monitoring, ...s.coordinators].find((a) => a.id === agencyId)?.name ??
    (await plans.agencyName(agencyId, s.planId)) ??
    agencyId;

  /** "Already done", from the workflow's own record of the action, with the task's state now. */
  const alreadyDone = (
    earlier: { action: string; at: string; by: string },
    current: TaskSnapshot | undefined,
    lang: LabelLanguage,
  ): SafeHtml => renderAlreadyDone(earlier, current, lang, tz);

  app.get<{ Params: { token: string } }>('/a/:token', async (req, reply) => {
    const lang = langOf(req);
    const token = req.params.token;
    const payload = verifyLink(token);
    const spec = formOf(payload);
    const s = await getTask(client, payload.w);
    const earlier = await client.workflow.getHandle(payload.w).query(handledActionQuery, linkActionId(payload));
    if (earlier)
      return sendPage(
        reply,
        req,
        200,
        spec.title[lang],
        html`${renderTaskDetails(s, lang)}${alreadyDone({ ...earlier, by: earlier.by.name }, s, lang)}`,
        false,
      );
    const uploads = spec.action === 'submit';
    const body = renderDecisionPage({
      snapshot: s,
      form: spec,
      token,
      csrf: createCsrfToken(linkSecret, token),
      acting: await actorName(s, payload.a),
      lang,
      timeZone: tz,
      evidenceHref: (fileId) => `/a/${token}/evidence/${encodeURIComponent(fileId)}`,
      ...(uploads ? { extraFields: evidenceInput(lang), enctype: 'multipart/form-data' } : {}),
    });
    return sendPage(reply, req, 200, spec.title[lang], body, false);
  });

  /**
   * Verifies, validates and asks the workflow to act. Acting once is the workflow's decision: the link's action id
   * (task, cycle, action, nonce) is applied once, and again it is refused as already done, on any host.
   */
  const performAction = async (
    token: string,
    body: unknown,
  ): Promise<
    { result: ActionResult; repeated: false } | { repeated: true; earlier: NonNullable<Refusal['earlier']> }
  > => {
    const payload = verifyLink(token);
    const spec = formOf(payload);
    // Agencies named in the form (a new lead) are looked up in the task's own plan directory; only forms that name
    // one read the plan (most actions must not wait on the plan's workflow).
    const planDirectory = spec.fields.some((f) => f.kind === 'agency')
      ? (await plans.get(planIdOfTask(payload.w)))?.directory
      : undefined;
    const fields = parseActionFields(spec, body, (id) => {
      const name = planDirectory?.agencies.find((a) => a.id === id)?.name;
      return name ? { id, name } : undefined;
    });
    // Files are checked and stored before the report goes to the workflow, which keeps only their references.
    const files = uploadsOf(body);
    if (files.length > 0) {
      if (spec.action !== 'submit') throw new WebError(400, 'Thao tác này không nhận tệp đính kèm.');
      fields['evidenceFiles'] = await storeUploads(evidence, files);
    }
    const outcome = await actOnTask(client, payload.w, spec.action, {
      ...fields,
      actor: { agencyId: payload.a },
      actionId: linkActionId(payload),
      cycle: payload.c,
      via: 'link',
    });
    if (outcome.ok) return { result: outcome.result, repeated: false };
    if (outcome.code === 'not_found') throw new WebError(404, outcome.reason, 'Không tìm thấy');
    if (outcome.code === 'already_done' && outcome.refusal.earlier)
      return { repeated: true, earlier: outcome.refusal.earlier };
    const o = REFUSAL_OUTCOMES[outcome.code];
    throw new WebError(o.http, outcome.reason, o.title.vi);
  };

  registerEvidenceRoute(app, { store: evidence, verify: verifyLink, snapshot: (w) => getTask(client, w) });

  app.post<{ Params: { token: string } }>('/a/:token', async (req, reply) => {
    const lang = langOf(req);
    const token = req.params.token;
    const payload = verifyLink(token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!checkCsrfToken(linkSecret, token, body['csrf']))
      throw new WebError(
        403,
        'Biểu mẫu đã hết hiệu lực hoặc không được gửi từ trang của hệ thống. Hãy mở lại liên kết trong thư rồi gửi lại.',
        'Biểu mẫu không hợp lệ',
      );
    const outcome = await performAction(token, body);
    if (outcome.repeated) {
      const current = await getTask(client, payload.w).catch(() => undefined);
      return sendPage(reply, req, 200, WORDS[lang].appName, alreadyDone(outcome.earlier, current, lang), false);
    }
    const { result } = outcome;
    const page = html`<div class="card ok" data-outcome="done"><h1>${lang === 'vi' ? 'Đã thực hiện' : 'Done'}</h1><p>${result.message}</p>
<p>${lang === 'vi' ? 'Tình trạng nhiệm vụ' : 'Task state'}: ${labelTaskState(result.state, lang)} · ${formatInstantLocal(result.at, tz)}</p></div>`;
    return sendPage(reply, req, 200, WORDS[lang].appName, page, false);
  });

  // --- JSON API ----------------------------------------------------------------------------------------
  app.post<{ Params: { token: string } }>('/api/actions/:token', async (req, reply) => {
    // JSON only: a cross-site HTML form cannot send it without a CORS preflight, which this server never grants.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      throw new WebError(415, 'Chỉ nhận nội dung JSON (Content-Type: application/json).', 'Kiểu nội dung không hỗ trợ');
    const outcome = await performAction(req.params.token, req.body);
    if (outcome.repeated) {
      const current = await getTask(client, verifyLink(req.params.token).w).catch(() => undefined);
      return reply.send({ ok: true, repeated: true, earlier: outcome.earlier, state: current?.state });
    }
    return reply.send({ ok: true, repeated: false, result: outcome.result });
  });

  app.get<{ Params: { planId: string } }>('/api/plans/:planId/tasks', { preHandler: requireBoard }, async (req) => {
    const planId = checkPlanId(req.params.planId);
    return { ok: true, tasks: await listTasks(client, parseFilter(planId, req.query), { timeZone: tz }) };
  });

  app.get<{ Params: { workflowId: string } }>('/api/tasks/:workflowId', { preHandler: requireBoard }, async (req) => ({
    ok: true,
    task: await getTask(client, req.params.workflowId),
  }));

  const sendReport = async (planId: string, kind: 'xlsx' | 'docx', reply: FastifyReply): Promise<FastifyReply> => {
    checkPlanId(planId);
    if (!(await readPlan(planId))) throw new WebError(404, `Kế hoạch "${planId}" chưa được nhập.`, 'Không tìm thấy');
    const built = await buildPlanReport(client, plans, planId, toLocalDate(new Date(now()).toISOString(), tz));
    return sendBuiltReport(built, kind, reply);
  };
  const sendBuiltReport = (built: BuiltReport, kind: 'xlsx' | 'docx', reply: FastifyReply): FastifyReply => {
    const type =
      kind === 'xlsx'
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    return reply
      .type(type)
      .header(
        'Content-Disposition',
        `attachment; filename="${built.fileBase.replace(/[^A-Za-z0-9._-]/g, '_')}.${kind}"`,
      )
      .send(kind === 'xlsx' ? built.xlsx : built.docx);
  };
  // The report from the board: asks for what the plan does not give, then makes the file (web/report-page.ts).
  app.get<{ Params: { planId: string }; Querystring: Record<string, unknown> }>(
    '/plans/:planId/report',
    { preHandler: requireBoard },
    async (req, reply) => {
      const planId = checkPlanId(req.params.planId);
      if (!(await readPlan(planId))) throw new WebError(404, `Kế hoạch "${planId}" chưa được nhập.`, 'Không tìm thấy');
      const asOf = toLocalDate(new Date(now()).toISOString(), tz);
      const step = await reportStep({
        planId,
        query: req.query ?? {},
        lang: langOf(req),
        sources: await readPlanSources(plans, planId),
        build: (officer) => buildPlanReport(client, plans, planId, asOf, undefined, undefined, officer),
      });
      if (step.kind === 'form') return sendPage(reply, req, step.status, step.title, step.body);
      return sendBuiltReport(step.built, step.format, reply);
    },
  );
  app.get<{ Params: { planId: string } }>(
    '/api/plans/:planId/report.xlsx',
    { preHandler: requireBoard },
    async (req, reply) => sendReport(req.params.planId, 'xlsx', reply),
  );
  app.get<{ Params: { planId: string } }>(
    '/api/plans/:planId/report.docx',
    { preHandler: requireBoard },
    async (req, reply) => sendReport(req.params.planId, 'docx', reply),
  );

  // --- outbox ------------------------------------------------------------------------------------------
  app.get('/outbox', { preHandler: requireBoard }, async (req, reply) => {
    const lang = langOf(req);
    const t = WORDS[lang];
    if (deps.outboxDir === undefined)
      return sendPage(reply, req, 200, t.outbox, html`<h1>${t.outbox}</h1><p>${t.outboxSmtp}</p>`);
    const entries = await listOutbox(deps.outboxDir);
    const body = html`<h1>${t.outbox} (${entries.length})</h1>${
      entries.length === 0
        ? html`<p>${t.outboxEmpty}</p>`
        : html`<div class="scroll"><table><thead><tr><th>${t.date}</th><th>${t.to}</th><th>${t.subject}</th><th></th></tr></thead><tbody>${entries.map(
            (e) =>
              html`<tr><td>${e.date ? formatInstantLocal(e.date, tz) : ''}</td><td>${e.to.join(', ')}</td><td>${e.subject}</td><td><a href="/outbox/${encodeURIComponent(e.file)}">${t.view}</a></td></tr>`,
          )}</tbody></table></div>`
    }`;
    return sendPage(reply, req, 200, t.outbox, body);
  });

  app.get<{ Params: { file: string } }>('/outbox/:file', { preHandler: requireBoard }, async (req, reply) => {
    const file = req.params.file;
    if (deps.outboxDir === undefined || !OUTBOX_FILE.test(file) || file.includes('..') || path.basename(file) !== file)
      throw new WebError(404, 'Không có thư này trong hộp thư đi.', 'Không tìm thấy');
    let content: Buffer;
    try {
      content = await fs.readFile(path.join(deps.outboxDir, file));
    } catch {
      throw new WebError(404, 'Không có thư này trong hộp thư đi.', 'Không tìm thấy');
    }
    return reply.type('text/plain; charset=utf-8').send(content);
  });

  return app;
}

export { escapeHtml };
