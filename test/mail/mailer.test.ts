import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

import { simpleParser } from 'mailparser';

import { MailSendError, classifySendError, createOutboxMailer, createSmtpMailer, listOutbox, outboxFileName, sanitizeErrorMessage } from '../../mail/mailer';
import type { OutgoingMail } from '../../mail/types';
import { SMTP_PASS, freePort, startSmtpServer } from './smtp-harness';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    messageId: '<0123456789abcdef0123456789abcdef@dondoc>',
    from: '"Đôn đốc" <dondoc@stp.example.gov.vn>',
    to: ['pbgdpl@stp.example.gov.vn'],
    subject: '[dondoc] Nhắc hạn: 1.1 Tổ chức hội nghị quán triệt — hạn 30/9/2019',
    text: 'Kính gửi: Sở Tư pháp\n\nTrân trọng.',
    html: '<p>Kính gửi: Sở Tư pháp</p>',
    date: new Date('2019-09-23T01:00:00Z'),
    attachments: [{ filename: 'lịch.ics', contentType: 'text/calendar; charset=utf-8', content: Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n') }],
    ...overrides,
  };
}

describe('createOutboxMailer / listOutbox', () => {
  it('writes a readable .eml named after the Message-ID and lists it', async () => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'dondoc-outbox-')), 'outbox');
    const mailer = createOutboxMailer(dir);
    const info = await mailer.send(mail());
    expect(info.accepted).toEqual(['pbgdpl@stp.example.gov.vn']);
    const files = await fs.readdir(dir);
    expect(files).toEqual(['0123456789abcdef0123456789abcdef@dondoc.eml']);
    const parsed = await simpleParser(await fs.readFile(path.join(dir, files[0]!)));
    expect(parsed.subject).toBe(mail().subject);
    expect(parsed.text).toContain('Kính gửi: Sở Tư pháp');
    expect(parsed.attachments[0]?.filename).toBe('lịch.ics');

    const list = await listOutbox(dir);
    expect(list).toEqual([
      {
        file: files[0],
        messageId: '<0123456789abcdef0123456789abcdef@dondoc>',
        to: ['pbgdpl@stp.example.gov.vn'],
        subject: mail().subject,
        date: '2019-09-23T01:00:00.000Z',
      },
    ]);
  });

  it('writes the same Message-ID once, keeping the first file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dondoc-outbox-'));
    const mailer = createOutboxMailer(dir);
    await mailer.send(mail());
    await mailer.send(mail({ subject: 'changed' }));
    await Promise.all([mailer.send(mail({ subject: 'race' })), mailer.send(mail({ subject: 'race' }))]);
    const files = await fs.readdir(dir);
    expect(files).toHaveLength(1);
    expect((await listOutbox(dir))[0]?.subject).toBe(mail().subject);
  });

  it('lists newest first and treats a missing folder as empty', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dondoc-outbox-'));
    const mailer = createOutboxMailer(dir);
    await mailer.send(mail({ messageId: '<old@dondoc>', date: new Date('2019-01-01T00:00:00Z') }));
    await mailer.send(mail({ messageId: '<new@dondoc>', date: new Date('2020-01-01T00:00:00Z') }));
    await mailer.send(mail({ messageId: '<mid@dondoc>', date: new Date('2019-06-01T00:00:00Z') }));
    expect((await listOutbox(dir)).map((e) => e.messageId)).toEqual(['<new@dondoc>', '<mid@dondoc>', '<old@dondoc>']);
    expect(await listOutbox(path.join(dir, 'nope'))).toEqual([]);
  });

  it('makes file names safe from any Message-ID', () => {
    expect(outboxFileName('<../../etc/passwd@x>')).toBe('.._.._etc_passwd@x.eml');
    expect(outboxFileName('<a/b\\c d@dondoc>')).toBe('a_b_c_d@dondoc.eml');
  });
});

describe('sanitizeErrorMessage / classifySendError', () => {
  it('removes credentials from URLs and literal secrets', () => {
    expect(sanitizeErrorMessage('cannot reach smtps://user:hunter22@mail.example:465 now')).toBe('cannot reach smtps://***@mail.example:465 now');
    expect(sanitizeErrorMessage('auth failed for hunter22', ['hunter22'])).toBe('auth failed for ***');
  });

  it('calls a 5xx on RCPT permanent and a 4xx or a connection error temporary', () => {
    expect(classifySendError({ message: 'no', responseCode: 550, command: 'RCPT TO', code: 'EENVELOPE' }).permanent).toBe(true);
    expect(classifySendError({ message: 'no', responseCode: 554, command: 'DATA', code: 'EMESSAGE' }).permanent).toBe(true);
    expect(classifySendError({ message: 'later', responseCode: 451, command: 'DATA' }).permanent).toBe(false);
    expect(classifySendError({ message: 'connect ECONNREFUSED', code: 'ESOCKET', command: 'CONN' }).permanent).toBe(false);
    expect(classifySendError({ message: 'bad auth', responseCode: 535, command: 'AUTH PLAIN', code: 'EAUTH' }).permanent).toBe(false);
  });
});

describe('createSmtpMailer', () => {
  it('refuses a URL that is not smtp:// or smtps://, without echoing it', () => {
    expect(() => createSmtpMailer('http://u:topsecret@h')).toThrow(/smtp:\/\/ hoặc smtps:\/\//);
    try {
      createSmtpMailer('http://u:topsecret@h');
    } catch (err) {
      expect((err as Error).message).not.toContain('topsecret');
    }
  });

  it('delivers through a real SMTP server with authentication', async () => {
    const server = await startSmtpServer();
    const mailer = createSmtpMailer(server.url);
    try {
      const info = await mailer.send(mail());
      expect(info.accepted).toEqual(['pbgdpl@stp.example.gov.vn']);
      expect(server.received).toHaveLength(1);
      expect(server.received[0]?.parsed.messageId).toBe('<0123456789abcdef0123456789abcdef@dondoc>');
    } finally {
      mailer.close();
      await server.close();
    }
  });

  it('never puts the password in errors (refused connection, failed login)', async () => {
    const port = await freePort();
    const down = createSmtpMailer(`smtp://dondoc:${SMTP_PASS}@127.0.0.1:${port}`);
    const e1 = await down.send(mail()).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(MailSendError);
    expect((e1 as MailSendError).permanent).toBe(false);
    expect(String((e1 as Error).message)).not.toContain(SMTP_PASS);

    const server = await startSmtpServer();
    const wrong = createSmtpMailer(`smtp://dondoc:wrong-${SMTP_PASS}@127.0.0.1:${server.port}`);
    try {
      const e2 = await wrong.send(mail()).catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(MailSendError);
      expect((e2 as MailSendError).permanent).toBe(false);
      expect(JSON.stringify({ m: (e2 as Error).message, s: (e2 as Error).stack })).not.toContain(SMTP_PASS);
    } finally {
      wrong.close();
      await server.close();
    }
  });
});
