// Twilio (ISSUERS.md §11): an API key (SK… + its secret) deletes itself with
// DELETE /2010-04-01/Accounts/{AC}/Keys/{SK}.json (Main keys only). The account is the AC companion, or the one
// listed account under which GET Keys/{SK}.json answers 200 (exact, not "the first account"). Auth Tokens have no
// revocation API: they are rotated in the Console (runbook).
import type { Credential } from '../../issuers/types.js';
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, basic, byStatus, companion, failed, reason } from './util.js';

const SK = /^SK[0-9a-fA-F]{32}$/;
const AC = /^AC[0-9a-fA-F]{32}$/;
const KEY_SECRET = /^(?!SK|AC)[A-Za-z0-9]{32}$/;

export function twilioKey(cred: Credential): { sid: string; secret: string; account?: string } | undefined {
  const account = companion(cred, AC);
  if (SK.test(cred.secret)) {
    const secret = companion(cred, KEY_SECRET, /secret/i);
    return secret ? { sid: cred.secret, secret, account } : undefined;
  }
  const sid = companion(cred, SK);
  return sid && KEY_SECRET.test(cred.secret) ? { sid, secret: cred.secret, account } : undefined;
}

export const twilio: RevokeProvider = {
  issuer: 'twilio',
  name: 'Twilio',
  hosts: ['api.twilio.com'],
  defaultBaseUrl: 'https://api.twilio.com',
  unsupported: (cred) =>
    twilioKey(cred)
      ? undefined
      : 'Auth Tokens (and API keys without their SK id and secret) are rotated in the Console',
  plan(cred, base) {
    const k = twilioKey(cred);
    const ac = k?.account ?? '{AC from GET /2010-04-01/Accounts.json, where Keys/{SK}.json answers 200}';
    return [`DELETE ${base}/2010-04-01/Accounts/${ac}/Keys/${k?.sid ?? '{SK}'}.json (Basic SK:secret)`];
  },
  async revoke(cred, { http, base }) {
    const k = twilioKey(cred)!;
    const auth = basic(k.sid, k.secret);
    const steps: string[] = [];
    let account = k.account;
    if (!account) {
      const listUrl = `${base}/2010-04-01/Accounts.json`;
      steps.push(`GET ${listUrl}`);
      const list = await http.request({ url: listUrl, headers: auth });
      if (list.status === 401)
        return alreadyRevoked('Twilio no longer accepts this key (HTTP 401)', 401, steps.join('; '));
      const accounts = (list.json as { accounts?: { sid?: string }[] } | undefined)?.accounts;
      if (list.status !== 200 || !Array.isArray(accounts)) {
        return failed(
          `Twilio answered HTTP ${list.status} to the account list: ${reason(list)}`,
          list.status,
          steps.join('; '),
        );
      }
      for (const a of accounts) {
        if (!a?.sid || !AC.test(a.sid)) continue;
        const probe = `${base}/2010-04-01/Accounts/${a.sid}/Keys/${k.sid}.json`;
        steps.push(`GET ${probe}`);
        const res = await http.request({ url: probe, headers: auth });
        if (res.status === 200) {
          account = a.sid;
          break;
        }
      }
      if (!account) return failed('no account lists this key id; nothing deleted', undefined, steps.join('; '));
    }
    const url = `${base}/2010-04-01/Accounts/${account}/Keys/${k.sid}.json`;
    steps.push(`DELETE ${url}`);
    const res = await http.request({ method: 'DELETE', url, headers: auth, mutating: true });
    return byStatus(res, steps.join('; '), { name: 'Twilio', ok: [204, 200], gone: [401, 404] });
  },
};
