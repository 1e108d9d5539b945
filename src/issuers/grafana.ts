// Grafana (ISSUERS.md §38). Service-account tokens `glsa_<32>_<crc>` and legacy API keys (`eyJrIjoi…`, base64 JSON
// {k,n,id}) belong to one Grafana instance: a Grafana Cloud stack `*.grafana.net` from a companion, or a self-hosted
// server through the base URL override. GET /api/access-control/user/permissions lists the token's RBAC actions;
// /api/org names the org. Cloud access-policy tokens `glc_<base64 JSON {o,n,m:{r}}>` carry org, name and region
// offline and are checked at grafana.com.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, dedupePermissions, merge, parse, parseOptional, unusable } from './probe.js';
import { tenantBase } from './tenant.js';
import type { IssuerModule } from './types.js';

const STACKS = ['*.grafana.net'];
const CLOUD = 'https://grafana.com';

export interface GrafanaCloudPayload {
  o?: string | number;
  n?: string;
  m?: { r?: string };
}

function b64json<T>(text: string): T | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    return v && typeof v === 'object' ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The payload of a `glc_` token (org id, access-policy token name, region). */
export const grafanaCloudPayload = (secret: string) =>
  secret.startsWith('glc_') ? b64json<GrafanaCloudPayload>(secret.slice(4)) : undefined;

/** Legacy API keys are base64 JSON {k: key, n: name, id: org id}. */
export const grafanaLegacyPayload = (secret: string) =>
  secret.startsWith('eyJrIjoi') ? b64json<{ n?: string; id?: number }>(secret) : undefined;

const ADMIN_AREAS = new Set([
  'users',
  'org.users',
  'orgs',
  'serviceaccounts',
  'teams',
  'roles',
  'server',
  'settings',
  'ldap',
  'licensing',
  'apikeys',
  'permissions',
]);

/** RBAC actions ("dashboards:read", "users:create") → read/write/admin per resource. */
export function grafanaActionLevels(actions: string[]): Permission[] {
  const out: Permission[] = [];
  for (const a of actions) {
    const cut = a.lastIndexOf(':');
    if (cut <= 0) continue;
    const resource = a.slice(0, cut);
    const verb = a.slice(cut + 1);
    const read = /^(read|query|list|export)$/.test(verb) || verb.endsWith('.read');
    if (read) out.push({ resource, access: 'read' });
    else
      out.push({
        resource,
        access: ADMIN_AREAS.has(resource.split('.')[0]) || ADMIN_AREAS.has(resource) ? 'admin' : 'write',
      });
  }
  return dedupePermissions(out);
}

const permissions = z.record(z.string(), z.array(z.string()).nullable());
const org = z.object({ id: z.number(), name: z.string().optional() });
const cloudTokens = z.object({ items: z.array(z.object({ name: z.string().optional() }).passthrough()) }).passthrough();

function kind(secret: string): string {
  if (secret.startsWith('glsa_')) return 'service-account-token';
  if (secret.startsWith('glc_')) return 'cloud-access-policy-token';
  if (secret.startsWith('eyJrIjoi')) return 'legacy-api-key';
  return 'token';
}

async function lookupCloud(
  secret: string,
  payload: GrafanaCloudPayload | undefined,
  http: Parameters<NonNullable<IssuerModule['lookup']>>[1],
): Promise<Partial<Access>> {
  const region = payload?.m?.r;
  const url = `${http.baseUrl(CLOUD)}/api/v1/tokens${region ? `?region=${encodeURIComponent(region)}` : ''}`;
  const res = await http.request({ url, headers: bearer(secret) });
  const bad = unusable(res, 'grafana.com');
  if (bad) return bad;
  if (res.status === 401 || res.status === 403) {
    // grafana.com says "InvalidCredentials" for a bad token; other refusals mean a good token without tokens:read.
    if (/invalid/i.test(res.text))
      return { status: 'invalid', notes: [`grafana.com rejected the token (HTTP ${res.status})`] };
    if (res.status === 403 && res.json !== undefined)
      return { status: 'live', notes: ['access policy lacks the scope to list tokens (HTTP 403)'] };
    return { status: 'unknown', notes: [`grafana.com answered HTTP ${res.status} without saying why`] };
  }
  if (res.status !== 200) return { status: 'unknown', notes: [`grafana.com answered HTTP ${res.status}`] };
  const t = parse(res, cloudTokens, 'grafana.com');
  if (!t.ok) return t.access;
  return {
    status: 'live',
    permissions: [{ resource: 'access-policies', access: 'read' }],
    reach: [{ kind: 'cloud-tokens', count: t.data.items.length }],
  };
}

