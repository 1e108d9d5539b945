// The companion rules the live checks need, end to end: text → the real catalog and Detector → findings with their
// companions → the issuer module against its fake. Proves the rule ids and shapes are the ones the modules read
// (Azure SAS resource URL, Entra tenant + client id, Azure DevOps organization, Cloudflare account id and email,
// database URL host and user).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureData, azureFake } from '../../fixtures/fake-issuers/azure.js';
import { type AzureDevopsUser, azureDevopsFake } from '../../fixtures/fake-issuers/azure-devops.js';
import { type CloudflareToken, cloudflareFake } from '../../fixtures/fake-issuers/cloudflare.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { Detector } from '../../src/detect/engine.js';
import { groupMatches } from '../../src/detect/group.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import type { Finding } from '../../src/types.js';
import { configFor, opts } from './helpers.js';

const detector = Detector.create(loadRules());
const NOW = new Date('2026-06-01T00:00:00Z');
const guid = (seed: number) =>
  expandTemplate('{{rand:0-9a-f:8}}-{{rand:0-9a-f:4}}-{{rand:0-9a-f:4}}-{{rand:0-9a-f:4}}-{{rand:0-9a-f:12}}', seed);

function detect(text: string, file = 'config.env'): Finding[] {
  return groupMatches(detector.scan({ path: file, bytes: Buffer.from(text, 'utf8') }));
}

function only(findings: Finding[], ruleId: string): Finding {
  const f = findings.filter((x) => x.ruleId === ruleId);
  expect(f, findings.map((x) => x.ruleId).join(', ')).toHaveLength(1);
  return f[0];
}

