import pLimit from 'p-limit';
import { Detector, ENGINE_VERSION, type GlobalAllow } from '../detect/engine.js';
import { groupMatches } from '../detect/group.js';
import { type LoadRulesOptions, loadRules, rulesetVersion } from '../detect/rules/load.js';
import type { RuleSpec } from '../detect/rules/schema.js';
import { defaultWorkers } from '../detect/scan.js';
import { filterRepos, listRepos, type OrgRepo, type RepoFilters } from '../github/org.js';
import type { ExposureContext, RepoExposure } from '../risk/types.js';
import { scanKeyOf } from '../store/blob-cache.js';
import type { Finding, Match, Occurrence, SkippedItem } from '../types.js';
import type { OrgProgress } from './progress.js';
import { type RepoOutcome, scanRepo } from './scan-repo.js';
import { inShard, type Shard, shardLabel } from './shard.js';
import { OrgState, type RunRecord, scopeOf } from './state.js';

// The org run loop: list the owner's repositories, keep this shard's share, sync and scan them a few at a time, and
// join their matches into one finding per secret value across repositories. Each repository's result is committed
// as soon as it is complete, so a killed run resumes where it stopped and an unchanged repository costs one fetch.

export interface OrgRunOptions {
  owner: string;
  token?: string;
  baseUrl?: string;
  filters: RepoFilters;
  shard?: Shard;
  mirrorsDir: string;
  dbFile: string;
  /** Repositories in flight at once. */
  concurrency: number;
  /** Matching threads per repository; undefined = in-thread for small repositories, a pool for large ones. */
  workers?: number;
  /** Pool size for large repositories when `workers` is undefined. */
  poolWorkers?: number;
  rules: LoadRulesOptions;
  specs: RuleSpec[];
  allow: GlobalAllow;
  maxFileSize: number;
  skipPatterns: string[];
  progress: OrgProgress;
  /** Tests: die abruptly (SIGKILL) once this many repositories are committed. */
  stopAfter?: number;
  /** Longest rate-limit window waited out (seconds). */
  maxRateLimitWait?: number;
}

export interface OrgRunStats {
  filesScanned: number;
  blobsScanned: number;
  bytesScanned: number;
  skipped: SkippedItem[];
  blobsTotal: number;
  blobsCached: number;
  commits: number;
  skippedCommon: number;
  repositories: {
    listed: number;
    selected: number;
    scanned: number;
    unchanged: number;
    failed: number;
    excluded: number;
    otherShards: number;
    cloned: number;
  };
  api: { requests: number; rateLimited: number };
  run: { id: number; resumed: boolean; previousRun: number | null };
  shard?: string;
}

export interface OrgRunResult {
  findings: Finding[];
  stats: OrgRunStats;
  exposure: ExposureContext;
  kind: 'org' | 'user';
  repos: OrgRepo[];
  state: OrgState;
  run: RunRecord;
  scope: string;
}

/** Repositories packed under this size are matched in-thread with the shared detector (no worker start-up). */
export const SMALL_REPO_BYTES = 32 << 20;

export function exposureOf(repos: OrgRepo[]): ExposureContext {
  const map: Record<string, RepoExposure> = {};
  for (const r of repos) {
    map[r.fullName] = {
      visibility: r.visibility,
      forks: r.forks,
      ...(r.defaultBranch ? { defaultBranch: r.defaultBranch } : {}),
      archived: r.archived,
    };
  }
  return { repos: map };
}

