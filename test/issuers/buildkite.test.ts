import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildkiteAccount, buildkiteFake } from '../../fixtures/fake-issuers/buildkite.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('bkua_{{rand:a-z0-9:40}}', seed);

describe('buildkite', () => {
  let fake: FakeIssuer<BuildkiteAccount>;
  beforeAll(async () => {
    fake = await startFake(buildkiteFake);
  });
  afterAll(() => fake.close());

  it('token with org scope: scopes → read/write, user, organizations as reach', async () => {
    const t = tok(1);
    fake.add(t, {
      uuid: 'b1c2',
      scopes: ['read_builds', 'write_builds', 'read_organizations', 'write_teams', 'graphql'],
      user: { name: 'CI Bot', email: 'ci@example.test' },
      orgs: ['acme', 'acme-oss'],
    });
    const { access } = await run('buildkite', fake, t);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ user: 'CI Bot', email: 'ci@example.test', org: 'acme' });
    expect(access.permissions).toEqual(
      expect.arrayContaining([
        { resource: 'builds', access: 'write' },
        { resource: 'teams', access: 'admin' },
        { resource: 'graphql', access: 'write' },
        { resource: 'organizations', access: 'read' },
      ]),
    );
    expect(access.reach).toEqual([{ kind: 'organizations', count: 2, sample: ['acme', 'acme-oss'] }]);
    expect(access.createdAt).toBe('2024-03-01T10:00:00.000Z');
  });

  it('token without read_organizations makes one request', async () => {
    const t = tok(2);
    fake.add(t, { uuid: 'x', scopes: ['read_builds'] });
    const { access } = await run('buildkite', fake, t);
    expect(access.permissions).toEqual([{ resource: 'builds', access: 'read' }]);
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('agent registration token: never sent (the only check would register an agent)', async () => {
    const t = expandTemplate('bkat_{{rand:A-Za-z0-9:48}}', 3);
    fake.add(t, { uuid: 'a', scopes: [] });
    const { access } = await run('buildkite', fake, t);
    expect(access.status).toBe('unknown');
    expect(access.tokenType).toBe('agent-token');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  failureModes(
    'buildkite',
    () => fake,
    tok,
    (f, t) => f.add(t, { uuid: 'x', scopes: [] }),
  );
});
