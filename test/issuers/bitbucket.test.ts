import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BitbucketCredential, bitbucketFake } from '../../fixtures/fake-issuers/bitbucket.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const appPassword = (seed: number) => expandTemplate('ATBB{{rand:A-Za-z0-9:32}}', seed);
const accessToken = (seed: number) => expandTemplate('ATCTT3xFfGN0{{rand:A-Za-z0-9_-:180}}', seed);
const user = { 'bitbucket-username': 'devperson' };

describe('bitbucket', () => {
  let fake: FakeIssuer<BitbucketCredential>;
  beforeAll(async () => {
    fake = await startFake(bitbucketFake);
  });
  afterAll(() => fake.close());

  it('app password + username: identity, scopes from the header → levels, repositories reach', async () => {
    const p = appPassword(1);
    fake.add(p, {
      username: 'devperson',
      credentialType: 'app_password',
      scopes: ['repository:admin', 'pullrequest:write', 'account', 'pipeline:variable'],
      repos: ['acme/api', 'acme/web'],
    });
    const { access } = await run('bitbucket', fake, p, { companions: user });
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: '557058:abc', user: 'Dev Person' });
    expect(access.tokenType).toBe('app_password');
    expect(access.permissions).toEqual([
      { resource: 'repository', access: 'admin' },
      { resource: 'pullrequest', access: 'write' },
      { resource: 'account', access: 'read' },
      { resource: 'pipeline', access: 'admin' },
    ]);
    expect(access.reach).toEqual([{ kind: 'repositories', count: 2, sample: ['acme/api', 'acme/web'] }]);
  });

  it('app password without a username: unknown, nothing sent', async () => {
    const p = appPassword(2);
    fake.add(p, { username: 'x', credentialType: 'app_password', scopes: [] });
    const { access } = await run('bitbucket', fake, p);
    expect(access.status).toBe('unknown');
    expect(fake.requestsFor(p)).toHaveLength(0);
  });

  it('repository access token (Bearer): type and scopes from the repositories answer', async () => {
    const t = accessToken(3);
    fake.add(t, { credentialType: 'repo_access_token', scopes: ['repository', 'pullrequest'], repos: ['acme/api'] });
    const { access } = await run('bitbucket', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('repo_access_token');
    expect(access.permissions).toEqual([
      { resource: 'repository', access: 'read' },
      { resource: 'pullrequest', access: 'read' },
    ]);
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  failureModes(
    'bitbucket',
    () => fake,
    appPassword,
    (f, t) => f.add(t, { username: 'devperson', credentialType: 'app_password', scopes: [] }),
    { companions: user },
  );
});
