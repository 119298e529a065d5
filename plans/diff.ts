/**
 * The pure part of plan import: what to start, amend and cancel so that the running task instances
 * match the plan file. The import executor (workflows) applies the result; importing the same plan
 * twice yields nothing to do.
 *
 * A reassigned lead is a NEW instance: the workflow id contains the agency, so the old instance is
 * cancelled with the reason "giao lại" and the new one started.
 */
import type { IsoDate, TaskInstanceSpec } from '../domain/types';
import type { DirectoryFile } from './schema';

/** A running or closed instance as Temporal knows it. */
export interface ExistingInstance {
  workflowId: string;
  specHash: string;
  closed: boolean;
  /** The spec it was started or last amended with, when known: lets the diff say what changed. */
  spec?: TaskInstanceSpec;
}

export interface InstanceDiff {
  start: TaskInstanceSpec[];
  amend: { spec: TaskInstanceSpec; changes: string[] }[];
  /** Open workflow ids no longer in the plan. */
  cancel: string[];
  /** Reason for each cancelled id: "giao lại" when the task now goes to another agency. */
  cancelReasons: Record<string, string>;
  /** Workflow ids already matching the plan, or closed (a closed instance is never amended or restarted). */
  unchanged: string[];
}

/** Reason given when an instance is cancelled because its task went to another agency. */
export const CANCEL_REASON_REASSIGNED = 'giao lại';
/** Reason given when an instance is cancelled because its task left the plan. */
export const CANCEL_REASON_REMOVED = 'nhiệm vụ đã bỏ khỏi kế hoạch';

