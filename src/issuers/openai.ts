// OpenAI keys (ISSUERS.md §5). GET /v1/models decides live (no token cost); /v1/me names the owner for user-owned
// keys. Admin keys (sk-admin-) cannot call /v1/models: GET /v1/organization/projects shows their reach.
// Restricted keys have no introspection: a 403 with a permission message is a valid but restricted key.
import { z } from 'zod';
import type { Access } from '../types.js';
import { bearer, invalid, merge, parse, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerHttp, IssuerModule } from './types.js';

const BASE = 'https://api.openai.com';

function openaiType(secret: string): string {
  if (secret.startsWith('sk-admin-')) return 'admin-key';
  if (secret.startsWith('sk-svcacct-')) return 'service-account-key';
  if (secret.startsWith('sk-proj-')) return 'project-key';
  return 'user-key';
}

function errorCode(json: unknown): string {
  const e = (json as { error?: { code?: string; type?: string; message?: string } } | undefined)?.error;
  return `${e?.code ?? ''} ${e?.type ?? ''} ${e?.message ?? ''}`;
}

async function admin(secret: string, http: IssuerHttp): Promise<Partial<Access>> {
  const res = await http.request({
    url: `${http.baseUrl(BASE)}/v1/organization/projects?limit=100`,
    headers: bearer(secret),
  });
  if (res.status === 401) return invalid('OpenAI rejected the admin key (401)');
  const bad = unusable(res, 'OpenAI');
  if (bad) return bad;
  if (res.status !== 200) return unknown(`OpenAI answered HTTP ${res.status}`);
  const body = parse(
    res,
    z.object({
      data: z.array(z.object({ id: z.string(), name: z.string().optional() }).passthrough()),
      has_more: z.boolean().optional(),
    }),
    'OpenAI',
  );
  if (!body.ok) return body.access;
  return {
    status: 'live',
    permissions: [{ resource: 'organization', access: 'admin' }],
    reach: [
      { kind: 'projects', count: body.data.data.length, sample: body.data.data.slice(0, 5).map((p) => p.name ?? p.id) },
    ],
    notes: [
      'organization admin key: manages projects, users and API keys',
      ...(body.data.has_more ? ['more than 100 projects'] : []),
    ],
  };
}

export const openai: IssuerModule = {
  id: 'openai',
  name: 'OpenAI',
  hosts: ['api.openai.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({ tokenType: openaiType(cred.secret), environment: 'production' }),
  planLookup(cred, http) {
    const base = http.baseUrl(BASE);
    if (openaiType(cred.secret) === 'admin-key') return [`GET ${base}/v1/organization/projects`];
    return [`GET ${base}/v1/models`, `GET ${base}/v1/me`];
  },
  async lookup(cred, http) {
    const type = openaiType(cred.secret);
    if (type === 'admin-key') return admin(cred.secret, http);
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v1/models`, headers: bearer(cred.secret), retries: 1 });
    if (res.html) return unknown(`OpenAI answered HTTP ${res.status} with an HTML page`);
    const code = errorCode(res.json);
    if (res.status === 401) {
      if (/deactivated|disabled/i.test(code)) return { status: 'inactive', notes: [`OpenAI: ${code.trim()}`] };
      return invalid('OpenAI rejected the key (401 invalid_api_key)');
    }
    let out: Partial<Access>;
    if (res.status === 200) {
      const models = parseOptional(
        res,
        z.object({ data: z.array(z.object({ id: z.string() }).passthrough()) }).passthrough(),
      );
      if (!models) return unknown('OpenAI answered an unexpected shape for /v1/models');
      out = {
        status: 'live',
        permissions: [{ resource: 'models', access: 'write' }],
        reach: [{ kind: 'models', count: models.data.length }],
      };
    } else if (res.status === 403 && /permission|scope/i.test(code)) {
      out = { status: 'live', tokenType: 'restricted-key', notes: ['restricted key: no Models permission'] };
    } else if (res.status === 429 && /insufficient_quota/.test(code)) {
      out = { status: 'live', notes: ['valid key without quota (insufficient_quota)'] };
    } else {
      return unusable(res, 'OpenAI') ?? unknown(`OpenAI answered HTTP ${res.status}`);
    }
    if (type === 'service-account-key') return merge(out, { identity: { type: 'service-account' } });
    const me = await http.request({ url: `${base}/v1/me`, headers: bearer(cred.secret), retries: 0 });
    const who = parseOptional(
      me,
      z
        .object({
          name: z.string().optional(),
          email: z.string().optional(),
          orgs: z
            .object({
              data: z.array(
                z
                  .object({
                    id: z.string(),
                    title: z.string().optional(),
                    name: z.string().optional(),
                    role: z.string().optional(),
                  })
                  .passthrough(),
              ),
            })
            .optional(),
        })
        .passthrough(),
    );
    if (!who) return merge(out, { notes: [`owner not readable (HTTP ${me.status})`] });
    const orgs = who.orgs?.data ?? [];
    const ownerRole = orgs.find((o) => o.role === 'owner');
    return merge(out, {
      identity: { user: who.name ?? who.email, email: who.email, org: orgs[0]?.title ?? orgs[0]?.name ?? orgs[0]?.id },
      reach: orgs.length
        ? [{ kind: 'orgs', count: orgs.length, sample: orgs.slice(0, 5).map((o) => o.title ?? o.name ?? o.id) }]
        : [],
      permissions: ownerRole ? [{ resource: 'organization', access: 'admin' }] : [],
      notes: ownerRole ? ['the key owner is an organization owner'] : [],
    });
  },
  runbook: () => ({
    consoleUrl: 'https://platform.openai.com/api-keys',
    steps: [
      'Open API keys (or the project’s API keys page)',
      'Find the key by its redacted preview',
      'Revoke it and issue a project-scoped, restricted replacement',
    ],
  }),
};
