import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AirtableAccount, airtableFake } from '../../fixtures/fake-issuers/airtable.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const pat = (seed: number) => expandTemplate('pat{{rand:A-Za-z0-9:14}}.{{rand:0-9a-f:64}}', seed);

describe('airtable', () => {
  let fake: FakeIssuer<AirtableAccount>;
  beforeAll(async () => {
    fake = await startFake(airtableFake);
  });
  afterAll(() => fake.close());

  it('PAT with schema scope: live, scopes → permissions, bases as reach with per-base levels', async () => {
    const t = pat(1);
    fake.add(t, {
      id: 'usrAAAAAAAAAAAAAA',
      email: 'dev@example.test',
      scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'],
      bases: [
        { id: 'app1', name: 'CRM', permissionLevel: 'create' },
        { id: 'app2', name: 'Inventory', permissionLevel: 'read' },
      ],
    });
    const { access } = await run('airtable', fake, t);
    expect(access.status).toBe('live');
    expect(access.source).toBe('issuer');
    expect(access.tokenType).toBe('personal-access-token');
    expect(access.identity).toMatchObject({ user: 'usrAAAAAAAAAAAAAA', email: 'dev@example.test' });
    expect(access.scopes).toEqual(['data.records:read', 'data.records:write', 'schema.bases:read']);
    expect(access.permissions).toContainEqual({ resource: 'records', access: 'write' });
    expect(access.permissions).toContainEqual({ resource: 'base:CRM', access: 'admin' });
    expect(access.permissions).toContainEqual({ resource: 'base:Inventory', access: 'read' });
    expect(access.reach).toEqual([{ kind: 'bases', count: 2, sample: ['CRM', 'Inventory'] }]);
    expect(access.expiresAt).toBeNull();
    expect(fake.requestsFor(t).map((r) => r.path)).toEqual(['/v0/meta/whoami', '/v0/meta/bases']);
  });

  it('PAT without schema.bases:read: one request, a note instead of bases', async () => {
    const t = pat(2);
    fake.add(t, { id: 'usrBBBBBBBBBBBBBB', scopes: ['data.records:read'] });
    const { access } = await run('airtable', fake, t);
    expect(access.status).toBe('live');
    expect(access.permissions).toEqual([{ resource: 'records', access: 'read' }]);
    expect(access.reach).toBeUndefined();
    expect(access.notes?.join(' ')).toMatch(/schema\.bases:read/);
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('offline: decode only, no request', async () => {
    const t = pat(3);
    fake.add(t, { id: 'usrC', scopes: [] });
    const { access, summary } = await run('airtable', fake, t, { offline: true });
    expect(access.status).toBe('skipped');
    expect(access.tokenType).toBe('personal-access-token');
    expect(summary.requests).toBe(0);
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  failureModes(
    'airtable',
    () => fake,
    pat,
    (f, t) => f.add(t, { id: 'usrX', scopes: [] }),
  );
});
