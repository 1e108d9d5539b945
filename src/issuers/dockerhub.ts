// Docker Hub access tokens (ISSUERS.md §36): `dckr_pat_` personal, `dckr_oat_` organization; the username (or org
// name) is a companion. POST /v2/auth/token {identifier, secret} is a token exchange (read-only by design) that returns
// a short-lived JWT; its claims carry the token's access level (`scope`: repo:admin|write|read|public_read) and the
// account. That JWT then lists the namespace's repositories. Neither the JWT nor its expiry is the PAT's.
import { z } from 'zod';
import type { Permission } from '../types.js';
import { decodeJwt } from './jwt.js';
import { bearer, companion, merge, parse, parseOptional, scopeTable, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://hub.docker.com';

export const dockerhubScopeLevels = scopeTable({
  'repo:admin': { resource: 'repositories', access: 'admin' },
  'repo:write': { resource: 'repositories', access: 'write' },
  'repo:read': { resource: 'repositories', access: 'read' },
  'repo:public_read': { resource: 'public-repositories', access: 'read' },
});

const tokenAnswer = z.object({ access_token: z.string() }).or(z.object({ token: z.string() }));
const repos = z.object({
  count: z.number(),
  results: z.array(z.object({ name: z.string(), is_private: z.boolean().optional() })),
});
const hubClaims = z
  .object({ uuid: z.string().optional(), username: z.string().optional(), email: z.string().optional() })
  .passthrough();

export const dockerhub: IssuerModule = {
  id: 'dockerhub',
  name: 'Docker Hub',
  hosts: ['hub.docker.com'],
  defaultBaseUrl: BASE,
  // Docker Hub rate-limits auth endpoints tightly.
  rate: { concurrency: 1, perSecond: 2 },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('dckr_oat_')
      ? 'organization-access-token'
      : cred.secret.startsWith('dckr_pat_')
        ? 'personal-access-token'
        : 'legacy-pat',
  }),
  planLookup: (_cred, http) => [
    `POST ${http.baseUrl(BASE)}/v2/auth/token`,
    `GET ${http.baseUrl(BASE)}/v2/repositories/{namespace}/`,
  ],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const identifier = companion(cred.companions, /^[a-z0-9][a-z0-9_.-]{1,254}$/i, 'user');
    if (!identifier)
      return {
        status: 'unknown',
        notes: ['a Docker Hub token needs its username or organization (none found nearby)'],
      };
    const res = await http.request({
      method: 'POST',
      url: `${base}/v2/auth/token`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ identifier, secret: cred.secret }),
      readOnlyPost: true,
    });
    const bad = standard(res, 'Docker Hub', [401, 403]);
    if (bad) return bad;
    const t = parse(res, tokenAnswer, 'Docker Hub');
    if (!t.ok) return t.access;
    const jwt = 'access_token' in t.data ? t.data.access_token : t.data.token;
    const claims = decodeJwt(jwt)?.claims;
    if (!claims) return { status: 'unknown', notes: ['Docker Hub answered without a decodable session token'] };
    const hub = hubClaims.safeParse(claims['https://hub.docker.com']);
    const scope = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
    const user = hub.success ? hub.data : {};
    const namespace = user.username ?? identifier;
    let out = merge({
      status: 'live',
      identity: { account: user.uuid, user: user.username, email: user.email },
      scopes: scope,
      permissions: dockerhubScopeLevels(scope) as Permission[],
      notes: scope.length ? undefined : ['no scope claim: a legacy token with the full rights of its user'],
    });
    if (!scope.length) out = merge(out, { permissions: [{ resource: 'account', access: 'admin' }] });
    const r = await http.request({
      url: `${base}/v2/repositories/${encodeURIComponent(namespace)}/?page_size=100`,
      headers: bearer(jwt),
    });
    const list = parseOptional(r, repos);
    if (!list) return merge(out, { notes: [`repositories not listed (HTTP ${r.status})`] });
    const priv = list.results.filter((x) => x.is_private).length;
    return merge(out, {
      reach: [{ kind: 'repositories', count: list.count, sample: list.results.slice(0, 5).map((x) => x.name) }],
      notes: priv ? [`${priv} private repositories on the first page`] : undefined,
    });
  },
  scopeLevels: dockerhubScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://app.docker.com/settings/personal-access-tokens',
    steps: [
      'Account settings → Personal access tokens (org tokens: Organization settings → Access tokens)',
      'Deactivate, then delete the token',
    ],
  }),
};
