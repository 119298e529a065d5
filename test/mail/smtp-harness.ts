/**
 * A real SMTP server on loopback for mail tests (smtp-server), recording what arrived, parsed with
 * mailparser. Not a test file itself.
 */
import type { AddressInfo } from 'net';

import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import type { SMTPServerAddress } from 'smtp-server';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface HarnessOptions {
  /** Listen on this port (0 = any free port). */
  port?: number;
  /** Reply to RCPT TO: undefined accepts. */
  onRcpt?: (address: string) => SmtpReply | undefined;
  /** Reply at the end of DATA: undefined accepts. */
  onData?: () => SmtpReply | undefined;
}

export const SMTP_USER = 'dondoc';
export const SMTP_PASS = 'Sup3r-s3cret-pa55';

export interface SmtpHarness {
  port: number;
  /** `smtp://user:pass@127.0.0.1:port`. */
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

function smtpError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export async function startSmtpServer(options: HarnessOptions = {}): Promise<SmtpHarness> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) return callback(null, { user: auth.username });
      return callback(smtpError({ code: 535, message: 'Authentication failed' }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const reply = options.onRcpt?.(address.address);
      if (reply) return callback(smtpError(reply));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const reply = options.onData?.();
        if (reply) return callback(smtpError(reply));
        const raw = Buffer.concat(chunks);
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        simpleParser(raw)
          .then((parsed) => {
            received.push({ envelopeTo, raw, parsed });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function freePort(): Promise<number> {
  const h = await startSmtpServer();
  await h.close();
  return h.port;
}
