import type { Match, Occurrence } from '../../types.js';
import { runGit, splitNul } from './exec.js';
import type { HistoryIndex } from './history-index.js';
import type { RefInfo } from './repo.js';

// Provenance of history occurrences: which refs reach an introducing commit, and whether the secret is
// still in HEAD of the default branch. Computed once, after matching, only for the commits that matter.

/**
 * For each commit in `wanted`, the refs from which it is reachable. Ref bits flow from tips to ancestors
 * in one pass per 32 refs (children come after parents in the index), so memory is one word per commit.
 */
export function refsReaching(index: HistoryIndex, refs: RefInfo[], wanted: Iterable<number>): Map<number, string[]> {
  const want = [...new Set(wanted)].filter((c) => c >= 0 && c < index.commits.length);
  const out = new Map<number, string[]>();
  for (const c of want) out.set(c, []);
  if (want.length === 0) return out;
  const tips = refs
    .map((r) => ({ name: r.name, at: r.commit ? index.commitIndex.get(r.commit) : undefined }))
    .filter((r): r is { name: string; at: number } => r.at !== undefined)
    .sort((a, b) => refOrder(a.name) - refOrder(b.name) || a.name.localeCompare(b.name));
  const n = index.commits.length;
  const parents: number[][] = index.commits.map((c) => {
    const ps: number[] = [];
    for (const p of c.parents) {
      const i = index.commitIndex.get(p);
      if (i !== undefined) ps.push(i);
    }
    return ps;
  });
  const bits = new Uint32Array(n);
  for (let base = 0; base < tips.length; base += 32) {
    bits.fill(0);
    const chunk = tips.slice(base, base + 32);
    chunk.forEach((t, k) => {
      bits[t.at] |= 1 << k;
    });
    for (let i = n - 1; i >= 0; i--) {
      const b = bits[i];
      if (b === 0) continue;
      for (const p of parents[i]) bits[p] |= b;
    }
    for (const c of want) {
      const b = bits[c];
      if (b === 0) continue;
      const list = out.get(c)!;
      chunk.forEach((t, k) => {
        if (b & (1 << k)) list.push(t.name);
      });
    }
  }
  return out;
}

function refOrder(name: string): number {
  if (name.startsWith('refs/heads/')) return 0;
  if (name.startsWith('refs/remotes/')) return 1;
  if (name.startsWith('refs/tags/')) return 2;
  return 3;
}

/** path → blob id of a commit's tree (regular files only). */
export async function treeBlobs(dir: string, commit: string): Promise<Map<string, string>> {
  const r = await runGit(dir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const map = new Map<string, string>();
  for (const rec of splitNul(r.stdout)) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    if (type !== 'blob' || mode === '120000') continue;
    map.set(rec.slice(tab + 1), oid);
  }
  return map;
}

export interface ProvenanceInput {
  index: HistoryIndex;
  refs: RefInfo[];
  /** Default-branch HEAD tree: path → blob id. */
  headTree?: Map<string, string>;
  /** Only occurrences accepted by this filter (allow.paths). */
  keepPath?: (path: string) => boolean;
  /** Only occurrences introduced by these commits (range scans). */
  keepCommit?: (commit: number) => boolean;
  /** Prefix for paths (submodules). */
  pathPrefix?: string;
}

/** Expands a blob's match into every (path, commit) where that blob was introduced. */
export class Provenance {
  private refsByCommit = new Map<number, string[]>();
  /** blob id → secrets found in it, to tell whether HEAD's version of a path still holds a secret. */
  private secretsByBlob = new Map<string, Set<string>>();

  constructor(private readonly input: ProvenanceInput) {}

  /** Introducing (pathIndex, commitIndex) pairs of a blob after filters. */
  pairs(oid: string): number[] {
    const e = this.input.index.blobs.get(oid);
    if (!e) return [];
    const { keepPath, keepCommit, index } = this.input;
    if (!keepPath && !keepCommit) return e.occ;
    const out: number[] = [];
    for (let i = 0; i < e.occ.length; i += 2) {
      if (keepCommit && !keepCommit(e.occ[i + 1])) continue;
      if (keepPath && !keepPath(index.paths[e.occ[i]])) continue;
      out.push(e.occ[i], e.occ[i + 1]);
    }
    return out;
  }

  /** Call once with every match before occurrencesOf: computes refs for the commits that matter. */
  prepare(matches: Match[]): void {
    const wanted: number[] = [];
    for (const m of matches) {
      if (!m.blobOid) continue;
      let set = this.secretsByBlob.get(m.blobOid);
      if (!set) {
        set = new Set();
        this.secretsByBlob.set(m.blobOid, set);
      }
      set.add(m.secret);
      const p = this.pairs(m.blobOid);
      for (let i = 1; i < p.length; i += 2) wanted.push(p[i]);
    }
    this.refsByCommit = refsReaching(this.input.index, this.input.refs, wanted);
  }

  knows(oid: string): boolean {
    return this.input.index.blobs.has(oid);
  }

  occurrencesOf(m: Match): Occurrence[] {
    if (!m.blobOid) return [];
    const { index, headTree, pathPrefix = '' } = this.input;
    const p = this.pairs(m.blobOid);
    const out: Occurrence[] = [];
    for (let i = 0; i < p.length; i += 2) {
      const path = index.paths[p[i]];
      const commit = index.commits[p[i + 1]];
      const occ: Occurrence = commit
        ? {
            file: pathPrefix + path,
            line: m.line,
            column: m.column,
            commit: commit.oid,
            blobOid: m.blobOid,
            author: commit.author,
            date: commit.date,
            refs: this.refsByCommit.get(p[i + 1]) ?? [],
          }
        : // A tag of a blob or tree: no commit introduced it.
          {
            file: pathPrefix + path,
            line: m.line,
            column: m.column,
            blobOid: m.blobOid,
            refs: [index.looseRefs.get(p[i]) ?? path],
          };
      if (m.repo) occ.repo = m.repo;
      if (headTree) {
        const headBlob = headTree.get(path);
        occ.inHead =
          headBlob !== undefined &&
          (headBlob === m.blobOid || Boolean(this.secretsByBlob.get(headBlob)?.has(m.secret)));
      }
      out.push(occ);
    }
    return out;
  }

  /** Topological position of a commit, for ordering occurrences: the introducing commit comes first. */
  commitOrder(commit: string | undefined): number {
    if (!commit) return Number.MAX_SAFE_INTEGER;
    return this.input.index.commitIndex.get(commit) ?? Number.MAX_SAFE_INTEGER;
  }
}
