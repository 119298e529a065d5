import fc from 'fast-check';

import {
  committeeName,
  findUnit,
  findUnits,
  foldVietnamese,
  getSuccessors,
  getUnit,
  indexAdminUnits,
  isPartlyMerged,
  listCommunes,
  listProvinces,
  parseAdminUnitsJson,
  parseUnitName,
  AdminUnitsUnavailableError,
} from '../../admin-units';
import { syntheticAdminUnits } from './synthetic-data';

const units = indexAdminUnits(syntheticAdminUnits());
const codes = (list: { code: string }[]): string[] => list.map((u) => u.code);

describe('listing', () => {
  test('provinces and communes come sorted by official code', () => {
    expect(codes(listProvinces(units))).toEqual(['10', '20']);
    expect(codes(listCommunes(units, '10'))).toEqual(['00101', '00102', '00103', '00104']);
    expect(listCommunes(units, '20').map((c) => c.name)).toEqual([
      'Phường 1',
      'Xã Hòa An',
      'Xã Tịnh Sơn',
      'Xã Tình Sơn',
    ]);
  });

  test('an unknown province has no communes; a code without its leading zero still works', () => {
    expect(listCommunes(units, '99')).toEqual([]);
    const data = syntheticAdminUnits();
    data.provinces.push({ code: '04', name: 'Tỉnh Bốn', type: 'tỉnh' });
    data.communes.push({ code: '00401', name: 'Xã Bốn', type: 'xã', province: '04' });
    expect(codes(listCommunes(indexAdminUnits(data), '4'))).toEqual(['00401']);
  });
});

describe('finding a unit by code', () => {
  test('with or without leading zeros, at the level the width says', () => {
    expect(findUnits(units, '00203').map((u) => u.name)).toEqual(['Xã Tịnh Sơn']);
    expect(findUnits(units, '203').map((u) => u.name)).toEqual(['Xã Tịnh Sơn']);
    expect(findUnits(units, '10').map((u) => u.name)).toEqual(['Tỉnh Lúa Vàng']);
    expect(findUnits(units, '99999')).toEqual([]);
  });

  test('codes of the two eras are kept apart', () => {
    expect(findUnits(units, '101', { era: 'legacy' }).map((u) => u.name)).toEqual(['Huyện Hòa An']);
    expect(findUnits(units, '101').map((u) => u.name)).toEqual(['Phường Hòa An']);
    expect(findUnits(units, '11')).toEqual([]);
    expect(findUnits(units, '11', { era: 'legacy' }).map((u) => u.name)).toEqual(['Tỉnh Núi Bạc']);
  });
});

describe('finding a unit by name', () => {
  test('diacritics, case, old tone placement and prefixes do not matter', () => {
    for (const q of [
      'Phường Hòa An',
      'phường hoà an',
      'PHUONG HOA AN',
      'P. Hòa An',
      'UBND phường Hòa An',
      'Ủy ban nhân dân phường Hoà An',
    ])
      expect([q, codes(findUnits(units, q))]).toEqual([q, ['00101']]);
  });

  test('a written prefix must fit the type; without it every kind matches', () => {
    expect(codes(findUnits(units, 'Hòa An'))).toEqual(['00101', '00102', '00202']);
    expect(codes(findUnits(units, 'Xã Hòa An'))).toEqual(['00102', '00202']);
    expect(findUnits(units, 'Phường Quan Sơn')).toEqual([]);
    expect(findUnits(units, 'Đặc khu Đảo Ngọc').map((u) => u.type)).toEqual(['đặc khu']);
  });

  test('a province narrows an ambiguous name, by code or by name', () => {
    expect(codes(findUnits(units, 'Xã Hòa An', { province: '20' }))).toEqual(['00202']);
    expect(codes(findUnits(units, 'xa hoa an', { province: 'TP. Sông Xanh' }))).toEqual(['00202']);
    expect(findUnit(units, 'Xã Hòa An')).toMatchObject({ kind: 'ambiguous' });
    expect(findUnit(units, 'Xã Hòa An', { province: 'Lúa Vàng' })).toMatchObject({
      kind: 'found',
      unit: { code: '00102' },
    });
    expect(findUnit(units, 'Xã Không Có')).toEqual({ kind: 'none' });
  });

  test('words that look like prefixes are kept when they are part of the name', () => {
    expect(codes(findUnits(units, 'Xã Quan Sơn'))).toEqual(['00103']);
    expect(codes(findUnits(units, 'Quan Sơn'))).toEqual(['00103']);
    expect(parseUnitName('Xã Quan Sơn')).toEqual({ kind: 'xa', core: 'quan son', exact: 'quan sơn' });
  });

  test('accents decide between names that differ only by them; without accents both are found', () => {
    expect(codes(findUnits(units, 'Xã Tịnh Sơn'))).toEqual(['00203']);
    expect(codes(findUnits(units, 'Xã Tình Sơn'))).toEqual(['00204']);
    expect(codes(findUnits(units, 'Xa Tinh Son'))).toEqual(['00203', '00204']);
  });

  test('provinces: "Tỉnh", "Thành phố", "TP." and numbered wards', () => {
    expect(codes(findUnits(units, 'TP. Sông Xanh', { level: 'province' }))).toEqual(['20']);
    expect(codes(findUnits(units, 'Thành phố Sông Xanh'))).toEqual(['20']);
    expect(codes(findUnits(units, 'tinh lua vang'))).toEqual(['10']);
    expect(codes(findUnits(units, 'Phường 01'))).toEqual(['00201']);
    expect(parseUnitName('TP.HCM')).toEqual({ kind: 'thanh-pho', core: 'ho chi minh' });
  });

  test('law: every unit is found from its name written in any of the usual ways', () => {
    const all = [...listProvinces(units), ...listProvinces(units).flatMap((p) => listCommunes(units, p.code))];
    const variants = (name: string): fc.Arbitrary<string> =>
      fc.constantFrom(
        name,
        name.toUpperCase(),
        name.toLowerCase(),
        foldVietnamese(name),
        `UBND ${name}`,
        `Ủy ban nhân dân ${name.toLowerCase()}`,
        name
          .replace(/^Phường /, 'P. ')
          .replace(/^Xã /, 'X. ')
          .replace(/^Thành phố /, 'TP. '),
        `  ${name.normalize('NFD')}  `,
      );
    fc.assert(
      fc.property(
        fc.constantFrom(...all).chain((u) => variants(u.name).map((q) => ({ u, q }))),
        ({ u, q }) => findUnits(units, q).some((hit) => hit.code === u.code && hit.level === u.level),
      ),
      { numRuns: 300 },
    );
  });
});

