import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FixtureTask {
  ref: string;
  title: string;
  lead: string;
  coordinators?: string[];
  timing: string | { text: string; due?: string; dues?: string[] };
  signOff?: 'all' | 'none' | string[];
}

/**
 * Writes a small plan and its directory (placeholder addresses on example.gov.vn) into a fresh temp folder and
 * returns the plan file's path. Dates are the caller's, so tests can place them relative to the server's clock.
 */
export function writePlanFixture(opts: {
  id: string;
  periodStart: string;
  periodEnd: string;
  tasks: FixtureTask[];
  reportingDue?: string;
  /** The agency the reporting duty goes to (default the monitoring agency); only with `reportingDue`. */
  reportingTo?: string;
  agencies?: { id: string; name: string; focal?: string }[];
  dir?: string;
}): { planPath: string; dir: string } {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-plan-'));
  const agencies = opts.agencies ?? [
    { id: 'so-tu-phap', name: 'Sở Tư pháp', focal: 'pbgdpl@stp.example.gov.vn' },
    { id: 'mttq-tinh', name: 'Ủy ban MTTQ Việt Nam tỉnh', focal: 'vanphong@mttq.example.gov.vn' },
    { id: 'so-noi-vu', name: 'Sở Nội vụ', focal: 'vanphong@snv.example.gov.vn' },
    { id: 'van-phong-ubnd', name: 'Văn phòng UBND tỉnh', focal: 'theodoi@vpubnd.example.gov.vn' },
    { id: 'ubnd-tinh', name: 'Ủy ban nhân dân tỉnh', focal: 'lanhdao@ubnd.example.gov.vn' },
  ];
  const directory = [
    'agencies:',
    ...agencies.flatMap((a) => [
      `  - id: ${a.id}`,
      `    name: "${a.name}"`,
      '    level: department',
      `    contacts: { focal: { email: "${a.focal ?? `${a.id}@example.gov.vn`}" }, head: { email: "giamdoc.${a.id}@example.gov.vn" }, office: { email: "vanthu.${a.id}@example.gov.vn" } }`,
    ]),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'directory.yaml'), `${directory}\n`);
  const timing = (t: FixtureTask['timing']): string =>
    typeof t === 'string'
      ? JSON.stringify(t)
      : `{ text: ${JSON.stringify(t.text)}${t.due ? `, due: ${t.due}` : ''}${t.dues ? `, dues: [${t.dues.join(', ')}]` : ''} }`;
  const plan = [
    `id: ${opts.id}`,
    'number: 99/KH-UBND',
    'title: "Kế hoạch thử nghiệm nâng cao năng lực hòa giải viên"',
    'issuer: ubnd-tinh',
    `issued: ${opts.periodStart}`,
    `period: { start: ${opts.periodStart}, end: ${opts.periodEnd} }`,
    'directory: ./directory.yaml',
    'monitoringAgency: van-phong-ubnd',
    'escalationAuthority: ubnd-tinh',
    ...(opts.reportingDue
      ? [
          'reportingDuties:',
          `  - { id: yearly, every: yearly, due: "${opts.reportingDue}", to: ${opts.reportingTo ?? 'van-phong-ubnd'} }`,
        ]
      : []),
    'tasks:',
    ...opts.tasks.flatMap((t) => [
      `  - ref: "${t.ref}"`,
      `    title: ${JSON.stringify(t.title)}`,
      `    lead: ${t.lead}`,
      `    coordinators: [${(t.coordinators ?? []).join(', ')}]`,
      `    timing: ${timing(t.timing)}`,
      `    signOff: ${Array.isArray(t.signOff) ? `[${t.signOff.join(', ')}]` : (t.signOff ?? 'all')}`,
    ]),
  ].join('\n');
  const planPath = path.join(dir, 'plan.yaml');
  fs.writeFileSync(planPath, `${plan}\n`);
  return { planPath, dir };
}
