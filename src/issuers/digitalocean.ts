// DigitalOcean tokens (ISSUERS.md §21). GET /v2/account: email, team, status. Scoped tokens have no introspection:
// a 403 on /v2/account is a valid token without account:read; reads that answer are reported as reach.
import { z } from 'zod';
import type { Access } from '../types.js';
import { bearer, invalid, merge, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.digitalocean.com';

export const digitalocean: IssuerModule = {
  id: 'digitalocean',
  name: 'DigitalOcean',
  hosts: ['api.digitalocean.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 4 },
  capabilities: { scope: true },
  decode(cred) {
    const t = cred.secret.slice(0, 7);
    const tokenType =
      { dop_v1_: 'personal-access-token', doo_v1_: 'oauth-token', dor_v1_: 'refresh-token' }[t] ?? cred.tokenType;
    return { tokenType, environment: 'production' };
  },
  planLookup: (_cred, http) => [
    `GET ${http.baseUrl(BASE)}/v2/account`,
    `GET ${http.baseUrl(BASE)}/v2/droplets?per_page=1`,
  ],
  async lookup(cred, http) {
    if (cred.secret.startsWith('dor_v1_'))
      return { status: 'skipped', notes: ['using a refresh token would mint a new token: not checked'] };
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v2/account`, headers: bearer(cred.secret) });
    const bad = unusable(res, 'DigitalOcean');
    if (bad) return bad;
    if (res.status === 401) return invalid('DigitalOcean: Unable to authenticate you');
    let out: Partial<Access>;
    if (res.status === 403) out = { status: 'live', notes: ['scoped token without account:read'] };
    else if (res.status === 200) {
      const a = parseOptional(
        res,
        z.object({
          account: z
            .object({
              email: z.string().optional(),
              uuid: z.string().optional(),
              status: z.string().optional(),
              team: z.object({ uuid: z.string().optional(), name: z.string().optional() }).passthrough().optional(),
            })
            .passthrough(),
        }),
      );
      if (!a) return unknown('DigitalOcean answered an unexpected shape for /v2/account');
      out = {
        status: a.account.status === 'locked' ? 'inactive' : 'live',
        identity: { user: a.account.email, email: a.account.email, account: a.account.uuid, org: a.account.team?.name },
        permissions: [{ resource: 'account', access: 'read' }],
      };
    } else return unknown(`DigitalOcean answered HTTP ${res.status}`);
    const d = await http.request({ url: `${base}/v2/droplets?per_page=1`, headers: bearer(cred.secret) });
    const droplets = parseOptional(
      d,
      z
        .object({
          droplets: z.array(z.object({ name: z.string() }).passthrough()),
          meta: z.object({ total: z.number() }).passthrough(),
        })
        .passthrough(),
    );
    if (droplets) {
      out = merge(out, {
        reach: [{ kind: 'droplets', count: droplets.meta.total, sample: droplets.droplets.map((x) => x.name) }],
        permissions: [{ resource: 'droplets', access: 'read' }],
      });
    } else out = merge(out, { notes: [`droplets not readable (HTTP ${d.status})`] });
    return merge(out, { notes: ['write scopes are not introspectable'] });
  },
};
