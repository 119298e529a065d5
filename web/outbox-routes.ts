/**
 * The outbox on the web (mail written to the data folder instead of SMTP): the list, and each message shown as a
 * mail client shows it (headers, decoded text, attachments). Action and sign-in links act for whoever holds them,
 * so they are shown only to the signed-in operator; on an open board (no sign-in configured) they are hidden, and
 * with sign-in configured only the operator may open the outbox at all. Only regular files directly inside the
 * folder are read: no symbolic link, no other folder.
 */
import { constants, promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Viewer, WebContext } from './context';
import { WebError } from './errors';
import { formatInstantLocal, html, WORDS, type SafeHtml } from './html';

const OUTBOX_FILE = /^[A-Za-z0-9@_-][A-Za-z0-9._@-]{0,250}\.eml$/;
const MAX_MAIL_BYTES = 10 * 1024 * 1024;

/** Any URL whose path carries a signed token (action link, sign-in link). */
const TOKEN_URL = /https?:\/\/[^\s<>"']*\/(?:a|signin)\/[A-Za-z0-9._~%-]+/g;

const W = {
  vi: {
    hidden: '[liên kết đã ẩn]',
    hiddenNote:
      'Các liên kết thao tác trong thư đã được ẩn vì bảng theo dõi đang mở không cần đăng nhập. Người nhận dùng liên kết trong hộp thư của mình.',
    from: 'Người gửi',
    attachments: 'Tệp đính kèm',
    back: '← Hộp thư đi',
    operatorOnly: 'Chỉ quản trị viên xem được hộp thư đi (thư chứa liên kết thao tác của mọi cơ quan).',
  },
  en: {
    hidden: '[link hidden]',
    hiddenNote:
      'Action links in this message are hidden because the board is open without sign-in. Recipients use the links in their own mailbox.',
    from: 'From',
    attachments: 'Attachments',
    back: '← Outbox',
    operatorOnly: 'Only the administrator may read the outbox (its messages carry every agency’s action links).',
  },
} as const;

const notFound = (): WebError => new WebError(404, 'Không có thư này trong hộp thư đi.', 'Không tìm thấy');

/**
 * The bytes of `file` if it is a regular file directly inside `dir` (opened without following a symbolic link,
 * checked on the opened descriptor, so it cannot be swapped in between); undefined otherwise.
 */
export async function readOutboxFile(dir: string, file: string): Promise<Buffer | undefined> {
  if (!OUTBOX_FILE.test(file) || file.includes('..') || path.basename(file) !== file) return undefined;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path.join(dir, file), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_MAIL_BYTES) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

interface Entry {
  file: string;
  to: string[];
  subject: string;
  date: string;
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  a === undefined
    ? []
    : (Array.isArray(a) ? a : [a]).flatMap((x) => x.value.map((v) => v.address ?? '')).filter((s) => s.length > 0);

async function listSafe(dir: string): Promise<Entry[]> {
  let names: Dirent[];
  try {
    names = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: Entry[] = [];
  for (const d of names) {
    if (!d.isFile() || d.name.startsWith('.')) continue;
    const raw = await readOutboxFile(dir, d.name);
    if (!raw) continue;
    const end = raw.indexOf('\r\n\r\n');
    const parsed = await simpleParser(raw.subarray(0, end >= 0 ? end + 4 : raw.length));
    out.push({
      file: d.name,
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      date: parsed.date ? parsed.date.toISOString() : '',
    });
  }
  out.sort((a, b) => (a.date === b.date ? b.file.localeCompare(a.file) : b.date.localeCompare(a.date)));
  return out;
}

export function registerOutboxRoutes(app: FastifyInstance, ctx: WebContext): void {
  // With sign-in configured: the operator only. Without: anyone on this machine, links hidden.
  const access = async (req: FastifyRequest, reply: FastifyReply): Promise<Viewer | undefined> => {
    const v = await ctx.viewer(req);
    if (ctx.boardToken === undefined || v.kind === 'operator') return v;
    if (v.kind === 'anonymous') {
      await reply.redirect('/login', 303);
      return undefined;
    }
    throw new WebError(403, W[ctx.langOf(req)].operatorOnly, 'Không có quyền');
  };

  app.get('/outbox', async (req, reply) => {
    if (!(await access(req, reply))) return reply;
    const lang = ctx.langOf(req);
    const t = WORDS[lang];
    if (ctx.outboxDir === undefined)
      return ctx.sendPage(reply, req, 200, t.outbox, html`<h1>${t.outbox}</h1><p>${t.outboxSmtp}</p>`);
    const entries = await listSafe(ctx.outboxDir);
    const body = html`<h1>${t.outbox} (${entries.length})</h1>${
      entries.length === 0
        ? html`<p>${t.outboxEmpty}</p>`
        : html`<div class="scroll"><table><thead><tr><th>${t.date}</th><th>${t.to}</th><th>${t.subject}</th><th></th></tr></thead><tbody>${entries.map(
            (e) =>
              html`<tr><td>${e.date ? formatInstantLocal(e.date, ctx.tz) : ''}</td><td>${e.to.join(', ')}</td><td>${e.subject}</td><td><a href="/outbox/${encodeURIComponent(e.file)}">${t.view}</a></td></tr>`,
          )}</tbody></table></div>`
    }`;
    return ctx.sendPage(reply, req, 200, t.outbox, body);
  });

  app.get<{ Params: { file: string } }>('/outbox/:file', async (req, reply) => {
    const v = await access(req, reply);
    if (!v) return reply;
    if (ctx.outboxDir === undefined) throw notFound();
    const raw = await readOutboxFile(ctx.outboxDir, req.params.file);
    if (!raw) throw notFound();
    const lang = ctx.langOf(req);
    const t = WORDS[lang];
    const w = W[lang];
    const mail = await simpleParser(raw);
    const showLinks = v.kind === 'operator';
    const text = mail.text ?? '';
    // Text split around URLs: the operator gets them as links, an anonymous visitor never sees a token.
    const parts: SafeHtml[] = [];
    let last = 0;
    for (const m of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
      parts.push(html`${text.slice(last, m.index)}`);
      const url = m[0];
      const isToken = new RegExp(TOKEN_URL.source).test(url);
      parts.push(
        isToken && !showLinks
          ? html`<span class="muted" data-hidden-link>${w.hidden}</span>`
          : html`<a href="${url}" rel="noopener noreferrer">${url}</a>`,
      );
      last = m.index + url.length;
    }
    parts.push(html`${text.slice(last)}`);
    const hiddenAny =
      !showLinks && new RegExp(TOKEN_URL.source).test(text + (typeof mail.html === 'string' ? mail.html : ''));
    const body = html`<p><a href="/outbox">${w.back}</a></p><h1>${mail.subject ?? ''}</h1>
<div class="card"><dl><dt>${w.from}</dt><dd>${mail.from?.text ?? ''}</dd><dt>${t.to}</dt><dd>${addresses(mail.to).join(', ')}</dd>
<dt>${t.date}</dt><dd>${mail.date ? formatInstantLocal(mail.date.toISOString(), ctx.tz) : ''}</dd></dl></div>
${hiddenAny ? html`<div class="banner" role="status">${w.hiddenNote}</div>` : ''}
<div class="card"><pre class="mail" style="white-space:pre-wrap;font:inherit;margin:0">${parts}</pre></div>${
      mail.attachments.length > 0
        ? html`<h2>${w.attachments}</h2><ul>${mail.attachments.map(
            (a) => html`<li>${a.filename ?? '(không tên)'} · ${a.contentType} · ${Math.ceil(a.size / 1024)} KB</li>`,
          )}</ul>`
        : ''
    }`;
    return ctx.sendPage(reply, req, 200, mail.subject ?? t.outbox, body);
  });
}
