/**
 * A real SMTP server on loopback for the benchmark (smtp-server, as the mail tests use): records when each message
 * arrived, its Message-ID and its envelope recipients, and accepts everything.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  /** Epoch ms at the end of DATA. */
  at: number;
  messageId: string;
  to: string[];
}

export interface SmtpSink {
  url: string;
  received: SinkMessage[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: SinkMessage[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: 50 * 2 ** 20,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 64 * 1024) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const headers = head.split(/\r?\n\r?\n/)[0] ?? '';
        const messageId = /^message-id:\s*(<[^>]+>)/im.exec(headers)?.[1] ?? '';
        received.push({ at: Date.now(), messageId, to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
