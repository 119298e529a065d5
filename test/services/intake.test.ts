/**
 * Plan intake as the browser review will use it, without HTTP: a .docx (a task table in an appendix
 * and a dated obligation in the organising part) with a directory → rows; a timing read live; the
 * edited rows back into a plan file that `plans/load.ts` accepts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { loadDirectoryFile, loadPlanFile, PlanValidationError } from '../../plans/load';
import {
  checkRows,
  draftFromDocument,
  editedFromDraft,
  previewTiming,
  rowsToPlanYaml,
  type IntakeDraft,
} from '../../services/intake';

const DIRECTORY_YAML = `agencies:
  - id: ubnd-tinh
    name: Ủy ban nhân dân tỉnh Sông Lam
    level: province
    contacts: { head: { email: chutich@ubnd.songlam.example.gov.vn } }
  - id: so-khcn
    name: Sở Khoa học và Công nghệ tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@skhcn.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh
  - id: so-cong-thuong
    name: Sở Công Thương tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@sct.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh
  - id: so-tai-chinh
    name: Sở Tài chính tỉnh Sông Lam
    level: department
    contacts: { focal: { email: vanphong@stc.songlam.example.gov.vn } }
    escalatesTo: ubnd-tinh
  - id: ubnd-xa-doi-thong
    name: UBND xã Đồi Thông
    level: commune
    contacts: { focal: { email: vanphong@doithong.songlam.example.gov.vn } }
  - id: ubnd-xa-suoi-mo
    name: UBND xã Suối Mơ
    level: commune
    contacts: { focal: { email: vanphong@suoimo.songlam.example.gov.vn } }
groups:
  - id: ubnd-cap-xa
    name: Các xã trực thuộc tỉnh
    members: [ubnd-xa-doi-thong, ubnd-xa-suoi-mo]
`;

const PARAGRAPHS = [
  'ỦY BAN NHÂN DÂN TỈNH SÔNG LAM',
  'Số: 41/KH-UBND',
  'Sông Lam, ngày 08 tháng 12 năm 2025',
  'KẾ HOẠCH',
  'Chuyển đổi số cho hợp tác xã giai đoạn 2026 - 2027',
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Hỗ trợ hợp tác xã bán hàng trên môi trường số.',
  'II. NHIỆM VỤ',
  'Chi tiết tại Phụ lục kèm theo.',
  'III. TỔ CHỨC THỰC HIỆN',
  '1. Sở Khoa học và Công nghệ',
  '- Là cơ quan thường trực, theo dõi việc thực hiện Kế hoạch.',
  '- Tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện trước ngày 15/12 hằng năm.',
  'PHỤ LỤC',
];
const TABLE = [
  ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'],
  [
    '1',
    'Xây dựng bộ chỉ số đo mức độ ứng dụng công nghệ số của hợp tác xã',
    'Sở KH&CN',
    'Sở Công Thương; UBND các xã, phường',
    'Quý II/2026',
  ],
  [
    '2',
    'Tập huấn kỹ năng bán hàng trực tuyến cho hợp tác xã',
    'Sở Công Thương',
    'Hội Nông dân tỉnh',
    'Tháng 5 - 8/2026',
  ],
  ['3', 'Bố trí kinh phí hỗ trợ hợp tác xã', 'Sở Tài chính', 'Sở KH&CN', 'Hằng năm'],
];

async function planDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          ...PARAGRAPHS.map((text) => new Paragraph({ children: [new TextRun(text)] })),
          new Table({
            rows: TABLE.map(
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

let dir: string;
let draft: IntakeDraft;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dondoc-intake-'));
  await writeFile(path.join(dir, 'directory.yaml'), DIRECTORY_YAML);
  const directory = loadDirectoryFile(path.join(dir, 'directory.yaml'));
  draft = await draftFromDocument(await planDocx(), 'ke-hoach-41.docx', { directory });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('draftFromDocument', () => {
  it('reads the header, proposes a plan id and matches the issuer', () => {
    expect(draft.format).toBe('docx');
    expect(draft.plan).toMatchObject({
      number: '41/KH-UBND',
      issued: '2025-12-08',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
    });
    expect(draft.plan.suggestedId).toMatch(/^[a-z0-9-]+$/);
    expect(draft.plan.issuer).toMatchObject({ id: 'ubnd-tinh' });
  });

  it('gives one row per task: the table rows and the dated obligation, in document order', () => {
    expect(draft.rows.map((r) => [r.key, r.ref, r.title])).toEqual([
      ['r1', '1', 'Tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện'],
      ['r2', '1', 'Xây dựng bộ chỉ số đo mức độ ứng dụng công nghệ số của hợp tác xã'],
      ['r3', '2', 'Tập huấn kỹ năng bán hàng trực tuyến cho hợp tác xã'],
      ['r4', '3', 'Bố trí kinh phí hỗ trợ hợp tác xã'],
    ]);
  });

  it('keeps each name as written beside the directory entry it matched and the other candidates', () => {
    const r = draft.rows[1];
    expect(r?.lead).toEqual([expect.objectContaining({ text: 'Sở KH&CN', id: 'so-khcn' })]);
    expect(r?.lead[0]?.candidates[0]).toMatchObject({ id: 'so-khcn', kind: 'agency' });
    expect(r?.coordinators.map((c) => [c.text, c.id])).toEqual([
      ['Sở Công Thương', 'so-cong-thuong'],
      ['UBND các xã, phường', 'ubnd-cap-xa'],
    ]);
    // A body the directory does not hold stays, with no id, and is marked.
    const unknown = draft.rows[2]?.coordinators[0];
    expect(unknown).toMatchObject({ text: 'Hội Nông dân tỉnh', id: null });
    expect(draft.rows[2]?.review.some((m) => m.field === 'coordinators' && m.why.includes('Hội Nông dân tỉnh'))).toBe(
      true,
    );
    expect(draft.unknownAgencies).toContain('Hội Nông dân tỉnh');
  });

  it('shows what each timing means, how sure the reading is, and the review marks with their lines', () => {
    expect(draft.rows[1]?.timing).toMatchObject({
      text: 'Quý II/2026',
      kind: 'deadline',
      due: '2026-06-30',
      confident: true,
    });
    expect(draft.rows[2]?.timing).toMatchObject({ kind: 'window', due: '2026-08-31', windowStart: '2026-05-01' });
    expect(draft.rows[3]?.timing).toMatchObject({
      kind: 'recurring',
      recurrence: 'yearly',
      due: null,
      confident: false,
    });
    expect(draft.rows[3]?.review.some((m) => m.field === 'timing' && /Hằng năm/.test(m.why))).toBe(true);
    expect(draft.rows[0]?.timing).toMatchObject({
      recurrence: 'yearly',
      dues: ['2026-12-15', '2027-12-15'],
      confident: true,
    });
    for (const r of draft.rows) for (const m of r.review) expect(m.line).toBeGreaterThan(0);
  });
});

describe('previewTiming', () => {
  it('reads a text live with the plan context: due date, working-day due date, window, event', () => {
    const ctx = { issued: '2026-01-05', periodStart: '2026-01-05', periodEnd: '2026-12-31' };
    expect(previewTiming('trước ngày 31/5/2026', ctx)).toMatchObject({
      kind: 'deadline',
      due: '2026-05-31',
      effectiveDue: '2026-06-01',
      confident: true,
    });
    expect(previewTiming('Từ 01/7/2026', ctx)).toMatchObject({
      kind: 'continuous',
      due: null,
      windowStart: '2026-07-01',
      windowEnd: '2026-12-31',
    });
    expect(previewTiming('Sau khi có hướng dẫn của Bộ', ctx)).toMatchObject({
      kind: 'unscheduled',
      confident: false,
      event: 'Sau khi có hướng dẫn của Bộ',
    });
    expect(previewTiming('', ctx)).toMatchObject({ kind: 'unscheduled', confident: false });
  });
});

describe('edited rows back into a plan file', () => {
  it('lists what still stops the import, row by row', () => {
    const edited = editedFromDraft(draft, { directory: './directory.yaml' });
    const problems = checkRows(edited, { issued: '2025-12-08', periodStart: '2026-01-01', periodEnd: '2027-12-31' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 0, field: 'monitoringAgency' }),
        expect.objectContaining({ row: 3, field: 'coordinators' }),
        expect.objectContaining({ row: 4, field: 'timing' }),
      ]),
    );
  });

  it('writes a plan file the loader accepts once the officer has chosen, dated and resolved', async () => {
    const edited = editedFromDraft(draft, {
      id: 'kh-41-2025',
      directory: './directory.yaml',
      monitoringAgency: 'so-khcn',
      escalationAuthority: 'ubnd-tinh',
    });
    const rows = edited.rows.map((r) => ({ ...r, review: (r.review ?? []).map((m) => ({ ...m, resolved: true })) }));
    const row3 = rows[2];
    const row4 = rows[3];
    if (!row3 || !row4) throw new Error('rows missing');
    row3.coordinators = row3.coordinators.filter((id) => id !== null);
    row4.due = '2026-11-30';
    const ready = { ...edited, rows };
    expect(checkRows(ready)).toEqual([]);
    const planPath = path.join(dir, 'plan.yaml');
    await writeFile(planPath, rowsToPlanYaml(ready));
    const loaded = loadPlanFile(planPath);
    expect(loaded.plan.tasks.map((t) => [t.id ?? t.ref, t.lead])).toEqual([
      ['1-1', 'so-khcn'],
      ['1-2', 'so-khcn'],
      ['2', 'so-cong-thuong'],
      ['3', 'so-tai-chinh'],
    ]);
    const byTask = (key: string) => loaded.instances.filter((i) => i.taskKey === key);
    expect(byTask('1-2')[0]?.schedule.due).toBe('2026-06-30');
    expect(byTask('1-2')[0]?.coordinators.map((c) => c.id)).toEqual(['so-cong-thuong', 'ubnd-cap-xa']);
    // The officer's date for "Hằng năm" repeats each year of the plan.
    expect(byTask('3')[0]?.schedule.dues).toEqual(['2026-11-30', '2027-11-30']);
  });

  it('writes what it has when rows are unfinished, and the loader names the missing fields', async () => {
    const edited = editedFromDraft(draft, {
      id: 'kh-41-2025',
      directory: './directory.yaml',
      monitoringAgency: 'so-khcn',
      escalationAuthority: 'ubnd-tinh',
    });
    const first = edited.rows[0];
    if (!first) throw new Error('row missing');
    first.lead = [null];
    const planPath = path.join(dir, 'unfinished.yaml');
    await writeFile(planPath, rowsToPlanYaml(edited));
    let error: unknown;
    try {
      loadPlanFile(planPath);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlanValidationError);
    const text = (error as PlanValidationError).format();
    expect(text).toMatch(/tasks\[0\]\.lead/);
    expect(text).toMatch(/review|rà soát/);
  });
});
