import { compareByRisk, scoreAll } from '../risk/score.js';
import type { ExposureContext, RepoExposure, RiskContext } from '../risk/types.js';
import type { Access, Finding, Occurrence, Report, ScanStats, ScanTarget } from '../types.js';
import { VERSION } from '../version.js';

// `keyscope report merge`: shard reports joined into one. Findings join by id (the secret's fingerprint), so a key
// reused across shards becomes one finding with occurrences in every repository; occurrences are unioned without
// duplicates; stats are summed; risk is scored again over the union (more places, public repositories of other
// shards). "New since last scan" survives only where every shard that holds the key calls it new; "resolved, gone"
// only where no shard still holds it.

export interface MergeOptions {
  /** Risk context (weights, rule info); exposure is taken from the reports' targets unless given. */
  risk?: RiskContext;
}

interface Resolved {
  id: string;
  redacted?: string;
  issuer?: string;
  reason: string;
}

function occKey(o: Occurrence): string {
  return `${o.repo ?? ''}\0${o.commit ?? ''}\0${o.file}\0${o.line}\0${o.column ?? 0}`;
}

/** The order groupMatches gives: repository, date, file, line, column, commit. */
export function compareOccurrences(a: Occurrence, b: Occurrence): number {
  return (
    (a.repo ?? '').localeCompare(b.repo ?? '') ||
    (a.date ?? '').localeCompare(b.date ?? '') ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.commit ?? '').localeCompare(b.commit ?? '')
  );
}

const STATUS_RANK: Record<string, number> = { live: 5, inactive: 4, invalid: 3, unknown: 2, skipped: 1 };

/** The more informative of two lookups: an issuer's answer over an offline one, then the more decisive, then the newer. */
function betterAccess(a: Access | undefined, b: Access | undefined): Access | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.source !== b.source) return a.source === 'issuer' ? a : b;
  const ra = STATUS_RANK[a.status] ?? 0;
  const rb = STATUS_RANK[b.status] ?? 0;
  if (ra !== rb && (ra <= 2 || rb <= 2)) return ra > rb ? a : b;
  return (b.checkedAt ?? '') > (a.checkedAt ?? '') ? b : a;
}

function targetOf(reports: Report[]): ScanTarget {
  const owners = new Set(
    reports.map((r) => (r.target?.kind === 'org' ? String(r.target.owner ?? '').toLowerCase() : '')),
  );
  const repos: Record<string, RepoExposure> = {};
  for (const r of reports)
    Object.assign(repos, (r.target?.repositories as Record<string, RepoExposure> | undefined) ?? {});
  const shards = reports.map((r) => r.target?.shard).filter((s): s is string => typeof s === 'string');
  if (owners.size === 1 && !owners.has('')) {
    const first = reports[0].target;
    return {
      kind: 'org',
      owner: first.owner,
      ...(first.account ? { account: first.account } : {}),
      merged: reports.length,
      ...(shards.length ? { shards } : {}),
      ...(Object.keys(repos).length ? { repositories: repos } : {}),
    };
  }
  return {
    kind: 'merged',
    sources: reports.map((r) => r.target),
    ...(Object.keys(repos).length ? { repositories: repos } : {}),
  };
}

/** Sums numbers, recurses into objects, concatenates arrays; strings that differ become a list. */
function sumInto(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (cur === undefined) {
      into[k] = Array.isArray(v) ? [...v] : v && typeof v === 'object' ? structuredClone(v) : v;
    } else if (typeof v === 'number' && typeof cur === 'number') into[k] = cur + v;
    else if (Array.isArray(v) && Array.isArray(cur)) into[k] = [...cur, ...v];
    else if (v && typeof v === 'object' && cur && typeof cur === 'object' && !Array.isArray(cur)) {
      sumInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    } else if (cur !== v) {
      const list = Array.isArray(cur) ? cur : [cur];
      if (!list.includes(v)) into[k] = [...list, v];
    }
  }
}

const SPECIAL = new Set(['newSinceLastScan', 'resolvedSinceLastScan', 'run', 'shard', 'durationMs']);

