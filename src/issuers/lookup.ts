// The issuers stage: sets `finding.access` on every finding. Offline decode always; then, unless offline, each unique
// secret (by fingerprint) is looked up once at its issuer, through the shared HTTP client, with results cached in
// SQLite. Anything that goes wrong becomes 'unknown' with a note and the run goes on.
import pLimit from 'p-limit';
import { issuerBaseUrl } from '../config/load.js';
import type { KeyscopeConfig } from '../config/schema.js';
import type { Db } from '../store/db.js';
import type { Access, Finding } from '../types.js';
import { LookupCache } from './cache.js';
import { secretCompanionValues } from './companions.js';
import { HttpClient, type HttpClientOptions, RequestRefused, scrubText } from './http.js';
import { merge } from './probe.js';
import { getIssuer } from './registry.js';
import type { Credential, IssuerModule } from './types.js';

export interface LookupOptions {
  offline: boolean;
  /** Work out which redacted secret would go to which host, and send nothing. */
  plan?: boolean;
  config: KeyscopeConfig;
  cacheDb?: Db;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** A shared client (revoke reuses it) or client options (tests shorten retries and timeouts). */
  http?: HttpClient | Partial<HttpClientOptions>;
  /** Where KEYSCOPE_<ID>_BASE_URL overrides are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** How many secrets are looked up at once across issuers (per-issuer limits apply on top). */
  concurrency?: number;
}

export interface PlanEntry {
  fingerprint: string;
  issuer: string;
  ruleId: string;
  redacted: string;
  /** Hosts the secret would be sent to. */
  hosts: string[];
  /** Redacted `METHOD URL` of each request. */
  requests: string[];
  /** Requests the allowlist would refuse (so they would not be sent either). */
  refused?: string[];
  /** Why nothing would be sent (no module, offline-only issuer…). */
  note?: string;
}

export interface LookupSummary {
  /** Unique secrets looked up at an issuer in this run (cache hits and offline decodes excluded). */
  lookups: number;
  /** HTTP requests actually sent (retries included). */
  requests: number;
  /** Unique secrets answered from the cache. */
  cached: number;
  plan?: PlanEntry[];
  /** The client, for its redacted request log. */
  client: HttpClient;
}

export function credentialOf(f: Finding, now?: Date): Credential {
  return {
    secret: f.secret,
    ruleId: f.ruleId,
    tokenType: f.tokenType,
    companions: f.companions ?? {},
    fingerprint: f.id,
    now,
  };
}

/** Builds the HTTP client the way lookups and revocations share it. */
export function makeClient(
  config: KeyscopeConfig,
  offline: boolean,
  extra: Partial<HttpClientOptions> = {},
): HttpClient {
  const perIssuer: HttpClientOptions['perIssuer'] = {};
  for (const [id, s] of Object.entries(config.issuers))
    perIssuer[id] = { concurrency: s.concurrency, timeoutMs: s.timeoutMs };
  return new HttpClient({ offline, timeoutMs: config.verify.timeoutMs, perIssuer, ...extra });
}

/** Offline facts of one credential: the module's decode plus generic facts. Never throws, never does I/O. */
export function offlineAccess(f: Finding, module: IssuerModule | undefined, now: Date): Access {
  const base: Access = { status: 'skipped', source: 'offline', checkedAt: now.toISOString() };
  if (f.tokenType) base.tokenType = f.tokenType;
  let decoded: Partial<Access> = {};
  if (module?.decode) {
    try {
      decoded = module.decode(credentialOf(f, now));
    } catch (err) {
      decoded = { notes: [`offline decode failed: ${(err as Error).message}`] };
    }
  }
  const out = { ...base, ...merge(base, decoded), source: 'offline' as const, checkedAt: base.checkedAt };
  if (f.checksum === 'invalid' && out.status === 'skipped') {
    out.status = 'invalid';
    out.notes = [...(out.notes ?? []), 'embedded checksum does not hold'];
  }
  return out;
}

function withNote(a: Access, note: string): Access {
  return { ...a, notes: [...(a.notes ?? []), note] };
}

/** The secret and its secret companions; companions that name things (username, host, SID, key id) stay visible. */
function secretValues(f: Finding): string[] {
  return [f.secret, ...secretCompanionValues(f.companions)];
}

function scrubAccess(a: Access, secrets: string[]): Access {
  const json = scrubText(
    JSON.stringify(a),
    secrets.map((s) => JSON.stringify(s).slice(1, -1)),
  );
  return JSON.parse(json) as Access;
}

