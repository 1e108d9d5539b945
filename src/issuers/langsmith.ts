// LangSmith API keys `lsv2_pt_…` (personal) and `lsv2_sk_…` (service) (ISSUERS.md §48), header X-API-Key.
// GET /api/v1/api-key lists the keys of the caller's workspace (with `short_key` previews, used to find this key's
// record); /api/v1/workspaces the reach. Traces stored there often hold prompts, outputs and further secrets.
// EU accounts live on eu.api.smith.langchain.com: tried when the US API says 401.
import { z } from 'zod';
import type { Access } from '../types.js';
import { isoFromDate, merge, parse, parseOptional, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const US = 'https://api.smith.langchain.com';
const EU = 'https://eu.api.smith.langchain.com';

const keys = z.array(
  z.object({
    id: z.string(),
    short_key: z.string().optional(),
    description: z.string().nullable().optional(),
    created_at: z.string().optional(),
    last_used_at: z.string().nullable().optional(),
    expires_at: z.string().nullable().optional(),
    read_only: z.boolean().optional(),
  }),
);
const workspaces = z.array(
  z.object({ id: z.string(), display_name: z.string().optional(), role_name: z.string().nullable().optional() }),
);

/** A `short_key` preview ("lsv2_pt_ab…cd12", "lsv2_pt_****cd12") matches when its visible pieces are in the key. */
function previewMatches(preview: string, secret: string): boolean {
  const parts = preview.split(/[*.…]+/).filter((p) => p.length >= 3);
  return parts.length > 0 && parts.every((p) => secret.includes(p)) && secret.endsWith(parts[parts.length - 1]);
}

export const langsmith: IssuerModule = {
  id: 'langsmith',
  name: 'LangSmith',
  hosts: ['api.smith.langchain.com', 'eu.api.smith.langchain.com'],
  defaultBaseUrl: US,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('lsv2_sk_')
      ? 'service-key'
      : cred.secret.startsWith('lsv2_pt_')
        ? 'personal-token'
        : 'api-key',
  }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(US)}/api/v1/api-key`, `GET ${http.baseUrl(US)}/api/v1/workspaces`],
  async lookup(cred, http) {
    const headers = { 'x-api-key': cred.secret, accept: 'application/json' };
    let base = http.baseUrl(US);
    let res = await http.request({ url: `${base}/api/v1/api-key`, headers });
    if (res.status === 401 && !http.override) {
      base = EU;
      res = await http.request({ url: `${base}/api/v1/api-key`, headers });
    }
    const bad = unusable(res, 'LangSmith');
    if (bad) return bad;
    if (res.status === 401 || res.status === 403)
      return { status: 'invalid', notes: [`LangSmith rejected the key (HTTP ${res.status})`] };
    if (res.status !== 200) return { status: 'unknown', notes: [`LangSmith answered HTTP ${res.status}`] };
    const k = parse(res, keys, 'LangSmith');
    if (!k.ok) return k.access;
    const service = cred.secret.startsWith('lsv2_sk_');
    let out: Partial<Access> = merge({
      status: 'live',
      permissions: [{ resource: 'workspace', access: service ? 'admin' : 'write' }],
      reach: [{ kind: 'api-keys', count: k.data.length }],
      notes: base === EU ? ['EU region'] : undefined,
    });
    const mine = k.data.find((x) => x.short_key && previewMatches(x.short_key, cred.secret));
    if (mine) {
      out = merge(out, {
        identity: { type: mine.description ? `key "${mine.description}"` : undefined },
        createdAt: isoFromDate(mine.created_at),
        expiresAt: mine.expires_at ? (isoFromDate(mine.expires_at) ?? null) : null,
        notes: mine.last_used_at ? [`last used ${mine.last_used_at}`] : undefined,
      });
      // merge() keeps the highest level per resource, so a read-only key replaces it outright.
      if (mine.read_only) out.permissions = [{ resource: 'workspace', access: 'read' }];
    }
    const w = await http.request({ url: `${base}/api/v1/workspaces`, headers });
    const ws = parseOptional(w, workspaces);
    return ws
      ? merge(out, {
          identity: { org: ws[0]?.display_name },
          reach: [{ kind: 'workspaces', count: ws.length, sample: ws.slice(0, 5).map((x) => x.display_name ?? x.id) }],
        })
      : merge(out, { notes: [`workspaces not listed (HTTP ${w.status})`] });
  },
  runbook: () => ({
    consoleUrl: 'https://smith.langchain.com/settings',
    steps: ['Settings → API Keys', 'Delete the key'],
  }),
};
