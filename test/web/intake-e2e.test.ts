/**
 * Plan intake from upload to board in headless Chromium, on the shared dev server with a worker: the officer
 * uploads a .docx the test builds (a made-up plan) with its directory, sees the draft with the reader's matches
 * and marks, has an import refused (the error beside the row, nothing started in Temporal), fixes the row,
 * imports, and sees the tasks on the plan's board. Screenshots at desktop and phone width.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { launchChromium, poll, startWebRig, stopWebRig, type WebRig } from '../helpers/web-rig';
import { intakeDirectoryYaml, intakePlanDocx } from './intake-fixtures';

jest.setTimeout(240_000);

const ARTIFACTS = path.join(__dirname, '../../test-artifacts/intake');
// Agency ids unique to this run: digests on the shared dev server are per agency and day.
const RUN = `-${process.pid}-${Date.now().toString(36)}`;
const YEAR = new Date().getUTCFullYear() + 1;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

describe('plan intake in the browser, from upload to board (dev server, Chromium)', () => {
  let rig: WebRig | undefined;
  let env: TestWorkflowEnvironment;
  let browser: Browser;
  let base: string;
  const planId = `kh-41-intake${RUN}`;

  const planWorkflows = async (): Promise<string[]> => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `${SEARCH_ATTRIBUTES.plan} = '${planId}'` }))
      ids.push(wf.workflowId);
    return ids;
  };

  beforeAll(async () => {
    rig = await startWebRig({ name: 'intake-e2e', outboxDir: (_config, dir) => path.join(dir, 'outbox') });
    ({ env, base } = rig);
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stopWebRig(rig);
  });

  it('uploads a .docx, refuses an import with the error beside the row, then imports the fixed draft onto the board', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${base}/`);
    await page.click('a[data-intake-link]');
    await page.waitForURL(/\/intake$/);
    await page.setInputFiles('#document', {
      name: 'ke-hoach-41.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: await intakePlanDocx(YEAR),
    });
    await page.selectOption('#dir', 'upload');
    await page.setInputFiles('#directoryFile', {
      name: 'danh-muc.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(intakeDirectoryYaml(RUN)),
    });
    await shoot(page, '1-upload');
    await Promise.all([page.waitForSelector('table.draft'), page.click('form[action="/intake/upload"] button')]);

    // The draft: three rows, each lead chosen from the directory with the name as written beside it.
    expect(await page.locator('table.draft tbody tr').count()).toBe(3);
    expect(await page.inputValue('[name="r0.l0"]')).toBe(`so-khcn${RUN}`);
    expect(await page.textContent('tr[data-row="1"] td.lead')).toContain('Theo văn bản: “Sở KH&CN”');
    expect(await page.inputValue('[name="p.monitoring"]')).toBe(`so-tu-phap${RUN}`);
    expect(await page.textContent('tr[data-row="1"] td.timing')).toContain(`Hạn: 31/12/${YEAR}`);
    // The reader's mark on row 3 ("Hằng năm" has no day) is highlighted.
    expect(await page.getAttribute('tr[data-row="3"]', 'class')).toContain('needs-review');
    expect(await page.locator('tr[data-row="3"] td.timing.mark').count()).toBe(1);
    expect(await page.textContent('tr[data-row="3"] [data-mark-field="timing"]')).toMatch(/dòng \d+: .*Hằng năm/);
    await shoot(page, '2-draft');

    // A timing edited and read again on the server.
    await page.fill('[name="r0.timing"]', `trước ngày 15/10/${YEAR}`);
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="refresh"] >> nth=0')]);
    await page.waitForSelector(`tr[data-row="1"] [data-due="${YEAR}-10-15"]`);
    expect(await page.textContent('tr[data-row="1"] td.timing')).toContain(`Hạn: 15/10/${YEAR}`);

    // Import before fixing row 3: refused, the error beside the row, nothing started.
    await page.fill('#p-id', planId);
    for (const box of await page
      .locator('tr[data-row="1"] input[type=checkbox], tr[data-row="2"] input[type=checkbox]')
      .all())
      await box.check();
    await Promise.all([page.waitForSelector('#problems'), page.click('#import')]);
    const refusal = page.locator('tr[data-row="3"] td.timing .problem');
    expect(await refusal.count()).toBeGreaterThan(0);
    expect(await refusal.first().textContent()).toMatch(/Hằng năm/);
    // The unresolved mark is refused beside the mark itself, as `dondoc import` refuses it.
    expect(await page.locator('tr[data-row="3"] td.review .problem').count()).toBe(1);
    expect(await page.locator('tr[data-row="1"] .problem, tr[data-row="2"] .problem').count()).toBe(0);
    expect(await page.textContent('#problems')).toContain('chưa nhập gì');
    expect(await page.textContent('#problems')).toContain('Dòng 3');
    // The officer's edits survived the refusal.
    expect(await page.inputValue('[name="r0.timing"]')).toBe(`trước ngày 15/10/${YEAR}`);
    await shoot(page, '3-refused');
    expect(await planWorkflows()).toEqual([]);
    await expect(env.client.workflow.getHandle(planWorkflowId(planId)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    // Fix row 3: a due date, the mark checked. Import: the plan's board.
    await page.fill('#r2-due', `30/11/${YEAR}`);
    for (const box of await page.locator('tr[data-row="3"] input[type=checkbox]').all()) await box.check();
    await Promise.all([page.waitForURL(new RegExp(`/plans/${planId}$`), { timeout: 60_000 }), page.click('#import')]);
    const rows = await poll(
      'the board to list the three tasks',
      async () => {
        await page.goto(`${base}/plans/${planId}`);
        const n = await page.locator('table.tasks tbody tr').count();
        return n === 3 ? n : undefined;
      },
      30_000,
    );
    expect(rows).toBe(3);
    const board = (await page.textContent('table.tasks')) ?? '';
    for (const text of [
      'Xây dựng bộ chỉ số đo mức độ ứng dụng công nghệ số của hợp tác xã',
      'Sở Khoa học và Công nghệ tỉnh Sông Lam',
      'Sở Tài chính tỉnh Sông Lam',
    ])
      expect(board).toContain(text);
    await poll(
      'the due dates on the board',
      async () => {
        await page.goto(`${base}/plans/${planId}`);
        const t = (await page.textContent('table.tasks')) ?? '';
        return t.includes(`15/10/${YEAR}`) && t.includes(`30/11/${YEAR}`) ? true : undefined;
      },
      30_000,
    );
    expect(await page.textContent('h1')).toContain('41/KH-UBND');
    await shoot(page, '4-board');
    expect((await planWorkflows()).sort()).toEqual(
      [
        planWorkflowId(planId),
        `dondoc:${planId}:1:so-khcn${RUN}`,
        `dondoc:${planId}:2:so-cong-thuong${RUN}`,
        `dondoc:${planId}:3:so-tai-chinh${RUN}`,
      ].sort(),
    );

    // The home page lists the plan with its number and issuer.
    await page.goto(`${base}/`);
    expect(await page.textContent(`tr[data-plan-id="${planId}"]`)).toContain('Ủy ban nhân dân tỉnh Sông Lam');
    // Its tasks counted by Temporal visibility: three, none overdue.
    await poll(
      'the home page counts',
      async () => {
        await page.goto(`${base}/`);
        const total = await page.textContent(`tr[data-plan-id="${planId}"] [data-count="total"]`);
        return total === '3' ? true : undefined;
      },
      20_000,
    );
    expect(await page.textContent(`tr[data-plan-id="${planId}"] [data-count="in_progress_overdue"]`)).toBe('0');
    await page.close();
  });
});
