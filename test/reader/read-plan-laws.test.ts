import fc from 'fast-check';
import { readPlanText } from '../../reader';

const PIECES = [
  'II. NỘI DUNG',
  'IV. TỔ CHỨC THỰC HIỆN',
  '1. Tổ chức hội nghị',
  '1.1. Rà soát văn bản:',
  'a) Lập danh sách',
  '- Cơ quan chủ trì: Sở Nội vụ',
  '- Cơ quan phối hợp: UBND cấp huyện, cấp xã',
  '- Thời gian thực hiện: Quý II/2026',
  '- Thời gian thực hiện:',
  '+ Sơ kết: Năm 2026',
  'STT | Nội dung | Cơ quan chủ trì | Thời gian',
  '2 | Kiểm tra | Sở Y tế | Năm 2027',
  'Giao Sở Tư pháp chủ trì, phối hợp với các cơ quan liên quan thực hiện.',
  '**KẾ HOẠCH**',
  'Số: 1/KH-UBND',
  'Nơi nhận:',
  '',
];

describe('readPlanText laws', () => {
  it('never throws, and every mark points at a line of the text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string()), { maxLength: 25 }), (parts) => {
        const text = parts.join('\n');
        const lineCount = text.split(/\r\n|\r|\n/).length;
        const draft = readPlanText(text);
        const marks = [...draft.marks, ...draft.tasks.flatMap((t) => t.review)];
        for (const m of marks) {
          expect(m.line).toBeGreaterThanOrEqual(1);
          expect(m.line).toBeLessThanOrEqual(lineCount);
          expect(m.why.length).toBeGreaterThan(0);
        }
        for (const t of draft.tasks) {
          expect(t.line).toBeGreaterThanOrEqual(1);
          expect(t.line).toBeLessThanOrEqual(lineCount);
          if (t.lead.length === 0) expect(t.review.some((m) => m.field === 'lead')).toBe(true);
          if (t.schedule === null) expect(t.review.some((m) => m.field === 'timing')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads the same draft whatever the line endings', () => {
    const text = [
      'II. NỘI DUNG',
      '1. Tổ chức hội nghị',
      '- Cơ quan chủ trì: Sở Nội vụ',
      '- Thời gian thực hiện: Quý II/2026',
    ].join('\n');
    expect(readPlanText(`\uFEFF${text.replace(/\n/g, '\r\n')}`)).toEqual(readPlanText(text));
  });
});