export async function runOrg(opts: OrgRunOptions): Promise<OrgRunResult> {
  // Compiled before any network or git work: a rule RE2 cannot compile stops the run (exit 2), not each repository.
  const detector = Detector.create(loadRules(opts.rules), opts.allow);
  const listing = await listRepos({
    owner: opts.owner,
    token: opts.token,
    baseUrl: opts.baseUrl,
    maxWaitSeconds: opts.maxRateLimitWait,
    log: (m) => opts.progress.note(m),
  });
  const filtered = filterRepos(listing.repos, opts.filters);
  const repos = filtered.kept.filter((r) => inShard(r.fullName, opts.shard));
  const shard = opts.shard && opts.shard.count > 1 ? shardLabel(opts.shard) : undefined;

  const state = OrgState.open(opts.dbFile);
  const scope = scopeOf(opts.owner, shard);
  const previous = state.lastCompletedRun(scope);
  const { run, resumed } = state.beginRun(scope, opts.owner, shard);
  if (resumed) opts.progress.note(`resuming run ${run.id} (started ${run.startedAt}, interrupted)`);

  const scanKey = scanKeyOf({
    format: 'org-1',
    rules: rulesetVersion(opts.specs, ENGINE_VERSION),
    allow: opts.allow,
    maxFileSize: opts.maxFileSize,
    skip: opts.skipPatterns,
  });
  const heavyGate = pLimit(1);
  const pool = opts.poolWorkers ?? defaultWorkers();

  const outcomes = new Map<string, RepoOutcome>();
  let committed = 0;
  const limit = pLimit(Math.max(1, opts.concurrency));
  opts.progress.total(repos.length);
  await Promise.all(
    repos.map((repo) =>
      limit(async () => {
        opts.progress.start(repo.fullName);
        const out = await scanRepo(repo, {
          state,
          dbFile: opts.dbFile,
          mirrorsDir: opts.mirrorsDir,
          token: opts.token,
          scanKey,
          runId: run.id,
          rules: opts.rules,
          specs: opts.specs,
          allow: opts.allow,
          maxFileSize: opts.maxFileSize,
          skipPatterns: opts.skipPatterns,
          workersFor: (bytes) => opts.workers ?? (bytes < SMALL_REPO_BYTES ? 0 : pool),
          detector: () => detector,
          heavy: (fn) => heavyGate(fn),
          onBlob: (size) => opts.progress.blob(size),
        });
        outcomes.set(repo.fullName, out);
        for (const n of out.notes) opts.progress.note(`${repo.fullName}: ${n}`);
        opts.progress.done({
          repo: repo.fullName,
          status: out.status,
          blobs: out.blobsScanned,
          cached: out.blobsCached,
          matches: out.matches.length,
          ms: out.ms,
          detail: out.status === 'failed' ? `${out.error}${out.stale ? ' (keeping its last results)' : ''}` : undefined,
        });
        committed++;
        if (opts.stopAfter !== undefined && committed >= opts.stopAfter) process.kill(process.pid, 'SIGKILL');
      }),
    ),
  );
  opts.progress.stop();

  // Deterministic order whatever finished first: repositories by name, each one's matches in scan order.
  const matches: Match[] = [];
  const occ = new Map<Match, Occurrence[]>();
  const stats: OrgRunStats = {
    filesScanned: 0,
    blobsScanned: 0,
    bytesScanned: 0,
    skipped: [],
    blobsTotal: 0,
    blobsCached: 0,
    commits: 0,
    skippedCommon: 0,
    repositories: {
      listed: listing.repos.length,
      selected: repos.length,
      scanned: 0,
      unchanged: 0,
      failed: 0,
      excluded: filtered.excluded.length,
      otherShards: filtered.kept.length - repos.length,
      cloned: 0,
    },
    api: { requests: listing.requests, rateLimited: listing.rateLimited },
    run: { id: run.id, resumed, previousRun: previous?.id ?? null },
    ...(shard ? { shard } : {}),
  };
  for (const repo of repos) {
    const o = outcomes.get(repo.fullName);
    if (!o) continue;
    stats.repositories[o.status]++;
    if (o.mirror === 'cloned') stats.repositories.cloned++;
    if (o.status === 'failed') stats.skipped.push({ path: repo.fullName, reason: o.error ?? 'failed' });
    stats.filesScanned += o.filesScanned;
    stats.blobsScanned += o.blobsScanned;
    stats.bytesScanned += o.bytesScanned;
    stats.blobsTotal += o.blobsTotal;
    stats.blobsCached += o.blobsCached;
    stats.commits += o.commits;
    stats.skippedCommon += o.skippedCommon;
    stats.skipped.push(...o.skipped);
    for (const m of o.matches) {
      matches.push(m);
      occ.set(m, o.occurrences.get(m) ?? []);
    }
  }
  const findings = groupMatches(matches, (m) => occ.get(m) ?? []);
  return { findings, stats, exposure: exposureOf(repos), kind: listing.kind, repos, state, run, scope };
}
