// Anthropic keys (ISSUERS.md §14). GET /v1/models (x-api-key + anthropic-version) decides live with no token cost.
// Admin keys (sk-ant-admin01-) list the organization's API keys instead.
import { z } from 'zod';
import { invalid, parse, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.anthropic.com';
const VERSION = '2023-06-01';

export const anthropic: IssuerModule = {
  id: 'anthropic',
  name: 'Anthropic',
  hosts: ['api.anthropic.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('sk-ant-admin') ? 'admin-key' : 'api-key',
    environment: 'production',
  }),
  planLookup: (cred, http) => [
    cred.secret.startsWith('sk-ant-admin')
      ? `GET ${http.baseUrl(BASE)}/v1/organizations/api_keys`
      : `GET ${http.baseUrl(BASE)}/v1/models`,
  ],
  async lookup(cred, http) {
    const isAdmin = cred.secret.startsWith('sk-ant-admin');
    const path = isAdmin ? '/v1/organizations/api_keys?limit=100' : '/v1/models?limit=100';
    const res = await http.request({
      url: `${http.baseUrl(BASE)}${path}`,
      headers: { 'x-api-key': cred.secret, 'anthropic-version': VERSION },
    });
    const bad = unusable(res, 'Anthropic');
    if (bad) return bad;
    if (res.status === 401) return invalid('Anthropic: authentication_error');
    if (res.status === 403)
      return { status: 'live', notes: ['Anthropic: permission_error (key valid, endpoint not allowed)'] };
    if (res.status !== 200) return unknown(`Anthropic answered HTTP ${res.status}`);
    const body = parse(
      res,
      z.object({ data: z.array(z.object({ id: z.string() }).passthrough()) }).passthrough(),
      'Anthropic',
    );
    if (!body.ok) return body.access;
    if (!isAdmin) {
      return {
        status: 'live',
        permissions: [{ resource: 'messages', access: 'write' }],
        reach: [{ kind: 'models', count: body.data.data.length }],
        expiresAt: undefined,
      };
    }
    const keys = body.data.data as { id: string; name?: string; status?: string; workspace_id?: string | null }[];
    const workspaces = new Set(keys.map((k) => k.workspace_id ?? 'default'));
    return {
      status: 'live',
      permissions: [{ resource: 'organization', access: 'admin' }],
      reach: [
        { kind: 'api-keys', count: keys.length, sample: keys.slice(0, 5).map((k) => k.name ?? k.id) },
        { kind: 'workspaces', count: workspaces.size },
      ],
      notes: ['admin key: manages the organization’s users, workspaces and API keys'],
    };
  },
  runbook: () => ({
    consoleUrl: 'https://console.anthropic.com/settings/keys',
    steps: [
      'Open Settings → API keys',
      'Find the key by its hint',
      'Disable or delete it; issue a workspace-scoped replacement',
    ],
  }),
};
