// xAI API keys `xai-<80>` (ISSUERS.md §48). GET /v1/api-key returns the calling key's own record: name, ACLs
// (endpoint and model grants), team and user ids, and blocked/disabled flags.
import { z } from 'zod';
import type { Permission } from '../types.js';
import { bearer, dedupePermissions, isoFromDate, merge, parse, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.x.ai';

const key = z
  .object({
    name: z.string().optional(),
    acls: z.array(z.string()).optional(),
    redacted_api_key: z.string().optional(),
    user_id: z.string().optional(),
    team_id: z.string().optional(),
    api_key_id: z.string().optional(),
    create_time: z.string().optional(),
    expire_time: z.string().nullable().optional(),
    api_key_blocked: z.boolean().optional(),
    api_key_disabled: z.boolean().optional(),
    team_blocked: z.boolean().optional(),
  })
  .refine(
    (v) => v.acls !== undefined || v.api_key_id !== undefined || v.redacted_api_key !== undefined,
    'not an api-key record',
  );

/** ACLs like `api-key:endpoint:*` / `api-key:model:grok-4` → write on that endpoint or model group. */
export function xaiAclLevels(acls: string[]): Permission[] {
  const out: Permission[] = [];
  for (const a of acls) {
    const m = /^api-key:(endpoint|model):(.+)$/.exec(a);
    if (m) out.push({ resource: m[2] === '*' ? `${m[1]}s` : `${m[1]}:${m[2]}`, access: 'write' });
  }
  return dedupePermissions(out);
}

export const xai: IssuerModule = {
  id: 'xai',
  name: 'xAI',
  hosts: ['api.x.ai'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  decode: () => ({ tokenType: 'api-key' }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v1/api-key`],
  async lookup(cred, http) {
    const res = await http.request({ url: `${http.baseUrl(BASE)}/v1/api-key`, headers: bearer(cred.secret) });
    // xAI answers a malformed or unknown key with 400 or 401.
    const bad = standard(res, 'xAI', [400, 401]);
    if (bad) return bad;
    const k = parse(res, key, 'xAI');
    if (!k.ok) return k.access;
    const d = k.data;
    const acls = d.acls ?? [];
    const out = merge({
      status: d.api_key_blocked || d.api_key_disabled || d.team_blocked ? 'inactive' : 'live',
      identity: { user: d.user_id, org: d.team_id, type: d.name ? `key "${d.name}"` : undefined },
      scopes: acls,
      permissions: xaiAclLevels(acls),
      createdAt: isoFromDate(d.create_time),
      expiresAt: d.expire_time ? (isoFromDate(d.expire_time) ?? null) : null,
    });
    if (out.status === 'inactive') {
      out.notes = [
        d.team_blocked ? 'the team is blocked' : d.api_key_disabled ? 'the key is disabled' : 'the key is blocked',
      ];
    }
    return out;
  },
  scopeLevels: xaiAclLevels,
  runbook: () => ({ consoleUrl: 'https://console.x.ai/', steps: ['Console → API Keys', 'Delete or disable the key'] }),
};
