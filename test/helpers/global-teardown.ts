export default async function globalTeardown(): Promise<void> {
  for (const env of globalThis.__DONDOC_ENVS__ ?? []) await env.teardown();
}
