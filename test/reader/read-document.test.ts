/**
 * Documents in: text, .docx, a text PDF and a scanned PDF the test makes itself (a synthetic plan
 * written to .docx, turned into a PDF by LibreOffice, its pages rendered to images by pdftoppm and
 * wrapped into an image-only PDF by img2pdf). The draft from the scan must match the draft from the
 * text on tasks, leads and deadlines.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import { normaliseAgencyName } from '../../reader/agency-names';
import { titleSimilarity } from '../../reader/eval-reader';
import {
  cleanOcrText,
  decodeText,
  DocumentReadError,
  readDocument,
  reflowPageText,
  uncertainWords,
  type OcrProgress,
} from '../../reader/read-document';
import { readPlanText, type PlanDraft } from '../../reader/read-plan';
import { convertToPdfAndPng } from '../../reports/render-preview';

const run = promisify(execFile);

/** A synthetic plan (invented commune "Suối Mơ") long enough for two pages, in the labelled-lines layout. */
const PLAN = [
  'ỦY BAN NHÂN DÂN XÃ SUỐI MƠ',
  'Số: 27/KH-UBND',
  'Suối Mơ, ngày 12 tháng 1 năm 2026',
  'KẾ HOẠCH',
  'Xây dựng nông thôn mới kiểu mẫu năm 2026',
  'Thực hiện chương trình của tỉnh, Ủy ban nhân dân xã ban hành Kế hoạch xây dựng nông thôn mới kiểu mẫu với các nội dung sau đây, nhằm bảo đảm mọi thôn đạt chuẩn trong năm và người dân cùng tham gia.',
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Nâng cao chất lượng cuộc sống của người dân ở các thôn.',
  '2. Phân công rõ trách nhiệm cho từng bộ phận, từng cơ quan, đơn vị.',
  'II. NHIỆM VỤ CỤ THỂ',
  '1. Rà soát hiện trạng các tiêu chí nông thôn mới của từng thôn',
  '- Cơ quan chủ trì: Văn phòng HĐND và UBND xã',
  '- Cơ quan phối hợp: Ban công tác Mặt trận các thôn',
  '- Thời gian hoàn thành: trước ngày 31/3/2026',
  '2. Cứng hóa đường giao thông nội đồng',
  '- Cơ quan chủ trì: Công chức địa chính - xây dựng',
  '- Cơ quan phối hợp: Hợp tác xã nông nghiệp Suối Mơ',
  '- Thời gian hoàn thành: Quý III/2026',
  '3. Xây dựng mô hình thu gom rác thải sinh hoạt tại thôn',
  '- Cơ quan chủ trì: Hội Liên hiệp Phụ nữ xã',
  '- Cơ quan phối hợp: Đoàn Thanh niên xã',
  '- Thời gian thực hiện: Tháng 5 - 8/2026',
  '4. Tuyên truyền, vận động người dân tham gia xây dựng nông thôn mới',
  '- Cơ quan chủ trì: Đài truyền thanh xã',
  '- Thời gian thực hiện: Thường xuyên',
  '5. Tổ chức ngày hội đại đoàn kết toàn dân tộc ở khu dân cư',
  '- Cơ quan chủ trì: Ban công tác Mặt trận các thôn',
  '- Cơ quan phối hợp: Công chức văn hóa - xã hội',
  '- Thời gian hoàn thành: trước ngày 18/11/2026',
  '6. Trồng cây xanh dọc các tuyến đường liên thôn',
  '- Cơ quan chủ trì: Hợp tác xã nông nghiệp Suối Mơ',
  '- Thời gian hoàn thành: Quý II/2026',
  '7. Kiểm tra, đánh giá kết quả thực hiện các tiêu chí',
  '- Cơ quan chủ trì: Văn phòng HĐND và UBND xã',
  '- Thời gian hoàn thành: trước ngày 15/12/2026',
  'III. KINH PHÍ THỰC HIỆN',
  'Kinh phí thực hiện từ ngân sách xã và nguồn huy động hợp pháp khác.',
  'IV. TỔ CHỨC THỰC HIỆN',
  'Văn phòng HĐND và UBND xã theo dõi, đôn đốc các bộ phận thực hiện Kế hoạch này.',
];

async function planDocx(lines: string[]): Promise<Buffer> {
  const doc = new Document({
    styles: { default: { document: { run: { font: 'Liberation Serif', size: 28 } } } },
    sections: [
      { children: lines.map((text) => new Paragraph({ children: [new TextRun(text)], spacing: { after: 120 } })) },
    ],
  });
  return Packer.toBuffer(doc);
}

/** What the two drafts must agree on: per task, the title, the lead (as a directory key) and the due date. */
function essentials(draft: PlanDraft): { title: string; lead: string[]; due: string | null }[] {
  return draft.tasks.map((t) => ({ title: t.title, lead: t.lead.map(normaliseAgencyName), due: t.due }));
}

