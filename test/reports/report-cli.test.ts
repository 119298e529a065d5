import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { planWorkflowId } from '../../workflows/plan-workflow';
import { startStoredPlan } from '../helpers/stored-plan';
import { CLI_BIN, assertCliBuilt, cliEnv, execCaptured, noMailActivities, runCli, shellQuote } from '../helpers/cli';
import { connectDevServer, terminateAll, testWorker, uniqueId } from '../helpers/temporal';
import { makePlanSources } from './report-fixture';

/** `dondoc report` as an officer runs it: the compiled binary in its own process. */
// stdin is closed at once, with `input` or empty.
const cli = (args: string[], env: Record<string, string>, input?: string) => runCli(args, env, input ?? '');

/** The same command on a pseudo-terminal (`script`), as an officer typing answers at the prompts. */
const cliOnTerminal = (args: string[], env: Record<string, string>, answers: string[]) =>
  execCaptured('script', ['-qec', shellQuote([process.execPath, CLI_BIN, ...args]), '/dev/null'], {
    env: cliEnv(env),
    timeout: 60_000,
    input: answers.map((a) => `${a}\n`).join(''),
  });

async function docxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

let env: Record<string, string>;
let planId: string;

let temporal: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueId('report-cli');

/** A plan as import leaves it, in its workflow with its directory; the plan names no signer and no duty. */
beforeAll(async () => {
  assertCliBuilt();
  planId = uniqueId('bc').toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-report-cli-'));
  const { plan, directory } = makePlanSources({ plan: { id: planId }, duty: null });
  temporal = await connectDevServer();
  worker = await testWorker(temporal, taskQueue, noMailActivities());
  running = worker.run();
  await startStoredPlan(temporal.client, taskQueue, plan, directory);
  env = {
    TEMPORAL_ADDRESS: process.env.DONDOC_TEST_DEV_ADDRESS!,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DONDOC_LINK_SECRET: 'report-cli-secret-report-cli-secret-01234',
    DONDOC_DATA_DIR: dataDir,
  };
});

afterAll(async () => {
  await terminateAll([temporal.client.workflow.getHandle(planWorkflowId(planId))]);
  worker?.shutdown();
  await running;
  await temporal?.teardown();
});

const outDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dondoc-report-out-'));

test('what the plan does not give is refused off a terminal, naming the flags, and no file is made', async () => {
  const out = outDir();
  for (const extra of [['--no-input'], []]) {
    const r = await cli(['report', planId, '--as-of', '2026-12-15', '--out', out, ...extra], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--signer-title');
    expect(r.stderr).toContain('--recipient');
    expect(r.stderr).toContain('reportingDuties[].signer.title');
    expect(r.stderr).not.toContain('--code'); // "BC-UBND" comes from the issuer's name
    expect(r.stderr).toContain('Chưa tạo tệp nào');
  }
  expect(fs.readdirSync(out)).toEqual([]);
});

test('bad input is refused with exit code 2', async () => {
  const out = outDir();
  const base = ['report', planId, '--out', out, '--signer-title', 'GIÁM ĐỐC', '--recipient', 'Bộ Tư pháp'];
  const badCode = await cli([...base, '--code', 'BC UBND'], env);
  expect([badCode.code, badCode.stderr]).toEqual([2, expect.stringContaining('ví dụ BC-UBND')]);
  expect((await cli([...base, '--as-of', '15/12/2026'], env)).code).toBe(2);
  expect((await cli([...base, '--duty', 'quy'], env)).code).toBe(2);
  expect((await cli([...base, '--proposals', '@/khong/co/tep.txt'], env)).code).toBe(2);
  expect((await cli(['report', 'khong-co', '--out', out], env)).code).toBe(4);
  expect(fs.readdirSync(out)).toEqual([]);
});

test('flags and files give the heading and the officer sections', async () => {
  const out = outDir();
  const proposals = path.join(out, 'kien-nghi.txt');
  fs.writeFileSync(proposals, 'Đề nghị bố trí kinh phí tập huấn năm 2027.\n');
  const r = await cli(
    [
      'report',
      planId,
      '--as-of',
      '2026-12-15',
      '--out',
      out,
      '--code',
      'ubnd',
      '--place',
      'Buôn Ma Thuột',
      '--signer-authority',
      'TM. ỦY BAN NHÂN DÂN',
      '--signer-title',
      'CHỦ TỊCH',
      '--recipient',
      'Bộ Tư pháp (để báo cáo)',
      '--proposals',
      `@${proposals}`,
      '--json',
    ],
    env,
  );
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const { docx, xlsx } = JSON.parse(r.stdout) as { docx: string; xlsx: string };
  expect(fs.existsSync(xlsx)).toBe(true);
  const text = await docxText(docx);
  for (const phrase of [
    'Số:        /BC-UBND',
    'Buôn Ma Thuột, ngày 15 tháng 12 năm 2026',
    'TM. ỦY BAN NHÂN DÂN',
    'CHỦ TỊCH',
    '- Bộ Tư pháp (để báo cáo);',
    '- Lưu: VT.',
    'KIẾN NGHỊ, ĐỀ XUẤT',
    'Đề nghị bố trí kinh phí tập huấn năm 2027.',
  ])
    expect({ phrase, found: text.includes(phrase) }).toEqual({ phrase, found: true });
  expect(text).not.toContain('ĐÁNH GIÁ CHUNG');
});

test('on a terminal it asks once for each missing part and says where to record it', async () => {
  const out = outDir();
  const r = await cliOnTerminal(['report', planId, '--as-of', '2026-12-15', '--out', out], env, [
    'GIÁM ĐỐC',
    'Bộ Tư pháp; UBND tỉnh',
  ]);
  expect(r.code).toBe(0);
  const transcript = r.stdout.normalize('NFC');
  expect(transcript.match(/Chức vụ người ký/g)).toHaveLength(2); // once in the list, once as the question
  expect(transcript).toContain('reportingDuties[].signer.title');
  const docx = fs.readdirSync(out).find((f) => f.endsWith('.docx'));
  const text = await docxText(path.join(out, docx!));
  expect(text).toContain('GIÁM ĐỐC');
  expect(text).toContain('- Bộ Tư pháp;- UBND tỉnh;- Lưu: VT.');
});
