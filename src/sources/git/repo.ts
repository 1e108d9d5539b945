import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { firstLine, runGit } from './exec.js';

// What kind of repository a target is, before any scanning: bare or not, a linked worktree, shallow,
// empty, its default branch and refs. Plumbing runs through simple-git; streaming commands use exec.ts.

export class RepoError extends Error {}

export interface RefInfo {
  name: string;
  /** The commit the ref points at (annotated tags peeled), undefined when it points at no commit. */
  commit?: string;
  /** What the ref points at, once peeled: commit, tree, blob. */
  type: string;
  /** The object id once peeled (the blob for a tag of a blob). */
  target: string;
}

export interface RepoInfo {
  /** Folder where git commands run: the work tree top level, or the git dir of a bare repository. */
  dir: string;
  gitDir: string;
  commonDir: string;
  bare: boolean;
  /** A linked worktree (`git worktree add`), sharing the object store of another repository. */
  linkedWorktree: boolean;
  shallow: boolean;
  objectFormat: string;
  /** Commit of HEAD, undefined on an unborn branch. */
  head?: string;
  /** The default branch: origin/HEAD, else main, else master, else HEAD. */
  defaultBranch?: { ref: string; commit: string };
  refs: RefInfo[];
  /** No commit on any ref. */
  empty: boolean;
}

/** simple-git for one-shot plumbing. (It drops ambient GIT_* variables on its own; commands that must honour
 * them, such as the index path git exports to hooks, go through exec.ts.) */
export function plumbing(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, trimmed: false, maxConcurrentProcesses: 4 });
}

/** Inspects `target`; throws RepoError with a clear message when it is not a git repository. */
export async function openRepo(target: string): Promise<RepoInfo> {
  const abs = path.resolve(target);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) throw new RepoError(`${target}: no such file or directory`);
  const cwd = st.isDirectory() ? abs : path.dirname(abs);
  const probe = await runGit(
    cwd,
    ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir', '--git-common-dir'],
    { allowFail: true },
  );
  if (probe.code !== 0) {
    const why = firstLine(probe.stderr);
    if (/not a git repository/i.test(why)) throw new RepoError(`${target} is not a git repository`);
    throw new RepoError(`${target}: git cannot open this repository: ${why || `exit ${probe.code}`}`);
  }
  const [bareText, shallowText, gitDir, commonRaw] = probe.stdout.toString('utf8').trim().split('\n');
  const bare = bareText === 'true';
  const commonDir = path.resolve(cwd, commonRaw);
  // The remaining probes are independent: run them at once (each git start costs ~10–20 ms).
  const [top, format, refs, headRes] = await Promise.all([
    bare ? undefined : runGit(cwd, ['rev-parse', '--show-toplevel'], { allowFail: true }),
    runGit(cwd, ['rev-parse', '--show-object-format'], { allowFail: true }),
    listRefs(plumbing(cwd)),
    runGit(cwd, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFail: true }),
  ]);
  // Inside the .git folder of a non-bare repository there is no work tree: run from the git dir.
  const dir = top && top.code === 0 ? top.stdout.toString('utf8').trim() : gitDir;
  const objectFormat = format.code === 0 ? format.stdout.toString('utf8').trim() || 'sha1' : 'sha1';
  const head = headRes.code === 0 ? headRes.stdout.toString('utf8').trim() : undefined;
  const info: RepoInfo = {
    dir,
    gitDir,
    commonDir,
    bare,
    linkedWorktree: path.resolve(gitDir) !== commonDir,
    shallow: shallowText === 'true' || existsSync(path.join(commonDir, 'shallow')),
    objectFormat,
    head,
    refs,
    empty: !head && !refs.some((r) => r.commit),
  };
  info.defaultBranch = await defaultBranch(dir, refs, head);
  return info;
}

async function listRefs(git: SimpleGit): Promise<RefInfo[]> {
  const out = await git.raw([
    'for-each-ref',
    '--format=%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)',
  ]);
  const refs: RefInfo[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [name, oid, type, peeled, peeledType] = line.split('\0');
    const target = peeled || oid;
    const t = peeled ? peeledType : type;
    // A tag of a tag: let git peel it fully.
    refs.push({ name, target, type: t, commit: t === 'commit' ? target : undefined });
  }
  const nested = refs.filter((r) => r.type === 'tag');
  for (const r of nested) {
    const res = await git.raw(['rev-parse', `${r.name}^{}`]).catch(() => '');
    const oid = res.trim();
    if (!oid) continue;
    const t = (await git.raw(['cat-file', '-t', oid]).catch(() => '')).trim();
    r.target = oid;
    r.type = t;
    r.commit = t === 'commit' ? oid : undefined;
  }
  return refs;
}

async function defaultBranch(
  dir: string,
  refs: RefInfo[],
  head: string | undefined,
): Promise<{ ref: string; commit: string } | undefined> {
  const originHead = await runGit(dir, ['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'], { allowFail: true });
  const candidates: string[] = [];
  if (originHead.code === 0) candidates.push(originHead.stdout.toString('utf8').trim());
  candidates.push('refs/heads/main', 'refs/heads/master');
  for (const name of candidates) {
    const r = refs.find((x) => x.name === name);
    if (r?.commit) return { ref: name, commit: r.commit };
  }
  if (head) {
    const sym = await runGit(dir, ['symbolic-ref', '-q', 'HEAD'], { allowFail: true });
    return { ref: sym.code === 0 ? sym.stdout.toString('utf8').trim() : 'HEAD', commit: head };
  }
  return undefined;
}

/** Resolves a revision to a commit id, with a clear message when it does not exist. */
export async function resolveCommit(dir: string, rev: string): Promise<string> {
  const r = await runGit(dir, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], {
    allowFail: true,
  });
  if (r.code !== 0) throw new RepoError(`unknown revision ${JSON.stringify(rev)}: no such commit in this repository`);
  return r.stdout.toString('utf8').trim();
}