function expectSameDraft(actual: PlanDraft, expected: PlanDraft): void {
  const a = essentials(actual);
  const e = essentials(expected);
  expect(a.map((t) => [t.lead, t.due])).toEqual(e.map((t) => [t.lead, t.due]));
  a.forEach((t, i) => expect(titleSimilarity(t.title, e[i]?.title ?? '')).toBeGreaterThanOrEqual(0.8));
  expect(actual.plan.number).toBe(expected.plan.number);
  expect(actual.plan.issued).toBe(expected.plan.issued);
}

describe('readDocument: text files', () => {
  it('reads UTF-8, with or without a byte order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('KẾ HOẠCH\nII. NHIỆM VỤ', 'utf8')]);
    await expect(readDocument(bytes, 'ke-hoach.txt')).resolves.toEqual({
      text: 'KẾ HOẠCH\nII. NHIỆM VỤ',
      format: 'text',
    });
  });

  it('refuses UTF-16, bytes that are not UTF-8 and unknown formats, saying which file and what to do', async () => {
    expect(() => decodeText(Buffer.from('\uFEFFabc', 'utf16le'), 'a.txt')).toThrow(/a\.txt.*UTF-16.*UTF-8/);
    expect(() => decodeText(Buffer.from([0x4b, 0xea, 0x20, 0x68]), 'b.txt')).toThrow(/b\.txt không phải văn bản UTF-8/);
    await expect(readDocument(Buffer.from('x'), 'c.doc')).rejects.toThrow(DocumentReadError);
    await expect(readDocument(Buffer.from('x'), 'c.doc')).rejects.toThrow(/c\.doc.*\.txt, \.md, \.docx, \.pdf/);
    await expect(readDocument(Buffer.from('không phải pdf'), 'd.pdf')).rejects.toThrow(/d\.pdf không phải tệp PDF/);
  });
});

describe('reflowPageText and cleanOcrText', () => {
  it('joins the lines a page wrapped, keeps items, labelled lines, headings and table rows apart, drops page numbers', () => {
    const page = [
      'ỦY BAN NHÂN DÂN XÃ SUỐI MƠ',
      'KẾ HOẠCH',
      '1. Rà soát hiện trạng các tiêu chí nông thôn mới của từng thôn trên địa bàn xã và lập danh',
      'sách các tiêu chí chưa đạt',
      '- Cơ quan chủ trì: Văn phòng HĐND và UBND xã',
      '- Thời gian hoàn thành: trước ngày 31/3/2026',
      '',
      '2',
      '\fSTT   Nội dung            Cơ quan chủ trì     Thời gian',
      '1     Trồng cây xanh      Hợp tác xã          Quý II/2026',
    ].join('\n');
    expect(reflowPageText(page).split('\n')).toEqual([
      'ỦY BAN NHÂN DÂN XÃ SUỐI MƠ',
      'KẾ HOẠCH',
      '1. Rà soát hiện trạng các tiêu chí nông thôn mới của từng thôn trên địa bàn xã và lập danh sách các tiêu chí chưa đạt',
      '- Cơ quan chủ trì: Văn phòng HĐND và UBND xã',
      '- Thời gian hoàn thành: trước ngày 31/3/2026',
      'STT   Nội dung            Cơ quan chủ trì     Thời gian',
      '1     Trồng cây xanh      Hợp tác xã          Quý II/2026',
    ]);
  });

  it('mends the slips OCR makes in quarters, slashes and agency names', () => {
    expect(cleanOcrText('Quý Il/2026; Quý III//2026; quý 1/2026; 30 / 6/2026')).toBe(
      'Quý II/2026; Quý III/2026; quý 1/2026; 30/6/2026',
    );
    expect(cleanOcrText('SởY tế; SỞ Tài chính; SỞ Y TẾ; TrạmY tế; HỢp tác xã; QĐ-TTg; ỦY BAN')).toBe(
      'Sở Y tế; Sở Tài chính; SỞ Y TẾ; Trạm Y tế; Hợp tác xã; QĐ-TTg; ỦY BAN',
    );
  });
});

