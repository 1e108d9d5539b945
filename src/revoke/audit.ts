// The revocation audit log: every planned and executed action, in SQLite (table revoke_audit) and as JSON lines.
// Rows hold the fingerprint and the redacted preview, never the secret; request and detail texts are scrubbed again
// here as a second line of defence. The same store keeps the request budget of hourly-capped endpoints.
import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scrubText } from '../issuers/http.js';
import { type Db, openDb, registerMigration } from '../store/db.js';
import type { RequestBudget } from './types.js';

registerMigration(
  'revoke-audit-v1',
  `CREATE TABLE IF NOT EXISTS revoke_audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT NOT NULL,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     mode TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     issuer TEXT NOT NULL,
     rule_id TEXT,
     redacted TEXT,
     action TEXT NOT NULL,
     request TEXT,
     status INTEGER,
     outcome TEXT NOT NULL,
     detail TEXT,
     seconds_to_revoke REAL
   );
   CREATE INDEX IF NOT EXISTS revoke_audit_key ON revoke_audit (fingerprint, issuer, mode);
   CREATE TABLE IF NOT EXISTS revoke_requests (key TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX IF NOT EXISTS revoke_requests_key ON revoke_requests (key, at);`,
);

export const DEFAULT_DB = path.join('.keyscope', 'keyscope.db');
export const DEFAULT_AUDIT_LOG = path.join('.keyscope', 'audit.jsonl');

/** dry-run: plan only; execute: --yes; offline: --yes or not, nothing sent. */
export type RunMode = 'dry-run' | 'execute' | 'offline';

export interface AuditEntry {
  fingerprint: string;
  issuer: string;
  ruleId?: string;
  redacted?: string;
  /** plan | revoke | deactivate | verify | manual | skip | notify */
  action: string;
  request?: string;
  status?: number;
  outcome: string;
  detail?: string;
  secondsToRevoke?: number;
}

export interface AuditRow extends AuditEntry {
  id: number;
  runId: string;
  at: string;
  actor: string;
  mode: RunMode;
}

/** Who ran keyscope: the GitHub actor in Actions, else the OS user and host. */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_ACTOR)
    return `${env.GITHUB_ACTOR} (GitHub Actions${env.GITHUB_RUN_ID ? ` run ${env.GITHUB_RUN_ID}` : ''})`;
  let user = env.USER || env.USERNAME || 'unknown';
  try {
    user = os.userInfo().username || user;
  } catch {
    // no passwd entry (some containers): keep the environment's idea of the user
  }
  return `${user}@${os.hostname()}`;
}

export interface AuditOptions {
  dbFile: string;
  jsonlFile: string;
  runId: string;
  actor: string;
  mode: RunMode;
  /** The run's clock (tests pin it). */
  now?: () => Date;
}

export class AuditLog implements RequestBudget {
  readonly db: Db;
  private readonly now: () => Date;

  constructor(readonly opts: AuditOptions) {
    this.db = openDb(opts.dbFile);
    this.now = opts.now ?? (() => new Date());
    if (opts.jsonlFile) mkdirSync(path.dirname(path.resolve(opts.jsonlFile)), { recursive: true });
  }

  /** Appends one action to both logs. `secrets` are scrubbed from every text field. */
  record(e: AuditEntry, secrets: string[] = []): AuditRow {
    const clean = (s: string | undefined) => (s === undefined ? undefined : scrubText(s, secrets));
    const at = this.now().toISOString();
    const row = {
      run_id: this.opts.runId,
      at,
      actor: this.opts.actor,
      mode: this.opts.mode,
      fingerprint: e.fingerprint,
      issuer: e.issuer,
      rule_id: e.ruleId ?? null,
      redacted: e.redacted ?? null,
      action: e.action,
      request: clean(e.request) ?? null,
      status: e.status ?? null,
      outcome: e.outcome,
      detail: clean(e.detail) ?? null,
      seconds_to_revoke: e.secondsToRevoke ?? null,
    };
    const info = this.db
      .prepare(
        `INSERT INTO revoke_audit (run_id, at, actor, mode, fingerprint, issuer, rule_id, redacted, action, request, status, outcome, detail, seconds_to_revoke)
         VALUES (@run_id, @at, @actor, @mode, @fingerprint, @issuer, @rule_id, @redacted, @action, @request, @status, @outcome, @detail, @seconds_to_revoke)`,
      )
      .run(row);
    const out = auditRowOf({ id: Number(info.lastInsertRowid), ...row });
    if (this.opts.jsonlFile) {
      const line = JSON.stringify({ ...out, id: undefined });
      appendFileSync(this.opts.jsonlFile, `${line}\n`);
    }
    return out;
  }

  /** Runs `fn` in one SQLite transaction (thousands of rows for a bulk revocation). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * The last executed revocation of this key, if it ended revoked or already revoked (then a new run is a no-op).
   * A failed attempt does not count: the next run tries again.
   */
  lastRevoked(fingerprint: string, issuer: string): AuditRow | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM revoke_audit WHERE fingerprint = ? AND issuer = ? AND mode = 'execute'
           AND action IN ('revoke', 'deactivate') ORDER BY id DESC LIMIT 1`,
      )
      .get(fingerprint, issuer) as Record<string, unknown> | undefined;
    if (!r || (r.outcome !== 'revoked' && r.outcome !== 'already-revoked')) return undefined;
    // The plan item that carries this row has never shown the earlier run's time to revoke.
    const { secondsToRevoke: _, ...previous } = auditRowOf(r);
    return previous;
  }

  /** Every row of a run, in order (tests, summaries). */
  rows(runId = this.opts.runId): AuditRow[] {
    return (
      this.db.prepare('SELECT * FROM revoke_audit WHERE run_id = ? ORDER BY id').all(runId) as Record<string, unknown>[]
    ).map(auditRowOf);
  }

  take(key: string, max: number, windowMs: number): boolean {
    const now = this.now().getTime();
    const tx = this.db.transaction(() => {
      const { n } = this.db
        .prepare('SELECT COUNT(*) AS n FROM revoke_requests WHERE key = ? AND at > ?')
        .get(key, now - windowMs) as { n: number };
      if (n >= max) return false;
      this.db.prepare('INSERT INTO revoke_requests (key, at) VALUES (?, ?)').run(key, now);
      return true;
    });
    return tx();
  }

  resetsAt(key: string, windowMs: number): string | undefined {
    const now = this.now().getTime();
    const r = this.db
      .prepare('SELECT MIN(at) AS oldest FROM revoke_requests WHERE key = ? AND at > ?')
      .get(key, now - windowMs) as { oldest: number | null };
    return r.oldest === null ? undefined : new Date(r.oldest + windowMs).toISOString();
  }
}

/** A revoke_audit row (snake_case, NULLs) as an AuditRow (camelCase, absent fields undefined). */
function auditRowOf(r: Record<string, unknown>): AuditRow {
  return {
    id: r.id as number,
    runId: r.run_id as string,
    at: r.at as string,
    actor: r.actor as string,
    mode: r.mode as RunMode,
    fingerprint: r.fingerprint as string,
    issuer: r.issuer as string,
    ruleId: (r.rule_id as string | null) ?? undefined,
    redacted: (r.redacted as string | null) ?? undefined,
    action: r.action as string,
    request: (r.request as string | null) ?? undefined,
    status: (r.status as number | null) ?? undefined,
    outcome: r.outcome as string,
    detail: (r.detail as string | null) ?? undefined,
    secondsToRevoke: (r.seconds_to_revoke as number | null) ?? undefined,
  };
}
