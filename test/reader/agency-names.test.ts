import { isGenericAgencyName, normaliseAgencyName, resolveAgency, splitAgencyList, type DirectoryLike } from '../../reader/agency-names';

describe('splitAgencyList', () => {
  it.each([
    ['Sở Nội vụ, Sở Y tế và Hội Nông dân tỉnh.', ['Sở Nội vụ', 'Sở Y tế', 'Hội Nông dân tỉnh']],
    ['Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch', ['Sở Giáo dục và Đào tạo', 'Sở Văn hóa, Thể thao và Du lịch']],
    ['UBND cấp huyện, cấp xã', ['UBND cấp huyện', 'UBND cấp xã']],
    ['Phòng Văn hóa cấp huyện, cấp xã và các đơn vị liên quan', ['Phòng Văn hóa cấp huyện', 'Phòng Văn hóa cấp xã', 'các đơn vị liên quan']],
    ['Sở Y tế và các cơ quan, tổ chức, đơn vị có liên quan', ['Sở Y tế', 'các cơ quan, tổ chức, đơn vị có liên quan']],
    ['UBND các huyện, thị xã, thành phố; Đoàn Thanh niên', ['UBND các huyện, thị xã, thành phố', 'Đoàn Thanh niên']],
    ['UBND các xã, phường, thị trấn (UBND cấp xã)', ['UBND cấp xã']],
    ['Văn phòng HĐND và UBND, Công an xã', ['Văn phòng HĐND và UBND', 'Công an xã']],
    ['Hội Phụ nữ các cấp, tổ chức và cá nhân có liên quan', ['Hội Phụ nữ các cấp', 'tổ chức và cá nhân có liên quan']],
  ])('%s', (text, expected) => {
    expect(splitAgencyList(text)).toEqual(expected);
  });

  it('gives nothing for an empty phrase', () => {
    expect(splitAgencyList(' . ')).toEqual([]);
  });
});

describe('normaliseAgencyName and isGenericAgencyName', () => {
  it('expands abbreviations and drops diacritics', () => {
    expect(normaliseAgencyName('UBND xã Đồi Thông')).toBe(normaliseAgencyName('Ủy ban nhân dân xã Doi Thong'));
    expect(normaliseAgencyName('Ủy ban MTTQ tỉnh')).toBe(normaliseAgencyName('Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh'));
    expect(normaliseAgencyName('Uỷ ban nhân dân')).toBe(normaliseAgencyName('Ủy ban nhân dân'));
  });

  it('tells generic descriptions from agencies', () => {
    expect(isGenericAgencyName('các cơ quan, đơn vị có liên quan')).toBe(true);
    expect(isGenericAgencyName('Sở Y tế')).toBe(false);
  });
});

describe('resolveAgency', () => {
  const directory: DirectoryLike = {
    agencies: [
      { id: 'so-tu-phap', name: 'Sở Tư pháp tỉnh Sông Lam', aliases: ['STP'] },
      { id: 'so-noi-vu', name: 'Sở Nội vụ tỉnh Sông Lam' },
      { id: 'ubnd-tinh', name: 'Ủy ban nhân dân tỉnh Sông Lam' },
      { id: 'mttq-tinh', name: 'Ủy ban MTTQ tỉnh Sông Lam' },
      { id: 'hdnd-ubnd-vp', name: 'Văn phòng HĐND và UBND xã Đồi Thông' },
    ],
    groups: [
      { id: 'ubnd-cap-huyen', name: 'UBND cấp huyện' },
      { id: 'ubnd-cap-xa', name: 'UBND cấp xã' },
    ],
  };

  it('finds exact names, aliases and groups with full confidence', () => {
    expect(resolveAgency('Sở Tư pháp tỉnh Sông Lam', directory)).toEqual({ id: 'so-tu-phap', confidence: 1 });
    expect(resolveAgency('STP', directory)).toEqual({ id: 'so-tu-phap', confidence: 1 });
    expect(resolveAgency('Ủy ban nhân dân cấp xã', directory)).toEqual({ id: 'ubnd-cap-xa', confidence: 1 });
    expect(resolveAgency('UBND tinh Song Lam', directory)).toEqual({ id: 'ubnd-tinh', confidence: 1 });
  });

  it('accepts the short form of a name and the abbreviation "Sở TP"', () => {
    expect(resolveAgency('Sở Nội vụ', directory)).toEqual({ id: 'so-noi-vu', confidence: 0.9 });
    // "STP" is an alias, and "Sở TP" expands to the same words: an exact alias match.
    expect(resolveAgency('Sở TP', directory)).toEqual({ id: 'so-tu-phap', confidence: 1 });
    expect(resolveAgency('Sở Tư pháp', directory)).toEqual({ id: 'so-tu-phap', confidence: 1 });
    expect(resolveAgency('Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', directory)).toEqual({ id: 'mttq-tinh', confidence: 0.9 });
  });

  it('returns undefined for unknown or generic names', () => {
    expect(resolveAgency('Sở Y tế', directory)).toBeUndefined();
    expect(resolveAgency('các cơ quan liên quan', directory)).toBeUndefined();
    expect(resolveAgency('', directory)).toBeUndefined();
  });

  it('returns undefined when a short name fits two agencies', () => {
    const two: DirectoryLike = { agencies: [{ id: 'a', name: 'Sở Tư pháp tỉnh A' }, { id: 'b', name: 'Sở Tư pháp tỉnh B' }] };
    expect(resolveAgency('Sở Tư pháp', two)).toBeUndefined();
  });
});