describe('successors of units from before 1 July 2025', () => {
  test('a district goes to the communes that took over its communes', () => {
    const district = findUnit(units, 'Huyện Hòa An', { era: 'legacy' });
    expect(district.kind).toBe('found');
    if (district.kind !== 'found') return;
    expect(getSuccessors(units, district.unit).map((u) => u.name)).toEqual(['Phường Hòa An', 'Xã Hòa An']);
  });

  test('a split commune has several successors and is marked partly merged', () => {
    const old = getUnit(units, 'legacy', 'commune', '01002');
    expect(old?.name).toBe('Xã Hòa Lợi');
    expect(codes(getSuccessors(units, old!))).toEqual(['00101', '00102']);
    expect(isPartlyMerged(units, '01002')).toBe(true);
    expect(isPartlyMerged(units, '01001')).toBe(false);
  });

  test('a merged province goes to the province that took it over; an old name is found through the new province', () => {
    const old = findUnit(units, 'Núi Bạc', { era: 'legacy', level: 'province' });
    expect(old.kind === 'found' && getSuccessors(units, old.unit).map((u) => u.name)).toEqual(['Tỉnh Lúa Vàng']);
    expect(codes(findUnits(units, 'Thị xã Núi Bạc', { era: 'legacy', province: 'Lúa Vàng' }))).toEqual(['111']);
    expect(findUnits(units, 'Thị xã Núi Bạc', { era: 'legacy', province: 'Sông Xanh' })).toEqual([]);
  });

  test('a current unit, or an old one the data gives none, has no successor', () => {
    expect(getSuccessors(units, getUnit(units, 'current', 'commune', '00101')!)).toEqual([]);
    expect(getSuccessors(units, getUnit(units, 'legacy', 'commune', '02002')!)).toEqual([]);
  });
});

describe('names of committees and a damaged data file', () => {
  test('committeeName lowers the type word only', () => {
    expect(committeeName({ name: 'Phường Hòa An' })).toBe('UBND phường Hòa An');
    expect(committeeName({ name: 'Đặc khu Đảo Ngọc' })).toBe('UBND đặc khu Đảo Ngọc');
    expect(committeeName({ name: 'Thành phố Sông Xanh' })).toBe('UBND thành phố Sông Xanh');
  });

  test('a file that is not the extracted data is refused with the setup step named', () => {
    expect(() => parseAdminUnitsJson('{', '/x/admin-units.json')).toThrow(AdminUnitsUnavailableError);
    expect(() => parseAdminUnitsJson('{"source":{}}', '/x/admin-units.json')).toThrow(/scripts\/setup\.sh/);
    expect(parseAdminUnitsJson(JSON.stringify(syntheticAdminUnits()), 'x').provinces).toHaveLength(2);
  });
});
