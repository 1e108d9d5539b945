import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudflareToken, cloudflareFake } from '../../fixtures/fake-issuers/cloudflare.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const userToken = (seed: number) => expandTemplate('cfut_{{rand:A-Za-z0-9:40}}{{rand:0-9a-f:8}}', seed);
const legacyToken = (seed: number) => expandTemplate('{{rand:A-Za-z0-9_-:40}}', seed);
const globalKey = (seed: number) => expandTemplate('{{rand:0-9a-f:37}}', seed);

describe('cloudflare', () => {
  let fake: FakeIssuer<CloudflareToken>;
  beforeAll(async () => {
    fake = await startFake(cloudflareFake);
  });
  afterAll(() => fake.close());

  it('token that can read its policies: permission groups → scopes and levels, expiry, zones and accounts reach', async () => {
    const t = userToken(1);
    fake.add(t, {
      id: 'tok-1',
      expires_on: '2030-01-01T00:00:00Z',
      groups: ['Zone Read', 'DNS Write', 'API Tokens Write'],
      zones: ['example.test', 'shop.example.test'],
      accounts: ['Acme'],
    });
    const { access } = await run('cloudflare', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('user-token');
    expect(access.scopes).toEqual(['Zone Read', 'DNS Write', 'API Tokens Write']);
    expect(access.permissions).toEqual([
      { resource: 'zone', access: 'read' },
      { resource: 'dns', access: 'write' },
      { resource: 'api tokens', access: 'admin' },
    ]);
    expect(access.expiresAt).toBe('2030-01-01T00:00:00.000Z');
    expect(access.reach).toEqual([
      { kind: 'zones', count: 2, sample: ['example.test', 'shop.example.test'] },
      { kind: 'accounts', count: 1, sample: ['Acme'] },
    ]);
    expect(access.createdAt).toBe('2024-01-15T10:00:00.000Z');
  });

  it('token without "API Tokens Read": still live, a note, reach from zones', async () => {
    const t = legacyToken(2);
    fake.add(t, { id: 'tok-2', zones: ['only.example.test'] });
    const { access } = await run('cloudflare', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('api-token');
    expect(access.expiresAt).toBeNull();
    expect(access.notes?.join(' ')).toMatch(/policies not readable \(HTTP 403\)/);
    expect(access.reach?.[0]).toEqual({ kind: 'zones', count: 1, sample: ['only.example.test'] });
  });

  it('disabled token → inactive, and no further requests', async () => {
    const t = userToken(3);
    fake.add(t, { id: 'tok-3', status: 'disabled' });
    const { access } = await run('cloudflare', fake, t);
    expect(access.status).toBe('inactive');
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('account token goes to the account verify endpoint when the account id is nearby', async () => {
    const t = expandTemplate('cfat_{{rand:A-Za-z0-9:40}}{{rand:0-9a-f:8}}', 4);
    const accountId = expandTemplate('{{rand:0-9a-f:32}}', 4);
    fake.add(t, { id: 'tok-4' });
    const { access } = await run('cloudflare', fake, t, { companions: { 'cloudflare-account-id': accountId } });
    expect(access.status).toBe('live');
    expect(fake.requestsFor(t)[0].path).toBe(`/client/v4/accounts/${accountId}/tokens/verify`);
  });

  it('Global API Key: needs the email; with it, admin on the account', async () => {
    const k = globalKey(5);
    fake.add(k, { id: 'n/a', email: 'owner@example.test' });
    const without = await run('cloudflare', fake, k);
    expect(without.access.status).toBe('unknown');
    expect(without.access.permissions).toEqual([{ resource: 'account', access: 'admin' }]);
    const withEmail = await run('cloudflare', fake, k, { companions: { 'cloudflare-email': 'owner@example.test' } });
    expect(withEmail.access.status).toBe('live');
    expect(withEmail.access.tokenType).toBe('global-api-key');
  });

  it('Access service token secret and Origin CA key are not sent', async () => {
    const secrets = [
      expandTemplate('cfast_{{rand:A-Za-z0-9:48}}', 7),
      expandTemplate('v1.0-{{rand:0-9a-f:24}}-{{rand:0-9a-f:146}}', 7),
    ];
    for (const s of secrets) {
      fake.add(s, { id: 'x' });
      const { access } = await run('cloudflare', fake, s);
      expect(access.status).toBe('unknown');
      expect(fake.requestsFor(s)).toHaveLength(0);
    }
  });

  failureModes(
    'cloudflare',
    () => fake,
    userToken,
    (f, t) => f.add(t, { id: 'x' }),
  );
});
