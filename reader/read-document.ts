/**
 * Turning the document an officer receives into the plain text the reader takes: .txt and .md as
 * UTF-8, .docx through mammoth (table rows keep their cells, "a | b | c"), a PDF with a text layer
 * through `pdftotext -layout` (poppler), a PDF without one (a scan) through OCR: each page rendered
 * by `pdftoppm` and read by `tesseract -l vie`, one page at a time, with progress. Lines a page
 * wrapped are joined back into the paragraphs they were. Ruled tables on a PDF page (text or scan)
 * are found by their rules and read cell by cell (`pdf-tables.ts`), so rows keep their cells as
 * they do from .docx.
 */
import { execFile } from 'child_process';
import { mkdtemp, readFile, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  bboxWords,
  eraseRules,
  findTables,
  ocrPageText,
  parsePgm,
  tableRowsFromCells,
  tableRowsText,
  cellBoxes,
  cellImage,
  tsvCellTexts,
  tsvWords,
  mendRomanRuns,
  writePgm,
  type GreyImage,
  type TableGrid,
} from './pdf-tables';
import { readDocxToText } from './read-docx';

export type DocumentFormat = 'text' | 'docx' | 'pdf' | 'pdf-ocr';

export interface DocumentText {
  text: string;
  format: DocumentFormat;
  /** Pages of a PDF. */
  pages?: number;
  /** OCR only: words read with low confidence that hold digits or Roman numerals (dates, numbers, quarters). */
  uncertain?: UncertainWord[];
}

export interface UncertainWord {
  page: number;
  /** The word as it stands in `text` (after the OCR clean-up). */
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
}

/** Below this confidence a word that carries a date, a number or a quarter is reported as uncertain. */
export const OCR_CONFIDENCE_FLOOR = 70;

/** Words of a tesseract TSV page that carry digits or Roman numerals and were read with low confidence. */
export function uncertainWords(tsv: string, page: number): UncertainWord[] {
  const out: UncertainWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols[0] !== '5' || cols.length < 12) continue;
    const confidence = Number(cols[10]);
    const word = (cols[11] ?? '').trim();
    if (!word || !Number.isFinite(confidence) || confidence >= OCR_CONFIDENCE_FLOOR) continue;
    if (!/\d|(?:^|[^\p{L}])[IVX]{1,4}(?:[^\p{L}]|$)/u.test(word)) continue;
    out.push({ page, text: cleanOcrText(word), confidence: Math.round(confidence) });
  }
  return out;
}

export interface OcrProgress {
  page: number;
  pages: number;
}

export interface ReadDocumentOptions {
  /** Called before each scanned page is read (1-based). */
  onProgress?: (p: OcrProgress) => void;
  /** Tesseract language model (default "vie"). */
  ocrLanguage?: string;
  /** Resolution pages are rendered at for OCR (default 400 dpi). */
  ocrDpi?: number;
}

/** A document the reader cannot take, with what to do about it (Vietnamese). */
export class DocumentReadError extends Error {
  override readonly name = 'DocumentReadError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

export const ACCEPTED_EXTENSIONS = ['.txt', '.md', '.docx', '.pdf'] as const;

function extensionOf(fileName: string): string {
  const m = /\.[^./\\]+$/.exec(fileName.toLowerCase());
  return m ? m[0] : '';
}

function run(cmd: string, args: string[], file: string, pkg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') {
        reject(
          new DocumentReadError(
            `Không tìm thấy lệnh "${cmd}" để đọc ${file}: cài gói ${pkg} (chạy scripts/setup.sh hoặc "apt-get install ${pkg}").`,
            file,
          ),
        );
        return;
      }
      reject(
        new DocumentReadError(
          `Không đọc được ${file} bằng ${cmd}: ${(stderr || e.message).trim().split('\n').slice(-2).join(' ')}`,
          file,
        ),
      );
    });
  });
}

/** UTF-8 text, BOM removed; UTF-16 and bytes that are not UTF-8 are refused with the reason. */
export function decodeText(bytes: Buffer, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DocumentReadError(`${file} được mã hóa UTF-16: lưu lại dưới dạng UTF-8 rồi thử lại.`, file);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new DocumentReadError(
      `${file} không phải văn bản UTF-8 (có thể là tệp nhị phân hoặc mã hóa TCVN3/VNI): lưu lại dưới dạng UTF-8 hoặc gửi tệp .docx/.pdf.`,
      file,
    );
  }
}