function formatVnDate(date: IsoDate | null | undefined): string {
  if (!date) return '(chưa có)';
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

function list(values: readonly (string | number)[]): string {
  return values.length === 0 ? '(không có)' : values.join(', ');
}

/**
 * Describes, in Vietnamese, how `next` differs from `prev` on the fields an amendment can change.
 * Returns one line per changed field, empty when nothing changed.
 */
export function describeSpecChanges(prev: TaskInstanceSpec, next: TaskInstanceSpec): string[] {
  const changes: string[] = [];
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (prev.title !== next.title) changes.push(`Tên nhiệm vụ: "${prev.title}" → "${next.title}"`);
  if (prev.lead.id !== next.lead.id) changes.push(`Cơ quan chủ trì: ${prev.lead.name} → ${next.lead.name}`);
  if (!same(prev.schedule.dues, next.schedule.dues) || prev.schedule.due !== next.schedule.due) {
    const fmt = (s: TaskInstanceSpec): string =>
      s.schedule.dues.length > 0 ? s.schedule.dues.map(formatVnDate).join(', ') : formatVnDate(s.schedule.due);
    changes.push(`Hạn hoàn thành: ${fmt(prev)} → ${fmt(next)}`);
  }
  if (prev.schedule.text !== next.schedule.text)
    changes.push(`Thời gian thực hiện (nguyên văn): "${prev.schedule.text}" → "${next.schedule.text}"`);
  if (
    !same(
      prev.coordinators.map((c) => c.id),
      next.coordinators.map((c) => c.id),
    )
  ) {
    changes.push(
      `Cơ quan phối hợp: ${list(prev.coordinators.map((c) => c.name))} → ${list(next.coordinators.map((c) => c.name))}`,
    );
  }
  if (!same(prev.requiredSignOff, next.requiredSignOff))
    changes.push(`Cơ quan phải xác nhận: ${list(prev.requiredSignOff)} → ${list(next.requiredSignOff)}`);
  if (prev.monitoring.id !== next.monitoring.id)
    changes.push(`Cơ quan theo dõi: ${prev.monitoring.name} → ${next.monitoring.name}`);
  if (prev.authority.id !== next.authority.id)
    changes.push(`Cấp nhận cảnh báo: ${prev.authority.name} → ${next.authority.name}`);
  if (!same(prev.reminderOffsets, next.reminderOffsets)) {
    changes.push(
      `Mốc nhắc hạn (ngày làm việc trước hạn): ${list(prev.reminderOffsets)} → ${list(next.reminderOffsets)}`,
    );
  }
  if (prev.overdueEveryWorkingDays !== next.overdueEveryWorkingDays) {
    changes.push(
      `Nhắc quá hạn: mỗi ${prev.overdueEveryWorkingDays} → mỗi ${next.overdueEveryWorkingDays} ngày làm việc`,
    );
  }
  const ladder = (s: TaskInstanceSpec): string => list(s.ladder.map((l) => `+${l.afterWorkingDays} ${l.to}`));
  if (ladder(prev) !== ladder(next)) changes.push(`Thang cảnh báo: ${ladder(prev)} → ${ladder(next)}`);
  if ((prev.deliverable ?? '') !== (next.deliverable ?? '')) {
    changes.push(`Sản phẩm: "${prev.deliverable ?? ''}" → "${next.deliverable ?? ''}"`);
  }
  if (!same(prev.targetIds ?? [], next.targetIds ?? []))
    changes.push(`Chỉ tiêu: ${list(prev.targetIds ?? [])} → ${list(next.targetIds ?? [])}`);
  if ((prev.leadGroup?.id ?? '') !== (next.leadGroup?.id ?? '')) {
    changes.push(`Nhóm được giao: ${prev.leadGroup?.name ?? '(không)'} → ${next.leadGroup?.name ?? '(không)'}`);
  }
  return changes;
}

/**
 * Compares the instances a plan wants with those that exist (for this plan only) and says what to do:
 * - desired and absent → `start`;
 * - desired, open, different `specHash` → `amend`, with the changes described in Vietnamese when the
 *   existing spec is known (else one generic line);
 * - desired and same hash, or closed → `unchanged` (closed instances are history: never amended or restarted);
 * - open and no longer desired → `cancel`, reason "giao lại" when the same task now has an instance
 *   for another agency, else "nhiệm vụ đã bỏ khỏi kế hoạch".
 * Pure and deterministic: output order follows `desired`, then `existing`.
 */
export function diffInstances(
  desired: readonly TaskInstanceSpec[],
  existing: readonly ExistingInstance[],
): InstanceDiff {
  const existingById = new Map(existing.map((e) => [e.workflowId, e]));
  const desiredIds = new Set(desired.map((d) => d.workflowId));
  const desiredTasks = new Set(desired.map((d) => `dondoc:${d.planId}:${d.taskKey}:`));
  const result: InstanceDiff = { start: [], amend: [], cancel: [], cancelReasons: {}, unchanged: [] };

  for (const spec of desired) {
    const current = existingById.get(spec.workflowId);
    if (!current) result.start.push(spec);
    else if (current.closed || current.specHash === spec.specHash) result.unchanged.push(spec.workflowId);
    else {
      const described = current.spec ? describeSpecChanges(current.spec, spec) : [];
      result.amend.push({
        spec,
        changes: described.length > 0 ? described : ['Nội dung nhiệm vụ trong kế hoạch đã thay đổi'],
      });
    }
  }
  for (const e of existing) {
    if (desiredIds.has(e.workflowId) || e.closed) continue;
    result.cancel.push(e.workflowId);
    const taskPrefix = e.workflowId.slice(0, e.workflowId.lastIndexOf(':') + 1);
    result.cancelReasons[e.workflowId] = desiredTasks.has(taskPrefix)
      ? CANCEL_REASON_REASSIGNED
      : CANCEL_REASON_REMOVED;
  }
  return result;
}

/**
 * Prints a diff for people, in Vietnamese: one line per instance to start, amend (with its changes
 * indented below) or cancel (with its reason), then a count of unchanged ones.
 */
export function formatInstanceDiff(diff: InstanceDiff, opts: { listUnchanged?: boolean } = {}): string {
  const lines: string[] = [];
  for (const s of diff.start) lines.push(`+ Bắt đầu  ${s.taskRef} ${s.title} — ${s.lead.name} (${s.workflowId})`);
  for (const a of diff.amend) {
    lines.push(`~ Điều chỉnh  ${a.spec.taskRef} ${a.spec.title} — ${a.spec.lead.name} (${a.spec.workflowId})`);
    for (const c of a.changes) lines.push(`    ${c}`);
  }
  for (const id of diff.cancel) lines.push(`- Hủy  ${id} (lý do: ${diff.cancelReasons[id] ?? CANCEL_REASON_REMOVED})`);
  if (opts.listUnchanged) for (const id of diff.unchanged) lines.push(`= Giữ nguyên  ${id}`);
  const nothing = diff.start.length === 0 && diff.amend.length === 0 && diff.cancel.length === 0;
  lines.push(
    nothing
      ? `Không có gì thay đổi (${diff.unchanged.length} nhiệm vụ giữ nguyên).`
      : `${diff.unchanged.length} nhiệm vụ giữ nguyên.`,
  );
  return lines.join('\n');
}

/** A succession newly recorded in the directory. */
export interface Succession {
  from: string;
  to: string;
  on: IsoDate;
}

/**
 * Successions present in `newDir` but not in `oldDir` (an agency newly marked dissolved with a
 * successor, or whose successor or date changed). The import executor moves the open task instances
 * of `from` to `to`. Dissolutions without a successor are not listed. Order follows `newDir`.
 */
export function applyDirectoryChange(oldDir: DirectoryFile, newDir: DirectoryFile): Succession[] {
  const old = new Map(oldDir.agencies.map((a) => [a.id, a]));
  const out: Succession[] = [];
  for (const agency of newDir.agencies) {
    const d = agency.dissolved;
    if (!d?.successor) continue;
    const before = old.get(agency.id)?.dissolved;
    if (before && before.successor === d.successor && before.on === d.on) continue;
    out.push({ from: agency.id, to: d.successor, on: d.on });
  }
  return out;
}
