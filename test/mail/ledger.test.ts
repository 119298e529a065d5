import { fork } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

import ts from 'typescript';

import { createFileLedger } from '../../mail/ledger';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'dondoc-ledger-'));
}

const info = { messageId: '<abc@dondoc>', to: ['a@x.vn'], accepted: ['a@x.vn'], sentAt: '2026-11-22T00:00:00.000Z', response: '250 OK' };

describe('createFileLedger', () => {
  it('claims a new key once: new, then claimed; sent after markSent', async () => {
    const ledger = createFileLedger(path.join(await tempDir(), 'nested', 'ledger'));
    expect(await ledger.claim('d1')).toBe('new');
    expect(await ledger.claim('d1')).toBe('claimed');
    expect(await ledger.get('d1')).toBeUndefined();
    await ledger.markSent('d1', info);
    expect(await ledger.claim('d1')).toBe('sent');
    expect(await ledger.get('d1')).toMatchObject(info);
    expect(await ledger.claim('d2')).toBe('new');
  });

  it('is shared by two ledgers over the same folder (two workers)', async () => {
    const dir = await tempDir();
    const a = createFileLedger(dir);
    const b = createFileLedger(dir);
    expect(await a.claim('k')).toBe('new');
    expect(await b.claim('k')).toBe('claimed');
    await a.markSent('k', info);
    expect(await b.claim('k')).toBe('sent');
  });

  it('lets exactly one of many concurrent claimers win', async () => {
    const dir = await tempDir();
    const results = await Promise.all(Array.from({ length: 20 }, () => createFileLedger(dir).claim('race')));
    expect(results.filter((r) => r === 'new')).toHaveLength(1);
    expect(results.filter((r) => r === 'claimed')).toHaveLength(19);
  });

  it('lets exactly one of several worker processes win a claim', async () => {
    // The real ledger module, transpiled to JavaScript, run in separate processes over one folder.
    const dir = await tempDir();
    const source = await fs.readFile(path.join(__dirname, '../../mail/ledger.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    await fs.writeFile(path.join(dir, 'ledger.js'), js);
    const script = path.join(dir, 'claim.js');
    await fs.writeFile(
      script,
      "const { createFileLedger } = require('./ledger.js');" +
        "createFileLedger(process.argv[2]).claim('shared-digest').then((r) => process.send(r), (e) => process.send('error:' + e.message));",
    );
    const store = path.join(dir, 'store');
    const outcomes = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve) => {
            const child = fork(script, [store]);
            child.once('message', (m) => resolve(typeof m === 'string' ? m : JSON.stringify(m)));
          }),
      ),
    );
    expect(outcomes.filter((o) => o === 'new')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(3);
  });

  it('leaves no temporary files behind and writes whole records', async () => {
    const dir = await tempDir();
    const ledger = createFileLedger(dir);
    await ledger.claim('x');
    await ledger.markSent('x', info);
    await ledger.markSent('x', info);
    const files = await fs.readdir(dir);
    expect(files.filter((f) => f.startsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.sent'))).toHaveLength(1);
    const sent = files.find((f) => f.endsWith('.sent'))!;
    expect(JSON.parse(await fs.readFile(path.join(dir, sent), 'utf8'))).toMatchObject({ key: 'x', ...info });
  });

  it('says which file is broken when a record cannot be read', async () => {
    const dir = await tempDir();
    const ledger = createFileLedger(dir);
    await ledger.markSent('y', info);
    const sent = (await fs.readdir(dir)).find((f) => f.endsWith('.sent'))!;
    await fs.writeFile(path.join(dir, sent), '{not json');
    await expect(ledger.get('y')).rejects.toThrow(sent);
  });
});
