/**
 * Sign-in and sign-out. Two doors: the operator's token (DONDOC_BOARD_TOKEN, administration only) and, for agencies,
 * a one-time link mailed to the agency's registered address (no password): short-lived, used once, and the session
 * it opens is scoped to that agency. Every POST here must come from this site (Origin check); wrong tokens and
 * refused links count against the visitor's address (429 with backoff) and are logged without the secret.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderSignInEmail } from '../mail/templates/signin';
import type { LabelLanguage } from '../reports/labels';
import type { Viewer, WebContext } from './context';
import { WebError } from './errors';
import { html, WORDS, type SafeHtml } from './html';
import { agencyNameIn, readPlanRecords } from './plan-records';
import {
  checkBoardToken,
  checkCsrfToken,
  createCsrfToken,
  createSessionValue,
  createSignInToken,
  readSignInToken,
  serializeCookie,
  subjectKey,
  type SessionSubject,
} from './session';
import { ALL_SESSIONS } from './session-store';

export const SESSION_COOKIE = 'dondoc_session';
const SESSION_HOURS = 12;
/** How long an emailed sign-in link works. */
export const SIGNIN_LINK_MINUTES = 15;
/** Sign-in emails one address may be sent per window (the window of the failure limits). */
const SIGNIN_MAILS_PER_ADDRESS = 3;
/** Sign-in link requests one network address may make per quarter hour, whatever the email. */
const SIGNIN_REQUESTS_PER_ADDRESS = 20;

const W = {
  vi: {
    agencyTitle: 'Đăng nhập cho cơ quan, đơn vị',
    agencyHelp:
      'Nhập địa chỉ thư điện tử đã đăng ký của cơ quan. Hệ thống gửi một liên kết đăng nhập dùng một lần, có hiệu lực 15 phút.',
    email: 'Thư điện tử của cơ quan',
    send: 'Gửi liên kết đăng nhập',
    sent: 'Nếu địa chỉ này đã được đăng ký cho một cơ quan, liên kết đăng nhập vừa được gửi tới đó. Mở thư và bấm liên kết trong 15 phút.',
    sentTitle: 'Đã gửi liên kết',
    operator: 'Quản trị viên',
    confirmTitle: 'Đăng nhập',
    confirmAs: 'Đăng nhập với tư cách',
    confirmButton: 'Đăng nhập',
    logout: 'Đăng xuất',
    badEmail: 'Địa chỉ thư điện tử không hợp lệ. Kiểm tra lại rồi gửi lại.',
  },
  en: {
    agencyTitle: 'Sign in for an agency',
    agencyHelp:
      "Enter the agency's registered email address. dondoc sends a single-use sign-in link, valid for 15 minutes.",
    email: "Agency's email",
    send: 'Send sign-in link',
    sent: 'If this address is registered for an agency, a sign-in link has just been sent to it. Open the email and use the link within 15 minutes.',
    sentTitle: 'Link sent',
    operator: 'Administrator',
    confirmTitle: 'Sign in',
    confirmAs: 'Sign in as',
    confirmButton: 'Sign in',
    logout: 'Sign out',
    badEmail: 'That email address is not valid. Check it and send again.',
  },
} as const;

const SIGNIN_REFUSALS = {
  malformed: { status: 403, title: 'Liên kết đăng nhập không hợp lệ' },
  bad_signature: { status: 403, title: 'Liên kết đăng nhập không hợp lệ' },
  expired: { status: 410, title: 'Liên kết đăng nhập đã hết hạn' },
  used: { status: 410, title: 'Liên kết đăng nhập đã được dùng' },
} as const;

const emailSchema = z.object({ email: z.email().max(254) });

