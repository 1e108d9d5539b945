// Heroku (ISSUERS.md §20): two steps with the token itself. List the account's OAuth authorizations, take the one
// whose access token IS this token (exact match, never "the first one"), delete that authorization.
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus, failed, reason } from './util.js';

const ACCEPT = { accept: 'application/vnd.heroku+json; version=3' };

interface Authorization {
  id?: string;
  access_token?: { token?: string } | null;
}

export const heroku: RevokeProvider = {
  issuer: 'heroku',
  name: 'Heroku',
  hosts: ['api.heroku.com'],
  defaultBaseUrl: 'https://api.heroku.com',
  plan: (_cred, base) => [
    `GET ${base}/oauth/authorizations (find the authorization holding exactly this token)`,
    `DELETE ${base}/oauth/authorizations/{id}`,
  ],
  async revoke(cred, { http, base }) {
    const listUrl = `${base}/oauth/authorizations`;
    const steps = [`GET ${listUrl}`];
    const list = await http.request({ url: listUrl, headers: { ...ACCEPT, ...bearer(cred.secret) } });
    if (list.status === 401) return alreadyRevoked('Heroku no longer accepts this token (HTTP 401)', 401, steps[0]);
    if (list.status !== 200 || !Array.isArray(list.json)) {
      return failed(
        `Heroku answered HTTP ${list.status} to the authorization list: ${reason(list)}`,
        list.status,
        steps[0],
      );
    }
    const mine = (list.json as Authorization[]).filter(
      (a) => a?.access_token?.token === cred.secret && typeof a.id === 'string',
    );
    if (mine.length !== 1) {
      return failed(
        mine.length
          ? `${mine.length} authorizations hold this token; refusing to guess`
          : `none of the ${list.json.length} authorizations holds exactly this token (an account API key?); nothing deleted, see the runbook`,
        list.status,
        steps[0],
      );
    }
    const delUrl = `${base}/oauth/authorizations/${encodeURIComponent(mine[0].id!)}`;
    steps.push(`DELETE ${delUrl}`);
    const res = await http.request({
      method: 'DELETE',
      url: delUrl,
      headers: { ...ACCEPT, ...bearer(cred.secret) },
      mutating: true,
    });
    return byStatus(res, steps.join('; '), { name: 'Heroku', ok: [200, 204], gone: [401, 404] });
  },
};
