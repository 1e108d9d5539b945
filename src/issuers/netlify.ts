// Netlify personal access tokens `nfp_…` (ISSUERS.md §40). There are no scopes: a token reaches every team, site and
// environment variable of its user. GET /api/v1/user identifies it; /api/v1/accounts and /api/v1/sites show reach.
import { z } from 'zod';
import type { Permission } from '../types.js';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.netlify.com';

const user = z.object({
  id: z.string(),
  email: z.string().optional(),
  full_name: z.string().nullable().optional(),
  site_count: z.number().optional(),
});
const accounts = z.array(
  z.object({
    slug: z.string(),
    name: z.string().optional(),
    type_name: z.string().optional(),
    roles_allowed: z.array(z.string()).optional(),
  }),
);
const sites = z.array(z.object({ name: z.string(), url: z.string().optional() }));

export const netlify: IssuerModule = {
  id: 'netlify',
  name: 'Netlify',
  hosts: ['api.netlify.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('nfp_') ? 'personal-access-token' : 'legacy-token',
    notes: ['Netlify tokens carry no scopes: every site, team and env var of the user'],
  }),
  planLookup: (_cred, http) =>
    ['/api/v1/user', '/api/v1/accounts', '/api/v1/sites?per_page=100'].map((p) => `GET ${http.baseUrl(BASE)}${p}`),
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const auth = bearer(cred.secret);
    const res = await http.request({ url: `${base}/api/v1/user`, headers: auth });
    const bad = standard(res, 'Netlify');
    if (bad) return bad;
    const u = parse(res, user, 'Netlify');
    if (!u.ok) return u.access;
    let out = merge({
      status: 'live',
      identity: { account: u.data.id, user: u.data.full_name ?? undefined, email: u.data.email },
      permissions: [
        { resource: 'sites', access: 'admin' } as Permission,
        { resource: 'env-vars', access: 'admin' } as Permission,
      ],
    });
    const a = await http.request({ url: `${base}/api/v1/accounts`, headers: auth });
    const al = parseOptional(a, accounts);
    out = al
      ? merge(out, {
          identity: { org: al[0]?.name ?? al[0]?.slug },
          reach: [{ kind: 'teams', count: al.length, sample: al.slice(0, 5).map((x) => x.slug) }],
        })
      : merge(out, { notes: [`teams not listed (HTTP ${a.status})`] });
    const s = await http.request({ url: `${base}/api/v1/sites?per_page=100`, headers: auth });
    const sl = parseOptional(s, sites);
    return sl
      ? merge(out, {
          reach: [
            {
              kind: 'sites',
              count: Math.max(sl.length, u.data.site_count ?? 0),
              sample: sl.slice(0, 5).map((x) => x.name),
            },
          ],
        })
      : merge(out, { notes: [`sites not listed (HTTP ${s.status})`] });
  },
  runbook: () => ({
    consoleUrl: 'https://app.netlify.com/user/applications#personal-access-tokens',
    steps: ['User settings → Applications → Personal access tokens', 'Delete the token; rotate env vars it could read'],
  }),
};
