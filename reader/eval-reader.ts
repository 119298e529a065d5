/**
 * Measures the plan reader against gold task lists: for every `X.txt` with `X.gold.json` beside it,
 * how many gold tasks it found (recall), how many of its tasks are real (precision), and on matched
 * tasks how often the lead set, the coordinators and the due date agree.
 *
 * Tasks are matched on their titles only (normalised token similarity, one-to-one by an optimal
 * assignment), never on refs: annotators number refs their own way ("III.1", "PL.3"), and a reader
 * must not be scored on numbering.
 */
import { readdir, readFile, stat } from 'fs/promises';
import { basename, dirname, join } from 'path';
import { foldText, normaliseAgencyName } from './agency-names';
import { readPlanText } from './read-plan';
import type { DraftTask } from './types';

export interface EvalMetrics {
  taskRecall: number;
  taskPrecision: number;
  taskF1: number;
  leadAccuracy: number;
  coordinatorF1: number;
  dueAccuracy: number;
}

export interface EvalCounts {
  /** Gold tasks, tasks the reader found, and pairs matched one-to-one on the title. */
  goldTasks: number;
  readerTasks: number;
  matched: number;
}

export interface EvalFileResult extends EvalMetrics, EvalCounts {
  file: string;
}

export interface EvalResult {
  overall: EvalMetrics & EvalCounts;
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

/** Syllables too common in Vietnamese titles to say two titles are about the same thing. */
const STOP = new Set([
  'va',
  'cac',
  'cua',
  'cho',
  'trong',
  'tren',
  'voi',
  'de',
  'theo',
  'the',
  'nhung',
  'la',
  'co',
  'duoc',
  'mot',
  'so',
  've',
  'tai',
  'den',
  'tu',
  'nay',
  'do',
]);

function titleTokens(text: string): Set<string> {
  return new Set(
    foldText(text)
      .split(' ')
      .filter((t) => t && !STOP.has(t)),
  );
}

/**
 * Similarity of two titles in [0, 1]: the Dice coefficient of their token sets, raised to the
 * containment ratio when one title is (nearly) inside the other, since gold titles are often the
 * first clause of a longer heading. Below `MIN_SIMILARITY` two titles are not the same task.
 */
export function titleSimilarity(a: string, b: string): number {
  const ta = titleTokens(a);
  const tb = titleTokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let common = 0;
  for (const t of ta) if (tb.has(t)) common += 1;
  const dice = (2 * common) / (ta.size + tb.size);
  const containment = common / Math.min(ta.size, tb.size);
  // A short title inside a long one counts, but less than an equal title: 0.8 at full containment.
  const contained = Math.min(ta.size, tb.size) >= 3 ? 0.8 * containment : 0;
  return Math.max(dice, contained);
}

export const MIN_SIMILARITY = 0.5;

/** Lenient title match: similarity at least `MIN_SIMILARITY`. */
export function titlesMatch(a: string, b: string): boolean {
  return titleSimilarity(a, b) >= MIN_SIMILARITY;
}

/**
 * Maximum-weight one-to-one assignment (Hungarian method on the cost matrix 1 − weight, padded to a
 * square). Returns for each row the column it takes, or −1.
 */
export function assignMaxWeight(weights: number[][], cols: number): number[] {
  const rows = weights.length;
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  const cost = (i: number, j: number): number => 1 - (weights[i - 1]?.[j - 1] ?? 0);
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i += 1) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0] ?? 0;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j += 1) {
        if (used[j]) continue;
        const cur = cost(i0, j) - (u[i0] ?? 0) - (v[j] ?? 0);
        if (cur < (minv[j] ?? Infinity)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] ?? Infinity) < delta) {
          delta = minv[j] ?? Infinity;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j += 1) {
        if (used[j]) {
          u[p[j] ?? 0] = (u[p[j] ?? 0] ?? 0) + delta;
          v[j] = (v[j] ?? 0) - delta;
        } else {
          minv[j] = (minv[j] ?? Infinity) - delta;
        }
      }
      j0 = j1;
    } while ((p[j0] ?? 0) !== 0);
    do {
      const j1 = way[j0] ?? 0;
      p[j0] = p[j1] ?? 0;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j += 1) {
    const i = p[j] ?? 0;
    if (i >= 1 && i <= rows && j <= cols) result[i - 1] = j - 1;
  }
  return result;
}

/**
 * One-to-one matching on titles: the assignment that maximises the summed similarity, keeping only
 * pairs at or above `MIN_SIMILARITY`. Refs play no part.
 */
export function matchTasks<G extends { title: string }, O extends { title: string }>(gold: G[], ours: O[]): [G, O][] {
  const weights = gold.map((g) =>
    ours.map((o) => {
      const s = titleSimilarity(g.title, o.title);
      return s >= MIN_SIMILARITY ? s : 0;
    }),
  );
  const assignment = assignMaxWeight(weights, ours.length);
  const pairs: [G, O][] = [];
  assignment.forEach((j, i) => {
    const g = gold[i];
    const o = ours[j];
    if (g && o && (weights[i]?.[j] ?? 0) >= MIN_SIMILARITY) pairs.push([g, o]);
  });
  return pairs;
}

