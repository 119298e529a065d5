/**
 * Evidence files: told by content, not by name; limited in size; stored in the data folder (embedded default);
 * uploaded with the report from a real browser; shown only to parties of the task through their own links. The
 * task's updates are applied by the real state machine behind a client stand-in, so the reference the workflow
 * keeps is the one the page links to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Document, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../config';
import { createCalendar, localDateOf, VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import { checkEvidence, MAX_EVIDENCE_BYTES, sniffEvidenceType } from '../../domain/evidence';
import { ACTIONS, type ActionName } from '../../domain/lifecycle/actions';
import { initialCore, type TaskCore } from '../../domain/lifecycle/core';
import type { ActionInput } from '../../domain/lifecycle/inputs';
import { applyAction, checkAction, snapshotOf, type MachineContext } from '../../domain/lifecycle/machine';
import { createLinkSigner, type LinkSignInput } from '../../security/links';
import type { PlanReader } from '../../services/plan-store';
import { createFileEvidenceStore } from '../../storage/evidence-store';
import { buildWebApp } from '../../web/app';
import { renderEmail } from '../../mail/templates/render';
import { boardEvidencePath, parseMultipart } from '../../web/evidence';
import { createSessionValue } from '../../web/session';
import { handledActionQuery, taskSnapshotQuery } from '../../workflows/definitions';
import { AGENCIES, makeSpec } from '../helpers/spec';
import { launchChromium } from '../helpers/web-rig';
import { makeItem } from '../mail/fixtures';

jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const TZ = 'Asia/Ho_Chi_Minh';
const SECRET = 'evidence-test-secret-0123456789-abcdef';
const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
const spec = makeSpec('dondoc:test-plan:1.1:so-tu-phap');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
let DOCX: Buffer;
let XLSX_LIKE: Buffer;

const tmp: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-evidence-'));
  tmp.push(d);
  return d;
}

beforeAll(async () => {
  DOCX = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Báo cáo số 15/BC-STP')] }] }));
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('xl/workbook.xml', '<workbook/>');
  XLSX_LIKE = await zip.generateAsync({ type: 'nodebuffer' });
});
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

describe('the kind of a file is told by its content', () => {
  test('PDF, DOCX, PNG and JPEG are evidence, whatever their names say', () => {
    expect(sniffEvidenceType(PDF)).toBe('application/pdf');
    expect(sniffEvidenceType(DOCX)).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffEvidenceType(PNG)).toBe('image/png');
    expect(sniffEvidenceType(JPEG)).toBe('image/jpeg');
    // The name gets the extension of what the file is.
    expect(checkEvidence('bao-cao.txt', PDF)).toEqual({ type: 'application/pdf', name: 'bao-cao.pdf' });
    expect(checkEvidence('C:\\Scan\\quyết định.PDF', PDF).name).toBe('quyết định.pdf');
  });

  test('a text file named .pdf, a spreadsheet named .docx, an empty and an oversized file are refused, naming them', () => {
    expect(() => checkEvidence('bao-cao.pdf', Buffer.from('Báo cáo kết quả'))).toThrow(
      /"bao-cao.pdf" không phải PDF, DOCX hay ảnh/,
    );
    expect(() => checkEvidence('so-lieu.docx', XLSX_LIKE)).toThrow(/"so-lieu.docx" không phải PDF, DOCX/);
    expect(() => checkEvidence('rong.pdf', Buffer.alloc(0))).toThrow(/"rong.pdf" rỗng/);
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_EVIDENCE_BYTES)]);
    expect(() => checkEvidence('lon.pdf', big)).toThrow(/"lon.pdf" lớn 10,0 MB, quá giới hạn 10 MB/);
  });
});

test('a multipart body from the platform FormData reads back into its fields and files', async () => {
  const form = new FormData();
  form.append('csrf', 'abc');
  form.append('summary', 'Đã hoàn thành; "trích dẫn"\r\ndòng hai');
  form.append('evidenceFiles', new Blob([PDF]), 'báo cáo.pdf');
  form.append('evidenceFiles', new Blob([PNG]), 'ảnh.png');
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  const parsed = parseMultipart(Buffer.from(await req.arrayBuffer()), req.headers.get('content-type') ?? '');
  expect(parsed.fields).toEqual({ csrf: 'abc', summary: 'Đã hoàn thành; "trích dẫn"\r\ndòng hai' });
  expect(parsed.files.map((f) => [f.filename, f.bytes.equals(f.filename.endsWith('.pdf') ? PDF : PNG)])).toEqual([
    ['báo cáo.pdf', true],
    ['ảnh.png', true],
  ]);
  // A browser's empty file input: a part with an empty filename and no bytes, dropped.
  const empty = Buffer.from(
    '--b\r\nContent-Disposition: form-data; name="evidenceFiles"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n',
  );
  expect(parseMultipart(empty, 'multipart/form-data; boundary=b')).toEqual({ fields: {}, files: [] });
  expect(() => parseMultipart(Buffer.from('x'), 'multipart/form-data')).toThrow(/boundary/);
});

test('the data-folder store keeps a file once under its content hash and gives the same bytes back', async () => {
  const store = createFileEvidenceStore(tmpDir());
  const a = await store.put('bao-cao.pdf', PDF);
  const b = await store.put('ban-sao.pdf', PDF);
  expect(a.id).toBe(b.id);
  expect(a).toMatchObject({ type: 'application/pdf', size: PDF.length, name: 'bao-cao.pdf' });
  expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect((await store.get(a.id))?.bytes.equals(PDF)).toBe(true);
  expect(await store.get('../../etc/passwd')).toBeUndefined();
  await expect(store.put('x.pdf', Buffer.from('not a pdf'))).rejects.toThrow(/không phải PDF/);
});

describe('uploaded in Chromium with the report, shown only to parties', () => {
  let browser: Browser;
  let core: TaskCore;
  let base: string;
  let close: () => Promise<void>;
  const NOW = Date.UTC(2029, 10, 20, 3, 0, 0);
  const ctx = (): MachineContext => ({ now: NOW, timeZone: TZ, calendar, rules: { v3: true, slowAfterLadder: true } });
  const signer = createLinkSigner(SECRET);
  const link = (over: Partial<LinkSignInput>): string =>
    signer.sign({
      p: 'test-plan',
      w: spec.workflowId,
      c: 0,
      a: AGENCIES.lead.id,
      k: 'submit',
      exp: NOW / 1000 + 3600,
      ...over,
    });
  const updates: ActionInput[] = [];

  /** A client whose task workflow is the real state machine. */
  const client = {
    workflow: {
      getHandle: () => ({
        query: (q: { name: string }) =>
          Promise.resolve(
            q.name === taskSnapshotQuery.name
              ? snapshotOf(core, spec, ctx())
              : q.name === handledActionQuery.name
                ? null
                : undefined,
          ),
        executeUpdate: (def: { name: string }, { args: [input] }: { args: [ActionInput] }) => {
          const name = (Object.keys(ACTIONS) as ActionName[]).find((n) => ACTIONS[n].update === def.name)!;
          const refusal = checkAction(core, spec, name, input, ctx());
          if (refusal) throw new Error(refusal.message);
          updates.push(input);
          const step = applyAction(core, spec, name, input, ctx());
          core = step.core;
          return Promise.resolve(step.result);
        },
      }),
    },
  } as unknown as Client;

  beforeAll(async () => {
    core = { ...initialCore(spec, 0, NOW, localDateOf(NOW, TZ), true), state: 'in_progress' };
    const dataDir = tmpDir();
    const plans: PlanReader = {
      list: () => Promise.resolve([]),
      get: () => Promise.resolve(undefined),
      agencyName: () => Promise.resolve(undefined),
      resolve: () => undefined,
    };
    const app = await buildWebApp({
      client,
      config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
      linkSecret: SECRET,
      dataDir,
      outboxDir: undefined,
      now: () => NOW,
      plans,
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  test('a refused file changes nothing; a PDF and a DOCX go with the report; parties download them, others do not', async () => {
    const page = await browser.newPage();
    try {
      const submit = link({ k: 'submit' });
      // A text file dressed as a PDF: refused by its content, and the task is not reported.
      await page.goto(`${base}/a/${submit}`);
      await page.fill('#summary', 'Đã thành lập đội ngũ báo cáo viên');
      await page.setInputFiles('#evidenceFiles', [
        { name: 'gia-mao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('chỉ là văn bản') },
      ]);
      await page.click('button[type=submit]');
      expect(await page.textContent('main')).toContain('"gia-mao.pdf" không phải PDF, DOCX hay ảnh');
      expect(updates).toHaveLength(0);
      expect(core.state).toBe('in_progress');

      await page.goto(`${base}/a/${submit}`);
      await page.fill('#summary', 'Đã thành lập đội ngũ báo cáo viên');
      await page.setInputFiles('#evidenceFiles', [
        { name: 'quyet-dinh.pdf', mimeType: 'application/pdf', buffer: PDF },
        { name: 'bao-cao.docx', mimeType: 'application/octet-stream', buffer: DOCX },
      ]);
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-outcome="done"]');
      expect(updates).toHaveLength(1);
      const files = core.submission?.evidenceFiles ?? [];
      expect(files.map((f) => [f.name, f.type])).toEqual([
        ['quyet-dinh.pdf', 'application/pdf'],
        ['bao-cao.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ]);

      // The coordinator's confirm page lists them with links that download the very bytes.
      const confirm = link({ k: 'confirm', a: AGENCIES.coord1.id, n: 'c1' });
      await page.goto(`${base}/a/${confirm}`);
      const links = page.locator('[data-part="submission"] a[href*="/evidence/"]');
      const hrefs: string[] = [];
      for (let i = 0; i < (await links.count()); i++) hrefs.push((await links.nth(i).getAttribute('href')) ?? '');
      expect(hrefs).toHaveLength(2);
      const got = await fetch(`${base}${hrefs[0]}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/pdf');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);

      // Someone else's link (an agency with no part in the task) gets the same answer as for no file at all.
      const stranger = link({ k: 'confirm', a: AGENCIES.other.id, n: 's1' });
      const refused = await fetch(`${base}/a/${stranger}/evidence/${files[0]!.id}`);
      expect(refused.status).toBe(404);
      const nothing = await fetch(`${base}/a/${confirm}/evidence/${'A'.repeat(43)}`);
      expect(nothing.status).toBe(404);
      // A link that does not verify reads nothing.
      const forged = await fetch(`${base}/a/${confirm.slice(0, -3)}xyz/evidence/${files[0]!.id}`);
      expect(forged.status).toBe(403);
    } finally {
      await page.close();
    }
  });

  test('the email to a coordinator links each evidence file on the board, where only a signed-in party opens it', async () => {
    // Runs after the upload above: the task's report carries quyet-dinh.pdf and bao-cao.docx.
    const names = (core.submission?.evidenceFiles ?? []).map((f) => f.name);
    expect(names).toEqual(['quyet-dinh.pdf', 'bao-cao.docx']);
    const item = makeItem('confirm_request');
    const mail = renderEmail({
      language: 'vi',
      agencyName: AGENCIES.coord1.name,
      localDate: '2029-11-20',
      items: [
        {
          ...item,
          task: { ...item.task, workflowId: spec.workflowId, planId: 'test-plan' },
          details: {
            ...item.details,
            submission: {
              summary: 'Đã thành lập đội ngũ báo cáo viên',
              evidenceFileNames: names,
              at: new Date(NOW).toISOString(),
              by: AGENCIES.lead,
            },
          },
        },
      ],
      actionUrl: () => `${base}/a/x`,
      publicUrl: base,
    });
    const urls = names.map((n) => `${base}${boardEvidencePath(spec.workflowId, n)}`);
    expect(mail.text).toContain(`- Mở tệp minh chứng quyet-dinh.pdf (cần đăng nhập hệ thống): ${urls[0]}`);
    expect(mail.html).toContain(`href="${urls[1]}"`);

    const as = (agencyId: string): Record<string, string> => ({
      cookie: `dondoc_session=${createSessionValue(SECRET, {
        subject: { kind: 'agency', agencyId },
        epoch: 0,
        allEpoch: 0,
        exp: NOW / 1000 + 3600,
      })}`,
    });
    // The coordinator the email went to, the lead and the monitoring agency get the very bytes.
    for (const party of [AGENCIES.coord1.id, AGENCIES.lead.id, AGENCIES.monitoring.id]) {
      const got = await fetch(urls[0]!, { headers: as(party), redirect: 'manual' });
      expect([party, got.status, got.headers.get('content-type')]).toEqual([party, 200, 'application/pdf']);
      expect(got.headers.get('cache-control')).toMatch(/no-store/);
      expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
    }
    const docx = await fetch(urls[1]!, { headers: as(AGENCIES.coord1.id) });
    expect(Buffer.from(await docx.arrayBuffer()).equals(DOCX)).toBe(true);
    // An agency with no part in the task: the same 404 as for a file that is not there.
    expect((await fetch(urls[0]!, { headers: as(AGENCIES.other.id) })).status).toBe(404);
    expect(
      (await fetch(`${base}${boardEvidencePath(spec.workflowId, 'khac.pdf')}`, { headers: as(AGENCIES.lead.id) }))
        .status,
    ).toBe(404);
    // Not signed in: sent to sign in, no bytes.
    const anonymous = await fetch(urls[0]!, { redirect: 'manual' });
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, '/login']);
    // The task page on the board links the files for a party, and only names them for anyone else.
    const taskPage = `${base}/tasks/${encodeURIComponent(spec.workflowId)}`;
    const forParty = await (await fetch(taskPage, { headers: as(AGENCIES.coord1.id) })).text();
    expect(forParty).toContain(`<a href="${boardEvidencePath(spec.workflowId, 'quyet-dinh.pdf')}">quyet-dinh.pdf</a>`);
    // (No board token is set here, so the board is open to a visitor not signed in, who is no party.)
    const open = await fetch(taskPage, { redirect: 'manual' });
    expect(open.status).toBe(200);
    const text = await open.text();
    expect(text).toContain('quyet-dinh.pdf');
    expect(text).not.toContain('/evidence/quyet-dinh.pdf');
  });
});
