/**
 * The board's home page and its date fields in headless Chromium, without Temporal: plans as the plans'
 * workflows give them, task counts as visibility answers the count queries. Two plans with the same number are
 * told apart by issuer and date; a plan without a number does not show its id; overdue comes first; date filters
 * show and take dd/mm/yyyy in a browser whose locale would write mm/dd/yyyy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../config';
import type { ReportingStatus } from '../../domain/types';
import type { DirectoryFile, PlanFile } from '../../plans/schema';
import type { PlanReader, PlanRecord } from '../../services/plan-store';
import { buildWebApp } from '../../web/app';
import { HOME_STATUS_ORDER } from '../../web/home-page';
import { launchChromium, listenOnLoopback } from '../helpers/web-rig';

jest.setTimeout(120_000);

const SECRET = 'home-test-secret-home-test-secret-0123456';
const ARTIFACTS = path.join(__dirname, '../../test-artifacts/home');

const directory = {
  agencies: [
    { id: 'ubnd-tinh-song-lam', name: 'UBND tỉnh Sông Lam', level: 'province' },
    { id: 'ubnd-tinh-dong-bac', name: 'UBND tỉnh Đông Bắc', level: 'province' },
    { id: 'so-tu-phap', name: 'Sở Tư pháp tỉnh Sông Lam', level: 'department' },
  ],
  groups: [],
} as unknown as DirectoryFile;

const record = (id: string, number: string, title: string, issuer: string, issued: string): PlanRecord => ({
  plan: { id, number, title, issuer, issued } as unknown as PlanFile,
  directory,
  version: 1,
  importedAt: '2026-11-01T00:00:00Z',
});

const RECORDS = [
  record('kh-12-song-lam', '12/KH-UBND', 'Kế hoạch chuyển đổi số hợp tác xã', 'ubnd-tinh-song-lam', '2026-01-05'),
  record('kh-12-dong-bac', '12/KH-UBND', 'Kế hoạch phổ biến pháp luật', 'ubnd-tinh-dong-bac', '2025-02-10'),
  record('ke-hoach-khong-so', '', 'Kế hoạch tập huấn hòa giải viên', 'so-tu-phap', '2026-03-01'),
];

/** Tasks per plan and status, as visibility would count them. */
const COUNTS: Record<string, Partial<Record<ReportingStatus, number>>> = {
  'kh-12-song-lam': { in_progress_within_deadline: 4, done_on_time: 2 },
  'kh-12-dong-bac': { in_progress_overdue: 3, done_late: 1, not_started: 2 },
  'ke-hoach-khong-so': { due_soon: 1 },
};

const queries: string[] = [];
const fakeClient = {
  workflow: {
    count: (query: string) => {
      queries.push(query);
      const plan = /DondocPlan = '([^']+)'/.exec(query)?.[1] ?? '';
      const status = /DondocStatus = '([^']+)'/.exec(query)?.[1] as ReportingStatus;
      return Promise.resolve({ count: COUNTS[plan]?.[status] ?? 0, groups: [] });
    },
    // The plan's board lists no task here; the query it asks is what the date filter test reads.
    list: ({ query }: { query: string }) => {
      queries.push(query);
      return (async function* () {})();
    },
  },
} as unknown as Client;

const plans: PlanReader = {
  list: () => Promise.resolve(RECORDS.map((r) => ({ id: r.plan.id, number: r.plan.number, title: r.plan.title }))),
  get: (id) => Promise.resolve(RECORDS.find((r) => r.plan.id === id)),
  agencyName: () => Promise.resolve(undefined),
  resolve: () => undefined,
};

