import type { AdminUnitsData } from '../../admin-units';

/**
 * A small invented dataset in the shape of `.cache/admin-units.json`: two provinces today, three before the
 * reform (Núi Bạc merged into Lúa Vàng), districts whose communes went to one or several new communes, an old
 * commune split in two, one the data gives no successor, and names that test the normalisation (same name in
 * two provinces, same name as ward and commune, "Quan" that is not "Quận", "Tịnh" and "Tình").
 */
export function syntheticAdminUnits(): AdminUnitsData {
  return {
    source: {
      package: 'vietnam-provinces',
      version: '0.0.0-test',
      license: 'GPL-3.0-or-later',
      dataVersion: '2025-01-01',
      effectiveDate: '2025-07-01',
      format: 1,
    },
    provinces: [
      { code: '20', name: 'Thành phố Sông Xanh', type: 'thành phố trung ương' },
      { code: '10', name: 'Tỉnh Lúa Vàng', type: 'tỉnh' },
    ],
    communes: [
      { code: '00102', name: 'Xã Hòa An', type: 'xã', province: '10' },
      { code: '00101', name: 'Phường Hòa An', type: 'phường', province: '10' },
      { code: '00103', name: 'Xã Quan Sơn', type: 'xã', province: '10' },
      { code: '00104', name: 'Đặc khu Đảo Ngọc', type: 'đặc khu', province: '10' },
      { code: '00201', name: 'Phường 1', type: 'phường', province: '20' },
      { code: '00202', name: 'Xã Hòa An', type: 'xã', province: '20' },
      { code: '00203', name: 'Xã Tịnh Sơn', type: 'xã', province: '20' },
      { code: '00204', name: 'Xã Tình Sơn', type: 'xã', province: '20' },
    ],
    legacy: {
      provinces: [
        { code: '10', name: 'Tỉnh Lúa Vàng', type: 'tỉnh', successors: ['10'] },
        { code: '11', name: 'Tỉnh Núi Bạc', type: 'tỉnh', successors: ['10'] },
        { code: '20', name: 'Thành phố Sông Xanh', type: 'thành phố trung ương', successors: ['20'] },
      ],
      districts: [
        { code: '101', name: 'Huyện Hòa An', type: 'huyện', province: '10', successors: ['00101', '00102'] },
        { code: '111', name: 'Thị xã Núi Bạc', type: 'thị xã', province: '11', successors: ['00103', '00104'] },
        { code: '201', name: 'Quận 1', type: 'quận', province: '20', successors: ['00201'] },
      ],
      communes: [
        {
          code: '01001',
          name: 'Thị trấn Hòa An',
          type: 'thị trấn',
          district: '101',
          successors: ['00101'],
          partly: false,
        },
        {
          code: '01002',
          name: 'Xã Hòa Lợi',
          type: 'xã',
          district: '101',
          successors: ['00101', '00102'],
          partly: true,
        },
        {
          code: '01101',
          name: 'Phường Núi Bạc',
          type: 'phường',
          district: '111',
          successors: ['00103'],
          partly: false,
        },
        { code: '01102', name: 'Xã Biển', type: 'xã', district: '111', successors: ['00104'], partly: false },
        { code: '02001', name: 'Phường 01', type: 'phường', district: '201', successors: ['00201'], partly: false },
        { code: '02002', name: 'Xã Cũ', type: 'xã', district: '201', successors: [], partly: false },
      ],
    },
  };
}