const MARKER =
  /^(?:[IVXLC]+\s*[.)]|[A-ZĐ]\s*[.)]\s|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]?\s|[a-zđ]\s*[.)]\s|\(\d{1,2}\)|[-–—+•*]\s|(?:Cơ quan|Đơn vị|Thời gian|Thời hạn|Kết quả|Sản phẩm|Nội dung|Chủ trì|Phối hợp)[^:]{0,40}:|Số\s*:|Nơi nhận|KT\.|TM\.|PHỤ LỤC|Căn cứ|Điều\s+\d)/u;

function isHeadingLine(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && t === t.toLocaleUpperCase('vi') && /\p{Lu}/u.test(t) && t.split(/\s+/).length <= 14;
}

/**
 * Joins the lines a page layout wrapped back into paragraphs: a line continues the one before when
 * it opens with no item marker, field label or heading and the line before did not end a sentence
 * (or it opens in lower case). Blank lines and page breaks end a paragraph; table rows (cells
 * apart by wide gaps) stay as they are; lone page numbers go.
 */
export function reflowPageText(text: string): string {
  const out: string[] = [];
  let blank = true;
  const rawLines = text.normalize('NFC').replace(/\r\n?/g, '\n').split('\n');
  // A wrapped line runs near the full width; a line well short of it ended where its writer ended it.
  const widths = rawLines
    .map((l) => l.replace(/\f/g, '').trim().length)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const fullWidth = widths[Math.floor(widths.length * 0.9)] ?? 0;
  let prevWidth = 0;
  for (const raw of rawLines) {
    const pageBreak = raw.includes('\f');
    const line = raw.replace(/\f/g, '').replace(/[⁄∕]/g, '/').replace(/\s+$/, '');
    const t = line.trim();
    if (!t || /^[-–\s]*\d{1,3}[-–\s]*$/.test(t)) {
      blank = true;
      if (pageBreak) blank = true;
      continue;
    }
    const prev = out[out.length - 1];
    const isRow = / {3,}\S|\s\|\s/.test(line.replace(/^\s+/, ''));
    const prevIsRow = prev !== undefined && / {3,}\S|\s\|\s/.test(prev);
    const continues =
      prev !== undefined &&
      !blank &&
      !isRow &&
      !prevIsRow &&
      !MARKER.test(t) &&
      !isHeadingLine(t) &&
      !isHeadingLine(prev) &&
      (prevWidth >= 0.75 * fullWidth || /^\p{Ll}/u.test(t)) &&
      (!/[.:;!?]$/.test(prev) || /^\p{Ll}/u.test(t));
    if (continues) out[out.length - 1] = `${prev} ${t}`;
    else out.push(isRow ? line.replace(/^\s+/, '') : t);
    prevWidth = t.length;
    blank = pageBreak;
  }
  return out.join('\n');
}

