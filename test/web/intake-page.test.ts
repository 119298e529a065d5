/**
 * Plan intake on the board without Temporal (fastify inject): the upload (multipart, size limit, CSRF), the
 * draft table with the reader's matches, timings and marks, server-side edits, the YAML download that the loader
 * accepts, and an import refused with every error against its row, before anything reaches Temporal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { loadConfig } from '../../config';
import { formatDate } from '../../domain/format';
import { loadDirectoryFile, loadPlanFile } from '../../plans/load';
import type { PlanReader } from '../../services/plan-store';
import { buildWebApp } from '../../web/app';
import { parseDayInput, showDay } from '../../web/date-input';
import { columnOf, renderDraftPage, type IntakeForm } from '../../web/intake-page';
import { intakeDirectoryYaml, intakePlanDocx } from './intake-fixtures';
import { recordingClient } from '../helpers/recording-client';

jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const SECRET = 'intake-test-secret-intake-test-secret-0123';
const YEAR = 2027;

const NO_PLANS: PlanReader = {
  list: () => Promise.resolve([]),
  get: () => Promise.resolve(undefined),
  agencyName: () => Promise.resolve(undefined),
  resolve: () => undefined,
};

let app: FastifyInstance;
let uses: string[];
let dataDir: string;
let cookie: string;
let csrf: string;

/** A multipart body as a browser sends it. */
async function multipart(
  fields: Record<string, string>,
  files: Record<string, { name: string; bytes: Buffer; type: string }>,
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [k, f] of Object.entries(files)) fd.append(k, new Blob([f.bytes], { type: f.type }), f.name);
  const req = new Request('http://localhost/', { method: 'POST', body: fd });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  };
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function upload(extra: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const body = await multipart(
    { csrf, dir: 'upload', ...extra },
    {
      document: { name: 'ke-hoach-41.docx', bytes: await intakePlanDocx(YEAR), type: DOCX },
      directoryFile: { name: 'danh-muc.yaml', bytes: Buffer.from(intakeDirectoryYaml()), type: 'application/yaml' },
    },
  );
  const res = await app.inject({
    method: 'POST',
    url: '/intake/upload',
    payload: body.payload,
    headers: { ...body.headers, cookie: `dondoc_form=${cookie}` },
  });
  return { status: res.statusCode, body: res.body };
}

/** The fields of the draft form as the browser would post them (inputs, selected options, checked boxes). */
function formFields(page: string): Record<string, string> {
  const form = page.slice(page.indexOf('<form method="post" action="/intake/draft"'));
  const out: Record<string, string> = {};
  const decode = (s: string): string =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    const type = /type="([^"]*)"/.exec(attrs)?.[1];
    if (type === 'checkbox' && !/ checked/.test(attrs)) continue;
    out[decode(name)] = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[decode(m[1] ?? '')] = decode(m[2] ?? '');
  for (const m of form.matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2] ?? '');
    out[decode(m[1] ?? '')] = decode(selected?.[1] ?? '');
  }
  return out;
}

