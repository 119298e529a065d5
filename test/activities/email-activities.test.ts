import { spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

import { ApplicationFailure } from '@temporalio/common';

import {
  createEmailActivities,
  linkExpiry,
  messageIdForDigest,
  resolveRecipient,
} from '../../activities/email-activities';
import type { ContactRole, NotificationRequest } from '../../domain/types';
import type { SentLedger } from '../../mail/ledger';
import { createFileLedger } from '../../mail/ledger';
import { createOutboxMailer, createSmtpMailer, listOutbox } from '../../mail/mailer';
import type { DeliverDigestInput, EmailConfig, Mailer, RecipientResolver } from '../../mail/types';
import { createLinkSigner } from '../../security/links';
import { makeItem } from '../mail/fixtures';
import type { HarnessOptions, SmtpHarness } from '../mail/smtp-harness';
import { SMTP_PASS, freePort, startSmtpServer } from '../mail/smtp-harness';

const SECRET = 'activity-test-secret-0123456789';
const NOW = new Date('2019-09-23T01:30:00.000Z');
const config: EmailConfig = {
  from: '"Hệ thống Đôn đốc" <dondoc@stp.example.gov.vn>',
  publicUrl: 'https://dondoc.example.gov.vn',
  language: 'vi',
  linkTtlDays: 14,
  timeZone: 'Asia/Ho_Chi_Minh',
};

type Contacts = Partial<Record<ContactRole, string | undefined>>;
const directory: Record<string, { name: string; contacts: Contacts }> = {
  'so-tu-phap': {
    name: 'Sở Tư pháp tỉnh Đắk Lắk',
    contacts: { focal: 'pbgdpl@stp.example.gov.vn', head: 'giamdoc@stp.example.gov.vn' },
  },
  'ubnd-tinh': {
    name: 'UBND tỉnh Đắk Lắk',
    contacts: { head: undefined, focal: undefined, office: 'vanthu@ubnd.example.gov.vn' },
  },
  'khong-co-thu': { name: 'UBND xã Không Có Thư', contacts: {} },
  'hai-dia-chi': { name: 'Sở Nội vụ', contacts: { focal: 'ok@snv.example.gov.vn, bad@snv.example.gov.vn' } },
};
const recipients: RecipientResolver = {
  resolve(agencyId, role) {
    const a = directory[agencyId];
    if (!a) return undefined;
    const email = a.contacts[role];
    return { name: role, agencyName: a.name, ...(email ? { email } : {}) };
  },
};

const signer = createLinkSigner(SECRET);

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'dondoc-email-'));
}

interface Rig {
  server: SmtpHarness;
  mailer: Mailer;
  ledger: SentLedger;
  activities: ReturnType<typeof createEmailActivities>;
}

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function rig(options: HarnessOptions = {}, ledgerDir?: string): Promise<Rig> {
  const server = await startSmtpServer(options);
  const mailer = createSmtpMailer(server.url);
  const ledger = createFileLedger(ledgerDir ?? (await tempDir()));
  open.push(server, mailer);
  return {
    server,
    mailer,
    ledger,
    activities: createEmailActivities({ mailer, recipients, ledger, links: signer, config, now: () => NOW }),
  };
}

function digest(items: NotificationRequest[], overrides: Partial<DeliverDigestInput> = {}): DeliverDigestInput {
  return {
    digestId: `digest:so-tu-phap:focal:2019-09-23:${Math.random()}`,
    recipient: { agencyId: 'so-tu-phap', role: 'focal' },
    localDate: '2019-09-23',
    items,
    ...overrides,
  };
}

function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

