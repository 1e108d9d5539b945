// GitLab (ISSUERS.md §13): a personal, project or group access token revokes itself with
// DELETE /api/v4/personal_access_tokens/self. Self-managed instances come in through the base URL override.
import type { RevokeProvider } from '../types.js';
import { byStatus } from './util.js';

export const gitlab: RevokeProvider = {
  issuer: 'gitlab',
  name: 'GitLab',
  hosts: ['gitlab.com'],
  defaultBaseUrl: 'https://gitlab.com',
  unsupported(cred) {
    if (/^glpat-/.test(cred.secret)) return undefined;
    if (/^glrt-/.test(cred.secret))
      return 'runner authentication tokens are reset in the runner settings, not revoked by themselves';
    if (/^glcbt-/.test(cred.secret)) return 'CI job tokens die with their job';
    return 'only access tokens (glpat-) can revoke themselves';
  },
  plan: (_cred, base) => [`DELETE ${base}/api/v4/personal_access_tokens/self (PRIVATE-TOKEN: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/api/v4/personal_access_tokens/self`;
    const res = await http.request({
      method: 'DELETE',
      url,
      headers: { 'private-token': cred.secret },
      mutating: true,
    });
    return byStatus(res, `DELETE ${url}`, { name: 'GitLab', ok: [204, 200], gone: [401] });
  },
};
