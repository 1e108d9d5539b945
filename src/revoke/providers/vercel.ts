// Vercel (ISSUERS.md §39): DELETE /v3/user/tokens/current revokes the calling token (vcp_, vci_, legacy tokens).
// OAuth app tokens (vca_/vcr_) need the app's client credentials and get the runbook.
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus } from './util.js';

export const vercel: RevokeProvider = {
  issuer: 'vercel',
  name: 'Vercel',
  hosts: ['api.vercel.com'],
  defaultBaseUrl: 'https://api.vercel.com',
  unsupported: (cred) =>
    /^vc[ar]_/.test(cred.secret) ? "OAuth app tokens are revoked with the app's client credentials" : undefined,
  plan: (_cred, base) => [`DELETE ${base}/v3/user/tokens/current (Bearer: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/v3/user/tokens/current`;
    const request = `DELETE ${url}`;
    const res = await http.request({ method: 'DELETE', url, headers: bearer(cred.secret), mutating: true });
    // Vercel marks a dead token in a 403: {"error":{"invalidToken":true}}.
    const invalid = (res.json as { error?: { invalidToken?: boolean } } | undefined)?.error?.invalidToken === true;
    if (res.status === 403 && invalid)
      return alreadyRevoked('Vercel no longer accepts this token (invalidToken)', res.status, request);
    return byStatus(res, request, { name: 'Vercel', ok: [200, 204], gone: [401] });
  },
};
