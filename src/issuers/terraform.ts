// HCP Terraform / Terraform Enterprise API tokens `<14>.atlasv1.<60-70>` (ISSUERS.md §29), shared by user, team and
// organization tokens. GET /api/v2/account/details answers user and team tokens (team tokens as a service account);
// organization tokens get 404 there. GET /api/v2/organizations lists reachable orgs with the token's permissions on
// each. Terraform Enterprise: the base URL override.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, dedupePermissions, merge, parse, parseOptional, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://app.terraform.io';
const JSONAPI = 'application/vnd.api+json';

const account = z.object({
  data: z.object({
    id: z.string(),
    type: z.string(),
    attributes: z
      .object({
        username: z.string().optional(),
        email: z.string().optional(),
        'is-service-account': z.boolean().optional(),
        'is-site-admin': z.boolean().optional(),
        'two-factor': z.object({ enabled: z.boolean().optional() }).optional(),
      })
      .passthrough(),
  }),
});
const orgs = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      attributes: z
        .object({ name: z.string().optional(), permissions: z.record(z.string(), z.boolean()).optional() })
        .passthrough(),
    }),
  ),
});

const ADMIN = new Set([
  'can-destroy',
  'can-update',
  'can-manage-users',
  'can-manage-teams',
  'can-update-api-token',
  'can-manage-run-tasks',
]);
const WRITE = new Set([
  'can-create-workspace',
  'can-create-team',
  'can-manage-modules',
  'can-manage-providers',
  'can-manage-policies',
]);

/** `org:<name>:<permission>` scopes → admin / write / read on that organization. */
export function terraformScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    const m = /^org:(.+):(can-[a-z-]+)$/.exec(s);
    if (m)
      out.push({ resource: `org:${m[1]}`, access: ADMIN.has(m[2]) ? 'admin' : WRITE.has(m[2]) ? 'write' : 'read' });
    else if (s === 'site-admin') out.push({ resource: 'site', access: 'admin' });
  }
  return dedupePermissions(out);
}

export const terraform: IssuerModule = {
  id: 'terraform',
  name: 'HCP Terraform',
  hosts: ['app.terraform.io', 'app.eu.terraform.io'],
  defaultBaseUrl: BASE,
  // ~30 requests per second per token.
  rate: { concurrency: 2, perSecond: 10 },
  decode: () => ({ tokenType: 'api-token', notes: ['user, team and organization tokens share this format'] }),
  planLookup: (_cred, http) => [
    `GET ${http.baseUrl(BASE)}/api/v2/account/details`,
    `GET ${http.baseUrl(BASE)}/api/v2/organizations`,
  ],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const headers = { ...bearer(cred.secret), accept: JSONAPI };
    const res = await http.request({ url: `${base}/api/v2/account/details`, headers });
    const bad = unusable(res, 'Terraform');
    if (bad) return bad;
    if (res.status === 401) return { status: 'invalid', notes: ['Terraform rejected the token (HTTP 401)'] };
    let out: Partial<Access>;
    if (res.status === 200) {
      const a = parse(res, account, 'Terraform');
      if (!a.ok) return a.access;
      const at = a.data.data.attributes;
      const service = at['is-service-account'] === true;
      out = merge({
        status: 'live',
        tokenType: service ? 'team-token' : 'user-token',
        identity: {
          account: a.data.data.id,
          user: at.username,
          email: at.email,
          type: service ? 'service-account' : 'user',
        },
        scopes: at['is-site-admin'] ? ['site-admin'] : [],
        notes:
          !service && at['two-factor']?.enabled === false ? ['the user has no two-factor authentication'] : undefined,
      });
    } else if (res.status === 404 && res.json !== undefined) {
      out = merge({
        status: 'live',
        tokenType: 'organization-token',
        notes: ['no account behind the token: an organization token'],
      });
    } else {
      return { status: 'unknown', notes: [`Terraform answered HTTP ${res.status}`] };
    }
    const o = await http.request({ url: `${base}/api/v2/organizations`, headers });
    const list = parseOptional(o, orgs);
    if (!list) {
      // An organization token proved nothing yet if it cannot read organizations either.
      if (out.tokenType === 'organization-token')
        return { status: 'unknown', notes: [`Terraform answered HTTP ${o.status} to an organization listing`] };
      return merge(out, { notes: [`organizations not listed (HTTP ${o.status})`] });
    }
    const scopes: string[] = [];
    for (const org of list.data) {
      const name = org.attributes.name ?? org.id;
      for (const [perm, granted] of Object.entries(org.attributes.permissions ?? {}))
        if (granted) scopes.push(`org:${name}:${perm}`);
    }
    return merge(out, {
      identity: { org: list.data[0]?.attributes.name ?? list.data[0]?.id },
      scopes: [...(out.scopes ?? []), ...scopes],
      reach: [
        {
          kind: 'organizations',
          count: list.data.length,
          sample: list.data.slice(0, 5).map((x) => x.attributes.name ?? x.id),
        },
      ],
    });
  },
  scopeLevels: terraformScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://app.terraform.io/app/settings/tokens',
    steps: [
      'User settings → Tokens (team/org tokens: the organization settings → API tokens)',
      'Delete or regenerate the token',
    ],
  }),
};
