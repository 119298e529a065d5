import type { Client } from '@temporalio/client';
import { createCalendar, localDateOf, VN_CALENDAR_OVERRIDES } from '../domain/calendar';
import type { IsoDate, TaskSnapshot } from '../domain/types';
import type { DirectoryFile, PlanFile } from '../plans/schema';
import { compileReport, type PeriodicReport, type ReportPeriod } from '../reports/compile';
import { renderReportDocx } from '../reports/export-docx';
import { renderReportXlsx } from '../reports/export-xlsx';
import {
  MISSING_FIELD_PROMPTS,
  reportPlanOf,
  resolveReportHeading,
  type MissingReportField,
  type ReportHeading,
  type ReportOfficerInputs,
} from '../reports/heading';
import { periodToDate } from '../reports/period';
import type { PlanReader } from './plan-store';
import { runPool } from './pool';
import { getTask, listTasks } from './tasks';

/** A plan and its agency directory, as the report reads them. */
export interface PlanSources {
  plan: PlanFile;
  directory: DirectoryFile | undefined;
}

/** The plan and its directory as they were last imported: from the plan's workflow in Temporal. */
export async function readPlanSources(plans: PlanReader, planId: string): Promise<PlanSources> {
  const record = await plans.get(planId);
  if (!record) throw new Error(`Kế hoạch "${planId}" chưa được nhập.`);
  return { plan: record.plan, directory: record.directory };
}

/** The plan as it was last imported. */
export async function loadImportedPlan(plans: PlanReader, planId: string): Promise<PlanFile> {
  return (await readPlanSources(plans, planId)).plan;
}

/** Every task snapshot of a plan: visibility lists them, queries read each one (a few at a time). */
export async function planSnapshots(client: Client, planId: string, concurrency = 16): Promise<TaskSnapshot[]> {
  const rows = await listTasks(client, { planId });
  const out: TaskSnapshot[] = new Array<TaskSnapshot>(rows.length);
  await runPool(rows, concurrency, async (row, i) => {
    out[i] = await getTask(client, row.workflowId);
  });
  return out;
}

/** The period a report as of `asOf` covers: the calendar year up to that day. */
export function yearToDate(asOf: IsoDate): ReportPeriod {
  return periodToDate(asOf, 'yearly');
}

export interface BuiltReport {
  report: PeriodicReport;
  heading: ReportHeading;
  /**
   * What neither the plan, the directory nor the officer gave (code, place, signer, recipients). Empty when the
   * files can be sent as they are; otherwise they hold stand-ins and the caller should ask (`missingFieldsMessage`).
   */
  missing: MissingReportField[];
  xlsx: Buffer;
  docx: Buffer;
  fileBase: string;
}

export interface ReportSources extends PlanSources {
  snapshots: TaskSnapshot[];
  /** The day the figures are counted at (plan-local); default today in the plan's zone. */
  asOf?: IsoDate;
  /** Default: the reporting duty's period (year, half, quarter, month) up to `asOf`. */
  period?: ReportPeriod;
  officer?: ReportOfficerInputs;
  /** Now, for the default `asOf`; injected by tests. */
  now?: () => number;
}

/**
 * Compiles and renders a plan's report from the plan, its directory, the task snapshots and what the officer gave:
 * no Temporal, no files. The period follows the reporting duty (`officer.dutyId`, else the plan's first; a year when
 * the plan has none) and starts no earlier than the plan.
 */
export async function renderPlanReport(sources: ReportSources): Promise<BuiltReport> {
  const { plan, directory, officer = {} } = sources;
  const { heading, missing } = resolveReportHeading(plan, directory, officer);
  const { report, day } = compilePlanReport(sources);
  const [xlsx, docx] = await Promise.all([
    renderReportXlsx(report, { issuingBody: heading.issuingBodyName }),
    renderReportDocx(report, {
      heading,
      ...(officer.assessment?.trim() ? { assessment: officer.assessment } : {}),
      ...(officer.proposals?.trim() ? { proposals: officer.proposals } : {}),
    }),
  ]);
  return { report, heading, missing, xlsx, docx, fileBase: `bao-cao-${plan.id}-${day}` };
}

/** The report's figures and rows (no file): what `renderPlanReport` writes, for a page that shows them. */
export function compilePlanReport(sources: ReportSources): { report: PeriodicReport; day: IsoDate } {
  const { plan, directory, officer = {} } = sources;
  const { duty } = resolveReportHeading(plan, directory, officer);
  const day = sources.asOf ?? localDateOf((sources.now ?? Date.now)(), plan.timeZone);
  const report = compileReport({
    plan: reportPlanOf(plan, directory),
    period: sources.period ?? periodToDate(day, duty?.every ?? 'yearly'),
    snapshots: sources.snapshots,
    asOf: day,
    calendar: createCalendar(VN_CALENDAR_OVERRIDES),
    timeZone: plan.timeZone,
  });
  return { report, day };
}

/** Compiles and renders a plan's report as of a date, from what Temporal holds now. */
export async function buildPlanReport(
  client: Client,
  plans: PlanReader,
  planId: string,
  asOf?: IsoDate,
  period?: ReportPeriod,
  snapshots: (planId: string) => Promise<TaskSnapshot[]> = (id) => planSnapshots(client, id),
  officer?: ReportOfficerInputs,
): Promise<BuiltReport> {
  const sources = await readPlanSources(plans, planId);
  return renderPlanReport({
    ...sources,
    snapshots: await snapshots(planId),
    ...(asOf !== undefined ? { asOf } : {}),
    ...(period !== undefined ? { period } : {}),
    ...(officer !== undefined ? { officer } : {}),
  });
}

/**
 * Asks for each missing part of the heading once, through `ask` (a terminal prompt, a form), and returns the
 * officer inputs completed with the answers. An empty answer leaves the field missing.
 */
export async function askForMissing(
  missing: readonly MissingReportField[],
  officer: ReportOfficerInputs,
  ask: (question: string) => Promise<string>,
): Promise<ReportOfficerInputs> {
  const done: ReportOfficerInputs = { ...officer };
  for (const field of missing) {
    const answer = (await ask(`${MISSING_FIELD_PROMPTS[field].question}: `)).normalize('NFC').trim();
    if (!answer) continue;
    if (field === 'documentCode') done.documentCode = answer;
    else if (field === 'place') done.place = answer;
    else if (field === 'signerTitle') done.signerTitle = answer;
    else
      done.recipients = answer
        .split(';')
        .map((r) => r.trim())
        .filter(Boolean);
  }
  return done;
}

/** Says which parts are missing, the flag that gives each, and where to record it so nobody is asked again. */
export function missingFieldsMessage(planId: string, missing: readonly MissingReportField[]): string {
  const lines = missing.map((f) => {
    const p = MISSING_FIELD_PROMPTS[f];
    return `  - ${p.question}: dùng ${p.flag}, hoặc ghi vào ${p.planField}`;
  });
  return [`Báo cáo của kế hoạch "${planId}" còn thiếu ${missing.length} thông tin:`, ...lines].join('\n');
}
