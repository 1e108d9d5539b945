import type { Finding } from '../types.js';
import type { KnownFinding } from './state.js';

// "New since last scan" and "resolved since last scan" for one scope (owner + shard), against the findings of the
// last completed run. New: not open then (never seen, or resolved and back). Resolved: open then and now gone from
// every scanned repository, or still present but now inactive/invalid at its issuer (it was not, last time).

export interface ResolvedEntry {
  id: string;
  redacted: string;
  issuer: string;
  reason: 'gone' | 'inactive' | 'invalid';
}

export interface ScanDiff {
  newSinceLastScan: string[];
  resolvedSinceLastScan: ResolvedEntry[];
}

const DEAD = new Set(['inactive', 'invalid']);

export function diffSinceLastScan(findings: Finding[], known: Map<string, KnownFinding>): ScanDiff {
  const present = new Map(findings.map((f) => [f.id, f]));
  const newSinceLastScan = findings.filter((f) => known.get(f.id)?.status !== 'open').map((f) => f.id);
  const resolved: ResolvedEntry[] = [];
  for (const k of known.values()) {
    if (k.status !== 'open') continue;
    const now = present.get(k.id);
    if (!now) {
      resolved.push({ id: k.id, redacted: k.redacted, issuer: k.issuer, reason: 'gone' });
      continue;
    }
    const status = now.access?.status;
    if (status && DEAD.has(status) && !DEAD.has(k.accessStatus ?? '')) {
      resolved.push({ id: k.id, redacted: now.redacted, issuer: now.issuer, reason: status as 'inactive' | 'invalid' });
    }
  }
  resolved.sort((a, b) => a.id.localeCompare(b.id));
  return { newSinceLastScan: newSinceLastScan.sort(), resolvedSinceLastScan: resolved };
}

/** What the store keeps of each current finding for the next run's diff (no secret). */
export function knownOf(f: Finding): Omit<KnownFinding, 'status' | 'firstSeen' | 'lastSeen'> {
  return {
    id: f.id,
    ruleId: f.ruleId,
    issuer: f.issuer,
    redacted: f.redacted,
    accessStatus: f.access?.status,
    repos: [...new Set(f.occurrences.map((o) => o.repo).filter((r): r is string => Boolean(r)))].sort(),
  };
}