describe('companion rules feed the issuer modules', () => {
  let azure: FakeIssuer<AzureData>;
  let devops: FakeIssuer<AzureDevopsUser>;
  let cf: FakeIssuer<CloudflareToken>;
  beforeAll(async () => {
    [azure, devops, cf] = await Promise.all([
      startFake(azureFake),
      startFake(azureDevopsFake),
      startFake(cloudflareFake),
    ]);
  });
  afterAll(async () => {
    await Promise.all([azure.close(), devops.close(), cf.close()]);
  });

  it('Azure SAS: the URL it sat in gives the container; the list goes to that container', async () => {
    const sig = expandTemplate('{{rand:A-Za-z0-9:43}}=', 1);
    const text = `BACKUP_URL=https://acmebackups.blob.core.windows.net/nightly/db.tar?sv=2022-11-02&sr=c&sp=rl&se=2027-01-01T00:00:00Z&sig=${encodeURIComponent(sig)}\n`;
    const f = only(detect(text), 'azure-sas-token');
    expect(f.companions).toEqual({
      'azure-storage-resource-url': 'https://acmebackups.blob.core.windows.net/nightly/db.tar',
    });
    azure.add(sig, { containers: ['db.tar'] });
    await lookupFindings([f], opts(configFor({ azure: azure.url }), { now: NOW }));
    expect(f.access).toMatchObject({ status: 'live', identity: { account: 'acmebackups' } });
    const [req] = azure.requestsFor(sig);
    expect(req.path).toBe('/nightly');
    expect(req.query.get('restype')).toBe('container');
  });

  it('Azure SAS: a blob SAS is a HEAD on its blob; without a resource URL nothing is sent', async () => {
    const sig = expandTemplate('{{rand:A-Za-z0-9:43}}=', 2);
    const text = `url = "https://acmedata.blob.core.windows.net/reports/q1.csv?sp=r&se=2027-01-01T00:00:00Z&sv=2022-11-02&sr=b&sig=${encodeURIComponent(sig)}"`;
    const f = only(detect(text), 'azure-sas-token');
    azure.add(sig, {});
    await lookupFindings([f], opts(configFor({ azure: azure.url }), { now: NOW }));
    expect(f.access?.status).toBe('live');
    expect(azure.requestsFor(sig).map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /reports/q1.csv']);

    const lone = expandTemplate('{{rand:A-Za-z0-9:43}}=', 3);
    const g = only(
      detect(`SAS=sp=r&se=2027-01-01T00:00:00Z&sv=2022-11-02&sr=b&sig=${encodeURIComponent(lone)}`),
      'azure-sas-token',
    );
    const summary = await lookupFindings([g], opts(configFor({}), { now: NOW }));
    expect(g.access?.status).toBe('unknown');
    expect(summary.requests).toBe(0);
  });

  it('Azure SAS without an override: the plan goes to the storage host it was found with, nowhere else', async () => {
    const sig = expandTemplate('{{rand:A-Za-z0-9:43}}=', 4);
    const f = only(
      detect(`https://acmelogs.blob.core.windows.net/raw?sv=2022-11-02&sr=c&sp=rl&se=2027-01-01T00:00:00Z&sig=${sig}`),
      'azure-sas-token',
    );
    const summary = await lookupFindings([f], opts(configFor({}), { now: NOW, plan: true }));
    expect(summary.plan?.[0]?.hosts).toEqual(['acmelogs.blob.core.windows.net']);
    expect(summary.plan?.[0]?.requests[0]).toMatch(/^GET https:\/\/acmelogs\.blob\.core\.windows\.net\/raw$/);
  });

  it('Entra client secret: tenant and client id found next to it; the grant uses both', async () => {
    const secret = expandTemplate('{{rand:A-Za-z0-9:3}}8Q~{{rand:A-Za-z0-9_~.-:34}}', 5);
    const tenant = guid(5);
    const client = guid(6);
    const text = `AZURE_TENANT_ID=${tenant}\nAZURE_CLIENT_ID=${client}\nAZURE_CLIENT_SECRET=${secret}\n`;
    const f = only(detect(text), 'azure-entra-client-secret');
    expect(f.companions).toEqual({ 'azure-tenant-id': tenant, 'azure-client-id': client });
    azure.add(secret, { clientId: client, roles: ['User.Read.All'] });
    await lookupFindings([f], opts(configFor({ azure: azure.url })));
    expect(f.access).toMatchObject({ status: 'live', identity: { type: 'service-principal', project: client } });
    const [req] = azure.requestsFor(secret);
    expect(req.path).toBe(`/${tenant}/oauth2/v2.0/token`);
  });

  it('Azure DevOps PAT: the organization URL next to it gives project reach', async () => {
    const t = expandTemplate('{{rand:A-Za-z0-9:76}}AZDO{{rand:A-Za-z0-9:4}}', 7);
    const f = only(detect(`AZDO_ORG=https://dev.azure.com/contoso/\nAZDO_PAT=${t}\n`), 'azure-devops-pat');
    expect(f.companions).toEqual({ 'azure-devops-organization': 'dev.azure.com/contoso' });
    devops.add(t, { id: 'u-9', displayName: 'CI', orgs: ['contoso'], projects: { contoso: ['Api'] } });
    await lookupFindings([f], opts(configFor({ 'azure-devops': devops.url })));
    expect(f.access).toMatchObject({ status: 'live', identity: { org: 'contoso' } });
    expect(f.access?.reach).toContainEqual({ kind: 'projects', count: 1, sample: ['Api'] });
  });

  it('Cloudflare: the account id sends an account token to its account verify; the email completes a Global key', async () => {
    const t = expandTemplate('cfat_{{rand:A-Za-z0-9:40}}{{rand:0-9a-f:8}}', 8);
    const account = expandTemplate('{{rand:0-9a-f:32}}', 8);
    const f = only(detect(`CLOUDFLARE_ACCOUNT_ID=${account}\nCLOUDFLARE_API_TOKEN=${t}\n`), 'cloudflare-account-token');
    expect(f.companions).toEqual({ 'cloudflare-account-id': account });
    cf.add(t, { id: 'tok-8' });
    await lookupFindings([f], opts(configFor({ cloudflare: cf.url })));
    expect(f.access).toMatchObject({ status: 'live', identity: { account } });
    expect(cf.requestsFor(t)[0].path).toBe(`/client/v4/accounts/${account}/tokens/verify`);

    const k = expandTemplate('{{rand:a-f0-9:37}}', 9);
    const g = only(
      detect(`CLOUDFLARE_EMAIL=owner@acme-corp.io\nCLOUDFLARE_API_KEY=${k}\n`),
      'cloudflare-global-api-key-legacy',
    );
    expect(g.companions).toEqual({ 'cloudflare-email': 'owner@acme-corp.io' });
    cf.add(k, { id: 'n/a', email: 'owner@acme-corp.io' });
    await lookupFindings([g], opts(configFor({ cloudflare: cf.url })));
    expect(g.access?.status).toBe('live');
  });

  it('database password: host, port, database and user come from the URL it sat in (offline)', async () => {
    const pw = expandTemplate('{{rand:A-Za-z0-9:20}}', 10);
    const pw2 = expandTemplate('{{rand:A-Za-z0-9:20}}', 11);
    const rds = expandTemplate('pg-1.c{{rand:a-z0-9:12}}.eu-west-1.rds.amazonaws.com', 10);
    // Two URLs on one line: each password keeps its own host and user.
    const text = `urls: postgres://billing:${pw}@${rds}:5432/ledger mysql://root:${pw2}@10.0.0.7:3306/app\n`;
    const found = detect(text);
    const pg = only(found, 'database-postgres-url');
    const my = only(found, 'database-mysql-url');
    await lookupFindings([pg, my], opts(configFor({}), { offline: true }));
    expect(pg.access?.identity).toEqual({
      type: 'postgres',
      account: `${rds}:5432`,
      user: 'billing',
      project: 'ledger',
    });
    expect(pg.access?.environment).toBe('production');
    expect(my.access?.identity).toMatchObject({ type: 'mysql', account: '10.0.0.7:3306', user: 'root' });
    expect(my.access?.notes?.join(' ')).toMatch(/superuser/);
    // The password is never in the Access; the host and user (identifiers) are readable.
    expect(JSON.stringify(pg.access)).not.toContain(pw);
  });
});
