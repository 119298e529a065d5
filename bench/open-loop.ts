/**
 * Open-loop load: requests start at Poisson arrival times of a fixed rate, whether or not earlier ones have
 * answered, so a slow answer shows as latency rather than as a lower rate (what a person clicking a link sees).
 */

/** A seeded uniform generator in (0, 1) (mulberry32): the same arrivals for the same seed. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967298;
  };
}

/** Arrival offsets (ms) of a Poisson process of `ratePerSec` over `seconds`. */
export function poissonArrivals(ratePerSec: number, seconds: number, seed = 1): number[] {
  const next = uniform(seed);
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t += (-Math.log(next()) / ratePerSec) * 1000;
    if (t >= seconds * 1000) return out;
    out.push(t);
  }
}

/**
 * Calls `fn(i)` at each arrival and resolves with every call's latency (ms) once all have answered. A call that
 * throws counts as failed; its latency is still recorded.
 */
export async function runOpenLoop(
  arrivals: number[],
  fn: (i: number) => Promise<boolean>,
): Promise<{ latencies: number[]; failed: number; lagMs: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let lagMs = 0;
  const t0 = performance.now();
  const calls: Promise<void>[] = [];
  for (const [i, offset] of arrivals.entries()) {
    const wait = t0 + offset - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // How far behind its arrival time a request left (the load generator's own lag).
    lagMs = Math.max(lagMs, performance.now() - (t0 + offset));
    const start = performance.now();
    calls.push(
      fn(i)
        .then((ok) => {
          if (!ok) failed += 1;
        })
        .catch(() => {
          failed += 1;
        })
        .finally(() => {
          latencies.push(performance.now() - start);
        }),
    );
  }
  await Promise.all(calls);
  return { latencies, failed, lagMs };
}
