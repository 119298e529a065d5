import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The agencies every test directory needs (issuer, monitoring agency, escalation authority). */
export const BASE_AGENCIES = [
  '  - id: ubnd-tinh',
  '    name: Ủy ban nhân dân tỉnh',
  '    level: province',
  '    contacts: { head: { email: chutich@tinh.example.gov.vn } }',
  '  - id: so-tu-phap',
  '    name: Sở Tư pháp',
  '    level: department',
  '    contacts: { focal: { email: pbgdpl@stp.example.gov.vn } }',
].join('\n');

export interface PlanFiles {
  dir: string;
  planPath: string;
  directoryPath: string;
}

/**
 * Writes a directory (`agencies` lines after the base agencies, `groups` lines, optional top-level lines) and a
 * plan over it (`tasks` lines) into a fresh temp folder.
 */
export function writePlanFiles(opts: {
  agencies?: string;
  groups?: string;
  directoryExtra?: string;
  tasks: string;
  period?: string;
  planId?: string;
}): PlanFiles {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-units-'));
  const directoryPath = join(dir, 'directory.yaml');
  const planPath = join(dir, 'plan.yaml');
  writeFileSync(
    directoryPath,
    [
      'agencies:',
      BASE_AGENCIES,
      ...(opts.agencies ? [opts.agencies] : []),
      ...(opts.groups ? ['groups:', opts.groups] : []),
      ...(opts.directoryExtra ? [opts.directoryExtra] : []),
      '',
    ].join('\n'),
  );
  writeFileSync(
    planPath,
    [
      `id: ${opts.planId ?? 'ke-hoach-thu'}`,
      'number: "01/KH-UBND"',
      'title: Kế hoạch thử',
      'issuer: ubnd-tinh',
      'issued: 2024-01-10',
      `period: ${opts.period ?? '{ start: 2024-01-01, end: 2024-12-31 }'}`,
      'directory: ./directory.yaml',
      'monitoringAgency: so-tu-phap',
      'escalationAuthority: ubnd-tinh',
      'tasks:',
      opts.tasks,
      '',
    ].join('\n'),
  );
  return { dir, planPath, directoryPath };
}

/** One task line block. */
export function task(ref: string, lead: string, extra: string[] = []): string {
  return [
    `  - ref: "${ref}"`,
    `    title: Nhiệm vụ ${ref}`,
    `    lead: ${lead}`,
    '    timing: { text: "Trong năm", due: 2024-11-30 }',
    ...extra.map((l) => `    ${l}`),
  ].join('\n');
}
