import type { Finding, Occurrence } from '../types.js';
import { isTestLikePath, type PathEnv, pathEnvironment } from './paths.js';
import { type Prior, priorFor } from './priors.js';
import { assessPrivilege, type PrivilegeAssessment } from './privilege/index.js';
import type { RepoExposure, RiskContext, Visibility } from './types.js';

// Everything the factors, reasons, NHI tags and advice need, computed once per finding.

const DAY = 86_400_000;

export interface ReachFacts {
  /** Org/account/workspace-like containers. */
  containers: number;
  /** Repositories, buckets, channels, projects… */
  leaves: number;
  /** `3 orgs`, `214 repositories`, in Access order. */
  parts: string[];
  known: boolean;
  orgWide: boolean;
}

export interface LifetimeFacts {
  kind: 'never' | 'long' | 'unknown' | 'expires' | 'short' | 'expired';
  daysLeft?: number;
  expiresAt?: string;
  createdAt?: string;
  ageDays?: number;
}

export interface ExposureFacts {
  visibility?: Visibility;
  forks: number;
  inHead: boolean | undefined;
  places: string[];
  repos: string[];
  firstSeen?: string;
  leakAgeDays?: number;
}

export interface EnvironmentFacts {
  environment: 'production' | 'test' | 'unknown';
  /** All occurrences in test code, fixtures, examples or docs. */
  onlyTestPaths: boolean;
  /** Test-like paths holding it. */
  testPaths: string[];
  /** Distinct environments its occurrences suggest (test, production, staging, development, app). */
  pathEnvs: string[];
}

export interface Facts {
  finding: Finding;
  now: Date;
  prior: Prior;
  privilege: PrivilegeAssessment;
  status: 'live' | 'inactive' | 'invalid' | 'unknown' | 'skipped';
  reach: ReachFacts;
  lifetime: LifetimeFacts;
  exposure: ExposureFacts;
  env: EnvironmentFacts;
}

export function nowOf(ctx: RiskContext): Date {
  const d = ctx.now === undefined ? new Date() : new Date(ctx.now);
  if (Number.isNaN(d.getTime())) throw new Error(`risk context: invalid now ${String(ctx.now)}`);
  return d;
}

const CONTAINER =
  /^(orgs?|organi[sz]ations?|accounts?|workspaces?|tenants?|subscriptions?|enterprises?|teams?|groups?|namespaces?|zones-all|stacks?)$/i;

const KIND_NAMES: Record<string, [string, string]> = {
  repo: ['repository', 'repositories'],
  repos: ['repository', 'repositories'],
  repository: ['repository', 'repositories'],
  repositories: ['repository', 'repositories'],
  org: ['org', 'orgs'],
  orgs: ['org', 'orgs'],
  organization: ['organization', 'organizations'],
  organizations: ['organization', 'organizations'],
};

export function kindName(kind: string, count: number): string {
  const k = KIND_NAMES[kind.toLowerCase()];
  if (k) return count === 1 ? k[0] : k[1];
  const base = kind.replace(/[_-]+/g, ' ').trim();
  if (count === 1) return base.endsWith('s') && !base.endsWith('ss') ? base.slice(0, -1) : base;
  return base.endsWith('s') ? base : `${base}s`;
}

