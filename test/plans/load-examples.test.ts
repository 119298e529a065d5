import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'yaml';

import { loadPlanFile } from '../../plans/load';
import { VN_CALENDAR_OVERRIDES } from '../../domain/calendar';
import { EXAMPLES } from './helpers';

const examplePlan = (name: string): string => join(EXAMPLES, name, 'plan.yaml');

describe('example plans load with zero errors', () => {
  test('Đắk Lắk 2019: all 12 tasks of the gold list, both 5.3 tasks distinct, groups fanned out', () => {
    const loaded = loadPlanFile(examplePlan('dak-lak-2019'));
    const gold = JSON.parse(readFileSync('/work/shared/plans/dak-lak-de-an-2019-2022.gold.json', 'utf8')) as {
      tasks: { ref: string; timing_text: string; due: string | null }[];
    };
    expect(loaded.plan.tasks).toHaveLength(gold.tasks.length);
    expect(loaded.plan.tasks.map((t) => t.ref)).toEqual(gold.tasks.map((t) => t.ref));
    // Timing texts are verbatim (the 5.3 summary keeps its "Tổng kết:" label as the gold does).
    expect(loaded.plan.tasks.map((t) => (typeof t.timing === 'string' ? t.timing : t.timing.text))).toEqual(
      gold.tasks.map((t) => t.timing_text),
    );

    const huyen = loaded.directory.groups.find((g) => g.id === 'ubnd-cap-huyen')?.members.length ?? 0;
    const xa = loaded.directory.groups.find((g) => g.id === 'ubnd-cap-xa')?.members.length ?? 0;
    const soNganh = loaded.directory.groups.find((g) => g.id === 'cac-so-nganh-lien-quan')?.members.length ?? 0;
    expect(huyen).toBe(4);
    expect(xa).toBe(4);
    // 1.1, 1.3, 4: Sở Tư pháp; 1.2, 2.2: huyện; 2.1: xã; 3.1: 2 sở + nhóm sở ngành + huyện;
    // 3.2, 5.1, 5.2, 5.3 ×2: Sở Tư pháp + huyện + xã.
    const expected = 3 + 2 * huyen + xa + (2 + soNganh + huyen) + 5 * (1 + huyen + xa);
    expect(loaded.instances).toHaveLength(expected);

    const ids = loaded.instances.map((i) => i.workflowId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('dondoc:dak-lak-de-an-2019-2022:5.3-kiem-tra:so-tu-phap');
    expect(ids).toContain('dondoc:dak-lak-de-an-2019-2022:5.3-tong-ket:so-tu-phap');
    const huyenInstance = loaded.instances.find(
      (i) => i.workflowId === 'dondoc:dak-lak-de-an-2019-2022:1.2:ubnd-huyen-ea-kar',
    );
    expect(huyenInstance?.leadGroup?.id).toBe('ubnd-cap-huyen');
    expect(huyenInstance?.schedule.due).toBe('2019-09-30');

    // Every gold single due date is what the plan yields.
    for (const g of gold.tasks) {
      if (g.due === null) continue;
      const spec = loaded.instances.find((i) => i.taskRef === g.ref && i.schedule.text === g.timing_text);
      expect(spec?.schedule.dues[spec.schedule.dues.length - 1]).toBe(g.due);
    }
    // "Hằng năm" with an explicit first due repeats each year to the end of the period.
    const yearly = loaded.instances.find((i) => i.taskKey === '5.1' && i.lead.id === 'so-tu-phap');
    expect(yearly?.schedule.dues).toEqual(['2019-12-15', '2020-12-15', '2021-12-15', '2022-12-15']);
    expect(yearly?.schedule.text).toBe('Hằng năm');
    // Every schedule is confident: nothing left for a human to date.
    expect(loaded.instances.every((i) => i.schedule.confident)).toBe(true);
    // Coordinators that are single agencies must sign off; groups cannot.
    const t13 = loaded.instances.find((i) => i.taskKey === '1.3');
    expect(t13?.requiredSignOff).toEqual(['mttq-tinh', 'hoi-luat-gia-tinh', 'doan-luat-su-tinh']);
  });

  test('Thanh Hóa 2024: 3 tasks, 3 instances, two dues for the two training rounds', () => {
    const loaded = loadPlanFile(examplePlan('thanh-hoa-2024'));
    expect(loaded.instances.map((i) => i.taskRef)).toEqual(['1', '2', '3']);
    expect(loaded.instances.map((i) => i.schedule.dues)).toEqual([
      ['2024-12-31'],
      ['2024-06-30', '2024-09-30'],
      ['2024-06-30'],
    ]);
    expect(loaded.instances.every((i) => i.lead.id === 'phong-pbgdpl')).toBe(true);
  });

  test('Vũ Ninh 2026: live plan, 5 instances all due 2026-12-31, defaults applied', () => {
    const loaded = loadPlanFile(examplePlan('vu-ninh-2026'));
    expect(loaded.instances).toHaveLength(5);
    for (const spec of loaded.instances) {
      expect(spec.schedule.due).toBe('2026-12-31');
      expect(spec.schedule.text).toBe('Cả năm 2026');
      expect(spec.workflowId).toBe(`dondoc:vu-ninh-110-2026:${spec.taskKey}:van-phong-hdnd-ubnd`);
      expect(spec.reminderOffsets).toEqual([30, 7, 3, 1, 0]);
      expect(spec.overdueEveryWorkingDays).toBe(5);
      expect(spec.ladder).toEqual([
        { level: 1, afterWorkingDays: 3, to: 'lead_head' },
        { level: 2, afterWorkingDays: 7, to: 'monitoring' },
        { level: 3, afterWorkingDays: 14, to: 'authority' },
      ]);
      expect(spec.timeZone).toBe('Asia/Ho_Chi_Minh');
      expect(spec.monitoring.id).toBe('van-phong-hdnd-ubnd');
      expect(spec.authority.id).toBe('ubnd-phuong-vu-ninh');
      expect(spec.requiredSignOff).toEqual(['mttq-phuong']);
      expect(spec.calendar.map((c) => c.year)).toEqual(VN_CALENDAR_OVERRIDES.map((c) => c.year).sort((a, b) => a - b));
    }
    expect(loaded.instances.find((i) => i.taskKey === '3')?.targetIds).toEqual(['mo-hinh-diem']);
    expect(loaded.plan.period).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  test('loading twice gives identical specs and hashes; the JSON form of a plan gives the same instances', () => {
    const a = loadPlanFile(examplePlan('vu-ninh-2026'));
    const b = loadPlanFile(examplePlan('vu-ninh-2026'));
    expect(b.instances).toEqual(a.instances);

    const dir = mkdtempSync(join(tmpdir(), 'dondoc-json-'));
    const plan = parse(readFileSync(examplePlan('vu-ninh-2026'), 'utf8')) as Record<string, unknown>;
    const directory = parse(readFileSync(join(EXAMPLES, 'vu-ninh-2026', 'directory.yaml'), 'utf8')) as unknown;
    writeFileSync(join(dir, 'directory.json'), JSON.stringify(directory, null, 2));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ ...plan, directory: './directory.json' }, null, 2));
    const fromJson = loadPlanFile(join(dir, 'plan.json'));
    expect(fromJson.instances.map((i) => [i.workflowId, i.specHash])).toEqual(
      a.instances.map((i) => [i.workflowId, i.specHash]),
    );
  });
});

