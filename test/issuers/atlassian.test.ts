import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AtlassianAccount, atlassianFake } from '../../fixtures/fake-issuers/atlassian.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const apiToken = (seed: number) => expandTemplate('ATATT3xFfGF0{{rand:A-Za-z0-9_=-:174}}={{rand:A-F0-9:8}}', seed);
const adminKey = (seed: number) => expandTemplate('ATCTT3xFfGN0{{rand:A-Za-z0-9_=-:150}}={{rand:A-F0-9:8}}', seed);
const dcPat = (seed: number) => expandTemplate('N{{rand:A-Za-z0-9+/:15}}Oh{{rand:A-Za-z0-9+/:26}}', seed);
const nearby = { 'atlassian-email': 'jira.user@example.test', 'atlassian-site': 'https://acme.atlassian.net' };

describe('atlassian', () => {
  let fake: FakeIssuer<AtlassianAccount>;
  beforeAll(async () => {
    fake = await startFake(atlassianFake);
  });
  afterAll(() => fake.close());

  it('API token + email + site: account identity, global permissions → levels', async () => {
    const t = apiToken(1);
    fake.add(t, {
      email: 'jira.user@example.test',
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Jira User',
      permissions: ['ADMINISTER', 'BROWSE_PROJECTS', 'CREATE_ISSUES'],
    });
    const { access } = await run('atlassian', fake, t, { companions: nearby });
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: '5b10ac8d82e05b22cc7d4ef5', user: 'Jira User' });
    // The email companion names the account: readable, while the token itself is scrubbed.
    expect(access.identity?.email).toBe('jira.user@example.test');
    expect(JSON.stringify(access)).not.toContain(t);
    expect(access.scopes).toEqual(['ADMINISTER', 'BROWSE_PROJECTS', 'CREATE_ISSUES']);
    expect(access.permissions).toEqual([
      { resource: 'jira', access: 'admin' },
      { resource: 'projects', access: 'read' },
      { resource: 'issues', access: 'write' },
    ]);
  });

  it('deactivated account → inactive', async () => {
    const t = apiToken(2);
    fake.add(t, { email: 'jira.user@example.test', accountId: 'x', displayName: 'Gone', active: false });
    const { access } = await run('atlassian', fake, t, { companions: nearby });
    expect(access.status).toBe('inactive');
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  it('without an email: unknown, nothing sent', async () => {
    const t = apiToken(3);
    const { access } = await run('atlassian', fake, t, { companions: { 'atlassian-site': 'acme.atlassian.net' } });
    expect(access.status).toBe('unknown');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  it('a site that is not *.atlassian.net is never contacted', async () => {
    const t = apiToken(4);
    const { access, summary } = await run('atlassian', fake, t, {
      noOverride: true,
      companions: { 'atlassian-email': 'a@example.test', 'atlassian-site': 'https://jira.attacker.example' },
    });
    expect(access.status).toBe('unknown');
    expect(access.notes?.join(' ')).toMatch(/not on the allowlist/);
    expect(summary.requests).toBe(0);
  });

  it('org admin API key: admin on the organization, orgs as reach', async () => {
    const k = adminKey(5);
    fake.add(k, { displayName: 'n/a', orgs: ['Acme Corp'] });
    const { access } = await run('atlassian', fake, k);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('admin-api-key');
    expect(access.permissions).toEqual([{ resource: 'organization', access: 'admin' }]);
    expect(access.reach).toEqual([{ kind: 'organizations', count: 1, sample: ['Acme Corp'] }]);
  });

  it('Data Center PAT against the configured server', async () => {
    const t = dcPat(6);
    fake.add(t, { displayName: 'DC User' });
    const { access } = await run('atlassian', fake, t);
    expect(access.tokenType).toBe('dc-pat');
    expect(access.status).toBe('live');
    expect(access.identity).toMatchObject({ account: 'JIRAUSER1', user: 'DC User' });
  });

  failureModes(
    'atlassian',
    () => fake,
    apiToken,
    (f, t) => f.add(t, { email: 'jira.user@example.test', accountId: 'x', displayName: 'x' }),
    { companions: nearby },
  );
});
