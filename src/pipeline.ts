import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommonOptions, FailOn } from './cli/shared.js';
import { type LoadedConfig, loadConfig } from './config/load.js';
import type { GlobalAllow } from './detect/engine.js';
import { type LoadRulesOptions, loadRules } from './detect/rules/load.js';
import type { RuleSpec } from './detect/rules/schema.js';
import type { ExposureContext } from './risk/types.js';
import { openDb } from './store/db.js';
import { type Finding, type Report, type ScanTarget, SEVERITIES, type Severity, type SkippedItem } from './types.js';
import { VERSION } from './version.js';

// The stages after matching, shared by every command: annotate → allow/baseline → lookups → risk → (revoke) → report.

export interface Prepared {
  loaded: LoadedConfig;
  rules: LoadRulesOptions;
  allow: GlobalAllow;
  specs: Map<string, RuleSpec>;
}

/** Loads the config and the rule options once; errors (malformed config or rule) surface as exit 2. */
export function prepare(opts: Pick<CommonOptions, 'config'>, root: string): Prepared {
  const loaded = loadConfig(opts.config, root);
  const { config } = loaded;
  for (const w of loaded.warnings ?? []) process.stderr.write(`keyscope: ${w}\n`);
  const rules: LoadRulesOptions = {
    extra: config.rules.extra.map((p) => path.resolve(loaded.dir, p)),
    disable: config.rules.disable,
  };
  // Load once here so a malformed rule file stops the run before any work.
  const specs = new Map(loadRules(rules).map((r) => [r.id, r]));
  return { loaded, rules, allow: { regexes: config.allow.regexes, stopwords: config.allow.stopwords }, specs };
}

export function annotate(findings: Finding[], specs: Map<string, RuleSpec>): void {
  for (const f of findings) {
    const spec = specs.get(f.ruleId);
    if (!spec) continue;
    f.tokenType ??= spec.tokenType;
    f.description ??= spec.description;
  }
}

/** The cache file a command uses: --cache PATH, --no-cache (false), else `.keyscope/cache.db` under root. */
export function cacheFileFor(raw: { cache?: unknown }, root: string): string | undefined {
  if (raw.cache === false) return undefined;
  if (typeof raw.cache === 'string') return path.resolve(raw.cache);
  return path.join(root, '.keyscope', 'cache.db');
}

/** Fingerprints from a baseline file or an earlier JSON report. */
export function readBaseline(file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`baseline ${file}: ${(err as Error).message}`);
  }
  const ids = new Set<string>();
  const d = data as { fingerprints?: unknown; findings?: unknown };
  const list = Array.isArray(d.fingerprints) ? d.fingerprints : Array.isArray(d.findings) ? d.findings : undefined;
  if (!list) throw new Error(`baseline ${file}: neither a keyscope baseline nor a JSON report`);
  for (const e of list) {
    const id = typeof e === 'string' ? e : (e as { id?: unknown })?.id;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function exitCodeFor(findings: Finding[], failOn: FailOn): number {
  if (failOn === 'none') return 0;
  const bar = severityRank(failOn);
  return findings.some((f) => severityRank(f.risk?.severity ?? 'info') >= bar) ? 1 : 0;
}

/** What a command measured before the shared stages; lookups and duration are added by finishRun. */
export interface RunStats {
  filesScanned: number;
  blobsScanned: number;
  bytesScanned: number;
  skipped: SkippedItem[];
  lookups?: number;
}

export interface RunInput {
  target: ScanTarget;
  findings: Finding[];
  stats: RunStats;
  opts: CommonOptions;
  prepared: Prepared;
  startedAt: number;
  /** Exposure of the scanned repositories (org scans, GitHub API); passed to the risk model. */
  exposure?: ExposureContext;
  /** SQLite file for the lookup cache (TTL from config verify.cacheTtlHours); undefined = no cache. */
  cacheFile?: string;
  /** Findings that already carry an Access (verify: unrecoverable secrets) keep it instead of a new lookup. */
  keepAccess?: boolean;
  /** Lets a command (action, org) post-process the report before it is written. */
  onReport?: (report: Report) => Promise<void> | void;
}

export function log(opts: Pick<CommonOptions, 'quiet'>, msg: string): void {
  if (!opts.quiet) process.stderr.write(`${msg}\n`);
}

/** Runs lookups, risk, baseline and output; returns the exit code. */
export async function finishRun(input: RunInput): Promise<{ code: number; report: Report }> {
  const { opts, prepared } = input;
  const { config } = prepared.loaded;
  let findings = input.findings;
  annotate(findings, prepared.specs);

  const accepted = new Set(config.allow.fingerprints);
  if (opts.baseline) for (const id of readBaseline(opts.baseline)) accepted.add(id);
  const suppressed = findings.filter((f) => accepted.has(f.id)).length;
  findings = findings.filter((f) => !accepted.has(f.id));

  const toLookUp = input.keepAccess ? findings.filter((f) => !f.access) : findings;
  // A clean run (the usual pre-commit case) has nothing to look up: do not even load the issuer clients.
  const lookup =
    toLookUp.length || opts.plan
      ? await (await import('./issuers/lookup.js')).lookupFindings(toLookUp, {
          offline: !opts.verify,
          plan: opts.plan,
          config,
          cacheDb: input.cacheFile && opts.verify && !opts.plan ? openDb(input.cacheFile) : undefined,
        })
      : { lookups: 0, requests: 0, cached: 0, plan: undefined };
  if (opts.plan && lookup.plan) {
    process.stdout.write(`${JSON.stringify({ plan: lookup.plan }, null, 2)}\n`);
  }

  const { scoreAll, compareByRisk, riskContextFromConfig } = await import('./risk/index.js');
  const { exposureFromEnv } = await import('./risk/exposure-env.js');
  scoreAll(
    findings,
    riskContextFromConfig(config, {
      // No exposure from the command (org scans have theirs): KEYSCOPE_REPO_* (set by the GitHub Action).
      exposure: input.exposure ?? exposureFromEnv(process.env, (m) => log(opts, m)),
      ruleInfo: (id) => {
        const spec = prepared.specs.get(id);
        return spec ? { severity: spec.severity, tokenType: spec.tokenType, description: spec.description } : undefined;
      },
    }),
  );
  findings.sort(compareByRisk);

  const report: Report = {
    tool: 'keyscope',
    version: VERSION,
    target: input.target,
    stats: {
      ...input.stats,
      // `lookups`: lookup requests made to issuers, one per unique secret however many places hold it (a lookup may
      // take several HTTP calls, e.g. identity then reach: those are `requests`); cache hits are `lookupsCached`.
      lookups: (input.stats.lookups ?? 0) + lookup.lookups,
      requests: lookup.requests,
      lookupsCached: lookup.cached,
      durationMs: Date.now() - input.startedAt,
      ...(suppressed ? { suppressed } : {}),
    },
    findings,
    generatedAt: new Date().toISOString(),
  };

  if (opts.revoke) {
    const { revokeFromRun } = await import('./revoke/run.js');
    await revokeFromRun(report, { yes: opts.yes, offline: opts.offline, config, quiet: opts.quiet });
  }

  await input.onReport?.(report);
  await writeReport(report, opts);
  return { code: exitCodeFor(findings, opts.failOn), report };
}

export async function writeReport(report: Report, opts: CommonOptions): Promise<void> {
  const { renderReport } = await import('./report/index.js');
  const text = renderReport(report, opts.format, { showSecrets: opts.showSecrets, color: opts.color });
  if (opts.output) writeFileSync(opts.output, text.endsWith('\n') ? text : `${text}\n`);
  else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
