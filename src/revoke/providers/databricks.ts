// Databricks (ISSUERS.md §44, unverified): GET /api/2.0/token/list lists the caller's own tokens, then
// POST /api/2.0/token/delete {"token_id"}. The entry is taken only when it is known exactly: its token_id equals the
// SHA-256 of the token, or the caller has a single token (the one that just authenticated).
import { createHash } from 'node:crypto';
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus, failed, reason, tenantBaseFor } from './util.js';

const HOSTS = ['*.cloud.databricks.com', '*.azuredatabricks.net', '*.gcp.databricks.com'];

export const databricks: RevokeProvider = {
  issuer: 'databricks',
  name: 'Databricks',
  hosts: HOSTS,
  defaultBaseUrl: '',
  baseFor: tenantBaseFor(HOSTS, 'databricks'),
  unsupported: (_cred, { base }) =>
    base ? undefined : 'no Databricks workspace URL found next to the token: set [issuers.databricks] baseUrl',
  plan: (_cred, base) => [
    `GET ${base}/api/2.0/token/list (the caller's own tokens; exact entry only)`,
    `POST ${base}/api/2.0/token/delete {"token_id":…}`,
  ],
  async revoke(cred, { http, base }) {
    const auth = bearer(cred.secret);
    const steps = [`GET ${base}/api/2.0/token/list`];
    const list = await http.request({ url: `${base}/api/2.0/token/list`, headers: auth });
    const invalid = list.status === 401 || (list.status === 403 && /invalid access token/i.test(list.text));
    if (invalid)
      return alreadyRevoked(`Databricks no longer accepts this token (HTTP ${list.status})`, list.status, steps[0]);
    const infos = (list.json as { token_infos?: { token_id?: string }[] } | undefined)?.token_infos;
    if (list.status !== 200 || (infos !== undefined && !Array.isArray(infos))) {
      return failed(
        `Databricks answered HTTP ${list.status} to the token list: ${reason(list)}`,
        list.status,
        steps[0],
      );
    }
    const entries = (infos ?? []).filter((t) => typeof t?.token_id === 'string');
    const digest = createHash('sha256').update(cred.secret).digest('hex');
    const exact = entries.filter((t) => t.token_id === digest);
    const pick = exact.length === 1 ? exact[0] : entries.length === 1 ? entries[0] : undefined;
    if (!pick) {
      return failed(
        `the caller holds ${entries.length} tokens and none is identifiable as this one; nothing deleted`,
        list.status,
        steps[0],
      );
    }
    const url = `${base}/api/2.0/token/delete`;
    steps.push(`POST ${url} {"token_id":"${pick.token_id!.slice(0, 8)}…"}`);
    const res = await http.request({
      method: 'POST',
      url,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ token_id: pick.token_id }),
      mutating: true,
    });
    return byStatus(res, steps.join('; '), { name: 'Databricks', ok: [200], gone: [401, 404] });
  },
};
