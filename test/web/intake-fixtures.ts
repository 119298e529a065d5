/**
 * A made-up plan document (province "Sông Lam", invented tasks) built as .docx by the tests themselves, and its
 * agency directory. No real plan's number, agencies or sentences.
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';

/** The directory; `suffix` makes agency ids unique to a test run on a shared server. */
export function intakeDirectoryYaml(suffix = ''): string {
  return `agencies:
  - id: ubnd-tinh${suffix}
    name: Ủy ban nhân dân tỉnh Sông Lam
    level: province
    contacts: { head: { email: chutich@ubnd.songlam.example.gov.vn } }
  - id: so-tu-phap${suffix}
    name: Sở Tư pháp tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@stp.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh${suffix}
  - id: so-khcn${suffix}
    name: Sở Khoa học và Công nghệ tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@skhcn.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh${suffix}
  - id: so-cong-thuong${suffix}
    name: Sở Công Thương tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@sct.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh${suffix}
  - id: so-tai-chinh${suffix}
    name: Sở Tài chính tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@stc.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh${suffix}
`;
}

const PARAGRAPHS = (year: number): string[] => [
  'ỦY BAN NHÂN DÂN TỈNH SÔNG LAM',
  'Số: 41/KH-UBND',
  `Sông Lam, ngày 08 tháng 12 năm ${year - 1}`,
  'KẾ HOẠCH',
  `Chuyển đổi số cho hợp tác xã năm ${year}`,
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Hỗ trợ hợp tác xã bán hàng trên môi trường số.',
  'II. NHIỆM VỤ',
  'Chi tiết tại Phụ lục kèm theo.',
  'PHỤ LỤC',
];

/** The task table: the third row's "Hằng năm" cannot be read without a date, so the officer must give one. */
export const INTAKE_TABLE = (year: number): string[][] => [
  ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'],
  [
    '1',
    'Xây dựng bộ chỉ số đo mức độ ứng dụng công nghệ số của hợp tác xã',
    'Sở KH&CN',
    'Sở Công Thương',
    `Quý IV/${year}`,
  ],
  ['2', 'Tập huấn kỹ năng bán hàng trực tuyến cho hợp tác xã', 'Sở Công Thương', 'Sở Tài chính', `Tháng 11/${year}`],
  ['3', 'Bố trí kinh phí hỗ trợ hợp tác xã', 'Sở Tài chính', 'Sở KH&CN', 'Hằng năm'],
];

/** The plan as a .docx: header, sections, and the appendix table. */
export async function intakePlanDocx(year: number): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          ...PARAGRAPHS(year).map((text) => new Paragraph({ children: [new TextRun(text)] })),
          new Table({
            rows: INTAKE_TABLE(year).map(
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
