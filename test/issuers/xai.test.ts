import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type XaiKey, xaiFake } from '../../fixtures/fake-issuers/xai.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const key = (seed: number) => expandTemplate('xai-{{rand:A-Za-z0-9_:80}}', seed);

describe('xai', () => {
  let fake: FakeIssuer<XaiKey>;
  beforeAll(async () => {
    fake = await startFake(xaiFake);
  });
  afterAll(() => fake.close());

  it('live key: ACLs → scopes and levels, team, name, creation time', async () => {
    const k = key(1);
    fake.add(k, { name: 'prod', acls: ['api-key:endpoint:*', 'api-key:model:*'] });
    const { access } = await run('xai', fake, k);
    expect(access.status).toBe('live');
    expect(access.scopes).toEqual(['api-key:endpoint:*', 'api-key:model:*']);
    expect(access.permissions).toEqual([
      { resource: 'endpoints', access: 'write' },
      { resource: 'models', access: 'write' },
    ]);
    expect(access.identity).toMatchObject({ user: 'user-1', org: 'team-1', type: 'key "prod"' });
    expect(access.createdAt).toBe('2025-01-10T08:00:00.000Z');
    expect(access.expiresAt).toBeNull();
  });

  it('disabled key → inactive; expiry read', async () => {
    const k = key(2);
    fake.add(k, { name: 'old', acls: [], disabled: true, expire_time: '2026-01-01T00:00:00Z' });
    const { access } = await run('xai', fake, k);
    expect(access.status).toBe('inactive');
    expect(access.expiresAt).toBe('2026-01-01T00:00:00.000Z');
  });

  failureModes(
    'xai',
    () => fake,
    key,
    (f, t) => f.add(t, { name: 'x', acls: [] }),
  );
});
