/** Free TCP ports on the loopback interface. */
import net from 'node:net';

/** Whether nothing listens on host:port (a listener on 0.0.0.0 also makes 127.0.0.1 busy). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The first free port at or after `from` that is not in `taken`. Scanning from a conventional port (7233 for
 * Temporal, 5433 for a second PostgreSQL) keeps addresses predictable on a machine that runs one cluster.
 */
export async function findFreePort(from: number, taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let port = from; port < 65536; port += 1) {
    if (!taken.has(port) && (await isPortFree(port))) return port;
  }
  throw new Error(`Không còn cổng trống từ ${from} (no free port at or above ${from})`);
}
