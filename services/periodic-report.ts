import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createCalendar, localDateOf, VN_CALENDAR_OVERRIDES } from '../domain/calendar';
import type { IsoDate, TaskSnapshot } from '../domain/types';
import type { PlanFile } from '../plans/schema';
import { compileReport, type PeriodicReport, type ReportPeriod } from '../reports/compile';
import { renderReportDocx } from '../reports/export-docx';
import { renderReportXlsx } from '../reports/export-xlsx';
import { DirectoryStore } from './directory-store';
import { runPool } from './pool';
import { getTask, listTasks } from './tasks';

/** The plan as it was last imported (saved in the data folder by import). */
export function loadImportedPlan(dataDir: string, planId: string): PlanFile {
  const file = path.join(dataDir, 'plans', `${planId}.json`);
  if (!fs.existsSync(file)) throw new Error(`Kế hoạch "${planId}" chưa được nhập (không có ${file}).`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PlanFile;
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
  const y = asOf.slice(0, 4);
  return { kind: 'year', from: `${y}-01-01`, to: asOf, label: `Năm ${y}` };
}

export interface BuiltReport {
  report: PeriodicReport;
  xlsx: Buffer;
  docx: Buffer;
  fileBase: string;
}

/** Compiles and renders a plan's report as of a date, from what Temporal holds now. */
export async function buildPlanReport(
  client: Client,
  dataDir: string,
  planId: string,
  asOf?: IsoDate,
  period?: ReportPeriod,
  snapshots: (planId: string) => Promise<TaskSnapshot[]> = (id) => planSnapshots(client, id),
): Promise<BuiltReport> {
  const plan = loadImportedPlan(dataDir, planId);
  const directory = new DirectoryStore(DirectoryStore.folder(dataDir));
  const day = asOf ?? localDateOf(Date.now(), plan.timeZone);
  const calendar = createCalendar(VN_CALENDAR_OVERRIDES);
  const report = compileReport({
    plan: {
      id: plan.id,
      number: plan.number,
      title: plan.title,
      issuerName: directory.agencyName(plan.issuer) ?? plan.issuer,
      monitoringName: directory.agencyName(plan.monitoringAgency) ?? plan.monitoringAgency,
      targets: plan.targets.map((t) => ({ id: t.id, title: t.title, op: t.op, value: t.value, unit: t.unit })),
    },
    period: period ?? yearToDate(day),
    snapshots: await snapshots(planId),
    asOf: day,
    calendar,
    timeZone: plan.timeZone,
  });
  const [xlsx, docx] = await Promise.all([renderReportXlsx(report), renderReportDocx(report)]);
  return { report, xlsx, docx, fileBase: `bao-cao-${plan.id}-${day}` };
}