describe('words OCR is unsure of', () => {
  const tsv = [
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t95.1\tQuý',
    '5\t1\t1\t1\t1\t2\t70\t10\t50\t20\t28.8\tII/2026',
    '5\t1\t1\t1\t2\t1\t10\t40\t50\t20\t31.0\tnghiệp',
    '5\t1\t1\t1\t2\t2\t70\t40\t50\t20\t96.0\t30/6/2026',
  ].join('\n');

  it('lists the low-confidence words that carry a date, a number or a quarter, not every unsure word', () => {
    expect(uncertainWords(tsv, 2)).toEqual([{ page: 2, text: 'II/2026', confidence: 29 }]);
  });

  it('marks the tasks whose time holds one, and the plan, for checking against the paper', () => {
    const text = [
      'II. NHIỆM VỤ',
      '1. Trồng cây xanh',
      '- Cơ quan chủ trì: Hợp tác xã Suối Mơ',
      '- Thời gian hoàn thành: Quý II/2026',
      '2. Lát gạch sân',
      '- Cơ quan chủ trì: Đoàn Thanh niên xã',
      '- Thời gian hoàn thành: trước ngày 30/6/2026',
    ].join('\n');
    const draft = readPlanText(text, { ocrUncertain: uncertainWords(tsv, 2) });
    expect(draft.tasks[0]?.review.find((m) => m.field === 'timing')?.why).toMatch(/"II\/2026".*OCR.*29%.*trang 2/);
    expect(draft.tasks[1]?.review.some((m) => /OCR/.test(m.why))).toBe(false);
    expect(draft.marks.some((m) => m.field === 'ocr')).toBe(true);
    expect(readPlanText(text).marks.some((m) => m.field === 'ocr')).toBe(false);
  });
});

describe('readDocument: a text PDF and a scanned PDF of the same plan', () => {
  let dir: string;
  let textPdf: Buffer;
  let scanPdf: Buffer;
  let pageCount: number;
  const fromText = readPlanText(PLAN.join('\n'));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dondoc-scan-test-'));
    const docxPath = path.join(dir, 'ke-hoach.docx');
    await writeFile(docxPath, await planDocx(PLAN));
    const { pdf } = await convertToPdfAndPng(docxPath, dir);
    textPdf = await readFile(pdf);
    // Render every page to an image, then wrap the images alone into a PDF: a scan with no text layer.
    await run('pdftoppm', ['-r', '300', '-gray', '-png', pdf, path.join(dir, 'scan')]);
    const pages = (await readdir(dir)).filter((f) => /^scan-\d+\.png$/.test(f)).sort();
    pageCount = pages.length;
    await run('img2pdf', [...pages.map((p) => path.join(dir, p)), '-o', path.join(dir, 'scan.pdf')]);
    scanPdf = await readFile(path.join(dir, 'scan.pdf'));
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has a synthetic plan of two pages, and a scan with no text in it', async () => {
    expect(pageCount).toBe(2);
    const { stdout } = await run('pdftotext', [path.join(dir, 'scan.pdf'), '-']);
    expect(stdout.replace(/\s/g, '')).toBe('');
    expect(fromText.tasks).toHaveLength(7);
  });

  it('reads the text PDF through pdftotext into the draft the text gives', async () => {
    const read = await readDocument(textPdf, 'ke-hoach.pdf');
    expect(read.format).toBe('pdf');
    expect(read.pages).toBe(2);
    expectSameDraft(readPlanText(read.text), fromText);
  });

  it('reads the scan by OCR, one page at a time with progress, into the same tasks, leads and deadlines', async () => {
    const progress: OcrProgress[] = [];
    const read = await readDocument(scanPdf, 'ke-hoach-scan.pdf', { onProgress: (p) => progress.push(p) });
    expect(read.format).toBe('pdf-ocr');
    expect(progress).toEqual([
      { page: 1, pages: 2 },
      { page: 2, pages: 2 },
    ]);
    const fromScan = readPlanText(read.text);
    expectSameDraft(fromScan, fromText);
    expect(fromScan.tasks.map((t) => t.due)).toEqual([
      '2026-03-31',
      '2026-09-30',
      '2026-08-31',
      null,
      '2026-11-18',
      '2026-06-30',
      '2026-12-15',
    ]);
  }, 120_000);
});

/**
 * A synthetic plan whose tasks are a ruled table (invented commune "Suối Mơ"): cells centred in
 * their rows, group rows merged across, one lead cell merged down over two rows, a cell of two
 * paragraphs. `pdftotext -layout` alone interleaves such rows; the rules give the cells back.
 */
