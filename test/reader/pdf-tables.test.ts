/** Ruled tables found in page images and words put into their cells (synthetic images, no tools). */
import {
  cellBoxes,
  cellWordsText,
  countStrokes,
  mendRomanRuns,
  eraseRules,
  findTables,
  ocrPageText,
  parsePgm,
  tableRowsText,
  tsvCellTexts,
  tsvWords,
  writePgm,
  type GreyImage,
  type OcrWord,
  type WordBox,
} from '../../reader/pdf-tables';

const DPI = 72; // one pixel a point keeps the numbers readable

function blank(width: number, height: number): GreyImage {
  return { width, height, data: new Uint8Array(width * height).fill(255) };
}

function hline(img: GreyImage, y: number, x0: number, x1: number): void {
  img.data.fill(0, y * img.width + x0, y * img.width + x1 + 1);
}

function vline(img: GreyImage, x: number, y0: number, y1: number): void {
  for (let y = y0; y <= y1; y += 1) img.data[y * img.width + x] = 0;
}

function block(img: GreyImage, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y += 1) img.data.fill(0, y * img.width + x0, y * img.width + x1);
}

/**
 * A page with a rule under a heading (no table), then a table of four columns at x 50, 90, 300,
 * 400, 500 and rows at y 100, 130, 160, 220, 260: a header, a group row merged across columns
 * 2-4, a row whose third cell is merged down into the next row.
 */
function page(): GreyImage {
  const img = blank(560, 320);
  hline(img, 40, 200, 320); // a rule under the issuer's name: no table
  block(img, 100, 60, 180, 70); // some "text" above the table
  const [L, A, B, C, R] = [50, 90, 300, 400, 500];
  for (const y of [100, 130, 160, 260]) hline(img, y, L, R);
  hline(img, 220, L, B); // under the merged-down cell the rule stops
  hline(img, 220, C, R);
  for (const x of [L, A, R]) vline(img, x, 100, 260);
  for (const x of [B, C]) {
    vline(img, x, 100, 130);
    vline(img, x, 160, 260);
  }
  block(img, 60, 170, 64, 190); // a row number's stem: a short dark column, no rule
  return img;
}

describe('findTables', () => {
  it('finds rows between rules, columns between vertical rules, cells merged across and down', () => {
    const [table, ...others] = findTables(page(), DPI);
    expect(others).toEqual([]);
    expect(table).toMatchObject({ top: 100, bottom: 260, left: 50, right: 500, columns: [50, 90, 300, 400, 500] });
    expect(table?.rows.map((r) => [r.top, r.cells.map((c) => `${c.from}-${c.to}${c.continues ? '↑' : ''}`)])).toEqual([
      [100, ['0-1', '1-2', '2-3', '3-4']],
      [130, ['0-1', '1-4']],
      [160, ['0-1', '1-2', '2-3', '3-4']],
      [220, ['0-1', '1-2', '2-3↑', '3-4']],
    ]);
    expect(cellBoxes(table!).find((b) => b.x0 === 300 && b.y0 === 160)).toMatchObject({ y1: 260 });
  });

  it('takes no single box and no lone rule for a table', () => {
    const img = blank(300, 200);
    hline(img, 20, 20, 280);
    hline(img, 60, 20, 280);
    vline(img, 20, 20, 60);
    vline(img, 280, 20, 60);
    hline(img, 120, 20, 280);
    expect(findTables(img, DPI)).toEqual([]);
  });
});

const w = (text: string, x0: number, y0: number, x1: number, y1 = y0 + 12): WordBox => ({ text, x0, y0, x1, y1 });

