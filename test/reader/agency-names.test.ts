import {
  groupLevelOf,
  isGenericAgencyName,
  matchAgency,
  normaliseAgencyName,
  resolveAgency,
  splitAgencyList,
  type DirectoryLike,
} from '../../reader/agency-names';

describe('splitAgencyList', () => {
  it.each([
    ['Sở Nội vụ, Sở Y tế và Hội Nông dân tỉnh.', ['Sở Nội vụ', 'Sở Y tế', 'Hội Nông dân tỉnh']],
    [
      'Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch',
      ['Sở Giáo dục và Đào tạo', 'Sở Văn hóa, Thể thao và Du lịch'],
    ],
    ['UBND cấp huyện, cấp xã', ['UBND cấp huyện', 'UBND cấp xã']],
    [
      'Phòng Văn hóa cấp huyện, cấp xã và các đơn vị liên quan',
      ['Phòng Văn hóa cấp huyện', 'Phòng Văn hóa cấp xã', 'các đơn vị liên quan'],
    ],
    ['Sở Y tế và các cơ quan, tổ chức, đơn vị có liên quan', ['Sở Y tế', 'các cơ quan, tổ chức, đơn vị có liên quan']],
    ['UBND các huyện, thị xã, thành phố; Đoàn Thanh niên', ['UBND các huyện, thị xã, thành phố', 'Đoàn Thanh niên']],
    ['UBND các xã, phường, thị trấn (UBND cấp xã)', ['UBND cấp xã']],
    ['Văn phòng HĐND và UBND, Công an xã', ['Văn phòng HĐND và UBND', 'Công an xã']],
    ['Hội Phụ nữ các cấp, tổ chức và cá nhân có liên quan', ['Hội Phụ nữ các cấp', 'tổ chức và cá nhân có liên quan']],
    [
      'Ban Quản lý Khu kinh tế Hòn Mây và các Khu công nghiệp tỉnh, Sở Công Thương',
      ['Ban Quản lý Khu kinh tế Hòn Mây và các Khu công nghiệp tỉnh', 'Sở Công Thương'],
    ],
    ['Ban Quản lý dự án và Sở Tài chính', ['Ban Quản lý dự án', 'Sở Tài chính']],
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
    expect(resolveAgency('Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', directory)).toEqual({
      id: 'mttq-tinh',
      confidence: 0.9,
    });
  });

  it('returns undefined for unknown or generic names', () => {
    expect(resolveAgency('Sở Y tế', directory)).toBeUndefined();
    expect(resolveAgency('các cơ quan liên quan', directory)).toBeUndefined();
    expect(resolveAgency('', directory)).toBeUndefined();
  });

  it('returns undefined when a short name fits two agencies', () => {
    const two: DirectoryLike = {
      agencies: [
        { id: 'a', name: 'Sở Tư pháp tỉnh A' },
        { id: 'b', name: 'Sở Tư pháp tỉnh B' },
      ],
    };
    expect(resolveAgency('Sở Tư pháp', two)).toBeUndefined();
  });
});

