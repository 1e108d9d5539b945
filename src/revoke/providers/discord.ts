// Discord webhooks (ISSUERS.md §9): the URL alone deletes the webhook (DELETE <url> → 204). Bot tokens are reset in
// the Developer Portal only (runbook).
import type { Credential } from '../../issuers/types.js';
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, byStatus } from './util.js';

const WEBHOOK = /^https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)/;

function parts(cred: Credential): { id: string; token: string } | undefined {
  const m = WEBHOOK.exec(cred.secret);
  return m ? { id: m[1], token: m[2] } : undefined;
}

export const discord: RevokeProvider = {
  issuer: 'discord',
  name: 'Discord webhook',
  hosts: ['discord.com', 'discordapp.com', 'canary.discord.com', 'ptb.discord.com'],
  defaultBaseUrl: 'https://discord.com',
  unsupported: (cred) => (parts(cred) ? undefined : 'bot tokens are reset in the Developer Portal only'),
  plan(cred, base, overridden) {
    const p = parts(cred);
    return [`DELETE ${overridden ? base : 'https://discord.com'}/api/webhooks/${p?.id ?? '{id}'}/… (the URL alone)`];
  },
  async revoke(cred, { http, base, overridden }) {
    const p = parts(cred)!;
    // The webhook's own host, unless the base URL is overridden (tests, proxies).
    const origin = overridden ? base : new URL(cred.secret).origin;
    const url = `${origin}/api/webhooks/${p.id}/${p.token}`;
    const request = `DELETE ${origin}/api/webhooks/${p.id}/…`;
    const res = await http.request({ method: 'DELETE', url, mutating: true });
    if (res.status === 404) return alreadyRevoked('Discord: Unknown Webhook (already deleted)', res.status, request);
    return byStatus(res, request, { name: 'Discord', ok: [204, 200], gone: [401] });
  },
};
