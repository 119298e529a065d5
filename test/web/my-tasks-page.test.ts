/**
 * "Việc của tôi" at the HTML level, over a stand-in for Temporal visibility that answers the task list queries the
 * page makes (plan, agency, state) from a fixed set of task rows. What is checked is what the officer reads: the
 * signed-in line, and what the monitoring agency's "all tasks" section counts and lists.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config';
import type { PlanReader, PlanRecord } from '../../services/plan-store';
import { buildWebApp } from '../../web/app';
import { createSessionValue } from '../../web/session';
import { createMemorySessionStore } from '../../web/session-store';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';

jest.mock('cookie', () => ({
  stringifySetCookie: (c: { name: string; value: string }): string => `${c.name}=${encodeURIComponent(c.value)}`,
}));

const SECRET = 'my-tasks-test-secret-0123456789-abcdefgh';
const NOW = Date.parse('2026-11-20T03:00:00Z');
const PLAN = 'kh-thu';

const directory = {
  agencies: [
    { id: 'so-tu-phap', name: 'Sở Tư pháp', aliases: [], level: 'department', contacts: {} },
    { id: 'so-noi-vu', name: 'Sở Nội vụ', aliases: [], level: 'department', contacts: {} },
    { id: 'van-phong', name: 'Văn phòng UBND tỉnh', aliases: [], level: 'department', contacts: {} },
    { id: 'ubnd-tinh', name: 'UBND tỉnh', aliases: [], level: 'province', contacts: {} },
  ],
};

const record = {
  plan: {
    id: PLAN,
    number: '9/KH-UBND',
    title: 'Kế hoạch thử',
    monitoringAgency: 'van-phong',
    escalationAuthority: 'ubnd-tinh',
    tasks: [],
  },
  directory,
  version: 1,
  importedAt: '',
} as unknown as PlanRecord;

const PLANS: PlanReader = {
  list: () => Promise.resolve([{ id: PLAN, number: '9/KH-UBND', title: 'Kế hoạch thử' }]),
  get: (id) => Promise.resolve(id === PLAN ? record : undefined),
  agencyName: (id) => Promise.resolve(directory.agencies.find((a) => a.id === id)?.name),
  resolve: () => undefined,
};

interface Row {
  ref: string;
  lead: string;
  agencies: string[];
  state: string;
  status: string;
}

const ROWS: Row[] = [
  {
    ref: '1',
    lead: 'so-tu-phap',
    agencies: ['so-tu-phap'],
    state: 'in_progress',
    status: 'in_progress_within_deadline',
  },
  { ref: '2', lead: 'so-tu-phap', agencies: ['so-tu-phap', 'so-noi-vu'], state: 'scheduled', status: 'not_started' },
  { ref: '3', lead: 'so-noi-vu', agencies: ['so-noi-vu'], state: 'in_progress', status: 'in_progress_within_deadline' },
];

/** Answers `client.workflow.list` for the equality clauses of the page's queries; every other use fails. */
function visibilityClient(): Client {
  const execution = (r: Row) => {
    const attrs: Record<string, unknown> = {
      [SEARCH_ATTRIBUTES.plan]: PLAN,
      [SEARCH_ATTRIBUTES.task]: r.ref,
      [SEARCH_ATTRIBUTES.lead]: r.lead,
      [SEARCH_ATTRIBUTES.agencies]: r.agencies,
      [SEARCH_ATTRIBUTES.state]: r.state,
      [SEARCH_ATTRIBUTES.status]: r.status,
    };
    return {
      workflowId: `dondoc:${PLAN}:${r.ref}:${r.lead}`,
      typedSearchAttributes: { get: (k: { name: string }) => attrs[k.name] },
      memo: { taskRef: r.ref, title: `Nhiệm vụ ${r.ref}`, leadName: r.lead },
      status: { name: 'RUNNING' },
    };
  };
  const matches = (r: Row, query: string): boolean =>
    [...query.matchAll(/(\w+) = '([^']*)'/g)].every(([, key, value]) => {
      if (key === 'WorkflowType') return value === 'taskWorkflow';
      if (key === SEARCH_ATTRIBUTES.plan) return value === PLAN;
      if (key === SEARCH_ATTRIBUTES.agencies) return r.agencies.includes(value!);
      if (key === SEARCH_ATTRIBUTES.state) return r.state === value;
      if (key === SEARCH_ATTRIBUTES.status) return r.status === value;
      throw new Error(`unexpected query clause ${key}`);
    });
  return {
    workflow: {
      list: ({ query }: { query: string }) => ({
        async *[Symbol.asyncIterator]() {
          for (const r of ROWS.filter((x) => matches(x, query))) yield execution(r);
        },
      }),
      getHandle: () => {
        throw new Error('no task snapshot in this test');
      },
    },
  } as unknown as Client;
}

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

