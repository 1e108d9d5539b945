import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { type Detector, ENGINE_VERSION, type GlobalAllow } from '../../detect/engine.js';
import { type LoadRulesOptions, loadRules, rulesetVersion } from '../../detect/rules/load.js';
import type { RuleSpec } from '../../detect/rules/schema.js';
import { defaultWorkers, MatchingPool, scanBlobs } from '../../detect/scan.js';
import {
  BlobCache,
  type CachedBlob,
  type CachedMatch,
  fromCached,
  scanKeyOf,
  toCached,
} from '../../store/blob-cache.js';
import type { Blob, Match, Occurrence, SkippedItem } from '../../types.js';
import { looksBinary } from '../files.js';
import { CatFile } from './cat-file.js';
import { runGit } from './exec.js';
import { HistorySource } from './history.js';
import { openRepo, type RepoInfo } from './repo.js';

// `history` and `history --range` end to end below the report: enumerate, consult the blob cache, stream the
// uncached blobs through the matcher once each, rebuild cached matches from positions, and hand back matches
// with a provenance lookup that expands each into its (path, commit) occurrences.

export interface HistoryScanOptions {
  target: string;
  /** The repository at `target`, when the caller has opened it already. */
  repo?: RepoInfo;
  refs?: string[];
  range?: { base: string; head: string };
  rules: LoadRulesOptions;
  /** The rules `rules` loads, when the caller has them already. */
  specs?: RuleSpec[];
  allow?: GlobalAllow;
  workers?: number;
  maxFileSize: number;
  /** Gitignore-style patterns of paths never scanned (config allow.paths). */
  skipPatterns?: string[];
  /** Cache file; false = no cache; undefined = `.keyscope/cache.db` in the repository. */
  cache?: string | false;
  onBlob?: (size: number) => void;
  /** Follow submodules whose repositories are present (their whole history), paths prefixed. */
  submodules?: boolean;
  /** A detector built once for many scans (org scans), used when matching in-thread (workers 0). */
  detector?: Detector;
}

export interface HistoryScanStats {
  filesScanned: number;
  blobsScanned: number;
  bytesScanned: number;
  skipped: SkippedItem[];
  commits: number;
  refs: number;
  blobsTotal: number;
  blobsCached: number;
  /** Blobs re-read (not re-scanned) to rebuild cached matches. */
  blobsReread: number;
  shallow: boolean;
  notes: string[];
  cacheFile?: string;
  enumerateMs: number;
}

export interface HistoryScanResult {
  matches: Match[];
  stats: HistoryScanStats;
  repo: RepoInfo;
  occurrencesOf: (m: Match) => Occurrence[];
  /** Topological position of a commit (0 = oldest): the introducing commit sorts first. */
  commitOrder: (commit: string | undefined) => number;
  range?: { base: string; head: string; mergeBase?: string };
}

const CACHE_FORMAT = 'history-cache-1';

export function defaultCacheFile(repo: RepoInfo): string {
  return path.join(repo.dir, '.keyscope', 'cache.db');
}

function skipMatcher(repo: RepoInfo, patterns: string[] = []): ((p: string) => boolean) | undefined {
  const ig = ignore();
  let any = false;
  if (patterns.length) {
    ig.add(patterns);
    any = true;
  }
  // A .keyscopeignore at the top of the work tree applies to history too (.gitignore does not: tracked files).
  const file = path.join(repo.dir, '.keyscopeignore');
  if (!repo.bare && existsSync(file)) {
    ig.add(readFileSync(file, 'utf8'));
    any = true;
  }
  return any ? (p) => ig.ignores(p) : undefined;
}

export async function scanHistory(opts: HistoryScanOptions): Promise<HistoryScanResult> {
  const specs = opts.specs ?? loadRules(opts.rules);
  const workers = opts.workers ?? defaultWorkers();
  // Workers start now, so that their start-up overlaps the enumeration below.
  const pool = workers > 0 ? MatchingPool.start(specs, opts.allow, workers) : undefined;
  try {
    return await scanHistoryWith(opts, specs, pool);
  } finally {
    await pool?.close();
  }
}

