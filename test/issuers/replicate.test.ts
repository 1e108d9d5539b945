import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplicateAccount, replicateFake } from '../../fixtures/fake-issuers/replicate.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('r8_{{rand:A-Za-z0-9_-:37}}', seed);

describe('replicate', () => {
  let fake: FakeIssuer<ReplicateAccount>;
  beforeAll(async () => {
    fake = await startFake(replicateFake);
  });
  afterAll(() => fake.close());

  it('org token: account identity, write on predictions, deployments reach', async () => {
    const t = tok(1);
    fake.add(t, { type: 'organization', username: 'acme-ai', name: 'Acme AI', deployments: ['summarizer'] });
    const { access } = await run('replicate', fake, t);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ user: 'acme-ai', type: 'organization', org: 'Acme AI' });
    expect(access.permissions).toContainEqual({ resource: 'predictions', access: 'write' });
    expect(access.reach).toEqual([{ kind: 'deployments', count: 1, sample: ['summarizer'] }]);
  });

  failureModes(
    'replicate',
    () => fake,
    tok,
    (f, t) => f.add(t, { type: 'user', username: 'x', name: 'x' }),
  );
});
