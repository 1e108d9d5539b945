// Bitbucket Cloud (ISSUERS.md §25). App passwords `ATBB…` go as Basic `username:app_password` (the username is a
// companion); repository/project/workspace access tokens as Bearer. Every answer carries `x-oauth-scopes` and
// `x-credential-type` headers; GET /2.0/user gives the identity (user credentials only) and
// /2.0/repositories?role=member the reach.
import { z } from 'zod';
import type { Permission } from '../types.js';
import { basic, bearer, companion, dedupePermissions, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.bitbucket.org';

const userSchema = z.object({
  account_id: z.string().optional(),
  uuid: z.string().optional(),
  username: z.string().optional(),
  nickname: z.string().optional(),
  display_name: z.string().optional(),
  type: z.string().optional(),
});
const repos = z.object({
  size: z.number().optional(),
  values: z.array(z.object({ full_name: z.string(), is_private: z.boolean().optional() })),
  next: z.string().optional(),
});

/** `repository` → read, `repository:write` → write, `repository:admin` / `:delete` / `pipeline:variable` → admin. */
export function bitbucketScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    const [area, level] = s.split(':');
    if (!area) continue;
    const resource = area === 'team' ? 'workspace' : area;
    if (!level) out.push({ resource, access: area === 'webhook' ? 'write' : 'read' });
    else if (level === 'write') out.push({ resource, access: 'write' });
    else if (['admin', 'delete', 'variable'].includes(level)) out.push({ resource, access: 'admin' });
  }
  return dedupePermissions(out);
}

function scopesFrom(headers: Record<string, string>): string[] {
  return (headers['x-oauth-scopes'] ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const bitbucket: IssuerModule = {
  id: 'bitbucket',
  name: 'Bitbucket Cloud',
  hosts: ['api.bitbucket.org'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  decode: (cred) => ({ tokenType: cred.secret.startsWith('ATBB') ? 'app-password' : 'access-token' }),
  planLookup(cred, http) {
    const base = http.baseUrl(BASE);
    const reposUrl = `GET ${base}/2.0/repositories?role=member&pagelen=100`;
    return cred.secret.startsWith('ATBB') ? [`GET ${base}/2.0/user`, reposUrl] : [reposUrl];
  },
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const appPassword = cred.secret.startsWith('ATBB');
    let auth = bearer(cred.secret);
    let out = merge({ status: 'live' });
    if (appPassword) {
      const username = companion(cred.companions, /^[A-Za-z0-9_.@-]{1,100}$/, 'user');
      if (!username)
        return { status: 'unknown', notes: ['an app password needs the Bitbucket username (none found nearby)'] };
      auth = basic(username, cred.secret);
      const res = await http.request({ url: `${base}/2.0/user`, headers: auth });
      const bad = standard(res, 'Bitbucket');
      if (bad) return bad;
      const u = parse(
        res,
        userSchema.refine((x) => x.uuid || x.account_id, 'no account'),
        'Bitbucket',
      );
      if (!u.ok) return u.access;
      const scopes = scopesFrom(res.headers);
      out = merge(out, {
        identity: { account: u.data.account_id, user: u.data.display_name ?? u.data.nickname },
        tokenType: res.headers['x-credential-type'] || undefined,
        scopes,
        permissions: bitbucketScopeLevels(scopes),
      });
    }
    const r = await http.request({ url: `${base}/2.0/repositories?role=member&pagelen=100`, headers: auth });
    if (!appPassword) {
      // For access tokens this is the first request: it decides live/invalid.
      const bad = standard(r, 'Bitbucket');
      if (bad) return bad;
      const list = parse(r, repos, 'Bitbucket');
      if (!list.ok) return list.access;
      const scopes = scopesFrom(r.headers);
      const type = r.headers['x-credential-type'];
      return merge(out, {
        tokenType: type || undefined,
        identity: { type: type || undefined },
        scopes,
        permissions: bitbucketScopeLevels(scopes),
        reach: [
          {
            kind: 'repositories',
            count: list.data.size ?? list.data.values.length,
            sample: list.data.values.slice(0, 5).map((x) => x.full_name),
          },
        ],
      });
    }
    const list = parseOptional(r, repos);
    return list
      ? merge(out, {
          reach: [
            {
              kind: 'repositories',
              count: list.size ?? list.values.length,
              sample: list.values.slice(0, 5).map((x) => x.full_name),
            },
          ],
        })
      : merge(out, { notes: [`repositories not listed (HTTP ${r.status})`] });
  },
  scopeLevels: bitbucketScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://bitbucket.org/account/settings/app-passwords/',
    steps: [
      'Personal settings → App passwords (or the repository/workspace Access tokens page)',
      'Revoke the credential',
    ],
  }),
};
