import { DefaultLogger, Runtime } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { createActivities, outboxFolder } from '../activities';
import { checkLedgerForCluster, ConfigError, type DondocConfig } from '../config';
import { startDevServer, type DevServer } from '../services/dev-server';
import { importExampleOnce, migrateLegacyPlans } from '../services/import-plan';
import { resolveLinkSecret } from '../services/link-secret';
import { connectClient, connectWorker } from '../services/temporal-connection';
import { buildWebApp } from '../web/app';
import { checkWebExposure, webStartupWarnings } from '../web/exposure';
import { createWorker } from '../workers/create-worker';
import { createProgress } from './progress';

/**
 * The main job on embedded defaults: Temporal dev server (SQLite file in the data folder), worker, web server,
 * the example plan imported (idempotent: a restart imports nothing new). Ctrl-C stops all of it.
 */
export async function runStart(config: DondocConfig, opts: { importExample: boolean }): Promise<void> {
  const say = (s: string): void => {
    process.stdout.write(`${s}\n`);
  };
  checkLedgerForCluster(config);
  // Before anything starts: an open board reachable from elsewhere is refused (exit 2).
  checkWebExposure(config);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let devServer: DevServer | undefined;
  if (!config.temporal.address) devServer = await startDevServer(config, say);
  const [client, connection] = await Promise.all([connectClient(config), connectWorker(config)]);
  const linkSecret = resolveLinkSecret(config);
  const outboxDir = config.mail.smtpUrl ? undefined : outboxFolder(config);
  const worker = await createWorker({
    config,
    connection,
    activities: createActivities({ config, client, linkSecret }),
  });
  const workerDone = worker.run();
  const web = await buildWebApp({ client, config, linkSecret, dataDir: config.dataDir, outboxDir });
  await web.listen({ host: config.web.host, port: config.web.port });

  // An install from before plans lived in Temporal: its plans and directories move into their workflows once.
  const moved = await migrateLegacyPlans(config.dataDir, {
    client,
    taskQueue: config.temporal.taskQueue,
    reminderHour: config.reminderHour,
  });
  if (moved.length > 0)
    say(
      `Đã chuyển ${moved.length} kế hoạch từ thư mục dữ liệu vào Temporal (${moved.join(', ')}); tệp cũ đổi tên *.migrated.`,
    );

  if (opts.importExample) {
    const plan = path.resolve(config.examplePlan);
    if (fs.existsSync(plan)) {
      const progress = createProgress('Nhập kế hoạch mẫu');
      const summary = await importExampleOnce(plan, {
        client,
        taskQueue: config.temporal.taskQueue,
        dataDir: config.dataDir,
        reminderHour: config.reminderHour,
        delivery: config.delivery,
        onProgress: progress.update,
      });
      progress.stop();
      say(
        summary.kept
          ? `Kế hoạch mẫu ${summary.planId} đã có từ lần chạy trước: giữ nguyên (không nhập lại tệp mẫu đè lên các điều chỉnh). Muốn nhập lại: dondoc import ${plan}`
          : `Kế hoạch mẫu ${summary.planId}: ${summary.started} nhiệm vụ mới, ${summary.unchanged} đã có, ${summary.amended} điều chỉnh.`,
      );
    } else say(`Không thấy kế hoạch mẫu ${plan} (DONDOC_EXAMPLE_PLAN).`);
  }

  say('');
  say('dondoc đang chạy:');
  say(`  Bảng theo dõi (board):  ${config.web.publicUrl}/`);
  if (devServer?.uiUrl) say(`  Temporal UI:            ${devServer.uiUrl}`);
  say(`  Temporal:               ${config.temporal.address ?? devServer?.address}`);
  say(
    outboxDir
      ? `  Hộp thư đi (outbox):    ${path.resolve(outboxDir)}  ·  ${config.web.publicUrl}/outbox`
      : '  Thư gửi qua SMTP',
  );
  say(`  Dữ liệu (data):         ${path.resolve(config.dataDir)}`);
  for (const w of webStartupWarnings(config)) say(w);
  say('Nhấn Ctrl-C để dừng.');

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say('Đang dừng…');
  await web.close();
  // The SDK's runtime also reacts to SIGINT/SIGTERM by draining its workers; shut down only if it has not.
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await workerDone;
  await connection.close();
  await client.connection.close();
  await devServer?.stop();
  say('Đã dừng.');
}

/**
 * The web server alone (`dondoc web`), for a deployment on a Temporal cluster: it reads and acts through Temporal
 * at DONDOC_TEMPORAL_ADDRESS and runs no worker. Ctrl-C or SIGTERM stops it.
 */
export async function runWeb(config: DondocConfig): Promise<void> {
  if (!config.temporal.address)
    throw new ConfigError([
      'TEMPORAL_ADDRESS: dondoc web cần địa chỉ máy chủ Temporal đang chạy (để chạy tất cả trên một máy, dùng dondoc start)',
    ]);
  checkWebExposure(config);
  for (const w of webStartupWarnings(config)) process.stderr.write(`${w}\n`);
  const client = await connectClient(config);
  const outboxDir = config.mail.smtpUrl ? undefined : outboxFolder(config);
  const web = await buildWebApp({
    client,
    config,
    linkSecret: resolveLinkSecret(config),
    dataDir: config.dataDir,
    outboxDir,
  });
  await web.listen({ host: config.web.host, port: config.web.port });
  process.stderr.write(
    `dondoc web: http://${config.web.host}:${config.web.port} (${config.web.publicUrl}), Temporal ${config.temporal.address}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await web.close();
  await client.connection.close();
}
