/**
 * Every date a valid plan implies, computed before anything starts: the periodic reporting dates over the whole
 * period, and for each task every deadline with its reminders, status changes, overdue notices, escalation ladder
 * and the end of an unfinished cycle, each turned into an instant in the plan's zone. A date the calendar cannot
 * compute, or one outside the years a plan may use, is a validation problem at the field it comes from: import
 * refuses the plan whole instead of failing half-way inside a workflow.
 */
import { COORDINATOR_ESCALATION_AFTER } from '../domain/alarms';
import { addDays, createCalendar, instantOfLocal, type WorkingCalendar } from '../domain/calendar';
import { reportingDatesOf } from '../domain/reporting-dates';
import { DUE_SOON_WORKING_DAYS } from '../domain/reporting-status';
import type { CalendarYearOverride, IsoDate, TaskInstanceSpec } from '../domain/types';
import { getTaskKey } from './expand';
import { MAX_YEAR, MIN_YEAR, type PlanFile } from './schema';

/** A date problem at a field of the plan file. */
export interface PlanDateProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Dates derived from a deadline may reach one year beyond the years a deadline may use: reminders before a deadline
 * early in 2000, a ladder after one late in 2100, the report closing a period that ends in December 2100.
 */
const DERIVED_SLACK_YEARS = 1;

function formatVn(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** Why `date` cannot be used, or null; `slack` years are allowed either side for dates derived from a deadline. */
function yearProblem(date: IsoDate, slack = 0): string | null {
  const year = Number(date.slice(0, 4));
  return year < MIN_YEAR - slack || year > MAX_YEAR + slack
    ? `ngày ${formatVn(date)} nằm ngoài khoảng năm ${MIN_YEAR}–${MAX_YEAR} mà kế hoạch được dùng`
    : null;
}

/** Every local day on which a task instance with this deadline may wake, from the cycle's start to its close. */
function datesOfDeadline(spec: TaskInstanceSpec, due: IsoDate, cal: WorkingCalendar): IsoDate[] {
  const effective = cal.effectiveDeadline(due);
  const days: IsoDate[] = [due, effective, addDays(effective, 1)];
  for (const offset of spec.reminderOffsets)
    days.push(offset === 0 ? effective : cal.previousWorkingDay(cal.addWorkingDays(effective, -offset)));
  days.push(cal.addWorkingDays(effective, -DUE_SOON_WORKING_DAYS));
  const rhythm = Math.max(1, spec.overdueEveryWorkingDays);
  const top = Math.max(0, ...spec.ladder.map((l) => l.afterWorkingDays));
  days.push(cal.addWorkingDays(effective, rhythm), cal.addWorkingDays(effective, top + rhythm * 4));
  for (const level of spec.ladder) days.push(cal.addWorkingDays(effective, level.afterWorkingDays));
  days.push(cal.addWorkingDays(effective, top + 1));
  days.push(cal.addWorkingDays(cal.previousWorkingDay(effective), COORDINATOR_ESCALATION_AFTER));
  return days;
}

/**
 * Computes every date `plan` implies (see the file's comment) and returns the problems found, each at its field
 * (`period`, `reportingDuties[i]`, `tasks[i].timing`). An empty list means every timer the plan's workflows will set
 * can be set. Instances of one task share their schedule, so each task is computed once.
 */
export function findPlanDateProblems(plan: PlanFile, instances: readonly TaskInstanceSpec[]): PlanDateProblem[] {
  const problems: PlanDateProblem[] = [];
  const zone = plan.timeZone;

  try {
    for (const date of reportingDatesOf(plan)) {
      const bad = yearProblem(date, DERIVED_SLACK_YEARS);
      if (bad) throw new RangeError(bad);
      instantOfLocal(date, 8, 30, zone);
    }
  } catch (err) {
    problems.push({
      path: plan.reportingDuties.length > 0 ? ['reportingDuties'] : ['period'],
      message: `Không tính được ngày báo cáo định kỳ trong thời kỳ kế hoạch (${formatVn(plan.period.start)}–${formatVn(plan.period.end)}): ${(err as Error).message} Hãy sửa thời kỳ kế hoạch.`,
    });
  }

  const taskIndex = new Map(plan.tasks.map((t, i) => [getTaskKey(t), i]));
  const calendars = new Map<readonly CalendarYearOverride[], WorkingCalendar>();
  const done = new Set<string>();
  for (const spec of instances) {
    if (done.has(spec.taskKey)) continue;
    done.add(spec.taskKey);
    const index = taskIndex.get(spec.taskKey) ?? 0;
    try {
      let cal = calendars.get(spec.calendar);
      if (!cal) {
        cal = createCalendar(spec.calendar);
        calendars.set(spec.calendar, cal);
      }
      const { schedule } = spec;
      const days: IsoDate[] = [];
      for (const d of [schedule.windowStart, schedule.windowEnd]) if (d) days.push(d);
      const dues = new Set(schedule.dues);
      if (schedule.due) dues.add(schedule.due);
      for (const due of dues) {
        const bad = yearProblem(due);
        if (bad) throw new RangeError(`${bad}.`);
        days.push(...datesOfDeadline(spec, due, cal));
      }
      for (const day of days) {
        const bad = yearProblem(day, DERIVED_SLACK_YEARS);
        if (bad) throw new RangeError(`${bad}.`);
        instantOfLocal(day, 0, 0, zone);
      }
    } catch (err) {
      problems.push({
        path: ['tasks', index, 'timing'],
        message: `Không tính được lịch nhắc hạn, quá hạn và cảnh báo của nhiệm vụ: ${(err as Error).message} Hãy sửa thời gian thực hiện hoặc thời kỳ kế hoạch.`,
      });
    }
  }
  return problems;
}
