/**
 * CSRF tokens, session cookies and agency sign-in tokens: HMACs under the link secret, compared in constant time.
 * A session names its subject (the operator or one agency), the revocation epochs it was issued under and its
 * expiry; the epochs themselves live in the session store (web/session-store.ts), so a session can be ended.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

function mac(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token of a form bound to `binding` (a link token or a session value): HMAC(secret, 'csrf:' + binding). */
export function createCsrfToken(secret: string, binding: string): string {
  return mac(secret, `csrf:${binding}`);
}

/** True when `given` is the CSRF token of `binding`. Never throws. */
export function checkCsrfToken(secret: string, binding: string, given: unknown): boolean {
  return typeof given === 'string' && given.length > 0 && sameText(given, createCsrfToken(secret, binding));
}

/** Constant-time comparison of a typed board token with the configured one (hashed first: equal lengths). */
export function checkBoardToken(configured: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const h = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(configured), h(given));
}

/** Who a session is for: the operator (administration) or one agency. */
export type SessionSubject = { kind: 'operator' } | { kind: 'agency'; agencyId: string };

/** What a session cookie carries: its subject, the epochs it was issued under, its expiry (epoch seconds). */
export interface SessionClaims {
  subject: SessionSubject;
  /** The subject's revocation epoch and the global one ({@link ALL_SESSIONS}) when it was issued. */
  epoch: number;
  allEpoch: number;
  exp: number;
}

/** The key of a subject in the session store. */
export function subjectKey(s: SessionSubject): string {
  return s.kind === 'operator' ? 'operator' : `agency:${s.agencyId}`;
}

const hashText = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

// An operator session also covers a hash of the board token, so changing DONDOC_BOARD_TOKEN ends every one.
function sessionMessage(body: string, operatorToken: string | undefined): string {
  return `session:v2:${body}:${operatorToken === undefined ? '' : hashText(operatorToken)}`;
}

/** A session cookie value: `<base64url JSON claims>.<mac>`. */
export function createSessionValue(secret: string, claims: SessionClaims, boardToken?: string): string {
  const body = Buffer.from(
    JSON.stringify({
      s: subjectKey(claims.subject),
      e: claims.epoch,
      g: claims.allEpoch,
      x: claims.exp,
    }),
    'utf8',
  ).toString('base64url');
  return `${body}.${mac(secret, sessionMessage(body, claims.subject.kind === 'operator' ? boardToken : undefined))}`;
}

/**
 * The claims of a session value made under the same secret (and, for the operator, the same board token) and not
 * expired at `nowMs`; undefined otherwise. Whether its epochs are still current is the caller's question (the
 * store). Never throws.
 */
export function readSessionValue(
  secret: string,
  value: unknown,
  nowMs: number,
  boardToken: string | undefined,
): SessionClaims | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(value);
  if (!m) return undefined;
  const body = m[1] ?? '';
  let c: { s?: unknown; e?: unknown; g?: unknown; x?: unknown };
  try {
    c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof c;
  } catch {
    return undefined;
  }
  if (typeof c.s !== 'string' || typeof c.e !== 'number' || typeof c.g !== 'number' || typeof c.x !== 'number')
    return undefined;
  const subject: SessionSubject | undefined =
    c.s === 'operator'
      ? { kind: 'operator' }
      : c.s.startsWith('agency:') && c.s.length > 7
        ? { kind: 'agency', agencyId: c.s.slice(7) }
        : undefined;
  if (!subject) return undefined;
  if (subject.kind === 'operator' && boardToken === undefined) return undefined;
  if (c.x * 1000 <= nowMs) return undefined;
  const expected = mac(secret, sessionMessage(body, subject.kind === 'operator' ? boardToken : undefined));
  if (!sameText(m[2] ?? '', expected)) return undefined;
  return { subject, epoch: c.e, allEpoch: c.g, exp: c.x };
}

/** What a sign-in link emailed to an agency carries. */
export interface SignInClaims {
  agencyId: string;
  /** Random, single use: the store records it when the link is used. */
  nonce: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

/** A sign-in token: `<base64url JSON>.<mac>`, under its own MAC domain (it cannot pass for a session or a link). */
export function createSignInToken(secret: string, claims: SignInClaims): string {
  const body = Buffer.from(JSON.stringify({ g: claims.agencyId, n: claims.nonce, x: claims.exp }), 'utf8').toString(
    'base64url',
  );
  return `${body}.${mac(secret, `signin:${body}`)}`;
}

/**
 * The claims of a sign-in token, or why it is refused. Only the canonical spelling passes: the MAC is compared as
 * the exact text this server would write, so a string that decodes to the same bytes is refused.
 */
export function readSignInToken(
  secret: string,
  token: unknown,
  nowMs: number,
): { ok: true; claims: SignInClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' } {
  if (typeof token !== 'string' || token.length > 1000) return { ok: false, reason: 'malformed' };
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const body = m[1] ?? '';
  if (!sameText(m[2] ?? '', mac(secret, `signin:${body}`))) return { ok: false, reason: 'bad_signature' };
  const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { g?: unknown; n?: unknown; x?: unknown };
  if (typeof c.g !== 'string' || typeof c.n !== 'string' || typeof c.x !== 'number')
    return { ok: false, reason: 'malformed' };
  if (c.x * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { agencyId: c.g, nonce: c.n, exp: c.x } };
}

/**
 * Cookies of the request (`Cookie` header), decoded. Written here rather than with @fastify/cookie, whose
 * dynamic `import('cookie')` does not run under jest's CommonJS runtime.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      if (!(name in out)) out[name] = decodeURIComponent(value);
    } catch {
      // A cookie that is not valid percent-encoding is ignored.
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax';
  secure?: boolean;
}

/** A `Set-Cookie` header value for `name=value` on path `/`. */
export function serializeCookie(name: string, value: string, o: CookieOptions = {}): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/'];
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.floor(o.maxAgeSeconds)}`);
  if (o.httpOnly) parts.push('HttpOnly');
  if (o.sameSite) parts.push(`SameSite=${o.sameSite}`);
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}
