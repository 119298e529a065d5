/**
 * The report from the board asks, once, for what the plan and its directory do not give, and makes no file with
 * stand-ins: served by the real app, read and filled in headless Chromium, the .docx read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config';
import type { PlanReader } from '../../services/plan-store';
import { buildWebApp } from '../../web/app';
import { officerInputsOf } from '../../web/report-page';
import type { TaskSnapshot } from '../../domain/types';
import { AGENCY_A, makePlanSources, makeSnapshot } from '../reports/report-fixture';
import { launchChromium } from '../helpers/web-rig';

jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const SECRET = 'report-page-secret-0123456789-abcdef';
const NOW = Date.parse('2026-12-15T03:00:00Z');

/** A plan whose issuer names no place and no certain abbreviation, with a reporting duty that names no signer. */
const sources = makePlanSources({
  plan: { issuer: 'bcd' },
  duty: { signer: undefined, to: 'ubnd-tinh' },
  agencies: [
    { id: 'bcd', name: 'Ban Chỉ đạo phổ biến, giáo dục pháp luật', level: 'province' },
    { id: 'phong-pbgdpl', name: 'Phòng Phổ biến, giáo dục pháp luật', level: 'department' },
    { id: 'so-gd', name: 'Sở Giáo dục và Đào tạo', level: 'department' },
    { id: 'ubnd-tinh', name: 'UBND tỉnh Đắk Lắk', level: 'province' },
  ],
});

let tasks: TaskSnapshot[] = [];
let app: FastifyInstance;
let base: string;
let browser: Browser;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-report-page-'));

beforeAll(async () => {
  const plans: PlanReader = {
    list: () => Promise.resolve([]),
    get: (id) =>
      Promise.resolve(
        id === sources.plan.id ? { ...sources, version: 1, importedAt: '2026-01-05T00:00:00Z' } : undefined,
      ),
    agencyName: () => Promise.resolve(undefined),
    resolve: () => undefined,
  };
  // No task instance is listed unless a test puts snapshots in `tasks` (read as visibility rows and queries).
  const client = {
    workflow: {
      list: async function* () {
        for (const t of tasks)
          yield {
            workflowId: t.workflowId,
            typedSearchAttributes: { get: () => undefined },
            memo: {},
            status: { name: 'RUNNING' },
          };
      },
      getHandle: (id: string) => ({ query: () => Promise.resolve(tasks.find((t) => t.workflowId === id)) }),
    },
  } as unknown as Client;
  app = await buildWebApp({
    client,
    config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
    linkSecret: SECRET,
    dataDir,
    outboxDir: undefined,
    now: () => NOW,
    plans,
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function documentXml(docx: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(docx);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

test('the officer inputs of the form: empty fields are absent, lists split on ";"', () => {
  expect(
    officerInputsOf({ documentCode: ' bc-bcd ', place: '', recipients: 'Bộ Tư pháp; ;Lưu: VT', signerAuthority: '' }),
  ).toEqual({ documentCode: 'bc-bcd', recipients: ['Bộ Tư pháp', 'Lưu: VT'] });
});

test('asking for a file while parts are missing gives the form, naming each part and where to record it', async () => {
  const res = await app.inject({ method: 'GET', url: '/plans/kh-12/report?format=docx' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/html');
  expect(res.body).toContain('data-count="3"');
  expect(res.body).toContain('data-part="still-missing"');
  // "Nơi nhận" comes from the duty (the agency it reports to): not asked.
  expect(res.body).not.toContain('id="recipients"');
  for (const words of [
    'Ký hiệu văn bản',
    'Địa danh ghi trên văn bản',
    'Chức vụ người ký',
    'reportingDuties[].signer.title',
  ])
    expect(res.body).toContain(words);
});

test('a code that cannot be a document code is refused with the reason, and no file is made', async () => {
  const res = await app.inject({
    method: 'GET',
    url: `/plans/kh-12/report?format=docx&documentCode=${encodeURIComponent('BC/UBND 1')}&place=x&signerTitle=y`,
  });
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain('data-part="problem"');
  expect(res.body).toContain('không hợp lệ');
});

test('filled in Chromium, the .docx carries what the officer gave and nothing in its place', async () => {
  const page = await browser.newPage({ acceptDownloads: true });
  try {
    await page.goto(`${base}/plans/kh-12/report`);
    await page.fill('#documentCode', 'bc-bcđ');
    await page.fill('#place', 'Đắk Lắk');
    await page.fill('#signerTitle', 'TRƯỞNG BAN');
    await page.fill('#signerAuthority', 'KT. TRƯỞNG BAN');
    await page.fill('#assessment', 'Các cơ quan đã triển khai đúng tiến độ.');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button[name=format][value=docx]'),
    ]);
    const file = path.join(dataDir, 'report.docx');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^bao-cao-kh-12-2026-12-15\.docx$/);
    const text = await documentXml(fs.readFileSync(file));
    expect(text).toContain('/BC-BCĐ');
    expect(text).toContain('Đắk Lắk, ngày');
    expect(text).toContain('TRƯỞNG BAN');
    expect(text).toContain('UBND tỉnh Đắk Lắk;');
    expect(text).toContain('Các cơ quan đã triển khai đúng tiến độ.');
    expect(text).not.toMatch(/THỦ TRƯỞNG CƠ QUAN|…………|\[/);
  } finally {
    await page.close();
  }
});

test('the page shows section III as the files have it, with the approver’s remark on each extension', async () => {
  tasks = [
    makeSnapshot({
      ref: '2.1',
      lead: AGENCY_A,
      state: 'in_progress',
      due: '2026-12-31',
      originalDue: '2026-11-30',
      extensions: [
        { due: '2026-12-31', grantedOn: '2026-11-20', reason: 'Chờ kinh phí', note: 'Đồng ý, không gia hạn thêm.' },
      ],
    }),
  ];
  try {
    const res = await app.inject({ method: 'GET', url: '/plans/kh-12/report' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('III. Gia hạn, điều chỉnh thời hạn trong kỳ');
    expect(res.body).toMatch(/<table data-part="changes" data-count="1">/);
    expect(res.body).toContain('<th>Ý kiến của người quyết định</th>');
    expect(res.body).toContain('<td>30/11/2026</td><td>31/12/2026</td>');
    expect(res.body).toContain(
      '<td>Gia hạn: Chờ kinh phí</td><td data-part="decision-note">Đồng ý, không gia hạn thêm.</td>',
    );
    const en = await app.inject({ method: 'GET', url: '/plans/kh-12/report?lang=en' });
    expect(en.body).toContain('<th>Remark of the decider</th>');
    expect(en.body).toContain('<td data-part="decision-note">Đồng ý, không gia hạn thêm.</td>');
  } finally {
    tasks = [];
  }
  const none = await app.inject({ method: 'GET', url: '/plans/kh-12/report' });
  expect(none.body).toContain('<p data-part="changes" data-count="0">Trong kỳ báo cáo không có nhiệm vụ');
});
