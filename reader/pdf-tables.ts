/**
 * Ruled tables on PDF pages. A PDF's text carries no cells: `pdftotext -layout` lays a table out
 * as columns of wrapped fragments, and a cell centred in a tall row lands among the lines of the
 * rows beside it. The lines drawn around the cells do carry them, so a page is rendered to a
 * grey image, the table's rules are found in it (rows between horizontal rules, cells between
 * vertical ones, cells merged across or down where a rule is missing), and each word (from the
 * PDF's text layer or from OCR) goes into the cell that holds it. Tables come out as the text reader
 * takes them: one line per row, cells joined by " | ".
 *
 * Pure functions over images and word boxes; `read-document.ts` runs poppler and tesseract.
 */
import { joinCellParagraphs } from './read-docx';

/** A grey image, one byte a pixel, rows top to bottom (0 black, 255 white). */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A word and its box, in the image's pixels. */
export interface WordBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A cell of one row: from column border `from` to column border `to` (indices into `columns`). */
interface GridCell {
  from: number;
  to: number;
  /** The rule above it is missing: the cell goes on from the row above (merged down). */
  continues: boolean;
}

/** A ruled table on a page. */
export interface TableGrid {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** The x of every column border in the table, left to right. */
  columns: number[];
  rows: { top: number; bottom: number; cells: GridCell[] }[];
}

/** Reads a binary PGM ("P5"), what `pdftoppm -gray` writes. */
export function parsePgm(bytes: Buffer): GreyImage {
  let pos = 0;
  const fields: string[] = [];
  while (fields.length < 4 && pos < bytes.length) {
    // Skip white space and comments between the header fields.
    while (pos < bytes.length) {
      const c = bytes[pos] ?? 0;
      if (c === 0x23) while (pos < bytes.length && bytes[pos] !== 0x0a) pos += 1;
      else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos += 1;
      else break;
    }
    const start = pos;
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos] ?? 0x20))) pos += 1;
    fields.push(bytes.subarray(start, pos).toString('latin1'));
  }
  const [magic, w, h, max] = fields;
  if (magic !== 'P5' || Number(max) > 255) throw new Error('not an 8-bit binary PGM image');
  const width = Number(w);
  const height = Number(h);
  pos += 1; // the single white space after the maximum value
  return { width, height, data: new Uint8Array(bytes.subarray(pos, pos + width * height)) };
}

interface Rule {
  y: number;
  /** Which x the rule covers (1) across the page. */
  mask: Uint8Array;
}

/**
 * Finds the ruled tables on a page image rendered at `dpi`. A table is a run of rows between
 * horizontal rules, each row closed left and right by vertical rules; a single box (one column)
 * is no table.
 */
