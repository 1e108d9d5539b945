// Mailgun (ISSUERS.md §16): DELETE /v1/keys/{id} with an admin-role key. The id comes from GET /v1/keys, taking
// only the entry whose secret is exactly this key (never "the first key"); US region first, then EU.
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, basic, byStatus, failed, reason } from './util.js';

interface KeyEntry {
  id?: string;
  secret?: string;
}

const US = 'https://api.mailgun.net';
const EU = 'https://api.eu.mailgun.net';

export const mailgun: RevokeProvider = {
  issuer: 'mailgun',
  name: 'Mailgun',
  hosts: ['api.mailgun.net', 'api.eu.mailgun.net'],
  defaultBaseUrl: US,
  plan: (_cred, base) => [
    `GET ${base}/v1/keys (find the entry whose secret is exactly this key)`,
    `DELETE ${base}/v1/keys/{id}`,
  ],
  async revoke(cred, { http, base, overridden }) {
    const auth = basic('api', cred.secret);
    const steps: string[] = [];
    // Without an override the key may live in either region; the EU host is tried only if the US one rejects it.
    for (const origin of overridden ? [base] : [US, EU]) {
      const listUrl = `${origin}/v1/keys`;
      steps.push(`GET ${listUrl}`);
      const list = await http.request({ url: listUrl, headers: auth });
      if (list.status === 401) continue;
      const items = (list.json as { items?: KeyEntry[] } | undefined)?.items;
      if (list.status !== 200 || !Array.isArray(items)) {
        return failed(
          `Mailgun answered HTTP ${list.status} to the key list: ${reason(list)}`,
          list.status,
          steps.join('; '),
        );
      }
      const mine = items.filter((i) => i?.secret === cred.secret && typeof i.id === 'string');
      if (mine.length !== 1) {
        return failed(
          mine.length
            ? `${mine.length} keys match; refusing to guess`
            : `none of the ${items.length} keys listed is exactly this key; nothing deleted`,
          list.status,
          steps.join('; '),
        );
      }
      const url = `${origin}/v1/keys/${encodeURIComponent(mine[0].id!)}`;
      steps.push(`DELETE ${url}`);
      const res = await http.request({ method: 'DELETE', url, headers: auth, mutating: true });
      return byStatus(res, steps.join('; '), { name: 'Mailgun', ok: [200, 204], gone: [401, 404] });
    }
    return alreadyRevoked('Mailgun no longer accepts this key (HTTP 401)', 401, steps.join('; '));
  },
};
