import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SentryToken, sentryFake } from '../../fixtures/fake-issuers/sentry.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { sentryOrgPayload } from '../../src/issuers/sentry.js';
import { failureModes, run } from './b-helpers.js';

const orgToken = (seed: number) => expandTemplate('{{gen:sentry-org}}', seed);
const userToken = (seed: number) => expandTemplate('sntryu_{{rand:0-9a-f:64}}', seed);

describe('sentry', () => {
  let fake: FakeIssuer<SentryToken>;
  beforeAll(async () => {
    fake = await startFake(sentryFake);
  });
  afterAll(() => fake.close());

  it('offline: the org token names its org, region and creation time', async () => {
    const t = orgToken(1);
    const org = sentryOrgPayload(t)?.org;
    const { access, summary } = await run('sentry', fake, t, { offline: true });
    expect(org).toMatch(/^[a-z]{8}$/);
    expect(access.identity?.org).toBe(org);
    expect(access.tokenType).toBe('org-auth-token');
    expect(access.permissions).toEqual([{ resource: 'releases', access: 'write' }]);
    expect(access.notes?.join(' ')).toMatch(/https:\/\/us\.sentry\.io/);
    expect(access.createdAt).toBe('2024-05-20T21:03:42.500Z');
    expect(summary.requests).toBe(0);
  });

  it('org token without an override goes to its own region host (plan only)', async () => {
    const t = orgToken(2);
    const { summary } = await run('sentry', fake, t, { noOverride: true, plan: true });
    expect(summary.plan?.[0]?.hosts).toEqual(['us.sentry.io']);
  });

  it('user token: live, orgs reach, scopes → levels, user identity', async () => {
    const t = userToken(3);
    fake.add(t, {
      scopes: ['org:read', 'project:write', 'member:admin', 'event:read'],
      orgs: ['acme', 'acme-labs'],
      user: { username: 'dev', email: 'dev@example.test' },
    });
    const { access } = await run('sentry', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('user-auth-token');
    expect(access.identity).toMatchObject({ org: 'acme', user: 'dev', email: 'dev@example.test' });
    expect(access.reach).toEqual([{ kind: 'organizations', count: 2, sample: ['acme', 'acme-labs'] }]);
    expect(access.permissions).toEqual([
      { resource: 'org', access: 'read' },
      { resource: 'project', access: 'write' },
      { resource: 'member', access: 'admin' },
      { resource: 'event', access: 'read' },
    ]);
  });

  it('403 on organizations (no org:read) still means live', async () => {
    const t = userToken(4);
    fake.add(t, { scopes: ['project:releases'], orgs: [] });
    const { access } = await run('sentry', fake, t);
    expect(access.status).toBe('live');
    expect(access.notes?.join(' ')).toMatch(/lacks org:read/);
    expect(access.permissions).toEqual([{ resource: 'releases', access: 'write' }]);
  });

  failureModes(
    'sentry',
    () => fake,
    userToken,
    (f, t) => f.add(t, { scopes: ['org:read'], orgs: ['x'] }),
  );
});
