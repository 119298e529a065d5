/**
 * Measures the plan reader against gold task lists: for every `X.txt` with `X.gold.json` beside it,
 * how many gold tasks it found (recall), how many of its tasks are real (precision), and on matched
 * tasks how often the lead set, the coordinators and the due date agree.
 */
import { readdir, readFile } from 'fs/promises';
import { join } from 'path';
import { foldText } from './agency-names';
import { readPlanText } from './read-plan';
import type { DraftTask } from './types';

export interface EvalMetrics {
  taskRecall: number;
  taskPrecision: number;
  leadAccuracy: number;
  coordinatorF1: number;
  dueAccuracy: number;
}

export interface EvalFileResult extends EvalMetrics {
  file: string;
}

export interface EvalResult {
  overall: EvalMetrics;
  files: EvalFileResult[];
}

interface GoldTask {
  ref: string | null;
  title: string;
  lead: string[];
  coordinators: string[];
  due: string | null;
}

/** Raw counts behind the metrics; overall figures are micro-averages over these. */
interface Counts {
  gold: number;
  ours: number;
  matched: number;
  leadEqual: number;
  coordTp: number;
  coordOurs: number;
  coordGold: number;
  dueTotal: number;
  dueEqual: number;
}

function tokens(text: string): string[] {
  return foldText(text).split(' ').filter(Boolean);
}

/**
 * Lenient title match: one normalised title contains the other, or the token overlap
 * |A ∩ B| / max(|A|, |B|) is at least 0.5.
 */
export function titlesMatch(a: string, b: string): boolean {
  const fa = foldText(a);
  const fb = foldText(b);
  if (!fa || !fb) return false;
  if (fa.includes(fb) || fb.includes(fa)) return true;
  const ta = new Set(tokens(a));
  const tb = new Set(tokens(b));
  let common = 0;
  for (const t of ta) if (tb.has(t)) common += 1;
  return common / Math.max(ta.size, tb.size) >= 0.5;
}

/** Refs agree when equal; a task without a ref (prose plans) is matched on its title alone. */
function refsMatch(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return true;
  return a.replace(/\.$/, '') === b.replace(/\.$/, '');
}

/** Agency-name key used for comparing lead and coordinator names (case, diacritics, punctuation). */
function agencyKey(name: string): string {
  return foldText(name);
}

/** One-to-one greedy matching in document order: each gold task takes the first unused task that matches. */
function matchTasks(gold: GoldTask[], ours: DraftTask[]): [GoldTask, DraftTask][] {
  const used = new Set<number>();
  const pairs: [GoldTask, DraftTask][] = [];
  for (const g of gold) {
    const i = ours.findIndex((o, k) => !used.has(k) && refsMatch(g.ref, o.ref) && titlesMatch(g.title, o.title));
    const o = ours[i];
    if (i >= 0 && o) {
      used.add(i);
      pairs.push([g, o]);
    }
  }
  return pairs;
}

function countFile(gold: GoldTask[], ours: DraftTask[]): Counts {
  const pairs = matchTasks(gold, ours);
  const c: Counts = { gold: gold.length, ours: ours.length, matched: pairs.length, leadEqual: 0, coordTp: 0, coordOurs: 0, coordGold: 0, dueTotal: 0, dueEqual: 0 };
  for (const [g, o] of pairs) {
    const gl = new Set(g.lead.map(agencyKey));
    const ol = new Set(o.lead.map(agencyKey));
    if (gl.size === ol.size && [...gl].every((k) => ol.has(k))) c.leadEqual += 1;
    const gc = new Set(g.coordinators.map(agencyKey));
    const oc = new Set(o.coordinators.map(agencyKey));
    c.coordGold += gc.size;
    c.coordOurs += oc.size;
    for (const k of oc) if (gc.has(k)) c.coordTp += 1;
    if (g.due !== null) {
      c.dueTotal += 1;
      if (o.due === g.due) c.dueEqual += 1;
    }
  }
  return c;
}

function ratio(n: number, d: number): number {
  return d === 0 ? 1 : n / d;
}

function metricsOf(c: Counts): EvalMetrics {
  const p = ratio(c.coordTp, c.coordOurs);
  const r = ratio(c.coordTp, c.coordGold);
  return {
    taskRecall: ratio(c.matched, c.gold),
    taskPrecision: ratio(c.matched, c.ours),
    leadAccuracy: ratio(c.leadEqual, c.matched),
    coordinatorF1: c.coordOurs + c.coordGold === 0 ? 1 : p + r === 0 ? 0 : (2 * p * r) / (p + r),
    dueAccuracy: ratio(c.dueEqual, c.dueTotal),
  };
}

function readGold(json: unknown, file: string): GoldTask[] {
  const tasks = (json as { tasks?: unknown }).tasks;
  if (!Array.isArray(tasks)) throw new Error(`${file}: thiếu mảng "tasks" trong tệp gold; kiểm tra định dạng (plans/README.md).`);
  return tasks.map((t: Record<string, unknown>, i) => {
    if (typeof t.title !== 'string') throw new Error(`${file}: nhiệm vụ thứ ${i + 1} thiếu "title".`);
    return {
      ref: typeof t.ref === 'string' ? t.ref : null,
      title: t.title,
      lead: Array.isArray(t.lead) ? t.lead.map(String) : [],
      coordinators: Array.isArray(t.coordinators) ? t.coordinators.map(String) : [],
      due: typeof t.due === 'string' ? t.due : null,
    };
  });
}

/**
 * Runs the reader over every `X.txt` in `dir` that has `X.gold.json` beside it and returns per-file
 * and overall metrics (micro-averages over all files), each in [0, 1]. A ratio with nothing to
 * count (e.g. no gold due dates) is 1. Tasks match on ref (when both have one) and lenient title.
 * Reads files only; throws with the file name when a gold file is malformed.
 */
export async function evaluateReader(dir: string): Promise<EvalResult> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
  const files: EvalFileResult[] = [];
  const total: Counts = { gold: 0, ours: 0, matched: 0, leadEqual: 0, coordTp: 0, coordOurs: 0, coordGold: 0, dueTotal: 0, dueEqual: 0 };
  for (const name of names) {
    const base = name.slice(0, -'.txt'.length);
    let goldText: string;
    try {
      goldText = await readFile(join(dir, `${base}.gold.json`), 'utf8');
    } catch {
      continue;
    }
    const gold = readGold(JSON.parse(goldText) as unknown, `${base}.gold.json`);
    const draft = readPlanText(await readFile(join(dir, name), 'utf8'), { fileName: name });
    const c = countFile(gold, draft.tasks);
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
    files.push({ file: name, ...metricsOf(c) });
  }
  return { overall: metricsOf(total), files };
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`.padStart(7);
}

/** A fixed-width table of the figures for people (Vietnamese headings). */
export function formatEvalTable(result: EvalResult): string {
  const head = ['Tệp', 'Recall', 'Precision', 'Chủ trì', 'Phối hợp F1', 'Hạn'];
  const width = Math.max(10, ...result.files.map((f) => f.file.length));
  const row = (file: string, m: EvalMetrics): string =>
    [file.padEnd(width), pct(m.taskRecall), pct(m.taskPrecision), pct(m.leadAccuracy), pct(m.coordinatorF1), pct(m.dueAccuracy)].join('  ');
  const lines = [
    [head[0]?.padEnd(width), ...head.slice(1).map((h) => h.padStart(7))].join('  '),
    ...result.files.map((f) => row(f.file, f)),
    row('Tổng (micro)', result.overall),
  ];
  return lines.join('\n');
}