function mergeStats(reports: Report[], merged: Map<string, Finding>): ScanStats {
  const out: Record<string, unknown> = {
    filesScanned: 0,
    blobsScanned: 0,
    bytesScanned: 0,
    skipped: [],
    lookups: 0,
    durationMs: 0,
  };
  for (const r of reports) {
    const s = (r.stats ?? {}) as Record<string, unknown>;
    sumInto(out, Object.fromEntries(Object.entries(s).filter(([k]) => !SPECIAL.has(k))));
  }
  // Shards run side by side: the matrix took as long as its slowest shard; the sum is the machine time.
  const durations = reports.map((r) => Number(r.stats?.durationMs ?? 0));
  out.durationMs = durations.reduce((a, b) => a + b, 0);
  out.durationMsMax = Math.max(0, ...durations);
  const shards = reports.map((r) => r.stats?.shard).filter((s): s is string => typeof s === 'string');
  if (shards.length) out.shards = shards;
  const runs = reports.map((r) => r.stats?.run).filter(Boolean);
  if (runs.length) out.runs = runs;
  out.merged = reports.length;

  const withDiff = reports.filter((r) => Array.isArray(r.stats?.newSinceLastScan));
  if (withDiff.length) {
    const newIds: string[] = [];
    for (const id of merged.keys()) {
      const holders = reports.filter((r) => r.findings.some((f) => f.id === id));
      if (holders.length && holders.every((r) => (r.stats?.newSinceLastScan as string[] | undefined)?.includes(id))) {
        newIds.push(id);
      }
    }
    out.newSinceLastScan = newIds.sort();
    const resolved = new Map<string, Resolved>();
    for (const r of withDiff) {
      for (const e of (r.stats.resolvedSinceLastScan as Resolved[] | undefined) ?? []) {
        if (e.reason === 'gone' && merged.has(e.id)) continue;
        if (!resolved.has(e.id) || e.reason !== 'gone') resolved.set(e.id, e);
      }
    }
    out.resolvedSinceLastScan = [...resolved.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
  return out as ScanStats;
}

function cloneFinding(f: Finding): Finding {
  return {
    ...f,
    occurrences: f.occurrences.map((o) => ({ ...o })),
    ...(f.companions ? { companions: { ...f.companions } } : {}),
  };
}

export function mergeReports(reports: Report[], opts: MergeOptions = {}): Report {
  if (!reports.length) throw new Error('report merge: no reports to merge');
  const byId = new Map<string, { f: Finding; seen: Set<string> }>();
  for (const r of reports) {
    for (const f of r.findings) {
      const entry = byId.get(f.id);
      if (!entry) {
        const c = cloneFinding(f);
        byId.set(f.id, { f: c, seen: new Set(c.occurrences.map(occKey)) });
        continue;
      }
      const m = entry.f;
      // The rule that claimed the earliest occurrence names the finding, whatever order the shards come in.
      const mine = [...m.occurrences].sort(compareOccurrences)[0];
      const theirs = [...f.occurrences].sort(compareOccurrences)[0];
      if (theirs && (!mine || compareOccurrences(theirs, mine) < 0)) {
        m.ruleId = f.ruleId;
        m.issuer = f.issuer;
        m.tokenType = f.tokenType ?? m.tokenType;
        m.description = f.description ?? m.description;
      }
      for (const o of f.occurrences) {
        const k = occKey(o);
        if (entry.seen.has(k)) continue;
        entry.seen.add(k);
        m.occurrences.push({ ...o });
      }
      if (!m.secret && f.secret) m.secret = f.secret;
      if (f.companions) m.companions = { ...f.companions, ...m.companions };
      m.access = betterAccess(m.access, f.access);
      if (!m.revocation || (f.revocation && f.revocation.result === 'revoked'))
        m.revocation = f.revocation ?? m.revocation;
    }
  }
  const merged = new Map([...byId].map(([id, e]) => [id, e.f]));
  const findings = [...merged.values()];
  for (const f of findings) f.occurrences.sort(compareOccurrences);

  const target = targetOf(reports);
  const exposure: ExposureContext = opts.risk?.exposure ?? {
    ...(target.repositories ? { repos: target.repositories as Record<string, RepoExposure> } : {}),
  };
  // The risk model only needs access + exposure; scores from the shards are replaced by the union's.
  for (const f of findings) delete f.risk;
  scoreAll(findings, { ...(opts.risk ?? {}), exposure });
  findings.sort(compareByRisk);

  return {
    tool: 'keyscope',
    version: VERSION,
    target,
    stats: mergeStats(reports, merged),
    findings,
    generatedAt: new Date().toISOString(),
  };
}
