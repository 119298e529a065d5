/**
 * The people's doors on the web: the board of plans and tasks, task pages, sign-off pages opened from signed
 * email links, the outbox and a JSON API. Built as a value from its dependencies; the CLI listens.
 */
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DondocConfig } from '../config';
import { REPORTING_STATUSES, type IsoDate, type ReportingStatus, type TaskSnapshot } from '../domain/types';
import { createOutboxMailer, createSmtpMailer } from '../mail/mailer';
import type { Mailer } from '../mail/types';
import {
  labelReportingStatus,
  labelTaskState,
  formatDateShortVi,
  toLocalDate,
  type LabelLanguage,
} from '../reports/labels';
import { createLinkSigner, linkActionId, type LinkPayload } from '../security/links';
import { PlanStore, type PlanReader } from '../services/plan-store';
import {
  buildPlanReport,
  compilePlanReport,
  planSnapshots,
  readPlanSources,
  type BuiltReport,
} from '../services/periodic-report';
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
import type { Viewer, WebContext } from './context';
import { WebError } from './errors';
import { checkWebExposure } from './exposure';
import { registerLeadershipRoutes } from './leadership-routes';
import { registerMyTasksRoutes, snapshotActionForms } from './my-tasks-routes';
import { registerOutboxRoutes } from './outbox-routes';
import { maySeeTask, planRole } from './roles';
import {
  checkCsrfToken,
  createCsrfToken,
  parseCookies,
  readSessionValue,
  serializeCookie,
  subjectKey,
} from './session';
import { renderAlreadyDone, renderDecisionPage, renderTaskCard } from './decision-page';
import { reportStep } from './report-page';
import {
  evidenceInput,
  boardEvidencePath,
  isParty,
  registerBoardEvidenceRoute,
  registerEvidenceRoute,
  registerMultipart,
  storeUploads,
  UploadError,
  uploadsOf,
} from './evidence';
import { createEvidenceStore, type EvidenceStore } from '../storage/evidence-store';
import { ALL_SESSIONS, createFileSessionStore, createPostgresSessionStore, type SessionStore } from './session-store';
import { logoutForm, registerSignInRoutes, SESSION_COOKIE } from './signin-routes';
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
  /** Session epochs and used sign-in links (default: PostgreSQL if configured, else the data folder). */
  sessions?: SessionStore;
  /** Sends agency sign-in links (default: SMTP if configured, else the outbox folder). */
  mailer?: Mailer;
  /** Failures an address may make in `windowMs` before it waits (doubling while it keeps trying). */
  limits?: { signinFailures: number; tokenFailures: number; windowMs: number };
  /** Where refused attempts are logged (default: stderr). Never given a secret. */
  log?: (line: string) => void;
}

export { WebError };

const LANG_COOKIE = 'dondoc_lang';

