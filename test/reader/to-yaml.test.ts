import { parse } from 'yaml';
import type { DirectoryLike } from '../../reader/agency-names';
import { readPlanText } from '../../reader/read-plan';
import { draftToYaml } from '../../reader/to-yaml';

const TEXT = [
  'ỦY BAN NHÂN DÂN XÃ ĐỒI THÔNG',
  'Số: 9/KH-UBND',
  'Đồi Thông, ngày 20 tháng 1 năm 2026',
  'KẾ HOẠCH',
  'Vệ sinh môi trường năm 2026',
  'II. NỘI DUNG',
  '1. Ra quân tổng vệ sinh',
  '- Cơ quan chủ trì: Đoàn Thanh niên xã',
  '- Cơ quan phối hợp: Hội Phụ nữ xã, Hợp tác xã Đồi Thông',
  '- Thời gian thực hiện: Quý I/2026',
  '- Sản phẩm: Báo cáo kết quả',
  '2. Kiểm tra điểm tập kết rác',
  '- Cơ quan thực hiện: Công an xã, Đoàn Thanh niên xã',
  '- Thời gian thực hiện:',
  '+ Đợt 1: Quý II/2026',
  '+ Đợt 2: Quý IV/2026',
].join('\n');

const directory: DirectoryLike = {
  agencies: [
    { id: 'doan-thanh-nien', name: 'Đoàn Thanh niên xã Đồi Thông' },
    { id: 'hoi-phu-nu', name: 'Hội Phụ nữ xã Đồi Thông' },
    { id: 'ubnd-xa', name: 'Ủy ban nhân dân xã Đồi Thông' },
  ],
};

describe('draftToYaml', () => {
  const draft = readPlanText(TEXT, { directory });
  const yamlText = draftToYaml(draft, {
    planId: 'doi-thong-9-2026',
    directoryPath: './doi-thong.directory.yaml',
    directory,
  });
  const plan = parse(yamlText) as Record<string, unknown> & { tasks: Record<string, unknown>[] };

  it('writes the plan file fields of plans/FORMAT.md', () => {
    expect(plan).toMatchObject({
      id: 'doi-thong-9-2026',
      number: '9/KH-UBND',
      issuer: 'ubnd-xa',
      issued: '2026-01-20',
      period: { start: '2026-01-01', end: '2026-12-31' },
      timeZone: 'Asia/Ho_Chi_Minh',
      directory: './doi-thong.directory.yaml',
    });
    expect(plan.tasks).toHaveLength(3);
  });

  it('uses directory ids when resolved and flags raw names otherwise', () => {
    const first = plan.tasks[0];
    expect(first).toMatchObject({
      ref: '1',
      lead: 'doan-thanh-nien',
      coordinators: ['hoi-phu-nu', 'Hợp tác xã Đồi Thông'],
      timing: 'Quý I/2026',
      deliverable: 'Báo cáo kết quả',
    });
    const review = first?.review as { field: string; why: string; line: number }[];
    expect(review).toEqual([expect.objectContaining({ field: 'coordinators', line: 7 })]);
    expect(review[0]?.why).toContain('Hợp tác xã Đồi Thông');
  });

  it('gives repeated refs their own ids and keeps each task review list and source-line comment', () => {
    const parts = plan.tasks.filter((t) => t.ref === '2');
    expect(parts.map((t) => t.id)).toEqual(['2-1', '2-2']);
    expect(parts[0]?.lead).toBe('Công an xã');
    expect((parts[0]?.review as { field: string }[]).map((m) => m.field)).toEqual(
      expect.arrayContaining(['lead', 'ref']),
    );
    expect(yamlText).toContain('- ref: "2"  # dòng 12');
    expect(yamlText).toContain('# cơ quan chủ trì khác trong văn bản: Đoàn Thanh niên xã');
  });

  it('never guesses the monitoring agency and without a directory keeps names with review entries', () => {
    expect(plan.monitoringAgency).toBeUndefined();
    expect(yamlText).toMatch(/# monitoringAgency:/);
    const bare = parse(draftToYaml(readPlanText(TEXT), { planId: 'x' })) as {
      tasks: { lead: string; review: { why: string }[] }[];
    };
    expect(bare.tasks[0]?.lead).toBe('Đoàn Thanh niên xã');
    expect(bare.tasks[0]?.review.some((m) => m.why.includes('"Đoàn Thanh niên xã"'))).toBe(true);
  });

  it('writes an empty task list when the draft has none', () => {
    const empty = parse(draftToYaml(readPlanText('Không có nội dung.'), { planId: 'rong' })) as { tasks: unknown[] };
    expect(empty.tasks).toEqual([]);
  });
});
