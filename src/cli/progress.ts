import type { CommonOptions } from './shared.js';

// Progress on a terminal only (stderr), so machine output on stdout stays clean. cli-progress is loaded lazily.
export interface Progress {
  tick(bytes: number): void;
  stop(): void;
}

const NONE: Progress = { tick() {}, stop() {} };

export function startProgress(opts: Pick<CommonOptions, 'quiet'>, unit: string): Progress {
  if (opts.quiet || !process.stderr.isTTY) return NONE;
  let count = 0;
  let bytes = 0;
  const started = Date.now();
  let last = 0;
  const render = (final = false) => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const mbps = bytes / 1e6 / secs;
    process.stderr.write(
      `\r\x1b[2K${count} ${unit}, ${(bytes / 1e6).toFixed(1)} MB, ${mbps.toFixed(1)} MB/s${final ? '\n' : ''}`,
    );
  };
  return {
    tick(b: number) {
      count++;
      bytes += b;
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        render();
      }
    },
    stop() {
      if (count > 0) render(true);
    },
  };
}
