// SendGrid (ISSUERS.md §10): a key `SG.<id>.<secret>` carries its own api_key_id, so DELETE /v3/api_keys/<that id>
// deletes exactly this key (Kingfisher deletes result[0] of the list, which may be someone else's key).
// Needs the api_keys.delete scope.
import type { Credential } from '../../issuers/types.js';
import type { RevokeProvider } from '../types.js';
import { bearer, byStatus } from './util.js';

export function sendgridKeyId(cred: Credential): string | undefined {
  const m = /^SG\.([\w-]{16,32})\.[\w-]{16,64}$/.exec(cred.secret);
  return m?.[1];
}

export const sendgrid: RevokeProvider = {
  issuer: 'sendgrid',
  name: 'SendGrid',
  hosts: ['api.sendgrid.com'],
  defaultBaseUrl: 'https://api.sendgrid.com',
  unsupported: (cred) => (sendgridKeyId(cred) ? undefined : 'not an SG.<id>.<secret> API key'),
  plan: (cred, base) => [`DELETE ${base}/v3/api_keys/${sendgridKeyId(cred) ?? '{id}'} (this key's own id)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/v3/api_keys/${sendgridKeyId(cred)}`;
    const res = await http.request({ method: 'DELETE', url, headers: bearer(cred.secret), mutating: true });
    return byStatus(res, `DELETE ${url}`, { name: 'SendGrid', ok: [204, 200], gone: [401, 404] });
  },
};
