import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Detector, GlobalAllow } from '../detect/engine.js';
import { fingerprint } from '../detect/fingerprint.js';
import type { LoadRulesOptions } from '../detect/rules/load.js';
import type { RuleSpec } from '../detect/rules/schema.js';
import type { OrgRepo } from '../github/org.js';
import { CatFile } from '../sources/git/cat-file.js';
import { scanHistory } from '../sources/git/scan-history.js';
import { fromCached, toCached } from '../store/blob-cache.js';
import type { Match, Occurrence, SkippedItem } from '../types.js';
import { mirrorPath, mirrorSize, readRefs, sameRefs, syncMirror } from './mirror.js';
import type { OrgState, RepoRecord, StoredMatch } from './state.js';

// One repository of an org scan: bring its mirror up to date, and either take its matches from the store (refs
// unchanged since its last complete scan under the same rules) or scan its history through the shared blob cache
// (only blobs never seen before are matched). The outcome is committed to the store in one statement.

export interface RepoScanContext {
  state: OrgState;
  /** The SQLite file (blob cache shared with the org state). */
  dbFile: string;
  mirrorsDir: string;
  token?: string;
  /** Identifies rules + detection options: stored results under another key are stale. */
  scanKey: string;
  runId: number;
  rules: LoadRulesOptions;
  specs: RuleSpec[];
  allow: GlobalAllow;
  maxFileSize: number;
  skipPatterns: string[];
  /** Worker threads for this repository (0 = in-thread with the shared detector). */
  workersFor: (packedBytes: number) => number;
  detector: () => Detector;
  /** Serialises the repositories that get a worker pool, so thread count and memory stay bounded. */
  heavy: <T>(fn: () => Promise<T>) => Promise<T>;
  onBlob?: (size: number) => void;
}

export interface RepoOutcome {
  repo: OrgRepo;
  status: 'scanned' | 'unchanged' | 'failed';
  matches: Match[];
  occurrences: Map<Match, Occurrence[]>;
  /** Failed repositories keep the matches of their last complete scan, when the mirror still has them. */
  stale?: boolean;
  error?: string;
  filesScanned: number;
  blobsScanned: number;
  bytesScanned: number;
  blobsTotal: number;
  blobsCached: number;
  commits: number;
  skipped: SkippedItem[];
  /** Skips that every history has plenty of (binary files, LFS pointers): counted, not listed. */
  skippedCommon: number;
  notes: string[];
  mirror?: 'cloned' | 'fetched';
  ms: number;
}

const COMMON_SKIPS = /^(binary file|git lfs pointer)/i;

function empty(repo: OrgRepo, status: RepoOutcome['status'], t0: number): RepoOutcome {
  return {
    repo,
    status,
    matches: [],
    occurrences: new Map(),
    filesScanned: 0,
    blobsScanned: 0,
    bytesScanned: 0,
    blobsTotal: 0,
    blobsCached: 0,
    commits: 0,
    skipped: [],
    skippedCommon: 0,
    notes: [],
    ms: Date.now() - t0,
  };
}

function meta(
  repo: OrgRepo,
): Omit<RepoRecord, 'refs' | 'scanKey' | 'results' | 'stats' | 'scannedAt' | 'runId' | 'error'> {
  return {
    fullName: repo.fullName,
    owner: repo.owner,
    name: repo.name,
    visibility: repo.visibility,
    fork: repo.fork,
    forks: repo.forks,
    archived: repo.archived,
    defaultBranch: repo.defaultBranch,
    cloneUrl: repo.cloneUrl,
  };
}

/** Matches back from the store: the values are cut out of the mirror's blobs and checked against their hashes. */
export async function rebuildFromStore(
  dir: string,
  fullName: string,
  stored: StoredMatch[],
): Promise<{ matches: Match[]; occurrences: Map<Match, Occurrence[]> } | undefined> {
  const matches: Match[] = [];
  const occurrences = new Map<Match, Occurrence[]>();
  if (!stored.length) return { matches, occurrences };
  const oids = [...new Set(stored.map((s) => s.blob))];
  const bytes = new Map<string, Buffer>();
  const cat = new CatFile(dir);
  try {
    for await (const o of cat.read(oids)) if (o.bytes) bytes.set(o.oid, o.bytes);
  } finally {
    cat.close();
  }
  for (const s of stored) {
    const b = bytes.get(s.blob);
    if (!b) return undefined;
    const m = fromCached(s.c, b, { oid: s.blob, path: s.path, commit: s.commit, repo: fullName });
    if (!m || fingerprint(m.secret) !== s.id) return undefined;
    matches.push(m);
    occurrences.set(m, s.occ);
  }
  return { matches, occurrences };
}

