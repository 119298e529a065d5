import { readPlanText, type DraftTask } from '../../reader/read-plan';
import type { DirectoryLike } from '../../reader/agency-names';

/** Synthetic plans written for these tests (invented province "Sông Lam", commune "Đồi Thông"). */
const FORMAL = [
  'ỦY BAN NHÂN DÂN TỈNH SÔNG LAM',
  'Số: 245/KH-UBND',
  'Sông Lam, ngày 12 tháng 3 năm 2025',
  'KẾ HOẠCH',
  'Thực hiện chuyển đổi số trong công tác văn thư giai đoạn 2025 - 2027',
  'Căn cứ Kế hoạch số 17/KH-BNV ngày 02/01/2025 của Bộ Nội vụ, UBND tỉnh ban hành Kế hoạch như sau:',
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Mục đích',
  '- Nâng cao chất lượng lưu trữ hồ sơ điện tử.',
  '2. Yêu cầu',
  '- Bảo đảm tiến độ, hiệu quả.',
  'II. NHIỆM VỤ CỤ THỂ',
  '1. Hoàn thiện thể chế',
  '1.1. Ban hành quy chế quản lý văn bản điện tử của tỉnh.',
  '- Cơ quan chủ trì: Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh tham mưu UBND tỉnh ban hành.',
  '- Thời gian hoàn thành: trước ngày 30/6/2025.',
  '- Sản phẩm: Quyết định của UBND tỉnh.',
  '1.2. Đối với các huyện:',
  'Căn cứ hướng dẫn của tỉnh, UBND cấp huyện rà soát danh mục hồ sơ lưu trữ điện tử của địa phương.',
  '- Cơ quan thực hiện: UBND cấp huyện, cấp xã.',
  '- Cơ quan phối hợp: Sở Thông tin và Truyền thông và các cơ quan, đơn vị liên quan.',
  '- Thời gian thực hiện: Quý III/2025.',
  '2. Bồi dưỡng kỹ năng số cho công chức văn thư',
  '- Cơ quan chủ trì thực hiện: Sở Nội vụ.',
  '- Cơ quan phối hợp: Trường Chính trị tỉnh; Hội Cựu chiến binh tỉnh.',
  '- Thời gian thực hiện: Hằng năm.',
  '3. Sơ kết, tổng kết việc thực hiện Kế hoạch',
  '- Cơ quan chủ trì: Sở Nội vụ.',
  '- Thời gian thực hiện:',
  '+ Sơ kết: Quý IV/2026.',
  '+ Tổng kết: Năm 2027.',
  'III. KINH PHÍ THỰC HIỆN',
  '1. Kinh phí bố trí từ ngân sách nhà nước.',
  'IV. TỔ CHỨC THỰC HIỆN',
  '1. Sở Nội vụ có trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch.',
  '2. Sở Tài chính có trách nhiệm bố trí kinh phí.',
  'Nơi nhận:',
  '- Bộ Nội vụ;',
  '- Lưu: VT.',
].join('\n');

function byRef(tasks: DraftTask[], ref: string): DraftTask {
  const t = tasks.find((x) => x.ref === ref);
  if (!t) throw new Error(`no task ${ref} in ${tasks.map((x) => x.ref).join(',')}`);
  return t;
}