async function scanHistoryWith(
  opts: HistoryScanOptions,
  specs: RuleSpec[],
  pool: MatchingPool | undefined,
): Promise<HistoryScanResult> {
  const t0 = performance.now();
  const repo = opts.repo ?? (await openRepo(opts.target));
  const src = await HistorySource.open(repo, {
    refs: opts.refs,
    range: opts.range,
    skipPath: skipMatcher(repo, opts.skipPatterns),
  });
  const baseBlobs = opts.range ? await src.baseBlobs() : new Map<string, string>();
  const enumerateMs = performance.now() - t0;

  const pathDependent = specs.some((r) => r.paths.length > 0 || r.allow.paths.length > 0);
  const scanKey = scanKeyOf({
    format: CACHE_FORMAT,
    rules: rulesetVersion(specs, ENGINE_VERSION),
    allow: opts.allow ?? {},
    maxFileSize: opts.maxFileSize,
  });

  // Every blob to read once, with the path and commit its matches carry.
  const where = new Map<string, { path: string; commit?: string }>();
  for (const oid of src.blobIds()) where.set(oid, src.first(oid));
  for (const [oid, p] of baseBlobs) if (!where.has(oid)) where.set(oid, { path: p });
  const all = [...where.keys()];

  const cacheFile = opts.cache === false ? undefined : (opts.cache ?? defaultCacheFile(src.repo));
  let cache: BlobCache | undefined;
  let cached = new Map<string, CachedBlob>();
  const notes = [...src.notes];
  if (cacheFile) {
    try {
      cache = BlobCache.open(cacheFile);
      // Only this history's blobs: a cache shared by many repositories (org scans) is never loaded whole.
      cached = cache.load(scanKey, all);
    } catch (err) {
      notes.push(`blob cache ${cacheFile} unusable (${(err as Error).message}); scanning without it`);
      cache = undefined;
    }
  }

  const skipped: SkippedItem[] = [...src.skipped];
  const toScan: string[] = [];
  const toRebuild: string[] = [];
  let blobsCached = 0;
  for (const oid of all) {
    const hit = cached.get(oid);
    const w = where.get(oid)!;
    if (!hit || (pathDependent && hit.path !== w.path)) {
      toScan.push(oid);
      continue;
    }
    blobsCached++;
    if (hit.skip) skipped.push({ path: describe(oid, w), reason: hit.skip });
    else if (hit.matches.length) toRebuild.push(oid);
  }

  const cat = new CatFile(src.repo.dir);
  const matches: Match[] = [];
  const fresh: CachedBlob[] = [];
  const byBlob = new Map<string, Match[]>();
  let blobsScanned = 0;
  let bytesScanned = 0;
  try {
    // Rebuild cached matches first: a blob whose bytes no longer give the same values is scanned again.
    let blobsReread = 0;
    if (toRebuild.length) {
      for await (const o of cat.read(toRebuild, { maxSize: opts.maxFileSize })) {
        blobsReread++;
        const entry = cached.get(o.oid)!;
        const w = where.get(o.oid)!;
        const rebuilt = o.bytes ? rebuild(entry.matches, o.bytes, { oid: o.oid, ...w }) : undefined;
        if (rebuilt) matches.push(...rebuilt);
        else {
          blobsCached--;
          toScan.push(o.oid);
        }
      }
    }

    const source = async function* (): AsyncGenerator<Blob> {
      for await (const o of cat.read(toScan, { maxSize: opts.maxFileSize })) {
        const w = where.get(o.oid)!;
        const c = src.classify(o, opts.maxFileSize);
        let skip = c.skip;
        let permanent = Boolean(c.permanent);
        if (c.blob && looksBinary(c.blob.bytes.subarray(0, 8000))) {
          skip = { path: describe(o.oid, w), reason: 'binary file' };
          permanent = true;
        }
        if (skip) {
          skip.path = describe(o.oid, w);
          skipped.push(skip);
          if (permanent) fresh.push({ oid: o.oid, path: w.path, skip: skip.reason, matches: [] });
          continue;
        }
        const blob = c.blob!;
        blob.path = w.path;
        if (w.commit) blob.commit = w.commit;
        else delete blob.commit;
        yield blob;
      }
    };
    const res = await scanBlobs(source(), {
      rules: opts.rules,
      allow: opts.allow,
      workers: opts.workers,
      detector: opts.detector,
      pool,
      onBlob: (b, found) => {
        opts.onBlob?.(b.size);
        if (!b.oid) return;
        byBlob.set(b.oid, found);
      },
    });
    blobsScanned = res.blobsScanned;
    bytesScanned = res.bytesScanned;
    skipped.push(...res.skipped);
    matches.push(...res.matches);

    // Cache what was scanned. Companions are stored as positions too, which needs the bytes once more.
    const needBytes = [...byBlob.entries()].filter(([, ms]) => ms.some((m) => m.companions)).map(([oid]) => oid);
    const bytesOf = new Map<string, Buffer>();
    if (needBytes.length) {
      for await (const o of cat.read(needBytes, { maxSize: opts.maxFileSize }))
        if (o.bytes) bytesOf.set(o.oid, o.bytes);
    }
    for (const [oid, found] of byBlob) {
      const list: CachedMatch[] = [];
      let ok = true;
      for (const m of found) {
        const c = toCached(m, bytesOf.get(oid));
        if (!c) ok = false;
        else list.push(c);
      }
      if (ok) fresh.push({ oid, path: where.get(oid)?.path ?? found[0]?.path ?? '', matches: list });
    }
    if (cache) {
      try {
        cache.put(scanKey, fresh);
        cache.invalidateOthers(scanKey);
      } catch (err) {
        notes.push(`blob cache ${cacheFile} not updated: ${(err as Error).message}`);
      }
    }

    // Range: a value already present on the base side of the touched paths is not the range's doing.
    let kept = matches.filter(
      (m) => m.blobOid && src.provenance.knows(m.blobOid) && src.provenance.pairs(m.blobOid).length,
    );
    if (opts.range) {
      const baseSecrets = new Set(matches.filter((m) => m.blobOid && baseBlobs.has(m.blobOid)).map((m) => m.secret));
      kept = kept.filter((m) => !baseSecrets.has(m.secret));
    }
    // Deterministic order (workers finish in any order): blob by first introduction, then position.
    const rank = new Map(all.map((oid, i) => [oid, i]));
    kept.sort(
      (a, b) =>
        rank.get(a.blobOid!)! - rank.get(b.blobOid!)! || a.offset - b.offset || a.ruleId.localeCompare(b.ruleId),
    );
    src.provenance.prepare(kept);

    let occurrencesOf = (m: Match) => src.provenance.occurrencesOf(m);
    if (opts.submodules && src.index.gitlinks.length) {
      if (opts.range) notes.push('submodules are not followed in range scans');
      else {
        const sub = await scanSubmodules(
          src.repo,
          [...new Set(src.index.gitlinks.map((g) => g.path))],
          opts,
          cacheFile,
        );
        for (let i = skipped.length - 1; i >= 0; i--) {
          if (sub.followed.has(skipped[i].path) && skipped[i].reason.startsWith('submodule')) skipped.splice(i, 1);
        }
        skipped.push(...sub.skipped);
        notes.push(...sub.notes);
        kept.push(...sub.matches.keys());
        blobsScanned += sub.blobsScanned;
        bytesScanned += sub.bytesScanned;
        const own = occurrencesOf;
        occurrencesOf = (m) => {
          const from = sub.matches.get(m);
          return from ? from.occurrencesOf(m) : own(m);
        };
      }
    }

    const stats: HistoryScanStats = {
      filesScanned: src.index.pairs,
      blobsScanned,
      bytesScanned,
      skipped,
      commits: src.index.commits.length,
      refs: src.repo.refs.length,
      blobsTotal: all.length,
      blobsCached,
      blobsReread,
      shallow: src.repo.shallow,
      notes,
      enumerateMs: Math.round(enumerateMs),
    };
    if (cacheFile && cache) stats.cacheFile = cacheFile;
    return {
      matches: kept,
      stats,
      repo: src.repo,
      occurrencesOf,
      commitOrder: (c) => src.provenance.commitOrder(c),
      range: src.rangeCommits,
    };
  } finally {
    cat.close();
  }
}