export function findTables(image: GreyImage, dpi: number, dark = 140): TableGrid[] {
  const { width, height, data } = image;
  const pt = dpi / 72;
  const minRun = Math.max(8, Math.round(15 * pt));
  const minRule = Math.round(60 * pt);

  // Horizontal rules: pixel rows holding long dark runs; neighbouring rows are one (thick) rule.
  const rules: Rule[] = [];
  let current: { y0: number; y1: number; mask: Uint8Array } | undefined;
  const gap = Math.max(2, Math.round(2.5 * pt));
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    const mask = new Uint8Array(width);
    let covered = 0;
    for (let x = 0; x < width;) {
      if ((data[row + x] ?? 255) >= dark) {
        x += 1;
        continue;
      }
      let end = x;
      while (end < width && (data[row + end] ?? 255) < dark) end += 1;
      if (end - x >= minRun) {
        mask.fill(1, x, end);
        covered += end - x;
      }
      x = end;
    }
    if (covered < minRule) continue;
    if (current && y - current.y1 <= gap) {
      current.y1 = y;
      for (let x = 0; x < width; x += 1) if (mask[x]) current.mask[x] = 1;
    } else {
      if (current) rules.push({ y: Math.round((current.y0 + current.y1) / 2), mask: current.mask });
      current = { y0: y, y1: y, mask };
    }
  }
  if (current) rules.push({ y: Math.round((current.y0 + current.y1) / 2), mask: current.mask });

  // Vertical rules inside each band between two horizontal rules: columns of pixels dark all the way
  // from the rule above to the rule below (a letter's stem never is: lines of text have leading).
  const reach = Math.max(1, Math.round(0.5 * pt));
  const bands: { top: number; bottom: number; borders: number[]; rule: Rule }[] = [];
  for (let i = 0; i + 1 < rules.length; i += 1) {
    const top = rules[i]!.y;
    const bottom = rules[i + 1]!.y;
    if (bottom - top < 8 * pt) continue;
    const y0 = top;
    const y1 = bottom;
    const xs: number[] = [];
    for (let x = 0; x < width; x += 1) {
      let hits = 0;
      for (let y = y0; y < y1; y += 1) {
        const row = y * width;
        for (let dx = -reach; dx <= reach; dx += 1) {
          if ((data[row + x + dx] ?? 255) < dark) {
            hits += 1;
            break;
          }
        }
      }
      if (hits >= 0.97 * (y1 - y0)) xs.push(x);
    }
    const borders: number[] = [];
    let run: number[] = [];
    for (const x of [...xs, Number.POSITIVE_INFINITY]) {
      if (run.length && x - run[run.length - 1]! > reach + 1) {
        borders.push(Math.round((run[0]! + run[run.length - 1]!) / 2));
        run = [];
      }
      if (Number.isFinite(x)) run.push(x);
    }
    if (borders.length >= 2) bands.push({ top, bottom, borders, rule: rules[i]! });
  }

  // Consecutive bands sharing their outer borders make one table.
  const tables: TableGrid[] = [];
  const near = 6 * pt;
  let group: typeof bands = [];
  const flush = (): void => {
    if (group.length >= 2) {
      const table = gridOf(group, near);
      if (table.columns.length >= 3) tables.push(table);
    }
    group = [];
  };
  for (const band of bands) {
    const prev = group[group.length - 1];
    const joins =
      prev &&
      prev.bottom === band.top &&
      Math.abs(prev.borders[0]! - band.borders[0]!) <= near &&
      Math.abs(prev.borders[prev.borders.length - 1]! - band.borders[band.borders.length - 1]!) <= near;
    if (!joins) flush();
    group.push(band);
  }
  flush();
  return tables;
}

function gridOf(bands: { top: number; bottom: number; borders: number[]; rule: Rule }[], near: number): TableGrid {
  // Every border any row has is a column border of the table.
  const all = bands.flatMap((b) => b.borders).sort((a, b) => a - b);
  const columns: number[] = [];
  let cluster: number[] = [];
  for (const x of [...all, Number.POSITIVE_INFINITY]) {
    if (cluster.length && x - cluster[cluster.length - 1]! > near / 1.5) {
      columns.push(Math.round(cluster.reduce((s, v) => s + v, 0) / cluster.length));
      cluster = [];
    }
    if (Number.isFinite(x)) cluster.push(x);
  }
  const index = (x: number): number => {
    let best = 0;
    columns.forEach((c, i) => {
      if (Math.abs(c - x) < Math.abs(columns[best]! - x)) best = i;
    });
    return best;
  };
  const rows = bands.map((band, r) => {
    const at = [...new Set(band.borders.map(index))].sort((a, b) => a - b);
    const cells: GridCell[] = [];
    for (let k = 0; k + 1 < at.length; k += 1) {
      const from = at[k]!;
      const to = at[k + 1]!;
      // A cell merged down has no rule over it (the rule above runs only beside it).
      const x0 = columns[from]! + near;
      const x1 = columns[to]! - near;
      let covered = 0;
      for (let x = Math.floor(x0); x < x1; x += 1) covered += band.rule.mask[x] ?? 0;
      cells.push({ from, to, continues: r > 0 && x1 > x0 && covered < 0.5 * (x1 - x0) });
    }
    return { top: band.top, bottom: band.bottom, cells };
  });
  return {
    top: bands[0]!.top,
    bottom: bands[bands.length - 1]!.bottom,
    left: columns[0]!,
    right: columns[columns.length - 1]!,
    columns,
    rows,
  };
}

/** Whether a word's centre lies in the table. */
export function insideTable(table: TableGrid, w: WordBox): boolean {
  const cx = (w.x0 + w.x1) / 2;
  const cy = (w.y0 + w.y1) / 2;
  return cx > table.left && cx < table.right && cy > table.top && cy < table.bottom;
}

/**
 * The words of a cell as text: words on one line left to right (pieces of one word, which PDFs
 * often split at an accent, joined without a space), a line that ends short of the cell's right
 * edge ending its paragraph, paragraphs joined as Word cells are.
 */
