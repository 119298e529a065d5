/**
 * The one place the reader gets normalised schedules from: the shared timing rules of
 * `domain/timing`. Kept as a seam so the reader's tests and the evaluator follow any change there.
 */
import { parseTiming } from '../domain/timing';
import type { Schedule, TimingContext } from '../domain/types';

/**
 * Reads a verbatim timing text into a normalised schedule. Never throws; a text it cannot read
 * comes back with `confident: false` and a Vietnamese reason.
 */
export function readTiming(text: string, ctx: TimingContext): Schedule {
  return parseTiming(text, ctx);
}
