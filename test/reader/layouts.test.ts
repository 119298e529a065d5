/**
 * One synthetic plan per layout real plans use (invented province "Sông Lam", communes "Đồi Thông",
 * "Suối Mơ"; no sentence of a real plan). Each test states what an officer expects the reader to
 * take from that layout.
 */
import { readPlanText } from '../../reader/read-plan';
import type { DraftTask } from '../../reader/types';

const HEAD = ['ỦY BAN NHÂN DÂN TỈNH SÔNG LAM', 'Số: 88/KH-UBND', 'Sông Lam, ngày 10 tháng 11 năm 2025', 'KẾ HOẠCH'];

function rows(tasks: DraftTask[]): [string, string[], string[], string | null][] {
  return tasks.map((t) => [t.title, t.lead, t.coordinators, t.due]);
}

describe('labelled lines under numbered items', () => {
  const draft = readPlanText(
    [
      ...HEAD,
      'Triển khai Luật Lưu trữ trên địa bàn tỉnh',
      'I. MỤC ĐÍCH, YÊU CẦU',
      '1. Bảo đảm Luật được thi hành thống nhất.',
      'II. NỘI DUNG',
      '1. Phổ biến Luật Lưu trữ cho cán bộ, công chức',
      '- Nội dung thực hiện: Tổ chức hội nghị phổ biến Luật cho người làm công tác lưu trữ.',
      '- Cơ quan thực hiện: Sở Nội vụ chủ trì, giúp Ủy ban nhân dân tỉnh mở hội nghị; Sở Tư pháp và Ủy ban nhân dân các xã, phường chủ động phổ biến tại cơ quan, địa phương.',
      '- Thời gian thực hiện: Quý I/2026.',
      '2. Số hóa hồ sơ lưu trữ lịch sử',
      '- Cơ quan chủ trì: Sở Nội vụ.',
      '- Cơ quan phối hợp: Sở Khoa học và Công nghệ, Trung tâm Lưu trữ lịch sử tỉnh và các cơ quan, đơn vị có liên quan.',
      '- Thời gian thực hiện: Năm 2026 và các năm tiếp theo.',
      '3. Ban hành danh mục hồ sơ lưu trữ của tỉnh',
      'Sở Nội vụ có trách nhiệm tham mưu Ủy ban nhân dân tỉnh ban hành danh mục khi Bộ Nội vụ ban hành văn bản hướng dẫn.',
      'III. KINH PHÍ THỰC HIỆN',
      '1. Sở Tài chính chủ trì, phối hợp với các sở, ngành bố trí kinh phí.',
      'IV. TỔ CHỨC THỰC HIỆN',
      '1. Sở Nội vụ chịu trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch.',
    ].join('\n'),
  );

  it('takes each item with its lead clauses, partners and time; the funding and organising parts give no task', () => {
    expect(rows(draft.tasks)).toEqual([
      [
        'Phổ biến Luật Lưu trữ cho cán bộ, công chức',
        ['Sở Nội vụ', 'Sở Tư pháp', 'Ủy ban nhân dân các xã, phường'],
        [],
        '2026-03-31',
      ],
      [
        'Số hóa hồ sơ lưu trữ lịch sử',
        ['Sở Nội vụ'],
        ['Sở Khoa học và Công nghệ', 'Trung tâm Lưu trữ lịch sử tỉnh', 'các cơ quan, đơn vị có liên quan'],
        null,
      ],
      ['Ban hành danh mục hồ sơ lưu trữ của tỉnh', ['Sở Nội vụ'], [], null],
    ]);
  });

  it('reads "… và các năm tiếp theo" as yearly to the plan end, and marks the lead read from a sentence', () => {
    expect(draft.tasks[1]?.schedule).toMatchObject({ kind: 'recurring', recurrence: 'yearly' });
    expect(draft.tasks[2]?.review.some((m) => m.field === 'lead' && /câu văn/.test(m.why))).toBe(true);
    expect(draft.tasks[0]?.review.some((m) => m.field === 'lead' && /Nhiều cơ quan chủ trì/.test(m.why))).toBe(true);
  });
});

