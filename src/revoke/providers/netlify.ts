// Netlify (ISSUERS.md §40, unverified endpoint): list the access tokens, take the entry whose access_token is exactly
// this token (never "$[0]"), delete it by id.
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus, failed, reason } from './util.js';

interface Entry {
  id?: string;
  access_token?: string;
}

export const netlify: RevokeProvider = {
  issuer: 'netlify',
  name: 'Netlify',
  hosts: ['api.netlify.com'],
  defaultBaseUrl: 'https://api.netlify.com',
  plan: (_cred, base) => [
    `GET ${base}/api/v1/access_tokens (find the entry holding exactly this token)`,
    `DELETE ${base}/api/v1/access_tokens/{id}`,
  ],
  async revoke(cred, { http, base }) {
    const listUrl = `${base}/api/v1/access_tokens`;
    const steps = [`GET ${listUrl}`];
    const list = await http.request({ url: listUrl, headers: bearer(cred.secret) });
    if (list.status === 401) return alreadyRevoked('Netlify no longer accepts this token (HTTP 401)', 401, steps[0]);
    if (list.status !== 200 || !Array.isArray(list.json)) {
      return failed(`Netlify answered HTTP ${list.status} to the token list: ${reason(list)}`, list.status, steps[0]);
    }
    const mine = (list.json as Entry[]).filter((e) => e?.access_token === cred.secret && typeof e.id === 'string');
    if (mine.length !== 1) {
      return failed(
        mine.length
          ? `${mine.length} entries hold this token; refusing to guess`
          : `none of the ${list.json.length} tokens listed is this token; nothing deleted`,
        list.status,
        steps[0],
      );
    }
    const delUrl = `${base}/api/v1/access_tokens/${encodeURIComponent(mine[0].id!)}`;
    steps.push(`DELETE ${delUrl}`);
    const res = await http.request({ method: 'DELETE', url: delUrl, headers: bearer(cred.secret), mutating: true });
    return byStatus(res, steps.join('; '), { name: 'Netlify', ok: [204, 200], gone: [401, 404] });
  },
};
