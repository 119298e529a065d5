import { join } from 'node:path';

import fc from 'fast-check';

import type { TaskInstanceSpec } from '../../domain/types';
import {
  applyDirectoryChange,
  CANCEL_REASON_REASSIGNED,
  CANCEL_REASON_REMOVED,
  describeSpecChanges,
  diffInstances,
  formatInstanceDiff,
} from '../../plans/diff';
import type { ExistingInstance } from '../../plans/diff';
import { expandPlan } from '../../plans/expand';
import { loadPlanFile } from '../../plans/load';
import type { DirectoryFile, PlanFile } from '../../plans/schema';
import { EXAMPLES } from './helpers';

const base = loadPlanFile(join(EXAMPLES, 'vu-ninh-2026', 'plan.yaml'));

function clonePlan(): PlanFile {
  return structuredClone(base.plan);
}

function asExisting(specs: readonly TaskInstanceSpec[], closed = false): ExistingInstance[] {
  return specs.map((s) => ({ workflowId: s.workflowId, specHash: s.specHash, closed, spec: s }));
}

function expand(plan: PlanFile, directory: DirectoryFile = base.directory): TaskInstanceSpec[] {
  return expandPlan(plan, directory, { calendar: base.instances[0]?.calendar ?? [] });
}

describe('diffInstances', () => {
  test('the same plan twice: nothing to start, amend or cancel', () => {
    const diff = diffInstances(expand(clonePlan()), asExisting(base.instances));
    expect(diff.start).toEqual([]);
    expect(diff.amend).toEqual([]);
    expect(diff.cancel).toEqual([]);
    expect(diff.unchanged).toEqual(base.instances.map((i) => i.workflowId));
    expect(formatInstanceDiff(diff)).toMatch(/^Không có gì thay đổi \(5 nhiệm vụ giữ nguyên\)\.$/);
  });

  test('a changed due date is one amend, with the change described in Vietnamese', () => {
    const plan = clonePlan();
    const task = plan.tasks[1];
    if (!task) throw new Error('fixture');
    task.timing = { text: 'Cả năm 2026', due: '2026-11-30' };
    const diff = diffInstances(expand(plan), asExisting(base.instances));
    expect(diff.start).toEqual([]);
    expect(diff.cancel).toEqual([]);
    expect(diff.amend).toHaveLength(1);
    expect(diff.amend[0]?.spec.taskKey).toBe('2');
    expect(diff.amend[0]?.changes).toEqual(['Hạn hoàn thành: 31/12/2026 → 30/11/2026']);
    expect(diff.unchanged).toHaveLength(4);
    expect(formatInstanceDiff(diff)).toContain('    Hạn hoàn thành: 31/12/2026 → 30/11/2026');
  });

  test('without the previous spec an amend still happens, with a generic description', () => {
    const plan = clonePlan();
    const task = plan.tasks[0];
    if (!task) throw new Error('fixture');
    task.title = 'Kiện toàn đội ngũ hòa giải viên (sửa đổi)';
    const existing = base.instances.map((s) => ({ workflowId: s.workflowId, specHash: s.specHash, closed: false }));
    const diff = diffInstances(expand(plan), existing);
    expect(diff.amend.map((a) => [a.spec.taskKey, a.changes])).toEqual([
      ['1', ['Nội dung nhiệm vụ trong kế hoạch đã thay đổi']],
    ]);
  });

  test('a removed task is cancelled with its reason; a new task is started', () => {
    const plan = clonePlan();
    const removed = plan.tasks.splice(4, 1)[0];
    if (!removed) throw new Error('fixture');
    plan.tasks.push({ ...removed, ref: '6', title: 'Sơ kết 6 tháng', targets: undefined });
    const diff = diffInstances(expand(plan), asExisting(base.instances));
    expect(diff.cancel).toEqual(['dondoc:vu-ninh-110-2026:5:van-phong-hdnd-ubnd']);
    expect(diff.cancelReasons['dondoc:vu-ninh-110-2026:5:van-phong-hdnd-ubnd']).toBe(CANCEL_REASON_REMOVED);
    expect(diff.start.map((s) => s.workflowId)).toEqual(['dondoc:vu-ninh-110-2026:6:van-phong-hdnd-ubnd']);
    expect(diff.amend).toEqual([]);
  });

  test('a reassigned lead cancels the old instance ("giao lại") and starts the new one', () => {
    const plan = clonePlan();
    const task = plan.tasks[0];
    if (!task) throw new Error('fixture');
    task.lead = 'cong-chuc-tu-phap-ho-tich';
    const diff = diffInstances(expand(plan), asExisting(base.instances));
    expect(diff.cancel).toEqual(['dondoc:vu-ninh-110-2026:1:van-phong-hdnd-ubnd']);
    expect(diff.cancelReasons['dondoc:vu-ninh-110-2026:1:van-phong-hdnd-ubnd']).toBe(CANCEL_REASON_REASSIGNED);
    expect(diff.start.map((s) => s.workflowId)).toEqual(['dondoc:vu-ninh-110-2026:1:cong-chuc-tu-phap-ho-tich']);
    expect(formatInstanceDiff(diff)).toContain('lý do: giao lại');
  });

  test('closed instances are never amended, cancelled or restarted', () => {
    const plan = clonePlan();
    plan.tasks = plan.tasks.slice(0, 2);
    const task = plan.tasks[0];
    if (!task) throw new Error('fixture');
    task.deliverable = 'Quyết định kiện toàn tổ hòa giải';
    const diff = diffInstances(expand(plan), asExisting(base.instances, true));
    expect(diff).toMatchObject({ start: [], amend: [], cancel: [] });
    expect(diff.unchanged).toHaveLength(2);
  });

  test('law: diff against what the plan itself yields is empty; against any subset it starts exactly the missing ones', () => {
    const desired = base.instances;
    fc.assert(
      fc.property(fc.subarray([...desired]), (present) => {
        const diff = diffInstances(desired, asExisting(present));
        const presentIds = new Set(present.map((p) => p.workflowId));
        expect(diff.start.map((s) => s.workflowId)).toEqual(
          desired.filter((d) => !presentIds.has(d.workflowId)).map((d) => d.workflowId),
        );
        expect(diff.amend).toEqual([]);
        expect(diff.cancel).toEqual([]);
        expect(diff.unchanged.length + diff.start.length).toBe(desired.length);
      }),
    );
  });
});

