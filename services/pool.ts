/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, in order of the items. Used wherever dondoc
 * talks to Temporal for many workflows at once (import, report compilation, the benchmark).
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}
