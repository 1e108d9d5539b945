// Square access tokens `EAAA…` (and legacy `sq0atp-`) (ISSUERS.md §34). POST /oauth2/token/status is Square's
// read-only token introspection: scopes, expiry, merchant and client ids. A 401 at production is retried at the
// sandbox (sandbox tokens look the same). `sq0csp-` application secrets cannot be checked without their app id.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, dedupePermissions, isoFromDate, merge, parse, parseOptional, unusable } from './probe.js';
import type { IssuerHttp, IssuerModule } from './types.js';

const PROD = 'https://connect.squareup.com';
const SANDBOX = 'https://connect.squareupsandbox.com';
const VERSION = '2024-06-04';

const status = z.object({
  scopes: z.array(z.string()).optional(),
  expires_at: z.string().optional(),
  client_id: z.string().optional(),
  merchant_id: z.string(),
});
const merchant = z.object({
  merchant: z.object({
    id: z.string(),
    business_name: z.string().optional(),
    country: z.string().optional(),
    status: z.string().optional(),
  }),
});

const ADMIN = new Set([
  'MERCHANT_PROFILE_WRITE',
  'EMPLOYEES_WRITE',
  'BANK_ACCOUNTS_READ',
  'PAYOUTS_READ',
  'SETTLEMENTS_READ',
]);

/** `PAYMENTS_READ` → read payments; `*_WRITE*` → write; profile/staff writes and banking reads → admin. */
export function squareScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    const m = /^([A-Z_]+?)_(READ|WRITE)(?:_[A-Z_]+)?$/.exec(s);
    if (!m) continue;
    const resource = m[1].toLowerCase().replace(/_/g, '-');
    out.push({ resource, access: ADMIN.has(s) ? 'admin' : m[2] === 'READ' ? 'read' : 'write' });
  }
  return dedupePermissions(out);
}

function introspect(base: string, secret: string, http: IssuerHttp) {
  return http.request({
    method: 'POST',
    url: `${base}/oauth2/token/status`,
    headers: { ...bearer(secret), 'content-type': 'application/json', 'square-version': VERSION },
    body: '{}',
    readOnlyPost: true,
  });
}

export const square: IssuerModule = {
  id: 'square',
  name: 'Square',
  hosts: ['connect.squareup.com', 'connect.squareupsandbox.com'],
  defaultBaseUrl: PROD,
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    if (cred.secret.startsWith('sq0csp-'))
      return {
        tokenType: 'application-secret',
        notes: ['OAuth application secret: needs the application id to check'],
      };
    if (cred.secret.startsWith('sq0atp-')) return { tokenType: 'legacy-access-token' };
    return { tokenType: 'access-token' };
  },
  planLookup: (_cred, http) => [
    `POST ${http.baseUrl(PROD)}/oauth2/token/status`,
    `GET ${http.baseUrl(PROD)}/v2/merchants/me`,
  ],
  async lookup(cred, http) {
    if (cred.secret.startsWith('sq0csp-'))
      return { status: 'unknown', notes: ['application secrets are not verified (the app id is needed)'] };
    let base = http.baseUrl(PROD);
    let environment: Access['environment'] = 'production';
    let res = await introspect(base, cred.secret, http);
    if (res.status === 401 && !http.override) {
      base = SANDBOX;
      environment = 'test';
      res = await introspect(base, cred.secret, http);
    }
    const bad = unusable(res, 'Square');
    if (bad) return bad;
    if (res.status === 401) return { status: 'invalid', notes: ['Square rejected the token (HTTP 401)'] };
    if (res.status < 200 || res.status >= 300)
      return { status: 'unknown', notes: [`Square answered HTTP ${res.status}`] };
    const st = parse(res, status, 'Square');
    if (!st.ok) return st.access;
    const scopes = st.data.scopes ?? [];
    const expiresAt = st.data.expires_at ? (isoFromDate(st.data.expires_at) ?? null) : null;
    const out = merge({
      status: 'live',
      environment,
      identity: { account: st.data.merchant_id, project: st.data.client_id },
      scopes,
      permissions: squareScopeLevels(scopes),
      expiresAt,
      notes: expiresAt ? undefined : ['no expiry: a personal access token (OAuth tokens expire after 30 days)'],
    });
    const m = await http.request({
      url: `${base}/v2/merchants/me`,
      headers: { ...bearer(cred.secret), 'square-version': VERSION },
    });
    const mer = parseOptional(m, merchant);
    if (!mer) return merge(out, { notes: [`merchant profile not readable (HTTP ${m.status})`] });
    return merge(out, {
      identity: { org: mer.merchant.business_name },
      notes:
        mer.merchant.status && mer.merchant.status !== 'ACTIVE'
          ? [`merchant status ${mer.merchant.status}`]
          : undefined,
    });
  },
  scopeLevels: squareScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://developer.squareup.com/apps',
    steps: [
      'Developer Dashboard → the application → Credentials',
      'Replace the personal access token (or revoke the OAuth grant)',
    ],
  }),
};
