import type { SkippedItem } from '../../types.js';
import { lastLine, runGit, spawnGit } from './exec.js';

// The history index: for every (blob, path) pair reachable from the chosen revisions, the commit that
// introduced it = the first commit, in topological order (parents first, ties by date), whose tree has
// that blob at that path while none of its parents' trees does. `git diff-tree -c` gives exactly this:
// for a normal commit it lists paths that differ from the parent, for a merge the paths whose result
// differs from *every* parent (so a secret the merge itself adds counts, one merged from a side branch
// does not). Renames are off on purpose: the new path is a new (blob, path) pair introduced by the
// rename commit, the old one keeps its own introduction.

export interface CommitMeta {
  oid: string;
  parents: string[];
  author: string;
  /** Author date, UTC ISO 8601. */
  date: string;
}

export interface BlobEntry {
  oid: string;
  /** Flattened (pathIndex, commitIndex) pairs in order of introduction. */
  occ: number[];
  /** Lookup for blobs at many paths (an empty file, a licence). */
  seen?: Set<number>;
}

export interface Gitlink {
  path: string;
  /** The submodule commit recorded in the tree. */
  target: string;
  commit: number;
}

export class HistoryIndex {
  readonly commits: CommitMeta[] = [];
  readonly commitIndex = new Map<string, number>();
  readonly paths: string[] = [];
  private readonly pathIndex = new Map<string, number>();
  /** Insertion order = order of first introduction. */
  readonly blobs = new Map<string, BlobEntry>();
  readonly gitlinks: Gitlink[] = [];
  readonly skipped: SkippedItem[] = [];
  symlinks = 0;
  /** Blobs reached from a ref that points at a blob or a tree (no commit): path index → ref name. */
  readonly looseRefs = new Map<number, string>();
  /** Commits whose trees git could not read. */
  readonly brokenCommits: string[] = [];

  internPath(p: string): number {
    let i = this.pathIndex.get(p);
    if (i === undefined) {
      i = this.paths.length;
      this.paths.push(p);
      this.pathIndex.set(p, i);
    }
    return i;
  }

  /** Records that `commit` introduced `blob` at `path`, unless an earlier commit already did. */
  add(blob: string, path: string, commit: number): void {
    const p = this.internPath(path);
    let e = this.blobs.get(blob);
    if (!e) {
      e = { oid: blob, occ: [p, commit] };
      this.blobs.set(blob, e);
      return;
    }
    if (e.seen) {
      if (e.seen.has(p)) return;
      e.seen.add(p);
    } else {
      for (let i = 0; i < e.occ.length; i += 2) if (e.occ[i] === p) return;
      if (e.occ.length >= 16) {
        e.seen = new Set();
        for (let i = 0; i < e.occ.length; i += 2) e.seen.add(e.occ[i]);
        e.seen.add(p);
      }
    }
    e.occ.push(p, commit);
  }

  /** Number of (blob, path) pairs. */
  get pairs(): number {
    let n = 0;
    for (const e of this.blobs.values()) n += e.occ.length / 2;
    return n;
  }
}

export interface BuildIndexOptions {
  /** Revision arguments for `git log`: ['--all'], a list of refs, or ['HEAD', '^BASE']. */
  revs: string[];
}

/** Lists commits (parents before children) with author and date. */
export async function listCommits(dir: string, revs: string[]): Promise<CommitMeta[]> {
  const r = await runGit(dir, [
    'log',
    '--no-color',
    '--date-order',
    '--reverse',
    '--format=%H%x00%P%x00%an <%ae>%x00%at',
    ...revs,
    '--',
  ]);
  const commits: CommitMeta[] = [];
  const text = r.stdout.toString('utf8');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line) continue;
    const [oid, parents, author, at] = line.split('\0');
    commits.push({
      oid,
      parents: parents ? parents.split(' ') : [],
      author,
      date: new Date(Number(at) * 1000).toISOString(),
    });
  }
  return commits;
}

/** Builds the index for `revs`: one `git log` for the commits, one streaming `git diff-tree --stdin` for trees. */
export async function buildIndex(dir: string, opts: BuildIndexOptions): Promise<HistoryIndex> {
  const index = new HistoryIndex();
  if (opts.revs.length === 0) return index;
  const commits = await listCommits(dir, opts.revs);
  for (const c of commits) {
    index.commitIndex.set(c.oid, index.commits.length);
    index.commits.push(c);
  }
  await diffTrees(dir, index, 0);
  return index;
}

