import fc from 'fast-check';
import {
  dutyTitle,
  findProseTiming,
  isAgencyName,
  isNonTask,
  readAgencyHeading,
  readPartners,
  readSubject,
  splitSentences,
} from '../../reader/duties';
import { readPlanText } from '../../reader/read-plan';

describe('readAgencyHeading: who the work below a heading belongs to', () => {
  it.each([
    ['Sở Y tế', ['Sở Y tế'], [], null],
    ['Sở Văn hóa, Thể thao và Du lịch; Báo Sông Lam', ['Sở Văn hóa, Thể thao và Du lịch', 'Báo Sông Lam'], [], null],
    ['Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'], [], null],
    [
      'Đề nghị: Hội Cựu chiến binh tỉnh, Hội Chữ thập đỏ tỉnh',
      ['Hội Cựu chiến binh tỉnh', 'Hội Chữ thập đỏ tỉnh'],
      [],
      null,
    ],
    ['Trách nhiệm của các đơn vị sử dụng đất:', ['các đơn vị sử dụng đất'], [], null],
    ['Sở Tư pháp - Cơ quan thường trực Hội đồng', ['Sở Tư pháp'], [], null],
    [
      'Sở Công Thương phối hợp Ban Quản lý khu kinh tế: rà soát đất cụm công nghiệp',
      ['Sở Công Thương'],
      ['Ban Quản lý khu kinh tế'],
      'rà soát đất cụm công nghiệp',
    ],
    ['Sở Giáo dục và Đào tạo: Chủ trì tổ chức tập huấn.', ['Sở Giáo dục và Đào tạo'], [], 'Chủ trì tổ chức tập huấn.'],
    ['Các chủ đầu tư dự án nhà ở xã hội', ['Các chủ đầu tư dự án nhà ở xã hội'], [], null],
  ])('%s', (text, leads, coordinators, duty) => {
    expect(readAgencyHeading(text)).toEqual({ leads, coordinators, duty });
  });

  it.each([
    'Trưởng Ban Chỉ đạo',
    'Mục đích',
    'Ban hành danh mục hồ sơ',
    'Hội nghị sơ kết',
    'Báo cáo: gửi Sở Nội vụ',
    'Phòng chống dịch bệnh',
    'Bộ tiêu chí xã nông thôn mới',
    'Phòng Nội vụ phối hợp thực hiện',
    'Tổ chức thực hiện kiểm kê',
  ])('"%s" names no agency', (text) => {
    expect(readAgencyHeading(text)).toBeUndefined();
  });
});

describe('readSubject: the agency a sentence opens with', () => {
  it.each([
    ['Sở Nội vụ hướng dẫn khen thưởng; phối hợp với các sở triển khai', ['Sở Nội vụ'], 'hướng dẫn'],
    ['Trên cơ sở kết quả kiểm tra, giao Sở Y tế thành lập đoàn đánh giá', ['Sở Y tế'], 'thành lập'],
    ['Khen thưởng cấp tỉnh: Sở Nội vụ phối hợp với Sở Tài chính trình Ủy ban', ['Sở Nội vụ'], 'phối hợp'],
    ['Giao Trưởng phòng Tư pháp chịu trách nhiệm tham mưu thực hiện', ['Phòng Tư pháp'], 'chịu trách nhiệm'],
    ['Chủ tịch Ủy ban nhân dân xã xem xét tặng Giấy khen', ['Chủ tịch Ủy ban nhân dân xã'], 'xem xét'],
    ['Công chức địa chính - xây dựng lập bản đồ hiện trạng', ['Công chức địa chính - xây dựng'], 'lập'],
  ])('%s', (text, leads, verb) => {
    const s = readSubject(text);
    expect(s?.leads).toEqual(leads);
    expect(s?.rest.startsWith(verb)).toBe(true);
  });

  it.each([
    'Tổ chức tập huấn cho cán bộ xã',
    'Đồng chí Phó Chủ tịch chỉ đạo chung',
    'Hội nghị tổng kết được tổ chức vào tháng 12',
  ])('"%s" has no agency subject', (text) => {
    expect(readSubject(text)).toBeUndefined();
  });
});

