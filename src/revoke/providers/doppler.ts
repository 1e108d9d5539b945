// Doppler (ISSUERS.md §30): POST /v3/auth/revoke {"token"} revokes a service, personal, CLI or SCIM token.
import type { RevokeProvider } from '../types.js';
import { byStatus } from './util.js';

export const doppler: RevokeProvider = {
  issuer: 'doppler',
  name: 'Doppler',
  hosts: ['api.doppler.com'],
  defaultBaseUrl: 'https://api.doppler.com',
  plan: (_cred, base) => [`POST ${base}/v3/auth/revoke {"token":"…"}`],
  async revoke(cred, { http, base }) {
    const url = `${base}/v3/auth/revoke`;
    const res = await http.request({
      method: 'POST',
      url,
      headers: {
        authorization: `Bearer ${cred.secret}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ token: cred.secret }),
      mutating: true,
    });
    return byStatus(res, `POST ${url}`, { name: 'Doppler', ok: [200, 204], gone: [401] });
  },
};