/** Every agency (id, name) whose registered contacts include `email`, across the imported plans' directories. */
export async function agenciesByEmail(ctx: WebContext, email: string): Promise<{ id: string; name: string }[]> {
  const wanted = email.trim().toLowerCase();
  const found = new Map<string, string>();
  for (const rec of await readPlanRecords(ctx.plans)) {
    for (const a of rec.directory.agencies) {
      const emails = [a.contacts.focal?.email, a.contacts.head?.email, a.contacts.office?.email];
      if (emails.some((e) => e !== undefined && e.trim().toLowerCase() === wanted)) found.set(a.id, a.name);
    }
  }
  return [...found.entries()].map(([id, name]) => ({ id, name }));
}

/** The sign-out form (a POST with the session's CSRF token), for the page header. */
export function logoutForm(ctx: WebContext, v: Viewer, lang: LabelLanguage): SafeHtml {
  if (v.kind === 'anonymous') return html``;
  return html`<form method="post" action="/logout" class="inline" style="display:inline;margin:0"><input type="hidden" name="csrf" value="${createCsrfToken(ctx.linkSecret, v.session)}"><button type="submit" class="link" style="background:none;border:0;padding:0;margin:0;color:inherit;font:inherit;font-weight:600;text-decoration:underline;cursor:pointer">${W[lang].logout}</button></form>`;
}

