import type { Blob, SkippedItem } from '../../types.js';
import type { CatFile, CatFileObject } from './cat-file.js';
import { runGit } from './exec.js';
import { buildIndex, type HistoryIndex } from './history-index.js';
import { isLfsPointer, LFS_REASON } from './lfs.js';
import { Provenance, treeBlobs } from './provenance.js';
import { openRepo, RepoError, type RepoInfo, resolveCommit } from './repo.js';

// A history source: the distinct blobs reachable from the chosen revisions, streamed once each from
// cat-file, plus the provenance that expands a blob's matches into all its (path, commit) occurrences.

export interface HistorySourceOptions {
  /** Narrow to these refs or revisions (default: every ref, HEAD included). */
  refs?: string[];
  /** Only commits reachable from `head` and not from `base` (a pull request). */
  range?: { base: string; head: string };
  /** Paths never scanned (config allow.paths); true = skip. */
  skipPath?: (path: string) => boolean;
}

export interface Classified {
  blob?: Blob;
  skip?: SkippedItem;
  /** The skip is a property of the content (cacheable): too large, LFS pointer, not a blob. */
  permanent?: boolean;
}

export class HistorySource {
  readonly notes: string[] = [];
  readonly skipped: SkippedItem[] = [];
  /** Commits of the range (range scans): base-side commits are excluded from occurrences. */
  rangeCommits?: { base: string; head: string; mergeBase?: string };
  private constructor(
    readonly repo: RepoInfo,
    readonly index: HistoryIndex,
    readonly provenance: Provenance,
    private readonly scanIds: string[],
  ) {}

  static async open(target: string | RepoInfo, opts: HistorySourceOptions = {}): Promise<HistorySource> {
    const repo = typeof target === 'string' ? await openRepo(target) : target;
    const notes: string[] = [];
    let revs: string[];
    let range: HistorySource['rangeCommits'];
    if (repo.empty) {
      notes.push('the repository has no commits yet: nothing to scan');
      revs = [];
    } else if (opts.range) {
      const base = await resolveCommit(repo.dir, opts.range.base);
      const head = await resolveCommit(repo.dir, opts.range.head);
      revs = [head, `^${base}`];
      range = { base, head };
    } else if (opts.refs?.length) {
      for (const r of opts.refs) await resolveCommit(repo.dir, r);
      revs = opts.refs;
    } else {
      revs = ['--all'];
    }
    if (repo.shallow) {
      notes.push(
        'shallow clone: history before the shallow boundary is not in this repository and was not scanned (fetch with --unshallow for a full scan)',
      );
    }
    if (repo.bare) notes.push('bare repository');
    if (repo.linkedWorktree) notes.push(`linked worktree of ${repo.commonDir}`);
    // HEAD's tree is listed while the index is built (both are git's work; neither needs the other).
    const headListing = repo.defaultBranch
      ? treeBlobs(repo.dir, repo.defaultBranch.commit).then(
          (tree) => ({ tree }),
          (err: Error) => ({ err }),
        )
      : undefined;
    const index = await buildIndex(repo.dir, { revs });
    // Refs that point at a blob or a tree (rare, but reachable): their blobs count too, with no commit.
    if (!range) {
      const wanted = opts.refs?.length ? new Set(opts.refs) : undefined;
      for (const r of repo.refs) {
        if (r.commit || (wanted && !wanted.has(r.name) && ![...wanted].some((n) => r.name.endsWith(`/${n}`)))) continue;
        if (r.type === 'blob') {
          index.add(r.target, r.name, -1);
          index.looseRefs.set(index.internPath(r.name), r.name);
        } else if (r.type === 'tree') {
          for (const [p, oid] of await treeBlobs(repo.dir, r.target).catch(() => new Map<string, string>())) {
            const name = `${r.name}:${p}`;
            index.add(oid, name, -1);
            index.looseRefs.set(index.internPath(name), r.name);
          }
        }
      }
    }
    const skipPath = opts.skipPath;
    const refNames = opts.refs?.length ? new Set(opts.refs) : undefined;
    const refs = refNames
      ? repo.refs.filter((r) => refNames.has(r.name) || [...refNames].some((n) => r.name.endsWith(`/${n}`)))
      : repo.refs;
    let headTree: Map<string, string> | undefined;
    if (repo.defaultBranch && headListing) {
      const listed = await headListing;
      if ('tree' in listed) headTree = listed.tree;
      else
        notes.push(
          `cannot list ${repo.defaultBranch.ref} (${listed.err.message}): whether secrets are still in HEAD is unknown`,
        );
    }
    const provenance = new Provenance({
      index,
      refs,
      headTree,
      keepPath: skipPath ? (p) => !skipPath(p) : undefined,
    });
    const scanIds: string[] = [];
    for (const oid of index.blobs.keys()) if (provenance.pairs(oid).length > 0) scanIds.push(oid);
    const src = new HistorySource(repo, index, provenance, scanIds);
    src.notes.push(...notes);
    src.rangeCommits = range;
    src.skipped.push(...index.skipped);
    for (const p of new Set(index.gitlinks.map((g) => g.path))) {
      src.skipped.push({ path: p, reason: 'submodule: not followed (use --submodules)' });
    }
    if (index.brokenCommits.length) {
      src.notes.push(`${index.brokenCommits.length} commit(s) could not be read and were skipped`);
    }
    return src;
  }

