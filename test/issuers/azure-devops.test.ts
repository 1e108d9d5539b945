import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureDevopsUser, azureDevopsFake } from '../../fixtures/fake-issuers/azure-devops.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const pat = (seed: number) => expandTemplate('{{rand:A-Za-z0-9:76}}AZDO{{rand:A-Za-z0-9:4}}', seed);
// As the azure-devops-organization rule captures it from `https://dev.azure.com/acme/…`.
const org = { 'azure-devops-organization': 'dev.azure.com/acme' };

describe('azure-devops', () => {
  let fake: FakeIssuer<AzureDevopsUser>;
  beforeAll(async () => {
    fake = await startFake(azureDevopsFake);
  });
  afterAll(() => fake.close());

  it('PAT: profile, organizations, and the known org’s projects', async () => {
    const t = pat(1);
    fake.add(t, {
      id: 'u-1',
      displayName: 'Dev One',
      orgs: ['acme', 'acme-labs'],
      projects: { acme: ['Payments', 'Web'] },
    });
    const { access } = await run('azure-devops', fake, t, { companions: org });
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('pat');
    expect(access.identity).toMatchObject({ account: 'u-1', user: 'Dev One', org: 'acme' });
    expect(access.reach).toEqual([
      { kind: 'organizations', count: 2, sample: ['acme', 'acme-labs'] },
      { kind: 'projects', count: 2, sample: ['Payments', 'Web'] },
    ]);
    expect(access.permissions).toEqual([{ resource: 'org:acme:projects', access: 'read' }]);
  });

  it('PAT without the profile scope: live through the organization’s projects', async () => {
    const t = pat(2);
    fake.add(t, { id: 'u-2', displayName: 'Scoped', orgs: [], projects: { acme: ['Web'] }, noProfileScope: true });
    const { access } = await run('azure-devops', fake, t, { companions: org });
    expect(access.status).toBe('live');
    expect(access.notes?.join(' ')).toMatch(/profile not readable \(HTTP 401\)/);
  });

  it('unknown PAT with a known org: refused twice → invalid', async () => {
    const { access } = await run('azure-devops', fake, pat(3), { companions: org });
    expect(access.status).toBe('invalid');
  });

  failureModes(
    'azure-devops',
    () => fake,
    pat,
    (f, t) => f.add(t, { id: 'x', displayName: 'x', orgs: [] }),
  );
});