/** Agency-name key for comparing leads and coordinators: abbreviations expanded, case and marks folded. */
function agencyKey(name: string): string {
  return normaliseAgencyName(name);
}

function countFile(gold: GoldTask[], ours: DraftTask[]): Counts {
  const pairs = matchTasks(gold, ours);
  const c: Counts = {
    gold: gold.length,
    ours: ours.length,
    matched: pairs.length,
    leadEqual: 0,
    coordTp: 0,
    coordOurs: 0,
    coordGold: 0,
    dueTotal: 0,
    dueEqual: 0,
  };
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

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function metricsOf(c: Counts): EvalMetrics & EvalCounts {
  const p = ratio(c.coordTp, c.coordOurs);
  const r = ratio(c.coordTp, c.coordGold);
  const taskRecall = ratio(c.matched, c.gold);
  const taskPrecision = ratio(c.matched, c.ours);
  return {
    taskRecall,
    taskPrecision,
    taskF1: f1(taskPrecision, taskRecall),
    leadAccuracy: ratio(c.leadEqual, c.matched),
    coordinatorF1: c.coordOurs + c.coordGold === 0 ? 1 : f1(p, r),
    dueAccuracy: ratio(c.dueEqual, c.dueTotal),
    goldTasks: c.gold,
    readerTasks: c.ours,
    matched: c.matched,
  };
}

function readGold(json: unknown, file: string): GoldTask[] {
  const tasks = (json as { tasks?: unknown }).tasks;
  if (!Array.isArray(tasks))
    throw new Error(`${file}: thiếu mảng "tasks" trong tệp gold; kiểm tra định dạng (plans/README.md).`);
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

/** The `X.txt` files a path names: the file itself, or every `.txt` of a folder, in name order. */
async function textFilesOf(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`Không tìm thấy ${path}: cần một thư mục hoặc một tệp .txt có tệp .gold.json bên cạnh.`);
  }
  if (info.isDirectory()) {
    return (await readdir(path))
      .filter((n) => n.endsWith('.txt'))
      .sort()
      .map((n) => join(path, n));
  }
  if (!path.endsWith('.txt'))
    throw new Error(`${path}: chỉ đánh giá được tệp .txt (có tệp .gold.json cùng tên bên cạnh).`);
  return [path];
}

/**
 * Runs the reader over every `X.txt` that has `X.gold.json` beside it, in each folder or file
 * given, and returns per-file and overall metrics (micro-averages over all files), each in [0, 1].
 * A ratio with nothing to count (e.g. no gold due dates) is 1. Reads files only; throws with the
 * file name when a gold file is malformed or a path does not exist.
 */
export async function evaluateReader(paths: string | string[]): Promise<EvalResult> {
  const list = Array.isArray(paths) ? paths : [paths];
  const files: EvalFileResult[] = [];
  const total: Counts = {
    gold: 0,
    ours: 0,
    matched: 0,
    leadEqual: 0,
    coordTp: 0,
    coordOurs: 0,
    coordGold: 0,
    dueTotal: 0,
    dueEqual: 0,
  };
  for (const path of list) {
    for (const txt of await textFilesOf(path)) {
      const name = basename(txt);
      const base = name.slice(0, -'.txt'.length);
      let goldText: string;
      try {
        goldText = await readFile(join(dirname(txt), `${base}.gold.json`), 'utf8');
      } catch {
        continue;
      }
      const gold = readGold(JSON.parse(goldText) as unknown, `${base}.gold.json`);
      const draft = readPlanText(await readFile(txt, 'utf8'), { fileName: name });
      const c = countFile(gold, draft.tasks);
      for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
      files.push({ file: name, ...metricsOf(c) });
    }
  }
  return { overall: metricsOf(total), files };
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)}%`.padStart(7);
}

/** A fixed-width table of the figures for people (Vietnamese headings). */
export function formatEvalTable(result: EvalResult): string {
  const head = ['Tệp', 'Gold', 'Đọc', 'Khớp', 'Recall', 'Precision', 'F1', 'Chủ trì', 'Phối hợp F1', 'Hạn'];
  const width = Math.max(12, ...result.files.map((f) => f.file.length));
  const row = (file: string, m: EvalMetrics & EvalCounts): string =>
    [
      file.padEnd(width),
      String(m.goldTasks).padStart(5),
      String(m.readerTasks).padStart(5),
      String(m.matched).padStart(5),
      pct(m.taskRecall),
      pct(m.taskPrecision),
      pct(m.taskF1),
      pct(m.leadAccuracy),
      pct(m.coordinatorF1),
      pct(m.dueAccuracy),
    ].join('  ');
  const lines = [
    [
      head[0]?.padEnd(width),
      ...head.slice(1, 4).map((h) => h.padStart(5)),
      ...head.slice(4).map((h) => h.padStart(7)),
    ].join('  '),
    ...result.files.map((f) => row(f.file, f)),
    row('Tổng (micro)', result.overall),
  ];
  return lines.join('\n');
}
