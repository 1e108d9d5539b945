import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailchimpAccount, mailchimpFake } from '../../fixtures/fake-issuers/mailchimp.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const key = (seed: number) => expandTemplate('{{rand:0-9a-f:32}}-us21', seed);

describe('mailchimp', () => {
  let fake: FakeIssuer<MailchimpAccount>;
  beforeAll(async () => {
    fake = await startFake(mailchimpFake);
  });
  afterAll(() => fake.close());

  it('owner key: live, account identity, admin, audiences and subscribers as reach', async () => {
    const k = key(1);
    fake.add(k, {
      account_id: 'a1b2c3',
      account_name: 'Acme Newsletters',
      role: 'owner',
      total_subscribers: 1200,
      lists: [{ id: 'l1', name: 'Customers' }],
    });
    const { access } = await run('mailchimp', fake, k);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: 'a1b2c3', org: 'Acme Newsletters', type: 'owner' });
    expect(access.permissions).toEqual([{ resource: 'account', access: 'admin' }]);
    expect(access.reach).toEqual([
      { kind: 'audiences', count: 1, sample: ['Customers'] },
      { kind: 'subscribers', count: 1200 },
    ]);
    expect(access.notes?.join(' ')).toMatch(/datacenter us21/);
    expect(access.expiresAt).toBeNull();
  });

  it('viewer key maps to read', async () => {
    const k = key(2);
    fake.add(k, { account_id: 'v1', account_name: 'Viewer Co', role: 'viewer' });
    const { access } = await run('mailchimp', fake, k);
    expect(access.permissions).toEqual([{ resource: 'account', access: 'read' }]);
  });

  it('disabled user → inactive', async () => {
    const k = key(3);
    fake.add(k, { account_id: 'd1', account_name: 'Gone', role: 'owner', disabled: true });
    const { access } = await run('mailchimp', fake, k);
    expect(access.status).toBe('inactive');
  });

  it('without an override the datacenter host comes from the key itself (plan only, nothing sent)', async () => {
    const k = key(4);
    const { summary } = await run('mailchimp', undefined, k, { noOverride: true, plan: true });
    expect(summary.plan?.[0]?.hosts).toEqual(['us21.api.mailchimp.com']);
    expect(summary.plan?.[0]?.refused).toBeUndefined();
    expect(JSON.stringify(summary.plan)).not.toContain(k);
    expect(summary.requests).toBe(0);
  });

  it('transactional (Mandrill) key: users/info POST; Invalid_Key (HTTP 500) → invalid', async () => {
    const k = expandTemplate('md-{{rand:A-Za-z0-9_-:22}}', 5);
    fake.add(k, { account_id: 'm1', account_name: 'mailer', role: 'owner' });
    const { access } = await run('mailchimp', fake, k);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('transactional-api-key');
    expect(access.identity?.user).toBe('mailer');
    expect(access.createdAt).toBe('2023-04-01T10:00:00.000Z');
    expect(fake.requestsFor(k)[0]).toMatchObject({ method: 'POST', path: '/api/1.0/users/info' });
    const bad = await run('mailchimp', fake, expandTemplate('md-{{rand:A-Za-z0-9_-:22}}', 6));
    expect(bad.access.status).toBe('invalid');
  });

  failureModes(
    'mailchimp',
    () => fake,
    key,
    (f, t) => f.add(t, { account_id: 'x', account_name: 'x', role: 'owner' }),
  );
});
