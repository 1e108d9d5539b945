// Lookup results cached across runs in the keyscope SQLite store, keyed by the finding's fingerprint and issuer
// (never the secret). 'unknown' results are not cached: they are transient by definition.
import { type Db, registerMigration } from '../store/db.js';
import type { Access } from '../types.js';

registerMigration(
  'issuers-lookup-cache-v1',
  `CREATE TABLE IF NOT EXISTS issuer_lookup_cache (
     fingerprint TEXT NOT NULL,
     issuer TEXT NOT NULL,
     endpoint TEXT NOT NULL,
     access_json TEXT NOT NULL,
     checked_at TEXT NOT NULL,
     PRIMARY KEY (fingerprint, issuer)
   )`,
);

export class LookupCache {
  constructor(
    private readonly db: Db,
    private readonly ttlHours: number,
  ) {}

  /** A fresh cached Access, or undefined. `endpoint` is the base URL override (''), so a switch of endpoint misses. */
  get(fingerprint: string, issuer: string, endpoint: string, now: Date): Access | undefined {
    if (this.ttlHours <= 0) return undefined;
    const row = this.db
      .prepare('SELECT endpoint, access_json, checked_at FROM issuer_lookup_cache WHERE fingerprint = ? AND issuer = ?')
      .get(fingerprint, issuer) as { endpoint: string; access_json: string; checked_at: string } | undefined;
    if (!row || row.endpoint !== endpoint) return undefined;
    const age = now.getTime() - Date.parse(row.checked_at);
    if (!(age >= 0 && age < this.ttlHours * 3_600_000)) return undefined;
    try {
      return JSON.parse(row.access_json) as Access;
    } catch {
      return undefined;
    }
  }

  put(fingerprint: string, issuer: string, endpoint: string, access: Access): void {
    if (access.status === 'unknown' || access.status === 'skipped') return;
    this.db
      .prepare(
        `INSERT INTO issuer_lookup_cache (fingerprint, issuer, endpoint, access_json, checked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (fingerprint, issuer) DO UPDATE SET endpoint = excluded.endpoint,
           access_json = excluded.access_json, checked_at = excluded.checked_at`,
      )
      .run(fingerprint, issuer, endpoint, JSON.stringify(access), access.checkedAt);
  }

  /** After a revocation the cached 'live' is wrong: drop it. */
  forget(fingerprint: string, issuer?: string): void {
    if (issuer)
      this.db.prepare('DELETE FROM issuer_lookup_cache WHERE fingerprint = ? AND issuer = ?').run(fingerprint, issuer);
    else this.db.prepare('DELETE FROM issuer_lookup_cache WHERE fingerprint = ?').run(fingerprint);
  }
}