async function app(): Promise<FastifyInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-my-'));
  tmp.push(dataDir);
  return buildWebApp({
    client: visibilityClient(),
    config: loadConfig({ DONDOC_LINK_SECRET: SECRET, DONDOC_DATA_DIR: dataDir }),
    linkSecret: SECRET,
    dataDir,
    outboxDir: path.join(dataDir, 'outbox'),
    now: () => NOW,
    plans: PLANS,
    sessions: createMemorySessionStore(() => NOW),
    log: () => undefined,
  });
}

async function myPage(agencyId: string, lang = ''): Promise<string> {
  const a = await app();
  const cookie = createSessionValue(SECRET, {
    subject: { kind: 'agency', agencyId },
    epoch: 0,
    allEpoch: 0,
    exp: NOW / 1000 + 3600,
  });
  const res = await a.inject({ method: 'GET', url: `/my${lang}`, cookies: { dondoc_session: cookie } });
  await a.close();
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** The workflow ids listed in a section of the page. */
function listed(body: string, section: string): string[] {
  const start = body.indexOf(`data-section="${section}"`);
  const rest = body.slice(start);
  const end = rest.search(/<h2>|<\/main>/);
  return [...rest.slice(0, end < 0 ? undefined : end).matchAll(/class="item" data-workflow-id="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
}

describe('"Việc của tôi": the signed-in line', () => {
  it('has no separator left hanging after the agency name, and no form inside a paragraph', async () => {
    const body = await myPage('so-tu-phap');
    expect(body).toMatch(/Đăng nhập với tư cách: <strong data-agency="so-tu-phap">Sở Tư pháp<\/strong><\/p>/);
    // A <form> inside a <p> ends the paragraph in every browser, leaving what came before it dangling.
    expect(body).not.toMatch(/<p\b[^>]*>(?:(?!<\/p>)[\s\S])*<form/);
    expect(body).not.toMatch(/<\/strong>\s*·\s*(<\/p>|<form)/);
    // Sign-out is still offered, once, in the header.
    expect(body.match(/action="\/logout"/g)).toHaveLength(1);
  });
});

describe('"Việc của tôi": the monitoring agency sees the tasks of the plans it monitors', () => {
  it('lists and counts every task of the monitored plan, under a title that says so', async () => {
    const body = await myPage('van-phong');
    expect(body).toContain('Tất cả nhiệm vụ của tôi và của các kế hoạch tôi theo dõi (3)');
    expect(listed(body, 'all')).toEqual([
      `dondoc:${PLAN}:1:so-tu-phap`,
      `dondoc:${PLAN}:2:so-tu-phap`,
      `dondoc:${PLAN}:3:so-noi-vu`,
    ]);
    const en = await myPage('van-phong', '?lang=en');
    expect(en).toContain('All my tasks and the tasks of the plans I monitor (3)');
  });

  it('a lead still sees only its own tasks, under the plain title', async () => {
    const body = await myPage('so-noi-vu');
    expect(body).toContain('Tất cả nhiệm vụ của tôi (2)');
    expect(listed(body, 'all')).toEqual([`dondoc:${PLAN}:2:so-tu-phap`, `dondoc:${PLAN}:3:so-noi-vu`]);
  });
});