describe('words into cells', () => {
  const table = findTables(page(), DPI)[0]!;

  it('writes each row, a cell merged across leaving empty cells, a cell merged down in every row it covers', () => {
    const words = [
      w('STT', 55, 110, 80),
      w('Nhiệm', 95, 110, 130),
      w('vụ', 133, 110, 145),
      w('Chủ', 305, 110, 325),
      w('trì', 328, 110, 345),
      w('Thời', 405, 110, 430),
      w('gian', 433, 110, 455),
      w('I', 60, 140, 64),
      w('NHÓM', 95, 140, 130),
      w('1', 60, 175, 66),
      w('Lập', 95, 165, 115),
      w('kế', 118, 165, 130),
      w('hoạch', 95, 180, 130),
      w('Sở', 305, 205, 318), // centred in the merged cell, below the row's middle
      w('Y', 321, 205, 327),
      w('tế', 330, 205, 340),
      w('Quý', 405, 175, 425),
      w('I/2026', 428, 175, 460),
      w('2', 60, 235, 66),
      w('Tập', 95, 235, 115),
      w('huấn', 118, 235, 145),
      w('Năm', 405, 235, 425),
      w('2026', 428, 235, 450),
      w('Ngoài', 100, 60, 130), // outside the table
    ];
    expect(tableRowsText(table, words)).toEqual([
      'STT | Nhiệm vụ | Chủ trì | Thời gian',
      'I | NHÓM |  | ',
      '1 | Lập kế hoạch | Sở Y tế | Quý I/2026',
      '2 | Tập huấn | Sở Y tế | Năm 2026',
    ]);
  });

  it('joins a wrapped line with a space, starts a paragraph where a line stopped short, keeps pieces of a word together', () => {
    // Cell right edge at 200: "Sở Tài chính" stops at 150, "Sở Xây dựng" (first word 20 wide) would have fitted.
    const words = [
      w('Sở', 10, 0, 30),
      w('Tài', 35, 0, 60),
      w('chính', 65, 0, 150),
      w('Sở', 10, 20, 30),
      w('Xây', 35, 20, 60),
      w('dựng', 65, 20, 90),
    ];
    expect(cellWordsText(words, 200)).toBe('Sở Tài chính; Sở Xây dựng');
    const wrapped = [w('Rà', 10, 0, 30), w('soát', 35, 0, 185), w('các', 10, 20, 40), w('quy', 45, 20, 70)];
    expect(cellWordsText(wrapped, 200)).toBe('Rà soát các quy');
    // "PH" + "Ụ" touching, a dash lower than the digits on the same line.
    const pieces = [
      w('PH', 10, 0, 30),
      w('Ụ', 30.5, 0, 40),
      w('2026', 10, 20, 50),
      w('-', 55, 25, 60, 28),
      w('2027', 65, 20, 100),
    ];
    expect(cellWordsText(pieces, 200)).toBe('PHỤ; 2026 - 2027');
  });
});

