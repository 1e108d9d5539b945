// DeepSeek API keys `sk-<32 hex>` (found by context; ISSUERS.md §48). GET /user/balance verifies for free and shows
// what the key can spend; keys have no scopes.
import { z } from 'zod';
import { bearer, parse, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.deepseek.com';

const balance = z.object({
  is_available: z.boolean(),
  balance_infos: z.array(
    z.object({
      currency: z.string(),
      total_balance: z.string(),
      granted_balance: z.string().optional(),
      topped_up_balance: z.string().optional(),
    }),
  ),
});

export const deepseek: IssuerModule = {
  id: 'deepseek',
  name: 'DeepSeek',
  hosts: ['api.deepseek.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: () => ({ tokenType: 'api-key' }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/user/balance`],
  async lookup(cred, http) {
    const res = await http.request({
      url: `${http.baseUrl(BASE)}/user/balance`,
      headers: { ...bearer(cred.secret), accept: 'application/json' },
    });
    const bad = standard(res, 'DeepSeek');
    if (bad) return bad;
    const b = parse(res, balance, 'DeepSeek');
    if (!b.ok) return b.access;
    const totals = b.data.balance_infos.map((x) => `${x.total_balance} ${x.currency}`);
    return {
      status: 'live',
      permissions: [{ resource: 'inference', access: 'write' }],
      notes: [
        totals.length ? `balance ${totals.join(', ')}` : 'no balance information',
        ...(b.data.is_available ? [] : ['balance exhausted: calls fail until topped up']),
      ],
    };
  },
  runbook: () => ({
    consoleUrl: 'https://platform.deepseek.com/api_keys',
    steps: ['Platform → API keys', 'Delete the key'],
  }),
};
