import { directoryFileSchema, planFileSchema } from '../../plans/schema';
import {
  ReportInputError,
  deriveAbbreviation,
  deriveDocumentCode,
  derivePlace,
  normaliseDocumentCode,
  planReference,
  reportPlanOf,
  resolveReportHeading,
} from '../../reports/heading';
import { MONITORING, makePlanSources } from './report-fixture';

describe('resolveReportHeading', () => {
  test('takes the issuing body and code from the plan issuer, the place from its name, signer and recipients from the duty', () => {
    const { plan, directory } = makePlanSources({ duty: { recipients: ['Bộ Tư pháp (để báo cáo)', 'Sở Tư pháp;'] } });
    const { heading, missing, duty } = resolveReportHeading(plan, directory);
    expect(missing).toEqual([]);
    expect(duty?.id).toBe('yearly');
    expect(heading).toEqual({
      issuingBody: 'Ủy ban nhân dân tỉnh Đắk Lắk',
      issuingBodyName: 'UBND tỉnh Đắk Lắk',
      documentCode: 'BC-UBND',
      place: 'Đắk Lắk',
      signer: { authority: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH'], title: 'PHÓ CHỦ TỊCH' },
      recipients: ['Bộ Tư pháp (để báo cáo)', 'Sở Tư pháp', 'Lưu: VT'],
    });
  });

  test('"Nơi nhận" defaults to the agency the duty reports to, and keeps a written archive line', () => {
    const { plan, directory } = makePlanSources();
    expect(resolveReportHeading(plan, directory).heading.recipients).toEqual(['Bộ Tư pháp', 'Lưu: VT']);
    const written = makePlanSources({ duty: { recipients: ['- Bộ Tư pháp;', 'Lưu: VT, PC.'] } });
    expect(resolveReportHeading(written.plan, written.directory).heading.recipients).toEqual([
      'Bộ Tư pháp',
      'Lưu: VT, PC',
    ]);
  });

  test('the directory and the plan give what the names do not; the officer overrides everything', () => {
    const { plan, directory } = makePlanSources({
      plan: { place: 'Buôn Ma Thuột', issuer: 'hoi-lhpn' },
      agencies: [
        {
          id: 'hoi-lhpn',
          name: 'Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk',
          level: 'organisation',
          abbreviation: 'HLHPN',
          officialName: 'Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk',
          governingBody: 'Trung ương Hội Liên hiệp Phụ nữ Việt Nam',
        },
        { id: 'ubnd-tinh', name: 'UBND tỉnh Đắk Lắk', level: 'province' },
        { id: MONITORING.id, name: MONITORING.name, level: 'department' },
        { id: 'bo-tp', name: 'Bộ Tư pháp', level: 'central' },
      ],
    });
    const fromData = resolveReportHeading(plan, directory);
    expect(fromData.missing).toEqual([]);
    expect([fromData.heading.documentCode, fromData.heading.place, fromData.heading.governingBody]).toEqual([
      'BC-HLHPN',
      'Buôn Ma Thuột',
      'Trung ương Hội Liên hiệp Phụ nữ Việt Nam',
    ]);
    const fromOfficer = resolveReportHeading(plan, directory, {
      documentCode: 'hpn',
      place: 'Ea Kar',
      signerTitle: 'Chủ tịch',
      signerName: 'Nguyễn Thị A',
      recipients: ['Ban Thường vụ'],
    });
    expect(fromOfficer.heading).toEqual(
      expect.objectContaining({
        documentCode: 'BC-HPN',
        place: 'Ea Kar',
        signer: { authority: [], title: 'Chủ tịch', name: 'Nguyễn Thị A' },
        recipients: ['Ban Thường vụ', 'Lưu: VT'],
      }),
    );
  });

  test('lists what nothing gives, with stand-ins for callers that cannot ask', () => {
    const { plan, directory } = makePlanSources({
      duty: null,
      plan: { issuer: 'van-phong' },
      agencies: [
        { id: 'van-phong', name: 'Văn phòng HĐND và UBND', level: 'organisation' },
        { id: 'ubnd-tinh', name: 'UBND tỉnh Đắk Lắk', level: 'province' },
        { id: MONITORING.id, name: MONITORING.name, level: 'department' },
      ],
    });
    const { heading, missing } = resolveReportHeading(plan, directory);
    expect(missing).toEqual(['documentCode', 'place', 'signerTitle', 'recipients']);
    expect(heading.place).toBeUndefined();
    expect(heading.recipients).toEqual(['Lưu: VT']);
    const completed = resolveReportHeading(plan, directory, {
      documentCode: 'BC-VP',
      place: 'Vũ Ninh',
      signerTitle: 'CHÁNH VĂN PHÒNG',
      recipients: ['UBND phường'],
    });
    expect(completed.missing).toEqual([]);
  });

  test('refuses an unknown duty and an unusable code, naming the field', () => {
    const { plan, directory } = makePlanSources();
    expect(() => resolveReportHeading(plan, directory, { dutyId: 'quarterly' })).toThrow(
      expect.objectContaining({
        name: 'ReportInputError',
        field: 'dutyId',
        message: expect.stringContaining('yearly'),
      }),
    );
    expect(() => resolveReportHeading(plan, directory, { documentCode: 'BC UBND/2026' })).toThrow(ReportInputError);
  });
});

describe('names, codes and places as documents write them', () => {
  test.each([
    ['UBND phường Vũ Ninh', 'UBND'],
    ['Ủy ban nhân dân tỉnh Đắk Lắk', 'UBND'],
    ['HĐND xã Ea Tu', 'HĐND'],
    ['Sở Tư pháp tỉnh Đắk Lắk', 'STP'],
    ['Sở Tư pháp', 'STP'],
    ['Sở Giáo dục và Đào tạo', 'SGDĐT'],
    ['Sở Văn hóa, Thể thao và Du lịch', 'SVHTTDL'],
    ['Bộ Tư pháp', 'BTP'],
    ['Văn phòng HĐND và UBND phường Vũ Ninh', undefined],
    ['Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk', undefined],
    ['Sở', undefined],
  ])('deriveAbbreviation(%s) = %s', (name, abbr) => {
    expect(deriveAbbreviation(name)).toBe(abbr);
    expect(deriveDocumentCode(name)).toBe(abbr === undefined ? undefined : `BC-${abbr}`);
  });

  test.each([
    ['UBND tỉnh Đắk Lắk', 'Đắk Lắk'],
    ['UBND phường Vũ Ninh', 'Vũ Ninh'],
    ['Sở Tư pháp tỉnh Thanh Hóa', 'Thanh Hóa'],
    ['UBND thành phố Buôn Ma Thuột', 'Buôn Ma Thuột'],
    ['UBND phường 1', 'Phường 1'],
    ['Phòng Phổ biến, giáo dục pháp luật (Sở Tư pháp tỉnh X)', undefined],
    ['Sở Tư pháp', undefined],
    ['Ủy ban nhân dân tỉnh', undefined],
  ])('derivePlace(%s) = %s', (name, place) => {
    expect(derivePlace(name)).toBe(place);
  });

  test('normaliseDocumentCode adds "BC-" and upper-cases; refuses spaces and slashes', () => {
    expect(normaliseDocumentCode('stp')).toBe('BC-STP');
    expect(normaliseDocumentCode('/BC-UBND')).toBe('BC-UBND');
    expect(normaliseDocumentCode('bc-sgdđt')).toBe('BC-SGDĐT');
    expect(() => normaliseDocumentCode('BC UBND')).toThrow(/BC-UBND/);
    expect(() => normaliseDocumentCode('12/BC-UBND')).toThrow(ReportInputError);
  });

  test.each([
    [
      { number: '110/KH-UBND', title: 'Kế hoạch triển khai thực hiện Đề án X năm 2026', issued: '2026-05-05' },
      'Kế hoạch số 110/KH-UBND ngày 05/05/2026 triển khai thực hiện Đề án X năm 2026',
    ],
    [{ number: '110/KH-UBND', title: 'KẾ HOẠCH triển khai Đề án X.' }, 'Kế hoạch số 110/KH-UBND triển khai Đề án X'],
    [{ number: '', title: 'Kế hoạch thực hiện Đề án X' }, 'Kế hoạch thực hiện Đề án X'],
    [{ number: '12/KH-UBND', title: 'Thực hiện Đề án X' }, 'Kế hoạch số 12/KH-UBND thực hiện Đề án X'],
    [
      { number: '12/KH-UBND', title: 'UBND tỉnh thực hiện Đề án X' },
      'Kế hoạch số 12/KH-UBND UBND tỉnh thực hiện Đề án X',
    ],
    [{ number: '7/KH-STP', title: 'Kế hoạch' }, 'Kế hoạch số 7/KH-STP'],
  ])('planReference(%o) does not repeat "Kế hoạch"', (plan, expected) => {
    const text = planReference(plan);
    expect(text).toBe(expected);
    expect(text.toLocaleLowerCase('vi').split('kế hoạch').length - 1).toBe(1);
  });

  test('reportPlanOf names the issuer and monitoring agency from the directory and keeps the plan period', () => {
    const { plan, directory } = makePlanSources();
    expect(reportPlanOf(plan, directory)).toEqual(
      expect.objectContaining({
        issuerName: 'UBND tỉnh Đắk Lắk',
        monitoringName: MONITORING.name,
        issued: '2026-01-05',
        period: { start: '2026-01-01', end: '2026-12-31' },
      }),
    );
  });
});

describe('the plan and directory fields the report reads are optional and checked', () => {
  test('a plan and a directory without them are valid', () => {
    const { plan, directory } = makePlanSources({ duty: { signer: undefined } });
    expect(plan.place).toBeUndefined();
    expect(plan.reportingDuties[0]?.signer).toBeUndefined();
    expect(directory.agencies[0]?.abbreviation).toBeUndefined();
  });

  test('bad values are refused with the field named', () => {
    const { plan } = makePlanSources();
    const bad = planFileSchema.safeParse({
      ...plan,
      reportingDuties: [{ ...plan.reportingDuties[0], signer: { title: '' } }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['reportingDuties.0.signer.title']);
    const code = directoryFileSchema.safeParse({
      agencies: [{ id: 'so-tp', name: 'Sở Tư pháp', level: 'department', abbreviation: 'stp' }],
    });
    expect(code.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['agencies.0.abbreviation', expect.stringContaining('chữ in hoa')],
    ]);
  });
});