describe('readPartners, dutyTitle, isNonTask', () => {
  it.each([
    [
      'Chủ trì, phối hợp với Sở Y tế, các sở, ngành liên quan tham mưu ban hành quy chế',
      ['Sở Y tế', 'các sở, ngành liên quan'],
    ],
    [
      'Phối hợp chặt chẽ với các nhà mạng (Mạng Một, Mạng Hai, Mạng Ba) để lắp trạm',
      ['Mạng Một', 'Mạng Hai', 'Mạng Ba'],
    ],
    [
      'Phối hợp với chủ đầu tư hạ tầng và các cơ quan chức năng cung cấp thông tin',
      ['chủ đầu tư hạ tầng', 'các cơ quan chức năng'],
    ],
    ['Hướng dẫn các xã lập hồ sơ; phối hợp với Sở Tài chính thẩm định', []],
    ['Phối hợp thực hiện các nhiệm vụ khác', []],
  ])('%s', (text, partners) => {
    expect(readPartners(text)).toEqual(partners);
  });

  it.each([
    ['Chủ trì, phối hợp với Sở Y tế tham mưu ban hành quy chế. Tổ chức kiểm tra.', null, 'Tham mưu ban hành quy chế'],
    [
      'Phối hợp với Sở Tư pháp và các đơn vị liên quan tổ chức tập huấn hòa giải viên',
      null,
      'Tổ chức tập huấn hòa giải viên',
    ],
    [
      'Định kỳ hằng năm, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện.',
      'Định kỳ hằng năm',
      'Báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện',
    ],
    [
      'gửi báo cáo kết quả về Sở Nội vụ trước ngày 10/12/2026 để tổng hợp',
      'trước ngày 10/12/2026',
      'Gửi báo cáo kết quả về Sở Nội vụ',
    ],
    [
      'Căn cứ chức năng, nhiệm vụ, chỉ đạo các trường lồng ghép nội dung giáo dục./.',
      null,
      'Chỉ đạo các trường lồng ghép nội dung giáo dục',
    ],
  ])('%s', (text, timing, title) => {
    expect(dutyTitle(text, timing)).toBe(title);
  });

  it('tells encouragement, compliance and "report difficulties" from work', () => {
    expect(isNonTask('Khuyến khích doanh nghiệp tài trợ')).toBe(true);
    expect(isNonTask('Tuân thủ đầy đủ các quy định về an toàn thông tin')).toBe(true);
    expect(isNonTask('Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, phản ánh về Sở Nội vụ')).toBe(true);
    expect(isNonTask('Kiểm tra việc thực hiện quy định về an toàn thông tin')).toBe(false);
  });

  it('knows an agency name from a sentence', () => {
    expect(isAgencyName('Ủy ban nhân dân các xã, phường')).toBe(true);
    expect(isAgencyName('Sở Xây dựng')).toBe(true);
    expect(isAgencyName('Sở Xây dựng hướng dẫn các xã')).toBe(false);
  });
});

describe('findProseTiming and splitSentences', () => {
  it.each([
    ['tổng hợp, báo cáo trước ngày 15/12 hằng năm về Sở', 'trước ngày 15/12 hằng năm'],
    ['Định kỳ hằng năm (trước ngày 25 tháng 10) báo cáo kết quả', 'Định kỳ hằng năm (trước ngày 25 tháng 10)'],
    ['triển khai từ tháng 10 năm 2026 đến hết tháng 3 năm 2027', 'từ tháng 10 năm 2026 đến hết tháng 3 năm 2027'],
    [
      'gửi kế hoạch trong thời hạn 15 ngày kể từ ngày nhận được văn bản',
      'trong thời hạn 15 ngày kể từ ngày nhận được văn bản',
    ],
    ['Báo cáo giữa kỳ (năm 2028) gửi Ủy ban', '(năm 2028)'],
    ['Thường xuyên cập nhật dữ liệu', 'Thường xuyên'],
    [
      'từ ngày ban hành Kế hoạch đến khi kết thúc đợt thi đua',
      'từ ngày ban hành Kế hoạch đến khi kết thúc đợt thi đua',
    ],
  ])('%s', (text, timing) => {
    expect(findProseTiming(text)?.text).toBe(timing);
  });

  it('finds no time in a sentence that has none', () => {
    expect(findProseTiming('Chỉ đạo các trường lồng ghép nội dung giáo dục dân số')).toBeUndefined();
  });

  it('ends a sentence after a year, not after an item number or an abbreviation', () => {
    expect(splitSentences('Đợt một kết thúc năm 2026. Sơ kết vào tháng 1. Xem mục 2. Tổ chức ở TP. Sông Lam.')).toEqual(
      ['Đợt một kết thúc năm 2026', 'Sơ kết vào tháng 1. Xem mục 2. Tổ chức ở TP. Sông Lam.'],
    );
  });
});

describe('readPlanText on any text', () => {
  const piece = fc.constantFrom(
    'II. NỘI DUNG',
    'IV. TỔ CHỨC THỰC HIỆN',
    '1. Sở Y tế',
    'a) Chủ trì, phối hợp với Sở Tài chính kiểm tra.',
    '- Cơ quan chủ trì: UBND cấp xã',
    '- Thời gian hoàn thành: Quý II/2026',
    '+ Sở Xây dựng: rà soát đường.',
    'STT | Nội dung | Cơ quan chủ trì | Thời gian',
    '1 | Trồng cây | Hội Nông dân | Năm 2026',
    'Thời gian thực hiện: Từ 01/7/2026',
    'Trên đây là Kế hoạch. Định kỳ hằng năm báo cáo về Sở Nội vụ.',
    'Nơi nhận:',
    'PHỤ LỤC',
    '',
  );
  it('never throws, and every task and mark points at a line of the text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 40 })), { maxLength: 30 }), (parts) => {
        const text = parts.join('\n');
        const lines = text.split('\n').length;
        const draft = readPlanText(text);
        for (const t of draft.tasks) {
          expect(t.line).toBeGreaterThanOrEqual(1);
          expect(t.line).toBeLessThanOrEqual(lines);
          expect(t.title.length).toBeGreaterThan(0);
          for (const m of t.review) expect(m.why.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