export const grafana: IssuerModule = {
  id: 'grafana',
  name: 'Grafana',
  hosts: [...STACKS, 'grafana.com'],
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    const out: Partial<Access> = { tokenType: kind(cred.secret) };
    const cloud = grafanaCloudPayload(cred.secret);
    if (cloud) {
      out.identity = { org: cloud.o !== undefined ? String(cloud.o) : undefined, user: cloud.n };
      out.notes = [
        `Grafana Cloud access policy token${cloud.n ? ` "${cloud.n}"` : ''}${cloud.m?.r ? ` in region ${cloud.m.r}` : ''}`,
      ];
      // Access-policy token names conventionally carry the scope: "...-read" / "...-write".
      if (cloud.n && /(^|-)write(-|$)/.test(cloud.n)) out.permissions = [{ resource: 'stack-data', access: 'write' }];
      else if (cloud.n && /(^|-)read(-|$)/.test(cloud.n))
        out.permissions = [{ resource: 'stack-data', access: 'read' }];
    }
    const legacy = grafanaLegacyPayload(cred.secret);
    if (legacy) out.identity = { user: legacy.n, org: legacy.id !== undefined ? `org ${legacy.id}` : undefined };
    return out;
  },
  planLookup(cred, http) {
    if (cred.secret.startsWith('glc_')) return [`GET ${http.baseUrl(CLOUD)}/api/v1/tokens`];
    const b = tenantBase('grafana', cred, http, STACKS, 'the Grafana stack URL (<stack>.grafana.net)', 'host').base;
    return b ? [`GET ${b}/api/access-control/user/permissions`, `GET ${b}/api/org`] : [];
  },
  async lookup(cred, http) {
    if (cred.secret.startsWith('glc_')) return lookupCloud(cred.secret, grafanaCloudPayload(cred.secret), http);
    const { base, note } = tenantBase(
      'grafana',
      cred,
      http,
      STACKS,
      'the Grafana stack URL (<stack>.grafana.net)',
      'host',
    );
    if (!base) return { status: 'unknown', notes: [note!] };
    const auth = { ...bearer(cred.secret), accept: 'application/json' };
    const res = await http.request({ url: `${base}/api/access-control/user/permissions`, headers: auth });
    const bad = unusable(res, 'Grafana');
    if (bad) return bad;
    if (res.status === 401) return { status: 'invalid', notes: ['Grafana rejected the token (HTTP 401)'] };
    let out: Partial<Access>;
    if (res.status === 200) {
      const p = parse(res, permissions, 'Grafana');
      if (!p.ok) return p.access;
      const actions = Object.keys(p.data);
      out = merge({ status: 'live', scopes: actions, permissions: grafanaActionLevels(actions) });
    } else if (res.status === 404 || res.status === 403) {
      // Grafana < 9 has no RBAC endpoint; the org lookup below then decides.
      out = { notes: [`RBAC permissions not available (HTTP ${res.status})`] };
    } else {
      return { status: 'unknown', notes: [`Grafana answered HTTP ${res.status}`] };
    }
    const o = await http.request({ url: `${base}/api/org`, headers: auth });
    const body = parseOptional(o, org);
    if (body) return merge(out, { status: 'live', identity: { org: body.name ?? String(body.id) } });
    if (!out.status)
      return {
        status: o.status === 401 ? 'invalid' : 'unknown',
        notes: [...(out.notes ?? []), `org not readable (HTTP ${o.status})`],
      };
    return merge(out, { notes: [`org not readable (HTTP ${o.status})`] });
  },
  scopeLevels: grafanaActionLevels,
  runbook: (cred) => ({
    consoleUrl: cred.secret.startsWith('glc_')
      ? 'https://grafana.com/orgs'
      : 'https://grafana.com/docs/grafana/latest/administration/service-accounts/',
    steps: cred.secret.startsWith('glc_')
      ? ['grafana.com → your org → Access Policies', 'Delete the token under its access policy']
      : ['Administration → Users and access → Service accounts', 'Delete the token (or the service account)'],
  }),
};
