import { join } from 'path';
import { evaluateReader, formatEvalTable, titlesMatch, type EvalMetrics } from '../../reader/eval-reader';

const KEYS: (keyof EvalMetrics)[] = ['taskRecall', 'taskPrecision', 'leadAccuracy', 'coordinatorF1', 'dueAccuracy'];

describe('titlesMatch', () => {
  it('matches on normalised containment or token overlap, not on unrelated titles', () => {
    expect(titlesMatch('Kiểm kê di tích cấp tỉnh', 'kiem ke di tich cap tinh (gồm 12 di tích)')).toBe(true);
    expect(titlesMatch('Số hóa hiện vật, tài liệu của bảo tàng', 'Số hóa hiện vật bảo tàng tỉnh')).toBe(true);
    expect(titlesMatch('Tổ chức lễ hội truyền thống', 'Kiểm kê di tích cấp tỉnh')).toBe(false);
  });
});

describe('evaluateReader on a synthetic plan with a known gold', () => {
  it('computes each metric from the matched tasks', async () => {
    const result = await evaluateReader(join(__dirname, '../fixtures/reader/eval'));
    // Files without a gold beside them are not evaluated.
    expect(result.files.map((f) => f.file)).toEqual(['song-lam-di-san.txt']);
    const f = result.files[0];
    // Gold 3 tasks, reader 3 tasks, 2 matched (gold task 4 is not in the text, task 3 is not in the gold).
    expect(f?.taskRecall).toBeCloseTo(2 / 3);
    expect(f?.taskPrecision).toBeCloseTo(2 / 3);
    // Task 2's gold lead differs from the text.
    expect(f?.leadAccuracy).toBeCloseTo(1 / 2);
    // Coordinators: 3 true positives, 3 ours, 4 gold → P = 1, R = 0.75.
    expect(f?.coordinatorF1).toBeCloseTo((2 * 0.75) / 1.75);
    // Task 2's gold due differs from the text.
    expect(f?.dueAccuracy).toBeCloseTo(1 / 2);
    expect(result.overall).toEqual({ taskRecall: f?.taskRecall, taskPrecision: f?.taskPrecision, leadAccuracy: f?.leadAccuracy, coordinatorF1: f?.coordinatorF1, dueAccuracy: f?.dueAccuracy });
  });
});

describe('evaluateReader on the seed plans', () => {
  it('lists every seed with metrics in [0, 1] and prints the figures', async () => {
    const dir = '/work/shared/plans';
    const result = await evaluateReader(dir);
    expect(result.files.map((f) => f.file)).toEqual([
      'dak-lak-de-an-2019-2022.txt',
      'khanh-hoa-6622-kh-ubnd-2024.txt',
      'thai-binh-63-kh-ubnd-2025.txt',
      'thanh-hoa-stp-hoa-giai-2024.txt',
      'vu-ninh-110-kh-ubnd-2026.txt',
    ]);
    for (const m of [result.overall, ...result.files]) {
      for (const k of KEYS) {
        expect(m[k]).toBeGreaterThanOrEqual(0);
        expect(m[k]).toBeLessThanOrEqual(1);
      }
    }
    expect(Object.keys(JSON.parse(JSON.stringify(result)) as object)).toEqual(['overall', 'files']);
    expect(Object.keys(result.overall).sort()).toEqual([...KEYS].sort());
    const table = formatEvalTable(result);
    expect(table).toContain('vu-ninh-110-kh-ubnd-2026.txt');
    expect(table).toContain('Tổng (micro)');
    console.log(`Reader on the seed plans:\n${table}\n${JSON.stringify(result, null, 1)}`);
  });
});
