// Replicate API tokens `r8_<37>` (ISSUERS.md §48). Tokens have no scopes: they run any model on the account's
// bill and read its predictions. GET /v1/account names the account; /v1/deployments shows private deployments.
import { z } from 'zod';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.replicate.com';

const account = z.object({ type: z.string(), username: z.string(), name: z.string().optional() });
const deployments = z.object({
  results: z.array(z.object({ owner: z.string().optional(), name: z.string() })),
  next: z.string().nullable().optional(),
});

export const replicate: IssuerModule = {
  id: 'replicate',
  name: 'Replicate',
  hosts: ['api.replicate.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: () => ({ tokenType: 'api-token' }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v1/account`, `GET ${http.baseUrl(BASE)}/v1/deployments`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v1/account`, headers: bearer(cred.secret) });
    const bad = standard(res, 'Replicate');
    if (bad) return bad;
    const a = parse(res, account, 'Replicate');
    if (!a.ok) return a.access;
    const out = merge({
      status: 'live',
      identity: {
        user: a.data.username,
        type: a.data.type,
        org: a.data.type === 'organization' ? a.data.name : undefined,
      },
      permissions: [
        { resource: 'predictions', access: 'write' },
        { resource: 'models', access: 'write' },
      ],
      notes: ['Replicate tokens have no scopes: every model run is billed to the account'],
    });
    const d = await http.request({ url: `${base}/v1/deployments`, headers: bearer(cred.secret) });
    const list = parseOptional(d, deployments);
    return list
      ? merge(out, {
          reach: [
            { kind: 'deployments', count: list.results.length, sample: list.results.slice(0, 5).map((x) => x.name) },
          ],
        })
      : merge(out, { notes: [`deployments not listed (HTTP ${d.status})`] });
  },
  runbook: () => ({
    consoleUrl: 'https://replicate.com/account/api-tokens',
    steps: ['Account → API tokens', 'Delete the token'],
  }),
};
