/**
 * What dondoc's own state costs in a cached task workflow, against the worker's RSS per cached workflow that the
 * benchmark reports: 2,000 copies of what each instance holds (its input parsed from JSON, its calendar with two
 * years computed, its core after creation), heap measured with garbage collection forced.
 * `node --expose-gc dist/bench/memory-probe.js`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCalendar, localDateOf } from '../domain/calendar';
import { initialCore } from '../domain/lifecycle/core';
import { applyFact } from '../domain/lifecycle/machine';
import { loadPlanFile } from '../plans/load';
import { writeSyntheticPlan } from './synthetic-plan';

const COPIES = 2000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('Chạy với node --expose-gc dist/bench/memory-probe.js\n');
  process.exit(2);
}

function kbEach(make: () => unknown): number {
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const keep: unknown[] = [];
  for (let i = 0; i < COPIES; i++) keep.push(make());
  gc!();
  gc!();
  const kb = (process.memoryUsage().heapUsed - before) / COPIES / 1024;
  return keep.length > 0 ? Math.round(kb * 10) / 10 : 0;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-memory-'));
try {
  const spec = loadPlanFile(writeSyntheticPlan(dir, { planId: 'mem', instances: 10, dueYear: 2028 })).instances[0]!;
  const input = JSON.stringify({ spec, reminderHour: 8 });
  type Input = { spec: typeof spec };
  const rows = {
    inputBytes: input.length,
    calendarBytes: JSON.stringify(spec.calendar).length,
    inputKb: kbEach(() => JSON.parse(input)),
    inputWithoutCalendarKb: kbEach(() => {
      const x = JSON.parse(input) as Input;
      x.spec.calendar = [];
      return x;
    }),
    calendarKb: kbEach(() => {
      const c = createCalendar((JSON.parse(input) as Input).spec.calendar);
      c.isWorkingDay('2028-06-01');
      c.isWorkingDay('2027-06-01');
      return c;
    }),
    coreKb: kbEach(() => {
      const s = (JSON.parse(input) as Input).spec;
      const calendar = createCalendar(s.calendar);
      const now = Date.now();
      const core = initialCore(s, 0, now, localDateOf(now, s.timeZone), true);
      const ctx = { now, timeZone: s.timeZone, calendar, rules: { v3: true, slowAfterLadder: true } };
      return applyFact(core, s, { kind: 'created' }, ctx).core;
    }),
  };
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