describe('describeSpecChanges', () => {
  test('lists every changed amendable field and nothing for an identical spec', () => {
    const prev = base.instances[2];
    if (!prev) throw new Error('fixture');
    expect(describeSpecChanges(prev, prev)).toEqual([]);
    const next: TaskInstanceSpec = {
      ...prev,
      reminderOffsets: [7, 1],
      overdueEveryWorkingDays: 10,
      requiredSignOff: [],
    };
    expect(describeSpecChanges(prev, next)).toEqual([
      'Cơ quan phải xác nhận: mttq-phuong → (không có)',
      'Mốc nhắc hạn (ngày làm việc trước hạn): 30, 7, 3, 1, 0 → 7, 1',
      'Nhắc quá hạn: mỗi 5 → mỗi 10 ngày làm việc',
    ]);
  });
});

describe('applyDirectoryChange', () => {
  const dakLak = loadPlanFile(join(EXAMPLES, 'dak-lak-2019', 'plan.yaml')).directory;

  test('lists successions newly recorded, not those already known', () => {
    const before: DirectoryFile = structuredClone(dakLak);
    for (const a of before.agencies) if (a.level === 'district') delete a.dissolved;
    const moves = applyDirectoryChange(before, dakLak);
    expect(moves).toEqual([
      { from: 'ubnd-tp-buon-ma-thuot', to: 'ubnd-phuong-buon-ma-thuot', on: '2025-07-01' },
      { from: 'ubnd-tx-buon-ho', to: 'ubnd-phuong-buon-ho', on: '2025-07-01' },
      { from: 'ubnd-huyen-krong-pac', to: 'ubnd-xa-krong-pac', on: '2025-07-01' },
      { from: 'ubnd-huyen-ea-kar', to: 'ubnd-xa-ea-kar', on: '2025-07-01' },
    ]);
    expect(applyDirectoryChange(dakLak, dakLak)).toEqual([]);
  });

  test('a changed successor is recorded again; a dissolution without successor is not listed', () => {
    const after: DirectoryFile = structuredClone(dakLak);
    const eaKar = after.agencies.find((a) => a.id === 'ubnd-huyen-ea-kar');
    const buonHo = after.agencies.find((a) => a.id === 'ubnd-tx-buon-ho');
    if (!eaKar?.dissolved || !buonHo) throw new Error('fixture');
    eaKar.dissolved.successor = 'ubnd-phuong-buon-ma-thuot';
    buonHo.dissolved = { on: '2025-07-01' };
    expect(applyDirectoryChange(dakLak, after)).toEqual([
      { from: 'ubnd-huyen-ea-kar', to: 'ubnd-phuong-buon-ma-thuot', on: '2025-07-01' },
    ]);
  });
});