describe('readPlanText: formal numbered plan', () => {
  const draft = readPlanText(FORMAL);

  it('reads the header: number, issuer, issue date, title and period', () => {
    expect(draft.plan.number).toBe('245/KH-UBND');
    expect(draft.plan.issuer).toBe('Ủy ban nhân dân tỉnh Sông Lam');
    expect(draft.plan.issued).toBe('2025-03-12');
    expect(draft.plan.title).toContain('chuyển đổi số');
    expect(draft.plan.periodStart).toBe('2025-01-01');
    expect(draft.plan.periodEnd).toBe('2027-12-31');
  });

  it('keeps only content tasks at the finest level (no purpose, funding or roles)', () => {
    expect(draft.tasks.map((t) => t.ref)).toEqual(['1.1', '1.2', '2', '3', '3']);
  });

  it('reads lead, coordinators, timing and deliverable lines', () => {
    const t = byRef(draft.tasks, '1.1');
    expect(t.title).toBe('Ban hành quy chế quản lý văn bản điện tử của tỉnh');
    expect(t.lead).toEqual(['Sở Nội vụ']);
    expect(t.coordinators).toEqual(['Văn phòng UBND tỉnh']);
    expect(t.timingText).toBe('trước ngày 30/6/2025');
    expect(t.due).toBe('2025-06-30');
    expect(t.recurrence).toBe('none');
    expect(t.deliverable).toBe('Quyết định của UBND tỉnh');
    expect(t.line).toBe(14);
  });

  it('takes the title from the paragraph under an introductory heading and restores "UBND cấp xã"', () => {
    const t = byRef(draft.tasks, '1.2');
    // "Căn cứ …," and the subject "UBND cấp huyện" are cut from the paragraph.
    expect(t.title).toBe('Rà soát danh mục hồ sơ lưu trữ điện tử của địa phương');
    expect(t.lead).toEqual(['UBND cấp huyện', 'UBND cấp xã']);
    expect(t.coordinators).toEqual(['Sở Thông tin và Truyền thông', 'các cơ quan, đơn vị liên quan']);
    expect(t.due).toBe('2025-09-30');
    expect(t.review.some((m) => m.field === 'lead' && /một cơ quan chủ trì/.test(m.why))).toBe(true);
  });

  it('splits a task whose parts carry their own timing ("+ Sơ kết: …", "+ Tổng kết: …")', () => {
    const parts = draft.tasks.filter((t) => t.ref === '3');
    expect(parts.map((p) => p.title)).toEqual(['Sơ kết việc thực hiện Kế hoạch', 'Tổng kết việc thực hiện Kế hoạch']);
    expect(parts.map((p) => p.due)).toEqual(['2026-12-31', '2027-12-31']);
    expect(parts.every((p) => p.review.some((m) => m.field === 'ref'))).toBe(true);
  });

  it('marks a yearly timing without a date for review', () => {
    const t = byRef(draft.tasks, '2');
    expect(t.recurrence).toBe('yearly');
    expect(t.due).toBeNull();
    expect(t.coordinators).toEqual(['Trường Chính trị tỉnh', 'Hội Cựu chiến binh tỉnh']);
    expect(t.review.some((m) => m.field === 'timing' && m.line === 26)).toBe(true);
  });
});

describe('readPlanText: leads only in the closing part', () => {
  const text = [
    'SỞ NỘI VỤ',
    'Số: /KH-SNV',
    'Sông Lam, ngày tháng 4 năm 2025',
    'KẾ HOẠCH',
    'Bồi dưỡng công chức năm 2025',
    'I. MỤC ĐÍCH, YÊU CẦU',
    '1. Nâng cao năng lực công chức.',
    'II. NỘI DUNG',
    '1. Tổ chức 03 lớp bồi dưỡng kỹ năng soạn thảo văn bản',
    '- Nội dung: Kỹ năng soạn thảo và trình bày văn bản hành chính.',
    '- Thời gian thực hiện: Quý II và quý III/2025.',
    '- Kết quả: Báo cáo kết quả bồi dưỡng.',
    '2. Biên soạn sổ tay nghiệp vụ',
    '- Thời gian: Năm 2025.',
    'III. KINH PHÍ',
    'Kinh phí từ ngân sách nhà nước.',
    'IV. TỔ CHỨC THỰC HIỆN',
    '1. Đồng chí Phó Giám đốc phụ trách chỉ đạo chung.',
    '2. Giao Trưởng phòng Công chức, viên chức chịu trách nhiệm tham mưu thực hiện các nội dung của Kế hoạch.',
    '3. Văn phòng Sở có trách nhiệm phối hợp bố trí hội trường.',
    '4. Phòng Nội vụ các huyện phối hợp thực hiện.',
    'Trong quá trình thực hiện nếu có vướng mắc, báo cáo Giám đốc Sở.',
  ].join('\n');
  const draft = readPlanText(text);

  it('leaves a blank number and day as null, with plan-level marks', () => {
    expect(draft.plan.number).toBeNull();
    expect(draft.plan.issued).toBeNull();
    expect(draft.plan.issuer).toBe('Sở Nội vụ');
    expect(draft.marks.map((m) => m.field)).toEqual(expect.arrayContaining(['number', 'issued']));
  });

  it('gives each task the lead and coordinators named in "Tổ chức thực hiện", marked for review', () => {
    expect(draft.tasks.map((t) => t.ref)).toEqual(['1', '2']);
    for (const t of draft.tasks) {
      expect(t.lead).toEqual(['Phòng Công chức, viên chức']);
      expect(t.coordinators).toEqual(['Văn phòng Sở', 'Phòng Nội vụ các huyện']);
      expect(t.review.find((m) => m.field === 'lead')?.why).toMatch(/Tổ chức thực hiện \(dòng 19\)/);
    }
  });

  it('reads two quarters as two occurrences, due the later one', () => {
    const t = draft.tasks[0];
    expect(t?.schedule?.kind).toBe('occurrences');
    expect(t?.due).toBe('2025-09-30');
    expect(t?.deliverable).toBe('Báo cáo kết quả bồi dưỡng');
  });
});