export function cellWordsText(words: WordBox[], right: number): string {
  if (!words.length) return '';
  const sorted = [...words].sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  // A word is on a line when most of its height lies within the line's (a dash or a comma is short).
  const lines: WordBox[][] = [];
  let range = { y0: 0, y1: 0 };
  for (const w of sorted) {
    const line = lines[lines.length - 1];
    const overlap = Math.min(w.y1, range.y1) - Math.max(w.y0, range.y0);
    if (line && overlap >= 0.5 * Math.min(w.y1 - w.y0, range.y1 - range.y0)) {
      line.push(w);
      range = { y0: Math.min(range.y0, w.y0), y1: Math.max(range.y1, w.y1) };
    } else {
      lines.push([w]);
      range = { y0: w.y0, y1: w.y1 };
    }
  }
  const paragraphs: string[] = [];
  let text = '';
  let prevEnd = 0;
  for (const line of lines) {
    line.sort((a, b) => a.x0 - b.x0);
    const h = Math.max(...line.map((w) => w.y1 - w.y0));
    let s = '';
    let end = Number.NEGATIVE_INFINITY;
    for (const w of line) {
      s += s && w.x0 - end > 0.12 * h ? ` ${w.text}` : w.text;
      end = w.x1;
    }
    const firstWord = line[0]!;
    // The line before stopped although this line's first word would have fitted after it.
    const fitted = text && prevEnd + 0.3 * h + (firstWord.x1 - firstWord.x0) < right - 0.5 * h;
    if (fitted) {
      paragraphs.push(text);
      text = s;
    } else text = text ? `${text} ${s}` : s;
    prevEnd = end;
  }
  paragraphs.push(text);
  return joinCellParagraphs(paragraphs);
}

/** A cell of the table as drawn: merged cells are one box, over all the rows and columns they cover. */
export interface CellBox {
  key: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Which drawn cell each row's cell belongs to (a cell merged down belongs to the one above). */
function owners(table: TableGrid): string[][] {
  const owner: string[][] = [];
  table.rows.forEach((row, r) => {
    owner.push(
      row.cells.map((cell, c) => {
        const above = r > 0 ? table.rows[r - 1]!.cells.findIndex((a) => a.from === cell.from && a.to === cell.to) : -1;
        return cell.continues && above >= 0 ? owner[r - 1]![above]! : `${r},${c}`;
      }),
    );
  });
  return owner;
}

/** The table's cells as drawn, each with its box. */
export function cellBoxes(table: TableGrid): CellBox[] {
  const owner = owners(table);
  const boxes = new Map<string, CellBox>();
  table.rows.forEach((row, r) =>
    row.cells.forEach((cell, c) => {
      const key = owner[r]![c]!;
      const box = boxes.get(key);
      if (box) box.y1 = row.bottom;
      else
        boxes.set(key, {
          key,
          x0: table.columns[cell.from]!,
          y0: row.top,
          x1: table.columns[cell.to]!,
          y1: row.bottom,
        });
    }),
  );
  return [...boxes.values()];
}

/**
 * The table's rows as text lines, cells joined by " | ", from the text of each drawn cell: a cell
 * merged across leaves empty cells after it, a cell merged down is written again in every row it
 * covers.
 */
export function tableRowsFromCells(table: TableGrid, texts: Map<string, string>): string[] {
  const owner = owners(table);
  const lines: string[] = [];
  table.rows.forEach((row, r) => {
    const cells: string[] = [];
    row.cells.forEach((cell, c) => {
      cells.push(texts.get(owner[r]![c]!) ?? '', ...Array<string>(cell.to - cell.from - 1).fill(''));
    });
    if (cells.some(Boolean)) lines.push(cells.join(' | '));
  });
  return lines;
}

/** The table's rows as text lines (see `tableRowsFromCells`), each word put in the cell that holds it. */
export function tableRowsText(table: TableGrid, words: WordBox[]): string[] {
  const boxes = cellBoxes(table);
  const held = new Map<string, WordBox[]>();
  for (const w of words) {
    const cx = (w.x0 + w.x1) / 2;
    const cy = (w.y0 + w.y1) / 2;
    const box = boxes.find((b) => cx >= b.x0 && cx < b.x1 && cy >= b.y0 && cy < b.y1);
    if (box) held.set(box.key, [...(held.get(box.key) ?? []), w]);
  }
  const texts = new Map(boxes.map((b) => [b.key, cellWordsText(held.get(b.key) ?? [], b.x1)]));
  return tableRowsFromCells(table, texts);
}

/** The words of one page of `pdftotext -bbox-layout`, scaled from points to pixels at `dpi`. */
export function bboxWords(xhtml: string, dpi: number): WordBox[] {
  const k = dpi / 72;
  const words: WordBox[] = [];
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of xhtml.matchAll(re)) {
    words.push({
      text: decodeXml(m[5] ?? ''),
      x0: Number(m[1]) * k,
      y0: Number(m[2]) * k,
      x1: Number(m[3]) * k,
      y1: Number(m[4]) * k,
    });
  }
  return words;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** A word of tesseract's TSV and the line and paragraph it belongs to. */
export interface OcrWord extends WordBox {
  /** "block.paragraph.line" */
  line: string;
  paragraph: string;
}

/** The words of tesseract's TSV output (level 5 rows with text). */
export function tsvWords(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f[0] !== '5' || !f[11]?.trim()) continue;
    const [left, top, width, height] = [f[6], f[7], f[8], f[9]].map(Number) as [number, number, number, number];
    words.push({
      text: f[11].trim(),
      x0: left,
      y0: top,
      x1: left + width,
      y1: top + height,
      paragraph: `${f[2]}.${f[3]}`,
      line: `${f[2]}.${f[3]}.${f[4]}`,
    });
  }
  return words;
}

