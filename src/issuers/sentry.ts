// Sentry auth tokens (ISSUERS.md §37). Org tokens `sntrys_<base64 JSON {iat,url,region_url,org}>_<secret>` carry
// their org and region (decoded offline); user tokens `sntryu_<64 hex>`; legacy 64 hex. GET /api/0/organizations/
// decides: 200 = live (the orgs are the reach), 403 = live without org:read, 401 = invalid. GET /api/0/ then names the
// token's scopes (`auth.scopes`) and user.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { hostMatches } from './http.js';
import { bearer, dedupePermissions, merge, parse, parseOptional, unusable } from './probe.js';
import type { Credential, IssuerHttp, IssuerModule } from './types.js';

const BASE = 'https://sentry.io';
const HOSTS = ['sentry.io', '*.sentry.io'];

export interface SentryOrgPayload {
  org?: string;
  url?: string;
  region_url?: string;
  iat?: number;
}

/** The JSON inside an org token, or undefined. */
export function sentryOrgPayload(secret: string): SentryOrgPayload | undefined {
  const m = /^sntrys_([A-Za-z0-9+/=]+)_[A-Za-z0-9+/]+=*$/.exec(secret);
  if (!m) return undefined;
  try {
    const v = JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'));
    return v && typeof v === 'object' ? (v as SentryOrgPayload) : undefined;
  } catch {
    return undefined;
  }
}

/** `org:read` → read org, `project:write` → write, `member:admin` → admin, `project:releases` / `org:ci` → write releases. */
export function sentryScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    if (s === 'project:releases' || s === 'org:ci') {
      out.push({ resource: 'releases', access: 'write' });
      continue;
    }
    const m = /^([a-z_]+):(read|write|admin)$/.exec(s);
    if (m) out.push({ resource: m[1], access: m[2] as Permission['access'] });
  }
  return dedupePermissions(out);
}

const orgs = z.array(z.object({ slug: z.string(), name: z.string().optional() }));
const index = z.object({
  version: z.string().optional(),
  auth: z
    .object({ scopes: z.array(z.string()) })
    .nullable()
    .optional(),
  user: z
    .object({
      id: z.string().optional(),
      username: z.string().optional(),
      email: z.string().optional(),
      name: z.string().optional(),
    })
    .nullable()
    .optional(),
});

function baseFor(cred: Credential, http: IssuerHttp): { base?: string; note?: string } {
  if (http.override) return { base: http.override };
  const p = sentryOrgPayload(cred.secret);
  for (const u of [p?.region_url, p?.url]) {
    if (!u) continue;
    try {
      const url = new URL(u);
      if (url.protocol === 'https:' && HOSTS.some((h) => hostMatches(url.hostname, h))) return { base: url.origin };
    } catch {
      // not a URL: fall through
    }
  }
  if (p?.url && !/sentry\.io/.test(p.url))
    return { note: 'self-hosted Sentry: set [issuers.sentry] baseUrl to verify' };
  return { base: BASE };
}

export const sentry: IssuerModule = {
  id: 'sentry',
  name: 'Sentry',
  hosts: HOSTS,
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    if (cred.secret.startsWith('sntrys_')) {
      const p = sentryOrgPayload(cred.secret);
      const out: Partial<Access> = {
        tokenType: 'org-auth-token',
        scopes: ['org:ci'],
        permissions: sentryScopeLevels(['org:ci']),
        identity: { org: p?.org },
        notes: [`org token${p?.region_url ? ` for region ${p.region_url}` : ''}: CI scope (releases, source maps)`],
      };
      if (typeof p?.iat === 'number') out.createdAt = new Date(p.iat * 1000).toISOString();
      return out;
    }
    if (cred.secret.startsWith('sntryu_')) return { tokenType: 'user-auth-token' };
    return { tokenType: 'auth-token' };
  },
  planLookup(cred, http) {
    const b = baseFor(cred, http).base;
    return b ? [`GET ${b}/api/0/organizations/`, `GET ${b}/api/0/`] : [];
  },
  async lookup(cred, http) {
    const { base, note } = baseFor(cred, http);
    if (!base) return { status: 'unknown', notes: [note!] };
    const auth = { ...bearer(cred.secret), accept: 'application/json' };
    const res = await http.request({ url: `${base}/api/0/organizations/`, headers: auth });
    const bad = unusable(res, 'Sentry');
    if (bad) return bad;
    if (res.status === 401) return { status: 'invalid', notes: ['Sentry rejected the token (HTTP 401)'] };
    let out: Partial<Access>;
    if (res.status === 403 && res.json !== undefined) {
      out = merge({ status: 'live', notes: ['organizations not listed (HTTP 403): the token lacks org:read'] });
    } else if (res.status === 200) {
      const list = parse(res, orgs, 'Sentry');
      if (!list.ok) return list.access;
      out = merge({
        status: 'live',
        identity: { org: list.data[0]?.slug },
        reach: [{ kind: 'organizations', count: list.data.length, sample: list.data.slice(0, 5).map((o) => o.slug) }],
      });
    } else {
      return { status: 'unknown', notes: [`Sentry answered HTTP ${res.status}`] };
    }
    const i = await http.request({ url: `${base}/api/0/`, headers: auth });
    const idx = parseOptional(i, index);
    if (!idx?.auth) return merge(out, { notes: [`scopes not readable (HTTP ${i.status})`] });
    return merge(out, {
      scopes: idx.auth.scopes,
      permissions: sentryScopeLevels(idx.auth.scopes),
      identity: idx.user ? { user: idx.user.username ?? idx.user.name, email: idx.user.email } : undefined,
    });
  },
  scopeLevels: sentryScopeLevels,
  runbook: (cred) => ({
    consoleUrl: cred.secret.startsWith('sntrys_')
      ? 'https://sentry.io/settings/auth-tokens/'
      : 'https://sentry.io/settings/account/api/auth-tokens/',
    steps: [
      'Open the auth tokens page (organization settings for org tokens, user settings for user tokens)',
      'Revoke the token',
    ],
  }),
};