async function post(
  fields: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const res = await app.inject({
    method: 'POST',
    url: '/intake/draft',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dondoc_form=${cookie}` },
  });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-intake-web-'));
  const rc = recordingClient();
  uses = rc.uses;
  app = await buildWebApp({
    client: rc.client,
    config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
    linkSecret: SECRET,
    dataDir,
    outboxDir: undefined,
    plans: NO_PLANS,
  });
  const page = await app.inject({ method: 'GET', url: '/intake' });
  expect(page.statusCode).toBe(200);
  cookie = page.cookies.find((c) => c.name === 'dondoc_form')?.value ?? '';
  expect(cookie).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
});

afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('dates typed as dd/mm/yyyy', () => {
  it('reads back every day it writes, and refuses what is not a day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(parseDayInput(formatDate(iso))).toBe(iso);
        expect(parseDayInput(iso)).toBe(iso);
        expect(showDay(iso)).toBe(formatDate(iso));
      }),
    );
    expect(parseDayInput('5/3/2026')).toBe('2026-03-05');
    expect(parseDayInput('')).toBeNull();
    for (const bad of ['31/02/2026', '12/31/2026', '2026-13-01', 'mai']) expect(parseDayInput(bad)).toBeUndefined();
  });
});

describe('upload', () => {
  it('shows a multipart form with the CSRF token and the directory choices (examples and upload)', async () => {
    const page = await app.inject({ method: 'GET', url: '/intake', cookies: { dondoc_form: cookie } });
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('accept=".docx,.pdf,.txt');
    expect(page.body).toContain('value="example:vu-ninh-2026"');
    expect(page.body).toContain('value="upload"');
    expect(page.cookies.find((c) => c.name === 'dondoc_form')).toBeUndefined();
  });

  it('refuses an upload without the form cookie or with a wrong token (403)', async () => {
    const body = await multipart(
      { csrf: 'x', dir: 'example:vu-ninh-2026' },
      { document: { name: 'a.txt', bytes: Buffer.from('KẾ HOẠCH'), type: 'text/plain' } },
    );
    for (const c of [undefined, `dondoc_form=${cookie}`]) {
      const res = await app.inject({
        method: 'POST',
        url: '/intake/upload',
        payload: body.payload,
        headers: { ...body.headers, ...(c ? { cookie: c } : {}) },
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Biểu mẫu đã hết hiệu lực');
    }
  });

  it('refuses a forged upload before reading its file (403, not 413)', async () => {
    const big = await multipart(
      { csrf: 'forged', dir: 'example:vu-ninh-2026' },
      { document: { name: 'lon.pdf', bytes: Buffer.alloc(21 * 1024 * 1024, 0x20), type: 'application/pdf' } },
    );
    const res = await app.inject({
      method: 'POST',
      url: '/intake/upload',
      payload: big.payload,
      headers: { ...big.headers, cookie: `dondoc_form=${cookie}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a document over the size limit with a clear message (413)', async () => {
    const big = await multipart(
      { csrf, dir: 'example:vu-ninh-2026' },
      { document: { name: 'lon.pdf', bytes: Buffer.alloc(21 * 1024 * 1024, 0x20), type: 'application/pdf' } },
    );
    const res = await app.inject({
      method: 'POST',
      url: '/intake/upload',
      payload: big.payload,
      headers: { ...big.headers, cookie: `dondoc_form=${cookie}` },
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('Tệp quá lớn: tối đa 20 MB');
  });

  it('refuses a file that is not a plan document, naming it', async () => {
    const body = await multipart(
      { csrf, dir: 'example:vu-ninh-2026' },
      { document: { name: 'anh.png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]), type: 'image/png' } },
    );
    const res = await app.inject({
      method: 'POST',
      url: '/intake/upload',
      payload: body.payload,
      headers: { ...body.headers, cookie: `dondoc_form=${cookie}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('anh.png');
  });
});

describe('the draft table', () => {
  let page: string;
  beforeAll(async () => {
    const res = await upload();
    expect(res.status).toBe(200);
    page = res.body;
  });

  it('shows the header, each lead chosen from the directory with the text as written, and the timings with dates', () => {
    const f = formFields(page);
    expect(f['p.number']).toBe('41/KH-UBND');
    expect(f['p.issuer']).toBe('ubnd-tinh');
    expect(f['p.monitoring']).toBe('so-tu-phap');
    expect(f['p.issued']).toBe(`08/12/${YEAR - 1}`);
    const rows = Number(f['n']);
    expect(rows).toBe(3);
    expect([0, 1, 2].map((i) => f[`r${i}.l0`])).toEqual(['so-khcn', 'so-cong-thuong', 'so-tai-chinh']);
    expect(f['r0.lt0']).toBe('Sở KH&CN');
    expect(page).toContain('Theo văn bản: “Sở KH&amp;CN”');
    expect(page).toContain(`data-due="${YEAR}-12-31"`);
    expect(page).toContain(`Hạn: <strong data-due="${YEAR}-11-30">30/11/${YEAR}</strong>`);
  });

  it('highlights the reader’s review marks with field, line and why', () => {
    const row3 = page.slice(page.indexOf('<tr data-row="3"'), page.indexOf('</tr>', page.indexOf('<tr data-row="3"')));
    expect(row3).toContain('class="needs-review"');
    expect(row3).toMatch(/<td class="timing mark"/);
    expect(row3).toMatch(/data-mark-field="timing">timing · dòng \d+: [^<]*Hằng năm/);
  });

  it('reads a changed timing again on "Cập nhật", and adds and removes rows on the server', async () => {
    const f = formFields(page);
    const changed = await post({ ...f, 'r1.timing': `trước ngày 15/10/${YEAR}`, op: 'refresh' });
    expect(changed.status).toBe(200);
    expect(changed.body).toContain(`data-due="${YEAR}-10-15"`);
    expect(changed.body).not.toContain(`data-due="${YEAR}-11-30"`);
    const added = await post({ ...f, op: 'add' });
    expect(formFields(added.body)['n']).toBe('4');
    const removed = await post({ ...f, op: 'del:0' });
    const g = formFields(removed.body);
    expect(g['n']).toBe('2');
    expect(g['r0.l0']).toBe('so-cong-thuong');
  });

  it('refuses the import with every error beside its row, and nothing reaches Temporal', async () => {
    const res = await post({ ...formFields(page), 'p.monitoring': '', op: 'import' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('chưa nhập gì');
    // Row 3: "Hằng năm" needs a date; the plan: the monitoring agency is missing.
    const row3 = res.body.slice(
      res.body.indexOf('<tr data-row="3"'),
      res.body.indexOf('</tr>', res.body.indexOf('<tr data-row="3"')),
    );
    expect(row3).toMatch(/class="problem" role="alert" data-row="3" data-field="[^"]*timing/);
    expect(res.body).toMatch(/data-row="0" data-field="monitoringAgency"/);
    expect(res.body).not.toContain(os.tmpdir() + path.sep + 'dondoc-intake-');
    expect(uses).toEqual([]);
  });

  it('downloads the edited draft as a plan file that the loader accepts next to the directory', async () => {
    const f = formFields(page);
    const fields: Record<string, string> = { ...f, 'r2.due': `30/11/${YEAR}`, op: 'yaml' };
    for (const k of Object.keys(f)) if (/^r\d+\.m\d+\.f$/.test(k)) fields[k.replace(/\.f$/, '.ok')] = '1';
    const res = await post(fields);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="[a-z0-9-]+\.yaml"/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-intake-yaml-'));
    try {
      fs.writeFileSync(path.join(dir, 'plan.yaml'), res.body);
      fs.writeFileSync(path.join(dir, 'directory.yaml'), (await post({ ...fields, op: 'directory' })).body);
      const loaded = loadPlanFile(path.join(dir, 'plan.yaml'));
      expect(loaded.plan.tasks.map((t) => t.lead)).toEqual(['so-khcn', 'so-cong-thuong', 'so-tai-chinh']);
      expect(loaded.instances.find((i) => i.taskRef === '3')?.schedule.due).toBe(`${YEAR}-11-30`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('puts a loader field in its column', () => {
    expect(columnOf('tasks[2].timing.due')).toBe('timing');
    expect(columnOf('tasks[0].coordinators[1]')).toBe('coordinators');
    expect(columnOf('tasks[0].review[0]')).toBe('review');
    expect(columnOf('tasks[0].signOff')).toBe('coordinators');
    expect(columnOf('tasks[0].id')).toBe('title');
  });
});

describe('directories, sign-in, plan ids and the timing endpoint', () => {
  it('reads a document against a shipped example directory, and matches again when the officer changes directory', async () => {
    const text = Buffer.from(
      'ỦY BAN NHÂN DÂN TỈNH SÔNG LAM\nSố: 7/KH-UBND\nSông Lam, ngày 05 tháng 01 năm 2027\nKẾ HOẠCH\nThử danh mục mẫu năm 2027\nII. NHIỆM VỤ\n1. Tổ chức tập huấn cho hòa giải viên\n- Cơ quan chủ trì: Sở Tài chính\n- Thời gian thực hiện: Quý II/2027\n',
    );
    const body = await multipart(
      { csrf, dir: 'example:vu-ninh-2026' },
      { document: { name: 'thu.txt', bytes: text, type: 'text/plain' } },
    );
    const res = await app.inject({
      method: 'POST',
      url: '/intake/upload',
      payload: body.payload,
      headers: { ...body.headers, cookie: `dondoc_form=${cookie}` },
    });
    expect(res.statusCode).toBe(200);
    const f = formFields(res.body);
    expect(f['dir']).toBe('example:vu-ninh-2026');
    expect(f['r0.lt0']).toBe('Sở Tài chính');
    // Not in the ward's directory: no lead chosen, the name kept.
    expect(f['r0.l0']).toBe('');
    expect(res.body).toContain(`data-due="2027-06-30"`);
    // The uploaded directory instead: the same name is now matched.
    const again = await post({
      ...f,
      dir: 'upload',
      dirData: (await import('node:zlib')).gzipSync(Buffer.from(intakeDirectoryYaml())).toString('base64'),
      op: 'refresh',
    });
    expect(formFields(again.body)['r0.l0']).toBe('so-tai-chinh');
  });

  it('refuses an id that names an imported plan unless the officer asks to update it', async () => {
    const existing: PlanReader = {
      ...NO_PLANS,
      get: (id) =>
        Promise.resolve(
          id === 'kh-da-co'
            ? ({ plan: { id }, directory: { agencies: [], groups: [] }, version: 1, importedAt: '' } as never)
            : undefined,
        ),
    };
    const rc = recordingClient();
    const other = await buildWebApp({
      client: rc.client,
      config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
      linkSecret: SECRET,
      dataDir,
      outboxDir: undefined,
      plans: existing,
    });
    try {
      const draft = await upload();
      const res = await other.inject({
        method: 'POST',
        url: '/intake/draft',
        payload: new URLSearchParams({ ...formFields(draft.body), 'p.id': 'kh-da-co', op: 'import' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dondoc_form=${cookie}` },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('data-row="0" data-field="id">Đã có kế hoạch với mã &quot;kh-da-co&quot;');
      expect(res.body).toContain('name="p.replace"');
      expect(rc.uses).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('reads against the directory an imported plan holds, and hands it back as a file the loader accepts', async () => {
    const held = loadDirectoryFile(path.join(__dirname, '../../examples/vu-ninh-2026/directory.yaml'));
    const reader: PlanReader = {
      ...NO_PLANS,
      list: () => Promise.resolve([{ id: 'kh-phuong', number: '3/KH-UBND', title: 'Kế hoạch của phường' }]),
      get: (id) =>
        Promise.resolve(
          id === 'kh-phuong' ? ({ plan: { id }, directory: held, version: 1, importedAt: '' } as never) : undefined,
        ),
    };
    const rc = recordingClient();
    const other = await buildWebApp({
      client: rc.client,
      config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
      linkSecret: SECRET,
      dataDir,
      outboxDir: undefined,
      plans: reader,
    });
    try {
      const form = await other.inject({ method: 'GET', url: '/intake', cookies: { dondoc_form: cookie } });
      expect(form.body).toContain('value="plan:kh-phuong"');
      const body = await multipart(
        { csrf, dir: 'plan:kh-phuong' },
        { document: { name: 'ke-hoach-41.docx', bytes: await intakePlanDocx(YEAR), type: DOCX } },
      );
      const res = await other.inject({
        method: 'POST',
        url: '/intake/upload',
        payload: body.payload,
        headers: { ...body.headers, cookie: `dondoc_form=${cookie}` },
      });
      expect(res.statusCode).toBe(200);
      expect(formFields(res.body)['dir']).toBe('plan:kh-phuong');
      const file = await other.inject({
        method: 'POST',
        url: '/intake/draft',
        payload: new URLSearchParams({ ...formFields(res.body), op: 'directory' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dondoc_form=${cookie}` },
      });
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-intake-dir-'));
      try {
        fs.writeFileSync(path.join(tmp, 'directory.yaml'), file.body);
        expect(loadDirectoryFile(path.join(tmp, 'directory.yaml')).agencies.map((a) => a.id)).toEqual(
          held.agencies.map((a) => a.id),
        );
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      expect(rc.uses).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('keeps every intake route behind the board sign-in', async () => {
    const rc = recordingClient();
    const signed = await buildWebApp({
      client: rc.client,
      config: loadConfig({
        DONDOC_LINK_SECRET: SECRET,
        DONDOC_DATA_DIR: dataDir,
        DONDOC_BOARD_TOKEN: 'board-token-123456',
      }),
      linkSecret: SECRET,
      dataDir,
      outboxDir: undefined,
      plans: NO_PLANS,
    });
    try {
      for (const [method, url] of [
        ['GET', '/intake'],
        ['POST', '/intake/upload'],
        ['POST', '/intake/draft'],
      ] as const) {
        const res = await signed.inject({ method, url, cookies: { dondoc_form: cookie } });
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/login');
      }
      expect(
        (await signed.inject({ method: 'GET', url: '/api/intake/timing?text=Qu%C3%BD%20II%2F2027' })).statusCode,
      ).toBe(401);
    } finally {
      await signed.close();
    }
  });

  it('reads one timing as JSON with the plan dates given as dd/mm/yyyy', async () => {
    const q = new URLSearchParams({ text: 'trước ngày 20 hằng tháng', start: '01/01/2027', end: '31/03/2027' });
    const res = await app.inject({ method: 'GET', url: `/api/intake/timing?${q.toString()}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      timing: { recurrence: 'monthly', dues: ['2027-01-20', '2027-02-20', '2027-03-20'] },
    });
    const bad = await app.inject({ method: 'GET', url: '/api/intake/timing?text=x&start=31%2F02%2F2027' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ ok: false, reason: expect.stringContaining('start') });
  });
});

describe('a national directory', () => {
  it('offers the picks as text boxes with one shared list of suggestions instead of a select per pick', () => {
    const directory = {
      agencies: Array.from({ length: 3400 }, (_v, i) => ({ id: `xa-${i}`, name: `UBND xã Số ${i}` })),
      groups: [{ id: 'ubnd-cap-xa', name: 'UBND cấp xã', members: [] }],
    };
    const form: IntakeForm = {
      dir: 'upload',
      dirData: '',
      dirName: 'quoc-gia.yaml',
      fileName: 'kh.docx',
      plan: {
        id: 'kh',
        number: '',
        title: 'T',
        issuer: '',
        issued: '',
        start: '',
        end: '',
        monitoring: '',
        escalation: '',
        replace: false,
      },
      planMarks: [],
      rows: [
        {
          ref: '1',
          title: 'A',
          lead: [{ text: 'UBND xã Số 7', id: 'xa-7' }],
          coordinators: [],
          timing: 'Quý I/2027',
          due: '',
          deliverable: '',
          marks: [],
        },
        {
          ref: '2',
          title: 'B',
          lead: [{ text: 'UBND cấp xã', id: 'ubnd-cap-xa' }],
          coordinators: [],
          timing: '',
          due: '',
          deliverable: '',
          marks: [],
        },
      ],
    };
    const page = renderDraftPage(form, 'vi', { csrf: 'c', directory, choices: [] }).html;
    expect(page.match(/<datalist /g)).toHaveLength(1);
    expect(page.match(/<option /g)?.length).toBe(3401 + 1);
    expect(page).toContain('name="r0.l0" value="xa-7" list="directory-ids"');
    expect(page).toContain('name="r1.l0" value="ubnd-cap-xa" list="directory-ids"');
    expect(page.length).toBeLessThan(400_000);
    // The names the reader proposes stay visible beside the box.
    expect(page).toContain('Gợi ý theo tên trong văn bản: UBND xã Số 7 (xa-7)');

    // A directory small enough for selects, but a plan long enough that selects everywhere would weigh megabytes.
    const small = { agencies: directory.agencies.slice(0, 300), groups: [] };
    const long = { ...form, rows: Array.from({ length: 80 }, () => form.rows[0]!) };
    const longPage = renderDraftPage(long, 'vi', { csrf: 'c', directory: small, choices: [] }).html;
    expect(longPage).toContain('list="directory-ids"');
    expect(longPage.length).toBeLessThan(1_000_000);
  });
});
