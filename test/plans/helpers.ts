import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { PlanValidationError } from '../../plans/load';
import type { PlanIssue } from '../../plans/load';

export const BAD_PLANS = resolve(__dirname, '../fixtures/bad-plans');
export const EXAMPLES = resolve(__dirname, '../../examples');

/** 1-based line of the first line of `file` containing `needle` (throws if absent: a broken fixture). */
export function lineOf(file: string, needle: string, occurrence = 1): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i += 1) {
    if ((lines[i] ?? '').includes(needle)) {
      seen += 1;
      if (seen === occurrence) return i + 1;
    }
  }
  throw new Error(`"${needle}" not found in ${file}`);
}

/** Runs `fn`, expects a PlanValidationError, returns its issues. */
export function captureIssues(fn: () => unknown): PlanIssue[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlanValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected a PlanValidationError, but loading succeeded');
}

/** A fresh temp folder holding a copy of the shared fixture directory; returns the folder. */
export function makeTempPlanDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dondoc-plans-'));
  copyFileSync(join(BAD_PLANS, 'directory.yaml'), join(dir, 'directory.yaml'));
  return dir;
}

/** Writes `content` as `name` in `dir` and returns its path. */
export function writeIn(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A small valid plan (text) against the shared fixture directory. */
export function validPlanYaml(overrides: { period?: string; tasks?: string } = {}): string {
  return [
    'id: hop-le',
    'number: "01/KH-STP"',
    'title: Kế hoạch hợp lệ',
    'issuer: ubnd-tinh',
    'issued: 2024-01-15',
    `period: ${overrides.period ?? '{ start: 2024-01-01, end: 2024-12-31 }'}`,
    'directory: ./directory.yaml',
    'monitoringAgency: so-tu-phap',
    'escalationAuthority: ubnd-tinh',
    'tasks:',
    overrides.tasks ??
      [
        '  - ref: "1"',
        '    title: Nhiệm vụ một',
        '    lead: so-tu-phap',
        '    coordinators: [mttq-tinh]',
        '    timing: "Năm 2024"',
      ].join('\n'),
    '',
  ].join('\n');
}
