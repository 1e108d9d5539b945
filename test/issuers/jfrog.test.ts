import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JfrogAccount, jfrogFake } from '../../fixtures/fake-issuers/jfrog.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { b64url } from '../../src/detect/checksums/jwt.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const ref = (seed: number) => expandTemplate('cmVmdGtuOjAxOj{{rand:A-Za-z0-9:50}}', seed);
const apiKey = (seed: number) => expandTemplate('AKCp8{{rand:A-Za-z0-9:68}}', seed);
/** A JFrog-shaped access token built at run time (random signature). */
function accessToken(seed: number, claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ ver: '2', typ: 'JWT', alg: 'RS256', kid: 'k1' }));
  return `${header}.${b64url(JSON.stringify(claims))}.${expandTemplate('{{rand:A-Za-z0-9_-:86}}', seed)}`;
}
const host = { 'jfrog-host': 'acme.jfrog.io' };
const repos: JfrogAccount['repos'] = [
  { key: 'libs-release-local', type: 'LOCAL', packageType: 'maven' },
  { key: 'npm-remote', type: 'REMOTE', packageType: 'npm' },
];

describe('jfrog', () => {
  let fake: FakeIssuer<JfrogAccount>;
  beforeAll(async () => {
    fake = await startFake(jfrogFake);
  });
  afterAll(() => fake.close());

  it('admin access token: user, scope and expiry offline; repositories reach', async () => {
    const t = accessToken(1, {
      sub: 'jfac@01h/users/ci-admin',
      scp: 'applied-permissions/admin',
      iss: 'jfac@01h',
      exp: 1900000000,
      iat: 1700000000,
    });
    fake.add(t, { repos });
    const { access } = await run('jfrog', fake, t, { companions: host });
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('access-token');
    expect(access.identity?.user).toBe('ci-admin');
    expect(access.scopes).toEqual(['applied-permissions/admin']);
    expect(access.permissions).toEqual([{ resource: 'platform', access: 'admin' }]);
    expect(access.expiresAt).toBe('2030-03-17T17:46:40.000Z');
    expect(access.reach).toEqual([{ kind: 'repositories', count: 2, sample: ['libs-release-local', 'npm-remote'] }]);
  });

  it('expired access token: inactive offline, nothing sent', async () => {
    const t = accessToken(2, { sub: 'jfac@01h/users/old', scp: 'applied-permissions/user', exp: 1600000000 });
    fake.add(t, { repos });
    const { access, summary } = await run('jfrog', fake, t, { companions: host });
    expect(access.status).toBe('inactive');
    expect(summary.requests).toBe(0);
  });

  it('legacy API key goes in X-JFrog-Art-Api; reference token as Bearer', async () => {
    const k = apiKey(3);
    fake.add(k, { repos });
    expect((await run('jfrog', fake, k, { companions: host })).access.status).toBe('live');
    expect(fake.requestsFor(k)[0].headers['x-jfrog-art-api']).toBe(k);
    const r = ref(4);
    fake.add(r, { repos: [] });
    expect((await run('jfrog', fake, r, { companions: host })).access.status).toBe('live');
    expect(fake.requestsFor(r)[0].headers.authorization).toBe(`Bearer ${r}`);
  });

  it('the platform host must be *.jfrog.io (or the override)', async () => {
    const r = ref(5);
    const plan = await run('jfrog', fake, r, { noOverride: true, plan: true, companions: host });
    expect(plan.summary.plan?.[0]?.hosts).toEqual(['acme.jfrog.io']);
    const none = await run('jfrog', fake, r, {
      noOverride: true,
      companions: { 'jfrog-host': 'artifactory.attacker.example' },
    });
    expect(none.access.status).toBe('unknown');
    expect(none.summary.requests).toBe(0);
  });

  failureModes(
    'jfrog',
    () => fake,
    ref,
    (f, t) => f.add(t, { repos: [] }),
    { companions: host },
  );
});