/** Headers of every answer, the app's pages and fastify's own errors alike. */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // Action links carry their token in the URL: never send it on as a Referer (e.g. to an evidence link).
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
};
const PLAN_ID = /^[a-z0-9-]{1,100}$/;

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
  // Slugs only: the value goes into the visibility store's query.
  agency: z
    .string()
    .regex(/^([a-z0-9-]{1,100})?$/, 'agency phải là mã cơ quan (chữ thường không dấu, số, dấu gạch ngang)')
    .optional(),
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
  lang: z.string().max(10).optional(),
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
  checkWebExposure(config);
  const sessions =
    deps.sessions ??
    (config.database.url ? createPostgresSessionStore(config.database.url) : createFileSessionStore(deps.dataDir));
  const mailer =
    deps.mailer ??
    (config.mail.smtpUrl
      ? createSmtpMailer(config.mail.smtpUrl)
      : deps.outboxDir !== undefined
        ? createOutboxMailer(deps.outboxDir)
        : undefined);
  const limits = deps.limits ?? { signinFailures: 5, tokenFailures: 20, windowMs: 60_000 };
  const log = deps.log ?? ((line: string): void => void process.stderr.write(`${line}\n`));

  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 4096 },
    // Errors of the HTTP parser (431 headers too large, 400 bad request line) never reach a route: answer them
    // here with the app's headers and without echoing anything of the request.
    // The router's own refusals (a malformed percent-encoding, a parameter past maxParamLength) would answer with
    // the URL, token included, in their JSON: answer them with the app's headers and no echo.
    frameworkErrors: (err, _req, res) => {
      const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const reply = res as unknown as FastifyReply;
      void reply
        .code(status)
        .headers(SECURITY_HEADERS)
        .type('text/plain; charset=utf-8')
        .send(status === 414 ? 'Địa chỉ quá dài.' : 'Địa chỉ không hợp lệ.');
    },
    clientErrorHandler: (err, socket) => {
      const code = (err as { code?: string }).code;
      const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'HPE_URI_TOO_LONG' ? 414 : 400;
      const text =
        status === 431 ? 'Phần đầu yêu cầu quá lớn.' : status === 414 ? 'Địa chỉ quá dài.' : 'Yêu cầu không hợp lệ.';
      const body = Buffer.from(text, 'utf8');
      if (socket.writable)
        socket.end(
          `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request'}\r\n` +
            'Content-Type: text/plain; charset=utf-8\r\n' +
            Object.entries(SECURITY_HEADERS)
              .map(([k, v]) => `${k}: ${v}\r\n`)
              .join('') +
            `Connection: close\r\nContent-Length: ${body.length}\r\n\r\n${text}`,
        );
      else socket.destroy();
    },
  });
  const ownMailer = deps.mailer === undefined ? mailer : undefined;
  app.addHook('onClose', () => (deps.sessions ? Promise.resolve() : sessions.close()).then(() => ownMailer?.close()));
  await app.register(formbody);
  registerMultipart(app);
  const evidence = deps.evidence ?? createEvidenceStore({ database: deps.config.database, dataDir: deps.dataDir });
  if (!deps.evidence) app.addHook('onClose', () => evidence.close());
  // Per-address limits with backoff, counted on failures only (wrong sign-ins, refused tokens): an officer who
  // signs in and acts is never slowed. Each time an address reaches the limit its window doubles (up to 64 times),
  // so a guesser that comes back after each lock waits 2, 4, 8… windows.
  await app.register(rateLimit, { global: false });
  const strikes = new Map<string, number>();
  const windowOf =
    (what: 'signin' | 'token') =>
    (_req: FastifyRequest, key: string): number =>
      limits.windowMs * 2 ** Math.min(strikes.get(`${what}|${key}`) ?? 0, 6);
  const failureLimiters = {
    signin: app.createRateLimit({ max: limits.signinFailures, timeWindow: windowOf('signin') }),
    token: app.createRateLimit({ max: limits.tokenFailures, timeWindow: windowOf('token') }),
  };

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
    void reply.headers(SECURITY_HEADERS);
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
          // Sign-out in the header of every board page of a signed-in visitor (known once a guard has asked).
          ...(board && signedInViewers.has(req)
            ? { navExtra: logoutForm(ctx, signedInViewers.get(req)!, langOf(req)) }
            : {}),
        }),
      );

  // The one place where errors become HTTP statuses.
  app.setErrorHandler((err: unknown, req, reply) => {
    let status = 500;
    let title = 'Lỗi máy chủ';
    let message = 'Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo cho quản trị viên.';
    const e = err as { name?: string; statusCode?: number; message?: string; validation?: unknown };
    if (err instanceof WebError) {
      if (err.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(err.retryAfterSeconds));
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
    } else if (
      e.name === 'WorkflowNotFoundError' ||
      e.name === 'NotFoundError' ||
      e.name === 'TaskNotFoundError' ||
      e.name === 'QueryNotRegisteredError'
    ) {
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

  // --- who is asking ------------------------------------------------------------------------------------
  const viewers = new WeakMap<FastifyRequest, Promise<Viewer>>();
  const signedInViewers = new WeakMap<FastifyRequest, Viewer>();
  const readViewer = async (req: FastifyRequest): Promise<Viewer> => {
    const value = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const claims = readSessionValue(linkSecret, value, now(), boardToken);
    if (!claims || value === undefined) return { kind: 'anonymous' };
    // A session is revoked when its subject's epoch, or everyone's, has moved on since it was issued.
    const [epoch, allEpoch] = await Promise.all([
      sessions.epoch(subjectKey(claims.subject)),
      sessions.epoch(ALL_SESSIONS),
    ]);
    if (epoch !== claims.epoch || allEpoch !== claims.allEpoch) return { kind: 'anonymous' };
    return claims.subject.kind === 'operator'
      ? { kind: 'operator', session: value }
      : { kind: 'agency', agencyId: claims.subject.agencyId, session: value };
  };
  const viewer = (req: FastifyRequest): Promise<Viewer> => {
    let v = viewers.get(req);
    if (!v)
      viewers.set(
        req,
        (v = readViewer(req).then((r) => {
          if (r.kind !== 'anonymous') signedInViewers.set(req, r);
          return r;
        })),
      );
    return v;
  };

  const originOf = (url: string): string | undefined => {
    try {
      return new URL(url).origin;
    } catch {
      return undefined;
    }
  };
  // Browsers say where a request comes from in Sec-Fetch-Site; with our no-referrer policy Chromium sends
  // `Origin: null` on same-origin form posts, so Origin decides only when Sec-Fetch-Site is absent.
  const checkSameOrigin = (req: FastifyRequest): void => {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const own = new Set([originOf(config.web.publicUrl), originOf(`${req.protocol}://${req.headers.host ?? ''}`)]);
    const refused =
      typeof site === 'string'
        ? site !== 'same-origin' && site !== 'none'
        : typeof origin === 'string' && (origin === 'null' || !own.has(origin));
    if (refused)
      throw new WebError(
        403,
        'Yêu cầu này không được gửi từ trang của hệ thống nên bị từ chối. Hãy mở trang đăng nhập của dondoc rồi thử lại.',
        'Yêu cầu bị từ chối',
      );
  };

  const addressOf = (req: FastifyRequest): string => req.ip;
  const throttle = async (req: FastifyRequest, what: 'signin' | 'token'): Promise<void> => {
    const r = await failureLimiters[what](req, { increment: false });
    if (!r.isAllowed && r.remaining === 0 && r.ttlInSeconds > 0)
      throw new WebError(
        429,
        `Có quá nhiều lần thử sai từ địa chỉ này. Hãy đợi ${r.ttlInSeconds} giây rồi thử lại; mỗi lần thử sai tiếp theo sẽ phải đợi lâu hơn.`,
        'Tạm khóa vì thử sai nhiều lần',
        r.ttlInSeconds,
      );
  };
  const recordFailure = async (req: FastifyRequest, what: 'signin' | 'token', detail: string): Promise<void> => {
    const r = await failureLimiters[what](req);
    if (!r.isAllowed && r.remaining === 0) {
      // The limit is reached: the next window of this address is twice as long.
      const k = `${what}|${r.key}`;
      if (strikes.size > 10_000) strikes.clear();
      strikes.set(k, (strikes.get(k) ?? 0) + 1);
    }
    log(
      `dondoc web: ${what === 'signin' ? 'đăng nhập sai' : 'liên kết bị từ chối'} từ ${addressOf(req)}: ${detail}${
        !r.isAllowed && r.remaining === 0 ? ` (tạm khóa ${r.ttlInSeconds} s)` : ''
      }`,
    );
  };

  const mayViewBoard = (v: Viewer): boolean => boardToken === undefined || v.kind !== 'anonymous';

  const ctx: WebContext = {
    client,
    config,
    linkSecret,
    plans,
    sessions,
    mailer,
    outboxDir: deps.outboxDir,
    now,
    tz,
    boardToken,
    secureCookies,
    langOf,
    sendPage,
    viewer,
    checkSameOrigin,
    throttle,
    recordFailure,
    mayViewBoard,
  };

  /** Guard for board routes: a page visitor is sent to /login, an API caller gets 401. */
  const requireBoard = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (mayViewBoard(await viewer(req))) return;
    if (isApi(req)) {
      await reply.code(401).send({ ok: false, reason: 'Cần đăng nhập bảng theo dõi.' });
      return;
    }
    await reply.redirect('/login', 303);
  };

  registerSignInRoutes(app, ctx);
  registerOutboxRoutes(app, ctx);
  registerMyTasksRoutes(app, ctx);
  registerLeadershipRoutes(app, ctx);

  /** A signed-in agency sees a task only as its lead, a coordinator, or the plan's monitoring agency or leadership. */
  const assertMaySee = async (req: FastifyRequest, s: TaskSnapshot): Promise<void> => {
    const v = await viewer(req);
    if (v.kind !== 'agency') return;
    const plan = (await plans.get(s.planId))?.plan;
    const parties = {
      leadId: s.lead.id,
      agencies: s.coordinators.map((c) => c.id),
      monitoringId: s.monitoring.id,
      leadershipId: plan?.escalationAuthority ?? '',
      state: s.state,
    };
    if (!maySeeTask(v.agencyId, parties))
      throw new WebError(403, 'Nhiệm vụ này không thuộc cơ quan của bạn.', 'Không có quyền');
  };
  /** An agency without a plan-wide role sees only its own tasks of the plan. */
  const scopeFilter = async (req: FastifyRequest, filter: TaskFilter): Promise<TaskFilter> => {
    const v = await viewer(req);
    if (v.kind !== 'agency' || !filter.planId) return filter;
    const plan = (await plans.get(filter.planId))?.plan;
    return plan && planRole(v.agencyId, plan) ? filter : { ...filter, agencyId: v.agencyId };
  };

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

  /** Importing a plan is administration: the operator (or anyone on an open loopback board), never an agency. */
  const requireOperator = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const v = await viewer(req);
    if (v.kind === 'operator' || (boardToken === undefined && v.kind === 'anonymous')) return;
    if (v.kind === 'agency')
      throw new WebError(403, 'Chỉ người quản trị bảng theo dõi mới được nhập kế hoạch.', 'Không có quyền');
    await requireBoard(req, reply);
  };

  await registerIntakeRoutes(app, {
    client,
    config,
    linkSecret,
    dataDir: deps.dataDir,
    plans,
    requireBoard: requireOperator,
    langOf,
    sendPage,
  });

  const dueText = (due: IsoDate | null, lang: LabelLanguage): string =>
    due ? formatDateShortVi(due) : WORDS[lang].noDue;

  app.get<{ Params: { planId: string } }>('/plans/:planId', { preHandler: requireBoard }, async (req, reply) => {
    const lang = langOf(req);
    const t = WORDS[lang];
    const planId = checkPlanId(req.params.planId);
    const filter = await scopeFilter(req, parseFilter(planId, req.query));
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

  app.get<{ Params: { workflowId: string } }>(
    '/tasks/:workflowId',
    { preHandler: requireBoard },
    async (req, reply) => {
      const lang = langOf(req);
      const t = WORDS[lang];
      const s = await getTask(client, req.params.workflowId);
      await assertMaySee(req, s);
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
      // The files open only for a signed-in party of the task (web/evidence.ts): others see their names.
      const files = sub?.evidenceFiles ?? [];
      const seer = await viewer(req);
      const party = seer.kind === 'agency' && isParty(s, seer.agencyId);
      const submission = html`<h2>${t.submission}</h2>${
        sub
          ? html`<div class="card"><dl><dt>${t.when}</dt><dd>${formatInstantLocal(sub.at, tz)}</dd><dt>${t.who}</dt><dd>${sub.by.name}</dd>
<dt>${t.summary}</dt><dd>${sub.summary}</dd>${sub.documentNumber ? html`<dt>${t.documentNumber}</dt><dd>${sub.documentNumber}</dd>` : ''}${
              sub.documentDate ? html`<dt>${t.documentDate}</dt><dd>${dueText(sub.documentDate, lang)}</dd>` : ''
            }${subHref ? html`<dt>${t.evidence}</dt><dd><a href="${subHref}" rel="noopener noreferrer">${subHref}</a></dd>` : ''}${
              files.length > 0
                ? html`<dt>${lang === 'vi' ? 'Tệp minh chứng' : 'Evidence files'}</dt><dd data-part="evidence-files">${files.map(
                    (f, i) =>
                      html`${i > 0 ? ', ' : ''}${
                        party ? html`<a href="${boardEvidencePath(s.workflowId, f.name)}">${f.name}</a>` : f.name
                      }`,
                  )}</dd>`
                : ''
            }</dl></div>`
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
      // A signed-in agency acts here too: the forms of the actions its role and the task's state allow.
      const v = await viewer(req);
      const forms =
        v.kind === 'agency'
          ? snapshotActionForms(linkSecret, v.agencyId, v.session, s, await plans.get(s.planId), lang)
          : html``;
      const actions = forms.html
        ? html`<h2>${lang === 'vi' ? 'Thao tác' : 'Actions'}</h2><div class="card task-actions">${forms}</div>`
        : html``;
      const body = html`<p><a href="/plans/${encodeURIComponent(s.planId)}">← ${s.planNumber || s.planId}</a></p><h1>${s.taskRef} · ${s.title}</h1>${renderTaskCard(s, lang, true)}${actions}${deadlines}${submission}${confirmations}${timeline}`;
      return sendPage(reply, req, 200, `${s.taskRef} ${s.title}`, body);
    },
  );

  // --- action links ------------------------------------------------------------------------------------
  // A refused token counts against the visitor's address; past the limit, every token waits (429).
  const verifyLink = async (req: FastifyRequest, token: string): Promise<LinkPayload> => {
    await throttle(req, 'token');
    const v = signer.verify(token, now());
    if (!v.ok) {
      await recordFailure(req, 'token', v.reason);
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
    const payload = await verifyLink(req, token);
    const spec = formOf(payload);
    const s = await getTask(client, payload.w);
    const earlier = await client.workflow.getHandle(payload.w).query(handledActionQuery, linkActionId(payload));
    if (earlier)
      return sendPage(
        reply,
        req,
        200,
        spec.title[lang],
        html`${renderTaskCard(s, lang, true)}${alreadyDone({ ...earlier, by: earlier.by.name }, s, lang)}`,
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
    payload: LinkPayload,
    body: unknown,
  ): Promise<
    { result: ActionResult; repeated: false } | { repeated: true; earlier: NonNullable<Refusal['earlier']> }
  > => {
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
  registerBoardEvidenceRoute(app, {
    store: evidence,
    viewerOf: async (req) => {
      const v = await viewer(req);
      return v.kind === 'agency'
        ? { kind: 'agency', agencyId: v.agencyId }
        : { kind: v.kind === 'anonymous' ? 'anonymous' : 'other' };
    },
    snapshot: (w) => getTask(client, w),
  });

  app.post<{ Params: { token: string } }>('/a/:token', async (req, reply) => {
    const lang = langOf(req);
    const token = req.params.token;
    const payload = await verifyLink(req, token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!checkCsrfToken(linkSecret, token, body['csrf']))
      throw new WebError(
        403,
        'Biểu mẫu đã hết hiệu lực hoặc không được gửi từ trang của hệ thống. Hãy mở lại liên kết trong thư rồi gửi lại.',
        'Biểu mẫu không hợp lệ',
      );
    const outcome = await performAction(payload, body);
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
    const payload = await verifyLink(req, req.params.token);
    const outcome = await performAction(payload, req.body);
    if (outcome.repeated) {
      const current = await getTask(client, payload.w).catch(() => undefined);
      return reply.send({ ok: true, repeated: true, earlier: outcome.earlier, state: current?.state });
    }
    return reply.send({ ok: true, repeated: false, result: outcome.result });
  });

  app.get<{ Params: { planId: string } }>('/api/plans/:planId/tasks', { preHandler: requireBoard }, async (req) => {
    const planId = checkPlanId(req.params.planId);
    return {
      ok: true,
      tasks: await listTasks(client, await scopeFilter(req, parseFilter(planId, req.query)), { timeZone: tz }),
    };
  });

  app.get<{ Params: { workflowId: string } }>('/api/tasks/:workflowId', { preHandler: requireBoard }, async (req) => {
    const task = await getTask(client, req.params.workflowId);
    await assertMaySee(req, task);
    return { ok: true, task };
  });

  /** The whole plan's report is for the operator, the monitoring agency and leadership, not for one agency. */
  const assertMayReport = async (req: FastifyRequest, planId: string): Promise<void> => {
    const v = await viewer(req);
    if (v.kind !== 'agency') return;
    const rec = await plans.get(planId);
    if (!(rec && planRole(v.agencyId, rec.plan)))
      throw new WebError(403, 'Báo cáo toàn kế hoạch dành cho cơ quan theo dõi và lãnh đạo.', 'Không có quyền');
  };

  const sendReport = async (
    req: FastifyRequest,
    planId: string,
    kind: 'xlsx' | 'docx',
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    checkPlanId(planId);
    await assertMayReport(req, planId);
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
      await assertMayReport(req, planId);
      if (!(await readPlan(planId))) throw new WebError(404, `Kế hoạch "${planId}" chưa được nhập.`, 'Không tìm thấy');
      const asOf = toLocalDate(new Date(now()).toISOString(), tz);
      const step = await reportStep({
        planId,
        query: req.query ?? {},
        lang: langOf(req),
        sources: await readPlanSources(plans, planId),
        build: (officer) => buildPlanReport(client, plans, planId, asOf, undefined, undefined, officer),
        changes: async () =>
          compilePlanReport({
            ...(await readPlanSources(plans, planId)),
            snapshots: await planSnapshots(client, planId),
            asOf,
          }).report.extensions,
      });
      if (step.kind === 'form') return sendPage(reply, req, step.status, step.title, step.body);
      return sendBuiltReport(step.built, step.format, reply);
    },
  );
  app.get<{ Params: { planId: string } }>(
    '/api/plans/:planId/report.xlsx',
    { preHandler: requireBoard },
    async (req, reply) => sendReport(req, req.params.planId, 'xlsx', reply),
  );
  app.get<{ Params: { planId: string } }>(
    '/api/plans/:planId/report.docx',
    { preHandler: requireBoard },
    async (req, reply) => sendReport(req, req.params.planId, 'docx', reply),
  );

  return app;
}

export { escapeHtml };