/** Common OCR slips in the words the reader relies on: "Quý Il/2026" → "Quý II/2026". */
export function cleanOcrText(text: string): string {
  return (
    text
      .replace(/[⁄∕]/g, '/')
      .replace(/[‘’]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(
        /\b(Qu[ýyí])\s+([IVXlT|1]{1,4})(?=\s*(?:[/-]|năm|$))/gu,
        (_w, q: string, r: string) => `${q} ${/[IVX]/.test(r) || r.length > 1 ? r.replace(/[lT|1]/g, 'I') : r}`,
      )
      .replace(/(\d|[IVX])\s*\/+\s*(\d)/g, '$1/$2')
      // "SởY tế", "TrạmY tế", "SỞ Tài chính", "HỢp tác": a word run into a one-letter word, an
      // accented letter read in capitals.
      .replace(/\b(Sở|SỞ)(?=\p{Lu}\s)/gu, '$1 ')
      .replace(/(\p{Ll})(\p{Lu})(?=\s)/gu, '$1 $2')
      .replace(/\bSỞ(?=\s+\p{Lu}\p{Ll})/gu, 'Sở')
      .replace(
        /(?<![\p{L}\p{N}-])(\p{Lu})([^\p{ASCII}\P{Lu}])(\p{Ll}+)/gu,
        (_w, a: string, b: string, c: string) => a + b.toLowerCase() + c,
      )
  );
}

/** How much of a PDF's text layer is words: a scan has none or only stray marks. */
function hasTextLayer(text: string, pages: number): boolean {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  return letters >= 30 * Math.max(1, pages);
}

async function pageCount(path: string, file: string): Promise<number> {
  const info = await run('pdfinfo', [path], file, 'poppler-utils');
  const m = /^Pages:\s+(\d+)/m.exec(info);
  return m ? Number(m[1]) : 1;
}

/** Resolution a text PDF's pages are rendered at to find the rules of their tables. */
const RULES_DPI = 100;

/** Renders one page to a grey PGM image (no smoothing, so thin rules stay solid) and reads it. */
async function renderPage(path: string, page: number, dpi: number, out: string, file: string): Promise<GreyImage> {
  await run(
    'pdftoppm',
    ['-r', String(dpi), '-gray', '-aa', 'no', '-aaVector', 'no', '-f', String(page), '-l', String(page)].concat([
      '-singlefile',
      path,
      out,
    ]),
    file,
    'poppler-utils',
  );
  return parsePgm(await readFile(`${out}.pgm`));
}

/**
 * A page of a text PDF with ruled tables: the text around the tables laid out by
 * `pdftotext -layout` (cropped to the bands between them), each table as rows of cells.
 */
async function textPageWithTables(path: string, page: number, tables: TableGrid[], file: string): Promise<string> {
  const xhtml = await run(
    'pdftotext',
    ['-bbox-layout', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), path, '-'],
    file,
    'poppler-utils',
  );
  const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(xhtml);
  const width = Number(size?.[1] ?? 595);
  const height = Number(size?.[2] ?? 842);
  const words = bboxWords(xhtml, RULES_DPI);
  const k = RULES_DPI / 72;
  const parts: string[] = [];
  let from = 0;
  const crop = async (y0: number, y1: number): Promise<void> => {
    if (y1 - y0 < 1) return;
    const args = ['-layout', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), '-x', '0', '-y'];
    args.push(String(Math.floor(y0)), '-W', String(Math.ceil(width)), '-H', String(Math.ceil(y1 - y0)), path, '-');
    parts.push((await run('pdftotext', args, file, 'poppler-utils')).replace(/\f/g, ''));
  };
  for (const table of [...tables].sort((a, b) => a.top - b.top)) {
    await crop(from, table.top / k);
    parts.push(tableRowsText(table, words).join('\n'));
    from = table.bottom / k;
  }
  await crop(from, height);
  return parts.join('\n');
}

/**
 * OCR of every cell of the page's tables in one tesseract run (a list of cell images, each read
 * as one block of text): tesseract's page layout loses short cells such as row numbers and runs
 * lines of neighbouring cells together.
 */
async function ocrCells(
  image: GreyImage,
  tables: TableGrid[],
  dpi: number,
  base: string,
  language: string,
  file: string,
): Promise<Map<string, string>[]> {
  const boxes = tables.flatMap((t, i) => cellBoxes(t).map((b) => ({ ...b, table: i })));
  const paths: string[] = [];
  const images: GreyImage[] = [];
  for (const [n, box] of boxes.entries()) {
    const p = `${base}-${n}.pgm`;
    images.push(cellImage(image, box, dpi));
    await writeFile(p, writePgm(images[n]!));
    paths.push(p);
  }
  await writeFile(`${base}.list`, `${paths.join('\n')}\n`);
  await run('tesseract', [`${base}.list`, base, '-l', language, '--psm', '6', 'tsv'], file, 'tesseract-ocr');
  const texts = tsvCellTexts(await readFile(`${base}.tsv`, 'utf8'), images);
  await Promise.all([...paths, `${base}.list`, `${base}.tsv`].map((p) => rm(p, { force: true })));
  const out = tables.map(() => new Map<string, string>());
  boxes.forEach((b, n) => out[b.table]?.set(b.key, texts[n] ?? ''));
  return out;
}

