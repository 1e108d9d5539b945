import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabricksUser, databricksFake } from '../../fixtures/fake-issuers/databricks.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('dapi{{rand:0-9a-f:32}}-2', seed);
const ws = { 'databricks-host': 'adb-1234567890123456.7.azuredatabricks.net' };

describe('databricks', () => {
  let fake: FakeIssuer<DatabricksUser>;
  beforeAll(async () => {
    fake = await startFake(databricksFake);
  });
  afterAll(() => fake.close());

  it('admin user: groups and entitlements → levels, clusters reach', async () => {
    const t = tok(1);
    fake.add(t, {
      id: '42',
      userName: 'eng@example.test',
      groups: ['admins', 'users'],
      entitlements: ['allow-cluster-create'],
      clusters: ['etl', 'adhoc'],
    });
    const { access } = await run('databricks', fake, t, { companions: ws });
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: '42', user: 'eng@example.test' });
    expect(access.scopes).toEqual(['group:admins', 'group:users', 'allow-cluster-create']);
    expect(access.permissions).toEqual([
      { resource: 'workspace', access: 'admin' },
      { resource: 'clusters', access: 'write' },
    ]);
    expect(access.reach).toEqual([{ kind: 'clusters', count: 2, sample: ['etl', 'adhoc'] }]);
  });

  it('no clusters: reach count 0; deactivated user: inactive', async () => {
    const t = tok(2);
    fake.add(t, { id: '43', userName: 'a@example.test', groups: ['users'] });
    const { access } = await run('databricks', fake, t, { companions: ws });
    expect(access.reach?.[0]).toMatchObject({ kind: 'clusters', count: 0 });
    const t2 = tok(3);
    fake.add(t2, { id: '44', userName: 'b@example.test', groups: [], active: false });
    expect((await run('databricks', fake, t2, { companions: ws })).access.status).toBe('inactive');
  });

  it('workspace host only from a Databricks domain', async () => {
    const t = tok(4);
    const plan = await run('databricks', fake, t, { noOverride: true, plan: true, companions: ws });
    expect(plan.summary.plan?.[0]?.hosts).toEqual(['adb-1234567890123456.7.azuredatabricks.net']);
    const none = await run('databricks', fake, t, { noOverride: true });
    expect(none.access.status).toBe('unknown');
    expect(none.access.notes?.join(' ')).toMatch(/workspace host/);
    expect(none.summary.requests).toBe(0);
  });

  failureModes(
    'databricks',
    () => fake,
    tok,
    (f, t) => f.add(t, { id: '1', userName: 'x', groups: [] }),
    { companions: ws },
  );
});
