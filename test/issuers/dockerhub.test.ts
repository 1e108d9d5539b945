import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DockerhubAccount, dockerhubFake } from '../../fixtures/fake-issuers/dockerhub.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const pat = (seed: number) => expandTemplate('dckr_pat_{{rand:A-Za-z0-9_-:27}}', seed);
const user = { 'dockerhub-username': 'acmebuild' };

describe('dockerhub', () => {
  let fake: FakeIssuer<DockerhubAccount>;
  beforeAll(async () => {
    fake = await startFake(dockerhubFake);
  });
  afterAll(() => fake.close());

  it('PAT + username: scope claim → permission, account from the JWT, repositories reach', async () => {
    const t = pat(1);
    fake.add(t, {
      username: 'acmebuild',
      scope: 'repo:write',
      repos: [
        { name: 'api', is_private: true },
        { name: 'web', is_private: false },
      ],
    });
    const { access } = await run('dockerhub', fake, t, { companions: user });
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('personal-access-token');
    expect(access.scopes).toEqual(['repo:write']);
    expect(access.permissions).toEqual([{ resource: 'repositories', access: 'write' }]);
    expect(access.identity?.account).toBe('3c1a9f52-7e0b-4d2e-9a55-0f6e2b7c8d11');
    // The username is a companion that names the account, not a secret: it stays readable in the identity.
    expect(access.identity).toMatchObject({ user: 'acmebuild', email: 'acmebuild@example.test' });
    expect(access.reach).toEqual([{ kind: 'repositories', count: 2, sample: ['api', 'web'] }]);
    // The session JWT's exp is not the PAT's expiry.
    expect(access.expiresAt).toBeUndefined();
    const [exchange] = fake.requestsFor(t);
    expect(exchange.method).toBe('POST');
    expect(JSON.parse(exchange.body)).toEqual({ identifier: 'acmebuild', secret: t });
  });

  it('admin scope → admin', async () => {
    const t = pat(2);
    fake.add(t, { username: 'acmebuild', scope: 'repo:admin' });
    const { access } = await run('dockerhub', fake, t, { companions: user });
    expect(access.permissions).toEqual([{ resource: 'repositories', access: 'admin' }]);
  });

  it('wrong username: invalid', async () => {
    const t = pat(3);
    fake.add(t, { username: 'someoneelse', scope: 'repo:read' });
    const { access } = await run('dockerhub', fake, t, { companions: user });
    expect(access.status).toBe('invalid');
  });

  it('no username nearby: unknown, nothing sent', async () => {
    const t = pat(4);
    const { access, summary } = await run('dockerhub', fake, t);
    expect(access.status).toBe('unknown');
    expect(summary.requests).toBe(0);
  });

  failureModes(
    'dockerhub',
    () => fake,
    pat,
    (f, t) => f.add(t, { username: 'acmebuild', scope: 'repo:read' }),
    { companions: user },
  );
});
