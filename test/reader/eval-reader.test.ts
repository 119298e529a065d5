import { join } from 'path';
import fc from 'fast-check';
import {
  assignMaxWeight,
  evaluateReader,
  formatEvalTable,
  matchTasks,
  MIN_SIMILARITY,
  titleSimilarity,
  titlesMatch,
  type EvalMetrics,
} from '../../reader/eval-reader';

const KEYS: (keyof EvalMetrics)[] = [
  'taskRecall',
  'taskPrecision',
  'taskF1',
  'leadAccuracy',
  'coordinatorF1',
  'dueAccuracy',
];
const FIXTURES = join(__dirname, '../fixtures/reader');

describe('titleSimilarity', () => {
  it('is 1 for the same title in any case or diacritics, and lower when one title is inside a longer one', () => {
    expect(titleSimilarity('Kiểm kê di tích cấp tỉnh', 'KIEM KE DI TICH CAP TINH')).toBe(1);
    const inside = titleSimilarity(
      'Kiểm kê di tích cấp tỉnh',
      'Kiểm kê di tích cấp tỉnh (gồm 12 di tích) và lập hồ sơ xếp hạng',
    );
    expect(inside).toBeCloseTo(0.8);
    expect(titlesMatch('Số hóa hiện vật, tài liệu của bảo tàng', 'Số hóa hiện vật bảo tàng tỉnh')).toBe(true);
  });

  it('keeps unrelated titles apart, even when they share common words', () => {
    expect(titleSimilarity('Tổ chức lễ hội truyền thống', 'Kiểm kê di tích cấp tỉnh')).toBeLessThan(MIN_SIMILARITY);
    expect(titlesMatch('Tổ chức tập huấn cho cán bộ', 'Tổ chức kiểm tra việc thực hiện')).toBe(false);
  });
});

describe('assignMaxWeight', () => {
  const weightOf = (w: number[][], a: number[]): number =>
    a.reduce((s, j, i) => s + (j >= 0 ? (w[i]?.[j] ?? 0) : 0), 0);

  function bestByBruteForce(w: number[][], cols: number): number {
    let best = 0;
    const used = new Array<boolean>(cols).fill(false);
    const walk = (i: number, sum: number): void => {
      if (i === w.length) {
        best = Math.max(best, sum);
        return;
      }
      walk(i + 1, sum);
      for (let j = 0; j < cols; j += 1) {
        if (used[j]) continue;
        used[j] = true;
        walk(i + 1, sum + (w[i]?.[j] ?? 0));
        used[j] = false;
      }
    };
    walk(0, 0);
    return best;
  }

  it('gives each row at most one column, never one column twice, and reaches the best total', () => {
    const matrix = fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }))
      .chain(([r, c]) =>
        fc.tuple(
          fc.constant(c),
          fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: c, maxLength: c }), {
            minLength: r,
            maxLength: r,
          }),
        ),
      );
    fc.assert(
      fc.property(matrix, ([cols, w]) => {
        const a = assignMaxWeight(w, cols);
        expect(a).toHaveLength(w.length);
        const taken = a.filter((j) => j >= 0);
        expect(new Set(taken).size).toBe(taken.length);
        expect(taken.every((j) => j < cols)).toBe(true);
        expect(weightOf(w, a)).toBeCloseTo(bestByBruteForce(w, cols), 9);
      }),
    );
  });
});