export function registerSignInRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { linkSecret, boardToken, now } = ctx;
  const perEmail = app.createRateLimit({
    max: SIGNIN_MAILS_PER_ADDRESS,
    timeWindow: 15 * 60_000,
    keyGenerator: (req) => {
      const e = (req.body as Record<string, unknown> | undefined)?.['email'];
      return `signin-mail:${typeof e === 'string' ? e.trim().toLowerCase() : ''}`;
    },
  });

  const startSession = async (reply: FastifyReply, subject: SessionSubject): Promise<void> => {
    const [epoch, allEpoch] = await Promise.all([
      ctx.sessions.epoch(subjectKey(subject)),
      ctx.sessions.epoch(ALL_SESSIONS),
    ]);
    const exp = Math.floor(now() / 1000) + SESSION_HOURS * 3600;
    void reply.header(
      'set-cookie',
      serializeCookie(SESSION_COOKIE, createSessionValue(linkSecret, { subject, epoch, allEpoch, exp }, boardToken), {
        httpOnly: true,
        sameSite: 'Strict',
        secure: ctx.secureCookies,
        maxAgeSeconds: SESSION_HOURS * 3600,
      }),
    );
  };

  const loginPage = (lang: LabelLanguage, error?: string): SafeHtml => {
    const t = WORDS[lang];
    const w = W[lang];
    const operator =
      boardToken === undefined
        ? html``
        : html`<div class="card${error ? ' err' : ''}"><h2>${w.operator}</h2>${error ? html`<p role="alert">${error}</p>` : ''}
<form method="post" action="/login"><label for="token">${t.loginToken}</label><input id="token" name="token" type="password" autocomplete="current-password" required>
<div><button type="submit">${t.loginButton}</button></div></form></div>`;
    return html`<h1>${t.login}</h1><div class="card"><h2>${w.agencyTitle}</h2><p class="muted">${w.agencyHelp}</p>
<form method="post" action="/signin"><label for="email">${w.email}</label><input id="email" name="email" type="email" autocomplete="email" maxlength="254" required>
<div><button type="submit">${w.send}</button></div></form></div>${operator}`;
  };

  app.get('/login', async (req, reply) => {
    const v = await ctx.viewer(req);
    if (v.kind === 'operator') return reply.redirect('/', 303);
    if (v.kind === 'agency') return reply.redirect('/my', 303);
    return ctx.sendPage(reply, req, 200, WORDS[ctx.langOf(req)].login, loginPage(ctx.langOf(req)), false);
  });

  app.post('/login', async (req, reply) => {
    ctx.checkSameOrigin(req);
    if (boardToken === undefined) return reply.redirect('/login', 303);
    await ctx.throttle(req, 'signin');
    const given = (req.body as Record<string, unknown> | undefined)?.['token'];
    if (!checkBoardToken(boardToken, given)) {
      await ctx.recordFailure(req, 'signin', 'mã truy cập quản trị sai');
      const lang = ctx.langOf(req);
      return ctx.sendPage(reply, req, 401, WORDS[lang].login, loginPage(lang, WORDS[lang].loginWrong), false);
    }
    await startSession(reply, { kind: 'operator' });
    return reply.redirect('/', 303);
  });

  // Sign-out ends every session of the same subject (the server-side epoch moves on), not only this browser's.
  app.post('/logout', async (req, reply) => {
    ctx.checkSameOrigin(req);
    const v = await ctx.viewer(req);
    if (v.kind !== 'anonymous') {
      if (!checkCsrfToken(linkSecret, v.session, (req.body as Record<string, unknown> | undefined)?.['csrf']))
        throw new WebError(403, 'Biểu mẫu đăng xuất không hợp lệ. Tải lại trang rồi thử lại.', 'Biểu mẫu không hợp lệ');
      await ctx.sessions.revoke(
        subjectKey(v.kind === 'operator' ? { kind: 'operator' } : { kind: 'agency', agencyId: v.agencyId }),
      );
    }
    void reply.header(
      'set-cookie',
      serializeCookie(SESSION_COOKIE, '', {
        httpOnly: true,
        sameSite: 'Strict',
        maxAgeSeconds: 0,
        secure: ctx.secureCookies,
      }),
    );
    return reply.redirect('/login', 303);
  });

  // The operator ends sessions: one agency's, or everyone's.
  app.post('/admin/sessions/revoke', async (req, reply) => {
    ctx.checkSameOrigin(req);
    const v = await ctx.viewer(req);
    if (v.kind !== 'operator')
      throw new WebError(403, 'Chỉ quản trị viên được thu hồi phiên đăng nhập.', 'Không có quyền');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!checkCsrfToken(linkSecret, v.session, body['csrf']))
      throw new WebError(403, 'Biểu mẫu không hợp lệ. Tải lại trang rồi thử lại.', 'Biểu mẫu không hợp lệ');
    const agency = body['agency'];
    if (agency !== undefined && (typeof agency !== 'string' || !/^[a-z0-9-]{1,100}$/.test(agency)))
      throw new WebError(400, 'Mã cơ quan không hợp lệ.', 'Yêu cầu không hợp lệ');
    const epoch = await ctx.sessions.revoke(agency === undefined ? ALL_SESSIONS : `agency:${agency}`);
    return reply.send({ ok: true, revoked: agency ?? 'all', epoch });
  });

  // An agency asks for a sign-in link. The answer is the same whether the address is registered or not.
  // Every request for a link counts too (registered addresses included): one address cannot mail the province.
  const perAddress = {
    rateLimit: {
      max: SIGNIN_REQUESTS_PER_ADDRESS,
      timeWindow: 15 * 60_000,
      errorResponseBuilder: (_req: FastifyRequest, c: { ttl: number }) =>
        new WebError(
          429,
          `Có quá nhiều yêu cầu gửi liên kết đăng nhập từ địa chỉ này. Hãy đợi ${Math.ceil(c.ttl / 1000)} giây rồi thử lại.`,
          'Tạm dừng gửi liên kết',
          Math.ceil(c.ttl / 1000),
        ),
    },
  };
  app.post('/signin', { config: perAddress }, async (req, reply) => {
    ctx.checkSameOrigin(req);
    await ctx.throttle(req, 'signin');
    const lang = ctx.langOf(req);
    const w = W[lang];
    const parsed = emailSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new WebError(400, w.badEmail, 'Thông tin chưa hợp lệ');
    const limited = await perEmail(req);
    if (!limited.isAllowed && limited.isExceeded)
      throw new WebError(
        429,
        `Đã gửi nhiều liên kết tới địa chỉ này. Hãy dùng liên kết trong thư đã nhận, hoặc đợi ${limited.ttlInSeconds} giây rồi thử lại.`,
        'Tạm dừng gửi liên kết',
        limited.ttlInSeconds,
      );
    const email = parsed.data.email.trim();
    const agencies = await agenciesByEmail(ctx, email);
    if (agencies.length === 0) await ctx.recordFailure(req, 'signin', 'địa chỉ thư chưa đăng ký');
    else if (ctx.mailer) {
      const exp = Math.floor(now() / 1000) + SIGNIN_LINK_MINUTES * 60;
      const links = agencies.map((a) => ({
        name: a.name,
        url: `${ctx.config.web.publicUrl}/signin/${createSignInToken(linkSecret, {
          agencyId: a.id,
          nonce: randomBytes(12).toString('base64url'),
          exp,
        })}`,
      }));
      const mail = renderSignInEmail({
        language: lang,
        email,
        links: links.map((l) => ({ agencyName: l.name, url: l.url })),
        minutes: SIGNIN_LINK_MINUTES,
      });
      await ctx.mailer.send({
        messageId: `<signin-${randomBytes(12).toString('hex')}@dondoc>`,
        from: ctx.config.mail.from,
        to: [email],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        date: new Date(now()),
        attachments: [],
      });
    }
    return ctx.sendPage(
      reply,
      req,
      200,
      w.sentTitle,
      html`<div class="card ok" data-outcome="signin-sent"><h1>${w.sentTitle}</h1><p>${w.sent}</p></div>`,
      false,
    );
  });

  const readLink = async (
    req: FastifyRequest,
    token: string,
  ): Promise<{ agencyId: string; nonce: string; exp: number }> => {
    await ctx.throttle(req, 'token');
    const r = readSignInToken(linkSecret, token, now());
    if (!r.ok) {
      await ctx.recordFailure(req, 'token', `liên kết đăng nhập: ${r.reason}`);
      const o = SIGNIN_REFUSALS[r.reason];
      throw new WebError(
        o.status,
        'Liên kết đăng nhập này không dùng được. Hãy yêu cầu một liên kết mới ở trang đăng nhập.',
        o.title,
      );
    }
    return r.claims;
  };

  // Opening the link only shows a button: mail scanners that fetch links do not use it up.
  app.get<{ Params: { token: string } }>('/signin/:token', async (req, reply) => {
    const claims = await readLink(req, req.params.token);
    const lang = ctx.langOf(req);
    const w = W[lang];
    const name = (await agencyNameIn(ctx.plans, claims.agencyId)) ?? claims.agencyId;
    return ctx.sendPage(
      reply,
      req,
      200,
      w.confirmTitle,
      html`<div class="card"><h1>${w.confirmTitle}</h1><p>${w.confirmAs}: <strong>${name}</strong></p>
<form method="post" action="/signin/${req.params.token}"><input type="hidden" name="csrf" value="${createCsrfToken(linkSecret, req.params.token)}"><button type="submit">${w.confirmButton}</button></form></div>`,
      false,
    );
  });

  app.post<{ Params: { token: string } }>('/signin/:token', async (req, reply) => {
    ctx.checkSameOrigin(req);
    const claims = await readLink(req, req.params.token);
    if (!checkCsrfToken(linkSecret, req.params.token, (req.body as Record<string, unknown> | undefined)?.['csrf']))
      throw new WebError(
        403,
        'Biểu mẫu không hợp lệ. Mở lại liên kết trong thư rồi bấm Đăng nhập.',
        'Biểu mẫu không hợp lệ',
      );
    if (!(await ctx.sessions.useOnce(`signin:${claims.nonce}`, claims.exp * 1000))) {
      await ctx.recordFailure(req, 'token', 'liên kết đăng nhập dùng lại');
      throw new WebError(
        SIGNIN_REFUSALS.used.status,
        'Liên kết đăng nhập này đã được dùng. Hãy yêu cầu một liên kết mới ở trang đăng nhập.',
        SIGNIN_REFUSALS.used.title,
      );
    }
    await startSession(reply, { kind: 'agency', agencyId: claims.agencyId });
    return reply.redirect('/my', 303);
  });
}
