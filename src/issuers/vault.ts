// HashiCorp Vault tokens (ISSUERS.md §28): hvs. service, hvb. batch, hvr. recovery; legacy s./b./r. The server
// address is the user's own: HCP Vault (`*.hashicorp.cloud`) from a VAULT_ADDR companion, anything else only through
// the base URL override. GET /v1/auth/token/lookup-self gives policies, TTL and expiry (the `id` field, which is the
// token itself, is never kept); POST /v1/sys/capabilities-self (a read-only query the default policy allows) tells
// what the token may do on a few sensitive paths.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { companion, isoFromDate, merge, parse, parseOptional, standard } from './probe.js';
import { tenantBase } from './tenant.js';
import type { Credential, IssuerHttp, IssuerModule } from './types.js';

const HOSTS = ['*.hashicorp.cloud'];

const TYPES: [RegExp, string][] = [
  [/^hvs\./, 'service-token'],
  [/^hvb\./, 'batch-token'],
  [/^hvr\./, 'recovery-token'],
  [/^s\.[A-Za-z0-9]{24}$/, 'service-token'],
  [/^b\./, 'batch-token'],
  [/^r\./, 'recovery-token'],
];

/** Paths probed with capabilities-self: where a token's reach matters most. */
export const VAULT_PROBE_PATHS = [
  'sys/policies/acl',
  'sys/auth',
  'sys/mounts',
  'auth/token/create',
  'identity/entity',
  'secret/data/',
  'kv/data/',
  'aws/creds/',
  'database/creds/',
  'pki/issue/',
];

