import JSZip from 'jszip';
import { askForMissing, missingFieldsMessage, renderPlanReport } from '../../services/periodic-report';
import { AGENCY_A, SCRIPT, makePlanSources, makeSnapshot } from '../reports/report-fixture';

const snapshots = SCRIPT.map(makeSnapshot);

async function docxText(buffer: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

describe('renderPlanReport: the report from plan, directory, snapshots and officer inputs, without Temporal', () => {
  test('a plan that starts on 20/10 reports from 20/10, on the period of its reporting duty', async () => {
    const { plan, directory } = makePlanSources({ plan: { period: { start: '2026-10-20', end: '2027-10-19' } } });
    const built = await renderPlanReport({ plan, directory, snapshots, asOf: '2026-12-15' });
    expect(built.report.period).toEqual({ kind: 'year', from: '2026-10-20', to: '2026-12-15', label: 'Năm 2026' });
    expect(built.missing).toEqual([]);
    expect(await docxText(built.docx)).toContain('(từ ngày 20/10/2026 đến ngày 15/12/2026)');

    const quarterly = makePlanSources({ duty: { every: 'quarterly' } });
    const q = await renderPlanReport({ ...quarterly, snapshots, asOf: '2026-12-15' });
    expect([q.report.period.from, q.report.period.label]).toEqual(['2026-10-01', 'Quý IV/2026']);
  });

  test('the heading comes from the plan and directory; what is missing is reported, the sections the officer wrote are in', async () => {
    const { plan, directory } = makePlanSources({ duty: null });
    const built = await renderPlanReport({
      plan,
      directory,
      snapshots,
      asOf: '2026-12-15',
      officer: { assessment: 'Nhìn chung các cơ quan thực hiện nghiêm túc.' },
    });
    expect(built.missing).toEqual(['signerTitle', 'recipients']);
    expect([built.heading.documentCode, built.heading.place]).toEqual(['BC-UBND', 'Đắk Lắk']);
    expect(built.fileBase).toBe('bao-cao-kh-12-2026-12-15');
    const text = await docxText(built.docx);
    expect(text).toContain('Nhìn chung các cơ quan thực hiện nghiêm túc.');
    expect(text).not.toContain('KIẾN NGHỊ');
  });

  test('the as-of day defaults to today in the plan zone', async () => {
    const { plan, directory } = makePlanSources();
    const built = await renderPlanReport({
      plan,
      directory,
      snapshots: [makeSnapshot({ ref: '1.1', lead: AGENCY_A, state: 'in_progress', due: '2026-12-31' })],
      now: () => Date.parse('2026-12-14T18:30:00Z'), // 01:30 on 15/12 in Hà Nội
    });
    expect(built.report.asOf).toBe('2026-12-15');
  });
});

test('askForMissing asks once per missing part and fills the officer inputs; an empty answer leaves it missing', async () => {
  const asked: string[] = [];
  const answers = ['ubnd', '', 'GIÁM ĐỐC', 'Bộ Tư pháp;  Sở Nội vụ ; '];
  const done = await askForMissing(
    ['documentCode', 'place', 'signerTitle', 'recipients'],
    { proposals: 'x' },
    async (q) => {
      asked.push(q);
      return answers[asked.length - 1] ?? '';
    },
  );
  expect(asked).toHaveLength(4);
  expect(done).toEqual({
    proposals: 'x',
    documentCode: 'ubnd',
    signerTitle: 'GIÁM ĐỐC',
    recipients: ['Bộ Tư pháp', 'Sở Nội vụ'],
  });
  expect(missingFieldsMessage('kh-12', ['place'])).toContain('--place');
});
