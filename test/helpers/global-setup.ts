import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
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
  const timeSkipping = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer } },
  });
  await registerSearchAttributes(timeSkipping.connection, 'default');
  const dev = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCli },
      ip: '127.0.0.1',
      ui: false,
      namespace: 'default',
      extraArgs: Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    },
  });
  globalThis.__DONDOC_ENVS__ = [timeSkipping, dev];
  process.env.DONDOC_TEST_TS_ADDRESS = timeSkipping.address;
  process.env.DONDOC_TEST_DEV_ADDRESS = dev.address;

  const bundleDir = path.join(ROOT, '.cache/test-bundle');
  fs.mkdirSync(bundleDir, { recursive: true });
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows/index.ts'),
    logger: new DefaultLogger('WARN'),
  });
  const codePath = path.join(bundleDir, 'workflow-bundle.js');
  fs.writeFileSync(codePath, code);
  process.env.DONDOC_TEST_BUNDLE = codePath;
  process.stderr.write(
    `\n[dondoc tests] time-skipping server ${timeSkipping.address}, dev server ${dev.address}, bundle ready in ${Date.now() - started} ms\n`,
  );
}
