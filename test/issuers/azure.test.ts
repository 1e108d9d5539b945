import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureData, azureFake, registerStorageAccount } from '../../fixtures/fake-issuers/azure.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { parseSas, sasFacts } from '../../src/issuers/azure.js';
import { failureModes, run } from './b-helpers.js';

const storageKey = (seed: number) => expandTemplate('{{gen:b64:64}}', seed);
const sig = (seed: number) => expandTemplate('{{rand:A-Za-z0-9:43}}=', seed);
const NOW = new Date('2026-06-01T00:00:00Z');

/** A storage key whose account the fake knows, and the companion the rule would attach. */
function account(fake: FakeIssuer<AzureData>, seed: number, containers: string[] = []) {
  const key = storageKey(seed);
  const name = expandTemplate('acct{{rand:a-z0-9:8}}', seed);
  registerStorageAccount(name, key);
  fake.add(key, { account: name, containers });
  return { key, companions: { 'azure-storage-account-name': name } };
}

describe('azure', () => {
  let fake: FakeIssuer<AzureData>;
  beforeAll(async () => {
    fake = await startFake(azureFake);
  });
  afterAll(() => fake.close());

  describe('SAS, offline', () => {
    it('account SAS: permissions, services, resource types, expiry, IP and protocol', () => {
      const p = parseSas(
        `sv=2022-11-02&ss=bf&srt=sco&sp=rwdlac&se=2027-01-01T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sip=10.0.0.1-10.0.0.9&sig=${encodeURIComponent(sig(1))}`,
      )!;
      const f = sasFacts(p, NOW);
      expect(f.kind).toBe('account-sas');
      expect(f.permissions).toEqual(['read', 'write', 'delete', 'list', 'add', 'create']);
      expect(f.access.permissions).toEqual([
        { resource: 'blob', access: 'admin' },
        { resource: 'file', access: 'admin' },
      ]);
      expect(f.access.expiresAt).toBe('2027-01-01T00:00:00.000Z');
      expect(f.access.status).toBeUndefined();
      expect(f.access.notes?.join(' | ')).toMatch(/restricted to IP 10\.0\.0\.1-10\.0\.0\.9.*protocol https/);
    });

    it('read-only blob SAS from a URL with &amp; escapes; expired → inactive and never sent', async () => {
      const s = `sp=r&amp;st=2024-01-01T00:00:00Z&amp;se=2025-01-01T00:00:00Z&amp;spr=https&amp;sv=2022-11-02&amp;sr=b&amp;sig=${encodeURIComponent(sig(2))}`;
      const { access, summary } = await run('azure', fake, s, { tokenType: 'sas-token', now: NOW });
      expect(access.tokenType).toBe('service-sas');
      expect(access.permissions).toEqual([{ resource: 'blob', access: 'read' }]);
      expect(access.status).toBe('inactive');
      expect(access.expiresAt).toBe('2025-01-01T00:00:00.000Z');
      expect(summary.requests).toBe(0);
    });

    it('user delegation SAS and stored policy are named', () => {
      const ud = sasFacts(
        parseSas(`sv=2022-11-02&sr=c&sp=rl&se=2026-06-05T00:00:00Z&skoid=oid-1&sktid=tid-1&sig=${sig(3)}`)!,
        NOW,
      );
      expect(ud.kind).toBe('user-delegation-sas');
      expect(ud.access.notes?.join(' ')).toMatch(/revoke the user delegation keys/);
      const sp = sasFacts(parseSas(`sv=2022-11-02&sr=c&si=readers&sig=${sig(4)}`)!, NOW);
      expect(sp.access.notes?.join(' ')).toMatch(/stored access policy "readers"/);
      expect(sp.access.expiresAt).toBeUndefined();
    });
  });

  it('storage key + account name: SharedKey-signed container list → live, admin, containers reach', async () => {
    const a = account(fake, 10, ['backups', 'uploads']);
    const { access } = await run('azure', fake, a.key, { tokenType: 'storage-account-key', companions: a.companions });
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('storage-account-key');
    expect(access.permissions).toEqual([{ resource: 'storage-account', access: 'admin' }]);
    expect(access.expiresAt).toBeNull();
    expect(access.reach).toEqual([{ kind: 'containers', count: 2, sample: ['backups', 'uploads'] }]);
    const [req] = fake.requestsFor(a.key);
    expect(req.headers.authorization).toMatch(/^SharedKey acct[a-z0-9]{8}:/);
    expect(JSON.stringify(req.headers)).not.toContain(a.key);
  });

  it('a connection string carries its own account name', async () => {
    const a = account(fake, 11, ['logs']);
    const conn = `DefaultEndpointsProtocol=https;AccountName=${a.companions['azure-storage-account-name']};AccountKey=${a.key};EndpointSuffix=core.windows.net`;
    const { access } = await run('azure', fake, conn);
    expect(access.status).toBe('live');
    expect(access.reach?.[0]).toMatchObject({ kind: 'containers', count: 1 });
  });

  it('a storage key with the wrong account: AuthenticationFailed → invalid', async () => {
    const a = account(fake, 12);
    const other = account(fake, 13);
    const { access } = await run('azure', fake, a.key, {
      tokenType: 'storage-account-key',
      companions: other.companions,
    });
    expect(access.status).toBe('invalid');
  });

  it('a storage key without its account name is not sent', async () => {
    const k = storageKey(14);
    const { access, summary } = await run('azure', fake, k, { tokenType: 'storage-account-key' });
    expect(access.status).toBe('unknown');
    expect(summary.requests).toBe(0);
  });

  it('without an override the host is <account>.blob.core.windows.net (plan only)', async () => {
    const a = account(fake, 15);
    const { summary } = await run('azure', fake, a.key, {
      tokenType: 'storage-account-key',
      companions: a.companions,
      noOverride: true,
      plan: true,
    });
    expect(summary.plan?.[0]?.hosts).toEqual([`${a.companions['azure-storage-account-name']}.blob.core.windows.net`]);
  });

  it('SAS against its resource URL: list permitted → live; signature outside its window → inactive', async () => {
    const s1 = sig(20);
    fake.add(s1, { containers: ['c1'] });
    const sas = `sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2027-01-01T00:00:00Z&sig=${encodeURIComponent(s1)}`;
    const ok = await run('azure', fake, sas, { tokenType: 'sas-token', now: NOW });
    expect(ok.access.status).toBe('live');
    expect(ok.access.permissions).toEqual([{ resource: 'blob', access: 'read' }]);
    const [req] = fake.requestsFor(s1);
    expect(req.query.get('comp')).toBe('list');

    const s2 = sig(21);
    fake.add(s2, { sasError: 'AuthenticationFailed' });
    const late = await run(
      'azure',
      fake,
      `sv=2022-11-02&sr=c&sp=rl&se=2027-01-01T00:00:00Z&sig=${encodeURIComponent(s2)}`,
      {
        tokenType: 'sas-token',
        now: NOW,
      },
    );
    expect(late.access.status).toBe('inactive');
    expect(fake.requestsFor(s2)[0].query.get('restype')).toBe('container');

    // A blob SAS is checked with HEAD (properties only, never the content); a refused signature there is invalid.
    const s3 = sig(22);
    fake.add(s3, { sasError: 'AuthenticationFailed' });
    const blob = await run(
      'azure',
      fake,
      `sv=2022-11-02&sr=b&sp=r&se=2027-01-01T00:00:00Z&sig=${encodeURIComponent(s3)}`,
      {
        tokenType: 'sas-token',
        now: NOW,
      },
    );
    expect(fake.requestsFor(s3)[0].method).toBe('HEAD');
    expect(blob.access.status).toBe('invalid');
  });

  it('Entra client secret + tenant + client id: token grant → roles → levels; expired secret → inactive', async () => {
    const secret = expandTemplate('{{rand:A-Za-z0-9:3}}8Q~{{rand:A-Za-z0-9_~.-:34}}', 30);
    const clientId = '11111111-2222-3333-4444-555555555555';
    const tenant = { 'azure-tenant-id': '99999999-8888-7777-6666-555555555555', 'azure-client-id': clientId };
    fake.add(secret, { clientId, roles: ['User.Read.All', 'Directory.ReadWrite.All', 'Mail.Send'] });
    const { access } = await run('azure', fake, secret, { tokenType: 'client-secret', companions: tenant });
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: 'tenant-guid', user: 'ci-deployer', type: 'service-principal' });
    expect(access.permissions).toEqual([
      { resource: 'user', access: 'read' },
      { resource: 'directory', access: 'admin' },
      { resource: 'mail', access: 'write' },
    ]);
    const [req] = fake.requestsFor(secret);
    expect(req.method).toBe('POST');
    expect(JSON.stringify(access)).not.toContain('eyJ');

    const old = expandTemplate('{{rand:A-Za-z0-9:3}}8Q~{{rand:A-Za-z0-9_~.-:34}}', 31);
    fake.add(old, { clientId, expired: true });
    expect((await run('azure', fake, old, { tokenType: 'client-secret', companions: tenant })).access.status).toBe(
      'inactive',
    );
    const none = await run('azure', fake, old, { tokenType: 'client-secret' });
    expect(none.access.status).toBe('unknown');
  });

  it('disabled storage account → inactive', async () => {
    const a = account(fake, 16);
    fake.add(a.key, { account: a.companions['azure-storage-account-name'], disabled: true });
    const { access } = await run('azure', fake, a.key, { tokenType: 'storage-account-key', companions: a.companions });
    expect(access.status).toBe('inactive');
  });

  // Failure modes through the SharedKey flow: every registered key belongs to the one account the companion names.
  failureModes(
    'azure',
    () => fake,
    storageKey,
    (f, t) => {
      registerStorageAccount('fmacct', t);
      f.add(t, { account: 'fmacct', containers: [] });
    },
    { tokenType: 'storage-account-key', companions: { 'azure-storage-account-name': 'fmacct' } },
  );
});
