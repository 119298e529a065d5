/**
 * What `/readyz` of the web server and of the worker answers: whether Temporal answers, and PostgreSQL when the
 * configuration uses it (the mail ledger). `/healthz` says only that the process is up. Messages never carry a
 * password or a URL.
 */
import http from 'node:http';
import type { Client } from '@temporalio/client';
import type { DondocConfig } from '../config';
import { createPool, type Pool } from '../storage/postgres';

export interface Readiness {
  ready: boolean;
  temporal: 'ok' | 'unreachable';
  database: 'ok' | 'unreachable' | 'not used';
}

export interface ReadinessProbe {
  check(): Promise<Readiness>;
  close(): Promise<void>;
}

/** A probe over the process's Temporal client and, when DONDOC_DATABASE_URL is set, a one-connection pool. */
export function createReadinessProbe(
  client: Client,
  config: Pick<DondocConfig, 'database'>,
  timeoutMs = 3000,
): ReadinessProbe {
  let pool: Pool | undefined;
  const url = config.database.url;
  return {
    async check() {
      let temporal: Readiness['temporal'] = 'ok';
      try {
        await client.connection.withDeadline(Date.now() + timeoutMs, () =>
          client.connection.workflowService.getSystemInfo({}),
        );
      } catch {
        temporal = 'unreachable';
      }
      let database: Readiness['database'] = 'not used';
      if (url !== undefined) {
        pool ??= createPool(url, { max: 1, connectionTimeoutMillis: timeoutMs, applicationName: 'dondoc-readiness' });
        database = await pool.query('SELECT 1').then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        );
      }
      return { ready: temporal === 'ok' && database !== 'unreachable', temporal, database };
    },
    async close() {
      await pool?.end().catch(() => undefined);
    },
  };
}

/**
 * The worker's health endpoints on `host:port`: `/healthz` 200 while the worker runs, `/readyz` 200 when Temporal
 * (and PostgreSQL, if used) answer, 503 otherwise, with the reasons as JSON.
 */
export function serveWorkerHealth(
  host: string,
  port: number,
  running: () => boolean,
  probe: ReadinessProbe,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return send(running() ? 200 : 503, { ok: running() });
    if (req.url === '/readyz') {
      probe.check().then(
        (r) => send(r.ready && running() ? 200 : 503, { ...r, worker: running() ? 'running' : 'stopped' }),
        () => send(503, { ready: false }),
      );
      return;
    }
    send(404, { error: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
