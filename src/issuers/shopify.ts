// Shopify Admin API tokens (ISSUERS.md §22). The shop domain (`<x>.myshopify.com`) comes from a companion; the
// allowlist only admits *.myshopify.com, so a bad companion cannot leak the token. GET
// /admin/oauth/access_scopes.json lists the granted scopes; shop.json names the shop and owner.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { companion, invalid, merge, parse, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const API_VERSION = '2024-10';

export function shopifyScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    const m = /^(unauthenticated_)?(read|write)_(.+)$/.exec(s);
    if (!m) continue;
    out.push({ resource: m[1] ? `storefront/${m[3]}` : m[3], access: m[2] === 'write' ? 'write' : 'read' });
  }
  return out;
}

function shopOf(companions: Record<string, string>): string | undefined {
  return companion(companions, /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, 'shop');
}

export const shopify: IssuerModule = {
  id: 'shopify',
  name: 'Shopify',
  hosts: ['*.myshopify.com'],
  rate: { concurrency: 2, perSecond: 2 },
  decode(cred) {
    const types: Record<string, string> = {
      shpat: 'admin-access-token',
      shpca: 'custom-app-token',
      shppa: 'private-app-token',
      shpss: 'app-shared-secret',
    };
    const shop = shopOf(cred.companions);
    return {
      tokenType: types[cred.secret.slice(0, 5)] ?? cred.tokenType,
      identity: shop ? { account: shop } : undefined,
      environment: 'production',
    };
  },
  planLookup(cred, http) {
    const shop = shopOf(cred.companions);
    const base = http.override ?? (shop ? `https://${shop}` : 'https://<shop>.myshopify.com');
    return [`GET ${base}/admin/oauth/access_scopes.json`, `GET ${base}/admin/api/${API_VERSION}/shop.json`];
  },
  async lookup(cred, http) {
    if (cred.secret.startsWith('shpss_'))
      return { status: 'skipped', notes: ['an app shared secret signs webhooks and OAuth; it cannot call the API'] };
    const shop = shopOf(cred.companions);
    if (!shop && !http.override)
      return { status: 'skipped', notes: ['no *.myshopify.com shop domain found near the token: not checked'] };
    const base = http.baseUrl(`https://${shop}`);
    const headers = { 'x-shopify-access-token': cred.secret, accept: 'application/json' };
    const res = await http.request({ url: `${base}/admin/oauth/access_scopes.json`, headers });
    const bad = unusable(res, 'Shopify');
    if (bad) return bad;
    if (res.status === 401 || res.status === 403) return invalid(`Shopify rejected the token (HTTP ${res.status})`);
    if (res.status === 402 || res.status === 423)
      return { status: 'inactive', notes: [`Shopify shop is ${res.status === 402 ? 'frozen (unpaid)' : 'locked'}`] };
    if (res.status === 404) return invalid('Shopify: shop not found for this token');
    if (res.status !== 200) return unknown(`Shopify answered HTTP ${res.status}`);
    const body = parse(res, z.object({ access_scopes: z.array(z.object({ handle: z.string() })) }), 'Shopify');
    if (!body.ok) return body.access;
    const scopes = body.data.access_scopes.map((s) => s.handle);
    const out: Partial<Access> = { status: 'live', scopes, identity: { account: shop }, expiresAt: null };
    const s = await http.request({ url: `${base}/admin/api/${API_VERSION}/shop.json`, headers });
    const info = parseOptional(
      s,
      z.object({
        shop: z
          .object({
            name: z.string().optional(),
            email: z.string().optional(),
            shop_owner: z.string().optional(),
            plan_name: z.string().optional(),
            myshopify_domain: z.string().optional(),
          })
          .passthrough(),
      }),
    );
    if (!info) return merge(out, { notes: [`shop details not readable (HTTP ${s.status})`] });
    return merge(out, {
      identity: {
        account: info.shop.myshopify_domain ?? shop,
        org: info.shop.name,
        user: info.shop.shop_owner,
        email: info.shop.email,
      },
      environment:
        info.shop.plan_name && /partner_test|affiliate|development/.test(info.shop.plan_name) ? 'test' : 'production',
    });
  },
  scopeLevels: shopifyScopeLevels,
};
