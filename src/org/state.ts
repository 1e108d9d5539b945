import type { CachedMatch } from '../store/blob-cache.js';
import { type Db, openDb, registerMigration } from '../store/db.js';
import type { Occurrence } from '../types.js';

// Org scan state in the shared SQLite file (next to the blob cache): per repository what was scanned (refs, scan
// key) and what it held (matches as positions + hashes, never secret values, with their occurrences); a run log;
// and per scope (owner + shard) the findings of the last completed run, for "new/resolved since last scan".
// A repository's row is replaced in one transaction once its scan is complete: a killed run loses at most the
// repositories that were in flight.

registerMigration(
  'org-1',
  `CREATE TABLE IF NOT EXISTS org_repos (
     full_name TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     name TEXT NOT NULL,
     visibility TEXT,
     fork INTEGER NOT NULL DEFAULT 0,
     forks INTEGER NOT NULL DEFAULT 0,
     archived INTEGER NOT NULL DEFAULT 0,
     default_branch TEXT,
     clone_url TEXT,
     refs TEXT,
     scan_key TEXT,
     results TEXT,
     stats TEXT,
     scanned_at TEXT,
     run_id INTEGER,
     error TEXT
   );
   CREATE TABLE IF NOT EXISTS org_runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     scope TEXT NOT NULL,
     owner TEXT NOT NULL,
     shard TEXT,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     status TEXT NOT NULL,
     stats TEXT
   );
   CREATE INDEX IF NOT EXISTS org_runs_scope ON org_runs (scope, id);
   CREATE TABLE IF NOT EXISTS org_findings (
     scope TEXT NOT NULL,
     id TEXT NOT NULL,
     rule_id TEXT NOT NULL,
     issuer TEXT NOT NULL,
     redacted TEXT NOT NULL,
     status TEXT NOT NULL,
     access_status TEXT,
     repos TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     last_seen TEXT NOT NULL,
     resolved_at TEXT,
     resolved_reason TEXT,
     PRIMARY KEY (scope, id)
   ) WITHOUT ROWID;`,
);

/** One match of a repository as stored: where the value sits in which blob, never the value. */
export interface StoredMatch {
  /** Fingerprint of the value (finding id). */
  id: string;
  blob: string;
  path: string;
  commit?: string;
  c: CachedMatch;
  occ: Occurrence[];
}

export interface RepoRecord {
  fullName: string;
  owner: string;
  name: string;
  visibility?: string;
  fork: boolean;
  forks: number;
  archived: boolean;
  defaultBranch?: string;
  cloneUrl?: string;
  refs?: Record<string, string>;
  scanKey?: string;
  results?: StoredMatch[];
  stats?: Record<string, unknown>;
  scannedAt?: string;
  runId?: number;
  error?: string;
}

export interface RunRecord {
  id: number;
  scope: string;
  owner: string;
  shard?: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'done';
  stats?: Record<string, unknown>;
}

export interface KnownFinding {
  id: string;
  ruleId: string;
  issuer: string;
  redacted: string;
  status: 'open' | 'resolved';
  accessStatus?: string;
  repos: string[];
  firstSeen: string;
  lastSeen: string;
}

interface RepoRow {
  full_name: string;
  owner: string;
  name: string;
  visibility: string | null;
  fork: number;
  forks: number;
  archived: number;
  default_branch: string | null;
  clone_url: string | null;
  refs: string | null;
  scan_key: string | null;
  results: string | null;
  stats: string | null;
  scanned_at: string | null;
  run_id: number | null;
  error: string | null;
}

