/**
 * Reads plan and directory files (YAML or JSON), validates them with the zod schemas and the
 * cross-field rules, and reports EVERY problem at once with its file, line, column and field.
 * Nothing is returned unless the whole plan is valid: import is all or nothing.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';

import { AdminUnitsUnavailableError, findUnits, loadAdminUnits, type AdminUnit, type AdminUnits } from '../admin-units';
import type { CalendarYearOverride, IsoDate, TaskInstanceSpec } from '../domain/types';
import { getShippedCalendar } from './calendar-data';
import { readContactSheet, readContactSheetSync, type ContactSheetRead } from './contact-sheet';
import { applyContacts, checkContactSheet, type ContactAssignment } from './contacts';
import type { TimingParser } from './expand';
import {
  buildTimingContext,
  expandLeads,
  expandPlan,
  getLeadIds,
  getTaskKey,
  getTimingParts,
  indexDirectory,
  resolveSchedule,
} from './expand';
import type { Agency, DirectoryFile, PlanFile, PlanTask } from './schema';
import { findPlanDateProblems } from './plan-dates';
import { directoryFileSchema, planFileSchema, taskSchema } from './schema';
import {
  firstUnitsField,
  formatSuccessionProposal,
  resolveDirectoryUnits,
  usesAdminUnits,
  type SuccessionProposal,
} from './units';

/** Largest plan or directory file accepted, in bytes. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** One problem in a plan or directory file. */
export interface PlanIssue {
  file: string;
  line?: number;
  column?: number;
  /** Path of the field, e.g. `tasks[3].lead`; `(tệp)` for the file as a whole. */
  field: string;
  /** Plain Vietnamese: what is wrong and what to do. */
  message: string;
}

/** Thrown when a plan or directory file is not valid; carries every issue found. */
export class PlanValidationError extends Error {
  override readonly name = 'PlanValidationError' as const;
  readonly issues: PlanIssue[];

  constructor(issues: PlanIssue[]) {
    const first = issues[0];
    super(
      issues.length === 1 && first
        ? `Kế hoạch không hợp lệ: ${formatIssue(first)}`
        : `Kế hoạch không hợp lệ: ${issues.length} lỗi, không nhập gì. Sửa tất cả rồi nhập lại.\n${issues.map(formatIssue).join('\n')}`,
    );
    this.issues = issues;
  }

  /** One issue per line: `file:line:col  field  message`. */
  format(): string {
    return this.issues.map(formatIssue).join('\n');
  }
}

function formatIssue(issue: PlanIssue): string {
  const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return `${where}  ${issue.field}  ${issue.message}`;
}

export interface LoadPlanOptions {
  /** Import even when tasks carry unresolved `review` marks. */
  acceptReview?: boolean;
  /** Directory file to use instead of the plan's `directory` field. */
  directoryPath?: string;
  /** Calendar data put into each spec (default: shipped data from domain/calendar). */
  calendar?: CalendarYearOverride[];
  /** Timing reader (default: `parseTiming` from domain/timing). */
  parse?: TimingParser;
  /** Apply every succession the administrative units data proposes (`--confirm-successors`). */
  confirmSuccessors?: boolean;
  /** The administrative units (default: `.cache/admin-units.json`, read only when the directory needs it). */
  adminUnits?: AdminUnits;
  /** File to read them from instead of `.cache/admin-units.json`. */
  adminUnitsFile?: string;
  /** Contact sheets already read, by absolute path (`loadPlan` reads .xlsx ones ahead; .csv ones are read here). */
  contactSheets?: Record<string, ContactSheetRead>;
}

/** Options of `loadDirectoryFile`. */
export interface LoadDirectoryOptions {
  adminUnits?: AdminUnits;
  adminUnitsFile?: string;
  contactSheets?: Record<string, ContactSheetRead>;
  /** Leave out the contact sheet the directory names (to check another sheet against it). */
  ignoreContacts?: boolean;
}

/** A valid plan, its directory and every task instance it yields. */
export interface LoadedPlan {
  plan: PlanFile;
  directory: DirectoryFile;
  instances: TaskInstanceSpec[];
  planPath: string;
  directoryPath: string;
  /** Successions from the administrative units data that this plan's tasks follow (confirmed). */
  successions: SuccessionProposal[];
  /** What was changed on reading without refusing the plan (invisible characters removed), with its place. */
  warnings: PlanIssue[];
}

type PathKey = string | number;

/** A parsed source file: the YAML document for positions, and its plain value. */
interface SourceDoc {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
  /** Invisible characters removed from texts, one warning per text. */
  warnings: PlanIssue[];
}

// ---------------------------------------------------------------------------------------------
// Reading bytes
// ---------------------------------------------------------------------------------------------

