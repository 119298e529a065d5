/**
 * Every timing text of the seed plans, read against the gold task lists in shared/plans.
 *
 * Mapping between the gold `due` and ours (shared/plans/README.md): the gold `due` is the END of the
 * period a timing implies, our `due` is the FIRST due date. So:
 * - kind `deadline`: gold due = our `due`;
 * - kind `window` ("Năm 2020 - 2022") and `occurrences` ("quý II và quý III/2024"): gold due = the LAST
 *   element of our `dues`;
 * - kinds `recurring`, `continuous`, `unscheduled`: the gold has no single date, gold due = null (our
 *   open-ended "Từ năm 2021 …" still lists its dues, from 31/12/2021).
 * Recurrence is compared as is.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseTiming } from '../../../domain/timing';
import type { Schedule } from '../../../domain/types';

interface GoldTask {
  ref: string | null;
  title: string;
  timing_text: string | null;
  due: string | null;
  recurrence: string;
}
interface GoldFile {
  plan: { issued: string | null };
  tasks: GoldTask[];
}

const PLANS = path.resolve(__dirname, '../../../../shared/plans');
const files = fs.existsSync(PLANS) ? fs.readdirSync(PLANS).filter((f) => f.endsWith('.gold.json')) : [];

function goldDueOf(s: Schedule): string | null {
  if (s.kind === 'deadline') return s.due;
  if (s.kind === 'window' || s.kind === 'occurrences') return s.dues[s.dues.length - 1] ?? null;
  return null;
}

describe('seed plans: timing texts against the gold task lists', () => {
  it('finds the five seed gold files', () => {
    expect(files.length).toBe(5);
  });

  const cases = files.flatMap((f) => {
    const gold = JSON.parse(fs.readFileSync(path.join(PLANS, f), 'utf8')) as GoldFile;
    return gold.tasks.map((t, i) => ({
      name: `${f} #${i + 1} ${t.ref ?? ''} ${t.timing_text ?? '(none)'}`,
      t,
      issued: gold.plan.issued,
    }));
  });

  it.each(cases)('$name', ({ t, issued }) => {
    const s = parseTiming(t.timing_text ?? '', issued ? { issued } : {});
    expect(s.text).toBe(t.timing_text ?? '');
    expect(s.recurrence).toBe(t.recurrence);
    expect(goldDueOf(s)).toBe(t.due);
    if (t.due !== null) expect(s.confident).toBe(true);
    if (t.timing_text === null) expect(s.kind).toBe('unscheduled');
  });

  it('covers the tricky seed forms with the exact schedule', () => {
    const conf = parseTiming('Mỗi Hội nghị tổ chức 01 ngày (dự kiến tổ chức vào quý II và quý III/2024)');
    expect([conf.kind, conf.due, conf.dues]).toEqual(['occurrences', '2024-06-30', ['2024-06-30', '2024-09-30']]);
    const window = parseTiming('Năm 2020 - 2022');
    expect([window.kind, window.due, window.dues, window.windowStart, window.windowEnd]).toEqual([
      'window',
      '2020-12-31',
      ['2020-12-31', '2021-12-31', '2022-12-31'],
      '2020-01-01',
      '2022-12-31',
    ]);
    const open = parseTiming('Từ năm 2021 và các năm tiếp theo', { periodEnd: '2022-12-31' });
    expect([open.kind, open.recurrence, open.dues]).toEqual(['recurring', 'yearly', ['2021-12-31', '2022-12-31']]);
    const elsewhere = parseTiming('Theo Kế hoạch công tác phổ biến, giáo dục pháp luật hàng năm của tỉnh');
    expect([elsewhere.kind, elsewhere.recurrence, elsewhere.confident, elsewhere.due]).toEqual([
      'unscheduled',
      'yearly',
      false,
      null,
    ]);
  });
});