describe('a)/b)/c) activity blocks', () => {
  const draft = readPlanText(
    [
      ...HEAD,
      'Hưởng ứng Tháng hành động vì trẻ em năm 2026',
      'I. MỤC ĐÍCH, YÊU CẦU',
      '- Nâng cao nhận thức về quyền trẻ em.',
      'II. NỘI DUNG HOẠT ĐỘNG',
      '1. Truyền thông về quyền trẻ em',
      'a) Hoạt động 1',
      '- Nội dung: Tổ chức lễ phát động Tháng hành động vì trẻ em (từ ngày 01/6 đến ngày 30/6/2026).',
      '- Cơ quan thực hiện: Sở Y tế chủ trì, phối hợp với Tỉnh đoàn, Ủy ban nhân dân các xã, phường và các đơn vị có liên quan.',
      'b) Hoạt động 2',
      '- Nội dung: Phát sóng chuyên mục về phòng chống xâm hại trẻ em.',
      '- Cơ quan thực hiện:',
      '+ Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Báo Sông Lam và các đơn vị có liên quan.',
      '+ Đài Phát thanh và Truyền hình tỉnh đăng tải các phóng sự trong giờ vàng.',
      '2. Hỗ trợ trẻ em có hoàn cảnh khó khăn',
      'a) Hoạt động 1',
      '- Nội dung:',
      '+ Trao học bổng cho học sinh nghèo vượt khó.',
      '+ Tặng áo phao cho học sinh vùng sông nước.',
      '- Cơ quan thực hiện: Hội Liên hiệp Phụ nữ tỉnh chủ trì, phối hợp với Sở Giáo dục và Đào tạo.',
      'III. TỔ CHỨC THỰC HIỆN',
      '1. Sở Y tế',
      '- Theo dõi, tổng hợp kết quả thực hiện Kế hoạch.',
      'IV. CHẾ ĐỘ BÁO CÁO',
      'Các sở, ban, ngành, Ủy ban nhân dân các xã, phường gửi báo cáo kết quả về Sở Y tế trước ngày 10 tháng 7 năm 2026 để tổng hợp.',
    ].join('\n'),
  );

  it('titles each block by its "Nội dung" (a time in brackets is its time), splits a block whose "+" lines name separate leads, adds the dated report', () => {
    expect(rows(draft.tasks)).toEqual([
      [
        'Tổ chức lễ phát động Tháng hành động vì trẻ em',
        ['Sở Y tế'],
        ['Tỉnh đoàn', 'Ủy ban nhân dân các xã, phường', 'các đơn vị có liên quan'],
        '2026-06-30',
      ],
      [
        'Phát sóng chuyên mục về phòng chống xâm hại trẻ em',
        ['Sở Văn hóa, Thể thao và Du lịch'],
        ['Báo Sông Lam', 'các đơn vị có liên quan'],
        null,
      ],
      ['Đăng tải các phóng sự trong giờ vàng', ['Đài Phát thanh và Truyền hình tỉnh'], [], null],
      ['Trao học bổng cho học sinh nghèo vượt khó', ['Hội Liên hiệp Phụ nữ tỉnh'], ['Sở Giáo dục và Đào tạo'], null],
      ['Gửi báo cáo kết quả về Sở Y tế', ['Các sở, ban, ngành', 'Ủy ban nhân dân các xã, phường'], [], '2026-07-10'],
    ]);
  });
});

