// Heroku tokens (ISSUERS.md §20). GET /account names the owner; GET /oauth/authorizations lists authorizations with
// their scope; the one whose access token equals this token gives scope and expiry (the list holds other live
// tokens: they are only compared, never kept).
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.heroku.com';
const ACCEPT = 'application/vnd.heroku+json; version=3';

export function herokuScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    if (s === 'global') out.push({ resource: 'account', access: 'admin' });
    else if (s === 'write' || s === 'write-protected') out.push({ resource: 'apps', access: 'write' });
    else if (s === 'read' || s === 'read-protected') out.push({ resource: 'apps', access: 'read' });
    else if (s === 'identity') out.push({ resource: 'identity', access: 'read' });
  }
  return out;
}

export const heroku: IssuerModule = {
  id: 'heroku',
  name: 'Heroku',
  hosts: ['api.heroku.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 2 },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('HRKU-') ? 'oauth-token' : 'legacy-api-key',
    environment: 'production',
  }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/account`, `GET ${http.baseUrl(BASE)}/oauth/authorizations`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const headers = { ...bearer(cred.secret), accept: ACCEPT };
    const res = await http.request({ url: `${base}/account`, headers });
    const bad = standard(res, 'Heroku');
    if (bad) return bad;
    const acct = parse(
      res,
      z.object({ email: z.string(), id: z.string(), name: z.string().nullable().optional() }).passthrough(),
      'Heroku',
    );
    if (!acct.ok) return acct.access;
    let out: Partial<Access> = {
      status: 'live',
      identity: { user: acct.data.email, email: acct.data.email, account: acct.data.id },
    };
    const list = await http.request({ url: `${base}/oauth/authorizations`, headers });
    const auths = parseOptional(
      list,
      z.array(
        z
          .object({
            id: z.string(),
            scope: z.array(z.string()),
            description: z.string().nullable().optional(),
            access_token: z
              .object({ token: z.string(), expires_in: z.number().nullable().optional() })
              .nullable()
              .optional(),
          })
          .passthrough(),
      ),
    );
    const mine = auths?.find((a) => a.access_token?.token === cred.secret);
    if (mine) {
      const exp = mine.access_token?.expires_in;
      out = merge(out, {
        scopes: mine.scope,
        permissions: herokuScopeLevels(mine.scope),
        expiresAt: exp ? new Date(Date.now() + exp * 1000).toISOString() : null,
        notes: mine.description ? [`authorization "${mine.description}"`] : [],
      });
    } else {
      out = merge(out, {
        permissions: [{ resource: 'account', access: 'admin' }],
        notes: [
          auths
            ? 'not an OAuth authorization of this account: an API key has the account’s full access'
            : `authorizations not readable (HTTP ${list.status})`,
        ],
      });
    }
    return out;
  },
  scopeLevels: herokuScopeLevels,
};
