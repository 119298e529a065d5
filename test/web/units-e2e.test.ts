/**
 * Administrative units on the board, end to end: the dev server, a real worker, the web app and headless Chromium,
 * over the real units data fetched at setup (`.cache/admin-units.json`). A task led by "UBND cấp xã" of one
 * province shows one row per commune of that province and none of another; a pre-reform plan naming a dissolved
 * district shows the task under the successors the data gives, not under the district. Expected figures are
 * computed here from the data file, not written in. Screenshots at 1,400 px and 390 px go to
 * test-artifacts/units/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import { importPlan } from '../../services/import-plan';
import { isoDay, launchChromium, poll, startWebRig, stopWebRig, vnDate, type WebRig } from '../helpers/web-rig';

jest.setTimeout(300_000);

const ARTIFACTS = path.join(__dirname, '../../test-artifacts/units');
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const RUN = `${process.pid}-${Date.now().toString(36)}`;

interface UnitsData {
  provinces: { code: string; name: string }[];
  communes: { code: string; name: string; province: string }[];
  legacy: { districts: { code: string; name: string; province: string; successors: string[] }[] };
}
const DATA = JSON.parse(fs.readFileSync(path.join(__dirname, '../../.cache/admin-units.json'), 'utf8')) as UnitsData;

/** "Tỉnh Lai Châu" → "Lai Châu". */
const bareName = (name: string): string => name.replace(/^(Tỉnh|Thành phố) /, '');
/** "Phường Vũ Ninh" → "UBND phường Vũ Ninh", as the board names a unit's committee. */
const committee = (name: string): string => `UBND ${name.charAt(0).toLocaleLowerCase('vi')}${name.slice(1)}`;
const communesOf = (province: string): UnitsData['communes'] => DATA.communes.filter((c) => c.province === province);

// The province with the fewest communes, so that the test starts as few workflows as it can.
const PROVINCE = [...DATA.provinces].sort((a, b) => communesOf(a.code).length - communesOf(b.code).length)[0]!;
const PROVINCE_COMMUNES = communesOf(PROVINCE.code);
const OTHER_COMMUNE = DATA.communes.find((c) => c.province !== PROVINCE.code)!;
// A district of that province (before 1 July 2025) whose successors all lie in it and whose name is its own.
const DISTRICT = DATA.legacy.districts.find(
  (d) =>
    d.province === PROVINCE.code &&
    d.name.startsWith('Huyện ') &&
    d.successors.length >= 2 &&
    d.successors.every((s) => PROVINCE_COMMUNES.some((c) => c.code === s)) &&
    DATA.legacy.districts.filter((o) => o.name === d.name).length === 1,
)!;
const SUCCESSORS = DISTRICT.successors.map((code) => DATA.communes.find((c) => c.code === code)!);

function directoryYaml(extra: string): string {
  return `agencies:
  - { id: ubnd-tinh-${RUN}, name: UBND tỉnh thử, level: province, contacts: { head: { email: ubnd-${RUN}@example.gov.vn } } }
  - { id: so-tu-phap-${RUN}, name: Sở Tư pháp thử, level: department, contacts: { focal: { email: stp-${RUN}@example.gov.vn } } }
${extra}`;
}

function planYaml(planId: string, title: string, period: { start: string; end: string }, task: string): string {
  return `id: ${planId}
number: 99/KH-THU
title: ${title}
issuer: ubnd-tinh-${RUN}
issued: ${period.start}
period: { start: ${period.start}, end: ${period.end} }
directory: ./directory.yaml
monitoringAgency: so-tu-phap-${RUN}
escalationAuthority: ubnd-tinh-${RUN}
tasks:
${task}`;
}