describe('matchAgency: names as plans write them', () => {
  const directory: DirectoryLike = {
    agencies: [
      { id: 'ubnd-tinh', name: 'Ủy ban nhân dân tỉnh Sông Lam', level: 'province' },
      { id: 'so-tttt', name: 'Sở Thông tin và Truyền thông tỉnh Sông Lam', level: 'department' },
      { id: 'so-khcn', name: 'Sở Khoa học và Công nghệ tỉnh Sông Lam', level: 'department' },
      { id: 'so-vhttdl', name: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Sông Lam', level: 'department' },
      { id: 'cong-an-tinh', name: 'Công an tỉnh Sông Lam', level: 'department' },
      { id: 'ubnd-huyen-a', name: 'UBND huyện Núi Đá', level: 'district' },
      { id: 'ubnd-huyen-b', name: 'UBND thị xã Bến Gỗ', level: 'district' },
      { id: 'ubnd-xa-a', name: 'UBND xã Đồi Thông', level: 'commune' },
      { id: 'bqlkkt', name: 'Ban Quản lý các khu kinh tế tỉnh Sông Lam', level: 'department' },
    ],
    groups: [
      { id: 'cap-huyen', name: 'Các đơn vị hành chính thuộc tỉnh', members: ['ubnd-huyen-a', 'ubnd-huyen-b'] },
      { id: 'cap-xa', name: 'UBND cấp xã', members: ['ubnd-xa-a'] },
    ],
  };
  const top = (name: string): [string | undefined, number | undefined] => {
    const c = matchAgency(name, directory)[0];
    return [c?.id, c?.confidence];
  };

  it.each([
    ['UBND tỉnh Sông Lam', 'ubnd-tinh', 1],
    ['Ủy ban nhân dân tỉnh', 'ubnd-tinh', 0.9],
    ['Sở TT&TT', 'so-tttt', 0.9],
    ['Sở TTTT tỉnh Sông Lam', 'so-tttt', 1],
    ['Sở KH&CN', 'so-khcn', 0.9],
    ['Sở VH, TT&DL', 'so-vhttdl', 0.9],
    ['Sở Văn hóa Thể thao và Du lịch', 'so-vhttdl', 0.9],
    ['Công an tỉnh', 'cong-an-tinh', 0.9],
    ['Ban Quản lý khu kinh tế tỉnh Sông Lam', 'bqlkkt', 0.95],
  ])('%s → %s', (name, id, confidence) => {
    expect(top(name)).toEqual([id, confidence]);
  });

  it('proposes the group a class phrase names, from the levels of its members', () => {
    expect(matchAgency('UBND các huyện, thị xã, thành phố', directory)[0]).toMatchObject({
      id: 'cap-huyen',
      kind: 'group',
      how: 'group-level',
    });
    expect(matchAgency('các huyện, thị xã, thành phố', directory)[0]).toMatchObject({ id: 'cap-huyen', kind: 'group' });
    expect(matchAgency('Ủy ban nhân dân các xã, phường, thị trấn', directory)[0]).toMatchObject({
      id: 'cap-xa',
      kind: 'group',
    });
    expect(resolveAgency('UBND các huyện, thị xã, thành phố', directory)).toEqual({
      id: 'cap-huyen',
      confidence: 0.85,
    });
  });

  it('suggests near names without resolving them, and knows nothing of an unknown body', () => {
    expect(resolveAgency('Sở Thông tin Truyền thông Sông Lam cũ', directory)).toBeUndefined();
    expect(matchAgency('Sở Thông tin Truyền thông Sông Lam cũ', directory)[0]).toMatchObject({
      id: 'so-tttt',
      how: 'similar',
    });
    expect(matchAgency('Hội Cựu chiến binh tỉnh', directory).filter((c) => c.confidence >= 0.7)).toEqual([]);
  });

  it('tells the level a group phrase names', () => {
    expect(groupLevelOf('UBND cấp huyện')).toBe('district');
    expect(groupLevelOf('Ủy ban nhân dân xã, phường, đặc khu')).toBe('commune');
    expect(groupLevelOf('Các sở, ban, ngành tỉnh')).toBe('department');
    expect(groupLevelOf('Sở Lao động - Thương binh và Xã hội')).toBeUndefined();
    expect(groupLevelOf('Sở Tư pháp')).toBeUndefined();
  });
});

describe('splitAgencyList: classes of bodies', () => {
  it('keeps bare class words listed together as one class, apart from named bodies', () => {
    expect(splitAgencyList('Viện, Trường; Doanh nghiệp; Sở, ban, ngành có liên quan')).toEqual([
      'Viện, Trường',
      'Doanh nghiệp',
      'Sở, ban, ngành có liên quan',
    ]);
    expect(splitAgencyList('Sở Y tế, Viện')).toEqual(['Sở Y tế', 'Viện']);
    expect(splitAgencyList('Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường')).toEqual([
      'Các sở, ban, ngành tỉnh',
      'Ủy ban nhân dân các xã, phường',
    ]);
    expect(splitAgencyList('Sở Văn hóa, Thể thao và Du lịch; Đài Phát thanh, Truyền hình xã')).toEqual([
      'Sở Văn hóa, Thể thao và Du lịch',
      'Đài Phát thanh, Truyền hình xã',
    ]);
  });
});
