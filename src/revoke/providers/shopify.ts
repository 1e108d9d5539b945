// Shopify (ISSUERS.md §22): DELETE https://<shop>/admin/api_permissions/current.json revokes the calling app token
// (unverified for every custom/private app kind). The shop domain comes from a companion or the override.
// App shared secrets (shpss_) are rotated in the Partner dashboard.
import type { RevokeProvider } from '../types.js';
import { byStatus, tenantBaseFor } from './util.js';

const HOSTS = ['*.myshopify.com'];

export const shopify: RevokeProvider = {
  issuer: 'shopify',
  name: 'Shopify',
  hosts: HOSTS,
  defaultBaseUrl: '',
  baseFor: tenantBaseFor(HOSTS, 'shop'),
  unsupported(cred, { base }) {
    if (/^shpss_/.test(cred.secret)) return 'app shared secrets are rotated in the Partner dashboard';
    if (!/^shp(at|ca|pa)_/.test(cred.secret)) return 'not a Shopify app access token';
    if (!base) return 'no *.myshopify.com shop domain found next to the token: set [issuers.shopify] baseUrl';
    return undefined;
  },
  plan: (_cred, base) => [
    `DELETE ${base}/admin/api_permissions/current.json (X-Shopify-Access-Token: the token itself)`,
  ],
  async revoke(cred, { http, base }) {
    const url = `${base}/admin/api_permissions/current.json`;
    const res = await http.request({
      method: 'DELETE',
      url,
      headers: { 'x-shopify-access-token': cred.secret },
      mutating: true,
    });
    return byStatus(res, `DELETE ${url}`, { name: 'Shopify', ok: [200, 204], gone: [401] });
  },
};
