import { decodeDirectory, encodeDirectory } from '../../services/plan-store';
import type { DirectoryFile } from '../../plans/schema';

/** A national directory: every commune-level unit (3,321), the 34 provinces and 200 departments, each with contacts. */
function nationalDirectory(): DirectoryFile {
  const agencies = Array.from({ length: 3321 + 34 + 200 }, (_, i) => ({
    id: `ubnd-xa-${String(26000 + i)}`,
    name: `UBND xã Ea Hồ Krông Năng ${i}`,
    aliases: [`Xã Ea Hồ Krông Năng ${i}`],
    level: 'commune' as const,
    contacts: {
      focal: { name: 'Công chức Tư pháp - Hộ tịch', email: `tuphap.xa${i}@tinh${i % 34}.gov.vn` },
      head: { name: 'Chủ tịch UBND xã', email: `chutich.xa${i}@tinh${i % 34}.gov.vn` },
      office: { name: 'Văn thư', email: `vanthu.xa${i}@tinh${i % 34}.gov.vn` },
    },
    escalatesTo: `ubnd-tinh-${i % 34}`,
  }));
  return {
    agencies,
    groups: [{ id: 'ubnd-cap-xa', name: 'UBND cấp xã', members: agencies.slice(0, 3321).map((a) => a.id) }],
  };
}

describe('a plan directory as its workflow holds it', () => {
  test('round-trips exactly, Vietnamese text included', () => {
    const directory = nationalDirectory();
    const { directoryGz } = encodeDirectory(directory);
    expect(decodeDirectory(directoryGz)).toEqual(directory);
  });

  test('a national directory with contacts stays under the 512 KB payload warning (2 MB is the limit)', () => {
    const directory = nationalDirectory();
    const json = Buffer.byteLength(JSON.stringify(directory));
    const { directoryGz } = encodeDirectory(directory);
    process.stderr.write(
      `[plan-store] national directory: ${directory.agencies.length} agencies, JSON ${json} B, gzip+base64 ${directoryGz.length} B\n`,
    );
    expect(json).toBeGreaterThan(1_000_000); // the measure is of a real-sized directory
    expect(directoryGz.length).toBeLessThan(512 * 1024);
  });

  test('the hash tells a changed directory from the same one', () => {
    const a = nationalDirectory();
    const b = nationalDirectory();
    expect(encodeDirectory(a).directoryHash).toBe(encodeDirectory(b).directoryHash);
    b.agencies[7]!.contacts.focal = { email: 'moi@example.gov.vn' };
    expect(encodeDirectory(a).directoryHash).not.toBe(encodeDirectory(b).directoryHash);
  });
});