let app: FastifyInstance;
let browser: Browser;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-home-'));
  app = await buildWebApp({
    client: fakeClient,
    config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
    linkSecret: SECRET,
    dataDir,
    outboxDir: undefined,
    plans,
  });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('board home page', () => {
  it('tells plans with the same number apart, shows no bare id, counts by status with overdue first', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/`);
    const rows = page.locator('table.home tbody tr');
    expect(await rows.count()).toBe(3);
    // The plan with overdue tasks first.
    expect(await rows.first().getAttribute('data-plan-id')).toBe('kh-12-dong-bac');
    const texts = await rows.allInnerTexts();
    const sameNumber = texts.filter((t) => t.includes('12/KH-UBND'));
    expect(sameNumber).toHaveLength(2);
    expect(sameNumber[0]).toContain('UBND tỉnh Đông Bắc');
    expect(sameNumber[0]).toContain('10/02/2025');
    expect(sameNumber[1]).toContain('UBND tỉnh Sông Lam');
    expect(sameNumber[1]).toContain('05/01/2026');
    const unnumbered = page.locator('tr[data-plan-id="ke-hoach-khong-so"]');
    expect(await unnumbered.innerText()).toContain('(không số)');
    expect(await unnumbered.innerText()).not.toContain('ke-hoach-khong-so');
    // Column order: overdue first, then the rest, then the total.
    const badges = await page.locator('table.home thead th .badge').all();
    const headers = await Promise.all(badges.map((b) => b.getAttribute('data-status')));
    expect(headers).toEqual([...HOME_STATUS_ORDER]);
    const dongBac = page.locator('tr[data-plan-id="kh-12-dong-bac"]');
    expect(await dongBac.locator('[data-count="in_progress_overdue"]').innerText()).toBe('3');
    expect(await dongBac.locator('[data-count="total"]').innerText()).toBe('6');
    expect(await page.locator('tr[data-plan-id="kh-12-song-lam"] [data-count="total"]').innerText()).toBe('6');
    // The counts are asked per plan and status, never by listing tasks.
    expect(
      queries.some(
        (q) => q.includes("DondocPlan = 'kh-12-dong-bac'") && q.includes("DondocStatus = 'in_progress_overdue'"),
      ),
    ).toBe(true);
    expect(await page.locator('a[data-intake-link]').getAttribute('href')).toBe('/intake');
    await page.screenshot({ path: path.join(ARTIFACTS, 'home-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'home-phone.png'), fullPage: true });
    await page.goto(`${base}/?lang=en`);
    expect(await page.locator('tr[data-plan-id="ke-hoach-khong-so"]').innerText()).toContain('(no number)');
    await page.goto(`${base}/?lang=vi`);
    await page.close();
  });

  it('the plan board date filters show and take dd/mm/yyyy in an en-US browser', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/plans/kh-12-song-lam?dueFrom=2026-03-05`);
    const from = page.locator('#dueFrom');
    expect(await from.getAttribute('type')).toBe('text');
    expect(await from.inputValue()).toBe('05/03/2026');
    expect(await from.getAttribute('placeholder')).toBe('dd/mm/yyyy');
    await page.fill('#dueTo', '31/12/2026');
    queries.length = 0;
    await Promise.all([page.waitForURL(/dueTo=/), page.click('form.filters button[type=submit]')]);
    expect(page.url()).toContain('dueTo=31%2F12%2F2026');
    expect(await page.locator('#dueTo').inputValue()).toBe('31/12/2026');
    // The server read the day: the list asks for due dates up to the end of 31/12/2026 in Vietnam's time.
    expect(queries.some((q) => q.includes(`DondocDue < '2026-12-31T17:00:00.000Z'`))).toBe(true);
    expect(queries.some((q) => q.includes(`DondocDue >= '2026-03-04T17:00:00.000Z'`))).toBe(true);
    // A shape the browser accepts but no real day: refused by the server with the format named.
    const bad = await page.goto(`${base}/plans/kh-12-song-lam?dueFrom=31%2F02%2F2026`);
    expect(bad?.status()).toBe(400);
    expect(await page.textContent('main')).toContain('dd/mm/yyyy');
    await page.screenshot({ path: path.join(ARTIFACTS, 'filter-refused.png') });
    await context.close();
  });
});

describe('a plan whose workflow does not answer', () => {
  it('is listed from its memo without holding the page', async () => {
    const hanging: PlanReader = {
      list: () => Promise.resolve([{ id: 'kh-khong-tra-loi', number: '9/KH-UBND', title: 'Kế hoạch không trả lời' }]),
      get: () => new Promise(() => undefined),
      agencyName: () => Promise.resolve(undefined),
      resolve: () => undefined,
    };
    const client = {
      workflow: {
        count: () => Promise.resolve({ count: 1, groups: [] }),
        list: ({ query }: { query: string }) =>
          (async function* () {
            if (query.includes('planWorkflow'))
              yield { workflowId: 'dondoc-plan:kh-khong-tra-loi', memo: { issuerName: 'UBND tỉnh Sông Lam' } };
          })(),
      },
    } as unknown as Client;
    const other = await buildWebApp({
      client,
      config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
      linkSecret: SECRET,
      dataDir,
      outboxDir: undefined,
      plans: hanging,
    });
    try {
      const otherBase = await listenOnLoopback(other);
      const started = Date.now();
      const res = await fetch(`${otherBase}/`);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('UBND tỉnh Sông Lam');
      expect(body).toContain('data-count="total">7</td>');
    } finally {
      await other.close();
    }
  });
});
