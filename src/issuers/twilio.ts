// Twilio (ISSUERS.md §11). The secret needs its SID: an Auth Token with the Account SID (AC…), an API key secret with
// its key SID (SK…). GET /2010-04-01/Accounts.json with Basic SID:secret: 200 = Main key or Auth Token (admin);
// 401 code 20003 = invalid; 401/403 code 70051 = a Standard key (valid, not admin).
import { z } from 'zod';
import type { Access } from '../types.js';
import { basic, companion, invalid, parse, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.twilio.com';

export const twilio: IssuerModule = {
  id: 'twilio',
  name: 'Twilio',
  hosts: ['api.twilio.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 10 },
  capabilities: { scope: true },
  decode(cred) {
    const sid = companion(cred.companions, /^AC[0-9a-f]{32}$/, 'account');
    return {
      tokenType: cred.tokenType ?? (companion(cred.companions, /^SK[0-9a-f]{32}$/) ? 'api-key-secret' : 'auth-token'),
      identity: sid ? { account: sid } : undefined,
      expiresAt: null,
    };
  },
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/2010-04-01/Accounts.json`],
  async lookup(cred, http) {
    const accountSid = companion(cred.companions, /^AC[0-9a-f]{32}$/, 'account');
    const keySid = companion(cred.companions, /^SK[0-9a-f]{32}$/, 'key');
    const user = keySid ?? accountSid;
    if (!user)
      return { status: 'skipped', notes: ['no Twilio Account SID or API key SID found near the secret: not checked'] };
    const res = await http.request({
      url: `${http.baseUrl(BASE)}/2010-04-01/Accounts.json?PageSize=20`,
      headers: basic(user, cred.secret),
    });
    const bad = unusable(res, 'Twilio');
    if (bad) return bad;
    const code = (res.json as { code?: number } | undefined)?.code;
    if ((res.status === 401 || res.status === 403) && code === 70051) {
      return {
        status: 'live',
        tokenType: 'standard-api-key',
        identity: { account: accountSid, user: keySid },
        permissions: [
          { resource: 'messaging', access: 'write' },
          { resource: 'voice', access: 'write' },
        ],
        notes: ['Standard API key: all resources except accounts and keys'],
      };
    }
    if (res.status === 401) return invalid(`Twilio rejected the credentials${code ? ` (code ${code})` : ''}`);
    if (res.status !== 200) return unknown(`Twilio answered HTTP ${res.status}`);
    const body = parse(
      res,
      z
        .object({
          accounts: z.array(
            z
              .object({
                sid: z.string(),
                friendly_name: z.string().optional(),
                status: z.string().optional(),
                type: z.string().optional(),
              })
              .passthrough(),
          ),
        })
        .passthrough(),
      'Twilio',
    );
    if (!body.ok) return body.access;
    const accounts = body.data.accounts;
    const main = accounts.find((a) => a.sid === accountSid) ?? accounts[0];
    const out: Partial<Access> = {
      status: main?.status === 'suspended' || main?.status === 'closed' ? 'inactive' : 'live',
      tokenType: keySid ? 'main-api-key' : 'auth-token',
      identity: { account: main?.sid ?? accountSid, org: main?.friendly_name, user: keySid },
      permissions: [{ resource: 'account', access: 'admin' }],
      reach: [
        { kind: 'accounts', count: accounts.length, sample: accounts.slice(0, 5).map((a) => a.friendly_name ?? a.sid) },
      ],
      environment: main?.type === 'Trial' ? 'test' : 'production',
    };
    if (out.status === 'inactive') out.notes = [`account ${main?.status}`];
    return out;
  },
};
