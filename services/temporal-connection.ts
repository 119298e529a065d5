import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { DondocConfig } from '../config';

/** The address dondoc talks to: the configured cluster, or the embedded dev server. */
export function temporalAddress(config: DondocConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
}

function tlsOptions(config: DondocConfig) {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  const read = (p?: string): Buffer | undefined => (p ? fs.readFileSync(p) : undefined);
  const cert = read(tls.certPath);
  const key = read(tls.keyPath);
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: read(tls.caPath),
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
  };
}

/** A client for the web, the CLI and activities (TLS and API key when configured). */
export async function connectClient(config: DondocConfig): Promise<Client> {
  const connection = await Connection.connect({
    address: temporalAddress(config),
    tls: tlsOptions(config),
    apiKey: config.temporal.apiKey,
  });
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** The worker's native connection. */
export async function connectWorker(config: DondocConfig): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: temporalAddress(config),
    tls: tlsOptions(config),
    apiKey: config.temporal.apiKey,
  });
}