/**
 * A page read by OCR as text: the lines outside the tables in tesseract's order (a blank line
 * between paragraphs, as tesseract's own text output has), each table's rows (from `rowsOf`) where
 * its top falls among them.
 */
export function ocrPageText(words: OcrWord[], tables: TableGrid[], rowsOf: (table: TableGrid) => string[]): string {
  const out: string[] = [];
  const pending = [...tables].sort((a, b) => a.top - b.top);
  let lineKey = '';
  let paragraph = '';
  let text: string[] = [];
  let lineTop = 0;
  const flushLine = (): void => {
    if (text.length) out.push(text.join(' '));
    text = [];
  };
  for (const w of words) {
    if (tables.some((t) => insideTable(t, w))) continue;
    if (w.line !== lineKey) {
      flushLine();
      lineTop = w.y0;
      while (pending[0] && pending[0].top < lineTop) {
        out.push('', ...rowsOf(pending.shift()!), '');
      }
      if (paragraph && w.paragraph !== paragraph) out.push('');
      lineKey = w.line;
      paragraph = w.paragraph;
    }
    text.push(w.text);
  }
  flushLine();
  for (const t of pending) out.push('', ...rowsOf(t), '');
  return out.join('\n');
}

/**
 * The image with the tables' rules wiped out (only long straight dark runs near a rule, never the
 * letters beside it): OCR then finds the words in the cells, where the rules would have made it
 * take the table for a picture.
 */
export function eraseRules(image: GreyImage, tables: TableGrid[], dpi: number, dark = 140): GreyImage {
  const { width, height } = image;
  const data = new Uint8Array(image.data);
  const pt = dpi / 72;
  const band = Math.round(3 * pt);
  const minRun = Math.max(8, Math.round(10 * pt));
  const isDark = (x: number, y: number): boolean => (data[y * width + x] ?? 255) < dark;
  const wipeRow = (y: number, x0: number, x1: number): void => {
    if (y < 0 || y >= height) return;
    for (let x = Math.max(0, x0); x < Math.min(width, x1);) {
      if (!isDark(x, y)) {
        x += 1;
        continue;
      }
      let end = x;
      while (end < width && isDark(end, y)) end += 1;
      if (end - x >= minRun) data.fill(255, y * width + x, y * width + end);
      x = end;
    }
  };
  const wipeColumn = (x: number, y0: number, y1: number): void => {
    if (x < 0 || x >= width) return;
    for (let y = Math.max(0, y0); y < Math.min(height, y1);) {
      if (!isDark(x, y)) {
        y += 1;
        continue;
      }
      let end = y;
      while (end < height && isDark(x, end)) end += 1;
      if (end - y >= minRun) for (let k = y; k < end; k += 1) data[k * width + x] = 255;
      y = end;
    }
  };
  for (const t of tables) {
    // Columns first (a rule's crossing with a row rule is part of both), then rows.
    for (const cx of t.columns)
      for (let x = Math.round(cx - band); x <= cx + band; x += 1) wipeColumn(x, t.top - band, t.bottom + band);
    for (const y of [...new Set([...t.rows.map((r) => r.top), t.bottom])])
      for (let dy = -band; dy <= band; dy += 1) wipeRow(y + dy, Math.round(t.left - band), Math.round(t.right + band));
  }
  return { width, height, data };
}

/** Writes a grey image as a binary PGM, which tesseract reads. */
export function writePgm(image: GreyImage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1'), Buffer.from(image.data)]);
}

