// Mailgun private API keys: legacy `key-<32 hex>` and `<32 hex>-<8 hex>-<8 hex>` (ISSUERS.md §16), Basic `api:<key>`.
// GET /v4/domains proves the key and lists the sending domains; GET /v1/keys finds this key's record (its id is a
// suffix of the key) for role, kind and expiry. EU accounts live on api.eu.mailgun.net: tried when the US API says 401.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import {
  basic,
  companion,
  dedupePermissions,
  isoFromDate,
  merge,
  parse,
  parseOptional,
  standard,
  unusable,
} from './probe.js';
import type { IssuerHttp, IssuerModule } from './types.js';

const US = 'https://api.mailgun.net';
const EU = 'https://api.eu.mailgun.net';

const domains = z.object({
  items: z.array(z.object({ name: z.string(), state: z.string().optional(), is_disabled: z.boolean().optional() })),
  total_count: z.number().optional(),
});
const keys = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      role: z.string().optional(),
      kind: z.string().optional(),
      requestor: z.string().optional(),
      user_name: z.string().optional(),
      domain_name: z.string().nullable().optional(),
      expires_at: z.string().nullable().optional(),
      is_disabled: z.boolean().optional(),
    }),
  ),
});

const ROLE: Record<string, Permission['access']> = {
  admin: 'admin',
  developer: 'write',
  sending: 'write',
  support: 'read',
  analyst: 'read',
  basic: 'read',
};

export function mailgunRoleLevels(roles: string[]): Permission[] {
  return dedupePermissions(
    roles.flatMap((r) => (ROLE[r] ? [{ resource: r === 'sending' ? 'messages' : 'account', access: ROLE[r] }] : [])),
  );
}

async function domainsAt(base: string, cred: { secret: string }, http: IssuerHttp) {
  return http.request({ url: `${base}/v4/domains?limit=100`, headers: basic('api', cred.secret) });
}

export const mailgun: IssuerModule = {
  id: 'mailgun',
  name: 'Mailgun',
  hosts: ['api.mailgun.net', 'api.eu.mailgun.net'],
  defaultBaseUrl: US,
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    if (cred.tokenType === 'webhook-signing-key') {
      return {
        tokenType: 'webhook-signing-key',
        notes: ['webhook signing key: lets the holder forge Mailgun webhook events; no API check'],
      };
    }
    if (cred.secret.startsWith('pubkey-'))
      return { tokenType: 'public-validation-key', notes: ['public validation key: not a secret'] };
    if (cred.secret.startsWith('key-')) return { tokenType: 'legacy-private-key' };
    return { tokenType: 'private-key' };
  },
  planLookup: (cred, http) => {
    if (cred.tokenType === 'webhook-signing-key') return [];
    const eu = !http.override && companion(cred.companions, /^api\.eu\.mailgun\.net$/, 'host') !== undefined;
    const base = http.baseUrl(eu ? EU : US);
    return [`GET ${base}/v4/domains`, `GET ${base}/v1/keys`];
  },
  async lookup(cred, http) {
    if (cred.tokenType === 'webhook-signing-key')
      return { status: 'unknown', notes: ['webhook signing keys are not API keys; not sent'] };
    // An api.eu.mailgun.net companion says the account is in the EU region: ask there first.
    const euFirst = !http.override && companion(cred.companions, /^api\.eu\.mailgun\.net$/, 'host') !== undefined;
    let base = http.baseUrl(euFirst ? EU : US);
    let region = euFirst ? 'eu' : 'us';
    let res = await domainsAt(base, cred, http);
    if (res.status === 401 && !http.override && !euFirst) {
      base = EU;
      region = 'eu';
      res = await domainsAt(base, cred, http);
    }
    const bad = unusable(res, 'Mailgun');
    if (bad) return bad;
    if (res.status === 401) return { status: 'invalid', notes: ['Mailgun rejected the key (HTTP 401)'] };
    // Domain sending keys may only send; they are refused on account reads without being invalid.
    if (res.status === 403)
      return {
        status: 'unknown',
        notes: ['Mailgun refused the domain list (HTTP 403): possibly a domain sending key'],
      };
    const std = standard(res, 'Mailgun');
    if (std) return std;
    const d = parse(res, domains, 'Mailgun');
    if (!d.ok) return d.access;
    const active = d.data.items.filter((x) => !x.is_disabled);
    let out: Partial<Access> = merge({
      status: 'live',
      reach: [
        {
          kind: 'domains',
          count: d.data.total_count ?? d.data.items.length,
          sample: active.slice(0, 5).map((x) => x.name),
        },
      ],
      permissions: [{ resource: 'messages', access: 'write' }],
      notes: region === 'eu' ? ['EU region (api.eu.mailgun.net)'] : undefined,
    });
    const k = await http.request({ url: `${base}/v1/keys`, headers: basic('api', cred.secret) });
    const list = parseOptional(k, keys);
    if (!list) return merge(out, { notes: [`key details not readable (HTTP ${k.status}); role unknown`] });
    const mine = list.items.find((x) => x.id.length >= 8 && cred.secret.endsWith(x.id));
    if (!mine) return merge(out, { notes: ['this key is not in the key list (older keys have no record)'] });
    if (mine.is_disabled) return merge(out, { status: 'inactive', notes: ['the key record is disabled'] });
    const roles = mine.role ? [mine.role] : [];
    out = merge(out, {
      tokenType: mine.kind ? `${mine.kind}-key` : undefined,
      identity: { user: mine.user_name || mine.requestor, type: mine.role },
      scopes: roles.map((r) => `role:${r}`),
      permissions: mailgunRoleLevels(roles),
      expiresAt: mine.expires_at ? (isoFromDate(mine.expires_at) ?? null) : null,
    });
    if (mine.kind === 'domain' && mine.domain_name)
      out = merge(out, { notes: [`domain key: sends only for ${mine.domain_name}`] });
    return out;
  },
  scopeLevels: (scopes) => mailgunRoleLevels(scopes.map((s) => s.replace(/^role:/, ''))),
  runbook: () => ({
    consoleUrl: 'https://app.mailgun.com/settings/api_security',
    steps: [
      'Open API Security',
      'Find the key by its last characters',
      'Delete it (admin role needed) and issue a replacement',
    ],
  }),
};
