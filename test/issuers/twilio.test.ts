import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type TwilioCred, twilioFake } from '../../fixtures/fake-issuers/twilio.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const hex = (n: number, seed: number) => expandTemplate(`{{rand:0-9a-f:${n}}}`, seed);

describe('twilio', () => {
  let fake: FakeIssuer<TwilioCred>;
  beforeAll(async () => {
    fake = await startFake(twilioFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ twilio: fake.url })));

  it('auth token + account SID: live admin, account identity', async () => {
    const sid = `AC${hex(32, 1)}`;
    const token = hex(32, 2);
    fake.add(token, { sid, accountSid: sid, name: 'Acme prod' });
    const f = finding('twilio', token, { companions: { 'twilio-account-sid': sid } });
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'auth-token',
      identity: { account: sid, org: 'Acme prod' },
    });
    expect(f.access?.permissions).toEqual([{ resource: 'account', access: 'admin' }]);
  });

  it('standard API key (70051): live, not admin; wrong secret: invalid', async () => {
    const ac = `AC${hex(32, 3)}`;
    const sk = `SK${hex(32, 4)}`;
    const secret = expandTemplate('{{rand:A-Za-z0-9:32}}', 5);
    fake.add(secret, { sid: sk, accountSid: ac, standard: true });
    const f = finding('twilio', secret, { companions: { 'twilio-api-key-sid': sk, 'twilio-account-sid': ac } });
    const bad = finding('twilio', hex(32, 6), { companions: { 'twilio-account-sid': ac } });
    await run([f, bad]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.tokenType).toBe('standard-api-key');
    expect(bad.access?.status).toBe('invalid');
  });

  it('no SID nearby: skipped, nothing sent', async () => {
    const t = hex(32, 7);
    const f = finding('twilio', t);
    await run([f]);
    expect(f.access?.status).toBe('skipped');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });
});