async function readPdf(bytes: Buffer, file: string, opts: ReadDocumentOptions): Promise<DocumentText> {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new DocumentReadError(`${file} không phải tệp PDF (thiếu phần đầu "%PDF-").`, file);
  const dir = await mkdtemp(join(tmpdir(), 'dondoc-pdf-'));
  try {
    const path = join(dir, 'plan.pdf');
    await writeFile(path, bytes);
    const pages = await pageCount(path, file);
    const layout = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], file, 'poppler-utils');
    if (hasTextLayer(layout, pages)) {
      // pdftotext ends every page with a form feed; a page with ruled tables is read again cell by cell.
      const pageTexts = layout.split('\f').slice(0, pages);
      for (let page = 1; page <= pages; page += 1) {
        const tables = findTables(await renderPage(path, page, RULES_DPI, join(dir, 'rules'), file), RULES_DPI);
        if (tables.length) pageTexts[page - 1] = await textPageWithTables(path, page, tables, file);
      }
      return { text: reflowPageText(pageTexts.join('\f')), format: 'pdf', pages };
    }
    const texts: string[] = [];
    const uncertain: UncertainWord[] = [];
    const dpi = opts.ocrDpi ?? 400;
    for (let page = 1; page <= pages; page += 1) {
      opts.onProgress?.({ page, pages });
      const image = join(dir, `page-${page}`);
      const grey = await renderPage(path, page, dpi, image, file);
      // Ruled tables: wipe the rules, read the page around them, then read each cell on its own.
      const tables = findTables(grey, dpi);
      const clean = tables.length ? eraseRules(grey, tables, dpi) : grey;
      if (tables.length) await writeFile(`${image}.pgm`, writePgm(clean));
      // One run gives the text and, per word, where it is and how sure tesseract is of it.
      await run(
        'tesseract',
        [`${image}.pgm`, image, '-l', opts.ocrLanguage ?? 'vie', 'tsv'],
        file,
        'tesseract-ocr tesseract-ocr-vie',
      );
      const tsv = await readFile(`${image}.tsv`, 'utf8');
      const cells = tables.length
        ? await ocrCells(clean, tables, dpi, `${image}-cells`, opts.ocrLanguage ?? 'vie', file)
        : [];
      const words = mendRomanRuns(tsvWords(tsv), clean);
      texts.push(
        ocrPageText(words, tables, (t) => tableRowsFromCells(t, cells[tables.indexOf(t)] ?? new Map<string, string>())),
      );
      uncertain.push(...uncertainWords(tsv, page));
      await Promise.all(['pgm', 'tsv'].map((e) => rm(`${image}.${e}`, { force: true })));
    }
    return { text: reflowPageText(cleanOcrText(texts.join('\n\f'))), format: 'pdf-ocr', pages, uncertain };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a plan document (its bytes and file name) into plain text for `readPlanText`. Rejects with
 * a `DocumentReadError` naming the file and what to do: an unknown extension, a file that is not
 * what its extension says, a missing poppler or tesseract.
 */
export async function readDocument(
  bytes: Buffer,
  fileName: string,
  opts: ReadDocumentOptions = {},
): Promise<DocumentText> {
  const ext = extensionOf(fileName);
  if (ext === '.txt' || ext === '.md') return { text: decodeText(bytes, fileName), format: 'text' };
  if (ext === '.docx') {
    try {
      return { text: await readDocxToText(bytes), format: 'docx' };
    } catch (error) {
      throw new DocumentReadError(`${fileName}: ${error instanceof Error ? error.message : String(error)}`, fileName);
    }
  }
  if (ext === '.pdf') return readPdf(bytes, fileName, opts);
  throw new DocumentReadError(
    `Không đọc được ${fileName}: chỉ nhận tệp ${ACCEPTED_EXTENSIONS.join(', ')} (tệp .doc cũ hãy lưu lại thành .docx).`,
    fileName,
  );
}

/** Reads a plan document from disk (see `readDocument`). */
export async function readDocumentFile(path: string, opts: ReadDocumentOptions = {}): Promise<DocumentText> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new DocumentReadError(`Không tìm thấy tệp ${path}.`, path);
  }
  return readDocument(bytes, path, opts);
}
