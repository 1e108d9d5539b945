// DigitalOcean (ISSUERS.md §21): the OAuth revoke endpoint takes the token itself (token=<t>, Bearer <t>).
import type { RevokeProvider } from '../types.js';
import { bearer, byStatus, FORM_BODY } from './util.js';

export const digitalocean: RevokeProvider = {
  issuer: 'digitalocean',
  name: 'DigitalOcean',
  hosts: ['cloud.digitalocean.com'],
  defaultBaseUrl: 'https://cloud.digitalocean.com',
  plan: (_cred, base) => [`POST ${base}/v1/oauth/revoke token=… (Bearer: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/v1/oauth/revoke`;
    const res = await http.request({
      method: 'POST',
      url,
      headers: { ...FORM_BODY, ...bearer(cred.secret) },
      body: new URLSearchParams({ token: cred.secret }).toString(),
      mutating: true,
    });
    return byStatus(res, `POST ${url}`, { name: 'DigitalOcean', ok: [200, 204], gone: [401] });
  },
};
