import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OktaUser, oktaFake } from '../../fixtures/fake-issuers/okta.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('00{{rand:A-Za-z0-9_-:40}}', seed);
const org = { 'okta-domain': 'https://acme.okta.com' };

describe('okta', () => {
  let fake: FakeIssuer<OktaUser>;
  beforeAll(async () => {
    fake = await startFake(oktaFake);
  });
  afterAll(() => fake.close());

  it('super admin token: identity, roles → admin, token expiry and window', async () => {
    const t = tok(1);
    fake.add(t, { id: '00u1', login: 'ada@example.test', roles: ['SUPER_ADMIN', 'REPORT_ADMIN'], network: 'ZONE' });
    const { access } = await run('okta', fake, t, { companions: org });
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: '00u1', user: 'ada@example.test', type: 'token "automation"' });
    expect(access.scopes).toEqual(['SUPER_ADMIN', 'REPORT_ADMIN']);
    expect(access.permissions).toEqual([
      { resource: 'org', access: 'admin' },
      { resource: 'reports', access: 'read' },
    ]);
    expect(access.expiresAt).toBe('2030-03-01T00:00:00.000Z');
    expect(access.notes?.join(' ')).toMatch(/P30D/);
    expect(access.notes?.join(' ')).toMatch(/network restricted: ZONE/);
  });

  it('deactivated user → inactive after one request', async () => {
    const t = tok(2);
    fake.add(t, { id: '00u2', login: 'gone@example.test', status: 'DEPROVISIONED', roles: [] });
    const { access } = await run('okta', fake, t, { companions: org });
    expect(access.status).toBe('inactive');
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('the org host must be an Okta domain', async () => {
    const t = tok(3);
    const good = await run('okta', fake, t, { noOverride: true, plan: true, companions: org });
    expect(good.summary.plan?.[0]?.hosts).toEqual(['acme.okta.com']);
    const evil = await run('okta', fake, t, {
      noOverride: true,
      companions: { 'okta-domain': 'https://acme.okta.com.attacker.example' },
    });
    expect(evil.access.status).toBe('unknown');
    expect(evil.summary.requests).toBe(0);
  });

  failureModes(
    'okta',
    () => fake,
    tok,
    (f, t) => f.add(t, { id: '00ux', login: 'x', roles: [] }),
    { companions: org },
  );
});
