// Doppler tokens (ISSUERS.md §30): dp.pt. personal, dp.st.[<config>.] service, dp.sa. service account, dp.ct. CLI,
// dp.scim., dp.audit. A service token embeds its config slug, so part of its scope is known offline. GET /v3/me
// describes the calling token; personal/CLI tokens reach every project of the workplace (GET /v3/projects).
// Secrets are never read: a service token's write access cannot be told without a write, so it is noted, not probed.
import { z } from 'zod';
import type { Access } from '../types.js';
import { bearer, isoFromDate, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.doppler.com';

const TYPES: Record<string, string> = {
  pt: 'personal-token',
  st: 'service-token',
  sa: 'service-account-token',
  ct: 'cli-token',
  scim: 'scim-token',
  audit: 'audit-token',
};

/** `dp.st.<config>.<secret>` → the config slug, or undefined (older service tokens carry none). */
export function dopplerConfig(secret: string): string | undefined {
  return /^dp\.st\.([a-z0-9][a-z0-9_-]*)\.[A-Za-z0-9]{40,44}$/.exec(secret)?.[1];
}

const meSchema = z
  .object({
    workplace: z.object({ name: z.string().optional(), slug: z.string().optional() }).nullable().optional(),
    type_: z.string().optional(),
    type: z.string().optional(),
    name: z.string().nullable().optional(),
    slug: z.string().nullable().optional(),
    created_at: z.string().nullable().optional(),
    last_seen_at: z.string().nullable().optional(),
    token_preview: z.string().optional(),
  })
  .refine((v) => v.workplace !== undefined || v.type_ !== undefined || v.type !== undefined, 'not a /v3/me answer');
const projects = z.object({ projects: z.array(z.object({ slug: z.string(), name: z.string().optional() })) });

function offline(secret: string): Partial<Access> {
  const kind = /^dp\.([a-z]+)\./.exec(secret)?.[1] ?? '';
  const tokenType = TYPES[kind];
  const out: Partial<Access> = { tokenType };
  if (kind === 'st') {
    const config = dopplerConfig(secret);
    out.permissions = [{ resource: config ? `config:${config}` : 'config', access: 'read' }];
    out.notes = [
      config
        ? `service token for config "${config}" (read, or read/write if enabled)`
        : 'service token bound to one config',
    ];
    if (config && /^(prd|prod|production)/.test(config)) out.environment = 'production';
    else if (config && /^(dev|stg|staging|test|ci)/.test(config)) out.environment = 'test';
  }
  if (kind === 'pt' || kind === 'ct') {
    out.permissions = [{ resource: 'workplace', access: 'admin' }];
    out.notes = ['personal/CLI token: read/write on every project the user can reach'];
  }
  if (kind === 'scim') out.permissions = [{ resource: 'users-and-groups', access: 'admin' }];
  if (kind === 'audit') out.permissions = [{ resource: 'audit-log', access: 'read' }];
  return out;
}

export const doppler: IssuerModule = {
  id: 'doppler',
  name: 'Doppler',
  hosts: ['api.doppler.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 4 },
  // Token types carry the scope; there is no scope vocabulary to map.
  capabilities: { scope: true },
  decode: (cred) => offline(cred.secret),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v3/me`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const res = await http.request({
      url: `${base}/v3/me`,
      headers: { ...bearer(cred.secret), accept: 'application/json' },
    });
    const bad = standard(res, 'Doppler', [401, 403]);
    if (bad) return bad;
    const me = parse(res, meSchema, 'Doppler');
    if (!me.ok) return me.access;
    const d = me.data;
    const type = d.type_ ?? d.type;
    let out = merge(offline(cred.secret), {
      status: 'live',
      identity: { org: d.workplace?.name ?? d.workplace?.slug ?? undefined, user: d.name ?? undefined, type },
      createdAt: isoFromDate(d.created_at ?? undefined),
      notes: d.last_seen_at ? [`last seen ${d.last_seen_at}`] : undefined,
    });
    if (/^dp\.(pt|ct|sa)\./.test(cred.secret)) {
      const p = await http.request({ url: `${base}/v3/projects?per_page=100`, headers: bearer(cred.secret) });
      const list = parseOptional(p, projects);
      out = list
        ? merge(out, {
            reach: [
              { kind: 'projects', count: list.projects.length, sample: list.projects.slice(0, 5).map((x) => x.slug) },
            ],
          })
        : merge(out, { notes: [`projects not listed (HTTP ${p.status})`] });
    }
    return out;
  },
  runbook: () => ({
    consoleUrl: 'https://dashboard.doppler.com/workplace/tokens',
    steps: [
      'Find the token (Tokens page, or the config’s Access tab for a service token)',
      'Revoke it (POST /v3/auth/revoke also works)',
    ],
  }),
};