/** Offset of the first byte that is not valid UTF-8, or -1. */
function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineColAt(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i += 1) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Decodes a file's bytes as UTF-8 text (NFC), or reports why it cannot. */
function decodeSource(bytes: Uint8Array, file: string, issues: PlanIssue[]): string | null {
  if (bytes.length > MAX_FILE_BYTES) {
    issues.push({
      file,
      field: '(tệp)',
      message: `Tệp quá lớn (${(bytes.length / 1024 / 1024).toFixed(1)} MB, tối đa 2 MB). Hãy tách kế hoạch hoặc bỏ phần không phải nhiệm vụ.`,
    });
    return null;
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    issues.push({
      file,
      line: 1,
      column: 1,
      field: '(tệp)',
      message:
        'Tệp được lưu bằng mã UTF-16. Hãy lưu lại với mã UTF-8 (trong trình soạn thảo: "Save with encoding" → UTF-8).',
    });
    return null;
  }
  const bad = findInvalidUtf8(bytes);
  if (bad >= 0) {
    const pos = lineColAt(bytes, bad);
    issues.push({
      file,
      ...pos,
      field: '(tệp)',
      message:
        'Tệp không phải mã UTF-8 (có byte không hợp lệ ở vị trí này, có thể tệp lưu bằng Latin-1/Windows-1258/TCVN3). Hãy lưu lại với mã UTF-8 Unicode.',
    });
    return null;
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.normalize('NFC');
}

/** Keys whose numeric-looking values are really labels: `ref: 1.10` must stay "1.10". */
const LABEL_KEYS = new Set(['ref', 'id', 'number', 'code', 'unit', 'province']);

/** Nesting a plan or directory needs is about six levels; far deeper is a malformed or hostile file. */
export const MAX_DEPTH = 32;
/** Alias expansions allowed (yaml counts each use weighted by its size): plans need none; a bomb needs millions. */
const MAX_ALIAS_COUNT = 100;

/** Plain Vietnamese for the YAML parser's error codes (its own messages are English). */
const YAML_ERRORS: Record<string, string> = {
  ALIAS_PROPS: 'bí danh (*tên) không được mang thẻ hay neo',
  BAD_ALIAS: 'bí danh (*tên) không hợp lệ hoặc trỏ tới neo (&tên) chưa khai báo',
  BAD_COLLECTION_TYPE: 'kiểu danh sách/nhóm trường không đúng với thẻ của nó',
  BAD_DIRECTIVE: 'chỉ thị YAML (dòng bắt đầu bằng %) không hợp lệ',
  BAD_DQ_ESCAPE: 'chuỗi trong dấu nháy kép có ký tự thoát (\\) không hợp lệ',
  BAD_INDENT: 'thụt lề không đúng',
  BAD_PROP_ORDER: 'neo (&) và thẻ (!) đặt sai thứ tự',
  BAD_SCALAR_START: 'giá trị bắt đầu bằng ký tự không được phép (hãy đặt giá trị trong dấu nháy)',
  BLOCK_AS_IMPLICIT_KEY: 'một khối được dùng làm tên trường',
  BLOCK_IN_FLOW: 'khối nhiều dòng nằm trong ngoặc { } hoặc [ ]',
  DUPLICATE_KEY: 'tên trường bị lặp lại trong cùng một nhóm',
  IMPOSSIBLE: 'cấu trúc không đọc được',
  KEY_OVER_1024_CHARS: 'tên trường dài quá 1024 ký tự',
  MISSING_CHAR: 'thiếu ký tự đóng (ngoặc, dấu nháy hoặc dấu hai chấm)',
  MULTILINE_IMPLICIT_KEY: 'tên trường kéo dài nhiều dòng (thường do thiếu dấu hai chấm hoặc sai thụt lề)',
  MULTIPLE_ANCHORS: 'một giá trị có nhiều neo (&)',
  MULTIPLE_DOCS: 'tệp chứa nhiều tài liệu (có dòng ---); mỗi tệp chỉ được một kế hoạch hoặc một danh bạ',
  MULTIPLE_TAGS: 'một giá trị có nhiều thẻ (!)',
  NON_STRING_KEY: 'tên trường không phải chuỗi chữ',
  TAB_AS_INDENT: 'thụt lề bằng phím Tab; YAML chỉ cho thụt lề bằng dấu cách',
  TAG_RESOLVE_FAILED: 'thẻ (!) không được hỗ trợ',
  UNEXPECTED_TOKEN: 'có ký tự không mong đợi',
};

/** Invisible characters that can disguise text: bidirectional overrides and isolates, marks, zero-width characters. */
const INVISIBLE = /[\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Removes invisible characters from every text of `value` in place, with one warning per text changed. */
function stripInvisible(src: Omit<SourceDoc, 'value' | 'warnings'>, value: unknown, warnings: PlanIssue[]): void {
  const stack: { node: unknown; path: PathKey[] }[] = [{ node: value, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: PathKey[] };
    if (node === null || typeof node !== 'object') continue;
    const entries: [PathKey, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node as Record<string, unknown>);
    for (const [key, child] of entries) {
      if (typeof child === 'string') {
        const clean = child.replace(INVISIBLE, '');
        if (clean === child) continue;
        (node as Record<PathKey, unknown>)[key] = clean;
        const where = [...path, key];
        warnings.push({
          file: src.file,
          ...positionOf({ ...src, value, warnings }, where),
          field: fieldName(where),
          message: `Đã bỏ ${child.length - clean.length} ký tự vô hình (ký tự đảo chiều chữ hoặc ký tự độ rộng 0) có thể làm chữ hiển thị sai lệch.`,
        });
      } else stack.push({ node: child, path: [...path, key] });
    }
  }
}

/** Nesting depth of a parsed YAML node (without recursion: a hostile file may nest far deeper than the stack). */
function depthOf(root: unknown): number {
  let max = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (depth > max) max = depth;
    if (depth > MAX_DEPTH) break;
    if (isMap(node) || isSeq(node))
      for (const item of node.items) {
        if (isPair(item)) stack.push({ node: item.value, depth: depth + 1 });
        else stack.push({ node: item, depth: depth + 1 });
      }
  }
  return max;
}

function parseSource(text: string, file: string, issues: PlanIssue[]): SourceDoc | null {
  const lines = new LineCounter();
  const wholeFile = (message: string): null => {
    issues.push({ file, field: '(tệp)', message });
    return null;
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch {
    // The parser recurses on nesting: thousands of nested brackets exhaust the stack before it can report them.
    return wholeFile(
      `Tệp lồng nhau quá sâu (quá ${MAX_DEPTH} cấp ngoặc hoặc thụt lề), không đọc được. Kế hoạch và danh bạ chỉ cần vài cấp.`,
    );
  }
  if (doc.errors.some((err) => err.code === 'RESOURCE_EXHAUSTION'))
    return wholeFile(
      `Tệp lồng nhau quá sâu (quá ${MAX_DEPTH} cấp ngoặc hoặc thụt lề), không đọc được. Kế hoạch và danh bạ chỉ cần vài cấp.`,
    );
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lines.linePos(err.pos[0]);
      const what = YAML_ERRORS[err.code] ?? 'cấu trúc không đọc được';
      issues.push({
        file,
        line: pos.line,
        column: pos.col,
        field: '(cú pháp)',
        message: `Lỗi cú pháp YAML/JSON ở dòng ${pos.line}, cột ${pos.col}: ${what}. Kiểm tra thụt lề, dấu hai chấm, ngoặc và dấu nháy ở dòng này.`,
      });
    }
    return null;
  }
  if (depthOf(doc.contents) > MAX_DEPTH)
    return wholeFile(
      `Tệp lồng nhau quá sâu (quá ${MAX_DEPTH} cấp), không đọc được. Kế hoạch và danh bạ chỉ cần vài cấp: kiểm tra lại tệp.`,
    );
  visit(doc, {
    Pair(_key, pair) {
      if (
        isScalar(pair.key) &&
        typeof pair.key.value === 'string' &&
        LABEL_KEYS.has(pair.key.value) &&
        isScalar(pair.value)
      ) {
        const v = pair.value;
        if (typeof v.value === 'number') v.value = v.source ?? String(v.value);
      }
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return wholeFile(
      'Tệp dùng bí danh YAML (&neo / *bí danh) lồng nhau đến mức nội dung phình ra quá lớn, không đọc được. ' +
        'Hãy viết thẳng nội dung thay cho bí danh.',
    );
  }
  const warnings: PlanIssue[] = [];
  stripInvisible({ file, doc, lines }, value, warnings);
  return { file, doc, lines, value, warnings };
}

function readSource(path: string, issues: PlanIssue[]): SourceDoc | null {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) {
      issues.push({
        file: path,
        field: '(tệp)',
        message: `Tệp quá lớn (${(size / 1024 / 1024).toFixed(1)} MB, tối đa 2 MB). Hãy tách kế hoạch hoặc bỏ phần không phải nhiệm vụ.`,
      });
      return null;
    }
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    issues.push({
      file: path,
      field: '(tệp)',
      message:
        code === 'ENOENT'
          ? 'Không tìm thấy tệp. Kiểm tra lại đường dẫn.'
          : `Không đọc được tệp (${code ?? String(err)}).`,
    });
    return null;
  }
  const text = decodeSource(new Uint8Array(bytes), path, issues);
  return text === null ? null : parseSource(text, path, issues);
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

function fieldName(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out === '' ? '(gốc)' : out;
}

/** Line and column of the node at `path` (or of its nearest existing ancestor); of the key itself when `key` is given. */
function positionOf(src: SourceDoc, path: readonly PathKey[], key?: string): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n -= 1) {
    const node = n === 0 ? src.doc.contents : src.doc.getIn(path.slice(0, n), true);
    if (!isNode(node)) continue;
    let offset = node.range?.[0];
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    if (offset === undefined) continue;
    const pos = src.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
  return {};
}

