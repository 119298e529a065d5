import fc from 'fast-check';
import { addDays, instantOfLocal, localDateOf } from '../../../domain/calendar';
import {
  defaultDeliverySchedule,
  deliveryInstant,
  deliverySlots,
  midnightInstant,
  prepareInstant,
  reviseOffer,
  spreadOffset,
  type DeliverySchedule,
} from '../../../domain/lifecycle/delivery';

const TZ = 'Asia/Ho_Chi_Minh';
const at = (date: string, h: number, m: number): number => instantOfLocal(date, h, m, TZ);
const day = fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2026-01-01', n));
const schedule: fc.Arbitrary<DeliverySchedule> = fc.record({
  minuteOfDay: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  prepareMinutes: fc.integer({ min: 0, max: 12 * 60 }),
  midnightSpreadMinutes: fc.integer({ min: 0, max: 6 * 60 }),
});
const workflowId = fc.string({ minLength: 1, maxLength: 80 }).map((s) => `dondoc:plan:${s}`);

describe('announced delivery', () => {
  test('an item is prepared on its own day, within the window, before the announced minute', () => {
    fc.assert(
      fc.property(schedule, workflowId, day, (s, id, d) => {
        const deliver = deliveryInstant(s, d, at);
        const prepare = prepareInstant(s, id, d, at);
        expect(prepare).toBeGreaterThanOrEqual(at(d, 0, 0));
        expect(prepare).toBeGreaterThanOrEqual(deliver - s.prepareMinutes * 60_000);
        // Strictly before, unless there is no window at all (none asked for, or the announced minute is midnight).
        if (deliver > at(d, 0, 0) && s.prepareMinutes > 0) expect(prepare).toBeLessThan(deliver);
        else expect(prepare).toBe(deliver);
        expect(localDateOf(prepare, TZ)).toBe(d);
        // The last preparation leaves at least a minute when the window allows two.
        if (deliver - Math.max(at(d, 0, 0), deliver - s.prepareMinutes * 60_000) >= 120_000)
          expect(deliver - prepare).toBeGreaterThanOrEqual(60_000);
      }),
    );
  });

  test('status changes come after midnight, within the spread, on the same day', () => {
    fc.assert(
      fc.property(schedule, workflowId, day, (s, id, d) => {
        const t = midnightInstant(s, id, d, at);
        expect(t).toBeGreaterThanOrEqual(at(d, 0, 0));
        expect(t - at(d, 0, 0)).toBeLessThanOrEqual(Math.max(0, s.midnightSpreadMinutes * 60_000 - 1000));
        expect(localDateOf(t, TZ)).toBe(d);
      }),
    );
  });

  test('the instants are a function of the workflow id: the same id gives the same instant, on replay as at first', () => {
    fc.assert(
      fc.property(schedule, workflowId, day, (s, id, d) => {
        const a = deliverySlots(s, id, at);
        const b = deliverySlots({ ...s }, `${id}`, at);
        expect(a.notify(d)).toBe(b.notify(d));
        expect(a.midnight(d)).toBe(b.midnight(d));
        expect(a.escalate(d)).toBe(a.notify(d) + 1000);
      }),
    );
  });

  test('ten thousand instances with the same deadline wake spread over the window, not at once', () => {
    const s = defaultDeliverySchedule(8);
    const d = '2026-12-15';
    const perMinute = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const t = prepareInstant(s, `dondoc:ke-hoach:${i % 10}:xa-${i}`, d, at);
      const minute = Math.floor((t - at(d, 7, 0)) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    // 59 minutes of preparation (07:00–07:58): about 170 a minute each, none empty, none crowded.
    expect([...perMinute.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 59 }, (_, i) => i));
    expect(Math.max(...perMinute.values())).toBeLessThan(260);
    expect(Math.min(...perMinute.values())).toBeGreaterThan(100);
  });

  test('a span shorter than a second spreads nothing', () => {
    expect(spreadOffset('x', 999)).toBe(0);
    expect(spreadOffset('x', 0)).toBe(0);
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1000, max: 86_400_000 }), (k, span) => {
        const o = spreadOffset(k, span);
        expect(o % 1000).toBe(0);
        expect(o).toBeGreaterThanOrEqual(0);
        expect(o).toBeLessThan(span);
      }),
    );
  });
});

describe('an offer revised against what the state allows', () => {
  const ACTION = fc.constantFrom('submit', 'request_extension', 'decline', 'confirm', 'dispute', 'accept', 'return');
  const AGENCY = fc.constantFrom('a', 'b', 'c');
  const item = fc.record({
    recipient: fc.record({ agencyId: AGENCY }),
    details: fc.record({ actions: fc.uniqueArray(ACTION, { maxLength: 4 }) }),
  });
  const allowed = fc.array(fc.record({ action: ACTION, agencies: fc.uniqueArray(AGENCY, { maxLength: 3 }) }), {
    maxLength: 6,
  });
  const may = (a: string, agency: string, menu: { action: string; agencies: string[] }[]): boolean =>
    menu.some((x) => x.action === a && x.agencies.includes(agency));

  test('keeps exactly the offered actions still allowed, in order; withdraws when the first is gone', () => {
    fc.assert(
      fc.property(item, allowed, (i, menu) => {
        const offered = i.details.actions;
        const still = offered.filter((a) => may(a, i.recipient.agencyId, menu));
        const r = reviseOffer(i, menu);
        if (still.length === offered.length) return r.kind === 'same';
        if (!may(offered[0]!, i.recipient.agencyId, menu)) return r.kind === 'withdrawn';
        return r.kind === 'revised' && JSON.stringify(r.item.details.actions) === JSON.stringify(still);
      }),
    );
  });

  test('revising twice changes nothing more (idempotent), and a revised item keeps everything but its actions', () => {
    fc.assert(
      fc.property(item, allowed, (i, menu) => {
        const r = reviseOffer(i, menu);
        if (r.kind !== 'revised') return true;
        return reviseOffer(r.item, menu).kind === 'same' && r.item.recipient === i.recipient;
      }),
    );
  });
});