describe('per-agency bullets, each followed by its own time line', () => {
  const draft = readPlanText(
    [
      ...HEAD,
      'Rà soát, sắp xếp lại đất công năm 2026',
      'I. MỤC ĐÍCH',
      '1. Nắm chắc quỹ đất công.',
      'II. NHIỆM VỤ CỤ THỂ',
      '1. Nhiệm vụ của các cơ quan',
      '1.1. Sở Nông nghiệp và Môi trường - cơ quan thường trực',
      '- Hướng dẫn các địa phương lập sổ theo dõi đất công.',
      'Thời gian hoàn thành: Tháng 01/2026.',
      '- Lập phương án sắp xếp đất công, trình Ủy ban nhân dân tỉnh. Thời hạn hoàn thành: Trước ngày 30/6/2026.',
      '1.2. Các sở quản lý chuyên ngành (gồm các Sở: Xây dựng, Công Thương)',
      '- Phối hợp rà soát đất do ngành quản lý. Trong đó:',
      '+ Sở Xây dựng: rà soát đất giao thông, đất đô thị.',
      '+ Sở Công Thương phối hợp Ban Quản lý khu kinh tế: rà soát đất cụm công nghiệp.',
      'Thời gian thực hiện: Tháng 2 - 4/2026.',
      '1.3. Trưởng Ban Chỉ đạo',
      '- Chỉ đạo chung việc rà soát.',
      '1.4. Trách nhiệm của các đơn vị sử dụng đất:',
      '- Kê khai diện tích đất đang sử dụng.',
      'Thời hạn thực hiện: Từ ngày 01/02/2026 đến ngày 31/3/2026.',
      'III. TỔ CHỨC THỰC HIỆN',
      '1. Các sở, ngành căn cứ Kế hoạch tổ chức thực hiện.',
    ].join('\n'),
  );

  it('gives each bullet the time line under it, splits "+ Agency: …" sub-bullets, and skips a person', () => {
    expect(draft.tasks.map((t) => [t.title, t.lead, t.due, t.timingText])).toEqual([
      [
        'Hướng dẫn các địa phương lập sổ theo dõi đất công',
        ['Sở Nông nghiệp và Môi trường'],
        '2026-01-31',
        'Tháng 01/2026',
      ],
      [
        'Lập phương án sắp xếp đất công, trình Ủy ban nhân dân tỉnh',
        ['Sở Nông nghiệp và Môi trường'],
        '2026-06-30',
        'Trước ngày 30/6/2026',
      ],
      ['Rà soát đất giao thông, đất đô thị', ['Sở Xây dựng'], '2026-04-30', 'Tháng 2 - 4/2026'],
      ['Rà soát đất cụm công nghiệp', ['Sở Công Thương'], '2026-04-30', 'Tháng 2 - 4/2026'],
      [
        'Kê khai diện tích đất đang sử dụng',
        ['các đơn vị sử dụng đất'],
        '2026-03-31',
        'Từ ngày 01/02/2026 đến ngày 31/3/2026',
      ],
    ]);
    expect(draft.tasks[3]?.coordinators).toEqual(['Ban Quản lý khu kinh tế']);
  });
});

