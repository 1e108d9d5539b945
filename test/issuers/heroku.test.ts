import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HerokuToken, herokuFake } from '../../fixtures/fake-issuers/heroku.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const tok = (seed: number) => expandTemplate('HRKU-AA{{rand:0-9A-Za-z_-:58}}', seed);

describe('heroku', () => {
  let fake: FakeIssuer<HerokuToken>;
  beforeAll(async () => {
    fake = await startFake(herokuFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ heroku: fake.url })));

  it('OAuth token: live, its own authorization gives scope and expiry (others ignored)', async () => {
    const t = tok(1);
    fake.add(t, { email: 'dev@acme.test', scope: ['read', 'write'], expiresIn: 3600 });
    const f = finding('heroku', t);
    await run([f]);
    expect(f.access).toMatchObject({ status: 'live', identity: { email: 'dev@acme.test' }, scopes: ['read', 'write'] });
    expect(f.access?.permissions).toEqual([{ resource: 'apps', access: 'write' }]);
    expect(f.access?.expiresAt).toBeTruthy();
    expect(JSON.stringify(f.access)).not.toContain('HRKU-other');
  });

  it('legacy API key (not an authorization): full account; bad token: invalid', async () => {
    const k = '01234567-aaaa-bbbb-cccc-0123456789ab'.replace(/a/g, 'e');
    fake.add(k, { email: 'legacy@acme.test' });
    const fs = [finding('heroku', k), finding('heroku', tok(2))];
    await run(fs);
    expect(fs[0].access?.permissions).toEqual([{ resource: 'account', access: 'admin' }]);
    expect(fs[1].access?.status).toBe('invalid');
  });
});
