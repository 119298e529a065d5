import { readPlanText } from '../../reader/read-plan';

describe('readPlanText: header laid out as a table', () => {
  it('joins a two-line agency header and ignores the national motto cells', () => {
    const text = [
      'ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'HUYỆN NÚI ĐÁ\t\tĐộc lập - Tự do - Hạnh phúc',
      'Số: 77/KH-UBND\t\tNúi Đá, ngày 09 tháng 11 năm 2025',
      'KẾ HOẠCH',
      'Phòng cháy rừng mùa khô 2025 - 2026',
    ].join('\n');
    expect(readPlanText(text).plan).toMatchObject({
      number: '77/KH-UBND',
      issuer: 'Ủy ban nhân dân huyện Núi Đá',
      issued: '2025-11-09',
    });
  });

  it('takes the department under its parent committee as the issuer', () => {
    const text = ['UBND TỈNH SÔNG LAM', 'SỞ Y TẾ', 'Số: 5/KH-SYT', 'Sông Lam, ngày 1 tháng 6 năm 2025'].join('\n');
    expect(readPlanText(text).plan.issuer).toBe('Sở Y tế');
  });
});

describe('readPlanText: fields written inside sentences', () => {
  const text = [
    'A. NHIỆM VỤ TRỌNG TÂM',
    '1. Tổ chức hội thi tìm hiểu pháp luật về giao thông (Cơ quan chủ trì: Công an huyện; thời gian: Quý III/2025).',
    '2. Lắp đèn tín hiệu tại các nút giao',
    'Ban Quản lý dự án huyện chủ trì, phối hợp với Phòng Kinh tế và Hạ tầng thực hiện, hoàn thành trước ngày 15/12/2025.',
    '3. Cập nhật bản đồ điểm đen tai nạn',
    '- Cơ quan chủ trì: Phòng Kinh tế và Hạ tầng; Cơ quan phối hợp: Công an huyện; Thời gian hoàn thành: Năm 2025',
    'B. KINH PHÍ',
    '1. Ngân sách huyện bảo đảm.',
  ].join('\n');
  const draft = readPlanText(text);

  it('reads letter sections like roman ones', () => {
    expect(draft.tasks.map((t) => t.ref)).toEqual(['1', '2', '3']);
  });

  it('reads fields in a parenthesis after the heading and keeps the title clean', () => {
    const t = draft.tasks[0];
    expect(t?.title).toBe('Tổ chức hội thi tìm hiểu pháp luật về giao thông');
    expect(t?.lead).toEqual(['Công an huyện']);
    expect(t?.due).toBe('2025-09-30');
  });

  it('reads "X chủ trì, phối hợp với Y" and a deadline from a sentence, marked for review', () => {
    const t = draft.tasks[1];
    expect(t?.lead).toEqual(['Ban Quản lý dự án huyện']);
    expect(t?.coordinators).toEqual(['Phòng Kinh tế và Hạ tầng']);
    expect(t?.timingText).toBe('trước ngày 15/12/2025');
    expect(t?.due).toBe('2025-12-15');
    expect(t?.review.map((m) => [m.field, m.line])).toEqual([
      ['lead', 4],
      ['timing', 4],
    ]);
  });

  it('reads several labelled fields on one line', () => {
    const t = draft.tasks[2];
    expect(t).toMatchObject({
      lead: ['Phòng Kinh tế và Hạ tầng'],
      coordinators: ['Công an huyện'],
      timingText: 'Năm 2025',
      due: '2025-12-31',
    });
    expect(t?.review).toEqual([]);
  });
});

describe('readPlanText: ambiguous numbering', () => {
  it('flags sub-items when only the last one carries the lead and timing', () => {
    const text = [
      'II. NỘI DUNG',
      '1. Chăm sóc người cao tuổi',
      'a) Khám sức khỏe định kỳ',
      'b) Tặng quà dịp Tết',
      '- Cơ quan chủ trì: Hội Người cao tuổi xã',
      '- Thời gian thực hiện: Quý I/2026',
    ].join('\n');
    const draft = readPlanText(text);
    expect(draft.tasks.map((t) => t.ref)).toEqual(['a', 'b']);
    for (const t of draft.tasks) expect(t.review.some((m) => m.field === 'ref' && m.why.includes('mục 1'))).toBe(true);
  });
});

