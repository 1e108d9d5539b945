// Atlassian Cloud (Jira, Confluence) and Jira Data Center (ISSUERS.md §24). User API tokens `ATATT3…` go as Basic
// `email:token` to the site `<x>.atlassian.net` (both companions); GET /rest/api/3/myself gives the account and
// /rest/api/3/mypermissions what it may do. Org admin API keys `ATCTT3xFfG…` list orgs at api.atlassian.com.
// Data Center PATs are Bearer tokens for a self-hosted base URL (override only).
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { basic, bearer, companion, merge, parse, parseOptional, standard } from './probe.js';
import { tenantBase } from './tenant.js';
import type { IssuerModule } from './types.js';

const SITES = ['*.atlassian.net'];
const ADMIN_API = 'https://api.atlassian.com';
const PERMISSIONS = [
  'SYSTEM_ADMIN',
  'ADMINISTER',
  'ADMINISTER_PROJECTS',
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'DELETE_ISSUES',
];

const myself = z.object({
  accountId: z.string().optional(),
  key: z.string().optional(),
  name: z.string().optional(),
  emailAddress: z.string().optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  accountType: z.string().optional(),
});
const myPermissions = z.object({ permissions: z.record(z.string(), z.object({ havePermission: z.boolean() })) });
const orgs = z.object({
  data: z.array(z.object({ id: z.string(), attributes: z.object({ name: z.string().optional() }).optional() })),
});

const LEVELS: Record<string, Permission> = {
  SYSTEM_ADMIN: { resource: 'site', access: 'admin' },
  ADMINISTER: { resource: 'jira', access: 'admin' },
  ADMINISTER_PROJECTS: { resource: 'projects', access: 'admin' },
  BROWSE_PROJECTS: { resource: 'projects', access: 'read' },
  CREATE_ISSUES: { resource: 'issues', access: 'write' },
  EDIT_ISSUES: { resource: 'issues', access: 'write' },
  DELETE_ISSUES: { resource: 'issues', access: 'write' },
};

export const atlassianScopeLevels = (scopes: string[]): Permission[] =>
  scopes.flatMap((s) =>
    LEVELS[s] ? [LEVELS[s]] : s === 'org-admin' ? [{ resource: 'organization', access: 'admin' as const }] : [],
  );

function kind(secret: string): 'api-token' | 'admin-api-key' | 'dc-pat' | 'legacy-api-token' {
  if (secret.startsWith('ATATT')) return 'api-token';
  if (secret.startsWith('ATCTT')) return 'admin-api-key';
  if (/^[MNO][A-Za-z0-9+/]{15}O[g-v][A-Za-z0-9+/]{26}$/.test(secret)) return 'dc-pat';
  return 'legacy-api-token';
}

function fromMyself(m: z.infer<typeof myself>): Partial<Access> {
  if (m.active === false) return { status: 'inactive', notes: ['the Atlassian account is deactivated'] };
  return {
    status: 'live',
    identity: {
      account: m.accountId ?? m.key,
      user: m.displayName ?? m.name,
      email: m.emailAddress,
      type: m.accountType,
    },
  };
}

export const atlassian: IssuerModule = {
  id: 'atlassian',
  name: 'Atlassian',
  hosts: [...SITES, 'api.atlassian.com'],
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    const k = kind(cred.secret);
    const out: Partial<Access> = { tokenType: k };
    if (k === 'admin-api-key')
      out.notes = ['organization admin API key: manages users, domains and policies of the org'];
    if (k === 'api-token') out.notes = ['classic API tokens act with every permission of their user'];
    return out;
  },
  planLookup(cred, http) {
    const k = kind(cred.secret);
    if (k === 'admin-api-key') return [`GET ${http.baseUrl(ADMIN_API)}/admin/v1/orgs`];
    if (k === 'dc-pat') return http.override ? [`GET ${http.override}/rest/api/latest/myself`] : [];
    const b = tenantBase('atlassian', cred, http, SITES, 'the Atlassian site (<x>.atlassian.net)', 'site').base;
    return b ? [`GET ${b}/rest/api/3/myself`, `GET ${b}/rest/api/3/mypermissions`] : [];
  },
  async lookup(cred, http) {
    const k = kind(cred.secret);
    if (k === 'admin-api-key') {
      const res = await http.request({ url: `${http.baseUrl(ADMIN_API)}/admin/v1/orgs`, headers: bearer(cred.secret) });
      const bad = standard(res, 'Atlassian admin API');
      if (bad) return bad;
      const o = parse(res, orgs, 'Atlassian admin API');
      if (!o.ok) return o.access;
      return {
        status: 'live',
        identity: { org: o.data.data[0]?.attributes?.name ?? o.data.data[0]?.id },
        scopes: ['org-admin'],
        permissions: [{ resource: 'organization', access: 'admin' }],
        reach: [
          {
            kind: 'organizations',
            count: o.data.data.length,
            sample: o.data.data.slice(0, 5).map((x) => x.attributes?.name ?? x.id),
          },
        ],
      };
    }
    if (k === 'dc-pat') {
      if (!http.override)
        return {
          status: 'unknown',
          notes: ['Data Center PAT: set [issuers.atlassian] baseUrl to the server to verify'],
        };
      const res = await http.request({ url: `${http.override}/rest/api/latest/myself`, headers: bearer(cred.secret) });
      const bad = standard(res, 'Jira');
      if (bad) return bad;
      const m = parse(res, myself, 'Jira');
      return m.ok ? fromMyself(m.data) : m.access;
    }

    const { base, note } = tenantBase('atlassian', cred, http, SITES, 'the Atlassian site (<x>.atlassian.net)', 'site');
    if (!base) return { status: 'unknown', notes: [note!] };
    const email = companion(cred.companions, /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/, 'email');
    if (!email)
      return { status: 'unknown', notes: ['an Atlassian API token needs its account email (none found nearby)'] };
    const auth = { ...basic(email, cred.secret), accept: 'application/json' };
    const res = await http.request({ url: `${base}/rest/api/3/myself`, headers: auth });
    const bad = standard(res, 'Atlassian');
    if (bad) return bad;
    const m = parse(
      res,
      myself.refine((x) => x.accountId, 'no accountId'),
      'Atlassian',
    );
    if (!m.ok) return m.access;
    const out = merge(fromMyself(m.data));
    if (out.status !== 'live') return out;
    const p = await http.request({
      url: `${base}/rest/api/3/mypermissions?permissions=${PERMISSIONS.join(',')}`,
      headers: auth,
    });
    const perms = parseOptional(p, myPermissions);
    if (!perms) return merge(out, { notes: [`permissions not readable (HTTP ${p.status})`] });
    const held = PERMISSIONS.filter((x) => perms.permissions[x]?.havePermission);
    return merge(out, { scopes: held, permissions: atlassianScopeLevels(held) });
  },
  scopeLevels: atlassianScopeLevels,
  runbook: (cred) =>
    kind(cred.secret) === 'admin-api-key'
      ? { consoleUrl: 'https://admin.atlassian.com/', steps: ['Organization → Settings → API keys', 'Revoke the key'] }
      : {
          consoleUrl: 'https://id.atlassian.com/manage-profile/security/api-tokens',
          steps: [
            'Account settings → Security → API tokens',
            'Revoke the token (org admins can revoke user tokens in admin.atlassian.com)',
          ],
        },
};
