import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GrafanaToken, grafanaFake } from '../../fixtures/fake-issuers/grafana.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { grafanaCloudPayload } from '../../src/issuers/grafana.js';
import { failureModes, run } from './b-helpers.js';

const sa = (seed: number) => expandTemplate('{{gen:grafana-sa}}', seed);
const cloud = (seed: number) => expandTemplate('{{gen:grafana-cloud}}', seed);
const stack = { 'grafana-url': 'https://acme.grafana.net' };

describe('grafana', () => {
  let fake: FakeIssuer<GrafanaToken>;
  beforeAll(async () => {
    fake = await startFake(grafanaFake);
  });
  afterAll(() => fake.close());

  it('service-account token: RBAC actions → levels, org name', async () => {
    const t = sa(1);
    fake.add(t, {
      actions: {
        'dashboards:read': ['dashboards:*'],
        'dashboards:write': ['dashboards:*'],
        'datasources:query': ['datasources:*'],
        'users:create': [],
      },
      org: 'Acme',
    });
    const { access } = await run('grafana', fake, t, { companions: stack });
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('service-account-token');
    expect(access.identity?.org).toBe('Acme');
    expect(access.permissions).toEqual([
      { resource: 'dashboards', access: 'write' },
      { resource: 'datasources', access: 'read' },
      { resource: 'users', access: 'admin' },
    ]);
  });

  it('old Grafana without RBAC: /api/org decides', async () => {
    const t = sa(2);
    fake.add(t, { org: 'Legacy' });
    const { access } = await run('grafana', fake, t, { companions: stack });
    expect(access.status).toBe('live');
    expect(access.identity?.org).toBe('Legacy');
    expect(access.notes?.join(' ')).toMatch(/RBAC permissions not available \(HTTP 404\)/);
  });

  it('stack host comes only from a *.grafana.net companion (plan only)', async () => {
    const t = sa(3);
    const ok = await run('grafana', fake, t, { noOverride: true, plan: true, companions: stack });
    expect(ok.summary.plan?.[0]?.hosts).toEqual(['acme.grafana.net']);
    const bad = await run('grafana', fake, t, {
      noOverride: true,
      companions: { 'grafana-url': 'https://grafana.attacker.example' },
    });
    expect(bad.access.status).toBe('unknown');
    expect(bad.summary.requests).toBe(0);
  });

  it('Cloud token: org, name and region offline; live at grafana.com; 403 still live', async () => {
    const t = cloud(4);
    const p = grafanaCloudPayload(t)!;
    const off = await run('grafana', fake, t, { offline: true });
    expect(off.access.identity).toMatchObject({ org: String(p.o), user: p.n });
    expect(off.access.notes?.join(' ')).toMatch(/region prod-us-east-0/);
    expect(off.access.permissions).toEqual([{ resource: 'stack-data', access: 'read' }]);

    fake.add(t, { cloudTokens: 3 });
    const live = await run('grafana', fake, t);
    expect(live.access.status).toBe('live');
    expect(live.access.reach).toEqual([{ kind: 'cloud-tokens', count: 3 }]);
    expect(fake.requestsFor(t)[0].query.get('region')).toBe('prod-us-east-0');

    const t2 = cloud(5);
    fake.add(t2, { cloudForbidden: true });
    expect((await run('grafana', fake, t2)).access.status).toBe('live');
    expect((await run('grafana', fake, cloud(6))).access.status).toBe('invalid');
  });

  failureModes(
    'grafana',
    () => fake,
    sa,
    (f, t) => f.add(t, { actions: { 'dashboards:read': [] } }),
    { companions: stack },
  );
});
