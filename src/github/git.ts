import { execFileSync } from 'node:child_process';

// The little git the action needs around the scan itself: are the event's commits here (fetch them if not),
// merge bases, and which lines a pull request adds, so annotations land on the exact added lines only.

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' },
  });
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args).trim();
  } catch {
    return undefined;
  }
}

export function hasCommit(cwd: string, sha: string): boolean {
  return tryGit(cwd, ['cat-file', '-e', `${sha}^{commit}`]) !== undefined;
}

/** A shallow checkout may lack the event's commits: fetch them by id (GitHub serves reachable ids). */
export function ensureCommit(cwd: string, sha: string): boolean {
  if (hasCommit(cwd, sha)) return true;
  tryGit(cwd, ['fetch', '--no-tags', '--quiet', '--no-recurse-submodules', 'origin', sha]);
  return hasCommit(cwd, sha);
}

export function isShallow(cwd: string): boolean {
  return tryGit(cwd, ['rev-parse', '--is-shallow-repository']) === 'true';
}

export function mergeBase(cwd: string, a: string, b: string): string | undefined {
  return tryGit(cwd, ['merge-base', a, b]) || undefined;
}

export function resolveRef(cwd: string, ref: string): string | undefined {
  return tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) || undefined;
}

export function parentOf(cwd: string, sha: string): string | undefined {
  return resolveRef(cwd, `${sha}^`);
}

/** Unquotes a path as git's C-style quoting writes it ("a\tb", octal escapes for bytes). */
export function unquotePath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[i + 1];
    if (/[0-7]/.test(n ?? '')) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Lines added per file (new-side line numbers, 1-based) in a unified=0 diff. */
export function parseAddedLines(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      if (target === '/dev/null') {
        current = undefined;
        continue;
      }
      const file = unquotePath(target).replace(/^b\//, '');
      current = out.get(file) ?? new Set<number>();
      out.set(file, current);
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && current) {
      const start = Number(h[1]);
      const count = h[2] === undefined ? 1 : Number(h[2]);
      for (let k = 0; k < count; k++) current.add(start + k);
    }
  }
  return out;
}

/**
 * What `head` adds relative to where it forked from `base` — the pull request's "Files changed" view
 * (three-dot diff); two-dot when no merge base is known (shallow clones).
 */
export function addedLines(cwd: string, base: string, head: string): Map<string, Set<number>> {
  const mb = mergeBase(cwd, base, head);
  const diff = git(cwd, [
    '-c',
    'core.quotePath=false',
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--unified=0',
    '--find-renames',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    mb ?? base,
    head,
  ]);
  return parseAddedLines(diff);
}

/** Blob ids of `rev:path` specs, one `git cat-file --batch-check` for all; missing specs are left out. */
export function blobIds(cwd: string, specs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const clean = specs.filter((s) => !/[\n\r]/.test(s));
  if (!clean.length) return out;
  let text: string;
  try {
    text = git(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${clean.join('\n')}\n`);
  } catch {
    return out;
  }
  const lines = text.split('\n');
  clean.forEach((spec, i) => {
    const m = /^([0-9a-f]{40,64}) blob$/.exec(lines[i] ?? '');
    if (m) out.set(spec, m[1]);
  });
  return out;
}
