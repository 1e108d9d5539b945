// Databricks personal access tokens `dapi<32 hex>[-N]` (ISSUERS.md §44). The workspace host is a companion
// (`*.cloud.databricks.com`, `*.gcp.databricks.com`, `adb-….azuredatabricks.net`). GET
// /api/2.0/preview/scim/v2/Me gives the user, groups (admins?) and entitlements; /api/2.0/clusters/list the reach.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, dedupePermissions, merge, parse, parseOptional, standard } from './probe.js';
import { tenantBase } from './tenant.js';
import type { Credential, IssuerHttp, IssuerModule } from './types.js';

const WORKSPACES = ['*.cloud.databricks.com', '*.gcp.databricks.com', '*.azuredatabricks.net'];

const me = z.object({
  id: z.string(),
  userName: z.string().optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  emails: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).optional(),
  groups: z.array(z.object({ display: z.string().optional(), value: z.string().optional() })).optional(),
  entitlements: z.array(z.object({ value: z.string() })).optional(),
});
const clusters = z.object({
  clusters: z.array(z.object({ cluster_id: z.string(), cluster_name: z.string().optional() })).optional(),
});

const ENTITLEMENTS: Record<string, Permission> = {
  'workspace-access': { resource: 'workspace', access: 'write' },
  'databricks-sql-access': { resource: 'sql', access: 'write' },
  'allow-cluster-create': { resource: 'clusters', access: 'write' },
  'allow-instance-pool-create': { resource: 'instance-pools', access: 'write' },
};

export function databricksLevels(scopes: string[]): Permission[] {
  return dedupePermissions(
    scopes.flatMap((s) =>
      s === 'group:admins'
        ? [{ resource: 'workspace', access: 'admin' as const }]
        : ENTITLEMENTS[s]
          ? [ENTITLEMENTS[s]]
          : [],
    ),
  );
}

const base = (cred: Credential, http: IssuerHttp) =>
  tenantBase('databricks', cred, http, WORKSPACES, 'the Databricks workspace host', 'host');

export const databricks: IssuerModule = {
  id: 'databricks',
  name: 'Databricks',
  hosts: WORKSPACES,
  rate: { concurrency: 2, perSecond: 5 },
  decode: (cred) => ({ tokenType: cred.secret.startsWith('dose') ? 'oauth-client-secret' : 'personal-access-token' }),
  planLookup(cred, http) {
    const b = base(cred, http).base;
    return b ? [`GET ${b}/api/2.0/preview/scim/v2/Me`, `GET ${b}/api/2.0/clusters/list`] : [];
  },
  async lookup(cred, http) {
    if (cred.secret.startsWith('dose'))
      return { status: 'unknown', notes: ['OAuth client secrets need their client id; not verified'] };
    const { base: b, note } = base(cred, http);
    if (!b) return { status: 'unknown', notes: [note!] };
    const auth = bearer(cred.secret);
    const res = await http.request({ url: `${b}/api/2.0/preview/scim/v2/Me`, headers: auth });
    // Databricks answers a revoked or unknown token with 401, and one from another workspace with 403.
    const bad = standard(res, 'Databricks', [401, 403]);
    if (bad) return bad;
    const u = parse(res, me, 'Databricks');
    if (!u.ok) return u.access;
    if (u.data.active === false) return { status: 'inactive', notes: ['the token’s user is deactivated'] };
    const groups = (u.data.groups ?? []).map((g) => g.display ?? g.value ?? '').filter(Boolean);
    const scopes = [...groups.map((g) => `group:${g}`), ...(u.data.entitlements ?? []).map((e) => e.value)];
    const email = u.data.emails?.find((e) => e.primary)?.value ?? u.data.emails?.[0]?.value;
    let out: Partial<Access> = merge({
      status: 'live',
      identity: { account: u.data.id, user: u.data.userName ?? u.data.displayName, email },
      scopes,
      permissions: databricksLevels(scopes),
      notes: groups.includes('admins')
        ? ['workspace admin: can mint tokens for others and read every secret scope']
        : undefined,
    });
    const c = await http.request({ url: `${b}/api/2.0/clusters/list`, headers: auth });
    const cl = parseOptional(c, clusters);
    out = cl
      ? merge(out, {
          reach: [
            {
              kind: 'clusters',
              count: cl.clusters?.length ?? 0,
              sample: (cl.clusters ?? []).slice(0, 5).map((x) => x.cluster_name ?? x.cluster_id),
            },
          ],
        })
      : merge(out, { notes: [`clusters not listed (HTTP ${c.status})`] });
    return out;
  },
  scopeLevels: databricksLevels,
  runbook: () => ({
    consoleUrl: 'https://docs.databricks.com/en/dev-tools/auth/pat.html',
    steps: [
      'Workspace → Settings → Developer → Access tokens',
      'Revoke the token (admins: Settings → Token management)',
    ],
  }),
};