/** Feeds commits from `from` on to diff-tree; when git dies on an unreadable tree, names the commit and goes on. */
async function diffTrees(dir: string, index: HistoryIndex, from: number): Promise<void> {
  let next = from;
  let restarts = 0;
  while (next < index.commits.length) {
    const r = await diffTreeRun(dir, index, next);
    if (r.ok) return;
    // The commit after the last one git printed is the one whose tree could not be read.
    const bad = index.commits[r.next];
    if (!bad) return;
    index.brokenCommits.push(bad.oid);
    index.skipped.push({ path: `commit ${bad.oid}`, reason: `cannot read its tree: ${r.error}` });
    next = r.next + 1;
    if (++restarts > 1000) {
      index.skipped.push({
        path: `commit ${index.commits[next]?.oid ?? ''}`,
        reason: 'too many unreadable commits; stopped',
      });
      return;
    }
  }
}

interface RunOutcome {
  ok: boolean;
  /** First commit not fully processed. */
  next: number;
  error?: string;
}

function diffTreeRun(dir: string, index: HistoryIndex, from: number): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const child = spawnGit(dir, [
      'diff-tree',
      '--stdin',
      '--always',
      '-r',
      '-c',
      '--root',
      '--no-renames',
      '--no-abbrev',
      '-z',
    ]);
    // --always: a header for every commit, even with an empty diff, so a failure can be placed.
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (c: Buffer) => stderr.push(c));
    child.stdin!.on('error', () => {});
    let current = from - 1;
    let partial: Buffer | null = null;
    let pendingEntry: string | null = null;
    const onToken = (tok: string) => {
      if (pendingEntry !== null) {
        handleEntry(index, pendingEntry, tok, current);
        pendingEntry = null;
        return;
      }
      if (tok.charCodeAt(0) === 58 /* ':' */) {
        pendingEntry = tok;
        return;
      }
      // A commit header: the next commit in input order.
      const ci = index.commitIndex.get(tok);
      if (ci !== undefined) current = ci;
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      const buf = partial ? Buffer.concat([partial, chunk]) : chunk;
      partial = null;
      let start = 0;
      for (let i = buf.indexOf(0, start); i !== -1; i = buf.indexOf(0, start)) {
        onToken(buf.toString('utf8', start, i));
        start = i + 1;
      }
      if (start < buf.length) partial = Buffer.from(buf.subarray(start));
    });
    child.on('close', (code) => {
      if (partial?.length) onToken(partial.toString('utf8'));
      if (code === 0) resolve({ ok: true, next: index.commits.length });
      else {
        resolve({
          ok: false,
          next: current + 1,
          error: lastLine(Buffer.concat(stderr).toString('utf8')) || `exit ${code}`,
        });
      }
    });
    child.on('error', (e) => resolve({ ok: false, next: current + 1, error: e.message }));
    // Write all commit ids; the pipe applies backpressure.
    const stdin = child.stdin!;
    let i = from;
    const pump = () => {
      while (i < index.commits.length) {
        const end = Math.min(i + 512, index.commits.length);
        let s = '';
        for (let k = i; k < end; k++) s += `${index.commits[k].oid}\n`;
        i = end;
        if (!stdin.write(s)) {
          stdin.once('drain', pump);
          return;
        }
      }
      stdin.end();
    };
    pump();
  });
}

/** One raw diff entry: `:mode.. oid.. STATUS` (one colon per parent) followed by its path. */
function handleEntry(index: HistoryIndex, entry: string, path: string, commit: number): void {
  if (commit < 0) return;
  let n = 0;
  while (entry.charCodeAt(n) === 58) n++;
  const fields = entry.slice(n).split(' ');
  // n parents: n+1 modes, n+1 oids, then the status letters.
  const mode = fields[n];
  const oid = fields[2 * n + 1];
  // Every touched path is interned, deletions too: range scans look at the base versions of all of them.
  index.internPath(path);
  if (!oid || mode === '000000') return;
  if (mode === '100644' || mode === '100755') index.add(oid, path, commit);
  else if (mode === '160000') index.gitlinks.push({ path, target: oid, commit });
  else if (mode === '120000') index.symlinks++;
}
