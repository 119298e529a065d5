/**
 * When reminders reach people, and when task workflows prepare them. Pure.
 *
 * Reminders are announced for one local minute (08:00 by default). Each task instance prepares its items ahead of
 * it, at an instant of the preparation window derived from its workflow id, and hands them to the day's digest,
 * which sends at the announced minute. Status changes that come with a new day (due soon, overdue) are spread over
 * the first minutes after midnight the same way. So thousands of instances with the same deadline wake one after
 * another, not at once, and each recipient still gets one email on the minute.
 */
import type { AlarmSlots } from '../alarms';
import type { IsoDate } from '../types';

export interface DeliverySchedule {
  /** Announced local delivery time, in minutes after midnight (8 × 60 for 08:00). */
  minuteOfDay: number;
  /** Task workflows prepare their items within this many minutes before the announced minute. */
  prepareMinutes: number;
  /** Status changes at midnight are spread over this many minutes after it. */
  midnightSpreadMinutes: number;
}

/** What instances started without a schedule use: the reminder hour, an hour to prepare, an hour after midnight. */
export function defaultDeliverySchedule(reminderHour: number): DeliverySchedule {
  return { minuteOfDay: reminderHour * 60, prepareMinutes: 60, midnightSpreadMinutes: 60 };
}

/** The last preparation comes at least this long before the announced minute, so its hand-over lands in time. */
const PREPARE_GUARD_MS = 60_000;
/** Escalations are prepared just after the notices of the same instance and day. */
const ESCALATE_AFTER_NOTIFY_MS = 1_000;

/** FNV-1a (32 bits) of a string: stable across runs, platforms and replays. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A whole-second offset in [0, spanMs) derived from `key`; 0 when the span is shorter than a second. */
export function spreadOffset(key: string, spanMs: number): number {
  const seconds = Math.floor(spanMs / 1000);
  return seconds <= 0 ? 0 : (hash32(key) % seconds) * 1000;
}

export type LocalClock = (date: IsoDate, hour: number, minute: number) => number;

/** The announced delivery instant of a local day. */
export function deliveryInstant(schedule: DeliverySchedule, day: IsoDate, at: LocalClock): number {
  return at(day, Math.floor(schedule.minuteOfDay / 60), schedule.minuteOfDay % 60);
}

/**
 * The instant at which instance `key` prepares the items of `day`: within the preparation window before the
 * announced minute, never before the local midnight of that day (the items belong to it), and at least a minute
 * (half the window when it is shorter than two) before the announced minute.
 */
export function prepareInstant(schedule: DeliverySchedule, key: string, day: IsoDate, at: LocalClock): number {
  const deliver = deliveryInstant(schedule, day, at);
  const start = Math.max(at(day, 0, 0), deliver - schedule.prepareMinutes * 60_000);
  const window = deliver - start;
  const guard = Math.min(PREPARE_GUARD_MS, Math.floor(window / 2));
  return start + spreadOffset(key, window - guard);
}

/** The instant at which instance `key` applies the status changes of `day` (due soon, overdue, a cycle opening). */
export function midnightInstant(schedule: DeliverySchedule, key: string, day: IsoDate, at: LocalClock): number {
  return at(day, 0, 0) + spreadOffset(`${key}#midnight`, schedule.midnightSpreadMinutes * 60_000);
}

/** The alarm slots of one instance under an announced delivery. */
export function deliverySlots(schedule: DeliverySchedule, key: string, at: LocalClock): AlarmSlots {
  return {
    notify: (day) => prepareInstant(schedule, key, day, at),
    escalate: (day) => prepareInstant(schedule, key, day, at) + ESCALATE_AFTER_NOTIFY_MS,
    midnight: (day) => midnightInstant(schedule, key, day, at),
  };
}

/** The actions a task's state allows now, with the agencies that may take each (`availableActions`). */
export type AllowedActions = readonly { action: string; agencies: readonly string[] }[];

/** What becomes of an item offering actions once the task's state has moved on. */
export type ItemRevision<T> = { kind: 'same' } | { kind: 'revised'; item: T } | { kind: 'withdrawn' };

/**
 * An item never offers an action the task's state no longer allows its recipient: the actions still allowed are
 * kept; when its first action (its reason: submit for a reminder, confirm for a coordinator, accept for the
 * monitoring agency) is gone, the item has nothing left to ask and is withdrawn. Used by the task workflow for
 * items still waiting for their minute, and by the digest's delivery for items sent without one.
 */
export function reviseOffer<T extends { recipient: { agencyId: string }; details: { actions?: readonly string[] } }>(
  item: T,
  allowed: AllowedActions,
): ItemRevision<T> {
  const offered = item.details.actions ?? [];
  const still = offered.filter((a) =>
    allowed.some((x) => x.action === a && x.agencies.includes(item.recipient.agencyId)),
  );
  if (still.length === offered.length) return { kind: 'same' };
  if (offered[0] === undefined || !still.includes(offered[0])) return { kind: 'withdrawn' };
  return { kind: 'revised', item: { ...item, details: { ...item.details, actions: still } } };
}
