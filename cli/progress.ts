import { SingleBar, Presets } from 'cli-progress';
import { isInteractive } from '../config';

/**
 * A progress display for long operations: a bar on a terminal; in CI or a pipe, a line every 10% so logs stay
 * readable.
 */
export function createProgress(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  if (isInteractive()) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {value}/{total} ({percentage}%) · còn {eta_formatted}`, hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (total === 0) return;
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastDecile = -1;
  return {
    update(done, total) {
      if (total === 0) return;
      const decile = Math.floor((done / total) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {},
  };
}