/** A cell cut out of the page (inside its rules), with a white margin, for OCR on its own. */
export function cellImage(image: GreyImage, box: CellBox, dpi: number): GreyImage {
  const inset = Math.round(1.5 * (dpi / 72));
  const pad = Math.round(6 * (dpi / 72));
  const x0 = Math.max(0, Math.round(box.x0) + inset);
  const x1 = Math.min(image.width, Math.round(box.x1) - inset);
  const y0 = Math.max(0, Math.round(box.y0) + inset);
  const y1 = Math.min(image.height, Math.round(box.y1) - inset);
  const w = Math.max(1, x1 - x0) + 2 * pad;
  const h = Math.max(1, y1 - y0) + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = y0; y < y1; y += 1)
    data.set(image.data.subarray(y * image.width + x0, y * image.width + x1), (y - y0 + pad) * w + pad);
  return { width: w, height: h, data };
}

/**
 * The text of each image of a tesseract run over a list of cell images, in list order; with the
 * images, Roman numbers are counted again in them (`mendRomanRuns`).
 */
export function tsvCellTexts(tsv: string, images: GreyImage[] = []): string[] {
  const words = new Map<number, WordBox[]>();
  const widths = new Map<number, number>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    const page = Number(f[1]) - 1;
    if (f[0] === '1') widths.set(page, Number(f[8]));
    if (f[0] !== '5' || !f[11]?.trim()) continue;
    const [left, top, width, height] = [f[6], f[7], f[8], f[9]].map(Number) as [number, number, number, number];
    words.set(page, [
      ...(words.get(page) ?? []),
      { text: f[11].trim(), x0: left, y0: top, x1: left + width, y1: top + height },
    ]);
  }
  const count = Math.max(0, ...[...widths.keys()].map((k) => k + 1));
  return Array.from({ length: count }, (_v, i) => {
    const image = images[i];
    const read = words.get(i) ?? [];
    const text = cellWordsText(image ? mendRomanRuns(read, image) : read, widths.get(i) ?? 0);
    // A Roman row number alone in its cell: OCR reads its strokes as "|" or "l".
    return /^[|lI]{0,3}[VX]?[|lI]{0,3}\.?$/.test(text) && /[|l]/.test(text) ? text.replace(/[|l]/g, 'I') : text;
  });
}

/**
 * How many "I" strokes a Roman number printed at the start of the word's box has, counted in the
 * image: the upright strokes that run the full height of the letters, left to right, up to the
 * first mark that is neither a stroke nor a serif ("/", "V", a digit). OCR often reads the touching
 * serifs of "III" as "II"; the strokes do not lie. 0 when the word does not start with one.
 */
export function countStrokes(image: GreyImage, box: WordBox, dark = 140): number {
  const x0 = Math.max(0, Math.floor(box.x0));
  const x1 = Math.min(image.width, Math.ceil(box.x1));
  const y0 = Math.max(0, Math.floor(box.y0));
  const y1 = Math.min(image.height, Math.ceil(box.y1));
  const h = y1 - y0;
  if (h < 6 || x1 <= x0) return 0;
  const middle = [y0 + Math.round(0.3 * h), y1 - Math.round(0.3 * h)];
  let strokes = 0;
  let inStroke = false;
  for (let x = x0; x < x1; x += 1) {
    let run = 0;
    let longest = 0;
    let midInk = false;
    for (let y = y0; y < y1; y += 1) {
      if ((image.data[y * image.width + x] ?? 255) < dark) {
        run += 1;
        longest = Math.max(longest, run);
        if (y >= middle[0]! && y < middle[1]!) midInk = true;
      } else run = 0;
    }
    const stroke = longest >= 0.75 * h;
    if (stroke && !inStroke) strokes += 1;
    if (!stroke && midInk) return strokes;
    inStroke = stroke;
  }
  return strokes;
}

/** A word starting with a Roman number of "I"s (as OCR read it: "II/2026", "Il", "|||."). */
const ROMAN_RUN = /^([I|l]{1,4})(?=$|[./)\-–])/;

/** Words whose leading "I"s OCR miscounted, counted again in the image. */
export function mendRomanRuns<W extends WordBox>(words: W[], image: GreyImage): W[] {
  return words.map((w) => {
    const m = ROMAN_RUN.exec(w.text);
    if (!m?.[1]) return w;
    const n = countStrokes(image, w);
    if (n < 1 || n > 4 || (n === m[1].length && /^I+$/.test(m[1]))) return w;
    return { ...w, text: 'I'.repeat(n) + w.text.slice(m[1].length) };
  });
}