describe('administrative units on the board (dev server, Chromium, real units data)', () => {
  let rig: WebRig | undefined;
  let env: TestWorkflowEnvironment;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let taskQueue: string;

  beforeAll(async () => {
    expect(PROVINCE_COMMUNES.length).toBeGreaterThan(0);
    expect(DISTRICT).toBeDefined();
    rig = await startWebRig({ name: 'units-e2e' });
    ({ env, dataDir, taskQueue, base } = rig);
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stopWebRig(rig);
  });

  /** Writes the plan and its directory into their own folder under the data folder and imports it. */
  async function importFiles(name: string, directory: string, plan: string, confirmSuccessors = false): Promise<void> {
    const dir = path.join(dataDir, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'directory.yaml'), directory);
    fs.writeFileSync(path.join(dir, 'plan.yaml'), plan);
    await importPlan(path.join(dir, 'plan.yaml'), {
      client: env.client,
      taskQueue,
      dataDir,
      reminderHour: 8,
      ...(confirmSuccessors ? { confirmSuccessors: true } : {}),
    });
  }

  /** Opens the board, reloading until it lists `n` task rows (visibility is eventually consistent). */
  async function openBoard(planId: string, n: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await poll(
      `the board of ${planId} to list ${n} tasks`,
      async () => {
        await page.goto(`${base}/plans/${planId}`);
        return (await page.locator('table.tasks tbody tr').count()) === n ? true : undefined;
      },
      120_000,
    );
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1400.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-390.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
  }

  it("a task led by a province's communes shows one instance per commune of that province and none of another", async () => {
    const planId = `units-e2e-group-${Date.now().toString(36)}-${process.pid}`;
    const today = Date.now();
    const due = isoDay(today + 30 * 86_400_000);
    await importFiles(
      'group',
      directoryYaml(`groups:
  - id: ubnd-cap-xa-${RUN}
    name: UBND cấp xã
    units: { province: "${bareName(PROVINCE.name)}", level: commune }
`),
      planYaml(
        planId,
        'Kế hoạch thử giao việc cho cấp xã',
        { start: isoDay(today - 10 * 86_400_000), end: isoDay(today + 90 * 86_400_000) },
        `  - ref: "1"
    title: Rà soát tủ sách pháp luật ở cơ sở
    lead: ubnd-cap-xa-${RUN}
    timing: { text: "Hoàn thành trước ngày ${vnDate(due)}", due: ${due} }
    signOff: none
`,
      ),
    );
    const page = await openBoard(planId, PROVINCE_COMMUNES.length);

    expect((await page.textContent('td[data-count="total"]'))?.trim()).toBe(String(PROVINCE_COMMUNES.length));
    const ids = await page
      .locator('table.tasks tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('data-workflow-id')),
      );
    expect(ids.sort()).toEqual(PROVINCE_COMMUNES.map((c) => `dondoc:${planId}:1:ubnd-xa-${c.code}`).sort());
    const leads = await page.locator('table.tasks tbody tr td:nth-child(3)').allTextContents();
    expect(leads.map((l) => l.trim()).sort()).toEqual(PROVINCE_COMMUNES.map((c) => committee(c.name)).sort());
    // A commune of another province is nowhere on the board: not a row, not in the counts by agency.
    expect(await page.locator(`[data-workflow-id$=":ubnd-xa-${OTHER_COMMUNE.code}"]`).count()).toBe(0);
    expect(await page.locator(`tr[data-agency="ubnd-xa-${OTHER_COMMUNE.code}"]`).count()).toBe(0);
    expect(await page.locator('tbody tr[data-agency]').count()).toBe(PROVINCE_COMMUNES.length);
    await shoot(page, 'board-province-communes');
  });

  it('a pre-reform plan naming a dissolved district shows the task under the successors the data gives', async () => {
    const planId = `units-e2e-successors-${Date.now().toString(36)}-${process.pid}`;
    const districtId = `ubnd-huyen-${RUN}`;
    await importFiles(
      'successors',
      directoryYaml(`  - id: ${districtId}
    name: ${committee(DISTRICT.name)}
    level: district
    unit: { name: "${DISTRICT.name}", province: "${bareName(PROVINCE.name)}", confirmed: true }
`),
      planYaml(
        planId,
        'Kế hoạch thử trước sắp xếp đơn vị hành chính',
        { start: '2024-01-01', end: '2024-12-31' },
        `  - ref: "1"
    title: Kiện toàn tổ hòa giải ở cơ sở
    lead: ${districtId}
    timing: { text: "Trong năm 2024", due: 2024-11-30 }
    signOff: none
`,
      ),
    );
    const page = await openBoard(planId, SUCCESSORS.length);

    const ids = await page
      .locator('table.tasks tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('data-workflow-id')),
      );
    expect(ids.sort()).toEqual(SUCCESSORS.map((c) => `dondoc:${planId}:1:ubnd-xa-${c.code}`).sort());
    const leads = await page.locator('table.tasks tbody tr td:nth-child(3)').allTextContents();
    expect(leads.map((l) => l.trim()).sort()).toEqual(SUCCESSORS.map((c) => committee(c.name)).sort());
    // The dissolved district leads nothing: no row, no line in the counts by agency.
    expect(leads.map((l) => l.trim())).not.toContain(committee(DISTRICT.name));
    expect((await page.textContent('table.tasks')) ?? '').not.toContain(committee(DISTRICT.name));
    expect(await page.locator(`tr[data-agency="${districtId}"]`).count()).toBe(0);
    await shoot(page, 'board-district-successors');
  });
});
