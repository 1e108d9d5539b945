import type { Blob, Match, SkippedItem } from '../../types.js';
import { CatFile } from './cat-file.js';
import { firstLine, runGit } from './exec.js';
import { isLfsPointer, LFS_REASON } from './lfs.js';

// The index against HEAD (pre-commit): which staged files changed, which of their lines are added, and the
// staged blobs themselves. One `git diff --cached -U0 --full-index` gives both the staged blob ids and the
// added line ranges; an unborn branch (the first commit) diffs against the empty tree by itself.
// Runs git through exec.ts only, and honours GIT_INDEX_FILE (git sets it for hooks of `commit -a`/`commit FILE`).

export class StagedError extends Error {}

export interface StagedFile {
  path: string;
  /** Blob id of the staged content. */
  oid: string;
  mode: string;
  /** Added line ranges, 1-based and inclusive. */
  added: [number, number][];
  binary?: boolean;
}

export interface StagedChanges {
  root: string;
  /** No commit yet: everything staged is new. */
  initial: boolean;
  files: StagedFile[];
  skipped: SkippedItem[];
}

/** Finds the repository's top level; a clear error outside a repository or in a bare one. */
export async function stagedRoot(cwd: string): Promise<{ root: string; initial: boolean }> {
  // One spawn for both: the top level, then HEAD's commit (exit 1 and no second line on an unborn branch).
  const r = await runGit(cwd, ['rev-parse', '--show-toplevel', '--verify', '-q', 'HEAD^{commit}'], { allowFail: true });
  const lines = r.stdout.toString('utf8').split('\n').filter(Boolean);
  if (lines.length === 0) {
    const why = firstLine(r.stderr);
    if (/not a git repository/i.test(why)) throw new StagedError(`${cwd} is not a git repository`);
    if (/must be run in a work tree/i.test(why))
      throw new StagedError(`${cwd}: staged needs a work tree (this is a bare repository)`);
    throw new StagedError(`${cwd}: ${why || 'git rev-parse failed'}`);
  }
  return { root: lines[0], initial: r.code !== 0 || lines.length < 2 };
}

const DIFF_ARGS = [
  '-c',
  'core.quotePath=false',
  'diff',
  '--cached',
  '-U0',
  '--inter-hunk-context=0',
  '--full-index',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '-M',
  '--diff-filter=ACMRT',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

export async function stagedChanges(cwd: string): Promise<StagedChanges> {
  const { root, initial } = await stagedRoot(cwd);
  const r = await runGit(root, DIFF_ARGS, { allowFail: true });
  if (r.code !== 0) throw new StagedError(`git diff --cached failed: ${firstLine(r.stderr) || `exit ${r.code}`}`);
  const { files, skipped } = parseStagedDiff(r.stdout);
  return { root, initial, files, skipped };
}

/** Parses `git diff --cached -U0 --full-index` output. Hunk bodies are skipped by their counted lengths. */
export function parseStagedDiff(out: Buffer): { files: StagedFile[]; skipped: SkippedItem[] } {
  const files: StagedFile[] = [];
  const skipped: SkippedItem[] = [];
  let cur: StagedFile | undefined;
  let pos = 0;
  const len = out.length;
  const nextLine = (): string | undefined => {
    if (pos >= len) return undefined;
    let end = out.indexOf(10, pos);
    if (end === -1) end = len;
    const line = out.toString('utf8', pos, end);
    pos = end + 1;
    return line;
  };
  const skipLine = () => {
    const end = out.indexOf(10, pos);
    pos = end === -1 ? len : end + 1;
  };
  const finish = () => {
    if (!cur) return;
    if (cur.mode === '160000') skipped.push({ path: cur.path, reason: 'submodule: not followed' });
    else if (cur.mode === '120000') {
      // a symlink's content is its target path
    } else if (cur.path && cur.oid && (cur.added.length || cur.binary)) files.push(cur);
    cur = undefined;
  };
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    if (line.startsWith('diff --git ')) {
      finish();
      cur = { path: '', oid: '', mode: '100644', added: [] };
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('index ')) {
      const m = /^index [0-9a-f]+\.\.([0-9a-f]+)(?: (\d+))?/.exec(line);
      if (m) {
        cur.oid = m[1];
        if (m[2]) cur.mode = m[2];
      }
    } else if (line.startsWith('new file mode ') || line.startsWith('new mode ')) {
      cur.mode = line.slice(line.lastIndexOf(' ') + 1);
    } else if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      if (p !== '/dev/null') cur.path = unquote(p).replace(/^b\//, '');
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      cur.path ||= unquote(line.slice(line.indexOf(' to ') + 4));
    } else if (line.startsWith('Binary files ')) {
      cur.binary = true;
      const m = / and (.*) differ$/.exec(line);
      if (m && m[1] !== '/dev/null') cur.path ||= unquote(m[1]).replace(/^b\//, '');
    } else if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      const removed = m[1] === undefined ? 1 : Number(m[1]);
      const start = Number(m[2]);
      const count = m[3] === undefined ? 1 : Number(m[3]);
      if (count > 0) cur.added.push([start, start + count - 1]);
      // Skip the hunk body by count: an added line may itself look like a header.
      let body = removed + count;
      while (body > 0 && pos < len) {
        if (out[pos] === 92 /* '\' No newline at end of file */) {
          skipLine();
          continue;
        }
        skipLine();
        body--;
      }
    }
  }
  finish();
  return { files, skipped };
}

/** Undoes git's C-style quoting of unusual path names. */
export function unquote(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const body = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
    if (n in simple) bytes.push(simple[n]);
    else if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function onAddedLine(file: StagedFile, line: number): boolean {
  for (const [a, b] of file.added) if (line >= a && line <= b) return true;
  return false;
}

/** The staged blobs of `files`, read through one cat-file process; skips are named. */
export async function* stagedBlobs(
  root: string,
  files: StagedFile[],
  maxFileSize: number,
  skipped: SkippedItem[],
  looksBinary: (head: Uint8Array) => boolean,
): AsyncGenerator<Blob> {
  const cat = new CatFile(root);
  const byOid = new Map<string, StagedFile[]>();
  for (const f of files) {
    if (f.binary) {
      skipped.push({ path: f.path, reason: 'binary file' });
      continue;
    }
    const list = byOid.get(f.oid);
    if (list) list.push(f);
    else byOid.set(f.oid, [f]);
  }
  try {
    for await (const o of cat.read([...byOid.keys()], { maxSize: maxFileSize })) {
      for (const f of byOid.get(o.oid) ?? []) {
        if (o.missing || o.error)
          skipped.push({ path: f.path, reason: `cannot read staged blob ${o.oid}: ${o.error}` });
        else if (o.tooLarge)
          skipped.push({ path: f.path, reason: `larger than the maximum file size (${o.size} bytes)` });
        else if (o.bytes && isLfsPointer(o.bytes)) skipped.push({ path: f.path, reason: LFS_REASON });
        else if (o.bytes && looksBinary(o.bytes.subarray(0, 8000)))
          skipped.push({ path: f.path, reason: 'binary file' });
        else if (o.bytes) yield { oid: o.oid, path: f.path, bytes: o.bytes };
      }
    }
  } finally {
    cat.close();
  }
}

/** Keeps matches on added lines of their staged file. */
export function onAddedLines(matches: Match[], files: StagedFile[]): Match[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return matches.filter((m) => {
    const f = byPath.get(m.path);
    return f ? onAddedLine(f, m.line) : false;
  });
}
