// PagerDuty REST API keys (20 chars; user tokens start `u+`) (ISSUERS.md §43), `Authorization: Token token=<k>`.
// GET /users/me answers user tokens (identity and role); account keys are refused there and checked with
// GET /abilities instead. Whether an account key is read-only cannot be told without a write, so it is not probed.
// Events API integration keys are never sent: the only check would open an incident.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { merge, parse, parseOptional, standard, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.pagerduty.com';

const me = z.object({
  user: z.object({
    id: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    role: z.string().optional(),
  }),
});
const abilities = z.object({ abilities: z.array(z.string()) });
const total = z.object({ total: z.number().nullable().optional() }).passthrough();

const ROLE: Record<string, Permission['access']> = {
  owner: 'admin',
  admin: 'admin',
  manager: 'write',
  user: 'write',
  limited_user: 'write',
  observer: 'read',
  restricted_access: 'read',
  read_only_user: 'read',
  read_only_limited_user: 'read',
};

export const pagerdutyRoleLevels = (scopes: string[]): Permission[] =>
  scopes.flatMap((s) => {
    const r = s.replace(/^role:/, '');
    return ROLE[r] ? [{ resource: 'account', access: ROLE[r] }] : [];
  });

const isIntegrationKey = (tokenType?: string) => tokenType === 'integration-key';

export const pagerduty: IssuerModule = {
  id: 'pagerduty',
  name: 'PagerDuty',
  hosts: ['api.pagerduty.com', 'api.eu.pagerduty.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    if (isIntegrationKey(cred.tokenType)) {
      return {
        tokenType: 'integration-key',
        notes: ['Events API routing key: lets the holder open and resolve incidents on one service'],
      };
    }
    return { tokenType: cred.secret.startsWith('u+') ? 'user-token' : 'api-key' };
  },
  planLookup: (cred, http) =>
    isIntegrationKey(cred.tokenType)
      ? []
      : ['/users/me', '/abilities', '/services?limit=1&total=true'].map((p) => `GET ${http.baseUrl(BASE)}${p}`),
  async lookup(cred, http) {
    if (isIntegrationKey(cred.tokenType))
      return { status: 'unknown', notes: ['integration keys are not verified (the check would open an incident)'] };
    let base = http.baseUrl(BASE);
    const headers = { authorization: `Token token=${cred.secret}`, accept: 'application/vnd.pagerduty+json;version=2' };
    let res = await http.request({ url: `${base}/users/me`, headers });
    // EU service-region accounts answer on api.eu.pagerduty.com only.
    if (res.status === 401 && !http.override) {
      base = 'https://api.eu.pagerduty.com';
      res = await http.request({ url: `${base}/users/me`, headers });
    }
    const bad = unusable(res, 'PagerDuty');
    if (bad) return bad;
    if (res.status === 401) return { status: 'invalid', notes: ['PagerDuty rejected the key (HTTP 401)'] };
    let out: Partial<Access>;
    if (res.status === 200) {
      const u = parse(res, me, 'PagerDuty');
      if (!u.ok) return u.access;
      const role = u.data.user.role;
      out = merge({
        status: 'live',
        tokenType: 'user-token',
        identity: { account: u.data.user.id, user: u.data.user.name, email: u.data.user.email, type: role },
        scopes: role ? [`role:${role}`] : [],
        permissions: pagerdutyRoleLevels(role ? [role] : []),
      });
    } else if ([400, 403, 404].includes(res.status) && res.json !== undefined) {
      // Account-level keys are not users: /users/me refuses them.
      const a = await http.request({ url: `${base}/abilities`, headers });
      const std = standard(a, 'PagerDuty');
      if (std) return std;
      const ab = parse(a, abilities, 'PagerDuty');
      if (!ab.ok) return ab.access;
      out = merge({
        status: 'live',
        tokenType: 'account-api-key',
        permissions: [{ resource: 'account', access: 'write' }],
        notes: [
          `account-level key (${ab.data.abilities.length} account abilities); full access unless created read-only`,
        ],
      });
    } else {
      return { status: 'unknown', notes: [`PagerDuty answered HTTP ${res.status}`] };
    }
    const s = await http.request({ url: `${base}/services?limit=1&total=true`, headers });
    const t = parseOptional(s, total);
    return typeof t?.total === 'number'
      ? merge(out, { reach: [{ kind: 'services', count: t.total }] })
      : merge(out, { notes: [`services not counted (HTTP ${s.status})`] });
  },
  scopeLevels: pagerdutyRoleLevels,
  runbook: () => ({
    consoleUrl: 'https://support.pagerduty.com/main/docs/api-access-keys',
    steps: ['Integrations → API Access Keys (user tokens: My Profile → User Settings)', 'Delete the key'],
  }),
};