describe('readPlanText: news-style prose', () => {
  const text = [
    'Ủy ban nhân dân tỉnh Sông Lam vừa ban hành Kế hoạch thực hiện chương trình phát triển du lịch cộng đồng (Kế hoạch số 88/KH-UBND ngày 03/9/2025).',
    'Theo đó, tỉnh phấn đấu đến năm 2030 có 20 điểm du lịch cộng đồng đạt chuẩn.',
    'Kế hoạch đề ra các nhiệm vụ, giải pháp cụ thể như rà soát, đánh giá tiềm năng du lịch cộng đồng tại các xã miền núi. Bên cạnh đó, xây dựng bộ tiêu chí điểm du lịch cộng đồng; tổ chức tập huấn kỹ năng phục vụ du khách cho hộ gia đình,…',
    'UBND tỉnh giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Hội Nông dân tỉnh, UBND các huyện, thị xã, các cơ quan, đơn vị có liên quan tổ chức triển khai thực hiện Kế hoạch này.',
  ].join('\n');
  const draft = readPlanText(text);

  it('reads the number, date and issuer from running text', () => {
    expect(draft.plan).toMatchObject({
      number: '88/KH-UBND',
      issued: '2025-09-03',
      issuer: 'Ủy ban nhân dân tỉnh Sông Lam',
    });
  });

  it('splits the tasks sentence into tasks and leaves targets alone', () => {
    expect(draft.tasks.map((t) => t.title)).toEqual([
      'Rà soát, đánh giá tiềm năng du lịch cộng đồng tại các xã miền núi',
      'Xây dựng bộ tiêu chí điểm du lịch cộng đồng',
      'Tổ chức tập huấn kỹ năng phục vụ du khách cho hộ gia đình',
    ]);
    expect(draft.tasks.every((t) => t.ref === null && t.timingText === null && t.recurrence === 'unspecified')).toBe(
      true,
    );
  });

  it('takes lead and coordinators from the assignment sentence', () => {
    const t = draft.tasks[1];
    expect(t?.lead).toEqual(['Sở Văn hóa, Thể thao và Du lịch']);
    expect(t?.coordinators).toEqual([
      'Hội Nông dân tỉnh',
      'UBND các huyện, thị xã',
      'các cơ quan, đơn vị có liên quan',
    ]);
    expect(t?.review.map((m) => m.field).sort()).toEqual(['lead', 'timing']);
  });
});

describe('readPlanText: numbered contents with a shared timing in the lead-in', () => {
  const text = [
    'Kế hoạch phòng, chống thiên tai tỉnh Sông Lam năm 2026',
    'Ngày 10/01/2026, Ủy ban nhân dân tỉnh Sông Lam đã ban hành Kế hoạch số 12/KH-UBND về phòng, chống thiên tai.',
    'Theo Kế hoạch, trong năm 2026 sẽ triển khai 2 nội dung sau:',
    '1. Củng cố lực lượng xung kích cấp xã:',
    '+ Rà soát, bổ sung thành viên đội xung kích.',
    '2. Diễn tập ứng phó bão lũ tại các xã ven biển',
    'Giao Bộ Chỉ huy Quân sự tỉnh chủ trì, phối hợp với các sở, ngành liên quan tổ chức thực hiện.',
  ].join('\n');
  const draft = readPlanText(text);

  it('uses the lead-in timing and the closing assignment', () => {
    expect(draft.plan.issued).toBe('2026-01-10');
    expect(draft.plan.number).toBe('12/KH-UBND');
    expect(draft.tasks.map((t) => [t.ref, t.title, t.timingText, t.due])).toEqual([
      ['1', 'Củng cố lực lượng xung kích cấp xã', 'trong năm 2026', '2026-12-31'],
      ['2', 'Diễn tập ứng phó bão lũ tại các xã ven biển', 'trong năm 2026', '2026-12-31'],
    ]);
    expect(draft.tasks[0]?.lead).toEqual(['Bộ Chỉ huy Quân sự tỉnh']);
    expect(draft.tasks[0]?.coordinators).toEqual(['các sở, ngành liên quan']);
  });
});

