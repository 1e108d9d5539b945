// Stripe keys (ISSUERS.md §7). Offline: live/test, secret/restricted/publishable. GET /v1/charges: 200 = valid with
// charge read, 403 = a live restricted key lacking it, 401 = invalid (or expired). GET /v1/account names the account.
import { z } from 'zod';
import type { Access } from '../types.js';
import { bearer, inactive, invalid, merge, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.stripe.com';

function stripeType(secret: string): { tokenType: string; environment: 'production' | 'test' | 'unknown' } {
  const m = /^(sk|rk|pk)_(live|test)_/.exec(secret);
  if (m) {
    const kind = { sk: 'secret-key', rk: 'restricted-key', pk: 'publishable-key' }[m[1] as 'sk' | 'rk' | 'pk'];
    return { tokenType: m[2] === 'live' ? kind : `test-${kind}`, environment: m[2] === 'live' ? 'production' : 'test' };
  }
  if (secret.startsWith('whsec_')) return { tokenType: 'webhook-secret', environment: 'unknown' };
  return { tokenType: 'unknown', environment: 'unknown' };
}

export const stripe: IssuerModule = {
  id: 'stripe',
  name: 'Stripe',
  hosts: ['api.stripe.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 20 },
  capabilities: { scope: true },
  decode(cred) {
    const t = stripeType(cred.secret);
    const out: Partial<Access> = { tokenType: t.tokenType, environment: t.environment, expiresAt: null };
    if (t.tokenType.startsWith('secret-key')) out.permissions = [{ resource: 'account', access: 'admin' }];
    if (t.tokenType.includes('publishable')) out.notes = ['publishable keys are public by design'];
    return out;
  },
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v1/charges?limit=1`, `GET ${http.baseUrl(BASE)}/v1/account`],
  async lookup(cred, http) {
    const t = stripeType(cred.secret);
    if (t.tokenType === 'webhook-secret' || t.tokenType.includes('publishable')) {
      return { status: 'skipped', notes: [`a Stripe ${t.tokenType} cannot call the API`] };
    }
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v1/charges?limit=1`, headers: bearer(cred.secret) });
    const bad = unusable(res, 'Stripe');
    if (bad) return bad;
    const err = (res.json as { error?: { code?: string; type?: string; message?: string } } | undefined)?.error;
    if (res.status === 401) {
      if (err?.code === 'api_key_expired') return inactive('Stripe: api_key_expired');
      return invalid('Stripe rejected the key (401)');
    }
    let out: Partial<Access>;
    if (res.status === 200) {
      out = {
        status: 'live',
        permissions: t.tokenType.includes('restricted')
          ? [{ resource: 'charges', access: 'read' }]
          : [{ resource: 'account', access: 'admin' }],
      };
    } else if (res.status === 403 && err) {
      out = {
        status: 'live',
        tokenType: t.tokenType,
        notes: ['restricted key without charge read permission (HTTP 403)'],
      };
    } else {
      return unknown(`Stripe answered HTTP ${res.status}`);
    }
    const acct = await http.request({ url: `${base}/v1/account`, headers: bearer(cred.secret) });
    const a = parseOptional(
      acct,
      z
        .object({
          id: z.string(),
          email: z.string().nullable().optional(),
          business_profile: z.object({ name: z.string().nullable().optional() }).passthrough().nullable().optional(),
          settings: z
            .object({
              dashboard: z.object({ display_name: z.string().nullable().optional() }).passthrough().optional(),
            })
            .passthrough()
            .optional(),
          livemode: z.boolean().optional(),
        })
        .passthrough(),
    );
    if (!a) return merge(out, { notes: [`account not readable (HTTP ${acct.status})`] });
    return merge(out, {
      identity: {
        account: a.id,
        email: a.email ?? undefined,
        org: a.business_profile?.name ?? a.settings?.dashboard?.display_name ?? undefined,
      },
    });
  },
  runbook: () => ({
    consoleUrl: 'https://dashboard.stripe.com/apikeys',
    steps: [
      'Open Developers → API keys',
      'Roll the key (choose an expiry for the old one of "now")',
      'Replace it with a restricted key holding only the permissions the service needs',
    ],
  }),
};
