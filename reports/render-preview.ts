/**
 * Previews of exported reports: LibreOffice converts the file to PDF, poppler's pdftoppm renders page one
 * as PNG. Needs `libreoffice` (writer and calc) and `pdftoppm` (poppler-utils) on the PATH.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, rename, rm } from 'node:fs/promises';
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

/**
 * Converts `file` (.docx, .xlsx, …) to PDF with `libreoffice --headless --convert-to pdf`, then renders
 * page one at 80 dpi with `pdftoppm -png -f 1 -l 1 -r 80`. Writes `<name>.pdf` and `<name>.png` into
 * `outDir` (created if missing) and returns their paths. Uses a private LibreOffice profile per call, so
 * concurrent conversions do not fight over one profile lock. Throws `PreviewToolError` naming the tool
 * when a program is missing or fails.
 */
export async function convertToPdfAndPng(
  file: string,
  outDir: string,
  timeoutMs = 180_000,
): Promise<{ pdf: string; png: string }> {
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
  await runTool('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '80', pdf, prefix], timeoutMs);
  // pdftoppm pads the page number to the width of the page count ("-1", "-01", …).
  const produced = (await readdir(outDir)).find((f) => f.startsWith(`${base}-page-`) && f.endsWith('.png'));
  if (!produced) throw new PreviewToolError('pdftoppm', `pdftoppm không tạo ảnh trang 1 từ ${pdf}.`);
  const png = path.join(outDir, `${base}.png`);
  await rename(path.join(outDir, produced), png);
  return { pdf, png };
}
