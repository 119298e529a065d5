/** Latency summary of a list of samples, in the samples' unit (nearest-rank percentiles). */
export interface Summary {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** Nearest-rank percentile summary; all fields are NaN for an empty list. */
export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1] ?? NaN, count: sorted.length };
}

export { runPool } from '../services/pool';