describe('readPlanText: duties listed per agency in "Tổ chức thực hiện"', () => {
  const text = [
    'II. NHIỆM VỤ VÀ GIẢI PHÁP',
    '1. Tăng cường kiểm tra an toàn thực phẩm tại chợ',
    '- Kiểm tra đột xuất các quầy hàng.',
    '2. Tập huấn cho người kinh doanh thức ăn đường phố',
    'III. TỔ CHỨC THỰC HIỆN',
    '1. Sở Công Thương:',
    '- Chủ trì, phối hợp với các sở, ngành triển khai Kế hoạch.',
    '2. Sở Y tế: phối hợp kiểm tra, lấy mẫu xét nghiệm.',
    '3. UBND các huyện, thị xã có trách nhiệm chỉ đạo UBND cấp xã thực hiện tại địa phương.',
  ].join('\n');
  const draft = readPlanText(text);

  it('takes each duty of each agency as a task when the contents name no lead and no time', () => {
    expect(draft.tasks.map((t) => [t.title, t.lead, t.coordinators, t.line])).toEqual([
      ['Triển khai Kế hoạch', ['Sở Công Thương'], ['các sở, ngành'], 7],
      ['Phối hợp kiểm tra, lấy mẫu xét nghiệm', ['Sở Y tế'], [], 8],
      ['Chỉ đạo UBND cấp xã thực hiện tại địa phương', ['UBND các huyện, thị xã'], [], 9],
    ]);
  });

  it('marks a lead read from a sentence, and a missing time, for review', () => {
    const last = draft.tasks[2];
    expect(last?.review.map((m) => m.field)).toEqual(expect.arrayContaining(['lead', 'timing']));
    expect(draft.tasks[0]?.review.some((m) => m.field === 'lead')).toBe(false);
  });
});

describe('readPlanText: tasks written as bullets', () => {
  it('reads bullets after a cue line, with their labelled lines', () => {
    const text = [
      'UBND xã Bến Gỗ vừa ban hành Kế hoạch số 3/KH-UBND ngày 04/3/2026 về nước sạch nông thôn.',
      'Kế hoạch đề ra các nhiệm vụ sau:',
      '- Khảo sát nguồn nước tại các thôn (Hợp tác xã Bến Gỗ chủ trì; thời gian: Quý II/2026);',
      '- Xây bể lọc nước cho trường mầm non;',
      'Thời gian hoàn thành: trước ngày 30/11/2026',
      'Đây là nhiệm vụ trọng tâm của năm.',
    ].join('\n');
    const draft = readPlanText(text);
    expect(draft.tasks.map((t) => [t.title, t.lead, t.due])).toEqual([
      ['Khảo sát nguồn nước tại các thôn', ['Hợp tác xã Bến Gỗ'], '2026-06-30'],
      ['Xây bể lọc nước cho trường mầm non', [], '2026-11-30'],
    ]);
  });

  it('reads bullets in a tasks section that has no numbered items', () => {
    const text = [
      'II. NHIỆM VỤ',
      '- Sửa chữa nhà văn hóa thôn Đông',
      '- Cơ quan chủ trì: Ban quản lý thôn Đông',
      '- Thời gian thực hiện: Năm 2026',
      'III. KINH PHÍ',
      '- Nhân dân đóng góp.',
    ].join('\n');
    const draft = readPlanText(text);
    expect(draft.tasks.map((t) => [t.title, t.lead, t.due, t.line])).toEqual([
      ['Sửa chữa nhà văn hóa thôn Đông', ['Ban quản lý thôn Đông'], '2026-12-31', 2],
    ]);
  });
});

describe('readPlanText: unnumbered upper-case section headings', () => {
  it('skips the purpose part and reads the tasks part', () => {
    const text = [
      'MỤC ĐÍCH, YÊU CẦU',
      '1. Nâng cao ý thức giữ gìn vệ sinh chung của người dân.',
      'NHIỆM VỤ CỤ THỂ',
      '1. Nạo vét kênh mương nội đồng',
      '- Cơ quan chủ trì: Hợp tác xã nông nghiệp',
      '- Thời gian hoàn thành: trước ngày 31/3/2026',
      'KINH PHÍ',
      '1. Từ quỹ hợp tác xã.',
    ].join('\n');
    const draft = readPlanText(text);
    expect(draft.tasks.map((t) => [t.ref, t.title, t.due])).toEqual([
      ['1', 'Nạo vét kênh mương nội đồng', '2026-03-31'],
    ]);
  });
});

describe('readPlanText: label variants', () => {
  it('reads "Cơ quan, đơn vị chủ trì tham mưu:" and "Đơn vị, tổ chức phối hợp:" style labels', () => {
    const text = [
      'II. NHIỆM VỤ',
      '1. Rà soát thủ tục hành chính',
      '- Cơ quan, đơn vị chủ trì tham mưu: Văn phòng UBND tỉnh',
      '- Cơ quan, tổ chức phối hợp: Sở Tài chính',
      '- Thời hạn hoàn thành: Quý IV/2026',
      '- Báo cáo viên: Phòng Pháp chế',
    ].join('\n');
    const t = readPlanText(text).tasks[0];
    expect(t).toMatchObject({ lead: ['Văn phòng UBND tỉnh'], coordinators: ['Sở Tài chính'], due: '2026-12-31' });
  });
});

describe('readPlanText: header with a rule drawn under the agency name', () => {
  it('leaves the rule out of the issuer', () => {
    const text = [
      'ỦY BAN NHÂN DÂN TỈNH SÔNG LAM ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------',
      'Số: 12/KH-UBND | Sông Lam, ngày 05 tháng 01 năm 2026',
      'KẾ HOẠCH',
    ].join('\n');
    expect(readPlanText(text).plan).toMatchObject({
      issuer: 'Ủy ban nhân dân tỉnh Sông Lam',
      number: '12/KH-UBND',
      issued: '2026-01-05',
    });
  });
});
