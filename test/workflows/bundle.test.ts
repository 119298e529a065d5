import fs from 'node:fs';

/**
 * The workflow bundle carries workflow code and the pure domain only: no validation library (zod runs at the
 * edges: plan loading, configuration, the web), no mail, web or Temporal-client code. A heavy or I/O module that
 * slipped in would be loaded into every cached workflow's sandbox, or fail determinism at run time.
 */
function bundleCode(): string {
  const codePath = process.env.DONDOC_TEST_BUNDLE;
  if (!codePath) throw new Error('No workflow bundle: run the tests with "npm test"');
  return fs.readFileSync(codePath, 'utf8');
}

test('the workflow bundle holds workflows/ and domain/ and the SDK, nothing else', () => {
  const code = bundleCode();
  const packages = new Set([...code.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/g)].map((m) => m[1]!));
  expect([...packages].filter((p) => !['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc'].includes(p))).toEqual([]);
  const ours = new Set([...code.matchAll(/"\.\/((?:[\w-]+\/)+)[\w.-]+\.ts"/g)].map((m) => m[1]!.split('/')[0]!));
  expect(ours.has('workflows')).toBe(true);
  expect([...ours].filter((folder) => !['workflows', 'domain'].includes(folder))).toEqual([]);
  expect(code).not.toMatch(/node_modules\/zod\//);
});
