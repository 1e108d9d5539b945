import { redact } from '../detect/redact.js';
import { companionIsSecret } from '../issuers/companions.js';
import { kindName } from '../risk/facts.js';
import { issuerName, tokenTypeName } from '../risk/labels.js';
import type { Finding, Occurrence, Report, Severity } from '../types.js';
import { SEVERITIES } from '../types.js';

// Shared by every format: the secret-safe copy of a report, sorting, and short summaries.

export interface RenderOptions {
  showSecrets: boolean;
  color: boolean;
}

const MIN_SCRUB = 6;
const STRUCTURAL_KEYS = new Set([
  'id',
  'ruleId',
  'issuer',
  'tokenType',
  'checksum',
  'kind',
  'severity',
  'nhi',
  'controls',
  'status',
  'source',
]);
const KEY = 4;

/** Replaces many secrets in many strings in one pass per string: candidates are found by their first 4 chars. */
export class Scrubber {
  private byHead = new Map<string, string[]>();
  constructor(secrets: Iterable<string>) {
    for (const s of [...new Set(secrets)].filter((x) => x.length >= MIN_SCRUB).sort((a, b) => b.length - a.length)) {
      const head = s.slice(0, KEY);
      const list = this.byHead.get(head) ?? [];
      list.push(s);
      this.byHead.set(head, list);
    }
  }
  get empty(): boolean {
    return this.byHead.size === 0;
  }
  scrub(text: string): string {
    if (this.empty || text.length < MIN_SCRUB) return text;
    let out = '';
    let last = 0;
    for (let i = 0; i + MIN_SCRUB <= text.length; ) {
      const cands = this.byHead.get(text.substr(i, KEY));
      // Longest first, so a secret containing another is replaced whole.
      const hit = cands?.find((s) => text.startsWith(s, i));
      if (hit) {
        out += text.slice(last, i) + redact(hit);
        i += hit.length;
        last = i;
      } else i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }
  deep(value: unknown): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      // Catalog identifiers are ours, never secret material: a weak secret equal to a word ("password") must not
      // rewrite rule ids or token types.
      for (const [k, v] of Object.entries(value)) out[k] = STRUCTURAL_KEYS.has(k) ? v : this.deep(v);
      return out;
    }
    return value;
  }
}

/**
 * A copy of the report that is safe to print: unless showSecrets, every full secret and companion value is replaced by
 * its redacted form wherever it appears (notes, reasons, paths, other findings), `secret` is emptied and companions
 * are redacted. Renderers only ever see this copy.
 */
export function safeReport(report: Report, showSecrets: boolean): Report {
  if (showSecrets) return { ...report, findings: [...report.findings].sort(compareFindings) };
  const secrets = new Set<string>();
  for (const f of report.findings) {
    if (f.secret && f.secret.length >= MIN_SCRUB) secrets.add(f.secret);
    // Companions that name things (username, host, account SID) stay readable: identities often equal them.
    for (const [k, v] of Object.entries(f.companions ?? {}))
      if (typeof v === 'string' && v.length >= MIN_SCRUB && !isRedacted(v) && companionIsSecret(k, v)) secrets.add(v);
  }
  const scrubber = new Scrubber(secrets);
  const findings = report.findings.map((f) => {
    const { secret, companions, ...rest } = f;
    const clean = scrubber.deep(rest) as Omit<Finding, 'secret' | 'companions'>;
    const red =
      f.redacted && f.redacted !== secret && !(secret && f.redacted.includes(secret))
        ? clean.redacted
        : redact(secret ?? '');
    const comp = companions
      ? Object.fromEntries(
          Object.entries(companions).map(([k, v]) => [k, isRedacted(String(v)) ? String(v) : redact(String(v))]),
        )
      : undefined;
    return { ...clean, redacted: red, secret: '', ...(comp ? { companions: comp } : {}) } as Finding;
  });
  const rest = scrubber.deep({ target: report.target, stats: report.stats }) as Pick<Report, 'target' | 'stats'>;
  return { ...report, ...rest, findings: findings.sort(compareFindings) };
}

/** A value read back from a report is already a preview (real secrets hold no ellipsis or only asterisks). */
function isRedacted(v: string): boolean {
  return v.includes('…') || /^\*+$/.test(v);
}