describe('OCR of a page with tables', () => {
  it('reads TSV words with their lines, puts the table where it stands among the lines, blank lines between paragraphs', () => {
    const head = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
    const row = (b: number, p: number, l: number, x: number, y: number, text: string): string =>
      `5\t1\t${b}\t${p}\t${l}\t1\t${x}\t${y}\t20\t12\t95\t${text}`;
    const words: OcrWord[] = tsvWords(
      [
        head,
        row(1, 1, 1, 100, 60, 'PHỤ'),
        row(1, 1, 1, 125, 60, 'LỤC'),
        row(2, 1, 1, 60, 280, 'Hết'),
        row(1, 1, 1, 95, 110, 'bỏ'),
      ].join('\n'),
    );
    expect(words.map((x) => [x.text, x.line])).toEqual([
      ['PHỤ', '1.1.1'],
      ['LỤC', '1.1.1'],
      ['Hết', '2.1.1'],
      ['bỏ', '1.1.1'],
    ]);
    const table = findTables(page(), DPI)[0]!;
    expect(ocrPageText(words, [table], () => ['A | B'])).toBe(['PHỤ LỤC', '', 'A | B', '', '', 'Hết'].join('\n'));
  });

  it('reads the text of each cell image of a list run, a lone Roman number read as strokes mended', () => {
    const head = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
    const tsv = [
      head,
      '1\t1\t0\t0\t0\t0\t0\t0\t60\t30\t-1\t',
      '5\t1\t1\t1\t1\t1\t20\t8\t6\t14\t90\t|',
      '1\t2\t0\t0\t0\t0\t0\t0\t300\t30\t-1\t',
      '5\t2\t1\t1\t1\t1\t10\t8\t30\t14\t96\tSở',
      '5\t2\t1\t1\t1\t2\t45\t8\t30\t14\t96\tY',
      '5\t2\t1\t1\t1\t3\t80\t8\t30\t14\t96\ttế',
      '1\t3\t0\t0\t0\t0\t0\t0\t60\t30\t-1\t',
      '1\t4\t0\t0\t0\t0\t0\t0\t60\t30\t-1\t',
      '5\t4\t1\t1\t1\t1\t20\t8\t12\t14\t90\tl|',
    ].join('\n');
    expect(tsvCellTexts(tsv)).toEqual(['I', 'Sở Y tế', '', 'II']);
  });

  it('wipes the rules, never the letters beside them', () => {
    const img = page();
    const table = findTables(img, DPI)[0]!;
    const clean = eraseRules(img, [table], DPI);
    const dark = (im: GreyImage, x: number, y: number): boolean => (im.data[y * im.width + x] ?? 255) < 140;
    expect(dark(clean, 200, 100)).toBe(false); // a row rule
    expect(dark(clean, 300, 200)).toBe(false); // a column rule
    expect(dark(clean, 62, 180)).toBe(true); // the stem beside them
    expect(dark(clean, 250, 40)).toBe(true); // the rule outside the table
    expect(findTables(clean, DPI)).toEqual([]);
  });

  it('writes and reads PGM images', () => {
    const img = page();
    const back = parsePgm(writePgm(img));
    expect([back.width, back.height]).toEqual([img.width, img.height]);
    expect(Buffer.from(back.data).equals(Buffer.from(img.data))).toBe(true);
    expect(parsePgm(Buffer.concat([Buffer.from('P5\n# made by hand\n2 1\n255\n'), Buffer.from([0, 255])]))).toEqual({
      width: 2,
      height: 1,
      data: new Uint8Array([0, 255]),
    });
  });
});

describe('Roman numbers counted in the image', () => {
  /** "III/2" drawn with serifs touching: three strokes joined at top and bottom, a slash, a digit. */
  function numeral(strokes: number): GreyImage {
    const img = blank(120, 40);
    for (let i = 0; i < strokes; i += 1) block(img, 10 + i * 8, 10, 13 + i * 8, 30);
    block(img, 8, 10, 10 + strokes * 8, 12); // serifs run together
    block(img, 8, 28, 10 + strokes * 8, 30);
    const sx = 14 + strokes * 8;
    for (let y = 10; y < 30; y += 1)
      block(img, sx + Math.floor((30 - y) / 2), y, sx + Math.floor((30 - y) / 2) + 2, y + 1);
    block(img, sx + 16, 10, sx + 26, 30); // a "2" as a blob
    return img;
  }

  it('counts the strokes up to the first mark that is not one', () => {
    for (const n of [1, 2, 3, 4]) expect(countStrokes(numeral(n), w('x', 0, 8, 119, 32))).toBe(n);
    expect(countStrokes(blank(50, 30), w('x', 0, 0, 49, 29))).toBe(0);
  });

  it('mends what OCR miscounted, leaves the rest', () => {
    const img = numeral(3);
    const box = w('II/2026', 0, 8, 119, 32);
    expect(mendRomanRuns([box, { ...box, text: 'Il' }, { ...box, text: 'Quý' }], img).map((x) => x.text)).toEqual([
      'III/2026',
      'III',
      'Quý',
    ]);
  });
});
