// Postman API keys `PMAK-<24 hex>-<34 hex>` (ISSUERS.md §31), header X-Api-Key. GET /me gives the user, team and team
// roles; /workspaces and /collections show the reach (collections often hold further secrets).
import { z } from 'zod';
import { merge, parse, parseOptional, scopeTable, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.getpostman.com';

const me = z.object({
  user: z.object({
    id: z.union([z.number(), z.string()]),
    username: z.string().optional(),
    email: z.string().optional(),
    fullName: z.string().optional(),
    teamId: z.union([z.number(), z.string()]).nullable().optional(),
    teamName: z.string().nullable().optional(),
    teamDomain: z.string().nullable().optional(),
    roles: z.array(z.string()).optional(),
  }),
});
const workspaces = z.object({
  workspaces: z.array(z.object({ id: z.string(), name: z.string().optional(), visibility: z.string().optional() })),
});
const collections = z.object({
  collections: z.array(z.object({ id: z.string().optional(), name: z.string().optional() })),
});

// Team roles (learning.postman.com "Team roles"): the key acts with its user's roles.
export const postmanRoleLevels = scopeTable({
  'super-admin': { resource: 'team', access: 'admin' },
  admin: { resource: 'team', access: 'admin' },
  billing: { resource: 'billing', access: 'admin' },
  'community-manager': { resource: 'public-workspaces', access: 'write' },
  'partner-manager': { resource: 'partner-workspaces', access: 'write' },
  user: { resource: 'workspaces', access: 'write' },
  'flow-creator': { resource: 'flows', access: 'write' },
});

export const postman: IssuerModule = {
  id: 'postman',
  name: 'Postman',
  hosts: ['api.getpostman.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  decode: () => ({ tokenType: 'api-key' }),
  planLookup: (_cred, http) => ['/me', '/workspaces', '/collections'].map((p) => `GET ${http.baseUrl(BASE)}${p}`),
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const headers = { 'x-api-key': cred.secret };
    const res = await http.request({ url: `${base}/me`, headers });
    const bad = standard(res, 'Postman');
    if (bad) return bad;
    const body = parse(res, me, 'Postman');
    if (!body.ok) return body.access;
    const u = body.data.user;
    const roles = (u.roles ?? []).map((r) => `role:${r}`);
    let out = merge({
      status: 'live',
      identity: {
        user: u.username ?? String(u.id),
        email: u.email,
        org: u.teamName ?? undefined,
        account: u.teamDomain ?? undefined,
      },
      scopes: roles,
      permissions: postmanRoleLevels(u.roles ?? []),
      // API keys can be given an expiry in the UI, but the API does not expose it.
    });
    const w = await http.request({ url: `${base}/workspaces`, headers });
    const ws = parseOptional(w, workspaces);
    out = ws
      ? merge(out, {
          reach: [
            {
              kind: 'workspaces',
              count: ws.workspaces.length,
              sample: ws.workspaces.slice(0, 5).map((x) => x.name ?? x.id),
            },
          ],
        })
      : merge(out, { notes: [`workspaces not listed (HTTP ${w.status})`] });
    const c = await http.request({ url: `${base}/collections`, headers });
    const cs = parseOptional(c, collections);
    return cs
      ? merge(out, {
          reach: [
            {
              kind: 'collections',
              count: cs.collections.length,
              sample: cs.collections.slice(0, 5).map((x) => x.name ?? x.id ?? '?'),
            },
          ],
        })
      : merge(out, { notes: [`collections not listed (HTTP ${c.status})`] });
  },
  scopeLevels: (scopes) => postmanRoleLevels(scopes.map((s) => s.replace(/^role:/, ''))),
  runbook: () => ({
    consoleUrl: 'https://web.postman.co/settings/me/api-keys',
    steps: [
      'Open Settings → API keys',
      'Find the key by its name or last use',
      'Revoke it; also check collections for further secrets',
    ],
  }),
};