function tokensIn(text: string): string[] {
  return [...text.matchAll(/https:\/\/dondoc\.example\.gov\.vn\/a\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
}

describe('deliverDigest through a real SMTP server', () => {
  it('sends one well-formed Vietnamese email: headers, text and HTML, calendar, verifiable links', async () => {
    const { server, activities } = await rig();
    const input = digest([makeItem('reminder')]);
    const result = await activities.deliverDigest(input);
    expect(result).toEqual({
      status: 'sent',
      messageId: messageIdForDigest(input.digestId),
      to: ['pbgdpl@stp.example.gov.vn'],
      accepted: ['pbgdpl@stp.example.gov.vn'],
    });
    expect(messageIdForDigest(input.digestId)).toMatch(/^<[0-9a-f]{32}@dondoc>$/);

    expect(server.received).toHaveLength(1);
    const { parsed, raw, envelopeTo } = server.received[0]!;
    expect(envelopeTo).toEqual(['pbgdpl@stp.example.gov.vn']);
    expect(parsed.messageId).toBe(messageIdForDigest(input.digestId));
    expect(parsed.from?.value[0]).toEqual({ address: 'dondoc@stp.example.gov.vn', name: 'Hệ thống Đôn đốc' });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((v) => v.address) : []).toEqual([
      'pbgdpl@stp.example.gov.vn',
    ]);
    expect(parsed.date?.toISOString()).toBe(NOW.toISOString());
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

    const rawHeaders = raw.toString('latin1').split(/\r?\n\r?\n/)[0]!;
    const subjectHeader = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(rawHeaders)![1]!;
    expect(subjectHeader).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect([...subjectHeader].every((c) => c.charCodeAt(0) < 128)).toBe(true);
    expect(parsed.subject).toMatch(/^\[dondoc\] Nhắc hạn: 1\.1 Tổ chức hội nghị .*— hạn 30\/09\/2019$/);

    expect(parsed.text).toContain('Kính gửi: Sở Tư pháp tỉnh Đắk Lắk');
    expect(parsed.text).toContain('Thời hạn: ngày 30 tháng 9 năm 2019');
    expect(parsed.text).toContain('Trân trọng.');
    expect(parsed.html).toContain('Kính gửi: Sở Tư pháp tỉnh Đắk Lắk');
    expect(parsed.html).toContain('ngày 30 tháng 9 năm 2019');

    const tokens = tokensIn(parsed.text ?? '');
    expect(tokens).toHaveLength(2);
    const expSeconds = linkExpiry('2019-09-23', 14, 'Asia/Ho_Chi_Minh');
    expect(tokens.map((t) => signer.verify(t, NOW.getTime()))).toEqual([
      {
        ok: true,
        payload: expect.objectContaining({
          k: 'submit',
          a: 'so-tu-phap',
          w: makeItem('reminder').task.workflowId,
          exp: expSeconds,
        }),
      },
      { ok: true, payload: expect.objectContaining({ k: 'request_extension' }) },
    ]);

    const ics = parsed.attachments.find((a) => a.filename?.endsWith('.ics'));
    expect(ics?.contentType).toBe('text/calendar');
    const lines = unfold(ics!.content.toString('utf8'));
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('DTSTART;VALUE=DATE:20190930');
    expect(lines.find((l) => l.startsWith('SUMMARY:'))).toMatch(
      /^SUMMARY:Hạn nhiệm vụ 1\.1 Tổ chức hội nghị quán triệt\\, triển khai/,
    );
  });

  it('carries periodic report files as attachments', async () => {
    const { server, activities } = await rig();
    const content = Buffer.from('Báo cáo tháng 9: 12 nhiệm vụ');
    await activities.deliverDigest(
      digest([makeItem('periodic_report', { task: { ...makeItem('periodic_report').task, due: null } })], {
        attachments: [
          {
            filename: 'bao-cao-quy-III-2019.xlsx',
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            contentBase64: content.toString('base64'),
          },
        ],
      }),
    );
    const { parsed } = server.received[0]!;
    const report = parsed.attachments.find((a) => a.filename === 'bao-cao-quy-III-2019.xlsx');
    expect(report?.content.equals(content)).toBe(true);
    expect(parsed.attachments.some((a) => a.filename?.endsWith('.ics'))).toBe(false);
    expect(parsed.text).toContain('Tệp đính kèm: bao-cao-quy-III-2019.xlsx');
  });

  it('puts ten items into exactly one email listing all ten', async () => {
    const { server, activities } = await rig();
    const items = Array.from({ length: 10 }, (_, i) => makeItem(i % 3 === 0 ? 'overdue' : 'reminder', { n: i + 1 }));
    const result = await activities.deliverDigest(digest(items));
    expect(result.status).toBe('sent');
    expect(server.received).toHaveLength(1);
    const { parsed } = server.received[0]!;
    expect(parsed.subject).toBe('[dondoc] Tổng hợp ngày 23/09/2019: 10 nhiệm vụ cần xử lý');
    for (let n = 1; n <= 10; n += 1) expect(parsed.text).toContain(`Nhiệm vụ: 1.${n}. `);
    expect(tokensIn(parsed.text ?? '')).toHaveLength(20);
    const ics = parsed.attachments.find((a) => a.filename?.endsWith('.ics'))!.content.toString('utf8');
    expect(unfold(ics).filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(10);
  });

  it('never sends the same digest twice: the second call returns already_sent', async () => {
    const { server, activities } = await rig();
    const input = digest([makeItem('due_today')]);
    const first = await activities.deliverDigest(input);
    const second = await activities.deliverDigest(input);
    expect(first.status).toBe('sent');
    expect(second).toEqual({ status: 'already_sent', messageId: messageIdForDigest(input.digestId) });
    expect(server.received).toHaveLength(1);
  });

  it('after a crash between claim and send, the retry sends once with the same Message-ID', async () => {
    const { server, ledger, activities } = await rig();
    const input = digest([makeItem('reminder')]);
    expect(await ledger.claim(input.digestId)).toBe('new'); // the attempt that died right after claiming
    const retry = await activities.deliverDigest(input);
    expect(retry).toMatchObject({ status: 'sent', messageId: messageIdForDigest(input.digestId) });
    expect(server.received.map((m) => m.parsed.messageId)).toEqual([messageIdForDigest(input.digestId)]);
    expect(await activities.deliverDigest(input)).toMatchObject({ status: 'already_sent' });
  });

  it('after a crash between the server 250 and markSent, the retry resends the identical message id and links (documented window)', async () => {
    const { server, mailer, ledger } = await rig();
    let crash = true;
    const crashingLedger: SentLedger = {
      claim: (k) => ledger.claim(k),
      get: (k) => ledger.get(k),
      markSent: async (k, info) => {
        if (crash) {
          crash = false;
          throw new Error('worker died');
        }
        return ledger.markSent(k, info);
      },
    };
    const activities = createEmailActivities({
      mailer,
      recipients,
      ledger: crashingLedger,
      links: signer,
      config,
      now: () => NOW,
    });
    const input = digest([makeItem('submitted')]);
    await expect(activities.deliverDigest(input)).rejects.toThrow('worker died');
    await expect(activities.deliverDigest(input)).resolves.toMatchObject({ status: 'sent' });
    await expect(activities.deliverDigest(input)).resolves.toMatchObject({ status: 'already_sent' });
    expect(server.received).toHaveLength(2);
    const [a, b] = server.received;
    expect(a!.parsed.messageId).toBe(b!.parsed.messageId);
    expect(tokensIn(a!.parsed.text ?? '')).toEqual(tokensIn(b!.parsed.text ?? ''));
    expect(a!.parsed.text).toBe(b!.parsed.text);
  });

  it('shares the never-twice record between two workers on one ledger folder', async () => {
    const dir = await tempDir();
    const one = await rig({}, dir);
    const two = await rig({}, dir);
    const input = digest([makeItem('overdue')]);
    expect((await one.activities.deliverDigest(input)).status).toBe('sent');
    expect((await two.activities.deliverDigest(input)).status).toBe('already_sent');
    expect(one.server.received.length + two.server.received.length).toBe(1);
  });

  it('returns rejected with the code when the server refuses the recipient with 550', async () => {
    const { server, activities } = await rig({ onRcpt: () => ({ code: 550, message: 'No such user here' }) });
    const input = digest([makeItem('reminder')]);
    const result = await activities.deliverDigest(input);
    expect(result).toMatchObject({
      status: 'rejected',
      code: 550,
      to: ['pbgdpl@stp.example.gov.vn'],
      messageId: messageIdForDigest(input.digestId),
    });
    expect(result.status === 'rejected' && result.reason).toMatch(/No such user/);
    expect(server.received).toHaveLength(0);
  });

  it('sends to the accepted address when only one of two is refused', async () => {
    const { server, activities } = await rig({
      onRcpt: (a) => (a.startsWith('bad@') ? { code: 550, message: 'unknown' } : undefined),
    });
    const result = await activities.deliverDigest(
      digest([makeItem('reminder')], { recipient: { agencyId: 'hai-dia-chi', role: 'focal' } }),
    );
    expect(result).toEqual(
      expect.objectContaining({
        status: 'sent',
        to: ['ok@snv.example.gov.vn', 'bad@snv.example.gov.vn'],
        accepted: ['ok@snv.example.gov.vn'],
      }),
    );
    expect(server.received.map((m) => m.envelopeTo)).toEqual([['ok@snv.example.gov.vn']]);
  });

  it('returns rejected without sending when the directory has no address (role → focal → office)', async () => {
    const { server, activities } = await rig();
    const result = await activities.deliverDigest(
      digest([makeItem('escalation')], { recipient: { agencyId: 'khong-co-thu', role: 'head' } }),
    );
    expect(result).toMatchObject({ status: 'rejected', to: [] });
    expect(result.status === 'rejected' && result.reason).toContain('UBND xã Không Có Thư');
    expect(result.status === 'rejected' && result.reason).toContain('head → focal → office');
    expect(server.received).toHaveLength(0);
  });

  it('falls back from head to focal to office', async () => {
    const { server, activities } = await rig();
    const result = await activities.deliverDigest(
      digest([makeItem('escalation')], { recipient: { agencyId: 'ubnd-tinh', role: 'head' } }),
    );
    expect(result).toMatchObject({ status: 'sent', to: ['vanthu@ubnd.example.gov.vn'] });
    expect(server.received[0]?.parsed.text).toContain('Kính gửi: UBND tỉnh Đắk Lắk');
    expect((await resolveRecipient(recipients, 'so-tu-phap', 'head')).to).toEqual(['giamdoc@stp.example.gov.vn']);
    expect(await resolveRecipient(recipients, 'nobody', 'head')).toEqual({ agencyName: 'nobody', to: [] });
  });

  it('throws a retryable error on a temporary 451, without the password, and delivers on retry', async () => {
    let busy = true;
    const { server, activities } = await rig({
      onData: () => (busy ? { code: 451, message: 'Try again later' } : undefined),
    });
    const input = digest([makeItem('reminder')]);
    const err = await activities.deliverDigest(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(/451|Try again later/);
    expect((err as Error).message).not.toContain(SMTP_PASS);
    expect(server.received).toHaveLength(0);
    busy = false;
    expect((await activities.deliverDigest(input)).status).toBe('sent');
    expect(server.received).toHaveLength(1);
  });

  it('throws when the server is down, then delivers exactly once when it is back', async () => {
    const port = await freePort();
    const mailer = createSmtpMailer(`smtp://dondoc:${SMTP_PASS}@127.0.0.1:${port}`);
    open.push(mailer);
    const ledger = createFileLedger(await tempDir());
    const activities = createEmailActivities({ mailer, recipients, ledger, links: signer, config, now: () => NOW });
    const input = digest([makeItem('overdue')]);
    const err = await activities.deliverDigest(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/ECONNREFUSED|connect/i);
    expect((err as Error).message).not.toContain(SMTP_PASS);

    const server = await startSmtpServer({ port });
    open.push(server);
    expect((await activities.deliverDigest(input)).status).toBe('sent');
    expect((await activities.deliverDigest(input)).status).toBe('already_sent');
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.parsed.messageId).toBe(messageIdForDigest(input.digestId));
  });

  it('refuses an empty digest as a non-retryable InvalidDigestInput', async () => {
    const { activities } = await rig();
    const err = await activities.deliverDigest(digest([])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('InvalidDigestInput');
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('writes English mail when configured', async () => {
    const server = await startSmtpServer();
    const mailer = createSmtpMailer(server.url);
    open.push(server, mailer);
    const activities = createEmailActivities({
      mailer,
      recipients,
      ledger: createFileLedger(await tempDir()),
      links: signer,
      config: { ...config, language: 'en' },
      now: () => NOW,
    });
    await activities.deliverDigest(digest([makeItem('overdue')]));
    const { parsed } = server.received[0]!;
    expect(parsed.subject).toMatch(/^\[dondoc\] Overdue: 1\.1 .* — due 30\/09\/2019$/);
    expect(parsed.text).toContain('To: Sở Tư pháp tỉnh Đắk Lắk');
    expect(parsed.text).toContain('Deadline: 30 September 2019');
  });
});

describe('deliverDigest takes a last look at the tasks of items sent without an announced minute', () => {
  const monitoring = { agencyId: 'so-tu-phap', role: 'focal' as const };
  const submitted = (n: number): NotificationRequest => makeItem('submitted', { n, recipient: monitoring });

  async function lookingRig(menus: Record<string, { action: string; agencies: string[] }[] | undefined>) {
    const server = await startSmtpServer();
    const mailer = createSmtpMailer(server.url);
    const ledger = createFileLedger(await tempDir());
    open.push(server, mailer);
    const asked: string[] = [];
    const activities = createEmailActivities({
      mailer,
      recipients,
      ledger,
      links: signer,
      config,
      now: () => NOW,
      currentActions: async (w) => {
        asked.push(w);
        return menus[w];
      },
    });
    return { server, activities, asked };
  }
  const kinds = (text: string): string[] =>
    tokensIn(text).map((t) => {
      const v = signer.verify(t, NOW.getTime());
      return v.ok ? `${v.payload.w.split(':')[2]}:${v.payload.k}` : 'invalid';
    });

  it('offers only what each task still allows, and leaves out an item whose reason is gone', async () => {
    const one = submitted(1).task.workflowId;
    const two = submitted(2).task.workflowId;
    const three = submitted(3).task.workflowId;
    const { server, activities, asked } = await lookingRig({
      // Task 1 was disputed meanwhile: the monitoring agency may return it, not accept it. Accept was the item's
      // reason, so the item is left out (the dispute's own notice tells the monitoring agency what happened).
      [one]: [{ action: 'return', agencies: ['so-tu-phap'] }],
      // Task 2 was accepted by someone else's hand (the same agency on the board): nothing left to ask.
      [two]: [],
      // Task 3 is as it was.
      [three]: [
        { action: 'accept', agencies: ['so-tu-phap'] },
        { action: 'return', agencies: ['so-tu-phap'] },
      ],
    });
    const result = await activities.deliverDigest(
      digest([submitted(1), submitted(2), submitted(3)], { recipient: monitoring }),
    );
    expect(result.status).toBe('sent');
    expect(asked.sort()).toEqual([one, two, three].sort());
    expect(server.received).toHaveLength(1);
    const text = server.received[0]!.parsed.text ?? '';
    expect(kinds(text)).toEqual(['1.3:accept', '1.3:return']);
    expect(text).toContain('Nhiệm vụ: 1.3. ');
    expect(text).not.toMatch(/Nhiệm vụ: 1\.[12]\. /);
    expect(server.received[0]!.parsed.subject).toMatch(/1\.3/);
  });

  it('keeps the actions still allowed when the first one stays', async () => {
    const item = makeItem('reminder');
    const { server, activities } = await lookingRig({
      // An extension is pending: the lead may still report completion but not ask again.
      [item.task.workflowId]: [{ action: 'submit', agencies: ['so-tu-phap'] }],
    });
    await activities.deliverDigest(digest([item]));
    expect(kinds(server.received[0]!.parsed.text ?? '')).toEqual(['1.1:submit']);
  });

  it('sends nothing when every item is out of date, and a retry stays silent', async () => {
    const item = makeItem('plan_imported');
    const { server, activities } = await lookingRig({ [item.task.workflowId]: [] });
    const input = digest([item]);
    expect(await activities.deliverDigest(input)).toEqual({
      status: 'withdrawn',
      messageId: messageIdForDigest(input.digestId),
    });
    expect(await activities.deliverDigest(input)).toMatchObject({ status: 'already_sent' });
    expect(server.received).toHaveLength(0);
  });

  it('sends items as handed over when a task cannot answer, and does not ask about items revised by their task', async () => {
    const late = makeItem('reminder', { n: 1 });
    // Prepared for a minute still ahead (or just reached): its task revises it; nobody asks.
    const onTime = makeItem('reminder', { n: 2, deliverAt: new Date(NOW.getTime() - 10_000).toISOString() });
    const { server, activities, asked } = await lookingRig({ [late.task.workflowId]: undefined });
    await activities.deliverDigest(digest([late, onTime]));
    expect(asked).toEqual([late.task.workflowId]);
    expect(kinds(server.received[0]!.parsed.text ?? '')).toEqual([
      '1.1:submit',
      '1.1:request_extension',
      '1.2:submit',
      '1.2:request_extension',
    ]);
  });
});

describe('deliverDigest into the file outbox', () => {
  it('writes one .eml per digest, listed with the decoded subject', async () => {
    const dir = await tempDir();
    const mailer = createOutboxMailer(path.join(dir, 'outbox'));
    const activities = createEmailActivities({
      mailer,
      recipients,
      ledger: createFileLedger(path.join(dir, 'ledger')),
      links: signer,
      config,
      now: () => NOW,
    });
    const input = digest([makeItem('reminder', { n: 1 }), makeItem('reminder', { n: 2 })]);
    await activities.deliverDigest(input);
    await activities.deliverDigest(input);
    const list = await listOutbox(path.join(dir, 'outbox'));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      messageId: messageIdForDigest(input.digestId),
      to: ['pbgdpl@stp.example.gov.vn'],
      subject: '[dondoc] Tổng hợp ngày 23/09/2019: 2 nhiệm vụ cần xử lý',
    });
  });
});

describe('linkExpiry', () => {
  it('ends at the end of the day ttl days after the digest date, in the plan time zone', () => {
    // 2019-10-07 24:00 in UTC+7 is 2019-10-07T17:00Z
    expect(linkExpiry('2019-09-23', 14, 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2019-10-07T17:00:00Z') / 1000);
    expect(linkExpiry('2019-12-31', 0, 'UTC')).toBe(Date.parse('2020-01-01T00:00:00Z') / 1000);
  });
});

describe('fault hook DONDOC_FAULT_KILL_AFTER_SEND', () => {
  it('a worker killed after the server accepted and the ledger recorded: the retry sends nothing', async () => {
    const server = await startSmtpServer();
    open.push(server);
    const ledgerDir = await tempDir();
    const input = digest([makeItem('reminder')]);
    // A separate Node process loads the real TypeScript modules through a tiny transpiling hook.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); const ts = require('typescript');
         require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, f);
         const { createEmailActivities } = require('./activities/email-activities.ts');
         const { createSmtpMailer } = require('./mail/mailer.ts');
         const { createFileLedger } = require('./mail/ledger.ts');
         const { createLinkSigner } = require('./security/links.ts');
         const [url, dir, inputJson, configJson] = process.argv.slice(1);
         const recipients = { resolve: (id, role) => ({ name: role, agencyName: 'Sở Tư pháp tỉnh Đắk Lắk', email: 'pbgdpl@stp.example.gov.vn' }) };
         createEmailActivities({ mailer: createSmtpMailer(url), recipients, ledger: createFileLedger(dir), links: createLinkSigner('${SECRET}'), config: JSON.parse(configJson) })
           .deliverDigest(JSON.parse(inputJson)).then((r) => { console.log('completed', JSON.stringify(r)); process.exit(0); }, (e) => { console.error(e.message); process.exit(2); });`,
        server.url,
        ledgerDir,
        JSON.stringify(input),
        JSON.stringify(config),
      ],
      {
        cwd: path.join(__dirname, '../..'),
        env: { ...process.env, DONDOC_FAULT_KILL_AFTER_SEND: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
    expect(stdout).not.toContain('completed');
    expect(server.received).toHaveLength(1);

    // The restarted worker retries the activity.
    const mailer = createSmtpMailer(server.url);
    open.push(mailer);
    const activities = createEmailActivities({
      mailer,
      recipients,
      ledger: createFileLedger(ledgerDir),
      links: signer,
      config,
      now: () => NOW,
    });
    expect(await activities.deliverDigest(input)).toEqual({
      status: 'already_sent',
      messageId: messageIdForDigest(input.digestId),
    });
    expect(server.received).toHaveLength(1);
  });
});