const lookupSelf = z.object({
  data: z.object({
    accessor: z.string().optional(),
    display_name: z.string().optional(),
    entity_id: z.string().optional(),
    expire_time: z.string().nullable().optional(),
    creation_time: z.number().optional(),
    policies: z.array(z.string()).nullable().optional(),
    identity_policies: z.array(z.string()).nullable().optional(),
    ttl: z.number().optional(),
    num_uses: z.number().optional(),
    orphan: z.boolean().optional(),
    renewable: z.boolean().optional(),
    type: z.string().optional(),
    path: z.string().optional(),
    meta: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
});
const caps = z.record(z.string(), z.unknown());

/** Vault capabilities on one path → a permission (sudo or writes under sys/ and auth/ → admin). */
export function vaultCapabilityLevel(path: string, capabilities: string[]): Permission | undefined {
  const c = new Set(capabilities);
  if (c.has('deny') || c.size === 0) return undefined;
  const writes = ['create', 'update', 'delete', 'patch'].some((x) => c.has(x));
  const admin = c.has('root') || c.has('sudo') || (writes && /^(sys|auth|identity)\//.test(path));
  if (admin) return { resource: path, access: 'admin' };
  if (writes) return { resource: path, access: 'write' };
  if (c.has('read') || c.has('list')) return { resource: path, access: 'read' };
  return undefined;
}

function kind(secret: string): string | undefined {
  return TYPES.find(([re]) => re.test(secret))?.[1];
}

function base(cred: Credential, http: IssuerHttp) {
  return tenantBase('vault', cred, http, HOSTS, 'the Vault address (VAULT_ADDR)', 'addr');
}

function headers(cred: Credential, http: IssuerHttp): Record<string, string> {
  const h: Record<string, string> = { 'x-vault-token': cred.secret };
  // HCP Vault puts everything under the `admin` namespace unless VAULT_NAMESPACE says otherwise.
  const ns = companion(cred.companions, /^[A-Za-z0-9_/-]{1,100}$/, 'namespace');
  if (ns) h['x-vault-namespace'] = ns;
  else if (!http.override) h['x-vault-namespace'] = 'admin';
  return h;
}

export const vault: IssuerModule = {
  id: 'vault',
  name: 'HashiCorp Vault',
  hosts: HOSTS,
  rate: { concurrency: 2, perSecond: 5 },
  // Policies are names the Vault admin chose; capabilities-self supplies the levels.
  capabilities: { scope: true },
  decode(cred) {
    if (cred.tokenType === 'approle-secret-id') {
      return {
        tokenType: 'approle-secret-id',
        notes: ['AppRole secret_id: with the role_id it logs in as the role; not a token, no API check'],
      };
    }
    if (cred.tokenType === 'unseal-key') {
      return {
        tokenType: 'unseal-key',
        notes: ['unseal key share: with enough shares it unseals (and rekeys) the Vault; no API check'],
      };
    }
    const t = kind(cred.secret) ?? cred.tokenType;
    const out: Partial<Access> = { tokenType: t };
    if (t === 'batch-token') out.notes = ['batch token: cannot be revoked on its own; it dies with its TTL'];
    if (t === 'recovery-token') out.notes = ['recovery token: usable only in recovery mode'];
    return out;
  },
  planLookup(cred, http) {
    if (cred.tokenType === 'unseal-key' || cred.tokenType === 'approle-secret-id') return [];
    const b = base(cred, http).base;
    return b ? [`GET ${b}/v1/auth/token/lookup-self`, `POST ${b}/v1/sys/capabilities-self`] : [];
  },
  async lookup(cred, http) {
    if (cred.tokenType === 'unseal-key') return { status: 'unknown', notes: ['unseal keys are not sent anywhere'] };
    if (cred.tokenType === 'approle-secret-id')
      return { status: 'unknown', notes: ['AppRole secret_ids are not sent anywhere'] };
    const { base: b, note } = base(cred, http);
    if (!b) return { status: 'unknown', notes: [note!] };
    const h = headers(cred, http);
    const res = await http.request({ url: `${b}/v1/auth/token/lookup-self`, headers: h });
    // Vault answers an unknown or revoked token with 403 {"errors":["permission denied"]}.
    const bad = standard(res, 'Vault', [401, 403]);
    if (bad) return bad;
    const body = parse(res, lookupSelf, 'Vault');
    if (!body.ok) return body.access;
    const d = body.data.data;
    const policies = [...new Set([...(d.policies ?? []), ...(d.identity_policies ?? [])])];
    const root = policies.includes('root');
    let out: Partial<Access> = merge({
      status: 'live',
      tokenType: d.type ? `${d.type}-token` : kind(cred.secret),
      identity: { user: d.display_name, account: d.entity_id || undefined, type: d.path },
      scopes: policies.map((p) => `policy:${p}`),
      permissions: root ? [{ resource: '*', access: 'admin' }] : [],
      // ttl 0 with no expire_time = a token that never expires (root tokens, periodic tokens renewed forever).
      expiresAt: d.expire_time ? (isoFromDate(d.expire_time) ?? null) : d.ttl === 0 ? null : undefined,
      createdAt: d.creation_time ? new Date(d.creation_time * 1000).toISOString() : undefined,
      notes: [
        ...(root ? ['root policy: unrestricted access to the whole Vault'] : []),
        ...(d.num_uses ? [`limited to ${d.num_uses} more uses`] : []),
        ...(d.renewable ? ['renewable: the holder can extend its lifetime'] : []),
      ],
    });
    if (root) return out;
    const c = await http.request({
      method: 'POST',
      url: `${b}/v1/sys/capabilities-self`,
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ paths: VAULT_PROBE_PATHS }),
      readOnlyPost: true,
    });
    const cap = parseOptional(c, caps);
    if (!cap) return merge(out, { notes: [`capabilities-self not answered (HTTP ${c.status})`] });
    const perms: Permission[] = [];
    for (const p of VAULT_PROBE_PATHS) {
      const v = cap[p];
      if (Array.isArray(v)) {
        const level = vaultCapabilityLevel(
          p,
          v.filter((x): x is string => typeof x === 'string'),
        );
        if (level) perms.push(level);
      }
    }
    out = merge(out, {
      permissions: perms,
      notes: perms.length ? undefined : ['no access on the probed sensitive paths'],
    });
    return out;
  },
  runbook: () => ({
    consoleUrl: 'https://developer.hashicorp.com/vault/docs/commands/token/revoke',
    steps: [
      'vault token revoke -self (with the leaked token) or vault token revoke -accessor <accessor>',
      'Rotate any secrets it could read',
    ],
  }),
};
