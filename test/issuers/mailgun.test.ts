import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailgunAccount, mailgunFake } from '../../fixtures/fake-issuers/mailgun.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const key = (seed: number) => expandTemplate('{{rand:0-9a-f:32}}-{{rand:0-9a-f:8}}-{{rand:0-9a-f:8}}', seed);
const keyId = (k: string) => k.slice(-17);

describe('mailgun', () => {
  let fake: FakeIssuer<MailgunAccount>;
  beforeAll(async () => {
    fake = await startFake(mailgunFake);
  });
  afterAll(() => fake.close());

  it('admin key: live, domains reach, role from its key record, no expiry', async () => {
    const k = key(1);
    fake.add(k, {
      domains: [{ name: 'mg.example.test' }, { name: 'old.example.test', is_disabled: true }],
      key: { id: keyId(k), role: 'admin', kind: 'user', user_name: 'ops', expires_at: null },
    });
    const { access } = await run('mailgun', fake, k);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('user-key');
    expect(access.identity).toMatchObject({ user: 'ops', type: 'admin' });
    expect(access.permissions).toContainEqual({ resource: 'account', access: 'admin' });
    expect(access.reach).toEqual([{ kind: 'domains', count: 2, sample: ['mg.example.test'] }]);
    expect(access.expiresAt).toBeNull();
    expect(fake.requestsFor(k)).toHaveLength(2);
  });

  it('domain key with an expiry: expiresAt and a note naming the domain', async () => {
    const k = key(2);
    fake.add(k, {
      domains: [{ name: 'mg.example.test' }],
      key: {
        id: keyId(k),
        role: 'sending',
        kind: 'domain',
        domain_name: 'mg.example.test',
        expires_at: '2031-05-01T00:00:00Z',
      },
    });
    const { access } = await run('mailgun', fake, k);
    expect(access.status).toBe('live');
    expect(access.expiresAt).toBe('2031-05-01T00:00:00.000Z');
    expect(access.permissions).toContainEqual({ resource: 'messages', access: 'write' });
    expect(access.notes?.join(' ')).toMatch(/sends only for mg\.example\.test/);
  });

  it('disabled key record → inactive', async () => {
    const k = key(3);
    fake.add(k, { domains: [], key: { id: keyId(k), role: 'admin', kind: 'user', is_disabled: true } });
    const { access } = await run('mailgun', fake, k);
    expect(access.status).toBe('inactive');
  });

  it('a 403 on the domain list is unknown, not live and not invalid', async () => {
    const k = key(4);
    fake.add(k, { domains: [], sendingOnly: true });
    const { access } = await run('mailgun', fake, k);
    expect(access.status).toBe('unknown');
    expect(access.notes?.join(' ')).toMatch(/sending key/);
  });

  it('an api.eu.mailgun.net companion sends the key to the EU API first (plan only)', async () => {
    const k = key(5);
    const { summary } = await run('mailgun', fake, k, {
      noOverride: true,
      plan: true,
      companions: { 'mailgun-api-host': 'api.eu.mailgun.net' },
    });
    expect(summary.plan?.[0]?.hosts).toEqual(['api.eu.mailgun.net']);
  });

  it('a webhook signing key is never sent', async () => {
    const k = key(6);
    fake.add(k, { domains: [] });
    const { access } = await run('mailgun', fake, k, { tokenType: 'webhook-signing-key' });
    expect(access.status).toBe('unknown');
    expect(access.tokenType).toBe('webhook-signing-key');
    expect(fake.requestsFor(k)).toHaveLength(0);
  });

  failureModes(
    'mailgun',
    () => fake,
    key,
    (f, t) => f.add(t, { domains: [] }),
  );
});