describe('an appendix task table', () => {
  const draft = readPlanText(
    [
      ...HEAD,
      'Phát triển thương mại điện tử giai đoạn 2026 - 2030',
      'I. MỤC TIÊU',
      '1. Đến năm 2030, 80% hợp tác xã bán hàng trực tuyến.',
      'II. NHIỆM VỤ (chi tiết tại Phụ lục)',
      'III. TỔ CHỨC THỰC HIỆN',
      '1. Sở Công Thương',
      '- Là cơ quan thường trực, theo dõi việc thực hiện Kế hoạch.',
      '- Định kỳ hằng năm, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện. Báo cáo sơ kết (năm 2028) và báo cáo tổng kết (năm 2030), gửi Bộ Công Thương.',
      '2. Các sở, ngành, Ủy ban nhân dân các xã, phường',
      'Xây dựng kế hoạch triển khai; định kỳ trước ngày 15/11 hằng năm báo cáo kết quả về Sở Công Thương.',
      'Nơi nhận: - Như trên; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH',
      'PHỤ LỤC',
      'DANH MỤC NHIỆM VỤ',
      'TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Tiến độ | Kết quả, sản phẩm',
      'A | NỀN TẢNG',
      'I | Hạ tầng',
      '1 | Nâng cấp cổng thương mại điện tử của tỉnh | Sở Công Thương | Sở Khoa học và Công nghệ | 2026 - 2027 | Cổng thông tin',
      '2 | Đào tạo kỹ năng số cho hộ kinh doanh | Sở Công Thương; Hội Nông dân tỉnh | UBND các xã, phường | Quý III/2026 | Lớp tập huấn',
      'B | ỨNG DỤNG',
      'I | Thương mại',
      'Nội dung | Chủ trì | Phối hợp | Thời hạn | Sản phẩm',
      '1',
      'Sàn giao dịch | ',
      '1.1 | Đưa nông sản chủ lực lên sàn giao dịch | Sở Nông nghiệp và Môi trường | Các sở, ban, ngành | Thường xuyên | Gian hàng',
      '1.2 | Hỗ trợ thanh toán không dùng tiền mặt tại chợ | Ngân hàng Nhà nước chi nhánh tỉnh | UBND các xã, phường | Năm 2027 | Mô hình chợ số',
    ].join('\n'),
  );

  it('reads rows under group rows and repeated headers, with their product, and the dated duties of the organising part', () => {
    expect(draft.tasks.map((t) => [t.title, t.lead, t.due, t.deliverable])).toEqual([
      ['Báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện', ['Sở Công Thương'], null, null],
      ['Báo cáo sơ kết', ['Sở Công Thương'], '2028-12-31', null],
      ['Báo cáo tổng kết', ['Sở Công Thương'], '2030-12-31', null],
      ['Báo cáo kết quả về Sở Công Thương', ['Các sở, ngành', 'Ủy ban nhân dân các xã, phường'], null, null],
      ['Nâng cấp cổng thương mại điện tử của tỉnh', ['Sở Công Thương'], '2027-12-31', 'Cổng thông tin'],
      ['Đào tạo kỹ năng số cho hộ kinh doanh', ['Sở Công Thương', 'Hội Nông dân tỉnh'], '2026-09-30', 'Lớp tập huấn'],
      ['Đưa nông sản chủ lực lên sàn giao dịch', ['Sở Nông nghiệp và Môi trường'], null, 'Gian hàng'],
      [
        'Hỗ trợ thanh toán không dùng tiền mặt tại chợ',
        ['Ngân hàng Nhà nước chi nhánh tỉnh'],
        '2027-12-31',
        'Mô hình chợ số',
      ],
    ]);
    expect(draft.tasks[3]?.schedule).toMatchObject({
      recurrence: 'yearly',
      dues: expect.arrayContaining(['2026-11-15']),
    });
  });

  it('keeps row numbers as printed, and prefixes them with their group only when numbering starts over in each group', () => {
    expect(draft.tasks.slice(4).map((t) => t.ref)).toEqual(['1', '2', '1.1', '1.2']);
    const restarting = readPlanText(
      [
        'STT | Nội dung | Cơ quan chủ trì | Thời gian',
        'I | CHÍNH SÁCH',
        '1 | Ban hành quy chế quản lý chợ | Sở Công Thương | Quý I/2026',
        'II | HẠ TẦNG',
        '1 | Cải tạo chợ trung tâm | UBND xã Đồi Thông | Năm 2026',
      ].join('\n'),
    );
    expect(restarting.tasks.map((t) => t.ref)).toEqual(['I.1', 'II.1']);
  });
});

describe('a table whose one agency column says who leads and who supports', () => {
  it('reads "(chủ trì)" marks and "X chủ trì; Y phối hợp", and dates without "ngày"', () => {
    const draft = readPlanText(
      [
        'TT | Nội dung công việc | Cơ quan, đơn vị thực hiện | Thời hạn hoàn thành',
        '1 | Lập quy hoạch chợ | Sở Công Thương (chủ trì), Sở Xây dựng, UBND các xã | Trước 30/6/2026',
        '2 | Cải tạo chợ | UBND xã Đồi Thông chủ trì; Hợp tác xã Đồi Thông phối hợp | Quý I-II/2027',
        '3 | Số hóa chợ | Sở Khoa học và Công nghệ | 2027',
      ].join('\n'),
    );
    expect(rows(draft.tasks)).toEqual([
      ['Lập quy hoạch chợ', ['Sở Công Thương'], ['Sở Xây dựng', 'UBND các xã'], '2026-06-30'],
      ['Cải tạo chợ', ['UBND xã Đồi Thông'], ['Hợp tác xã Đồi Thông'], '2027-06-30'],
      ['Số hóa chợ', ['Sở Khoa học và Công nghệ'], [], '2027-12-31'],
    ]);
  });
});

