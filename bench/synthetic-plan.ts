import fs from 'node:fs';
import path from 'node:path';

/** Agency ids of the synthetic plan (so the benchmark can act as them). */
export const SYNTHETIC = {
  monitoring: 'bench-so-tu-phap',
  authority: 'bench-ubnd-tinh',
  coordinator: 'bench-mttq-tinh',
  group: 'bench-ubnd-cap-xa',
  commune: (i: number): string => `bench-xa-${String(i).padStart(5, '0')}`,
} as const;

/**
 * Writes a plan and its directory fanning out to `instances` task instances: a group of ceil(instances/10)
 * communes leads a 10-task plan (the last commune set trimmed so the count is exact when `instances` is a multiple
 * of 10). Deadlines lie in `dueYear`, after the benchmark, so nothing fires. Returns the plan file's path.
 */
export function writeSyntheticPlan(dir: string, opts: { planId: string; instances: number; dueYear: number }): string {
  const communes = Math.max(1, Math.ceil(opts.instances / 10));
  const y = opts.dueYear;
  const agencies = [
    `  - { id: ${SYNTHETIC.monitoring}, name: Sở Tư pháp (thử tải), level: department, contacts: { focal: { email: stp@bench.example.gov.vn } } }`,
    `  - { id: ${SYNTHETIC.authority}, name: UBND tỉnh (thử tải), level: province, contacts: { office: { email: vanthu@bench.example.gov.vn } } }`,
    `  - { id: ${SYNTHETIC.coordinator}, name: Ủy ban MTTQ tỉnh (thử tải), level: organisation, contacts: { focal: { email: mttq@bench.example.gov.vn } } }`,
  ];
  const members: string[] = [];
  for (let i = 0; i < communes; i++) {
    const id = SYNTHETIC.commune(i);
    members.push(id);
    agencies.push(
      `  - { id: ${id}, name: UBND xã số ${i} (thử tải), level: commune, contacts: { focal: { email: ${id}@bench.example.gov.vn }, head: { email: ct-${id}@bench.example.gov.vn } } }`,
    );
  }
  const directory = [
    'agencies:',
    ...agencies,
    'groups:',
    `  - { id: ${SYNTHETIC.group}, name: UBND cấp xã (thử tải), members: [${members.join(', ')}] }`,
    '',
  ].join('\n');
  const tasks: string[] = [];
  for (let t = 1; t <= 10; t++) {
    tasks.push(
      `  - ref: "${t}"`,
      `    title: Nhiệm vụ thử tải số ${t}`,
      `    lead: ${SYNTHETIC.group}`,
      `    coordinators: [${SYNTHETIC.coordinator}]`,
      `    signOff: all`,
      `    timing: { text: "Hoàn thành trước ngày ${t}/6/${y}", due: ${y}-06-${String(t).padStart(2, '0')} }`,
    );
  }
  const plan = [
    `id: ${opts.planId}`,
    'number: 1/KH-BENCH',
    'title: Kế hoạch thử tải',
    `issuer: ${SYNTHETIC.authority}`,
    `issued: ${y}-01-01`,
    `period: { start: ${y}-01-01, end: ${y}-12-31 }`,
    'timeZone: Asia/Ho_Chi_Minh',
    'directory: ./directory.yaml',
    `monitoringAgency: ${SYNTHETIC.monitoring}`,
    `escalationAuthority: ${SYNTHETIC.authority}`,
    'reportingDuties: []',
    'tasks:',
    ...tasks,
    '',
  ].join('\n');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'directory.yaml'), directory);
  const planPath = path.join(dir, 'plan.yaml');
  fs.writeFileSync(planPath, plan);
  return planPath;
}
