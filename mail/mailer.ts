/**
 * Mail transports: SMTP (nodemailer) for real delivery, and a file outbox for local runs that the
 * web and CLI can list. Both speak the {@link Mailer} contract; errors are classified (permanent or
 * temporary) and never carry secrets.
 */
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';

import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type { SendMailOptions, TransportOptions } from 'nodemailer';

import type { Mailer, MailSendInfo, OutgoingMail } from './types';

/**
 * A failed send. `permanent` is true only for a 5xx reply to MAIL FROM, RCPT TO or DATA: the server
 * refused this message for good and retrying cannot help. Everything else (4xx, refused connection,
 * timeouts, TLS or auth trouble) is temporary.
 */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode?: number,
    readonly command?: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/**
 * Removes credentials from a message: `scheme://user:pass@host` → `scheme://***@host`, and any
 * literal secret given in `secrets`.
 */
export function sanitizeErrorMessage(message: string, secrets: readonly string[] = []): string {
  let out = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
  for (const secret of secrets) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

interface NodemailerLikeError {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/** Turns a nodemailer error into a {@link MailSendError} with the secrets stripped. */
export function classifySendError(err: unknown, secrets: readonly string[] = []): MailSendError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerLikeError;
  const raw = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command : undefined;
  const errorCode = typeof e.code === 'string' ? e.code : undefined;
  const permanentCommand = command !== undefined && /^(RCPT TO|DATA|MAIL FROM)/i.test(command);
  const permanent = code !== undefined && code >= 500 && code < 600 && (permanentCommand || errorCode === 'EENVELOPE' || errorCode === 'EMESSAGE');
  return new MailSendError(sanitizeErrorMessage(raw, secrets), permanent, code, command, errorCode);
}

function toSendOptions(mail: OutgoingMail): SendMailOptions {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: mail.date,
    // Automatic mail (RFC 3834): out-of-office replies must not answer it.
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}

function addressList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).map((v) => {
    if (typeof v === 'string') return v;
    const address = typeof v === 'object' && v !== null ? (v as { address?: unknown }).address : undefined;
    return typeof address === 'string' ? address : '';
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** Timeouts kept short: an activity attempt should fail fast and let Temporal retry with backoff. */
export interface SmtpMailerOptions {
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * SMTP transport over nodemailer. `smtpUrl` is `smtp://user:pass@host:587` (STARTTLS) or
 * `smtps://user:pass@host:465` (implicit TLS); query parameters are passed to nodemailer
 * (`?requireTLS=false`). A plain `smtp://` URL to a host other than loopback requires STARTTLS, so
 * passwords never cross the network in clear. Throws {@link MailSendError}s with the URL and password
 * removed from the message.
 */
export function createSmtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): Mailer {
  let parsed: URL;
  try {
    parsed = new URL(smtpUrl);
  } catch {
    throw new Error('Địa chỉ máy chủ thư (SMTP URL) không hợp lệ. Dạng đúng: smtp://tên:mật-khẩu@máy-chủ:587 hoặc smtps://…:465.');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`Địa chỉ máy chủ thư phải bắt đầu bằng smtp:// hoặc smtps:// (đang là ${parsed.protocol}//).`);
  }
  const secrets = [parsed.password, decodeURIComponent(parsed.password)].filter((s) => s.length > 0);
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    requireTLS: parsed.protocol === 'smtp:' && !isLoopback(parsed.hostname),
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    logger: false,
    debug: false,
  } as TransportOptions);

  return {
    async send(mail) {
      try {
        const info = (await transport.sendMail(toSendOptions(mail))) as {
          messageId?: string;
          accepted?: unknown;
          rejected?: unknown;
          response?: unknown;
        };
        return {
          messageId: info.messageId ?? mail.messageId,
          accepted: addressList(info.accepted),
          rejected: addressList(info.rejected),
          response: sanitizeErrorMessage(typeof info.response === 'string' ? info.response : '', secrets),
        };
      } catch (err) {
        throw classifySendError(err, secrets);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** File name of a message in the outbox: the Message-ID without brackets, unsafe characters replaced. */
export function outboxFileName(messageId: string): string {
  const bare = messageId.replace(/^<|>$/g, '');
  const safe = bare.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 200);
  return `${safe || 'message'}.eml`;
}

/**
 * Outbox transport: writes each message as `<dir>/<safe-message-id>.eml`. The file appears
 * atomically (written to a temporary name, then hard-linked into place, which fails rather than
 * overwrites), so a reader never sees half a message and writing the same Message-ID twice leaves
 * the first file untouched. Every recipient counts as accepted.
 */
export function createOutboxMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const target = path.join(dir, outboxFileName(mail.messageId));
      const result: MailSendInfo = { messageId: mail.messageId, accepted: [...mail.to], rejected: [], response: `250 outbox ${path.basename(target)}` };
      await fs.mkdir(dir, { recursive: true });
      try {
        await fs.access(target);
        return result;
      } catch {
        // not there yet: write it
      }
      const info = (await transport.sendMail(toSendOptions(mail))) as { message: Buffer };
      const temp = path.join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
      await fs.writeFile(temp, info.message);
      try {
        await fs.link(temp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          await fs.rm(temp, { force: true });
          throw new MailSendError(`Không ghi được thư vào hộp thư đi ${dir}: ${(err as Error).message}`, false);
        }
      } finally {
        await fs.rm(temp, { force: true });
      }
      return result;
    },
    close() {
      transport.close();
    },
  };
}

/** One message in the outbox, as the web and CLI list it. */
export interface OutboxEntry {
  /** File name inside the outbox folder. */
  file: string;
  messageId: string;
  to: string[];
  /** Decoded subject (Vietnamese with diacritics). */
  subject: string;
  /** Date header as an ISO instant ('' when missing). */
  date: string;
}

/**
 * Lists the outbox newest first (by Date header, then file name). Only headers are parsed, so a large
 * outbox lists quickly. A missing folder is an empty outbox.
 */
export async function listOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: OutboxEntry[] = [];
  for (const file of names.filter((n) => n.endsWith('.eml') && !n.startsWith('.'))) {
    const raw = await fs.readFile(path.join(dir, file));
    const headerEnd = findHeaderEnd(raw);
    const parsed = await simpleParser(raw.subarray(0, headerEnd));
    const to = parsed.to === undefined ? [] : (Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((a) => a.value.map((v) => v.address ?? ''));
    entries.push({
      file,
      messageId: parsed.messageId ?? '',
      to: to.filter((a) => a.length > 0),
      subject: parsed.subject ?? '',
      date: parsed.date ? parsed.date.toISOString() : '',
    });
  }
  entries.sort((a, b) => (a.date === b.date ? b.file.localeCompare(a.file) : b.date.localeCompare(a.date)));
  return entries;
}

function findHeaderEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const candidates = [crlf >= 0 ? crlf + 4 : -1, lf >= 0 ? lf + 2 : -1].filter((i) => i >= 0);
  return candidates.length > 0 ? Math.min(...candidates) : raw.length;
}
