/**
 * The real data that scripts/setup.sh fetched from PyPI (vietnam-provinces) into .cache/admin-units.json.
 * The expected figures are public facts of the 1 July 2025 arrangement (the resolutions of the National
 * Assembly Standing Committee): 34 provinces, 3,321 commune-level units (2,621 xã, 687 phường, 13 đặc khu).
 */
import {
  findUnit,
  findUnits,
  getSuccessors,
  listAllCommunes,
  listCommunes,
  listProvinces,
  loadAdminUnits,
  type AdminUnit,
} from '../../admin-units';

const units = loadAdminUnits();

/** Commune-level units per province, by official province code. */
const COMMUNES_PER_PROVINCE: Record<string, [string, number]> = {
  '01': ['Thành phố Hà Nội', 126],
  '04': ['Tỉnh Cao Bằng', 56],
  '08': ['Tỉnh Tuyên Quang', 124],
  '11': ['Tỉnh Điện Biên', 45],
  '12': ['Tỉnh Lai Châu', 38],
  '14': ['Tỉnh Sơn La', 75],
  '15': ['Tỉnh Lào Cai', 99],
  '19': ['Tỉnh Thái Nguyên', 92],
  '20': ['Tỉnh Lạng Sơn', 65],
  '22': ['Tỉnh Quảng Ninh', 54],
  '24': ['Tỉnh Bắc Ninh', 99],
  '25': ['Tỉnh Phú Thọ', 148],
  '31': ['Thành phố Hải Phòng', 114],
  '33': ['Tỉnh Hưng Yên', 104],
  '37': ['Tỉnh Ninh Bình', 129],
  '38': ['Tỉnh Thanh Hóa', 166],
  '40': ['Tỉnh Nghệ An', 130],
  '42': ['Tỉnh Hà Tĩnh', 69],
  '44': ['Tỉnh Quảng Trị', 78],
  '46': ['Thành phố Huế', 40],
  '48': ['Thành phố Đà Nẵng', 94],
  '51': ['Tỉnh Quảng Ngãi', 96],
  '52': ['Tỉnh Gia Lai', 135],
  '56': ['Tỉnh Khánh Hòa', 65],
  '66': ['Tỉnh Đắk Lắk', 102],
  '68': ['Tỉnh Lâm Đồng', 124],
  '75': ['Tỉnh Đồng Nai', 95],
  '79': ['Thành phố Hồ Chí Minh', 168],
  '80': ['Tỉnh Tây Ninh', 96],
  '82': ['Tỉnh Đồng Tháp', 102],
  '86': ['Tỉnh Vĩnh Long', 124],
  '91': ['Tỉnh An Giang', 102],
  '92': ['Thành phố Cần Thơ', 103],
  '96': ['Tỉnh Cà Mau', 64],
};

test('the data is the pinned package, GPL-3.0, effective 1 July 2025', () => {
  expect(units.source).toMatchObject({
    package: 'vietnam-provinces',
    version: '2026.9.0',
    effectiveDate: '2025-07-01',
  });
  expect(units.source.license).toMatch(/^GPL-3\.0/);
});

test('34 provinces and 3,321 commune-level units, each province with its own count', () => {
  const provinces = listProvinces(units);
  expect(provinces).toHaveLength(34);
  expect(Object.fromEntries(provinces.map((p) => [p.code, [p.name, listCommunes(units, p.code).length]]))).toEqual(
    COMMUNES_PER_PROVINCE,
  );
  const all = listAllCommunes(units);
  expect(all).toHaveLength(3321);
  const byType = new Map<string, number>();
  for (const c of all) byType.set(c.type, (byType.get(c.type) ?? 0) + 1);
  expect(Object.fromEntries(byType)).toEqual({ xã: 2621, phường: 687, 'đặc khu': 13 });
  expect(new Set(all.map((c) => c.code)).size).toBe(3321);
});

test('names as officers write them find the right unit', () => {
  const one = (q: string, opts?: Parameters<typeof findUnit>[2]): AdminUnit => {
    const m = findUnit(units, q, opts);
    if (m.kind !== 'found') throw new Error(`${q}: ${m.kind}`);
    return m.unit;
  };
  expect(one('TP.HCM', { level: 'province' }).code).toBe('79');
  expect(one('Thanh Hoá', { level: 'province' }).name).toBe('Tỉnh Thanh Hóa');
  expect(one('UBND phường Vũ Ninh').province).toBe('24');
  expect(one('Đặc khu Phú Quốc').province).toBe('91');
});

test('merged provinces go to the province the reform named', () => {
  const successorOf = (oldName: string): string[] => {
    const m = findUnit(units, oldName, { era: 'legacy', level: 'province' });
    if (m.kind !== 'found') throw new Error(`${oldName}: ${m.kind}`);
    return getSuccessors(units, m.unit).map((p) => p.name);
  };
  expect(successorOf('Thái Bình')).toEqual(['Tỉnh Hưng Yên']);
  expect(successorOf('Bắc Giang')).toEqual(['Tỉnh Bắc Ninh']);
  expect(successorOf('Phú Yên')).toEqual(['Tỉnh Đắk Lắk']);
  expect(successorOf('Ninh Thuận')).toEqual(['Tỉnh Khánh Hòa']);
  expect(findUnits(units, '', { era: 'legacy' })).toEqual([]);
});

test('a dissolved district goes to communes of its own province, one of them named after it', () => {
  const district = findUnit(units, 'Huyện Hoằng Hóa', { era: 'legacy', province: 'Thanh Hóa' });
  expect(district.kind).toBe('found');
  if (district.kind !== 'found') return;
  expect(district.unit.code).toBe('399');
  const successors = getSuccessors(units, district.unit);
  expect(successors.length).toBeGreaterThan(1);
  expect(successors.every((s) => s.province === '38' && s.level === 'commune')).toBe(true);
  expect(successors.map((s) => s.name)).toContain('Xã Hoằng Hóa');
  // Every successor the data gives any district is a unit of today.
  const legacyDistricts = units.levels.legacy.district?.list ?? [];
  expect(legacyDistricts.length).toBeGreaterThan(600);
  for (const d of legacyDistricts) {
    for (const s of getSuccessors(units, d)) expect(s.era).toBe('current');
  }
});
