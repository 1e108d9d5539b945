import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type ShopifyToken, shopifyFake } from '../../fixtures/fake-issuers/shopify.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const tok = (seed: number) => expandTemplate('shpat_{{rand:a-f0-9:32}}', seed);

describe('shopify', () => {
  let fake: FakeIssuer<ShopifyToken>;
  beforeAll(async () => {
    fake = await startFake(shopifyFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ shopify: fake.url })));

  it('admin token with its shop: live, scopes → read/write, shop identity', async () => {
    const t = tok(1);
    fake.add(t, {
      shop: 'acme.myshopify.com',
      scopes: ['read_orders', 'write_products', 'unauthenticated_read_checkouts'],
    });
    const f = finding('shopify', t, { companions: { 'shopify-shop-domain': 'acme.myshopify.com' } });
    await run([f]);
    expect(f.access).toMatchObject({ status: 'live', identity: { account: 'acme.myshopify.com', org: 'Acme Store' } });
    expect(f.access?.permissions).toEqual([
      { resource: 'orders', access: 'read' },
      { resource: 'products', access: 'write' },
      { resource: 'storefront/checkouts', access: 'read' },
    ]);
  });

  it('frozen shop → inactive; unknown token → invalid', async () => {
    const t = tok(2);
    fake.add(t, { shop: 'x.myshopify.com', scopes: [], frozen: true });
    const fs = [
      finding('shopify', t, { companions: { s: 'x.myshopify.com' } }),
      finding('shopify', tok(3), { companions: { s: 'y.myshopify.com' } }),
    ];
    await run(fs);
    expect(fs[0].access?.status).toBe('inactive');
    expect(fs[1].access?.status).toBe('invalid');
  });

  it('a companion "shop" on another domain cannot receive the token (no override)', async () => {
    const t = tok(4);
    const f = finding('shopify', t, { companions: { 'shopify-shop-domain': 'acme.myshopify.com.evil.test' } });
    await lookupFindings([f], opts(configFor({})));
    expect(f.access?.status).toBe('skipped');
    const g = finding('shopify', t, { companions: { 'shopify-shop-domain': '127.0.0.1' } });
    await lookupFindings([g], opts(configFor({})));
    expect(g.access?.status).toBe('skipped');
  });
});
