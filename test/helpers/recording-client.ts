import type { Client } from '@temporalio/client';

/** A Temporal client that records any use and fails it: for doors that must refuse before asking Temporal. */
export function recordingClient(): { client: Client; uses: string[] } {
  const uses: string[] = [];
  const client = new Proxy(
    {},
    {
      get(_t, prop) {
        uses.push(String(prop));
        throw new Error(`client.${String(prop)} used`);
      },
    },
  ) as unknown as Client;
  return { client, uses };
}