describe('readPlanText: table-like lists', () => {
  const rows = (sep: string): string =>
    [
      'UBND XÃ ĐỒI THÔNG',
      'II. NHIỆM VỤ',
      ['STT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành', 'Sản phẩm'].join(sep),
      [
        '1',
        'Lắp đặt camera an ninh tại các thôn',
        'Công an xã',
        'Đoàn Thanh niên, Hội Phụ nữ xã',
        'Quý II/2026',
        'Biên bản nghiệm thu',
      ].join(sep),
      ['2', 'Tuyên truyền phòng chống cháy rừng', 'Văn phòng HĐND và UBND', 'Các thôn', 'Thường xuyên', 'Báo cáo'].join(
        sep,
      ),
    ].join('\n');

  it.each([
    ['pipes', ' | '],
    ['tabs', '\t'],
    ['several spaces', '   '],
  ])('reads rows separated by %s', (_name, sep) => {
    const draft = readPlanText(rows(sep));
    expect(draft.tasks.map((t) => [t.ref, t.title, t.lead, t.coordinators, t.timingText, t.deliverable])).toEqual([
      [
        '1',
        'Lắp đặt camera an ninh tại các thôn',
        ['Công an xã'],
        ['Đoàn Thanh niên', 'Hội Phụ nữ xã'],
        'Quý II/2026',
        'Biên bản nghiệm thu',
      ],
      ['2', 'Tuyên truyền phòng chống cháy rừng', ['Văn phòng HĐND và UBND'], ['Các thôn'], 'Thường xuyên', 'Báo cáo'],
    ]);
    expect(draft.tasks[0]?.due).toBe('2026-06-30');
    expect(draft.tasks[1]?.recurrence).toBe('continuous');
    expect(draft.tasks[0]?.line).toBe(4);
  });

  it('reads a markdown table with its separator row', () => {
    const md = [
      '| TT | Nhiệm vụ | Đơn vị thực hiện | Thời hạn |',
      '|---|---|---|---|',
      '| 1 | Cập nhật sổ hộ tịch | Công chức tư pháp | Năm 2026 |',
    ].join('\n');
    const draft = readPlanText(md);
    expect(draft.tasks).toHaveLength(1);
    expect(draft.tasks[0]).toMatchObject({
      ref: '1',
      title: 'Cập nhật sổ hộ tịch',
      lead: ['Công chức tư pháp'],
      due: '2026-12-31',
    });
  });
});

describe('readPlanText: leftover markdown', () => {
  const text = [
    'Số:31/KH-UBND',
    '*Đồi Thông, ngày 07 tháng 8 năm 2026***KẾ HOẠCH****Phát triển thư viện cộng đồng năm 2026**',
    'UBND xã Đồi Thông xây dựng Kế hoạch như sau:',
    'I. MỤC ĐÍCH, YÊU CẦU**1. Mục đích**',
    'Khuyến khích đọc sách.',
    'II. NỘI DUNG THỰC HIỆN**1. Bổ sung đầu sách cho thư viện**',
    'Thời gian thực hiện: Cả năm 2026',
    '**2. Tổ chức ngày hội đọc sách**',
    'Thời gian thực hiện: trước ngày 15/10/2026',
    'III. TỔ CHỨC THỰC HIỆN',
    '1. Văn phòng HĐND và UBND',
    'Là đầu mối tham mưu tổ chức thực hiện Kế hoạch.',
    '2. Đoàn Thanh niên và Hội Phụ nữ',
    'Phối hợp vận động thanh thiếu niên tham gia.',
  ].join('\n');
  const draft = readPlanText(text);

  it('undoes ** and * and keeps source line numbers', () => {
    expect(draft.plan).toMatchObject({ number: '31/KH-UBND', issued: '2026-08-07', issuer: 'UBND xã Đồi Thông' });
    expect(draft.plan.title).toBe('Kế hoạch Phát triển thư viện cộng đồng năm 2026');
    expect(draft.tasks.map((t) => [t.ref, t.title, t.line, t.due])).toEqual([
      ['1', 'Bổ sung đầu sách cho thư viện', 6, '2026-12-31'],
      ['2', 'Tổ chức ngày hội đọc sách', 8, '2026-10-15'],
    ]);
  });

  it('reads role headings followed by their duties', () => {
    expect(draft.tasks[0]?.lead).toEqual(['Văn phòng HĐND và UBND']);
    expect(draft.tasks[0]?.coordinators).toEqual(['Đoàn Thanh niên', 'Hội Phụ nữ']);
  });
});