describe('instances of dissolved agencies carry their successions (review defect 13)', () => {
  test('Đắk Lắk 2019: every instance led by a district dissolved on 1/7/2025 moves to its successor on that day', () => {
    const loaded = loadPlanFile(examplePlan('dak-lak-2019'));
    const dissolved = new Map(
      loaded.directory.agencies.filter((a) => a.dissolved?.successor).map((a) => [a.id, a.dissolved!] as const),
    );
    const ofDissolved = loaded.instances.filter((i) => dissolved.has(i.lead.id));
    expect(ofDissolved.length).toBeGreaterThan(0);
    for (const i of ofDissolved) {
      const d = dissolved.get(i.lead.id)!;
      expect(i.successions).toContainEqual({
        from: i.lead.id,
        to: expect.objectContaining({ id: d.successor }),
        on: d.on,
      });
    }
    // A coordinator dissolved into a successor moves too; an instance with no dissolved agency carries none.
    for (const i of loaded.instances) {
      const involved = [i.lead.id, ...i.coordinators.map((c) => c.id)].filter((id) => dissolved.has(id));
      expect((i.successions ?? []).map((s) => s.from).sort()).toEqual([...new Set(involved)].sort());
    }
    // The amendment hash does not see successions: re-importing an unchanged plan amends nothing.
    const first = loaded.instances.map((i) => i.specHash);
    expect(loadPlanFile(examplePlan('dak-lak-2019')).instances.map((i) => i.specHash)).toEqual(first);
  });
});
