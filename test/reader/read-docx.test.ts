import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { htmlToPlanText, readDocxToText } from '../../reader/read-docx';
import { readPlanText } from '../../reader/read-plan';

const PARAGRAPHS = [
  'ỦY BAN NHÂN DÂN XÃ SUỐI MƠ',
  'Số: 14/KH-UBND',
  'Suối Mơ, ngày 03 tháng 3 năm 2026',
  'KẾ HOẠCH',
  'Phòng chống đuối nước cho trẻ em năm 2026',
  'II. NỘI DUNG',
  '1. Dạy bơi an toàn cho học sinh tiểu học',
  '- Cơ quan chủ trì: Trường Tiểu học Suối Mơ',
  '- Cơ quan phối hợp: Đoàn Thanh niên xã và Hội Phụ nữ xã',
  '- Thời gian hoàn thành: trước ngày 31/8/2026',
];
const TABLE_ROWS = [
  ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Thời gian'],
  ['2', 'Cắm biển cảnh báo tại ao hồ', 'Công an xã', 'Quý II/2026'],
];

async function buildDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          ...PARAGRAPHS.map((text) => new Paragraph({ children: [new TextRun(text)] })),
          new Table({
            rows: TABLE_ROWS.map(
              (cells) =>
                new TableRow({ children: cells.map((text) => new TableCell({ children: [new Paragraph(text)] })) }),
            ),
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('readDocxToText', () => {
  it('reads a .docx into the same draft as the equivalent text', async () => {
    const text = await readDocxToText(await buildDocx());
    const equivalent = [...PARAGRAPHS, ...TABLE_ROWS.map((r) => r.join(' | '))].join('\n');
    expect(text).toBe(equivalent);
    const fromDocx = readPlanText(text);
    expect(fromDocx).toEqual(readPlanText(equivalent));
    expect(fromDocx.tasks.map((t) => [t.ref, t.lead, t.due])).toEqual([
      ['1', ['Trường Tiểu học Suối Mơ'], '2026-08-31'],
      ['2', ['Công an xã'], '2026-06-30'],
    ]);
    expect(fromDocx.plan).toMatchObject({ number: '14/KH-UBND', issued: '2026-03-03' });
  });

  it('rejects bytes that are not a Word document with a Vietnamese message', async () => {
    await expect(readDocxToText(Buffer.from('không phải docx'))).rejects.toThrow(/Không đọc được tệp \.docx/);
  });
});

describe('readDocxToText: merged cells', () => {
  const cell = (text: string | string[], options: { rowSpan?: number; columnSpan?: number } = {}): TableCell =>
    new TableCell({ children: (Array.isArray(text) ? text : [text]).map((t) => new Paragraph(t)), ...options });

  async function mergedTable(): Promise<Buffer> {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('KẾ HOẠCH'),
            new Paragraph('Phòng chống đuối nước cho trẻ em năm 2026'),
            new Table({
              rows: [
                new TableRow({ children: [cell('STT'), cell('Nhiệm vụ'), cell('Đơn vị chủ trì'), cell('Thời gian')] }),
                new TableRow({ children: [cell('I'), cell('NHÓM TUYÊN TRUYỀN', { columnSpan: 3 })] }),
                new TableRow({
                  children: [
                    cell('1'),
                    cell('In tờ rơi cảnh báo'),
                    cell(['Trường Tiểu học Suối Mơ', 'Đoàn Thanh niên xã'], { rowSpan: 2 }),
                    cell('Quý I/2026'),
                  ],
                }),
                new TableRow({ children: [cell('2'), cell(['Phát tờ rơi', 'tại các thôn']), cell('Quý II/2026')] }),
              ],
            }),
          ],
        },
      ],
    });
    return Packer.toBuffer(doc);
  }

  it("writes a cell merged down into every row it covers, pads a cell merged across, puts a cell's paragraphs on one line", async () => {
    const text = await readDocxToText(await mergedTable());
    expect(text.split('\n').slice(2)).toEqual([
      'STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian',
      'I | NHÓM TUYÊN TRUYỀN |  | ',
      '1 | In tờ rơi cảnh báo | Trường Tiểu học Suối Mơ; Đoàn Thanh niên xã | Quý I/2026',
      '2 | Phát tờ rơi tại các thôn | Trường Tiểu học Suối Mơ; Đoàn Thanh niên xã | Quý II/2026',
    ]);
    const draft = readPlanText(text);
    expect(draft.tasks.map((t) => [t.title, t.lead, t.due])).toEqual([
      ['In tờ rơi cảnh báo', ['Trường Tiểu học Suối Mơ', 'Đoàn Thanh niên xã'], '2026-03-31'],
      ['Phát tờ rơi tại các thôn', ['Trường Tiểu học Suối Mơ', 'Đoàn Thanh niên xã'], '2026-06-30'],
    ]);
    expect(draft.tasks.every((t) => t.review.every((m) => !/gộp/.test(m.why)))).toBe(true);
  });
});

describe('htmlToPlanText', () => {
  it('numbers ordered list items, keeps nested items, decodes entities and joins cells', () => {
    const html =
      '<h1>KẾ HOẠCH</h1><ol><li>Tuyên truyền<ol><li>Phát tờ rơi &amp; áp phích</li></ol></li><li>Tập huấn</li></ol>' +
      '<table><tr><td><p>1</p></td><td><p>Làm</p><p>đường</p></td></tr></table><p>Hết</p>';
    expect(htmlToPlanText(html)).toBe(
      ['KẾ HOẠCH', '1. Tuyên truyền', '1. Phát tờ rơi & áp phích', '2. Tập huấn', '1 | Làm đường', 'Hết'].join('\n'),
    );
  });
});
