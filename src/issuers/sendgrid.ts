// SendGrid API keys `SG.<22>.<43>` (ISSUERS.md §10). GET /v3/scopes lists the key's exact scopes; the profile is
// read only when the key holds user.profile.read (saves a request that would 403 anyway).
import { z } from 'zod';
import type { Permission } from '../types.js';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.sendgrid.com';
const ADMIN_AREAS = new Set(['api_keys', 'subusers', 'teammates', 'access_settings', 'sso', 'billing', 'credentials']);

export function sendgridScopeLevels(scopes: string[]): Permission[] {
  const perms: Permission[] = [];
  for (const s of scopes) {
    const cut = s.lastIndexOf('.');
    if (cut < 0) continue;
    const area = s.slice(0, s.indexOf('.'));
    const verb = s.slice(cut + 1);
    const resource = s.slice(0, cut);
    if (verb === 'read') perms.push({ resource, access: 'read' });
    else perms.push({ resource, access: ADMIN_AREAS.has(area) ? 'admin' : 'write' });
  }
  return perms;
}

export const sendgrid: IssuerModule = {
  id: 'sendgrid',
  name: 'SendGrid',
  hosts: ['api.sendgrid.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 10 },
  decode(cred) {
    const parts = cred.secret.split('.');
    return {
      tokenType: 'api-key',
      identity: parts.length === 3 ? { type: `key id ${parts[1]}` } : undefined,
    };
  },
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v3/scopes`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v3/scopes`, headers: bearer(cred.secret) });
    const bad = standard(res, 'SendGrid', [401, 403]);
    if (bad) return bad;
    const body = parse(res, z.object({ scopes: z.array(z.string()) }), 'SendGrid');
    if (!body.ok) return body.access;
    const scopes = body.data.scopes;
    const full = scopes.includes('api_keys.create') && scopes.includes('mail.send');
    const out = merge({
      status: 'live',
      scopes,
      tokenType: full ? 'full-access' : scopes.length ? 'restricted' : 'api-key',
      permissions: sendgridScopeLevels(scopes),
      expiresAt: null,
    });
    if (scopes.includes('user.profile.read')) {
      const p = await http.request({ url: `${base}/v3/user/profile`, headers: bearer(cred.secret) });
      const profile = parseOptional(
        p,
        z
          .object({ username: z.string().optional(), email: z.string().optional(), company: z.string().optional() })
          .passthrough(),
      );
      if (profile)
        return merge(out, { identity: { user: profile.username, email: profile.email, org: profile.company } });
      return merge(out, { notes: [`profile not readable (HTTP ${p.status})`] });
    }
    return out;
  },
  scopeLevels: sendgridScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://app.sendgrid.com/settings/api_keys',
    steps: [
      'Open Settings → API Keys',
      'Find the key by its id (the middle segment)',
      'Delete it and deploy a replacement',
    ],
  }),
};