const TABLE_INTRO = [
  'ỦY BAN NHÂN DÂN XÃ SUỐI MƠ',
  'Số: 31/KH-UBND',
  'Suối Mơ, ngày 20 tháng 1 năm 2026',
  'KẾ HOẠCH',
  'Bảo đảm nước sạch cho các thôn năm 2026',
  'Ủy ban nhân dân xã giao nhiệm vụ cụ thể tại Phụ lục kèm theo.',
  'PHỤ LỤC',
  'NHIỆM VỤ CỤ THỂ',
];
/** Rows as the text reader takes them; `null` in a cell: merged down from the row above. */
const TABLE: (string | null)[][] = [
  ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'],
  ['I', 'NHÓM NHIỆM VỤ VỀ QUẢN LÝ'],
  [
    '1',
    'Rà soát hiện trạng các công trình cấp nước tập trung trên địa bàn xã và đề xuất phương án sửa chữa',
    'Công chức địa chính - xây dựng',
    'Hợp tác xã nông nghiệp Suối Mơ; Ban công tác Mặt trận các thôn',
    'Quý I/2026',
  ],
  ['2', 'Lập danh sách hộ chưa có nước sạch', 'Công chức văn hóa - xã hội', 'Trưởng các thôn', 'Tháng 4/2026'],
  ['II', 'NHÓM NHIỆM VỤ VỀ ĐẦU TƯ'],
  [
    '3',
    'Lắp đặt bể lọc nước tại nhà văn hóa các thôn',
    'Hợp tác xã nông nghiệp Suối Mơ',
    'Đoàn Thanh niên xã',
    'Quý III/2026',
  ],
  ['4', 'Kiểm tra chất lượng nước sau khi lắp đặt', null, 'Trạm Y tế xã', 'trước ngày 15/11/2026'],
];

function tableText(): string {
  const rows = TABLE.map((r, i) => {
    const cells = r.map((c, k) => c ?? TABLE[i - 1]?.[k] ?? '');
    return (cells.length === 2 ? [...cells, '', '', ''] : cells).join(' | ');
  });
  return [...TABLE_INTRO, ...rows, 'Ủy ban nhân dân xã yêu cầu các cơ quan, đơn vị triển khai thực hiện.'].join('\n');
}

async function tableDocx(): Promise<Buffer> {
  const cell = (text: string, i: number, span: { rowSpan?: number; columnSpan?: number } = {}): TableCell =>
    new TableCell({
      verticalAlign: VerticalAlign.CENTER,
      // Cells of two paragraphs: the partners, one body a paragraph.
      children: (i === 3 ? text.split('; ') : [text]).map((t) => new Paragraph(t)),
      ...span,
    });
  const rows = TABLE.map(
    (r, ri) =>
      new TableRow({
        children: r.flatMap((c, i) => {
          if (c === null) return [];
          if (r.length === 2 && i === 1) return [cell(c, i, { columnSpan: 4 })];
          return [cell(c, i, TABLE[ri + 1]?.[i] === null ? { rowSpan: 2 } : {})];
        }),
      }),
  );
  const doc = new Document({
    styles: { default: { document: { run: { font: 'Liberation Serif', size: 26 } } } },
    sections: [
      {
        children: [
          ...TABLE_INTRO.map((t) => new Paragraph({ children: [new TextRun(t)], spacing: { after: 120 } })),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }),
          new Paragraph('Ủy ban nhân dân xã yêu cầu các cơ quan, đơn vị triển khai thực hiện.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('readDocument: a task table in a text PDF and in a scan', () => {
  let dir: string;
  let textPdf: Buffer;
  let scanPdf: Buffer;
  const fromText = readPlanText(tableText());

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dondoc-table-test-'));
    const docxPath = path.join(dir, 'bang.docx');
    await writeFile(docxPath, await tableDocx());
    const { pdf } = await convertToPdfAndPng(docxPath, dir);
    textPdf = await readFile(pdf);
    await run('pdftoppm', ['-r', '300', '-gray', '-png', pdf, path.join(dir, 'scan')]);
    const pages = (await readdir(dir)).filter((f) => /^scan-\d+\.png$/.test(f)).sort();
    await run('img2pdf', [...pages.map((p) => path.join(dir, p)), '-o', path.join(dir, 'scan.pdf')]);
    scanPdf = await readFile(path.join(dir, 'scan.pdf'));
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the table from text as four tasks, the merged lead given to both its rows', () => {
    expect(fromText.tasks.map((t) => [t.ref, t.lead, t.due])).toEqual([
      ['1', ['Công chức địa chính - xây dựng'], '2026-03-31'],
      ['2', ['Công chức văn hóa - xã hội'], '2026-04-30'],
      ['3', ['Hợp tác xã nông nghiệp Suối Mơ'], '2026-09-30'],
      ['4', ['Hợp tác xã nông nghiệp Suối Mơ'], '2026-11-15'],
    ]);
  });

  it('reads the text PDF cell by cell into the same draft', async () => {
    const read = await readDocument(textPdf, 'bang.pdf');
    expect(read.format).toBe('pdf');
    const draft = readPlanText(read.text);
    expectSameDraft(draft, fromText);
    expect(draft.tasks.map((t) => t.coordinators)).toEqual(fromText.tasks.map((t) => t.coordinators));
  }, 60_000);

  it('reads the scan cell by cell into the same tasks, leads and deadlines', async () => {
    const read = await readDocument(scanPdf, 'bang-scan.pdf');
    expect(read.format).toBe('pdf-ocr');
    expectSameDraft(readPlanText(read.text), fromText);
  }, 120_000);
});
