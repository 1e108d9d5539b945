// Linear API keys (ISSUERS.md §35). A GraphQL query (read-only POST; the client refuses mutations) for the viewer and
// organization. The key goes in Authorization without "Bearer".
import { z } from 'zod';
import type { Access } from '../types.js';
import { invalid, parse, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.linear.app';
const QUERY = '{ viewer { id name email admin } organization { name urlKey } }';

export const linear: IssuerModule = {
  id: 'linear',
  name: 'Linear',
  hosts: ['api.linear.app'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: () => ({ tokenType: 'api-key', environment: 'production' }),
  planLookup: (_cred, http) => [`POST ${http.baseUrl(BASE)}/graphql (viewer query)`],
  async lookup(cred, http) {
    const res = await http.request({
      method: 'POST',
      url: `${http.baseUrl(BASE)}/graphql`,
      headers: { authorization: cred.secret, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      readOnlyPost: true,
    });
    const bad = unusable(res, 'Linear');
    if (bad) return bad;
    const errors = (
      res.json as { errors?: { message?: string; extensions?: { code?: string; type?: string } }[] } | undefined
    )?.errors;
    const authError = errors?.some((e) =>
      /AUTHENTICATION|authentication/i.test(
        `${e.extensions?.code ?? ''} ${e.extensions?.type ?? ''} ${e.message ?? ''}`,
      ),
    );
    if (res.status === 401 || authError) return invalid('Linear: authentication error');
    if (res.status !== 200) return unknown(`Linear answered HTTP ${res.status}`);
    const body = parse(
      res,
      z.object({
        data: z.object({
          viewer: z
            .object({
              id: z.string(),
              name: z.string().optional(),
              email: z.string().optional(),
              admin: z.boolean().optional(),
            })
            .passthrough(),
          organization: z.object({ name: z.string(), urlKey: z.string().optional() }).passthrough().optional(),
        }),
      }),
      'Linear',
    );
    if (!body.ok) return body.access;
    const { viewer, organization } = body.data.data;
    const out: Partial<Access> = {
      status: 'live',
      identity: { user: viewer.name ?? viewer.email, email: viewer.email, org: organization?.name },
      permissions: [{ resource: 'workspace', access: viewer.admin ? 'admin' : 'write' }],
      reach: organization
        ? [{ kind: 'workspaces', count: 1, sample: [organization.urlKey ?? organization.name] }]
        : undefined,
      notes: viewer.admin
        ? ['the key owner is a workspace admin']
        : ['key scopes (if restricted) are not introspectable'],
      expiresAt: null,
    };
    return out;
  },
};
