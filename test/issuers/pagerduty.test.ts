import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerdutyKey, pagerdutyFake } from '../../fixtures/fake-issuers/pagerduty.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const userToken = (seed: number) => expandTemplate('u+{{rand:A-Za-z0-9_-:18}}', seed);
const accountKey = (seed: number) => expandTemplate('{{rand:A-Za-z0-9_-:20}}', seed);

describe('pagerduty', () => {
  let fake: FakeIssuer<PagerdutyKey>;
  beforeAll(async () => {
    fake = await startFake(pagerdutyFake);
  });
  afterAll(() => fake.close());

  it('user token: identity and role → level, services count', async () => {
    const t = userToken(1);
    fake.add(t, { user: { id: 'PU1', name: 'On Call', email: 'oncall@example.test', role: 'admin' }, services: 12 });
    const { access } = await run('pagerduty', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('user-token');
    expect(access.identity).toMatchObject({ account: 'PU1', user: 'On Call', type: 'admin' });
    expect(access.permissions).toEqual([{ resource: 'account', access: 'admin' }]);
    expect(access.reach).toEqual([{ kind: 'services', count: 12 }]);
  });

  it('account key: refused by /users/me, live by /abilities', async () => {
    const k = accountKey(2);
    fake.add(k, { services: 3 });
    const { access } = await run('pagerduty', fake, k);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('account-api-key');
    expect(fake.requestsFor(k).map((r) => r.path)).toEqual(['/users/me', '/abilities', '/services']);
  });

  it('integration keys are never sent', async () => {
    const k = expandTemplate('{{rand:a-f0-9:32}}', 3);
    const { access, summary } = await run('pagerduty', fake, k, { tokenType: 'integration-key' });
    expect(access.status).toBe('unknown');
    expect(summary.requests).toBe(0);
  });

  failureModes(
    'pagerduty',
    () => fake,
    userToken,
    (f, t) => f.add(t, { user: { id: 'x', name: 'x', email: 'x', role: 'user' } }),
  );
});