describe('narrative duties per agency', () => {
  const draft = readPlanText(
    [
      ...HEAD,
      'Nâng cao chất lượng bữa ăn bán trú trong trường học',
      'I. MỤC ĐÍCH, YÊU CẦU',
      '1. Bảo đảm an toàn thực phẩm trong trường học.',
      'II. NHIỆM VỤ, GIẢI PHÁP',
      '1. Tăng cường kiểm tra bếp ăn tập thể.',
      '2. Đẩy mạnh truyền thông về dinh dưỡng học đường.',
      'III. TỔ CHỨC THỰC HIỆN',
      '1. Sở Giáo dục và Đào tạo',
      'a) Chủ trì, phối hợp với Sở Y tế xây dựng thực đơn mẫu cho các trường.',
      'b) Tổ chức tập huấn cho cán bộ quản lý bếp ăn; định kỳ hằng năm sơ kết, đánh giá.',
      '2. Sở Y tế: Phối hợp với Sở Giáo dục và Đào tạo kiểm tra an toàn thực phẩm tại các trường.',
      '3. Sở Văn hóa, Thể thao và Du lịch; Báo Sông Lam',
      'Tuyên truyền về dinh dưỡng học đường trên báo, đài.',
      '4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh',
      '- Vận động phụ huynh tham gia giám sát bữa ăn bán trú.',
      '- Khuyến khích doanh nghiệp tài trợ bếp ăn.',
      '5. Ủy ban nhân dân các xã, phường',
      '- Bố trí kinh phí sửa chữa bếp ăn trường học.',
      '- Trước ngày 15/12 hằng năm báo cáo kết quả về Sở Giáo dục và Đào tạo.',
      'Trên đây là Kế hoạch nâng cao chất lượng bữa ăn bán trú. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, phản ánh về Sở Giáo dục và Đào tạo./.',
    ].join('\n'),
  );

  it('takes every duty of every agency, with partners, and leaves out general solutions, encouragement and "phản ánh" clauses', () => {
    expect(rows(draft.tasks).map(([title, lead, coordinators]) => [title, lead, coordinators])).toEqual([
      ['Xây dựng thực đơn mẫu cho các trường', ['Sở Giáo dục và Đào tạo'], ['Sở Y tế']],
      ['Tổ chức tập huấn cho cán bộ quản lý bếp ăn', ['Sở Giáo dục và Đào tạo'], []],
      ['Sơ kết, đánh giá', ['Sở Giáo dục và Đào tạo'], []],
      ['Kiểm tra an toàn thực phẩm tại các trường', ['Sở Y tế'], ['Sở Giáo dục và Đào tạo']],
      ['Tuyên truyền về dinh dưỡng học đường trên báo, đài', ['Sở Văn hóa, Thể thao và Du lịch', 'Báo Sông Lam'], []],
      ['Vận động phụ huynh tham gia giám sát bữa ăn bán trú', ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'], []],
      ['Bố trí kinh phí sửa chữa bếp ăn trường học', ['Ủy ban nhân dân các xã, phường'], []],
      ['Báo cáo kết quả về Sở Giáo dục và Đào tạo', ['Ủy ban nhân dân các xã, phường'], []],
    ]);
    // A clause with its own date in a duty is a task of its own.
    expect(draft.tasks[2]?.schedule).toMatchObject({ recurrence: 'yearly' });
    expect(draft.tasks[7]?.schedule).toMatchObject({ recurrence: 'yearly', confident: true });
  });
});

describe('numbered steps with their own completion lines', () => {
  const draft = readPlanText(
    [
      'ỦY BAN NHÂN DÂN XÃ ĐỒI THÔNG',
      'Số: 05/KH-UBND',
      'Đồi Thông, ngày 02 tháng 3 năm 2026',
      'KẾ HOẠCH',
      'Chuyển đổi mô hình tổ hợp tác sang hợp tác xã',
      'I. MỤC ĐÍCH',
      'Thành lập ít nhất 02 hợp tác xã trong năm.',
      'II. CÁC BƯỚC THỰC HIỆN',
      'Bước 1: Rà soát các tổ hợp tác đủ điều kiện chuyển đổi',
      'Đơn vị thực hiện: Công chức nông nghiệp xã',
      'Thời gian hoàn tất: trước ngày 31/3/2026',
      'Bước 2: Tuyên truyền, vận động thành viên tham gia',
      'Đơn vị thực hiện: Hội Nông dân xã',
      'Đơn vị phối hợp: Ban công tác Mặt trận các thôn',
      'Thời gian hoàn tất: Quý II/2026',
      'Bước 3: Tổ chức hội nghị thành lập hợp tác xã',
      'Đơn vị thực hiện: Công chức nông nghiệp xã',
      'Thời gian hoàn tất: Tháng 9/2026',
    ].join('\n'),
  );

  it('takes each step with its lead and its completion date', () => {
    expect(draft.tasks.map((t) => [t.ref, t.title, t.lead, t.coordinators, t.due])).toEqual([
      ['Bước 1', 'Rà soát các tổ hợp tác đủ điều kiện chuyển đổi', ['Công chức nông nghiệp xã'], [], '2026-03-31'],
      [
        'Bước 2',
        'Tuyên truyền, vận động thành viên tham gia',
        ['Hội Nông dân xã'],
        ['Ban công tác Mặt trận các thôn'],
        '2026-06-30',
      ],
      ['Bước 3', 'Tổ chức hội nghị thành lập hợp tác xã', ['Công chức nông nghiệp xã'], [], '2026-09-30'],
    ]);
  });
});

describe('dated phases and a dated obligation in the closing paragraph', () => {
  const draft = readPlanText(
    [
      ...HEAD,
      'Phát động phong trào thi đua xây dựng nông thôn mới năm 2026',
      'I. MỤC ĐÍCH, YÊU CẦU',
      '1. Động viên các tầng lớp nhân dân thi đua.',
      'II. ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA',
      '1. Đối tượng: các xã, phường trên địa bàn tỉnh.',
      '2. Thời gian thi đua',
      '- Đợt 1: Ra quân làm đường giao thông nông thôn (từ ngày 01/3/2026 đến ngày 30/4/2026);',
      '- Đợt 2: Chỉnh trang khu dân cư (từ ngày 01/8 đến ngày 31/10/2026).',
      '3. Thời gian chấm điểm, xếp hạng thi đua: Hội đồng chấm điểm xong trước ngày 30/11/2026.',
      'III. TỔ CHỨC THỰC HIỆN',
      '1. Sở Nội vụ: Hướng dẫn, theo dõi phong trào thi đua.',
      'Trên đây là Kế hoạch phát động phong trào thi đua. Đề nghị các sở, ngành, địa phương nghiêm túc thực hiện. Định kỳ hằng năm (trước ngày 05 tháng 12) báo cáo kết quả về Sở Nội vụ để tổng hợp./.',
    ].join('\n'),
  );

  it('takes each phase with its window, and the yearly report the closing paragraph asks for', () => {
    expect(draft.tasks.map((t) => [t.title, t.lead, t.due])).toEqual([
      ['Đợt 1: Ra quân làm đường giao thông nông thôn', [], '2026-04-30'],
      ['Đợt 2: Chỉnh trang khu dân cư', [], '2026-10-31'],
      ['Hội đồng chấm điểm xong', [], '2026-11-30'],
      ['Hướng dẫn, theo dõi phong trào thi đua', ['Sở Nội vụ'], null],
      ['Báo cáo kết quả về Sở Nội vụ để tổng hợp', ['các sở, ngành, địa phương'], null],
    ]);
    expect(draft.tasks[4]?.schedule).toMatchObject({ recurrence: 'yearly', confident: true });
  });

  it('marks a task with no lead for review instead of guessing one', () => {
    expect(draft.tasks[0]?.review.some((m) => m.field === 'lead')).toBe(true);
  });
});
