import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NetlifyAccount, netlifyFake } from '../../fixtures/fake-issuers/netlify.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('nfp_{{rand:A-Za-z0-9_:40}}', seed);

describe('netlify', () => {
  let fake: FakeIssuer<NetlifyAccount>;
  beforeAll(async () => {
    fake = await startFake(netlifyFake);
  });
  afterAll(() => fake.close());

  it('PAT: user, team, admin on sites and env vars, teams and sites reach', async () => {
    const t = tok(1);
    fake.add(t, {
      id: 'u1',
      email: 'web@example.test',
      full_name: 'Web Dev',
      teams: ['acme'],
      sites: ['shop', 'blog', 'docs'],
    });
    const { access } = await run('netlify', fake, t);
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: 'u1', user: 'Web Dev', email: 'web@example.test', org: 'ACME' });
    expect(access.permissions).toEqual([
      { resource: 'sites', access: 'admin' },
      { resource: 'env-vars', access: 'admin' },
    ]);
    expect(access.reach).toEqual([
      { kind: 'teams', count: 1, sample: ['acme'] },
      { kind: 'sites', count: 3, sample: ['shop', 'blog', 'docs'] },
    ]);
  });

  failureModes(
    'netlify',
    () => fake,
    tok,
    (f, t) => f.add(t, { id: 'x', email: 'x@example.test', full_name: 'x' }),
  );
});
