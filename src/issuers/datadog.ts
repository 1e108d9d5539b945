// Datadog keys (ISSUERS.md §23). API key: GET /api/v1/validate (DD-API-KEY) → {"valid":true} / 403. Application key:
// needs an API key companion; GET /api/v2/current_user with both. The site (datadoghq.eu, us3.datadoghq.com…) comes
// from a companion; the allowlist admits only Datadog's domains.
import { z } from 'zod';
import type { Access } from '../types.js';
import { companion, invalid, parse, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const DEFAULT_SITE = 'datadoghq.com';

function siteOf(companions: Record<string, string>): string {
  return (
    companion(
      companions,
      /^(?:(?:us3|us5|ap1|ap2)\.)?datadoghq\.(?:com|eu)$|^ddog-gov\.com$/i,
      'site',
    )?.toLowerCase() ?? DEFAULT_SITE
  );
}

function isAppKey(cred: { secret: string; tokenType?: string }): boolean {
  return cred.secret.startsWith('ddapp_') || cred.tokenType === 'application-key' || /^[a-z0-9]{40}$/.test(cred.secret);
}

export const datadog: IssuerModule = {
  id: 'datadog',
  name: 'Datadog',
  hosts: ['*.datadoghq.com', '*.datadoghq.eu', '*.ddog-gov.com'],
  defaultBaseUrl: `https://api.${DEFAULT_SITE}`,
  rate: { concurrency: 4, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({
    tokenType: isAppKey(cred) ? 'application-key' : 'api-key',
    identity: { account: siteOf(cred.companions) },
    environment: 'production',
    expiresAt: null,
  }),
  planLookup(cred, http) {
    const base = http.baseUrl(`https://api.${siteOf(cred.companions)}`);
    return [isAppKey(cred) ? `GET ${base}/api/v2/current_user` : `GET ${base}/api/v1/validate`];
  },
  async lookup(cred, http) {
    const site = siteOf(cred.companions);
    const base = http.baseUrl(`https://api.${site}`);
    if (!isAppKey(cred)) {
      const res = await http.request({ url: `${base}/api/v1/validate`, headers: { 'dd-api-key': cred.secret } });
      const bad = unusable(res, 'Datadog');
      if (bad) return bad;
      if (res.status === 403 || res.status === 401) return invalid(`Datadog rejected the API key (HTTP ${res.status})`);
      const body = parse(res, z.object({ valid: z.boolean() }).passthrough(), 'Datadog');
      if (!body.ok) return body.access;
      if (!body.data.valid) return invalid('Datadog: valid=false');
      return {
        status: 'live',
        identity: { account: site },
        permissions: [{ resource: 'telemetry', access: 'write' }],
        notes: ['an API key alone submits metrics, logs and events; it cannot read'],
      } satisfies Partial<Access>;
    }
    const apiKey = companion(cred.companions, /^[a-f0-9]{32}$/, 'api');
    if (!apiKey) return { status: 'skipped', notes: ['an application key needs its API key nearby to be checked'] };
    const res = await http.request({
      url: `${base}/api/v2/current_user`,
      headers: { 'dd-api-key': apiKey, 'dd-application-key': cred.secret },
    });
    const bad = unusable(res, 'Datadog');
    if (bad) return bad;
    if (res.status === 403 || res.status === 401)
      return invalid(`Datadog rejected the application key (HTTP ${res.status})`);
    if (res.status !== 200) return unknown(`Datadog answered HTTP ${res.status}`);
    const body = parse(
      res,
      z
        .object({
          data: z
            .object({
              id: z.string(),
              attributes: z
                .object({
                  email: z.string().optional(),
                  handle: z.string().optional(),
                  name: z.string().nullable().optional(),
                })
                .passthrough(),
            })
            .passthrough(),
        })
        .passthrough(),
      'Datadog',
    );
    if (!body.ok) return body.access;
    const a = body.data.data.attributes;
    return {
      status: 'live',
      identity: { account: site, user: a.handle ?? a.email, email: a.email },
      permissions: [{ resource: 'organization', access: 'write' }],
      notes: ['an application key acts with its user’s role (dashboards, monitors, logs…)'],
    };
  },
};