const SEV_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function compareFindings(a: Finding, b: Finding): number {
  const d = (b.risk?.score ?? -1) - (a.risk?.score ?? -1);
  if (d) return d;
  const s = SEV_RANK[a.risk?.severity ?? 'info'] - SEV_RANK[b.risk?.severity ?? 'info'];
  if (s) return s;
  return a.issuer.localeCompare(b.issuer) || a.ruleId.localeCompare(b.ruleId) || a.id.localeCompare(b.id);
}

export function severityOfFinding(f: Finding): Severity {
  return f.risk?.severity ?? 'info';
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const c = { critical: 0, high: 0, medium: 0, low: 0, info: 0 } as Record<Severity, number>;
  for (const f of findings) c[severityOfFinding(f)]++;
  return c;
}

export function severitySummary(findings: Finding[]): string {
  const c = countBySeverity(findings);
  return SEVERITIES.filter((s) => c[s] > 0)
    .map((s) => `${c[s]} ${s}`)
    .join(', ');
}

export function countByIssuer(findings: Finding[]): [string, number][] {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.issuer, (m.get(f.issuer) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function firstOccurrence(f: Finding): Occurrence | undefined {
  return f.occurrences?.[0];
}

export function location(o: Occurrence, withRepo = true): string {
  return `${withRepo && o.repo ? `${o.repo}:` : ''}${o.file}:${o.line}${o.column ? `:${o.column}` : ''}`;
}

export function shortCommit(c?: string): string {
  return c ? c.slice(0, 10) : '';
}

/** "3 orgs, 214 repositories", else the account/identity, else "unknown". */
export function reachSummary(f: Finding): string {
  const r = f.access?.reach ?? [];
  if (r.length) return r.map((x) => `${x.count} ${kindName(x.kind, x.count)}`).join(', ');
  const id = f.access?.identity;
  if (id) return [id.org, id.account, id.project, id.user].filter(Boolean).join(' / ') || 'unknown';
  return 'unknown';
}

export function keyKind(f: Finding): string {
  const tt = f.tokenType ?? f.access?.tokenType;
  return tt ? tokenTypeName(tt) : f.ruleId;
}

export function issuerLabel(f: Finding): string {
  return issuerName(f.issuer);
}

export function statusOf(f: Finding): string {
  return f.access?.status ?? 'not checked';
}

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '0 B';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function targetLabel(r: Report): string {
  const t = r.target ?? { kind: 'files' };
  if (t.kind === 'range') return `range ${t.range ?? ''}${t.repo ? ` of ${t.repo}` : ''}`.trim();
  if (t.kind === 'org') return `org ${t.owner ?? ''}`.trim();
  if (t.kind === 'history') return `history of ${t.repo ?? '.'}`;
  if (t.kind === 'staged') return 'staged changes';
  if (t.paths?.length) return `${t.kind} ${t.paths.join(' ')}`;
  return t.kind;
}

export function statsLine(r: Report): string {
  const s = r.stats ?? ({} as Report['stats']);
  const bits = [`${pluralize(s.filesScanned ?? 0, 'file')} (${formatBytes(s.bytesScanned ?? 0)}) scanned`];
  if (s.blobsScanned && s.blobsScanned !== s.filesScanned) bits.push(pluralize(s.blobsScanned, 'blob'));
  if (s.skipped?.length) bits.push(`${s.skipped.length} skipped`);
  if (s.lookups) bits.push(pluralize(s.lookups, 'issuer lookup'));
  // Org scans: how many repositories, and what changed since the last completed scan.
  const repos = s.repositories as { selected?: number } | undefined;
  if (typeof repos?.selected === 'number') bits.push(pluralize(repos.selected, 'repository', 'repositories'));
  if (Array.isArray(s.newSinceLastScan)) bits.push(`${s.newSinceLastScan.length} new since last scan`);
  if (Array.isArray(s.resolvedSinceLastScan)) bits.push(`${s.resolvedSinceLastScan.length} resolved since last scan`);
  if (typeof s.durationMs === 'number') bits.push(`in ${(s.durationMs / 1000).toFixed(1)} s`);
  return bits.join(', ');
}

/** For terminals: newlines and control characters (ANSI escapes in a file name!) shown as escapes, never emitted. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) =>
    ch === '\n'
      ? '\\n'
      : ch === '\r'
        ? '\\r'
        : ch === '\t'
          ? '\\t'
          : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
