// Buildkite (ISSUERS.md §46): DELETE /v2/access-token revokes the calling token (documented for found tokens).
import type { RevokeProvider } from '../types.js';
import { bearer, byStatus } from './util.js';

export const buildkite: RevokeProvider = {
  issuer: 'buildkite',
  name: 'Buildkite',
  hosts: ['api.buildkite.com'],
  defaultBaseUrl: 'https://api.buildkite.com',
  plan: (_cred, base) => [`DELETE ${base}/v2/access-token (Bearer: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/v2/access-token`;
    const res = await http.request({ method: 'DELETE', url, headers: bearer(cred.secret), mutating: true });
    return byStatus(res, `DELETE ${url}`, { name: 'Buildkite', ok: [204, 200], gone: [401] });
  },
};
