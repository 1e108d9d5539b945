// Cloudflare (ISSUERS.md §26): GET /user/tokens/verify returns the calling token's own id; DELETE
// /user/tokens/{that id} (needs "API Tokens Write"). The Global API Key (with an email) has no such API.
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus, failed, reason } from './util.js';

export const cloudflare: RevokeProvider = {
  issuer: 'cloudflare',
  name: 'Cloudflare',
  hosts: ['api.cloudflare.com'],
  defaultBaseUrl: 'https://api.cloudflare.com',
  unsupported: (cred) =>
    /^[a-f0-9]{37}$/.test(cred.secret)
      ? 'the Global API Key is rotated in the dashboard (no revocation API)'
      : undefined,
  plan: (_cred, base) => [
    `GET ${base}/client/v4/user/tokens/verify (the token's own id)`,
    `DELETE ${base}/client/v4/user/tokens/{id}`,
  ],
  async revoke(cred, { http, base }) {
    const auth = bearer(cred.secret);
    const verifyUrl = `${base}/client/v4/user/tokens/verify`;
    const steps = [`GET ${verifyUrl}`];
    const v = await http.request({ url: verifyUrl, headers: auth });
    const body = v.json as { success?: boolean; result?: { id?: string; status?: string } } | undefined;
    if (v.status === 401 || (v.status === 400 && body?.success === false)) {
      return alreadyRevoked(`Cloudflare no longer accepts this token (HTTP ${v.status})`, v.status, steps[0]);
    }
    const id = body?.result?.id;
    if (v.status !== 200 || !body?.success || typeof id !== 'string') {
      return failed(`Cloudflare answered HTTP ${v.status} to verify: ${reason(v)}`, v.status, steps[0]);
    }
    const url = `${base}/client/v4/user/tokens/${encodeURIComponent(id)}`;
    steps.push(`DELETE ${url}`);
    const res = await http.request({ method: 'DELETE', url, headers: auth, mutating: true });
    return byStatus(res, steps.join('; '), { name: 'Cloudflare', ok: [200, 204], gone: [401, 404] });
  },
};
