// Google API keys and OAuth tokens (ISSUERS.md §2). API keys: no universal check; the Gemini models list tells a
// valid key (200, or 403 SERVICE_DISABLED / API_KEY_SERVICE_BLOCKED = valid but that API is off or restricted) from a
// bad one (400 API_KEY_INVALID). OAuth access tokens: tokeninfo gives scope, expiry, email, audience.
// Refresh tokens and client secrets need the OAuth client's other half and a token exchange: not checked.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { invalid, isoFromEpoch, merge, parse, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const GEMINI = 'https://generativelanguage.googleapis.com';
const OAUTH = 'https://oauth2.googleapis.com';

function googleType(secret: string): string {
  if (secret.startsWith('AIza')) return 'api-key';
  if (secret.startsWith('ya29.')) return 'oauth-access-token';
  if (secret.startsWith('1//')) return 'oauth-refresh-token';
  if (secret.startsWith('GOCSPX-')) return 'oauth-client-secret';
  return 'unknown';
}

/** OAuth scope URLs → read/write/admin on the API. */
export function googleScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    const name = s.replace(/^https:\/\/www\.googleapis\.com\/auth\//, '');
    if (['openid', 'email', 'profile'].includes(name) || /userinfo/.test(name)) {
      out.push({ resource: 'identity', access: 'read' });
      continue;
    }
    if (name === 'cloud-platform') {
      out.push({ resource: 'gcp', access: 'admin' });
      continue;
    }
    if (s.startsWith('https://mail.google.com')) {
      out.push({ resource: 'gmail', access: 'admin' });
      continue;
    }
    const [api, ...rest] = name.split('.');
    const qual = rest.join('.');
    out.push({ resource: api, access: /readonly|\.read$|metadata/.test(qual) ? 'read' : 'write' });
  }
  return out;
}

const errorSchema = z
  .object({
    error: z
      .object({
        code: z.number().optional(),
        status: z.string().optional(),
        message: z.string().optional(),
        details: z.array(z.object({ reason: z.string().optional() }).passthrough()).optional(),
      })
      .passthrough(),
  })
  .passthrough();

const VALID_BUT_BLOCKED =
  /SERVICE_DISABLED|API_KEY_SERVICE_BLOCKED|API_KEY_HTTP_REFERRER_BLOCKED|API_KEY_IP_ADDRESS_BLOCKED|API_KEY_ANDROID_APP_BLOCKED|API_KEY_IOS_APP_BLOCKED|BILLING_DISABLED/;

async function apiKey(
  secret: string,
  http: Parameters<NonNullable<IssuerModule['lookup']>>[1],
): Promise<Partial<Access>> {
  const res = await http.request({
    url: `${http.baseUrl(GEMINI)}/v1beta/models?key=${encodeURIComponent(secret)}&pageSize=1`,
  });
  const bad = unusable(res, 'Google');
  if (bad) return bad;
  if (res.status === 200) {
    return {
      status: 'live',
      permissions: [{ resource: 'generativelanguage', access: 'write' }],
      reach: [{ kind: 'apis', count: 1, sample: ['generativelanguage.googleapis.com'] }],
      notes: ['the Gemini API answers this key: usage is billed to its project'],
      expiresAt: null,
    };
  }
  const e = errorSchema.safeParse(res.json);
  const reasons = e.success ? (e.data.error.details ?? []).map((d) => d.reason ?? '').join(' ') : '';
  const message = e.success ? (e.data.error.message ?? '') : '';
  if (/API_KEY_INVALID|API key not valid/i.test(`${reasons} ${message}`)) return invalid('Google: API key not valid');
  if (VALID_BUT_BLOCKED.test(reasons) || /has not been used|is disabled|are blocked/i.test(message)) {
    return {
      status: 'live',
      expiresAt: null,
      notes: [`valid key; the Gemini API refused it (${reasons || message}): restrictions are invisible to the holder`],
    };
  }
  return unknown(`Google answered HTTP ${res.status}${reasons ? ` (${reasons})` : ''}`);
}

async function accessToken(
  secret: string,
  http: Parameters<NonNullable<IssuerModule['lookup']>>[1],
): Promise<Partial<Access>> {
  const res = await http.request({
    url: `${http.baseUrl(OAUTH)}/tokeninfo?access_token=${encodeURIComponent(secret)}`,
  });
  const bad = unusable(res, 'Google');
  if (bad) return bad;
  if (res.status === 400 || res.status === 401) return invalid('Google tokeninfo: invalid or expired token');
  if (res.status !== 200) return unknown(`Google tokeninfo answered HTTP ${res.status}`);
  const body = parse(
    res,
    z
      .object({
        scope: z.string().optional(),
        exp: z.union([z.string(), z.number()]).optional(),
        expires_in: z.union([z.string(), z.number()]).optional(),
        email: z.string().optional(),
        aud: z.string().optional(),
        azp: z.string().optional(),
      })
      .passthrough(),
    'Google tokeninfo',
  );
  if (!body.ok) return body.access;
  const b = body.data;
  const scopes = b.scope ? b.scope.split(/\s+/).filter(Boolean) : undefined;
  return merge({
    status: 'live',
    scopes,
    identity: { email: b.email, user: b.email, account: b.azp ?? b.aud },
    expiresAt: b.exp !== undefined ? isoFromEpoch(Number(b.exp)) : undefined,
    notes: b.aud ? [`OAuth client ${b.aud}`] : [],
  });
}

export const google: IssuerModule = {
  id: 'google',
  name: 'Google (API keys, OAuth)',
  hosts: ['generativelanguage.googleapis.com', 'oauth2.googleapis.com', 'www.googleapis.com'],
  defaultBaseUrl: GEMINI,
  rate: { concurrency: 4, perSecond: 10 },
  decode(cred) {
    const tokenType = googleType(cred.secret);
    const out: Partial<Access> = { tokenType: tokenType === 'unknown' ? cred.tokenType : tokenType };
    if (tokenType === 'oauth-access-token') out.notes = ['OAuth access tokens live about one hour'];
    return out;
  },
  planLookup(cred, http) {
    const t = googleType(cred.secret);
    if (t === 'api-key') return [`GET ${http.baseUrl(GEMINI)}/v1beta/models?key=${cred.secret}`];
    if (t === 'oauth-access-token') return [`GET ${http.baseUrl(OAUTH)}/tokeninfo?access_token=${cred.secret}`];
    return [];
  },
  async lookup(cred, http) {
    const t = googleType(cred.secret);
    if (t === 'api-key') return apiKey(cred.secret, http);
    if (t === 'oauth-access-token') return accessToken(cred.secret, http);
    return {
      status: 'skipped',
      notes: [`a Google ${cred.tokenType ?? t} needs the OAuth client's other half and a token exchange: not checked`],
    };
  },
  scopeLevels: googleScopeLevels,
  capabilities: { scope: true },
};