function reachFacts(finding: Finding, prior: Prior): ReachFacts {
  const reach = finding.access?.reach ?? [];
  let containers = 0;
  let leaves = 0;
  const parts: string[] = [];
  for (const r of reach) {
    const n = Math.max(0, Math.floor(Number(r.count) || 0));
    if (CONTAINER.test(r.kind)) containers += n;
    else leaves += n;
    parts.push(`${n} ${kindName(r.kind, n)}`);
  }
  const known = reach.length > 0;
  const orgWide = containers > 0 || leaves >= 100 || (!known && !!prior.accountWide);
  return { containers, leaves, parts, known, orgWide };
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function lifetimeFacts(finding: Finding, prior: Prior, now: Date): LifetimeFacts {
  const a = finding.access;
  const created = a?.createdAt ? new Date(a.createdAt) : undefined;
  const createdOk = created && !Number.isNaN(created.getTime()) ? created : undefined;
  const base: LifetimeFacts = {
    kind: 'unknown',
    createdAt: createdOk ? isoDay(createdOk) : undefined,
    ageDays: createdOk ? Math.floor((now.getTime() - createdOk.getTime()) / DAY) : undefined,
  };
  if (a?.expiresAt === null) return { ...base, kind: 'never' };
  if (typeof a?.expiresAt === 'string') {
    const exp = new Date(a.expiresAt);
    if (!Number.isNaN(exp.getTime())) {
      const daysLeft = Math.floor((exp.getTime() - now.getTime()) / DAY);
      const expiresAt = isoDay(exp);
      if (exp.getTime() <= now.getTime()) return { ...base, kind: 'expired', daysLeft, expiresAt };
      if (daysLeft > 90) return { ...base, kind: 'long', daysLeft, expiresAt };
      if (daysLeft < 1) return { ...base, kind: 'short', daysLeft, expiresAt };
      return { ...base, kind: 'expires', daysLeft, expiresAt };
    }
  }
  if (prior.lifetime === 'short') return { ...base, kind: 'short' };
  if (prior.lifetime === 'long' || (base.ageDays ?? 0) > 90) return { ...base, kind: 'long' };
  return base;
}

const VIS_RANK: Record<Visibility, number> = { private: 0, internal: 1, public: 2 };

function exposureFacts(finding: Finding, ctx: RiskContext, now: Date): ExposureFacts {
  const occ = finding.occurrences ?? [];
  let visibility: Visibility | undefined;
  let forks = 0;
  const places = new Set<string>();
  const repos = new Set<string>();
  let anyHead = false;
  let anyKnownPresence = false;
  let first: Date | undefined;
  for (const o of occ) {
    const ex: RepoExposure | undefined = (o.repo ? ctx.exposure?.repos?.[o.repo] : undefined) ?? ctx.exposure?.default;
    const vis = ex?.visibility ?? ctx.visibility;
    if (vis && (!visibility || VIS_RANK[vis] > VIS_RANK[visibility])) visibility = vis;
    forks = Math.max(forks, ex?.forks ?? 0);
    places.add(placeOf(o));
    if (o.repo) repos.add(o.repo);
    if (o.inHead !== undefined) {
      anyKnownPresence = true;
      if (o.inHead) anyHead = true;
    } else {
      // A file scan sees what is on disk now.
      anyHead = true;
    }
    if (o.date) {
      const d = new Date(o.date);
      if (!Number.isNaN(d.getTime()) && (!first || d < first)) first = d;
    }
  }
  return {
    visibility,
    forks,
    inHead: occ.length === 0 ? undefined : anyHead ? true : anyKnownPresence ? false : undefined,
    places: [...places].sort(),
    repos: [...repos].sort(),
    firstSeen: first ? isoDay(first) : undefined,
    leakAgeDays: first ? Math.max(0, Math.floor((now.getTime() - first.getTime()) / DAY)) : undefined,
  };
}

export function placeOf(o: Occurrence): string {
  return o.repo ? `${o.repo}:${o.file}` : o.file;
}

function envFacts(finding: Finding, prior: Prior): EnvironmentFacts {
  const a = finding.access;
  const tt = `${finding.tokenType ?? ''} ${a?.tokenType ?? ''}`.toLowerCase();
  let environment: EnvironmentFacts['environment'] = 'unknown';
  if (a?.environment && a.environment !== 'unknown') environment = a.environment;
  else if (prior.environment) environment = prior.environment;
  else if (/(^|[^a-z])(test|sandbox)([^a-z]|$)/.test(tt)) environment = 'test';
  const files = [...new Set((finding.occurrences ?? []).map((o) => o.file))].sort();
  const testPaths = files.filter(isTestLikePath);
  const envs = new Set<string>();
  for (const f of files) {
    const e: PathEnv | undefined = pathEnvironment(f);
    envs.add(e === 'example' ? 'test' : (e ?? 'app'));
  }
  return {
    environment,
    onlyTestPaths: files.length > 0 && testPaths.length === files.length,
    testPaths,
    pathEnvs: [...envs].sort(),
  };
}

export function gatherFacts(finding: Finding, ctx: RiskContext): Facts {
  const now = nowOf(ctx);
  const prior = priorFor(finding, ctx.ruleInfo?.(finding.ruleId));
  const status = finding.access?.status ?? 'skipped';
  return {
    finding,
    now,
    prior,
    privilege: assessPrivilege(finding, prior),
    status,
    reach: reachFacts(finding, prior),
    lifetime: lifetimeFacts(finding, prior, now),
    exposure: exposureFacts(finding, ctx, now),
    env: envFacts(finding, prior),
  };
}
