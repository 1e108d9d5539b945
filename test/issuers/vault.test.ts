import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type VaultToken, vaultFake } from '../../fixtures/fake-issuers/vault.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('hvs.{{rand:A-Za-z0-9_-:90}}', seed);

describe('vault', () => {
  let fake: FakeIssuer<VaultToken>;
  beforeAll(async () => {
    fake = await startFake(vaultFake);
  });
  afterAll(() => fake.close());

  it('service token: policies, expiry, capabilities on sensitive paths → permissions; the token id is not kept', async () => {
    const t = tok(1);
    fake.add(t, {
      policies: ['default', 'app-read'],
      display_name: 'token-ci',
      ttl: 3600,
      expire_time: '2030-06-01T12:00:00.000000Z',
      renewable: true,
      capabilities: {
        'secret/data/': ['read', 'list'],
        'auth/token/create': ['create', 'update'],
        'aws/creds/': ['read'],
      },
    });
    const { access } = await run('vault', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('service-token');
    expect(access.scopes).toEqual(['policy:default', 'policy:app-read']);
    expect(access.expiresAt).toBe('2030-06-01T12:00:00.000Z');
    expect(access.permissions).toEqual([
      { resource: 'auth/token/create', access: 'admin' },
      { resource: 'secret/data/', access: 'read' },
      { resource: 'aws/creds/', access: 'read' },
    ]);
    expect(access.notes?.join(' ')).toMatch(/renewable/);
    expect(JSON.stringify(access)).not.toContain(t);
    const [lookup, capabilities] = fake.requestsFor(t);
    expect(capabilities.method).toBe('POST');
    expect(JSON.parse(capabilities.body).paths).toContain('sys/policies/acl');
    expect(lookup.headers['x-vault-namespace']).toBeUndefined();
  });

  it('root token: admin on everything, never expires, no capability probe', async () => {
    const t = tok(2);
    fake.add(t, { policies: ['root'], display_name: 'root', ttl: 0, expire_time: null });
    const { access } = await run('vault', fake, t);
    expect(access.permissions).toEqual([{ resource: '*', access: 'admin' }]);
    expect(access.expiresAt).toBeNull();
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('no Vault address nearby and no override: nothing sent, unknown with a note', async () => {
    const t = tok(3);
    const { access, summary } = await run('vault', fake, t, { noOverride: true });
    expect(access.status).toBe('unknown');
    expect(access.notes?.join(' ')).toMatch(/VAULT_ADDR/);
    expect(summary.requests).toBe(0);
  });

  it('a self-hosted VAULT_ADDR is not on the allowlist: nothing sent', async () => {
    const t = tok(4);
    const { access, summary } = await run('vault', fake, t, {
      noOverride: true,
      companions: { 'vault-addr': 'https://vault.attacker.example:8200' },
    });
    expect(access.status).toBe('unknown');
    expect(access.notes?.join(' ')).toMatch(/not on the allowlist/);
    expect(summary.requests).toBe(0);
  });

  it('an HCP address is used (plan only) with the admin namespace', async () => {
    const t = tok(5);
    const { summary } = await run('vault', fake, t, {
      noOverride: true,
      plan: true,
      companions: { 'vault-addr': 'https://prod.vault.1234abcd.aws.hashicorp.cloud:8200' },
    });
    expect(summary.plan?.[0]?.hosts).toEqual(['prod.vault.1234abcd.aws.hashicorp.cloud:8200']);
    expect(summary.requests).toBe(0);
  });

  it('an unseal key share is never sent', async () => {
    const k = expandTemplate('{{rand:A-Za-z0-9+/:44}}', 6);
    const { access, summary } = await run('vault', fake, k, { tokenType: 'unseal-key' });
    expect(access.tokenType).toBe('unseal-key');
    expect(access.status).toBe('unknown');
    expect(summary.requests).toBe(0);
  });

  failureModes(
    'vault',
    () => fake,
    tok,
    (f, t) => f.add(t, { policies: ['default'], display_name: 'x', ttl: 60, expire_time: null }),
  );
});
