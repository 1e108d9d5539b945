import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type SupabaseAccount, supabaseFake } from '../../fixtures/fake-issuers/supabase.js';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { decodeJwt } from '../../src/issuers/jwt.js';
import { failureModes, run } from './b-helpers.js';

const pat = (seed: number) => expandTemplate('sbp_{{rand:a-z0-9:40}}', seed);
const serviceKey = (seed: number) => expandTemplate('{{gen:jwt:supabase-service}}', seed);
const anonKey = (seed: number) => expandTemplate('{{gen:jwt:supabase-anon}}', seed);

describe('supabase', () => {
  let fake: FakeIssuer<SupabaseAccount>;
  beforeAll(async () => {
    fake = await startFake(supabaseFake);
  });
  afterAll(() => fake.close());

  it('offline: service_role JWT → role, project ref, expiry, admin on the database', async () => {
    const k = serviceKey(1);
    const ref = decodeJwt(k)!.claims.ref;
    const { access, summary } = await run('supabase', fake, k, { offline: true });
    expect(access.tokenType).toBe('service-role-key');
    expect(access.identity).toMatchObject({ project: ref, type: 'service_role' });
    expect(access.expiresAt).toBe(new Date(Number(decodeJwt(k)!.claims.exp) * 1000).toISOString());
    expect(access.permissions).toEqual([{ resource: 'database', access: 'admin' }]);
    expect(summary.requests).toBe(0);
  });

  it('service_role key: live at its project REST root, tables as reach; the project host comes from the ref', async () => {
    const k = serviceKey(2);
    fake.add(k, { tables: ['users', 'orders'] });
    const { access } = await run('supabase', fake, k);
    expect(access.status).toBe('live');
    expect(access.reach).toEqual([{ kind: 'tables', count: 2, sample: ['users', 'orders'] }]);
    const [req] = fake.requestsFor(k);
    expect(req.headers.authorization).toBe(`Bearer ${k}`);
    const ref = String(decodeJwt(k)!.claims.ref);
    const plan = await run('supabase', fake, k, { noOverride: true, plan: true });
    expect(plan.summary.plan?.[0]?.hosts).toEqual([`${ref}.supabase.co`]);
  });

  it('anon key: read, with the public-by-design note', async () => {
    const k = anonKey(3);
    fake.add(k, { tables: [] });
    const { access } = await run('supabase', fake, k);
    expect(access.status).toBe('live');
    expect(access.permissions).toEqual([{ resource: 'database', access: 'read' }]);
    expect(access.notes?.join(' ')).toMatch(/public by design/);
  });

  it('management PAT: projects and organizations', async () => {
    const t = pat(4);
    fake.add(t, { projects: [{ id: 'abcdefghijklmnopqrst', name: 'prod' }], orgs: ['Acme'] });
    const { access } = await run('supabase', fake, t);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('management-token');
    expect(access.identity?.org).toBe('Acme');
    expect(access.reach).toEqual([
      { kind: 'projects', count: 1, sample: ['prod'] },
      { kind: 'organizations', count: 1, sample: ['Acme'] },
    ]);
  });

  it('sb_secret_ key without a project URL: unknown, nothing sent', async () => {
    const k = expandTemplate('sb_secret_{{rand:A-Za-z0-9_-:40}}', 5);
    const { access, summary } = await run('supabase', fake, k, { noOverride: true });
    expect(access.status).toBe('unknown');
    expect(access.tokenType).toBe('secret-key');
    expect(summary.requests).toBe(0);
  });

  failureModes(
    'supabase',
    () => fake,
    pat,
    (f, t) => f.add(t, { projects: [] }),
  );
});
