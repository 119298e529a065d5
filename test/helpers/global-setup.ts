import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundlerOptions } from '../../workers/bundle-options';
import { SEARCH_ATTRIBUTE_TYPES } from '../../workflows/definitions';
import { ROOT, temporalPaths } from './paths';
import { registerSearchAttributes } from './search-attributes';

declare global {
  var __DONDOC_ENVS__: TestWorkflowEnvironment[] | undefined;
}

/**
 * One Temporal time-skipping test server and one dev server for the whole run (no server per test file), and
 * the workflow bundle built once. Test files reach them through the environment variables set here.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DONDOC_TEST_NO_SERVER === '1') return;
  const { temporalCli, testServer } = temporalPaths();
  const started = Date.now();
  // The SDK gives each server about 5 s to answer; on a loaded two-core machine (or with a cold page cache after a
  // reboot: the CLI is a 250 MB binary) a server can miss that once.
  const timeSkipping = await startWithRetries('time-skipping server', () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
    }),
  );
  await registerSearchAttributes(timeSkipping.connection, 'default');
  const dev = await startWithRetries('dev server', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCli },
        ip: '127.0.0.1',
        ui: false,
        namespace: 'default',
        extraArgs: Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([name, type]) => [
          '--search-attribute',
          `${name}=${type}`,
        ]),
      },
    }),
  );
  globalThis.__DONDOC_ENVS__ = [timeSkipping, dev];
  process.env.DONDOC_TEST_TS_ADDRESS = timeSkipping.address;
  process.env.DONDOC_TEST_DEV_ADDRESS = dev.address;

  const bundleDir = path.join(ROOT, '.cache/test-bundle');
  fs.mkdirSync(bundleDir, { recursive: true });
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows/index.ts'),
    logger: new DefaultLogger('WARN'),
    ...workflowBundlerOptions(),
  });
  const codePath = path.join(bundleDir, 'workflow-bundle.js');
  fs.writeFileSync(codePath, code);
  process.env.DONDOC_TEST_BUNDLE = codePath;
  process.stderr.write(
    `\n[dondoc tests] time-skipping server ${timeSkipping.address}, dev server ${dev.address}, bundle ready in ${Date.now() - started} ms\n`,
  );
}

async function startWithRetries(
  name: string,
  start: () => Promise<TestWorkflowEnvironment>,
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 3) throw err;
      process.stderr.write(`[dondoc tests] ${name} did not start (attempt ${attempt}), trying again\n`);
    }
  }
}
