/**
 * Previews of exported reports: LibreOffice converts the file to PDF, poppler's pdftoppm renders its pages as PNG
 * and pdftotext reads where each word landed. Needs `libreoffice` (writer and calc), `pdftoppm` and `pdftotext`
 * (poppler-utils) on the PATH.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class PreviewToolError extends Error {
  override readonly name = 'PreviewToolError';
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(message);
  }
}

async function runTool(tool: string, args: string[], timeoutMs: number): Promise<void> {
  try {
    await run(tool, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new PreviewToolError(
        tool,
        `Không tìm thấy chương trình "${tool}". Cài đặt: apt-get install -y --no-install-recommends libreoffice-writer libreoffice-calc poppler-utils fonts-dejavu fonts-liberation`,
      );
    }
    throw new PreviewToolError(tool, `"${tool} ${args.join(' ')}" lỗi: ${e.message}${e.stderr ? `\n${e.stderr}` : ''}`);
  }
}

export interface PreviewOptions {
  /** Render every page (`<name>-<n>.png`), not only page one. */
  allPages?: boolean;
  /** Resolution of the PNGs; default 80 dpi. */
  dpi?: number;
  timeoutMs?: number;
}

/**
 * Converts `file` (.docx, .xlsx, …) to PDF with `libreoffice --headless --convert-to pdf`, then renders page one
 * (or every page with `allPages`) as PNG with `pdftoppm`. Writes `<name>.pdf` and `<name>.png` (page one) into
 * `outDir` (created if missing), and with `allPages` also `<name>-<n>.png` for each page n; returns their paths.
 * Uses a private LibreOffice profile per call, so concurrent conversions do not fight over one profile lock. Throws
 * `PreviewToolError` naming the tool when a program is missing or fails.
 */
export async function convertToPdfAndPng(
  file: string,
  outDir: string,
  timeoutOrOptions: number | PreviewOptions = {},
): Promise<{ pdf: string; png: string; pngs: string[] }> {
  const options = typeof timeoutOrOptions === 'number' ? { timeoutMs: timeoutOrOptions } : timeoutOrOptions;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const dpi = String(options.dpi ?? 80);
  await mkdir(outDir, { recursive: true });
  const base = path.basename(file, path.extname(file));
  const profile = await mkdtemp(path.join(tmpdir(), 'dondoc-lo-'));
  try {
    await runTool(
      'libreoffice',
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        file,
      ],
      timeoutMs,
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  const pdf = path.join(outDir, `${base}.pdf`);
  const prefix = path.join(outDir, `${base}-page`);
  for (const f of await readdir(outDir)) if (f.startsWith(`${base}-page-`)) await rm(path.join(outDir, f));
  const range = options.allPages ? [] : ['-f', '1', '-l', '1'];
  await runTool('pdftoppm', ['-png', ...range, '-r', dpi, pdf, prefix], timeoutMs);
  // pdftoppm pads the page number to the width of the page count ("-1", "-01", …).
  const produced = (await readdir(outDir))
    .filter((f) => f.startsWith(`${base}-page-`) && f.endsWith('.png'))
    .sort((a, b) => pageOf(a) - pageOf(b));
  if (produced.length === 0) throw new PreviewToolError('pdftoppm', `pdftoppm không tạo ảnh trang nào từ ${pdf}.`);
  const pngs: string[] = [];
  for (const f of produced) {
    const target = path.join(outDir, `${base}-${pageOf(f)}.png`);
    await rename(path.join(outDir, f), target);
    pngs.push(target);
  }
  const png = path.join(outDir, `${base}.png`);
  await copyFile(pngs[0] as string, png);
  if (!options.allPages) await rm(pngs[0] as string);
  return { pdf, png, pngs: options.allPages ? pngs : [png] };
}

function pageOf(fileName: string): number {
  return Number(/-(\d+)\.png$/.exec(fileName)?.[1] ?? 0);
}

/** One word of a PDF page with its box, in points from the top-left corner. */
export interface PdfWord {
  page: number;
  pageWidth: number;
  pageHeight: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Every word of a PDF with its box (`pdftotext -bbox`), pages numbered from 1. */
export async function readPdfWords(pdf: string, timeoutMs = 60_000): Promise<PdfWord[]> {
  let html: string;
  try {
    ({ stdout: html } = await run('pdftotext', ['-bbox', pdf, '-'], {
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT')
      throw new PreviewToolError('pdftotext', 'Không tìm thấy chương trình "pdftotext" (gói poppler-utils).');
    throw new PreviewToolError('pdftotext', `pdftotext lỗi: ${e.message}`);
  }
  const words: PdfWord[] = [];
  let page = 0;
  let size = { w: 0, h: 0 };
  const re =
    /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    if (m[1] !== undefined) {
      page += 1;
      size = { w: Number(m[1]), h: Number(m[2]) };
      continue;
    }
    words.push({
      page,
      pageWidth: size.w,
      pageHeight: size.h,
      xMin: Number(m[3]),
      yMin: Number(m[4]),
      xMax: Number(m[5]),
      yMax: Number(m[6]),
      text: decodeEntities(m[7] ?? ''),
    });
  }
  return words;
}

/** The text of each page of a PDF (`pdftotext`), NFC, pages in order. */
export async function readPdfPages(pdf: string, timeoutMs = 60_000): Promise<string[]> {
  let text: string;
  try {
    ({ stdout: text } = await run('pdftotext', [pdf, '-'], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT')
      throw new PreviewToolError('pdftotext', 'Không tìm thấy chương trình "pdftotext" (gói poppler-utils).');
    throw new PreviewToolError('pdftotext', `pdftotext lỗi: ${e.message}`);
  }
  const pages = text.normalize('NFC').split('\f');
  if (pages.length > 1 && pages[pages.length - 1]?.trim() === '') pages.pop();
  return pages;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Pairs of words on one page drawn over each other: boxes that intersect by more than `minOverlapX` points across
 * and by more than `minOverlapShare` of the smaller box's height down. pdftotext splits some words at accented
 * letters, whose pieces touch by a fraction of a point; the boxes of consecutive lines of a paragraph include the
 * font's ascent and descent and overlap by up to about an eighth of their height; neither counts. Text running into
 * the next row does.
 */
export function findOverlappingWords(
  words: readonly PdfWord[],
  { minOverlapX = 1, minOverlapShare = 0.35 }: { minOverlapX?: number; minOverlapShare?: number } = {},
): [PdfWord, PdfWord][] {
  const found: [PdfWord, PdfWord][] = [];
  const byPage = new Map<number, PdfWord[]>();
  for (const w of words) byPage.set(w.page, [...(byPage.get(w.page) ?? []), w]);
  for (const list of byPage.values()) {
    const sorted = [...list].sort((a, b) => a.yMin - b.yMin);
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i] as PdfWord;
      for (let j = i + 1; j < sorted.length; j++) {
        const b = sorted[j] as PdfWord;
        if (b.yMin >= a.yMax) break;
        const dx = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const dy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        const height = Math.min(a.yMax - a.yMin, b.yMax - b.yMin);
        if (dx > minOverlapX && dy > minOverlapShare * height) found.push([a, b]);
      }
    }
  }
  return found;
}
