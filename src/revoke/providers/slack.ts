// Slack (ISSUERS.md §6): auth.revoke revokes the calling token. Slack answers HTTP 200 with ok:false on errors.
// Incoming webhooks have no revocation API (they get the runbook).
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, failed, reason, revoked } from './util.js';

const GONE = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired']);

export const slack: RevokeProvider = {
  issuer: 'slack',
  name: 'Slack',
  hosts: ['slack.com'],
  defaultBaseUrl: 'https://slack.com',
  unsupported(cred) {
    if (/^xox[abposer]-|^xoxe\.xox[bp]-/.test(cred.secret)) return undefined;
    if (/hooks\.slack\.com/.test(cred.secret)) return 'incoming webhooks cannot be revoked through the API';
    if (/^xapp-/.test(cred.secret)) return 'app-level tokens are revoked in the app settings';
    return 'not a Slack token that auth.revoke accepts';
  },
  plan: (_cred, base) => [`POST ${base}/api/auth.revoke (Bearer: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/api/auth.revoke`;
    const request = `POST ${url}`;
    const res = await http.request({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${cred.secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      mutating: true,
    });
    const body = res.json as { ok?: boolean; revoked?: boolean; error?: string } | undefined;
    if (res.status !== 200 || !body || typeof body.ok !== 'boolean') {
      return failed(`Slack answered HTTP ${res.status}: ${reason(res)}`, res.status, request);
    }
    if (body.ok && body.revoked !== false)
      return revoked('Slack revoked the token (ok:true, revoked:true)', res.status, request);
    if (!body.ok && body.error && GONE.has(body.error)) {
      return alreadyRevoked(`Slack no longer accepts this token (${body.error})`, res.status, request);
    }
    return failed(`Slack refused: ${body.error ?? 'ok:true but revoked:false'}`, res.status, request);
  },
};
