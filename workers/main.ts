/**
 * The worker process: `node dist/workers/main.js`. Runs every dondoc workflow and activity on the configured task
 * queue against the configured Temporal (a cluster in production: run as many as needed). Stops gracefully on
 * SIGINT/SIGTERM, letting running activities finish.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { checkLedgerForCluster, ConfigError, loadProcessConfig } from '../config';
import { resolveLinkSecret } from '../services/link-secret';
import { connectClient, connectWorker } from '../services/temporal-connection';
import { createReadinessProbe, serveWorkerHealth } from '../services/readiness';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadProcessConfig();
  checkLedgerForCluster(config);
  const [client, connection] = await Promise.all([connectClient(config), connectWorker(config)]);
  const worker = await createWorker({
    config,
    connection,
    activities: createActivities({ config, client, linkSecret: resolveLinkSecret(config) }),
  });
  // The SDK's runtime drains workers on SIGINT/SIGTERM itself; this covers a runtime configured otherwise.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    });
  const probe = createReadinessProbe(client, config);
  const health =
    config.healthPort === undefined
      ? undefined
      : await serveWorkerHealth(config.web.host, config.healthPort, () => worker.getState() === 'RUNNING', probe);
  process.stderr.write(
    `dondoc worker: task queue "${config.temporal.taskQueue}"` +
      (health ? `, /healthz /readyz on http://${config.web.host}:${config.healthPort}` : '') +
      '\n',
  );
  await worker.run();
  health?.close();
  await probe.close();
  await connection.close();
  await client.connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String(err instanceof Error ? err.stack : err)}\n`,
  );
  process.exit(err instanceof ConfigError ? 2 : 1);
});