  /** Distinct blob ids to read, in order of first introduction. */
  blobIds(): string[] {
    return this.scanIds;
  }

  /** Where a blob was first introduced: the path and commit its matches carry. */
  first(oid: string): { path: string; commit: string } {
    const p = this.provenance.pairs(oid);
    if (p.length === 0) return { path: oid, commit: '' };
    return { path: this.index.paths[p[0]], commit: this.index.commits[p[1]]?.oid ?? '' };
  }

  /** Turns a cat-file reply into a blob to scan or a named skip. */
  classify(o: CatFileObject, maxFileSize: number): Classified {
    const { path, commit } = this.first(o.oid);
    const where = `${path} (blob ${o.oid.slice(0, 12)} at ${commit.slice(0, 12)})`;
    if (o.missing) return { skip: { path: where, reason: 'object missing from the repository: skipped' } };
    if (o.error) return { skip: { path: where, reason: `cannot read object: ${o.error}` } };
    if (o.tooLarge) {
      return {
        skip: { path: where, reason: `larger than the maximum file size (${o.size} > ${maxFileSize} bytes)` },
        permanent: true,
      };
    }
    if (o.type !== 'blob' || !o.bytes)
      return { skip: { path: where, reason: `not a blob (${o.type})` }, permanent: true };
    if (isLfsPointer(o.bytes)) return { skip: { path: where, reason: LFS_REASON }, permanent: true };
    return { blob: { oid: o.oid, path, commit, bytes: o.bytes } };
  }

  /** Streams the given blobs from cat-file; skips go to `skipped` (and `onSkip`, for the cache). */
  async *blobs(
    oids: string[],
    cat: CatFile,
    maxFileSize: number,
    onSkip?: (oid: string, skip: SkippedItem, permanent: boolean) => void,
  ): AsyncGenerator<Blob> {
    for await (const o of cat.read(oids, { maxSize: maxFileSize })) {
      const c = this.classify(o, maxFileSize);
      if (c.blob) yield c.blob;
      else if (c.skip) {
        this.skipped.push(c.skip);
        onSkip?.(o.oid, c.skip, Boolean(c.permanent));
      }
    }
  }

  /** Base-side blob ids of the paths a range touched: at BASE and at the merge base. */
  async baseBlobs(): Promise<Map<string, string>> {
    if (!this.rangeCommits) return new Map();
    const { base, head } = this.rangeCommits;
    const touched = new Set(this.index.paths);
    const out = new Map<string, string>();
    const mb = await runGit(this.repo.dir, ['merge-base', base, head], { allowFail: true });
    const sides = [base];
    const mergeBase = mb.code === 0 ? mb.stdout.toString('utf8').trim() : '';
    if (mergeBase && mergeBase !== base) sides.push(mergeBase);
    this.rangeCommits.mergeBase = mergeBase || undefined;
    for (const side of sides) {
      const tree = await treeBlobs(this.repo.dir, side).catch((err: Error) => {
        this.notes.push(
          `cannot list the base side ${side.slice(0, 12)} (${err.message}): its secrets may be reported as new`,
        );
        return new Map<string, string>();
      });
      for (const [p, oid] of tree) if (touched.has(p) && !out.has(oid)) out.set(oid, p);
    }
    return out;
  }
}

export { RepoError };
