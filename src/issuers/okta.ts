// Okta API tokens (SSWS, `00…`, ISSUERS.md §45). A token acts as its creator with the creator's admin roles; the org
// host (`<org>.okta.com`, `*.oktapreview.com`, `*.okta-emea.com`) is a companion. GET /api/v1/users/me identifies the
// user; /api/v1/users/{id}/roles lists the admin roles; /api/v1/api-tokens/current describes the token itself
// (expiry window, network restriction).
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { isoFromDate, merge, parse, parseOptional, standard } from './probe.js';
import { tenantBase } from './tenant.js';
import type { IssuerModule } from './types.js';

const ORGS = ['*.okta.com', '*.oktapreview.com', '*.okta-emea.com', '*.okta-gov.com'];

const me = z.object({
  id: z.string(),
  status: z.string().optional(),
  profile: z
    .object({
      login: z.string().optional(),
      email: z.string().optional(),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
    })
    .optional(),
});
const roles = z.array(z.object({ type: z.string(), label: z.string().optional(), status: z.string().optional() }));
const current = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  tokenWindow: z.string().optional(),
  expiresAt: z.string().nullable().optional(),
  network: z.object({ connection: z.string().optional() }).optional(),
  created: z.string().optional(),
});

const ROLE: Record<string, Permission> = {
  SUPER_ADMIN: { resource: 'org', access: 'admin' },
  ORG_ADMIN: { resource: 'org', access: 'admin' },
  APP_ADMIN: { resource: 'apps', access: 'admin' },
  USER_ADMIN: { resource: 'users', access: 'admin' },
  GROUP_MEMBERSHIP_ADMIN: { resource: 'groups', access: 'write' },
  HELP_DESK_ADMIN: { resource: 'users', access: 'write' },
  MOBILE_ADMIN: { resource: 'devices', access: 'admin' },
  API_ACCESS_MANAGEMENT_ADMIN: { resource: 'authorization-servers', access: 'admin' },
  API_ADMIN: { resource: 'api', access: 'admin' },
  REPORT_ADMIN: { resource: 'reports', access: 'read' },
  READ_ONLY_ADMIN: { resource: 'org', access: 'read' },
};

export const oktaRoleLevels = (scopes: string[]): Permission[] => scopes.flatMap((s) => (ROLE[s] ? [ROLE[s]] : []));

function base(
  cred: Parameters<NonNullable<IssuerModule['lookup']>>[0],
  http: Parameters<NonNullable<IssuerModule['lookup']>>[1],
) {
  return tenantBase('okta', cred, http, ORGS, 'the Okta org URL (<org>.okta.com)', 'okta');
}

export const okta: IssuerModule = {
  id: 'okta',
  name: 'Okta',
  hosts: ORGS,
  rate: { concurrency: 2, perSecond: 5 },
  decode: () => ({
    tokenType: 'api-token',
    notes: ['Okta API tokens act with every admin role of the user who created them'],
  }),
  planLookup(cred, http) {
    const b = base(cred, http).base;
    return b
      ? [`GET ${b}/api/v1/users/me`, `GET ${b}/api/v1/users/{id}/roles`, `GET ${b}/api/v1/api-tokens/current`]
      : [];
  },
  async lookup(cred, http) {
    const { base: b, note } = base(cred, http);
    if (!b) return { status: 'unknown', notes: [note!] };
    const headers = { authorization: `SSWS ${cred.secret}`, accept: 'application/json' };
    const res = await http.request({ url: `${b}/api/v1/users/me`, headers });
    const bad = standard(res, 'Okta');
    if (bad) return bad;
    const u = parse(res, me, 'Okta');
    if (!u.ok) return u.access;
    if (u.data.status && !['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'].includes(u.data.status)) {
      return { status: 'inactive', notes: [`the token's user is ${u.data.status}`] };
    }
    const name = [u.data.profile?.firstName, u.data.profile?.lastName].filter(Boolean).join(' ');
    let out: Partial<Access> = merge({
      status: 'live',
      identity: {
        account: u.data.id,
        user: u.data.profile?.login ?? (name || undefined),
        email: u.data.profile?.email,
      },
    });
    const r = await http.request({ url: `${b}/api/v1/users/${encodeURIComponent(u.data.id)}/roles`, headers });
    const rl = parseOptional(r, roles);
    if (rl) {
      const held = rl.filter((x) => x.status !== 'INACTIVE').map((x) => x.type);
      out = merge(out, {
        scopes: held,
        permissions: held.length ? oktaRoleLevels(held) : [{ resource: 'self', access: 'read' }],
        notes: held.length ? undefined : ['the user holds no admin role'],
      });
    } else out = merge(out, { notes: [`admin roles not readable (HTTP ${r.status})`] });
    const c = await http.request({ url: `${b}/api/v1/api-tokens/current`, headers });
    const cur = parseOptional(c, current);
    if (!cur) return merge(out, { notes: [`token details not readable (HTTP ${c.status})`] });
    return merge(out, {
      identity: { type: cur.name ? `token "${cur.name}"` : undefined },
      expiresAt: cur.expiresAt ? isoFromDate(cur.expiresAt) : undefined,
      createdAt: isoFromDate(cur.created),
      notes: [
        ...(cur.tokenWindow ? [`expires after ${cur.tokenWindow} without use`] : []),
        ...(cur.network?.connection && cur.network.connection !== 'ANYWHERE'
          ? [`network restricted: ${cur.network.connection}`]
          : []),
      ],
    });
  },
  scopeLevels: oktaRoleLevels,
  runbook: () => ({
    consoleUrl: 'https://help.okta.com/en-us/content/topics/security/api.htm',
    steps: [
      'Admin Console → Security → API → Tokens',
      'Revoke the token (DELETE /api/v1/api-tokens/current with itself also works)',
    ],
  }),
};
