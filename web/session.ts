/**
 * CSRF tokens and the board's session cookie: HMACs under the link secret, compared in constant time.
 * No user data is kept: a session is an expiry and a MAC that also covers a hash of the board token,
 * so changing DONDOC_BOARD_TOKEN ends every session.
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

function sessionMessage(expSeconds: number, boardToken: string): string {
  return `session:${expSeconds}:${createHash('sha256').update(boardToken, 'utf8').digest('hex')}`;
}

/** A session cookie value valid until `expSeconds` (epoch seconds): `<exp>.<mac>`. */
export function createSessionValue(secret: string, boardToken: string, expSeconds: number): string {
  return `${expSeconds}.${mac(secret, sessionMessage(expSeconds, boardToken))}`;
}

/** True when `value` is a session made under the same secret and board token and not expired at `nowMs`. */
export function checkSessionValue(secret: string, boardToken: string, value: unknown, nowMs: number): boolean {
  if (typeof value !== 'string') return false;
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]+)$/.exec(value);
  if (!m) return false;
  const exp = Number(m[1]);
  if (exp * 1000 <= nowMs) return false;
  return sameText(m[2] ?? '', mac(secret, sessionMessage(exp, boardToken)));
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
