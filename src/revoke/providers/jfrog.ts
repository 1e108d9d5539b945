// JFrog Platform (ISSUERS.md §47): DELETE /access/api/v1/tokens/me (7.53.1+) revokes the calling token. The host is
// the override or a *.jfrog.io URL next to the token (self-hosted Artifactory: override only).
import type { RevokeProvider } from '../types.js';
import { bearer, byStatus, tenantBaseFor } from './util.js';

const HOSTS = ['*.jfrog.io'];

export const jfrog: RevokeProvider = {
  issuer: 'jfrog',
  name: 'JFrog',
  hosts: HOSTS,
  defaultBaseUrl: '',
  baseFor: tenantBaseFor(HOSTS, 'jfrog'),
  unsupported: (_cred, { base }) =>
    base ? undefined : 'no JFrog platform URL found next to the token: set [issuers.jfrog] baseUrl',
  plan: (_cred, base) => [`DELETE ${base}/access/api/v1/tokens/me (Bearer: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/access/api/v1/tokens/me`;
    const res = await http.request({ method: 'DELETE', url, headers: bearer(cred.secret), mutating: true });
    return byStatus(res, `DELETE ${url}`, { name: 'JFrog', ok: [200, 204], gone: [401] });
  },
};