export async function scanRepo(repo: OrgRepo, ctx: RepoScanContext): Promise<RepoOutcome> {
  const t0 = Date.now();
  const prev = ctx.state.getRepo(repo.fullName);
  try {
    return await syncAndScan(repo, ctx, prev, t0);
  } catch (err) {
    const error = (err as Error).message;
    const out = empty(repo, 'failed', t0);
    out.error = error;
    // Tonight's failure must not make last night's keys look resolved: keep what the last complete scan found.
    const dir = mirrorPath(ctx.mirrorsDir, repo.fullName);
    if (prev?.results && prev.scanKey === ctx.scanKey && existsSync(path.join(dir, 'HEAD'))) {
      const kept = await rebuildFromStore(dir, repo.fullName, prev.results).catch(() => undefined);
      if (kept) {
        out.matches = kept.matches;
        out.occurrences = kept.occurrences;
        out.stale = true;
      }
    }
    ctx.state.putRepo({ ...(prev ?? {}), ...meta(repo), error, runId: ctx.runId });
    out.ms = Date.now() - t0;
    return out;
  }
}

async function syncAndScan(
  repo: OrgRepo,
  ctx: RepoScanContext,
  prev: RepoRecord | undefined,
  t0: number,
): Promise<RepoOutcome> {
  const mirror = await syncMirror(repo.fullName, repo.cloneUrl, { mirrorsDir: ctx.mirrorsDir, token: ctx.token });

  const refs = await readRefs(mirror.dir);
  if (prev?.results && prev.scanKey === ctx.scanKey && sameRefs(prev.refs, refs)) {
    const kept = await rebuildFromStore(mirror.dir, repo.fullName, prev.results).catch(() => undefined);
    if (kept) {
      ctx.state.putRepo({ ...prev, ...meta(repo), error: undefined, runId: ctx.runId });
      const out = empty(repo, 'unchanged', t0);
      out.matches = kept.matches;
      out.occurrences = kept.occurrences;
      out.mirror = mirror.action;
      out.commits = Number(prev.stats?.commits ?? 0);
      out.ms = Date.now() - t0;
      return out;
    }
  }

  const workers = ctx.workersFor(await mirrorSize(mirror.dir));
  const run = () =>
    scanHistory({
      target: mirror.dir,
      rules: ctx.rules,
      specs: ctx.specs,
      allow: ctx.allow,
      workers,
      ...(workers === 0 ? { detector: ctx.detector() } : {}),
      maxFileSize: ctx.maxFileSize,
      skipPatterns: ctx.skipPatterns,
      cache: ctx.dbFile,
      onBlob: ctx.onBlob,
    });
  let res: Awaited<ReturnType<typeof scanHistory>>;
  try {
    res = workers > 0 ? await ctx.heavy(run) : await run();
  } catch (err) {
    throw new Error(`scan failed: ${(err as Error).message}`);
  }

  const matches: Match[] = [];
  const occurrences = new Map<Match, Occurrence[]>();
  for (const m of res.matches) {
    m.repo = repo.fullName;
    matches.push(m);
    occurrences.set(
      m,
      res.occurrencesOf(m).map((o) => ({ ...o, repo: repo.fullName })),
    );
  }
  // Companions are stored as positions: locating them needs the blob's bytes once more.
  const needBytes = [...new Set(matches.filter((m) => m.companions && m.blobOid).map((m) => m.blobOid!))];
  const bytes = new Map<string, Buffer>();
  if (needBytes.length) {
    const cat = new CatFile(mirror.dir);
    try {
      for await (const o of cat.read(needBytes)) if (o.bytes) bytes.set(o.oid, o.bytes);
    } finally {
      cat.close();
    }
  }
  const stored: StoredMatch[] = [];
  let storable = true;
  for (const m of matches) {
    const c = m.blobOid ? toCached(m, bytes.get(m.blobOid)) : undefined;
    if (!c) {
      storable = false;
      break;
    }
    stored.push({
      id: fingerprint(m.secret),
      blob: m.blobOid!,
      path: m.path,
      ...(m.commit ? { commit: m.commit } : {}),
      c,
      occ: occurrences.get(m) ?? [],
    });
  }

  const out = empty(repo, 'scanned', t0);
  out.matches = matches;
  out.occurrences = occurrences;
  out.mirror = mirror.action;
  out.filesScanned = res.stats.filesScanned;
  out.blobsScanned = res.stats.blobsScanned;
  out.bytesScanned = res.stats.bytesScanned;
  out.blobsTotal = res.stats.blobsTotal;
  out.blobsCached = res.stats.blobsCached;
  out.commits = res.stats.commits;
  for (const s of res.stats.skipped) {
    if (COMMON_SKIPS.test(s.reason)) out.skippedCommon++;
    else out.skipped.push({ path: `${repo.fullName}:${s.path}`, reason: s.reason });
  }
  out.notes = res.stats.notes.filter((n) => n !== 'bare repository' && !n.startsWith('the repository has no commits'));

  // A match the store cannot hold (should not happen) leaves the refs unrecorded: the next run scans again.
  ctx.state.putRepo({
    ...meta(repo),
    refs: storable ? refs : undefined,
    scanKey: ctx.scanKey,
    results: storable ? stored : undefined,
    stats: {
      filesScanned: out.filesScanned,
      blobsTotal: out.blobsTotal,
      commits: out.commits,
      bytesScanned: out.bytesScanned,
    },
    scannedAt: new Date().toISOString(),
    runId: ctx.runId,
  });
  out.ms = Date.now() - t0;
  return out;
}