describe('matchTasks', () => {
  it('matches on titles whatever the refs are', () => {
    const pairs = matchTasks(
      [{ ref: 'III.1', title: 'Khảo sát nguồn nước các thôn' }],
      [{ ref: '1', title: 'Khảo sát nguồn nước tại các thôn' }],
    );
    expect(pairs).toHaveLength(1);
  });

  it('finds the best one-to-one pairing where taking the first match would pair wrongly', () => {
    const gold = [
      { title: 'Tập huấn vận hành trạm cấp nước' },
      { title: 'Tập huấn vận hành trạm cấp nước cho tổ quản lý thôn' },
    ];
    const ours = [
      { title: 'Tập huấn vận hành trạm cấp nước cho tổ quản lý thôn' },
      { title: 'Tập huấn vận hành trạm cấp nước cho người dân' },
    ];
    const pairs = matchTasks(gold, ours);
    expect(pairs.map(([g, o]) => [gold.indexOf(g), ours.indexOf(o)])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('leaves a task unmatched rather than pair it with an unrelated title', () => {
    expect(matchTasks([{ title: 'Tổ chức lễ hội truyền thống' }], [{ title: 'Kiểm kê di tích cấp tỉnh' }])).toEqual([]);
  });
});

describe('evaluateReader on synthetic plans with a known gold', () => {
  it('computes each metric from the matched tasks', async () => {
    const result = await evaluateReader(join(FIXTURES, 'eval'));
    // Files without a gold beside them are not evaluated.
    expect(result.files.map((f) => f.file)).toEqual(['song-lam-di-san.txt']);
    const f = result.files[0];
    // Gold 3 tasks, reader 3 tasks, 2 matched (gold task 4 is not in the text, task 3 is not in the gold).
    expect([f?.goldTasks, f?.readerTasks, f?.matched]).toEqual([3, 3, 2]);
    expect(f?.taskRecall).toBeCloseTo(2 / 3);
    expect(f?.taskPrecision).toBeCloseTo(2 / 3);
    expect(f?.taskF1).toBeCloseTo(2 / 3);
    // Task 2's gold lead differs from the text.
    expect(f?.leadAccuracy).toBeCloseTo(1 / 2);
    // Coordinators: 3 true positives, 3 ours, 4 gold → P = 1, R = 0.75.
    expect(f?.coordinatorF1).toBeCloseTo((2 * 0.75) / 1.75);
    // Task 2's gold due differs from the text.
    expect(f?.dueAccuracy).toBeCloseTo(1 / 2);
    const { file: _file, ...metrics } = f ?? { file: '' };
    expect(result.overall).toEqual(metrics);
  });

  it('scores a correct reading fully when the gold numbers refs its own way and lists tasks out of order', async () => {
    const result = await evaluateReader(join(FIXTURES, 'eval-refs', 'doi-thong-nuoc-sach.txt'));
    expect(result.overall).toMatchObject({
      goldTasks: 3,
      readerTasks: 3,
      matched: 3,
      taskF1: 1,
      leadAccuracy: 1,
      coordinatorF1: 1,
      dueAccuracy: 1,
    });
  });

  it('adds several paths into one micro-average', async () => {
    const result = await evaluateReader([join(FIXTURES, 'eval'), join(FIXTURES, 'eval-refs')]);
    expect(result.files.map((f) => f.file)).toEqual(['song-lam-di-san.txt', 'doi-thong-nuoc-sach.txt']);
    expect(result.overall).toMatchObject({ goldTasks: 6, readerTasks: 6, matched: 5 });
    expect(result.overall.taskRecall).toBeCloseTo(5 / 6);
  });

  it('says which path does not exist', async () => {
    await expect(evaluateReader(join(FIXTURES, 'khong-co'))).rejects.toThrow(/khong-co/);
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
      expect(m.readerTasks).toBeGreaterThan(0);
    }
    expect(Object.keys(JSON.parse(JSON.stringify(result)) as object)).toEqual(['overall', 'files']);
    expect(Object.keys(result.overall).sort()).toEqual([...KEYS, 'goldTasks', 'readerTasks', 'matched'].sort());
    const table = formatEvalTable(result);
    expect(table).toContain('vu-ninh-110-kh-ubnd-2026.txt');
    expect(table).toContain('Tổng (micro)');
    console.log(`Reader on the seed plans:\n${table}\n${JSON.stringify(result, null, 1)}`);
  });
});
