// npm (ISSUERS.md §18): the registry keys tokens by the hex SHA-512 of the token. List the account's tokens, find the
// entry whose key is exactly that hash (never "the first token"), delete it. Needs token-management rights.
import { createHash } from 'node:crypto';
import { forNpmjs } from '../../issuers/npm.js';
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, bearer, byStatus, failed, reason } from './util.js';

export const npmTokenKey = (token: string) => createHash('sha512').update(token).digest('hex');

interface TokenPage {
  objects?: { key?: string }[];
  urls?: { next?: string | null };
}

export const npm: RevokeProvider = {
  issuer: 'npm',
  name: 'npm',
  hosts: ['registry.npmjs.org'],
  defaultBaseUrl: 'https://registry.npmjs.org',
  plan: (_cred, base) => [
    `GET ${base}/-/npm/v1/tokens (find the entry whose key is the SHA-512 of this token)`,
    `DELETE ${base}/-/npm/v1/tokens/token/{key}`,
  ],
  async revoke(cred, { http, base }) {
    const target = forNpmjs(cred);
    if (!target.ok) return failed(`${target.note}; nothing done`, undefined, undefined);
    const key = npmTokenKey(cred.secret);
    const steps: string[] = [];
    let url: string | undefined = `${base}/-/npm/v1/tokens`;
    let seen = 0;
    let found = false;
    for (let page = 0; url && page < 20 && !found; page++) {
      steps.push(`GET ${url}`);
      const res = await http.request({ url, headers: bearer(cred.secret) });
      if (res.status === 401)
        return alreadyRevoked('npm no longer accepts this token (HTTP 401)', 401, steps.join('; '));
      const body = res.json as TokenPage | undefined;
      if (res.status !== 200 || !body || !Array.isArray(body.objects)) {
        return failed(
          `npm answered HTTP ${res.status} to the token list: ${reason(res)}`,
          res.status,
          steps.join('; '),
        );
      }
      seen += body.objects.length;
      found = body.objects.some((o) => o?.key === key);
      // Follow pagination on the same origin only.
      const next = body.urls?.next;
      url = next ? `${base}${new URL(next, base).pathname}${new URL(next, base).search}` : undefined;
    }
    if (!found) {
      return failed(
        `none of the ${seen} tokens listed is this token (no key matches its SHA-512); nothing deleted`,
        200,
        steps.join('; '),
      );
    }
    const delUrl = `${base}/-/npm/v1/tokens/token/${key}`;
    steps.push(`DELETE ${base}/-/npm/v1/tokens/token/${key.slice(0, 12)}…`);
    const res = await http.request({ method: 'DELETE', url: delUrl, headers: bearer(cred.secret), mutating: true });
    return byStatus(res, steps.join('; '), { name: 'npm', ok: [200, 204], gone: [401, 404] });
  },
};
