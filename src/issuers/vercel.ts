// Vercel tokens (ISSUERS.md §39): `vcp_` personal, `vci_` integration, `vca_` app access, `vcr_` app refresh,
// `vck_` AI Gateway key (each prefix + 50 + base62 CRC32), legacy 24 alnum. GET /v2/user gives the account; /v2/teams
// the teams and the user's role in each; /v9/projects the reach. Vercel answers an invalid token with 403
// {"error":{"invalidToken":true}}.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, merge, parse, parseOptional, unusable } from './probe.js';
import type { HttpResponse, IssuerModule } from './types.js';

const BASE = 'https://api.vercel.com';

const TYPES: Record<string, string> = {
  vcp: 'personal-token',
  vci: 'integration-token',
  vca: 'app-access-token',
  vcr: 'app-refresh-token',
  vck: 'ai-gateway-key',
};

const user = z.object({
  user: z.object({
    id: z.string().optional(),
    uid: z.string().optional(),
    email: z.string().optional(),
    username: z.string().optional(),
    name: z.string().nullable().optional(),
    defaultTeamId: z.string().nullable().optional(),
  }),
});
const teams = z.object({
  teams: z.array(
    z.object({
      id: z.string(),
      slug: z.string().optional(),
      name: z.string().nullable().optional(),
      membership: z.object({ role: z.string().optional() }).optional(),
    }),
  ),
});
const projects = z.object({
  projects: z.array(z.object({ name: z.string() })),
  pagination: z.object({ count: z.number().optional() }).optional(),
});

const ROLE: Record<string, Permission['access']> = {
  OWNER: 'admin',
  MEMBER: 'write',
  DEVELOPER: 'write',
  BILLING: 'read',
  VIEWER: 'read',
  CONTRIBUTOR: 'write',
};

function rejected(res: HttpResponse): boolean {
  if (res.status === 401) return true;
  const err = (res.json as { error?: { invalidToken?: boolean; code?: string } } | undefined)?.error;
  return res.status === 403 && (err?.invalidToken === true || err?.code === 'invalid_token');
}

export const vercel: IssuerModule = {
  id: 'vercel',
  name: 'Vercel',
  hosts: ['api.vercel.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  // Tokens have no scope vocabulary: the user's team roles are the scope.
  capabilities: { scope: true },
  decode(cred) {
    const p = /^(vc[a-z])_/.exec(cred.secret)?.[1];
    const out: Partial<Access> = { tokenType: p ? (TYPES[p] ?? 'token') : 'legacy-token' };
    if (p === 'vck') out.notes = ['AI Gateway key: spends the team’s AI credits'];
    if (p === 'vcr')
      out.notes = ['app refresh token: exchanged for access tokens together with the app’s client secret'];
    return out;
  },
  planLookup: (_cred, http) =>
    ['/v2/user', '/v2/teams', '/v9/projects?limit=100'].map((p) => `GET ${http.baseUrl(BASE)}${p}`),
  async lookup(cred, http) {
    if (/^vc[kr]_/.test(cred.secret)) {
      return { status: 'unknown', notes: ['AI Gateway keys and app refresh tokens have no read-only check; not sent'] };
    }
    const base = http.baseUrl(BASE);
    const auth = bearer(cred.secret);
    const res = await http.request({ url: `${base}/v2/user`, headers: auth });
    const bad = unusable(res, 'Vercel');
    if (bad) return bad;
    if (rejected(res)) return { status: 'invalid', notes: [`Vercel rejected the token (HTTP ${res.status})`] };
    if (res.status !== 200) return { status: 'unknown', notes: [`Vercel answered HTTP ${res.status}`] };
    const u = parse(res, user, 'Vercel');
    if (!u.ok) return u.access;
    let out: Partial<Access> = merge({
      status: 'live',
      identity: { account: u.data.user.id ?? u.data.user.uid, user: u.data.user.username, email: u.data.user.email },
      permissions: [{ resource: 'personal-account', access: 'admin' }],
    });
    const t = await http.request({ url: `${base}/v2/teams`, headers: auth });
    const tl = parseOptional(t, teams);
    if (tl) {
      const perms: Permission[] = [];
      for (const x of tl.teams) {
        const role = x.membership?.role;
        perms.push({ resource: `team:${x.slug ?? x.id}`, access: (role && ROLE[role]) || 'read' });
      }
      out = merge(out, {
        scopes: tl.teams.map((x) => `team:${x.slug ?? x.id}:${x.membership?.role ?? '?'}`),
        permissions: perms,
        reach: [{ kind: 'teams', count: tl.teams.length, sample: tl.teams.slice(0, 5).map((x) => x.slug ?? x.id) }],
      });
    } else out = merge(out, { notes: [`teams not listed (HTTP ${t.status}); the token may be scoped to one team`] });
    const p = await http.request({ url: `${base}/v9/projects?limit=100`, headers: auth });
    const pl = parseOptional(p, projects);
    return pl
      ? merge(out, {
          reach: [
            {
              kind: 'projects',
              count: pl.pagination?.count ?? pl.projects.length,
              sample: pl.projects.slice(0, 5).map((x) => x.name),
            },
          ],
        })
      : merge(out, { notes: [`projects not listed (HTTP ${p.status})`] });
  },
  runbook: () => ({
    consoleUrl: 'https://vercel.com/account/settings/tokens',
    steps: ['Account Settings → Tokens', 'Delete the token (DELETE /v3/user/tokens/current with itself also works)'],
  }),
};
