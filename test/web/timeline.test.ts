/**
 * The timeline picture (web/timeline-svg.ts) of a multi-year plan viewed years later: an axis by year or quarter
 * whose labels never overlap, one row per task with its instances grouped, and today marked.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { ReportingStatus } from '../../domain/types';
import type { TaskRow } from '../../services/tasks';
import { axisUnit, renderTimelineSvg } from '../../web/timeline-svg';

const row = (task: string, agency: string, due: string | null, status: ReportingStatus): TaskRow => ({
  workflowId: `dondoc:dak-lak:${task}:${agency}`,
  planId: 'dak-lak',
  taskKey: task,
  taskRef: task,
  title: 't',
  leadId: agency,
  leadName: `UBND ${agency}`,
  agencies: [agency],
  state: 'in_progress',
  status,
  due,
  running: true,
});

const ARTIFACTS = path.join(__dirname, '../../test-artifacts/web');

/** The x of each axis label, in order. */
const labelXs = (svg: string): number[] =>
  [...svg.matchAll(/<text x="([\d.]+)"[^>]*class="tick">/g)].map((m) => Number(m[1]));
const labels = (svg: string): string[] => [...svg.matchAll(/class="tick">([^<]+)</g)].map((m) => m[1]!);

describe('timeline picture', () => {
  // A 2019–2022 plan: one task for 15 districts a year, one province-level task, viewed on 2026-12-02.
  const districts = Array.from({ length: 15 }, (_, i) => `huyen-${i + 1}`);
  const rows: TaskRow[] = [
    ...['2019-12-31', '2020-12-31', '2021-12-31', '2022-12-31'].flatMap((due, y) =>
      districts.map((d, i) => row('2.1', d, due, (i + y) % 3 === 0 ? 'done_late' : 'done_on_time')),
    ),
    row('1', 'so-tu-phap', '2019-09-30', 'done_on_time'),
    row('3', 'so-tu-phap', '2022-06-30', 'in_progress_overdue'),
    row('4', 'so-tu-phap', null, 'not_started'),
  ];
  const svg = renderTimelineSvg(rows, '2026-12-02', 'vi');

  it('reads a multi-year plan by year, with labels that never overlap, and marks today', () => {
    // Kept for people to look at (test-artifacts is not committed).
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'timeline-2019-2022.svg'), svg);
    expect(svg).toContain('data-axis="year"');
    expect(labels(svg)).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']);
    const xs = labelXs(svg);
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(48);
    expect(svg).toContain('class="today"');
    expect(svg).toContain('hôm nay 02/12/2026');
    expect(svg).toContain('min-width:900px');
  });

  it('draws one row per task, the 60 district instances grouped into dots per due date and status', () => {
    // Rows: tasks 1, 2.1, 3 (task 4 has no due date).
    expect(svg.match(/class="tick"/g)).toHaveLength(8);
    expect([...svg.matchAll(/<text x="4" [^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['1', '2.1 (60)', '3']);
    const counts = [...svg.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(62);
    // Task 2.1: four years × (done on time, done late) = 8 dots, not 60.
    expect(counts).toHaveLength(1 + 8 + 1);
    expect(svg).toContain('2.1 · 5 đơn vị · 31/12/2019 · ');
  });

  it('chooses months, then quarters, then years as the span grows, and labels never overlap', () => {
    expect(axisUnit(4)).toBe('month');
    expect(axisUnit(18)).toBe('month');
    expect(axisUnit(19)).toBe('quarter');
    expect(axisUnit(48)).toBe('quarter');
    expect(axisUnit(49)).toBe('year');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 365 * 12 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 365 * 12 }),
        (offsets, todayOffset) => {
          const iso = (n: number): string => new Date(Date.UTC(2019, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
          const s = renderTimelineSvg(
            offsets.map((o, i) => row(String(i), 'a', iso(o), 'in_progress_within_deadline')),
            iso(todayOffset),
            'en',
          );
          const xs = labelXs(s);
          expect(xs.length).toBeGreaterThan(0);
          for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(48);
          expect(s).toContain('today ');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('labels quarters in Vietnamese with Roman numerals', () => {
    const q = renderTimelineSvg(
      [row('1', 'a', '2024-06-30', 'done_on_time'), row('2', 'a', '2025-09-30', 'not_started')],
      '2024-01-10',
      'vi',
    );
    expect(q).toContain('data-axis="quarter"');
    expect(labels(q).slice(0, 3)).toEqual(['Q.I/2024', 'Q.II/2024', 'Q.III/2024']);
  });
});
