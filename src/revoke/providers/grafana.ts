// Grafana (ISSUERS.md §38): a service-account token (glsa_) is deleted with
// DELETE /api/serviceaccounts/{sa}/tokens/{id} (needs serviceaccounts:write). The token authenticates as its service
// account (GET /api/user); its token list carries no secrets, so the token id is known exactly only when that
// account has a single token. Otherwise nothing is deleted and the runbook says which account to clean up.
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus, failed, reason, tenantBaseFor } from './util.js';

const HOSTS = ['*.grafana.net'];

export const grafana: RevokeProvider = {
  issuer: 'grafana',
  name: 'Grafana',
  hosts: HOSTS,
  defaultBaseUrl: '',
  baseFor: tenantBaseFor(HOSTS, 'grafana'),
  unsupported(cred, { base }) {
    if (/^glc_/.test(cred.secret)) return 'Grafana Cloud access-policy tokens are deleted in the Cloud portal';
    if (!/^glsa_/.test(cred.secret))
      return 'only service-account tokens (glsa_) can be deleted through the instance API';
    if (!base) return 'no Grafana instance URL found next to the token: set [issuers.grafana] baseUrl';
    return undefined;
  },
  plan: (_cred, base) => [
    `GET ${base}/api/user (the token's service account)`,
    `GET ${base}/api/serviceaccounts/{sa}/tokens (must hold exactly one token)`,
    `DELETE ${base}/api/serviceaccounts/{sa}/tokens/{id}`,
  ],
  async revoke(cred, { http, base }) {
    const auth = bearer(cred.secret);
    const steps = [`GET ${base}/api/user`];
    const who = await http.request({ url: `${base}/api/user`, headers: auth });
    if (who.status === 401) return alreadyRevoked('Grafana no longer accepts this token (HTTP 401)', 401, steps[0]);
    const sa = (who.json as { id?: number } | undefined)?.id;
    if (who.status !== 200 || typeof sa !== 'number') {
      return failed(`Grafana answered HTTP ${who.status} to /api/user: ${reason(who)}`, who.status, steps[0]);
    }
    const listUrl = `${base}/api/serviceaccounts/${sa}/tokens`;
    steps.push(`GET ${listUrl}`);
    const list = await http.request({ url: listUrl, headers: auth });
    if (list.status !== 200 || !Array.isArray(list.json)) {
      return failed(
        `Grafana answered HTTP ${list.status} to the token list: ${reason(list)}`,
        list.status,
        steps.join('; '),
      );
    }
    const tokens = (list.json as { id?: number }[]).filter((t) => typeof t?.id === 'number');
    if (tokens.length !== 1) {
      return failed(
        `service account ${sa} holds ${tokens.length} tokens and the list does not say which one this is; nothing deleted`,
        list.status,
        steps.join('; '),
      );
    }
    const url = `${base}/api/serviceaccounts/${sa}/tokens/${tokens[0].id}`;
    steps.push(`DELETE ${url}`);
    const res = await http.request({ method: 'DELETE', url, headers: auth, mutating: true });
    return byStatus(res, steps.join('; '), { name: 'Grafana', ok: [200, 204], gone: [401, 404] });
  },
};
