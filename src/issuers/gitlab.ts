// GitLab tokens (ISSUERS.md §13). PATs, project and group access tokens: GET /api/v4/personal_access_tokens/self gives
// scopes, expiry and active/revoked; /api/v4/user gives the identity. Routable tokens (glpat-<payload>.01.<len><crc>)
// carry a base64url routing payload `k:v` lines (o = organization, u = user, p = project, g = group, c = cell; integers
// in base36; gitlab-org lib/authn/token_field/generator/routable_token.rb), decoded offline.
// Self-managed: base URL override (https://gitlab.example.com).
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { inactive, invalid, isoFromDate, merge, parse, parseOptional, scopeTable, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://gitlab.com';

const PREFIXES: [string, string][] = [
  ['glpat-', 'personal-access-token'],
  ['gldt-', 'deploy-token'],
  ['glrt-', 'runner-token'],
  ['GR1348941', 'runner-registration-token'],
  ['glptt-', 'pipeline-trigger-token'],
  ['glcbt-', 'ci-job-token'],
  ['glft-', 'feed-token'],
  ['glimt-', 'incoming-mail-token'],
  ['glagent-', 'agent-token'],
  ['gloas-', 'oauth-app-secret'],
  ['glsoat-', 'scim-token'],
  ['glffct-', 'feature-flags-client-token'],
];

/** Types /personal_access_tokens/self can check. */
const CHECKABLE = new Set(['personal-access-token', 'oauth-token']);

const ROUTING_KEYS: Record<string, string> = {
  o: 'organization',
  u: 'user',
  p: 'project',
  g: 'group',
  c: 'cell',
  t: 'type',
};

/** Decodes a routable token's payload; undefined for legacy tokens. */
export function gitlabRoutingPayload(secret: string): Record<string, string> | undefined {
  const m = /^[a-zA-Z]+-([A-Za-z0-9_-]+)\.\d\d\.[0-9a-z]{2}[0-9a-z]{7}$/.exec(secret);
  if (!m) return undefined;
  const bytes = Buffer.from(m[1], 'base64url');
  if (bytes.length < 18) return undefined;
  const size = bytes[bytes.length - 1];
  if (size > bytes.length - 17) return undefined;
  const text = bytes.subarray(bytes.length - 1 - size, bytes.length - 1).toString('utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const cut = line.indexOf(':');
    if (cut <= 0) continue;
    const k = line.slice(0, cut);
    const v = line.slice(cut + 1);
    const name = ROUTING_KEYS[k] ?? k;
    out[name] = /^[0-9a-z]+$/.test(v) && k !== 't' ? String(Number.parseInt(v, 36)) : v;
  }
  return Object.keys(out).length ? out : undefined;
}

const p = (resource: string, access: Permission['access']): Permission => ({ resource, access });

export const gitlabScopeLevels = scopeTable({
  api: [p('api', 'write'), p('repository', 'write')],
  read_api: p('api', 'read'),
  read_user: p('user', 'read'),
  read_repository: p('repository', 'read'),
  write_repository: p('repository', 'write'),
  read_registry: p('registry', 'read'),
  write_registry: p('registry', 'write'),
  read_virtual_registry: p('registry', 'read'),
  write_virtual_registry: p('registry', 'write'),
  sudo: p('instance', 'admin'),
  admin_mode: p('instance', 'admin'),
  create_runner: p('runners', 'write'),
  manage_runner: p('runners', 'admin'),
  k8s_proxy: p('kubernetes', 'write'),
  ai_features: p('ai', 'write'),
  read_service_ping: p('service-ping', 'read'),
  self_rotate: p('token', 'write'),
});

const selfSchema = z
  .object({
    id: z.number(),
    name: z.string().optional(),
    revoked: z.boolean().optional(),
    active: z.boolean().optional(),
    scopes: z.array(z.string()),
    user_id: z.number().optional(),
    created_at: z.string().optional(),
    last_used_at: z.string().nullable().optional(),
    expires_at: z.string().nullable().optional(),
  })
  .passthrough();

export const gitlab: IssuerModule = {
  id: 'gitlab',
  name: 'GitLab',
  hosts: ['gitlab.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 20 },
  decode(cred) {
    const tokenType = PREFIXES.find(([pre]) => cred.secret.startsWith(pre))?.[1] ?? cred.tokenType;
    const out: Partial<Access> = { tokenType, environment: 'production' };
    const routing = gitlabRoutingPayload(cred.secret);
    if (routing) {
      out.identity = { org: routing.organization, user: routing.user, project: routing.project };
      out.notes = [
        `routable token: ${Object.entries(routing)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      ];
    }
    return out;
  },
  planLookup: (_cred, http) => [
    `GET ${http.baseUrl(BASE)}/api/v4/personal_access_tokens/self`,
    `GET ${http.baseUrl(BASE)}/api/v4/user`,
  ],
  async lookup(cred, http) {
    const type = PREFIXES.find(([pre]) => cred.secret.startsWith(pre))?.[1] ?? 'personal-access-token';
    if (!CHECKABLE.has(type)) return { status: 'skipped', notes: [`no read-only check for a GitLab ${type}`] };
    const base = http.baseUrl(BASE);
    const headers = { 'private-token': cred.secret };
    const res = await http.request({ url: `${base}/api/v4/personal_access_tokens/self`, headers });
    const bad = unusable(res, 'GitLab');
    if (bad) return bad;
    if (res.status === 401) {
      const desc = String((res.json as { error_description?: string } | undefined)?.error_description ?? res.text);
      if (/revoked/i.test(desc)) return inactive('GitLab: token was revoked');
      if (/expired/i.test(desc)) return inactive('GitLab: token has expired');
      return invalid('GitLab rejected the token (401)');
    }
    if (res.status !== 200) return unknown(`GitLab answered HTTP ${res.status}`);
    const body = parse(res, selfSchema, 'GitLab');
    if (!body.ok) return body.access;
    const t = body.data;
    const expiresAt = t.expires_at
      ? isoFromDate(`${t.expires_at}${t.expires_at.length === 10 ? 'T00:00:00Z' : ''}`)
      : null;
    let out: Partial<Access> = {
      status: t.revoked || t.active === false ? 'inactive' : 'live',
      scopes: t.scopes,
      expiresAt,
      createdAt: t.created_at ? isoFromDate(t.created_at) : undefined,
      identity: { type: t.name ? `token "${t.name}"` : undefined, user: t.user_id ? `id ${t.user_id}` : undefined },
      notes: t.last_used_at ? [`last used ${t.last_used_at}`] : [],
    };
    if (out.status !== 'live') return out;
    // Identity: needs read_user or api; a 403 only adds a note.
    const u = await http.request({ url: `${base}/api/v4/user`, headers });
    const user = parseOptional(
      u,
      z
        .object({
          username: z.string(),
          email: z.string().nullable().optional(),
          is_admin: z.boolean().optional(),
          bot: z.boolean().optional(),
        })
        .passthrough(),
    );
    if (user) {
      out = merge(out, {
        identity: {
          user: user.username,
          email: user.email ?? undefined,
          type: user.bot ? 'bot (project/group token)' : out.identity?.type,
        },
      });
      if (user.is_admin)
        out = merge(out, {
          permissions: [p('instance', 'admin')],
          notes: ['the token owner is an instance administrator'],
        });
    } else {
      out = merge(out, { notes: [`user not readable (HTTP ${u.status})`] });
    }
    if (out.permissions?.length) out.permissions = [...gitlabScopeLevels(t.scopes), ...out.permissions];
    return out;
  },
  scopeLevels: gitlabScopeLevels,
};
