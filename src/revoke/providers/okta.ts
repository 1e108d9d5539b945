// Okta (ISSUERS.md §45): DELETE /api/v1/api-tokens/current revokes the token in the header (SSWS). The org host
// comes from the base URL override or an Okta domain next to the token.
import type { RevokeProvider } from '../types.js';
import { byStatus, tenantBaseFor } from './util.js';

const HOSTS = ['*.okta.com', '*.oktapreview.com', '*.okta-emea.com', '*.okta-gov.com'];

export const okta: RevokeProvider = {
  issuer: 'okta',
  name: 'Okta',
  hosts: HOSTS,
  defaultBaseUrl: '',
  baseFor: tenantBaseFor(HOSTS, 'org'),
  unsupported: (_cred, { base }) =>
    base ? undefined : 'no Okta org domain found next to the token: set [issuers.okta] baseUrl',
  plan: (_cred, base) => [`DELETE ${base}/api/v1/api-tokens/current (Authorization: SSWS the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/api/v1/api-tokens/current`;
    const res = await http.request({
      method: 'DELETE',
      url,
      headers: { authorization: `SSWS ${cred.secret}`, accept: 'application/json' },
      mutating: true,
    });
    return byStatus(res, `DELETE ${url}`, { name: 'Okta', ok: [204, 200], gone: [401] });
  },
};
