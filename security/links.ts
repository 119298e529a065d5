/**
 * Signed action links: the door from an email to the web sign-off page.
 *
 * Token = base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, base64url(JSON payload))).
 * The MAC covers the encoded payload segment exactly as it travels, so re-encoding cannot change
 * what was signed. Nothing in the token is secret; the MAC makes it unforgeable without the secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

import { ACTION_NAMES } from '../domain/lifecycle/actions';
import type { ActionKind } from '../domain/types';

/** Every action a link may carry: the registry's actions, and the plan's own (amend, cancel) of `ActionKind`. */
export const LINK_ACTION_KINDS: readonly ActionKind[] = [...ACTION_NAMES, 'amend', 'cancel'];

/** What a signed link says: who may do what on which task instance, until when. */
export interface LinkPayload {
  v: 1;
  /** Plan id. */
  p: string;
  /** Task workflow id. */
  w: string;
  /** Cycle of the task instance. */
  c: number;
  /** Agency id allowed to act with this link. */
  a: string;
  /** The action. */
  k: ActionKind;
  /** Expiry, epoch seconds. */
  exp: number;
  /** Nonce: deterministic when the caller gives one, random otherwise. */
  n: string;
}

export type LinkSignInput = Omit<LinkPayload, 'v' | 'n'> & { n?: string };

export type LinkVerifyResult =
  { ok: true; payload: LinkPayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export interface LinkSigner {
  /** Signs a payload. Same input (including `n`) → same token, so a retried email carries the same links. */
  sign(payload: LinkSignInput): string;
  /** Checks form, signature (constant time) and expiry at `nowMs`. Never throws. */
  verify(token: string, nowMs: number): LinkVerifyResult;
  /** The public URL of a token: `${publicUrl}/a/${token}` (a trailing slash on `publicUrl` is dropped). */
  url(publicUrl: string, token: string): string;
}

/** Minimum secret length, in characters. */
export const MIN_LINK_SECRET_LENGTH = 16;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function encodeBase64Url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function isLinkPayload(value: unknown): value is LinkPayload {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return (
    o['v'] === 1 &&
    typeof o['p'] === 'string' &&
    typeof o['w'] === 'string' &&
    typeof o['c'] === 'number' &&
    Number.isInteger(o['c']) &&
    typeof o['a'] === 'string' &&
    typeof o['k'] === 'string' &&
    (LINK_ACTION_KINDS as readonly string[]).includes(o['k']) &&
    typeof o['exp'] === 'number' &&
    Number.isFinite(o['exp']) &&
    typeof o['n'] === 'string'
  );
}

/**
 * Creates a signer over an HMAC-SHA256 secret shared by the worker (which writes emails) and the web
 * (which verifies clicks). Throws when the secret is shorter than {@link MIN_LINK_SECRET_LENGTH}.
 */
export function createLinkSigner(secret: string): LinkSigner {
  if (typeof secret !== 'string' || secret.length < MIN_LINK_SECRET_LENGTH) {
    throw new Error(
      `Khóa ký liên kết quá ngắn (cần ít nhất ${MIN_LINK_SECRET_LENGTH} ký tự). ` +
        'Hãy đặt một chuỗi ngẫu nhiên dài (ví dụ: `openssl rand -hex 32`) vào cấu hình khóa ký liên kết.',
    );
  }
  const mac = (segment: string): Buffer => createHmac('sha256', secret).update(segment, 'utf8').digest();

  return {
    sign(input) {
      const payload: LinkPayload = {
        v: 1,
        p: input.p,
        w: input.w,
        c: input.c,
        a: input.a,
        k: input.k,
        exp: Math.floor(input.exp),
        n: input.n ?? randomBytes(12).toString('base64url'),
      };
      const body = encodeBase64Url(JSON.stringify(payload));
      return `${body}.${encodeBase64Url(mac(body))}`;
    },

    verify(token, nowMs) {
      if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
      const parts = token.split('.');
      if (parts.length !== 2) return { ok: false, reason: 'malformed' };
      const [body, sig] = parts as [string, string];
      if (!BASE64URL.test(body) || !BASE64URL.test(sig)) return { ok: false, reason: 'malformed' };
      const expected = mac(body);
      const given = Buffer.from(sig, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'bad_signature' };
      }
      // Only the canonical encoding: the last base64url character carries unused bits, so several spellings
      // decode to the same bytes. One token has one spelling.
      if (!isCanonical(body) || !isCanonical(sig)) return { ok: false, reason: 'malformed' };
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (!isLinkPayload(parsed)) return { ok: false, reason: 'malformed' };
      if (parsed.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
      return { ok: true, payload: parsed };
    },

    url(publicUrl, token) {
      return `${publicUrl.replace(/\/+$/, '')}/a/${token}`;
    },
  };
}

function isCanonical(segment: string): boolean {
  return Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/**
 * The identity of the action a link carries: (task, cycle, action, nonce), hashed. The task workflow applies an
 * action id once and refuses it again as `already_done`, so a link acts once on any host, through any door, in
 * any spelling of its token.
 */
export function linkActionId(payload: Pick<LinkPayload, 'w' | 'c' | 'k' | 'n'>): string {
  return `link:${createHash('sha256').update(`${payload.w}\n${payload.c}\n${payload.k}\n${payload.n}`, 'utf8').digest('hex')}`;
}
