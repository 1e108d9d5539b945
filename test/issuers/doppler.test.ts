import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DopplerAccount, dopplerFake } from '../../fixtures/fake-issuers/doppler.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const svc = (seed: number, config = 'prd') => expandTemplate(`dp.st.${config}.{{rand:A-Za-z0-9:40}}`, seed);
const personal = (seed: number) => expandTemplate('dp.pt.{{rand:A-Za-z0-9:43}}', seed);

describe('doppler', () => {
  let fake: FakeIssuer<DopplerAccount>;
  beforeAll(async () => {
    fake = await startFake(dopplerFake);
  });
  afterAll(() => fake.close());

  it('offline: a service token names its config; production config → production', async () => {
    const t = svc(1);
    const { access, summary } = await run('doppler', fake, t, { offline: true });
    expect(access.tokenType).toBe('service-token');
    expect(access.permissions).toEqual([{ resource: 'config:prd', access: 'read' }]);
    expect(access.environment).toBe('production');
    expect(summary.requests).toBe(0);
  });

  it('service token: live, workplace, config scope kept, one request', async () => {
    const t = svc(2, 'dev_personal');
    fake.add(t, { type: 'service_token', workplace: { name: 'Acme', slug: 'acme' }, name: 'deploy' });
    const { access } = await run('doppler', fake, t);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ org: 'Acme', type: 'service_token' });
    expect(access.permissions).toEqual([{ resource: 'config:dev_personal', access: 'read' }]);
    expect(access.environment).toBe('test');
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('personal token: admin on the workplace, projects as reach', async () => {
    const t = personal(3);
    fake.add(t, {
      type: 'personal',
      workplace: { name: 'Acme', slug: 'acme' },
      name: 'laptop',
      projects: ['backend', 'web'],
    });
    const { access } = await run('doppler', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('personal-token');
    expect(access.permissions).toEqual([{ resource: 'workplace', access: 'admin' }]);
    expect(access.reach).toEqual([{ kind: 'projects', count: 2, sample: ['backend', 'web'] }]);
    expect(access.createdAt).toBe('2024-05-01T12:00:00.000Z');
  });

  failureModes(
    'doppler',
    () => fake,
    (s) => svc(s),
    (f, t) => f.add(t, { type: 'service_token', workplace: { name: 'x', slug: 'x' }, name: 'x' }),
  );
});