export async function lookupFindings(findings: Finding[], opts: LookupOptions): Promise<LookupSummary> {
  const now = opts.now ?? new Date();
  const client = opts.http instanceof HttpClient ? opts.http : makeClient(opts.config, opts.offline, opts.http ?? {});
  const cache = opts.cacheDb ? new LookupCache(opts.cacheDb, opts.config.verify.cacheTtlHours) : undefined;
  const env = opts.env ?? process.env;

  // One unit of work per (fingerprint, issuer); every finding sharing it gets a copy of the result.
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.id}\u0000${f.issuer}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }

  let lookups = 0;
  let cached = 0;
  let done = 0;
  const plan: PlanEntry[] = [];
  const limit = pLimit(opts.concurrency ?? 16);
  const total = groups.size;

  const one = async (group: Finding[]): Promise<Access> => {
    const f = group[0];
    const module = getIssuer(f.issuer);
    const offline = offlineAccess(f, module, now);
    const secrets = secretValues(f);
    if (!module) {
      if (opts.plan) plan.push(planEntry(f, [], [], 'no lookup for this issuer'));
      return withNote(offline, 'no lookup for this issuer');
    }
    if (opts.config.issuers[module.id]?.enabled === false)
      return withNote(offline, 'lookups for this issuer are disabled in config');
    if (!module.lookup) {
      if (opts.plan) plan.push(planEntry(f, [], [], 'offline decode only'));
      return offline.status === 'skipped'
        ? withNote(offline, 'no live lookup for this issuer (offline decode only)')
        : offline;
    }
    if (offline.status === 'inactive' || offline.status === 'invalid') {
      if (opts.plan) plan.push(planEntry(f, [], [], `not sent: offline decode says ${offline.status}`));
      return offline;
    }
    if (opts.offline) return withNote(offline, 'offline: not verified with the issuer');

    const override = issuerBaseUrl(opts.config, module.id, env);
    let http: ReturnType<HttpClient['bind']>;
    try {
      http = client.bind(module, credentialOf(f, now), override, 'lookup');
    } catch {
      return withNote({ ...offline, status: 'unknown' }, `base URL override for ${module.id} is not a valid URL`);
    }

    if (opts.plan) {
      plan.push(planFor(client, module, f, http, override, now));
      return withNote(offline, 'plan only: not sent');
    }

    const endpoint = override ?? '';
    const hit = cache?.get(f.id, module.id, endpoint, now);
    if (hit) {
      cached++;
      return withNote(hit, `from cache (checked ${hit.checkedAt})`);
    }

    lookups++;
    let live: Partial<Access>;
    try {
      live = await module.lookup(credentialOf(f, now), http);
    } catch (err) {
      const e = err as Error;
      const why = e instanceof RequestRefused ? e.message : `lookup failed: ${e.message}`;
      live = { status: 'unknown', notes: [why] };
    }
    const merged = merge(offline, live) as Access;
    merged.source = 'issuer';
    merged.checkedAt = new Date().toISOString();
    // A module may say 'skipped' (nothing it could check, e.g. a refresh token); silence means unknown.
    if (!live.status) merged.status = 'unknown';
    if (merged.status === 'skipped') merged.source = 'offline';
    if (merged.scopes?.length && !merged.permissions?.length && module.scopeLevels) {
      const perms = module.scopeLevels(merged.scopes);
      if (perms.length) merged.permissions = perms;
    }
    for (const r of merged.reach ?? []) if (r.sample && !r.sample.length) delete r.sample;
    const access = scrubAccess(merged, secrets);
    cache?.put(f.id, module.id, endpoint, access);
    return access;
  };

  await Promise.all(
    [...groups.values()].map((group) =>
      limit(async () => {
        let access: Access;
        try {
          access = await one(group);
        } catch (err) {
          // Defensive: a bug in one module must not stop the run.
          access = {
            status: 'unknown',
            source: 'offline',
            checkedAt: now.toISOString(),
            notes: [`internal error: ${scrubText((err as Error).message, [group[0].secret])}`],
          };
        }
        for (const f of group) f.access = structuredClone(access);
        opts.onProgress?.(++done, total);
      }),
    ),
  );

  return { lookups, requests: client.requests, cached, plan: opts.plan ? plan : undefined, client };
}

function planEntry(f: Finding, hosts: string[], requests: string[], note?: string): PlanEntry {
  return { fingerprint: f.id, issuer: f.issuer, ruleId: f.ruleId, redacted: f.redacted, hosts, requests, note };
}

function planFor(
  client: HttpClient,
  module: IssuerModule,
  f: Finding,
  http: ReturnType<HttpClient['bind']>,
  override: string | undefined,
  now: Date,
): PlanEntry {
  const secrets = secretValues(f);
  let lines: string[];
  try {
    lines = module.planLookup?.(credentialOf(f, now), http) ?? [
      `GET ${http.baseUrl(module.defaultBaseUrl ?? `https://${module.hosts[0]}`)}`,
    ];
  } catch (err) {
    return planEntry(f, [], [], `cannot plan: ${scrubText((err as Error).message, secrets)}`);
  }
  const hosts = new Set<string>();
  const requests: string[] = [];
  const refused: string[] = [];
  for (const line of lines) {
    const [method, url] = line.includes(' ')
      ? [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]
      : ['GET', line];
    const shown = `${method} ${scrubText(url, secrets)}`;
    try {
      const u = client.checkAllowed(module, url, override);
      hosts.add(u.host);
      requests.push(shown);
    } catch (err) {
      refused.push(`${shown} (${(err as Error).message})`);
    }
  }
  const entry = planEntry(f, [...hosts], requests);
  if (refused.length) entry.refused = refused;
  return entry;
}
