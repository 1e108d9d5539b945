import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoToken, digitaloceanFake } from '../../fixtures/fake-issuers/digitalocean.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const tok = (p: string, seed: number) => expandTemplate(`${p}_v1_{{rand:a-f0-9:64}}`, seed);

describe('digitalocean', () => {
  let fake: FakeIssuer<DoToken>;
  beforeAll(async () => {
    fake = await startFake(digitaloceanFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ digitalocean: fake.url })));

  it('PAT: live, email and team, droplets reach', async () => {
    const t = tok('dop', 1);
    fake.add(t, { email: 'ops@acme.test', team: 'Acme', droplets: ['web-1', 'web-2', 'db'] });
    const f = finding('digitalocean', t);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'personal-access-token',
      identity: { email: 'ops@acme.test', org: 'Acme' },
    });
    expect(f.access?.reach).toEqual([{ kind: 'droplets', count: 3, sample: ['web-1'] }]);
  });

  it('scoped token without account:read is live; bad token invalid; refresh token not sent', async () => {
    const s = tok('dop', 2);
    fake.add(s, { email: 'x', noAccountRead: true });
    const r = tok('dor', 3);
    const fs = [finding('digitalocean', s), finding('digitalocean', tok('dop', 4)), finding('digitalocean', r)];
    await run(fs);
    expect(fs[0].access?.status).toBe('live');
    expect(fs[1].access?.status).toBe('invalid');
    expect(fs[2].access?.status).toBe('skipped');
    expect(fake.requestsFor(r)).toHaveLength(0);
  });
});
