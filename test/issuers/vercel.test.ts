import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type VercelAccount, vercelFake } from '../../fixtures/fake-issuers/vercel.js';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number, kind = 'vcp') => expandTemplate(`{{gen:vercel:${kind}}}`, seed);

describe('vercel', () => {
  let fake: FakeIssuer<VercelAccount>;
  beforeAll(async () => {
    fake = await startFake(vercelFake);
  });
  afterAll(() => fake.close());

  it('personal token: account, team roles → levels, teams and projects reach', async () => {
    const t = tok(1);
    fake.add(t, {
      id: 'usr_1',
      username: 'dev',
      email: 'dev@example.test',
      teams: [
        { slug: 'acme', role: 'OWNER' },
        { slug: 'oss', role: 'VIEWER' },
      ],
      projects: ['web', 'docs'],
    });
    const { access } = await run('vercel', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('personal-token');
    expect(access.identity).toMatchObject({ account: 'usr_1', user: 'dev', email: 'dev@example.test' });
    expect(access.permissions).toEqual([
      { resource: 'personal-account', access: 'admin' },
      { resource: 'team:acme', access: 'admin' },
      { resource: 'team:oss', access: 'read' },
    ]);
    expect(access.reach).toEqual([
      { kind: 'teams', count: 2, sample: ['acme', 'oss'] },
      { kind: 'projects', count: 2, sample: ['web', 'docs'] },
    ]);
  });

  it('AI Gateway key: not sent', async () => {
    const t = tok(2, 'vck');
    const { access } = await run('vercel', fake, t);
    expect(access.status).toBe('unknown');
    expect(access.tokenType).toBe('ai-gateway-key');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  failureModes(
    'vercel',
    () => fake,
    tok,
    (f, t) => f.add(t, { id: 'x', username: 'x', email: 'x@example.test' }),
  );
});
