/**
 * Evidence files in PostgreSQL (DONDOC_DATABASE_URL set): any host stores and reads the same file; the same bytes
 * are kept once; what is not evidence is refused before anything is written. A real PostgreSQL of our own.
 */
import { createEvidenceStore, createPostgresEvidenceStore } from '../../storage/evidence-store';
import { createPool, type Pool } from '../../storage/postgres';
import { startTestPostgres, type TestPostgres } from './postgres-harness';

jest.setTimeout(120_000);

let pg: TestPostgres;
const pools: Pool[] = [];
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj << >> endobj\n%%EOF\n', 'latin1');

beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await pg?.dispose();
});

test('two hosts share the files: stored on one, read on the other, kept once, refused before any write', async () => {
  const url = await pg.createDatabase('evidence_1');
  const [a, b] = [createPool(url, { max: 2 }), createPool(url, { max: 2 })];
  pools.push(a, b);
  const hostA = createPostgresEvidenceStore(a);
  const hostB = createPostgresEvidenceStore(b);
  const ref = await hostA.put('Quyết định 15.pdf', PDF);
  expect(ref).toMatchObject({ name: 'Quyết định 15.pdf', type: 'application/pdf', size: PDF.length });
  const read = await hostB.get(ref.id);
  expect(read?.type).toBe('application/pdf');
  expect(read?.bytes.equals(PDF)).toBe(true);
  expect((await hostB.put('ban-sao.pdf', PDF)).id).toBe(ref.id);
  await expect(hostB.put('gia-mao.pdf', Buffer.from('văn bản thường'))).rejects.toThrow(/không phải PDF/);
  const { rows } = await a.query<{ n: string }>('SELECT count(*) AS n FROM evidence_files');
  expect(Number(rows[0]!.n)).toBe(1);
  expect(await hostA.get('A'.repeat(43))).toBeUndefined();
});

test('the configuration picks PostgreSQL when DONDOC_DATABASE_URL is set, the data folder otherwise', async () => {
  const url = await pg.createDatabase('evidence_2');
  const store = createEvidenceStore({ database: { url }, dataDir: '/nonexistent' });
  try {
    expect(store.kind).toBe('postgres');
    const ref = await store.put('x.pdf', PDF);
    expect((await store.get(ref.id))?.bytes.equals(PDF)).toBe(true);
  } finally {
    await store.close();
  }
  expect(createEvidenceStore({ database: { url: undefined }, dataDir: '/tmp/x' }).kind).toBe('file');
});