describe('readPlanText: roman sub-numbering and lettered items', () => {
  it('treats a)/b) under a numbered heading as the tasks when they carry their own fields', () => {
    const text = [
      'II. NHIỆM VỤ',
      '1. Truyền thông',
      'a) Xây dựng chuyên mục trên đài truyền thanh xã',
      '- Cơ quan chủ trì: Đài truyền thanh xã',
      '- Thời gian thực hiện: Quý I/2027',
      'b) Phát hành tờ gấp',
      '- Cơ quan chủ trì: Công chức văn hóa - xã hội',
      '- Thời gian thực hiện: Quý II/2027',
    ].join('\n');
    const draft = readPlanText(text);
    expect(draft.tasks.map((t) => [t.ref, t.lead[0], t.due])).toEqual([
      ['a', 'Đài truyền thanh xã', '2027-03-31'],
      ['b', 'Công chức văn hóa - xã hội', '2027-06-30'],
    ]);
  });
});

describe('readPlanText: review marks and agencies', () => {
  const directory: DirectoryLike = {
    agencies: [
      { id: 'so-noi-vu', name: 'Sở Nội vụ tỉnh Sông Lam' },
      { id: 'vp-ubnd', name: 'Văn phòng UBND tỉnh Sông Lam' },
    ],
    groups: [{ id: 'ubnd-cap-huyen', name: 'UBND cấp huyện' }],
  };

  it('lists names the directory does not know and marks them on the task', () => {
    const draft = readPlanText(FORMAL, { directory });
    expect(draft.unknownAgencies).toEqual(
      expect.arrayContaining(['UBND cấp xã', 'Sở Thông tin và Truyền thông', 'các cơ quan, đơn vị liên quan']),
    );
    expect(draft.unknownAgencies).not.toContain('Sở Nội vụ');
    const t = byRef(draft.tasks, '1.2');
    expect(t.review.some((m) => m.field === 'coordinators' && m.why.includes('"Sở Thông tin và Truyền thông"'))).toBe(
      true,
    );
    expect(t.review.some((m) => m.why.includes('"các cơ quan, đơn vị liên quan" là tên chung'))).toBe(true);
    expect(byRef(draft.tasks, '1.1').review.filter((m) => m.field === 'lead' || m.field === 'coordinators')).toEqual(
      [],
    );
  });

  it('without a directory lists every name and says the directory is missing', () => {
    const draft = readPlanText(FORMAL);
    expect(draft.unknownAgencies).toContain('Sở Nội vụ');
    expect(draft.marks.some((m) => m.field === 'directory')).toBe(true);
  });

  it('marks a missing lead and missing timing, and numbering out of order', () => {
    const draft = readPlanText(
      ['II. NỘI DUNG', '2. Lập danh sách hộ nghèo', '1. Cấp phát thẻ bảo hiểm y tế'].join('\n'),
    );
    const t = draft.tasks[0];
    expect(t?.review.map((m) => m.field).sort()).toEqual(['lead', 'timing']);
    expect(t?.review.every((m) => m.line === 2 && /[ăâđêôơư]/.test(m.why))).toBe(true);
    expect(draft.marks.some((m) => m.field === 'ref' && m.line === 3)).toBe(true);
  });

  it('says so when it finds no task at all', () => {
    const draft = readPlanText('Thông báo lịch họp tuần.', { fileName: 'hop.txt' });
    expect(draft.tasks).toEqual([]);
    expect(draft.marks.find((m) => m.field === 'tasks')?.why).toContain('hop.txt');
  });
});
