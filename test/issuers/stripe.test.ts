import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type StripeKey, stripeFake } from '../../fixtures/fake-issuers/stripe.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const key = (prefix: string, seed: number) => expandTemplate(`${prefix}_{{rand:A-Za-z0-9:99}}`, seed);

describe('stripe', () => {
  let fake: FakeIssuer<StripeKey>;
  beforeAll(async () => {
    fake = await startFake(stripeFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ stripe: fake.url })));

  it('live secret key: live, production, account identity, admin', async () => {
    const k = key('sk_live', 1);
    fake.add(k, { account: 'acct_1', email: 'pay@acme.test', name: 'Acme' });
    const f = finding('stripe', k);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'secret-key',
      environment: 'production',
      identity: { account: 'acct_1', org: 'Acme' },
    });
    expect(f.access?.permissions).toEqual([{ resource: 'account', access: 'admin' }]);
  });

  it('restricted live key answered 403 on charges: live (restricted)', async () => {
    const k = key('rk_live', 2);
    fake.add(k, { account: 'acct_2', chargesRead: false, accountRead: false });
    const f = finding('stripe', k);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.tokenType).toBe('restricted-key');
    expect(f.access?.notes?.join(' ')).toMatch(/restricted key without charge read/);
  });

  it('test key: environment test (offline too); expired → inactive; bad → invalid', async () => {
    const t = key('sk_test', 3);
    const e = key('sk_live', 4);
    fake.add(t, { account: 'acct_3' }).add(e, { account: 'acct_4', expired: true });
    const fs = [finding('stripe', t), finding('stripe', e), finding('stripe', key('sk_live', 5))];
    await run(fs);
    expect(fs[0].access).toMatchObject({ status: 'live', environment: 'test', tokenType: 'test-secret-key' });
    expect(fs[1].access?.status).toBe('inactive');
    expect(fs[2].access?.status).toBe('invalid');
    const off = finding('stripe', key('rk_test', 6));
    await lookupFindings([off], { ...opts(configFor({ stripe: fake.url })), offline: true });
    expect(off.access).toMatchObject({ status: 'skipped', environment: 'test', tokenType: 'test-restricted-key' });
  });

  it('webhook secrets and publishable keys are not sent', async () => {
    const w = key('whsec', 7);
    const f = finding('stripe', w);
    await run([f]);
    expect(f.access?.status).toBe('skipped');
    expect(fake.requestsFor(w)).toHaveLength(0);
  });
});
