import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChecksumState, Match } from '../types.js';
import { type Db, openDb, registerMigration } from './db.js';

// The incremental blob cache: which blob ids were scanned under which scan key (rule set + detection options),
// and what was found in each. Matches are stored as positions plus a short hash, never as secret values:
// a warm run re-reads only the few blobs that had matches and cuts the secrets out of their bytes, so the
// findings equal a cold run's while nothing is matched again, and the cache file holds no secrets.

registerMigration(
  'blob-cache-1',
  `CREATE TABLE IF NOT EXISTS blob_cache (
     scan_key TEXT NOT NULL,
     oid TEXT NOT NULL,
     path TEXT NOT NULL,
     skip TEXT,
     matches TEXT,
     scanned_at TEXT NOT NULL,
     PRIMARY KEY (scan_key, oid)
   ) WITHOUT ROWID`,
);

export interface CachedSpan {
  offset: number;
  length: number;
  /** First 16 hex digits of sha256(value): proves the bytes cut out are the value that was found. */
  hash: string;
}

export interface CachedCompanion extends CachedSpan {
  id: string;
}

export interface CachedMatch extends CachedSpan {
  ruleId: string;
  issuer: string;
  line: number;
  column: number;
  checksum: ChecksumState;
  entropy: number;
  companions?: CachedCompanion[];
}

export interface CachedBlob {
  oid: string;
  /** The path the blob was scanned under (rules may depend on it). */
  path: string;
  /** Why it was not scanned (too large, LFS pointer, binary): a property of the content. */
  skip?: string;
  matches: CachedMatch[];
}

export function secretHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** A match as the cache keeps it. Companions need the blob's bytes to be located; without them, undefined. */
export function toCached(m: Match, bytes?: Buffer): CachedMatch | undefined {
  const c: CachedMatch = {
    ruleId: m.ruleId,
    issuer: m.issuer,
    offset: m.offset,
    length: Buffer.byteLength(m.secret),
    hash: secretHash(m.secret),
    line: m.line,
    column: m.column,
    checksum: m.checksum,
    entropy: m.entropy,
  };
  const comps = Object.entries(m.companions ?? {});
  if (comps.length) {
    if (!bytes) return undefined;
    c.companions = [];
    for (const [id, value] of comps) {
      const at = nearest(bytes, Buffer.from(value), m.offset);
      if (at < 0) return undefined;
      c.companions.push({ id, offset: at, length: Buffer.byteLength(value), hash: secretHash(value) });
    }
  }
  return c;
}

/** The occurrence of `needle` closest to `near`. */
function nearest(hay: Buffer, needle: Buffer, near: number): number {
  let best = -1;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) {
    if (best < 0 || Math.abs(i - near) < Math.abs(best - near)) best = i;
    if (i > near) break;
  }
  return best;
}

function cut(bytes: Buffer, span: CachedSpan): string | undefined {
  if (span.offset < 0 || span.offset + span.length > bytes.length) return undefined;
  const value = bytes.toString('utf8', span.offset, span.offset + span.length);
  return secretHash(value) === span.hash ? value : undefined;
}

/** Rebuilds a match from the blob's bytes; undefined when the bytes do not give back the same value. */
export function fromCached(
  c: CachedMatch,
  bytes: Buffer,
  where: { oid: string; path: string; commit?: string; repo?: string },
): Match | undefined {
  const secret = cut(bytes, c);
  if (secret === undefined) return undefined;
  const m: Match = {
    ruleId: c.ruleId,
    issuer: c.issuer,
    secret,
    path: where.path,
    line: c.line,
    column: c.column,
    offset: c.offset,
    blobOid: where.oid,
    checksum: c.checksum,
    entropy: c.entropy,
  };
  if (where.commit) m.commit = where.commit;
  if (where.repo) m.repo = where.repo;
  if (c.companions?.length) {
    m.companions = {};
    for (const comp of c.companions) {
      const v = cut(bytes, comp);
      if (v === undefined) return undefined;
      m.companions[comp.id] = v;
    }
  }
  return m;
}

interface Row {
  oid: string;
  path: string;
  skip: string | null;
  matches: string | null;
}

export class BlobCache {
  constructor(private readonly db: Db) {}

  /** Opens the cache file; a new `.keyscope/` folder gets a `.gitignore` so it never ends up in a commit. */
  static open(file: string): BlobCache {
    const dir = path.dirname(path.resolve(file));
    const fresh = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    if (fresh && path.basename(dir) === '.keyscope') {
      try {
        writeFileSync(path.join(dir, '.gitignore'), '*\n');
      } catch {
        // A read-only place still gets its cache; the ignore file is a courtesy.
      }
    }
    return new BlobCache(openDb(file));
  }

  /** Every blob cached under this scan key, or only those of `oids` (looked up in batches). */
  load(scanKey: string, oids?: readonly string[]): Map<string, CachedBlob> {
    let rows: Row[];
    if (!oids) {
      rows = this.db
        .prepare('SELECT oid, path, skip, matches FROM blob_cache WHERE scan_key = ?')
        .all(scanKey) as Row[];
    } else {
      rows = [];
      const BATCH = 500;
      const full = oids.length >= BATCH ? this.db.prepare(selectIn(BATCH)) : undefined;
      for (let i = 0; i < oids.length; i += BATCH) {
        const part = oids.slice(i, i + BATCH);
        const stmt = part.length === BATCH && full ? full : this.db.prepare(selectIn(part.length));
        for (const r of stmt.all(scanKey, ...part) as Row[]) rows.push(r);
      }
    }
    const out = new Map<string, CachedBlob>();
    for (const r of rows) {
      let matches: CachedMatch[] = [];
      if (r.matches) {
        try {
          matches = JSON.parse(r.matches) as CachedMatch[];
        } catch {
          continue; // a damaged row is a miss
        }
      }
      out.set(r.oid, { oid: r.oid, path: r.path, skip: r.skip ?? undefined, matches });
    }
    return out;
  }

  put(scanKey: string, entries: CachedBlob[]): void {
    if (entries.length === 0) return;
    const stmt = this.db.prepare(
      'INSERT OR REPLACE INTO blob_cache (scan_key, oid, path, skip, matches, scanned_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const now = new Date().toISOString();
    const tx = this.db.transaction((list: CachedBlob[]) => {
      for (const e of list) {
        stmt.run(scanKey, e.oid, e.path, e.skip ?? null, e.matches.length ? JSON.stringify(e.matches) : null, now);
      }
    });
    tx(entries);
  }

  /** Drops entries of other scan keys: a rule change invalidates everything scanned before it. */
  invalidateOthers(scanKey: string): number {
    return this.db.prepare('DELETE FROM blob_cache WHERE scan_key <> ?').run(scanKey).changes;
  }

  count(scanKey: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM blob_cache WHERE scan_key = ?').get(scanKey) as { n: number }).n;
  }
}

function selectIn(n: number): string {
  return `SELECT oid, path, skip, matches FROM blob_cache WHERE scan_key = ? AND oid IN (${'?,'.repeat(n - 1)}?)`;
}

/** The scan key: what decides a blob's result besides its bytes. */
export function scanKeyOf(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}