function parse<T>(s: string | null): T | undefined {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

export function scopeOf(owner: string, shard?: string): string {
  return `${owner.toLowerCase()}${shard ? `#${shard}` : ''}`;
}

export class OrgState {
  private constructor(readonly db: Db) {}

  static open(file: string): OrgState {
    return new OrgState(openDb(file));
  }

  getRepo(fullName: string): RepoRecord | undefined {
    const r = this.db.prepare('SELECT * FROM org_repos WHERE full_name = ?').get(fullName.toLowerCase()) as
      | RepoRow
      | undefined;
    if (!r) return undefined;
    return {
      fullName: `${r.owner}/${r.name}`,
      owner: r.owner,
      name: r.name,
      visibility: r.visibility ?? undefined,
      fork: Boolean(r.fork),
      forks: r.forks,
      archived: Boolean(r.archived),
      defaultBranch: r.default_branch ?? undefined,
      cloneUrl: r.clone_url ?? undefined,
      refs: parse(r.refs),
      scanKey: r.scan_key ?? undefined,
      results: parse(r.results),
      stats: parse(r.stats),
      scannedAt: r.scanned_at ?? undefined,
      runId: r.run_id ?? undefined,
      error: r.error ?? undefined,
    };
  }

  /** Replaces a repository's row in one statement (atomic): its scan is complete, or it failed (`error`). */
  putRepo(rec: RepoRecord): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO org_repos (full_name, owner, name, visibility, fork, forks, archived, default_branch,
           clone_url, refs, scan_key, results, stats, scanned_at, run_id, error)
         VALUES (@full_name, @owner, @name, @visibility, @fork, @forks, @archived, @default_branch, @clone_url, @refs,
           @scan_key, @results, @stats, @scanned_at, @run_id, @error)`,
      )
      .run({
        full_name: rec.fullName.toLowerCase(),
        owner: rec.owner,
        name: rec.name,
        visibility: rec.visibility ?? null,
        fork: rec.fork ? 1 : 0,
        forks: rec.forks,
        archived: rec.archived ? 1 : 0,
        default_branch: rec.defaultBranch ?? null,
        clone_url: rec.cloneUrl ?? null,
        refs: rec.refs ? JSON.stringify(rec.refs) : null,
        scan_key: rec.scanKey ?? null,
        results: rec.results ? JSON.stringify(rec.results) : null,
        stats: rec.stats ? JSON.stringify(rec.stats) : null,
        scanned_at: rec.scannedAt ?? null,
        run_id: rec.runId ?? null,
        error: rec.error ?? null,
      });
  }

  /** Resumes the scope's unfinished run (a killed one) or starts a new one. */
  beginRun(scope: string, owner: string, shard?: string): { run: RunRecord; resumed: boolean } {
    const open = this.db
      .prepare("SELECT * FROM org_runs WHERE scope = ? AND status = 'running' ORDER BY id DESC LIMIT 1")
      .get(scope) as { id: number; started_at: string } | undefined;
    if (open) {
      return {
        run: { id: open.id, scope, owner, shard, startedAt: open.started_at, status: 'running' },
        resumed: true,
      };
    }
    const startedAt = new Date().toISOString();
    const res = this.db
      .prepare("INSERT INTO org_runs (scope, owner, shard, started_at, status) VALUES (?, ?, ?, ?, 'running')")
      .run(scope, owner, shard ?? null, startedAt);
    return {
      run: { id: Number(res.lastInsertRowid), scope, owner, shard, startedAt, status: 'running' },
      resumed: false,
    };
  }

  lastCompletedRun(scope: string): RunRecord | undefined {
    const r = this.db
      .prepare("SELECT * FROM org_runs WHERE scope = ? AND status = 'done' ORDER BY id DESC LIMIT 1")
      .get(scope) as
      | {
          id: number;
          owner: string;
          shard: string | null;
          started_at: string;
          finished_at: string;
          stats: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      scope,
      owner: r.owner,
      shard: r.shard ?? undefined,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: 'done',
      stats: parse(r.stats),
    };
  }

  knownFindings(scope: string): Map<string, KnownFinding> {
    const rows = this.db.prepare('SELECT * FROM org_findings WHERE scope = ?').all(scope) as {
      id: string;
      rule_id: string;
      issuer: string;
      redacted: string;
      status: 'open' | 'resolved';
      access_status: string | null;
      repos: string;
      first_seen: string;
      last_seen: string;
    }[];
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          ruleId: r.rule_id,
          issuer: r.issuer,
          redacted: r.redacted,
          status: r.status,
          accessStatus: r.access_status ?? undefined,
          repos: parse<string[]>(r.repos) ?? [],
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
        },
      ]),
    );
  }

  /** Records the run's outcome: the scope's findings as of now, resolutions, and the run marked done (one transaction). */
  completeRun(
    run: RunRecord,
    current: Omit<KnownFinding, 'status' | 'firstSeen' | 'lastSeen'>[],
    resolved: { id: string; reason: string }[],
    stats: Record<string, unknown>,
  ): void {
    const now = new Date().toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO org_findings (scope, id, rule_id, issuer, redacted, status, access_status, repos, first_seen, last_seen)
       VALUES (@scope, @id, @rule_id, @issuer, @redacted, 'open', @access_status, @repos, @now, @now)
       ON CONFLICT (scope, id) DO UPDATE SET rule_id = excluded.rule_id, issuer = excluded.issuer,
         redacted = excluded.redacted, status = 'open', access_status = excluded.access_status, repos = excluded.repos,
         last_seen = excluded.last_seen, resolved_at = NULL, resolved_reason = NULL`,
    );
    const resolve = this.db.prepare(
      "UPDATE org_findings SET status = 'resolved', resolved_at = ?, resolved_reason = ? WHERE scope = ? AND id = ? AND status = 'open'",
    );
    const reasonOnly = this.db.prepare('UPDATE org_findings SET resolved_reason = ? WHERE scope = ? AND id = ?');
    const done = this.db.prepare("UPDATE org_runs SET status = 'done', finished_at = ?, stats = ? WHERE id = ?");
    this.db.transaction(() => {
      for (const f of current) {
        upsert.run({
          scope: run.scope,
          id: f.id,
          rule_id: f.ruleId,
          issuer: f.issuer,
          redacted: f.redacted,
          access_status: f.accessStatus ?? null,
          repos: JSON.stringify(f.repos),
          now,
        });
      }
      const present = new Set(current.map((f) => f.id));
      for (const r of resolved) {
        // A key still present but now inactive stays listed (it is still in history), its resolution noted.
        if (present.has(r.id)) reasonOnly.run(r.reason, run.scope, r.id);
        else resolve.run(now, r.reason, run.scope, r.id);
      }
      done.run(now, JSON.stringify(stats), run.id);
    })();
  }

  runs(scope: string): RunRecord[] {
    const rows = this.db.prepare('SELECT * FROM org_runs WHERE scope = ? ORDER BY id').all(scope) as {
      id: number;
      owner: string;
      shard: string | null;
      started_at: string;
      finished_at: string | null;
      status: 'running' | 'done';
      stats: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      scope,
      owner: r.owner,
      shard: r.shard ?? undefined,
      startedAt: r.started_at,
      finishedAt: r.finished_at ?? undefined,
      status: r.status,
      stats: parse(r.stats),
    }));
  }
}
