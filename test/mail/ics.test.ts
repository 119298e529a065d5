import fc from 'fast-check';

import { buildIcs, escapeIcsText, foldIcsLine } from '../../mail/ics';

function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l.length > 0);
}

function unescapeText(v: string): string {
  return v.replace(/\\(\\|;|,|n|N)/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

describe('foldIcsLine', () => {
  it('keeps every physical line within 75 octets and unfolds back to the original (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }).map((s) => s.replace(/[\r\n]/g, '')), (s) => {
        const folded = foldIcsLine(`SUMMARY:${s}`);
        for (const physical of folded.split('\r\n')) expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
        expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${s}`);
      }),
    );
  });

  it('never splits a Vietnamese multi-byte character', () => {
    const folded = foldIcsLine(`SUMMARY:${'Hạn nhiệm vụ tổ chức hội nghị quán triệt '.repeat(5)}`);
    for (const physical of folded.split('\r\n')) expect(Buffer.from(physical, 'utf8').toString('utf8')).toBe(physical);
    expect(folded.split('\r\n').length).toBeGreaterThan(2);
  });
});

describe('escapeIcsText', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    expect(unescapeText(escapeIcsText('Sở Tư pháp; UBND, huyện\\xã\nhết'))).toBe('Sở Tư pháp; UBND, huyện\\xã\nhết');
  });
});

describe('buildIcs', () => {
  const stamp = new Date('2019-09-23T01:02:03.456Z');
  const ics = buildIcs(
    [
      { uid: 'u1@dondoc', date: '2019-09-30', summary: 'Hạn nhiệm vụ 1.1: Tổ chức hội nghị, quán triệt; triển khai', description: 'Dòng 1\nDòng 2' },
      { uid: 'u1@dondoc', date: '2019-09-30', summary: 'duplicate' },
      { uid: 'u2@dondoc', date: '2019-12-31', summary: 'Hạn 2' },
    ],
    stamp,
  );
  const lines = unfold(ics);

  it('is a PUBLISH calendar with CRLF line ends', () => {
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('VERSION:2.0');
    expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes one all-day event per uid with DTSTART;VALUE=DATE and DTEND the next day', () => {
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines).toContain('DTSTART;VALUE=DATE:20190930');
    expect(lines).toContain('DTEND;VALUE=DATE:20191001');
    expect(lines).toContain('DTSTART;VALUE=DATE:20191231');
    expect(lines).toContain('DTEND;VALUE=DATE:20200101');
    expect(lines).toContain('DTSTAMP:20190923T010203Z');
    expect(lines).not.toContain('SUMMARY:duplicate');
  });

  it('escapes text and keeps diacritics', () => {
    const summary = lines.find((l) => l.startsWith('SUMMARY:Hạn nhiệm vụ'))!;
    expect(unescapeText(summary.slice('SUMMARY:'.length))).toBe('Hạn nhiệm vụ 1.1: Tổ chức hội nghị, quán triệt; triển khai');
    expect(lines).toContain('DESCRIPTION:Dòng 1\\nDòng 2');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => buildIcs([{ uid: 'x', date: '30/9/2019', summary: 's' }], stamp)).toThrow(/30\/9\/2019/);
  });
});
