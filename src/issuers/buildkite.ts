// Buildkite API access tokens `bkua_<40>` (ISSUERS.md §46). GET /v2/access-token describes the calling token (uuid,
// scopes, user) and needs no scope; /v2/organizations shows the reach when read_organizations is granted.
import { z } from 'zod';
import type { Permission } from '../types.js';
import { bearer, dedupePermissions, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.buildkite.com';

const token = z.object({
  uuid: z.string(),
  scopes: z.array(z.string()),
  description: z.string().nullable().optional(),
  created_at: z.string().optional(),
  user: z.object({ name: z.string().optional(), email: z.string().optional() }).nullable().optional(),
});
const orgs = z.array(z.object({ slug: z.string(), name: z.string().optional() }));

const ADMIN = new Set(['write_teams', 'write_clusters', 'write_rules', 'write_organizations']);

/** `read_x` → read x, `write_x` / `delete_x` → write x (team, cluster and rule writes → admin), `graphql` → write. */
export function buildkiteScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    const m = /^(read|write|delete)_(.+)$/.exec(s);
    if (m) out.push({ resource: m[2], access: m[1] === 'read' ? 'read' : ADMIN.has(s) ? 'admin' : 'write' });
    else if (s === 'graphql') out.push({ resource: 'graphql', access: 'write' });
  }
  return dedupePermissions(out);
}

export const buildkite: IssuerModule = {
  id: 'buildkite',
  name: 'Buildkite',
  hosts: ['api.buildkite.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  decode: (cred) =>
    cred.secret.startsWith('bkat_')
      ? {
          tokenType: 'agent-token',
          notes: ['agent registration token: lets anyone register build agents and run jobs'],
        }
      : { tokenType: 'api-access-token' },
  planLookup: (cred, http) =>
    cred.secret.startsWith('bkat_')
      ? []
      : [`GET ${http.baseUrl(BASE)}/v2/access-token`, `GET ${http.baseUrl(BASE)}/v2/organizations`],
  async lookup(cred, http) {
    // The only check for an agent token is registering an agent, which changes state.
    if (cred.secret.startsWith('bkat_'))
      return { status: 'unknown', notes: ['agent tokens are not verified (the check would register an agent)'] };
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v2/access-token`, headers: bearer(cred.secret) });
    const bad = standard(res, 'Buildkite');
    if (bad) return bad;
    const t = parse(res, token, 'Buildkite');
    if (!t.ok) return t.access;
    const out = merge({
      status: 'live',
      identity: { user: t.data.user?.name, email: t.data.user?.email, type: `token ${t.data.uuid}` },
      scopes: t.data.scopes,
      permissions: buildkiteScopeLevels(t.data.scopes),
      createdAt: t.data.created_at,
      expiresAt: null,
    });
    if (!t.data.scopes.includes('read_organizations'))
      return merge(out, { notes: ['organizations not listed: no read_organizations scope'] });
    const o = await http.request({ url: `${base}/v2/organizations`, headers: bearer(cred.secret) });
    const list = parseOptional(o, orgs);
    if (!list) return merge(out, { notes: [`organizations not readable (HTTP ${o.status})`] });
    return merge(out, {
      identity: { org: list[0]?.slug },
      reach: [{ kind: 'organizations', count: list.length, sample: list.slice(0, 5).map((x) => x.slug) }],
    });
  },
  scopeLevels: buildkiteScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://buildkite.com/user/api-access-tokens',
    steps: [
      'Open Personal Settings → API Access Tokens',
      'Revoke the token (DELETE /v2/access-token with itself also works)',
    ],
  }),
};
