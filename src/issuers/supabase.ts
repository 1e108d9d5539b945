// Supabase (ISSUERS.md §41). Management PATs `sbp_…` list the user's projects at api.supabase.com. Project keys:
// legacy HS256 JWTs {iss:"supabase", ref, role: anon|service_role, exp} (role and project decoded offline; a
// service_role key bypasses row-level security) and the newer `sb_secret_` / `sb_publishable_` keys, checked against
// the project's REST endpoint `https://<ref>.supabase.co/rest/v1/` (the ref from the JWT or a project URL companion).
import { z } from 'zod';
import type { Access } from '../types.js';
import { decodeJwt, jwtFacts } from './jwt.js';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import { tenantBase } from './tenant.js';
import type { Credential, IssuerHttp, IssuerModule } from './types.js';

const API = 'https://api.supabase.com';
const PROJECTS = ['*.supabase.co'];

const projects = z.array(
  z.object({
    id: z.string(),
    name: z.string().optional(),
    organization_id: z.string().optional(),
    region: z.string().optional(),
    status: z.string().optional(),
  }),
);
const orgs = z.array(z.object({ id: z.string(), name: z.string().optional() }));
const openapi = z
  .object({ swagger: z.string().optional(), openapi: z.string().optional(), paths: z.record(z.string(), z.unknown()) })
  .refine((v) => v.swagger || v.openapi, 'not an OpenAPI document');

function jwtOf(secret: string) {
  const d = decodeJwt(secret);
  return d && d.claims.iss === 'supabase' ? d : undefined;
}

function projectBase(cred: Credential, http: IssuerHttp): { base?: string; note?: string } {
  if (http.override) return { base: http.override };
  const ref = jwtOf(cred.secret)?.claims.ref;
  if (typeof ref === 'string' && /^[a-z0-9]{10,40}$/.test(ref)) return { base: `https://${ref}.supabase.co` };
  return tenantBase('supabase', cred, http, PROJECTS, 'the project URL (<ref>.supabase.co)', 'url');
}

export const supabase: IssuerModule = {
  id: 'supabase',
  name: 'Supabase',
  hosts: ['api.supabase.com', ...PROJECTS],
  defaultBaseUrl: API,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode(cred) {
    const s = cred.secret;
    if (s.startsWith('sbp_'))
      return { tokenType: 'management-token', permissions: [{ resource: 'projects', access: 'admin' }] };
    if (s.startsWith('sb_secret_'))
      return {
        tokenType: 'secret-key',
        permissions: [{ resource: 'database', access: 'admin' }],
        notes: ['secret key: bypasses row-level security'],
      };
    if (s.startsWith('sb_publishable_'))
      return {
        tokenType: 'publishable-key',
        permissions: [{ resource: 'database', access: 'read' }],
        notes: ['publishable key: public by design, limited by row-level security'],
      };
    const d = jwtOf(s);
    if (!d) return {};
    const facts = jwtFacts(d.claims, cred.now);
    const role = d.claims.role;
    const out: Partial<Access> = merge(facts, {
      tokenType: typeof role === 'string' ? `${role.replace(/_/g, '-')}-key` : 'jwt',
    });
    if (role === 'service_role') {
      out.permissions = [{ resource: 'database', access: 'admin' }];
      out.notes = [...(out.notes ?? []), 'service_role key: bypasses row-level security on every table'];
    } else if (role === 'anon') {
      out.permissions = [{ resource: 'database', access: 'read' }];
      out.notes = [...(out.notes ?? []), 'anon key: public by design; exposure depends on row-level security'];
    }
    return out;
  },
  planLookup(cred, http) {
    if (cred.secret.startsWith('sbp_'))
      return [`GET ${http.baseUrl(API)}/v1/projects`, `GET ${http.baseUrl(API)}/v1/organizations`];
    const b = projectBase(cred, http).base;
    return b ? [`GET ${b}/rest/v1/`] : [];
  },
  async lookup(cred, http) {
    if (cred.secret.startsWith('sbp_')) {
      const base = http.baseUrl(API);
      const res = await http.request({ url: `${base}/v1/projects`, headers: bearer(cred.secret) });
      const bad = standard(res, 'Supabase');
      if (bad) return bad;
      const p = parse(res, projects, 'Supabase');
      if (!p.ok) return p.access;
      const out = merge({
        status: 'live',
        reach: [{ kind: 'projects', count: p.data.length, sample: p.data.slice(0, 5).map((x) => x.name ?? x.id) }],
        expiresAt: null,
      });
      const o = await http.request({ url: `${base}/v1/organizations`, headers: bearer(cred.secret) });
      const ol = parseOptional(o, orgs);
      return ol
        ? merge(out, {
            identity: { org: ol[0]?.name ?? ol[0]?.id },
            reach: [{ kind: 'organizations', count: ol.length, sample: ol.slice(0, 5).map((x) => x.name ?? x.id) }],
          })
        : merge(out, { notes: [`organizations not listed (HTTP ${o.status})`] });
    }
    const { base, note } = projectBase(cred, http);
    if (!base) return { status: 'unknown', notes: [note!] };
    // New keys go in `apikey` only; legacy JWT keys also as the Bearer role.
    const headers: Record<string, string> = { apikey: cred.secret, accept: 'application/openapi+json' };
    if (jwtOf(cred.secret)) Object.assign(headers, bearer(cred.secret));
    const res = await http.request({ url: `${base}/rest/v1/`, headers });
    const bad = standard(res, 'Supabase');
    if (bad) return bad;
    const doc = parse(res, openapi, 'Supabase');
    if (!doc.ok) return doc.access;
    const tables = Object.keys(doc.data.paths).filter((p) => p !== '/' && !p.startsWith('/rpc/'));
    return {
      status: 'live',
      identity: { project: new URL(base).hostname.split('.')[0] },
      reach: [{ kind: 'tables', count: tables.length, sample: tables.slice(0, 5).map((t) => t.replace(/^\//, '')) }],
    };
  },
  runbook: (cred) =>
    cred.secret.startsWith('sbp_')
      ? {
          consoleUrl: 'https://supabase.com/dashboard/account/tokens',
          steps: ['Account → Access Tokens', 'Revoke the token'],
        }
      : {
          consoleUrl: 'https://supabase.com/dashboard/project/_/settings/api-keys',
          steps: ['Project Settings → API Keys', 'Roll the key (legacy JWT keys: rotate the JWT secret)'],
        },
};
