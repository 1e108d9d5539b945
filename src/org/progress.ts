// Progress of an org scan on stderr: on a terminal, one bar (repositories done/total, blobs, MB, MB/s, what is in
// flight) redrawn in place with cli-progress; elsewhere (CI logs) one plain line per finished repository.

export interface RepoLine {
  repo: string;
  status: 'scanned' | 'unchanged' | 'failed';
  blobs: number;
  cached: number;
  matches: number;
  ms: number;
  detail?: string;
}

export interface OrgProgress {
  total(n: number): void;
  start(repo: string): void;
  blob(bytes: number): void;
  done(line: RepoLine): void;
  note(msg: string): void;
  stop(): void;
}

export const SILENT: OrgProgress = { total() {}, start() {}, blob() {}, done() {}, note() {}, stop() {} };

function describe(l: RepoLine): string {
  if (l.status === 'failed') return `${l.repo}: failed: ${l.detail ?? ''}`;
  if (l.status === 'unchanged') return `${l.repo}: unchanged (${l.matches} matches from the store)`;
  return `${l.repo}: ${l.blobs} blobs scanned${l.cached ? `, ${l.cached} cached` : ''}, ${l.matches} matches, ${(l.ms / 1000).toFixed(1)} s${l.detail ? ` (${l.detail})` : ''}`;
}

/** Plain log lines (not a terminal): `keyscope org: [12/50] acme/api: 40 blobs scanned, 2 matches, 0.3 s`. */
export function lineProgress(write: (s: string) => void = (s) => process.stderr.write(s)): OrgProgress {
  let total = 0;
  let done = 0;
  return {
    total(n) {
      total = n;
    },
    start() {},
    blob() {},
    done(l) {
      done++;
      write(`keyscope org: [${done}/${total}] ${describe(l)}\n`);
    },
    note(msg) {
      write(`keyscope org: ${msg}\n`);
    },
    stop() {},
  };
}

/** A terminal bar. cli-progress is loaded by the caller only when stderr is a TTY. */
export function barProgress(cliProgress: typeof import('cli-progress')): OrgProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'repos {bar} {value}/{total} · {blobs} blobs · {mb} MB · {rate} MB/s · {active}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      fps: 8,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const active = new Set<string>();
  let blobs = 0;
  let bytes = 0;
  let done = 0;
  let running = false;
  const payload = () => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const names = [...active];
    return {
      blobs,
      mb: (bytes / 1e6).toFixed(1),
      rate: (bytes / 1e6 / secs).toFixed(1),
      active: names.length ? `${names.slice(0, 2).join(', ')}${names.length > 2 ? ` +${names.length - 2}` : ''}` : '',
    };
  };
  return {
    total(n) {
      bar.start(n, 0, payload());
      running = true;
    },
    start(repo) {
      active.add(repo);
      if (running) bar.update(done, payload());
    },
    blob(b) {
      blobs++;
      bytes += b;
      if (running && blobs % 64 === 0) bar.update(done, payload());
    },
    done(l) {
      active.delete(l.repo);
      done++;
      if (!running) return;
      if (l.status === 'failed') {
        // A failure is worth a line of its own above the bar.
        bar.stop();
        process.stderr.write(`keyscope org: ${describe(l)}\n`);
        bar.start(bar.getTotal(), done, payload());
      } else bar.update(done, payload());
    },
    note(msg) {
      if (running) bar.stop();
      process.stderr.write(`keyscope org: ${msg}\n`);
      if (running) bar.start(bar.getTotal(), done, payload());
    },
    stop() {
      if (running) {
        bar.update(done, payload());
        bar.stop();
      }
      running = false;
    },
  };
}