function issueAt(src: SourceDoc, path: readonly PathKey[], message: string): PlanIssue {
  return { file: src.file, ...positionOf(src, path), field: fieldName(path), message };
}

/**
 * A reporting duty `to` the plan's own issuer: the plan would report to itself. Legal in the format (a
 * department's plan may report to its own director) but far more often a slip for the agency above, so it is
 * said, not refused.
 */
function selfReportWarnings(src: SourceDoc, plan: PlanFile, directory: DirectoryFile): PlanIssue[] {
  const name = directory.agencies.find((a) => a.id === plan.issuer)?.name ?? plan.issuer;
  return plan.reportingDuties.flatMap((d, i) =>
    d.to === plan.issuer
      ? [
          issueAt(
            src,
            ['reportingDuties', i, 'to'],
            `Nhiệm vụ báo cáo "${d.id}" gửi tới "${d.to}" (${name}), chính là cơ quan ban hành kế hoạch (issuer): kế hoạch tự báo cáo cho mình. ` +
              'Nếu báo cáo phải gửi cơ quan cấp trên, sửa trường to rồi nhập lại; nếu đúng như vậy, bỏ qua cảnh báo này.',
          ),
        ]
      : [],
  );
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PathKey, unknown>)[key];
  }
  return cur;
}

const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

