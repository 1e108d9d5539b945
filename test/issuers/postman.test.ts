import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostmanAccount, postmanFake } from '../../fixtures/fake-issuers/postman.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const key = (seed: number) => expandTemplate('PMAK-{{rand:0-9a-f:24}}-{{rand:0-9a-f:34}}', seed);

describe('postman', () => {
  let fake: FakeIssuer<PostmanAccount>;
  beforeAll(async () => {
    fake = await startFake(postmanFake);
  });
  afterAll(() => fake.close());

  it('admin user key: identity, team, admin role, workspaces and collections as reach', async () => {
    const k = key(1);
    fake.add(k, {
      id: 7,
      username: 'apidev',
      email: 'apidev@example.test',
      teamName: 'Acme',
      teamDomain: 'acme',
      roles: ['user', 'admin'],
      workspaces: ['Payments', 'Internal'],
      collections: ['Prod API', 'Staging API', 'Billing'],
    });
    const { access } = await run('postman', fake, k);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({
      user: 'apidev',
      email: 'apidev@example.test',
      org: 'Acme',
      account: 'acme',
    });
    expect(access.scopes).toEqual(['role:user', 'role:admin']);
    expect(access.permissions).toContainEqual({ resource: 'team', access: 'admin' });
    expect(access.permissions).toContainEqual({ resource: 'workspaces', access: 'write' });
    expect(access.reach).toEqual([
      { kind: 'workspaces', count: 2, sample: ['Payments', 'Internal'] },
      { kind: 'collections', count: 3, sample: ['Prod API', 'Staging API', 'Billing'] },
    ]);
    expect(fake.requestsFor(k).map((r) => r.path)).toEqual(['/me', '/workspaces', '/collections']);
  });

  failureModes(
    'postman',
    () => fake,
    key,
    (f, t) => f.add(t, { id: 1, username: 'x', roles: [] }),
  );
});
