import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type TerraformToken, terraformFake } from '../../fixtures/fake-issuers/terraform.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('{{rand:A-Za-z0-9:14}}.atlasv1.{{rand:A-Za-z0-9_-:67}}', seed);

describe('terraform', () => {
  let fake: FakeIssuer<TerraformToken>;
  beforeAll(async () => {
    fake = await startFake(terraformFake);
  });
  afterAll(() => fake.close());

  it('user token: identity, org permissions → scopes and levels, 2FA note', async () => {
    const t = tok(1);
    fake.add(t, {
      user: { id: 'user-1', username: 'infra', twoFactor: false },
      orgs: [
        { name: 'acme', permissions: { 'can-update': true, 'can-create-workspace': true, 'can-destroy': false } },
        { name: 'oss', permissions: { 'can-create-workspace': false } },
      ],
    });
    const { access } = await run('terraform', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('user-token');
    expect(access.identity).toMatchObject({ account: 'user-1', user: 'infra', org: 'acme' });
    expect(access.scopes).toEqual(['org:acme:can-update', 'org:acme:can-create-workspace']);
    expect(access.permissions).toEqual([{ resource: 'org:acme', access: 'admin' }]);
    expect(access.reach).toEqual([{ kind: 'organizations', count: 2, sample: ['acme', 'oss'] }]);
    expect(access.notes?.join(' ')).toMatch(/two-factor/);
  });

  it('organization token: 404 on account details, live through the org listing', async () => {
    const t = tok(2);
    fake.add(t, { orgs: [{ name: 'acme', permissions: { 'can-update': true } }] });
    const { access } = await run('terraform', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('organization-token');
    expect(access.permissions).toEqual([{ resource: 'org:acme', access: 'admin' }]);
  });

  it('team token: a service account', async () => {
    const t = tok(3);
    fake.add(t, { user: { id: 'user-t', username: 'api-team_abc', serviceAccount: true }, orgs: [] });
    const { access } = await run('terraform', fake, t);
    expect(access.tokenType).toBe('team-token');
    expect(access.identity?.type).toBe('service-account');
  });

  failureModes(
    'terraform',
    () => fake,
    tok,
    (f, t) => f.add(t, { user: { id: 'x', username: 'x' }, orgs: [] }),
  );
});