/** Turns a zod issue into plain Vietnamese with its place in the file. */
function translateZodIssue(src: SourceDoc, issue: z.core.$ZodIssue): PlanIssue {
  const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return {
      file: src.file,
      ...positionOf(src, path, key),
      field: fieldName([...path, key]),
      message: `Trường không có trong định dạng: ${issue.keys.map((k) => `"${k}"`).join(', ')}. Kiểm tra lỗi chính tả hoặc xóa trường này (xem plans/FORMAT.md).`,
    };
  }
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  if (
    issue.code === 'invalid_type' &&
    valueAt(src.value, path) === undefined &&
    typeof last === 'string' &&
    valueAt(src.value, parentPath) !== undefined
  ) {
    return {
      file: src.file,
      ...positionOf(src, parentPath),
      field: fieldName(path),
      message: `Thiếu trường bắt buộc "${last}". Hãy thêm trường này (xem plans/FORMAT.md).`,
    };
  }
  let message = issue.message;
  if (VIETNAMESE.test(message)) {
    message = message.charAt(0).toUpperCase() + message.slice(1);
    if (!/hãy/i.test(message)) message = `${message}. Hãy sửa giá trị này.`;
  } else {
    switch (issue.code) {
      case 'invalid_type':
        message = `Sai kiểu dữ liệu: cần ${issue.expected === 'array' ? 'một danh sách' : issue.expected === 'object' ? 'một nhóm trường (key: value)' : issue.expected === 'number' ? 'một số' : issue.expected === 'boolean' ? 'true hoặc false' : issue.expected === 'string' ? 'một chuỗi chữ' : issue.expected}. Hãy sửa giá trị này.`;
        break;
      case 'too_small':
        message = `Giá trị quá nhỏ hoặc danh sách quá ngắn (tối thiểu ${String(issue.minimum)}).`;
        break;
      case 'too_big':
        message = `Giá trị quá lớn hoặc danh sách quá dài (tối đa ${String(issue.maximum)}).`;
        break;
      case 'invalid_value':
        message = `Giá trị không hợp lệ: chỉ chấp nhận ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
        break;
      default:
        message = `Giá trị không hợp lệ (${issue.code}). Hãy kiểm tra lại theo plans/FORMAT.md.`;
    }
  }
  return issueAt(src, path, message);
}

// ---------------------------------------------------------------------------------------------
// Directory
// ---------------------------------------------------------------------------------------------

function formatVnDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

function checkDirectory(src: SourceDoc, directory: DirectoryFile, issues: PlanIssue[], handAgencies: number): void {
  const agencyIds = new Map<string, number>();
  const hand = directory.agencies.slice(0, handAgencies);
  hand.forEach((a, i) => {
    const first = agencyIds.get(a.id);
    if (first !== undefined) {
      issues.push(
        issueAt(
          src,
          ['agencies', i, 'id'],
          `Mã cơ quan "${a.id}" bị trùng với agencies[${first}]. Mỗi cơ quan cần một mã riêng.`,
        ),
      );
    } else agencyIds.set(a.id, i);
  });
  // Agencies created from administrative units are valid by construction; hand entries may refer to them.
  directory.agencies.slice(handAgencies).forEach((a, i) => {
    if (!agencyIds.has(a.id)) agencyIds.set(a.id, handAgencies + i);
  });
  const groupIds = new Map<string, number>();
  directory.groups.forEach((g, i) => {
    if (agencyIds.has(g.id)) {
      issues.push(
        issueAt(src, ['groups', i, 'id'], `Mã nhóm "${g.id}" trùng với mã một cơ quan. Hãy đặt mã khác cho nhóm.`),
      );
    } else if (groupIds.has(g.id)) {
      issues.push(issueAt(src, ['groups', i, 'id'], `Mã nhóm "${g.id}" bị trùng. Mỗi nhóm cần một mã riêng.`));
    } else groupIds.set(g.id, i);
    if (g.units) return;
    g.members.forEach((m, j) => {
      if (!agencyIds.has(m)) {
        issues.push(
          issueAt(
            src,
            ['groups', i, 'members', j],
            groupIds.has(m) || directory.groups.some((x) => x.id === m)
              ? `"${m}" là một nhóm; thành viên của nhóm phải là cơ quan. Hãy liệt kê các cơ quan thành viên.`
              : `Thành viên "${m}" không có trong danh sách cơ quan (agencies). Hãy thêm cơ quan này hoặc sửa mã.`,
          ),
        );
      }
    });
  });
  hand.forEach((a, i) => {
    if (a.escalatesTo !== undefined && !agencyIds.has(a.escalatesTo)) {
      issues.push(
        issueAt(
          src,
          ['agencies', i, 'escalatesTo'],
          `Cơ quan cấp trên "${a.escalatesTo}" không có trong danh bạ. Hãy thêm hoặc sửa mã.`,
        ),
      );
    }
    (a.dissolved?.successors ?? []).forEach((s, j) => {
      if (s === a.id)
        issues.push(
          issueAt(
            src,
            ['agencies', i, 'dissolved', 'successors', j],
            'Cơ quan kế nhiệm không thể là chính cơ quan đã giải thể.',
          ),
        );
      else if (!agencyIds.has(s))
        issues.push(
          issueAt(
            src,
            ['agencies', i, 'dissolved', 'successors', j],
            `Cơ quan kế nhiệm "${s}" không có trong danh bạ. Hãy thêm cơ quan này.`,
          ),
        );
    });
    if (a.dissolved?.successor !== undefined && a.dissolved.successors !== undefined)
      issues.push(
        issueAt(
          src,
          ['agencies', i, 'dissolved'],
          'Ghi successor (một cơ quan, nhiệm vụ đang chạy được chuyển sang) hoặc successors (nhiều cơ quan), không ghi cả hai.',
        ),
      );
    const successor = a.dissolved?.successor;
    if (successor !== undefined) {
      if (successor === a.id)
        issues.push(
          issueAt(
            src,
            ['agencies', i, 'dissolved', 'successor'],
            'Cơ quan kế nhiệm không thể là chính cơ quan đã giải thể.',
          ),
        );
      else if (!agencyIds.has(successor)) {
        issues.push(
          issueAt(
            src,
            ['agencies', i, 'dissolved', 'successor'],
            `Cơ quan kế nhiệm "${successor}" không có trong danh bạ. Hãy thêm cơ quan này.`,
          ),
        );
      }
    }
  });
}

/** A directory that passed every check, with its units written out and its contact sheet applied. */
interface ValidDirectory {
  directory: DirectoryFile;
  proposals: SuccessionProposal[];
  contacts: ContactAssignment[];
}

/** The administrative units, loaded once per call and only when asked for. */
function adminUnitsGetter(given: AdminUnits | undefined, file: string | undefined): () => AdminUnits {
  let units = given;
  return () => {
    units ??= file !== undefined ? loadAdminUnits(file) : loadAdminUnits();
    return units;
  };
}

/** The contact sheet a directory names: beside the directory file, like the directory beside its plan. */
function contactSheetPath(directoryFile: string, ref: string): string | { message: string } {
  const beside = resolveBeside(directoryFile, ref, {
    file: 'bảng liên hệ',
    owner: 'tệp danh bạ',
    example: 'contacts: ./lien-he.xlsx',
  });
  return 'path' in beside ? beside.path : beside;
}

function validateDirectory(
  src: SourceDoc,
  issues: PlanIssue[],
  options: LoadDirectoryOptions & { contactsFile?: string },
): ValidDirectory | null {
  const parsed = directoryFileSchema.safeParse(src.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(translateZodIssue(src, issue));
    return null;
  }
  const before = issues.length;
  const getUnits = adminUnitsGetter(options.adminUnits, options.adminUnitsFile);
  let directory = parsed.data;
  let handAgencies = directory.agencies.length;
  let proposals: SuccessionProposal[] = [];
  let unitOf = new Map<string, AdminUnit>();
  if (usesAdminUnits(directory)) {
    try {
      const resolved = resolveDirectoryUnits(directory, getUnits());
      for (const p of resolved.problems) issues.push(issueAt(src, p.path, p.message));
      ({ directory, handAgencies, proposals, unitOf } = resolved);
    } catch (err) {
      if (!(err instanceof AdminUnitsUnavailableError)) throw err;
      issues.push(issueAt(src, firstUnitsField(directory), err.message));
      return null;
    }
  }
  checkDirectory(src, directory, issues, handAgencies);

  let contacts: ContactAssignment[] = [];
  let sheetFile: string | null = options.contactsFile ?? null;
  if (sheetFile === null && directory.contacts !== undefined && !options.ignoreContacts) {
    const sheet = contactSheetPath(src.file, directory.contacts);
    if (typeof sheet === 'string') sheetFile = sheet;
    else issues.push(issueAt(src, ['contacts'], sheet.message));
  }
  if (sheetFile) {
    const read: ContactSheetRead = options.contactSheets?.[sheetFile] ??
      readContactSheetSync(sheetFile) ?? {
        ok: false,
        issues: [
          {
            message:
              'Tệp .xlsx chỉ đọc được khi nạp bằng loadPlan/loadDirectory (bất đồng bộ); dòng lệnh dondoc luôn dùng cách này.',
          },
        ],
      };
    const sheetIssue = (i: { row?: number; column?: string; message: string }): PlanIssue => ({
      file: sheetFile,
      ...(i.row !== undefined ? { line: i.row } : {}),
      field: i.column ?? '(tệp)',
      message: i.message,
    });
    if (!read.ok) {
      for (const i of read.issues) issues.push(sheetIssue(i));
    } else {
      let find: ((code: string) => AdminUnit[]) | undefined;
      try {
        const units = getUnits();
        find = (code) => findUnits(units, code);
      } catch (err) {
        if (!(err instanceof AdminUnitsUnavailableError)) throw err;
      }
      const checked = checkContactSheet(read.sheet, { directory, unitOf, ...(find ? { findCurrentUnit: find } : {}) });
      for (const i of checked.issues) issues.push(sheetIssue(i));
      if (checked.issues.length === 0) {
        contacts = checked.contacts;
        directory = applyContacts(directory, contacts);
      }
    }
  }
  return issues.length === before ? { directory, proposals, contacts } : null;
}

/**
 * Reads and validates an agency directory file (YAML or JSON). Returns the directory with defaults applied,
 * groups declared by `units` written out as agencies, successions from the administrative units data filled in,
 * and the contacts of the sheet it names applied; or throws `PlanValidationError` listing every problem with
 * its line and field (a contact sheet's problems with their row). A .xlsx sheet needs `loadDirectory` (async).
 */
export function loadDirectoryFile(path: string, options: LoadDirectoryOptions = {}): DirectoryFile {
  const issues: PlanIssue[] = [];
  const src = readSource(path, issues);
  const valid = src ? validateDirectory(src, issues, options) : null;
  if (!valid || issues.length > 0) throw new PlanValidationError(sortIssues(issues));
  return valid.directory;
}

/** Reads the .xlsx contact sheet a directory file names (if any), for the synchronous loaders. */
async function preloadContactSheet(
  directoryFile: string | null,
  into: Record<string, ContactSheetRead>,
): Promise<void> {
  if (!directoryFile) return;
  const { value } = parseSourceBytes(readFileOrEmpty(directoryFile), directoryFile);
  const ref = valueAt(value, ['contacts']);
  if (typeof ref !== 'string' || ref.trim() === '') return;
  const file = contactSheetPath(directoryFile, ref.trim());
  if (typeof file === 'string' && !(file in into)) into[file] = await readContactSheet(file);
}

function readFileOrEmpty(file: string): Uint8Array {
  try {
    return statSync(file).size <= MAX_FILE_BYTES ? readFileSync(file) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}

/** `loadDirectoryFile` that also reads a .xlsx contact sheet the directory names. */
export async function loadDirectory(path: string, options: LoadDirectoryOptions = {}): Promise<DirectoryFile> {
  const sheets = { ...options.contactSheets };
  if (!options.ignoreContacts) await preloadContactSheet(resolve(path), sheets);
  return loadDirectoryFile(path, { ...options, contactSheets: sheets });
}

/**
 * Checks a contact sheet (.xlsx or .csv) against a directory without applying it: every row, every problem
 * with its row number. Returns the contacts it would give; throws `PlanValidationError` when anything is
 * wrong (in the sheet, or in the directory itself).
 */
export async function checkContactsFile(
  sheetPath: string,
  directoryPath: string,
  options: { adminUnits?: AdminUnits; adminUnitsFile?: string } = {},
): Promise<{ contacts: ContactAssignment[]; directory: DirectoryFile }> {
  const sheetFile = resolve(sheetPath);
  const sheets = { [sheetFile]: await readContactSheet(sheetFile) };
  const issues: PlanIssue[] = [];
  const src = readSource(resolve(directoryPath), issues);
  const valid = src
    ? validateDirectory(src, issues, {
        ...options,
        contactSheets: sheets,
        ignoreContacts: true,
        contactsFile: sheetFile,
      })
    : null;
  if (!valid || issues.length > 0) throw new PlanValidationError(sortIssues(issues));
  return { contacts: valid.contacts, directory: valid.directory };
}

// ---------------------------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------------------------

/** The successor an agency leads to, following chains (A → B → C), or undefined. */
function findSuccessor(agency: Agency, agencies: Map<string, Agency>): Agency | undefined {
  let cur: Agency | undefined = agency;
  const seen = new Set<string>();
  while (cur?.dissolved?.successor && !seen.has(cur.id)) {
    seen.add(cur.id);
    const next = agencies.get(cur.dissolved.successor);
    if (!next) return cur === agency ? undefined : cur;
    cur = next;
    if (!cur.dissolved) return cur;
  }
  return cur === agency ? undefined : cur;
}

/**
 * The parts of a plan that passed the schema: every top-level field that is valid on its own, and
 * every task that is valid on its own with its index in the file. Lets cross-field checks run even
 * when other parts have type errors, so one pass reports everything.
 */
type PartialPlan = Partial<Omit<PlanFile, 'tasks'>> & { tasks: PartialTask[] };

/**
 * A task as far as it passed the schema. A task with a type error in one field still has its other fields checked
 * against the directory: `invalid` names the fields that failed (their value in `task` is a neutral placeholder
 * that no check reports on), so a bad `timing` does not hide an unknown `lead` in the same task.
 */
interface PartialTask {
  index: number;
  task: PlanTask;
  invalid: ReadonlySet<string>;
}

/** Placeholders for fields that failed the schema: values the cross-field checks pass over silently. */
const TASK_PLACEHOLDERS: Partial<PlanTask> = {
  lead: [],
  coordinators: [],
  signOff: 'none',
  targets: [],
  review: [],
  timing: { text: '', due: '2000-01-01' },
};

function toPartialTask(item: unknown, index: number): PartialTask | null {
  const whole = taskSchema.safeParse(item);
  if (whole.success) return { index, task: whole.data, invalid: new Set() };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return null;
  const record = item as Record<string, unknown>;
  const task: Record<string, unknown> = {};
  const invalid = new Set<string>();
  for (const [key, schema] of Object.entries(taskSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(record[key]);
    if (result.success) {
      if (result.data !== undefined) task[key] = result.data;
    } else {
      invalid.add(key);
      const placeholder = TASK_PLACEHOLDERS[key as keyof PlanTask];
      if (placeholder !== undefined) task[key] = placeholder;
    }
  }
  // Without a key the task cannot be told from the others: its key checks are skipped, the rest still run.
  if (task.ref === undefined) task.ref = '';
  if (task.title === undefined) task.title = '';
  return { index, task: task as unknown as PlanTask, invalid };
}

function toPartialPlan(raw: unknown, parsed: PlanFile | undefined): PartialPlan {
  if (parsed) return { ...parsed, tasks: parsed.tasks.map((task, index) => ({ index, task, invalid: new Set() })) };
  const partial: Record<string, unknown> = {};
  const record = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  for (const [key, schema] of Object.entries(planFileSchema.shape)) {
    if (key === 'tasks') continue;
    const result = schema.safeParse(record[key]);
    if (result.success) partial[key] = result.data;
  }
  const tasks: PartialTask[] = [];
  if (Array.isArray(record.tasks)) {
    record.tasks.forEach((item: unknown, index: number) => {
      const partialTask = toPartialTask(item, index);
      if (partialTask) tasks.push(partialTask);
    });
  }
  return { ...(partial as Partial<Omit<PlanFile, 'tasks'>>), tasks };
}

function checkPlan(
  src: SourceDoc,
  plan: PartialPlan,
  directory: DirectoryFile,
  options: LoadPlanOptions,
  issues: PlanIssue[],
): void {
  const index = indexDirectory(directory);
  const at = (path: PathKey[], message: string): void => {
    issues.push(issueAt(src, path, message));
  };

  const period = plan.period;
  if (period && period.end < period.start) {
    at(
      ['period', 'end'],
      `Ngày kết thúc (${formatVnDate(period.end)}) trước ngày bắt đầu (${formatVnDate(period.start)}). Hãy sửa thời kỳ kế hoạch.`,
    );
  }

  const dissolvedMessage = (agency: Agency, via?: string): string | null => {
    const on = agency.dissolved?.on;
    if (!on || !period || on > period.start) return null;
    const successor = findSuccessor(agency, index.agencies);
    const several = (agency.dissolved?.successors ?? []).map((id) => `"${id}" (${index.agencies.get(id)?.name ?? id})`);
    const who = via ? `"${agency.id}" (${agency.name}, thành viên nhóm "${via}")` : `"${agency.id}" (${agency.name})`;
    return (
      `Cơ quan ${who} đã giải thể/sáp nhập từ ngày ${formatVnDate(on)}, trước khi kế hoạch bắt đầu (${formatVnDate(period.start)}). ` +
      (successor
        ? `Hãy thay bằng cơ quan kế nhiệm "${successor.id}" (${successor.name}).`
        : several.length > 0
          ? `Hãy thay bằng cơ quan kế nhiệm: ${several.join(', ')}.`
          : 'Hãy thay bằng cơ quan hiện đang đảm nhận nhiệm vụ này.')
    );
  };

  /** Checks a reference that must be a single agency (issuer, monitoring, …). */
  const checkAgencyRef = (path: PathKey[], id: string | undefined, what: string): void => {
    if (id === undefined) return;
    const agency = index.agencies.get(id);
    if (!agency) {
      at(
        path,
        index.groups.has(id)
          ? `"${id}" là một nhóm; ${what} phải là một cơ quan cụ thể. Hãy chọn một cơ quan trong danh bạ.`
          : `Không có cơ quan "${id}" trong danh bạ. Hãy thêm cơ quan này vào danh bạ hoặc sửa mã (${what}).`,
      );
      return;
    }
    const dissolved = dissolvedMessage(agency);
    if (dissolved) at(path, dissolved);
  };

  checkAgencyRef(['issuer'], plan.issuer, 'cơ quan ban hành');
  checkAgencyRef(['monitoringAgency'], plan.monitoringAgency, 'cơ quan theo dõi, đôn đốc');
  checkAgencyRef(['escalationAuthority'], plan.escalationAuthority, 'cấp nhận cảnh báo cao nhất');
  (plan.reportingDuties ?? []).forEach((d, i) =>
    checkAgencyRef(['reportingDuties', i, 'to'], d.to, 'nơi nhận báo cáo'),
  );

  const targetIds = plan.targets ? new Set<string>() : null;
  (plan.targets ?? []).forEach((t, i) => {
    if (targetIds?.has(t.id)) at(['targets', i, 'id'], `Mã chỉ tiêu "${t.id}" bị trùng. Hãy đặt mã khác.`);
    targetIds?.add(t.id);
  });

  const ctx = period
    ? buildTimingContext({ period, issued: plan.issued ?? null, reportingDuties: plan.reportingDuties ?? [] })
    : null;
  const taskKeys = new Map<string, number>();

  plan.tasks.forEach(({ index: i, task, invalid }) => {
    const key = getTaskKey(task);
    const keyField: PathKey[] = ['tasks', i, task.id !== undefined ? 'id' : 'ref'];
    const keyless = invalid.has('ref') || invalid.has('id');
    const firstIndex = keyless ? undefined : taskKeys.get(key);
    if (keyless) {
      // Its key failed the schema (reported there): nothing to compare with the other tasks.
    } else if (firstIndex !== undefined) {
      const firstLine = positionOf(src, ['tasks', firstIndex]).line;
      at(
        keyField,
        task.id !== undefined
          ? `Mã nhiệm vụ "${key}" bị trùng với nhiệm vụ ở dòng ${firstLine ?? '?'}. Mỗi nhiệm vụ cần một id riêng.`
          : `Số thứ tự "${key}" đã dùng cho nhiệm vụ ở dòng ${firstLine ?? '?'}. Khi một số thứ tự lặp lại, hãy thêm "id" riêng cho từng nhiệm vụ (ví dụ "${key}-a").`,
      );
    } else taskKeys.set(key, i);
    if (!keyless && task.id === undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(task.ref)) {
      at(
        ['tasks', i, 'ref'],
        `Số thứ tự "${task.ref}" có ký tự không dùng làm mã được. Hãy thêm "id" chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang.`,
      );
    }

    const leadIds = getLeadIds(task);
    const leadPath = (j: number): PathKey[] =>
      typeof task.lead === 'string' ? ['tasks', i, 'lead'] : ['tasks', i, 'lead', j];
    let leadsKnown = true;
    leadIds.forEach((id, j) => {
      const agency = index.agencies.get(id);
      const group = index.groups.get(id);
      if (agency) {
        const dissolved = dissolvedMessage(agency);
        if (dissolved) at(leadPath(j), dissolved);
      } else if (group) {
        if (group.members.length === 0)
          at(
            leadPath(j),
            `Nhóm "${id}" chưa có thành viên nên không giao được nhiệm vụ. Hãy thêm thành viên vào nhóm trong danh bạ.`,
          );
        for (const m of group.members) {
          const member = index.agencies.get(m);
          const dissolved = member ? dissolvedMessage(member, id) : null;
          if (dissolved) at(leadPath(j), dissolved);
        }
      } else {
        leadsKnown = false;
        at(
          leadPath(j),
          `Không có cơ quan hay nhóm "${id}" trong danh bạ. Hãy thêm vào danh bạ hoặc sửa mã cơ quan chủ trì.`,
        );
      }
    });
    if (leadsKnown) {
      // Two old units merged into one new unit give it the task once: only a repetition without succession is an error.
      const seenHere = new Set<string>();
      for (const { lead, succeededFrom } of expandLeads(task, index)) {
        if (succeededFrom !== undefined) continue;
        if (seenHere.has(lead.id)) {
          at(
            ['tasks', i, 'lead'],
            `Cơ quan "${lead.id}" được giao chủ trì hai lần (trực tiếp và qua nhóm, hoặc hai nhóm). Hãy bỏ bớt một lần.`,
          );
        }
        seenHere.add(lead.id);
      }
    }

    task.coordinators.forEach((id, j) => {
      const agency = index.agencies.get(id);
      if (agency) {
        const dissolved = dissolvedMessage(agency);
        if (dissolved) at(['tasks', i, 'coordinators', j], dissolved);
      } else if (!index.groups.has(id)) {
        at(
          ['tasks', i, 'coordinators', j],
          `Không có cơ quan hay nhóm "${id}" trong danh bạ. Hãy thêm vào danh bạ hoặc sửa mã cơ quan phối hợp.`,
        );
      }
    });

    if (Array.isArray(task.signOff) && !invalid.has('coordinators')) {
      task.signOff.forEach((id, j) => {
        if (!task.coordinators.includes(id)) {
          at(
            ['tasks', i, 'signOff', j],
            `"${id}" không nằm trong danh sách cơ quan phối hợp của nhiệm vụ. Chỉ cơ quan phối hợp mới xác nhận được.`,
          );
        } else if (!index.agencies.has(id)) {
          at(
            ['tasks', i, 'signOff', j],
            `"${id}" là một nhóm; nhóm không thể xác nhận thay các thành viên. Hãy ghi mã từng cơ quan cần xác nhận.`,
          );
        }
      });
    }

    (task.targets ?? []).forEach((t, j) => {
      if (targetIds && !targetIds.has(t))
        at(
          ['tasks', i, 'targets', j],
          `Không có chỉ tiêu "${t}" trong phần targets của kế hoạch. Hãy khai báo chỉ tiêu hoặc sửa mã.`,
        );
    });

    const parts = getTimingParts(task.timing);
    if (ctx && !invalid.has('timing') && !parts.due && !parts.dues) {
      const schedule = resolveSchedule(task.timing, ctx, options.parse);
      if (!schedule.confident) {
        at(
          ['tasks', i, 'timing'],
          `Thời gian "${parts.text}" chưa đọc được chắc chắn, cần ngày cụ thể. ${schedule.reason} Hãy viết: timing: { text: "${parts.text}", due: YYYY-MM-DD }.`,
        );
      }
    }

    if (!options.acceptReview) {
      (task.review ?? []).forEach((mark, k) => {
        if (mark.resolved) return;
        at(
          ['tasks', i, 'review', k],
          `Còn điểm cần xem lại ở trường "${mark.field}"${mark.why ? `: ${mark.why}` : ''}${mark.line !== undefined ? ` (dòng ${mark.line} của văn bản gốc)` : ''}. Hãy kiểm tra, sửa rồi xóa mục review (hoặc ghi resolved: true); hoặc nhập với tùy chọn chấp nhận điểm cần xem lại.`,
        );
      });
    }
  });
}

/** Issues grouped by file (in the order files were read), then by line and column. */
function sortIssues(issues: PlanIssue[]): PlanIssue[] {
  const fileOrder = [...new Set(issues.map((i) => i.file))];
  return issues
    .map((issue, n) => ({ issue, n }))
    .sort(
      (a, b) =>
        fileOrder.indexOf(a.issue.file) - fileOrder.indexOf(b.issue.file) ||
        (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
        (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
        a.n - b.n,
    )
    .map((x) => x.issue);
}

/**
 * Reads a plan file and its directory (YAML or JSON by content; JSON is read as YAML), validates
 * both with the zod schemas and every cross-field rule, and expands the plan into task instances.
 * Collects ALL problems (syntax, types, unknown ids, duplicate task keys, impossible dates,
 * unreadable timings without an explicit date, agencies dissolved by the plan's start, oversized or
 * non-UTF-8 files, unresolved review marks unless `acceptReview`) and throws one
 * `PlanValidationError` carrying them, each with file, line, column and field. Never partially succeeds.
 */
export function loadPlanFile(path: string, options: LoadPlanOptions = {}): LoadedPlan {
  const issues: PlanIssue[] = [];
  const planPath = resolve(path);
  const src = readSource(planPath, issues);
  if (!src) throw new PlanValidationError(issues);

  const parsed = planFileSchema.safeParse(src.value);
  if (!parsed.success) for (const issue of parsed.error.issues) issues.push(translateZodIssue(src, issue));

  const rawDirectory = valueAt(src.value, ['directory']);
  let directoryPath: string | null = null;
  if (options.directoryPath) directoryPath = resolve(options.directoryPath);
  else if (typeof rawDirectory === 'string' && rawDirectory.trim() !== '') {
    const beside = resolveBeside(planPath, rawDirectory.trim());
    if ('path' in beside) directoryPath = beside.path;
    else issues.push(issueAt(src, ['directory'], beside.message));
  }
  let directory: DirectoryFile | null = null;
  let valid: ValidDirectory | null = null;
  let dirSrc: SourceDoc | null = null;
  if (directoryPath) {
    dirSrc = readSource(directoryPath, issues);
    if (dirSrc) {
      valid = validateDirectory(dirSrc, issues, options);
      directory = valid?.directory ?? null;
    } else if (!options.directoryPath) {
      const last = issues[issues.length - 1];
      if (last && last.file === directoryPath)
        Object.assign(last, { message: `${last.message} (khai báo ở trường directory)` });
    }
  }

  const successions: SuccessionProposal[] = [];
  if (directory && valid && dirSrc) {
    const partial = toPartialPlan(src.value, parsed.success ? parsed.data : undefined);
    checkPlan(src, partial, directory, options, issues);
    const assigned = assignedAgencies(partial, directory);
    for (const p of valid.proposals) {
      if (!assigned.has(p.agencyId)) continue;
      // A plan starting after the dissolution is already refused by checkPlan, naming the successors.
      if (partial.period && p.on <= partial.period.start) continue;
      successions.push(p);
      if (p.confirmed || options.confirmSuccessors) continue;
      issues.push(
        issueAt(
          dirSrc,
          ['agencies', p.agencyIndex, 'unit'],
          `Đề xuất kế nhiệm theo dữ liệu đơn vị hành chính: ${formatSuccessionProposal(p)}. Nhiệm vụ của cơ quan này sẽ giao cho ` +
            `${p.successors.length > 1 ? 'từng đơn vị kế nhiệm' : 'đơn vị kế nhiệm'}. Hãy kiểm tra rồi xác nhận: nhập với ` +
            '--confirm-successors, hoặc ghi confirmed: true trong unit của cơ quan này; hoặc tự ghi dissolved.successor(s).',
        ),
      );
    }
  }
  if (issues.length > 0 || !parsed.success || !directory || !directoryPath)
    throw new PlanValidationError(sortIssues(issues));

  const instances = expandPlan(parsed.data, directory, {
    calendar: options.calendar ?? getShippedCalendar(),
    ...(options.parse ? { parse: options.parse } : {}),
  });
  // Every timer the plan's workflows will set is computed now: a date the calendar cannot handle refuses the plan.
  for (const p of findPlanDateProblems(parsed.data, instances)) issues.push(issueAt(src, p.path, p.message));
  if (issues.length > 0) throw new PlanValidationError(sortIssues(issues));
  const warnings = [...src.warnings, ...(dirSrc?.warnings ?? []), ...selfReportWarnings(src, parsed.data, directory)];
  return { plan: parsed.data, directory, instances, planPath, directoryPath, successions, warnings };
}

/**
 * The directory file a plan names, which must lie beside the plan (in its folder or below): no `..` out of it, no
 * absolute path elsewhere, no symbolic link leading out. A path that leaves is refused without reading the file, so
 * nothing of a foreign file reaches an error message.
 */
export function resolveBeside(
  planPath: string,
  ref: string,
  words: { file: string; owner: string; example: string } = {
    file: 'tệp danh bạ',
    owner: 'tệp kế hoạch',
    example: 'directory: ./directory.yaml',
  },
): { path: string } | { message: string } {
  const base = dirname(resolve(planPath));
  const target = resolve(base, ref);
  const inside = (root: string, p: string): boolean => {
    const rel = relative(root, p);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  const refused = {
    message:
      `${words.file.charAt(0).toUpperCase()}${words.file.slice(1)} "${ref}" nằm ngoài thư mục của ${words.owner}. ` +
      `Hãy đặt ${words.file} cạnh ${words.owner} (cùng thư mục hoặc thư mục con) và ghi đường dẫn tương đối, ví dụ ${words.example}.`,
  };
  if (!inside(base, target)) return refused;
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return { path: target }; // missing: reported as such when it is read
  }
  let realBase: string;
  try {
    realBase = realpathSync(base);
  } catch {
    realBase = base;
  }
  return inside(realBase, real) ? { path: target } : refused;
}

/** Agencies the plan gives tasks to, as lead or coordinator, directly or as members of a group. */
function assignedAgencies(plan: PartialPlan, directory: DirectoryFile): Set<string> {
  const groups = new Map(directory.groups.map((g) => [g.id, g]));
  const out = new Set<string>();
  for (const { task } of plan.tasks) {
    for (const id of [
      ...getLeadIds(task),
      ...task.coordinators,
      ...(Array.isArray(task.signOff) ? task.signOff : []),
    ]) {
      const group = groups.get(id);
      if (group) for (const m of group.members) out.add(m);
      else out.add(id);
    }
  }
  return out;
}

/**
 * `loadPlanFile` that first reads a .xlsx contact sheet the plan's directory names (exceljs reads
 * asynchronously). What import and the command line use.
 */
export async function loadPlan(path: string, options: LoadPlanOptions = {}): Promise<LoadedPlan> {
  const planPath = resolve(path);
  const sheets = { ...options.contactSheets };
  let directoryFile: string | null = options.directoryPath ? resolve(options.directoryPath) : null;
  if (!directoryFile) {
    const { value } = parseSourceBytes(readFileOrEmpty(planPath), planPath);
    const ref = valueAt(value, ['directory']);
    if (typeof ref === 'string' && ref.trim() !== '') {
      const beside = resolveBeside(planPath, ref.trim());
      if ('path' in beside) directoryFile = beside.path;
    }
  }
  await preloadContactSheet(directoryFile, sheets);
  return loadPlanFile(path, { ...options, contactSheets: sheets });
}

/** Exported for tests and the `draft` reader: validate in-memory bytes as a plan's or directory's source. */
export function parseSourceBytes(bytes: Uint8Array, file: string): { value: unknown; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const text = decodeSource(bytes, file, issues);
  const src = text === null ? null : parseSource(text, file, issues);
  return { value: src?.value, issues };
}
