import { createHmac } from 'crypto';

import fc from 'fast-check';

import { LINK_ACTION_KINDS, createLinkSigner, linkActionId } from '../../security/links';
import type { LinkSignInput } from '../../security/links';

const SECRET = 'a-long-enough-test-secret-0123456789';
const NOW = Date.UTC(2026, 10, 22, 8, 0, 0);

function input(overrides: Partial<LinkSignInput> = {}): LinkSignInput {
  return {
    p: 'vu-ninh-110-2026',
    w: 'dondoc:vu-ninh-110-2026:1.1:so-tu-phap',
    c: 1,
    a: 'so-tu-phap',
    k: 'submit',
    exp: NOW / 1000 + 3600,
    ...overrides,
  };
}

function flipChar(s: string, at: number): string {
  const c = s[at] === 'A' ? 'B' : 'A';
  return s.slice(0, at) + c + s.slice(at + 1);
}

describe('createLinkSigner', () => {
  const signer = createLinkSigner(SECRET);

  it('round-trips: a signed token verifies to the same payload with v=1', () => {
    const token = signer.sign(input({ n: 'nonce-1' }));
    const result = signer.verify(token, NOW);
    expect(result).toEqual({ ok: true, payload: { v: 1, ...input({ n: 'nonce-1' }) } });
  });

  it('is deterministic when a nonce is given, and random otherwise', () => {
    expect(signer.sign(input({ n: 'x' }))).toBe(signer.sign(input({ n: 'x' })));
    expect(signer.sign(input())).not.toBe(signer.sign(input()));
  });

  it('round-trips any payload (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          p: fc.string(),
          w: fc.string(),
          c: fc.integer({ min: 0, max: 1000 }),
          a: fc.string(),
          k: fc.constantFrom(...LINK_ACTION_KINDS),
          exp: fc.integer({ min: NOW / 1000 + 1, max: NOW / 1000 + 1e8 }),
          n: fc.string(),
        }),
        (p) => {
          const r = signer.verify(signer.sign(p), NOW);
          expect(r).toEqual({ ok: true, payload: { v: 1, ...p } });
        },
      ),
    );
  });

  it('rejects a forged token (payload signed with another secret)', () => {
    const forger = createLinkSigner('another-secret-of-enough-length');
    expect(signer.verify(forger.sign(input()), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a token whose payload was altered (other agency) and keeps the old signature', () => {
    const token = signer.sign(input());
    const [, sig] = token.split('.') as [string, string];
    const altered = Buffer.from(JSON.stringify({ v: 1, ...input({ a: 'ubnd-tinh', n: 'x' }) })).toString('base64url');
    expect(signer.verify(`${altered}.${sig}`, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a token whose signature was altered in any position', () => {
    const token = signer.sign(input());
    const dot = token.indexOf('.');
    for (const at of [dot + 1, dot + 10, token.length - 2]) {
      expect(signer.verify(flipChar(token, at), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    }
    expect(signer.verify(token.slice(0, -4), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an expired token at and after exp, accepts just before', () => {
    const exp = NOW / 1000 + 60;
    const token = signer.sign(input({ exp }));
    expect(signer.verify(token, exp * 1000 - 1).ok).toBe(true);
    expect(signer.verify(token, exp * 1000)).toEqual({ ok: false, reason: 'expired' });
    expect(signer.verify(token, exp * 1000 + 86_400_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a valid token under the wrong secret', () => {
    const other = createLinkSigner('wrong-secret-but-long-enough!!');
    expect(other.verify(signer.sign(input()), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each(['', 'abc', 'a.b.c', 'a b.c', '.sig', 'body.', 'Zm9v.!!!'])('calls %p malformed', (token) => {
    expect(signer.verify(token, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a correctly signed but ill-shaped payload malformed', () => {
    // The public API cannot sign an unknown action; build the token by hand.
    const body = Buffer.from(
      JSON.stringify({ v: 1, p: 'x', w: 'y', c: 1, a: 'z', k: 'delete_everything', exp: 9e9, n: '' }),
    ).toString('base64url');
    const sig = createHmac('sha256', SECRET).update(body).digest('base64url');
    expect(signer.verify(`${body}.${sig}`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a short secret with a message that says what to do', () => {
    expect(() => createLinkSigner('short')).toThrow(/ít nhất 16 ký tự/);
  });

  it('builds the public URL without a double slash', () => {
    expect(signer.url('https://dondoc.example.gov.vn/', 'abc.def')).toBe('https://dondoc.example.gov.vn/a/abc.def');
    expect(signer.url('http://localhost:3000', 'abc.def')).toBe('http://localhost:3000/a/abc.def');
  });
});

describe('linkActionId and canonical tokens', () => {
  it('keys an action on (task, cycle, action, nonce): the same link in any spelling is one action', () => {
    const signer = createLinkSigner(SECRET);
    const payload = (n: string) => ({ ...input({ n }), v: 1 as const, n });
    const a = linkActionId(payload('1'));
    expect(a).toMatch(/^link:[0-9a-f]{64}$/);
    expect(linkActionId(payload('1'))).toBe(a);
    expect(linkActionId(payload('2'))).not.toBe(a);
    expect(linkActionId({ ...payload('1'), c: payload('1').c + 1 })).not.toBe(a);
    expect(linkActionId({ ...payload('1'), k: 'dispute' })).not.toBe(a);
    const token = signer.sign(input({ n: '1' }));
    const verified = signer.verify(token, NOW);
    expect(verified.ok && linkActionId(verified.payload)).toBe(a);
  });

  it('accepts only the canonical spelling of a signature: the other spellings of its last character are refused', () => {
    const signer = createLinkSigner(SECRET);
    const token = signer.sign(input({ n: 'canon' }));
    const [body, sig] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // Every spelling whose bytes equal the signature's: the canonical one and those differing in the unused bits.
    const same = [...alphabet]
      .map((c) => `${sig.slice(0, -1)}${c}`)
      .filter((s) => Buffer.from(s, 'base64url').equals(Buffer.from(sig, 'base64url')));
    expect(same.length).toBeGreaterThan(1);
    for (const s of same) {
      const result = signer.verify(`${body}.${s}`, NOW);
      if (s === sig) expect(result.ok).toBe(true);
      else expect(result).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