interface SubmoduleScan {
  /** Prefixed match → how to expand it. */
  matches: Map<Match, { occurrencesOf: (m: Match) => Occurrence[] }>;
  followed: Set<string>;
  skipped: SkippedItem[];
  notes: string[];
  blobsScanned: number;
  bytesScanned: number;
}

/** Scans each submodule's own repository (when present) and prefixes its paths with the submodule path. */
async function scanSubmodules(
  repo: RepoInfo,
  paths: string[],
  opts: HistoryScanOptions,
  cacheFile: string | undefined,
): Promise<SubmoduleScan> {
  const out: SubmoduleScan = {
    matches: new Map(),
    followed: new Set(),
    skipped: [],
    notes: [],
    blobsScanned: 0,
    bytesScanned: 0,
  };
  const names = new Map<string, string>();
  if (repo.defaultBranch) {
    const r = await runGit(
      repo.dir,
      ['config', '-z', '--blob', `${repo.defaultBranch.commit}:.gitmodules`, '--get-regexp', '^submodule\\..*\\.path$'],
      { allowFail: true },
    );
    for (const rec of r.stdout.toString('utf8').split('\0')) {
      const nl = rec.indexOf('\n');
      if (nl < 0) continue;
      const key = rec.slice(0, nl);
      names.set(rec.slice(nl + 1), key.slice('submodule.'.length, -'.path'.length));
    }
  }
  for (const p of paths) {
    const candidates = [path.join(repo.commonDir, 'modules', names.get(p) ?? p)];
    if (!repo.bare) candidates.unshift(path.join(repo.dir, p));
    const dir = candidates.find((d) => existsSync(path.join(d, '.git')) || existsSync(path.join(d, 'HEAD')));
    if (!dir) {
      out.skipped.push({ path: p, reason: 'submodule: its repository is not present (git submodule update --init)' });
      continue;
    }
    try {
      const sub = await scanHistory({
        ...opts,
        target: dir,
        refs: undefined,
        range: undefined,
        cache: cacheFile ?? false,
      });
      out.followed.add(p);
      out.blobsScanned += sub.stats.blobsScanned;
      out.bytesScanned += sub.stats.bytesScanned;
      for (const s of sub.stats.skipped) out.skipped.push({ path: `${p}/${s.path}`, reason: s.reason });
      for (const n of sub.stats.notes) out.notes.push(`submodule ${p}: ${n}`);
      for (const m of sub.matches) {
        const prefixed: Match = { ...m, path: `${p}/${m.path}` };
        out.matches.set(prefixed, {
          occurrencesOf: () => sub.occurrencesOf(m).map((o) => ({ ...o, file: `${p}/${o.file}` })),
        });
      }
    } catch (err) {
      out.skipped.push({ path: p, reason: `submodule: cannot scan: ${(err as Error).message}` });
    }
  }
  return out;
}

function describe(oid: string, w: { path: string; commit?: string }): string {
  return w.commit
    ? `${w.path} (blob ${oid.slice(0, 12)} at ${w.commit.slice(0, 12)})`
    : `${w.path} (blob ${oid.slice(0, 12)})`;
}

function rebuild(
  list: CachedMatch[],
  bytes: Buffer,
  where: { oid: string; path: string; commit?: string },
): Match[] | undefined {
  const out: Match[] = [];
  for (const c of list) {
    const m = fromCached(c, bytes, where);
    if (!m) return undefined;
    out.push(m);
  }
  return out;
}
