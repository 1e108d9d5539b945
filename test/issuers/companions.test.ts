// Companion scrubbing: secrets paired with a key (AWS secret access key, session tokens, API keys, cookies) are scrubbed
// from the Access and the report; companions that name things (usernames, emails, hosts, SIDs, key ids) stay readable,
// so an identity equal to one is not shown redacted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsPrincipal, awsFake } from '../../fixtures/fake-issuers/aws.js';
import { type DockerhubAccount, dockerhubFake } from '../../fixtures/fake-issuers/dockerhub.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { companionIsSecret, identifierTokenType, secretCompanionValues } from '../../src/issuers/companions.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { renderReport } from '../../src/report/index.js';
import type { Report } from '../../src/types.js';
import { configFor, finding, opts } from './helpers.js';

describe('companion classification', () => {
  it('follows the catalog tokenType of every companion rule', () => {
    const rules = loadRules();
    const byId = new Map(rules.map((r) => [r.id, r]));
    const used = [...new Set(rules.flatMap((r) => r.companions))].filter((id) => byId.has(id));
    const secret = used.filter((id) => !identifierTokenType(byId.get(id)!.tokenType)).sort();
    // These unlock something: they must be scrubbed wherever they would appear.
    for (const id of [
      'aws-secret-access-key',
      'aws-secret-near-key-id',
      'aws-session-token',
      'alibaba-access-key-secret',
      'datadog-api-key',
      'slack-session-cookie',
    ])
      expect(secret).toContain(id);
    // These name things: they stay readable.
    for (const id of [
      'dockerhub-username',
      'bitbucket-username',
      'atlassian-email',
      'atlassian-site',
      'okta-org-url',
      'shopify-shop-domain',
      'twilio-account-sid',
      'twilio-api-key-sid',
      'datadog-site',
      'github-oauth-client-id',
    ])
      expect(secret).not.toContain(id);
  });

  it('a value carrying a password or a query string is a secret whatever its rule says', () => {
    expect(companionIsSecret('dockerhub-username', 'acmebuild')).toBe(false);
    expect(companionIsSecret('okta-org-url', 'https://u:pw1234@acme.okta.com')).toBe(true); // keyscope:allow fake credential
    expect(companionIsSecret('atlassian-site', 'https://acme.atlassian.net/?token=abcdef')).toBe(true);
  });

  it('unknown rule ids fall back to the shape: hosts and emails readable, anything else a secret', () => {
    expect(companionIsSecret('custom-host', 'api.example.test')).toBe(false);
    expect(companionIsSecret('custom-mail', 'ops@example.test')).toBe(false);
    expect(companionIsSecret('custom-pair', expandTemplate('{{rand:A-Za-z0-9:32}}', 1))).toBe(true);
    expect(
      secretCompanionValues({ 'aws-secret-access-key': 'k'.repeat(40), 'dockerhub-username': 'acmebuild' }),
    ).toEqual(['k'.repeat(40)]);
  });
});

describe('companion scrubbing in lookups and reports', () => {
  let docker: FakeIssuer<DockerhubAccount>;
  let awsFakeServer: FakeIssuer<AwsPrincipal>;
  beforeAll(async () => {
    docker = await startFake(dockerhubFake);
    awsFakeServer = await startFake(awsFake);
  });
  afterAll(async () => {
    await docker.close();
    await awsFakeServer.close();
  });

  it('Docker Hub: the identity equal to the username companion is readable in the Access and the JSON report', async () => {
    const t = expandTemplate('dckr_pat_{{rand:A-Za-z0-9_-:27}}', 77);
    docker.add(t, { username: 'buildbot7', scope: 'repo:read' });
    const f = finding('dockerhub', t, { ruleId: 'dockerhub-pat', companions: { 'dockerhub-username': 'buildbot7' } });
    await lookupFindings([f], opts(configFor({ dockerhub: docker.url })));
    expect(f.access?.status).toBe('live');
    expect(f.access?.identity).toMatchObject({ user: 'buildbot7', email: 'buildbot7@example.test' });
    const report: Report = {
      tool: 'keyscope',
      version: 't',
      target: { kind: 'files', paths: ['.'] },
      stats: { filesScanned: 1, blobsScanned: 1, bytesScanned: 1, skipped: [], lookups: 1, durationMs: 1 },
      findings: [f],
    };
    const json = JSON.parse(renderReport(report, 'json', { showSecrets: false, color: false }));
    expect(json.findings[0].access.identity.user).toBe('buildbot7');
    expect(JSON.stringify(json)).not.toContain(t);
  });

  it('AWS: the secret access key companion never reaches the Access or the report, the key id does', async () => {
    const keyId = `AKIA${expandTemplate('{{rand:A-Z2-7:16}}', 5)}`;
    const secret = expandTemplate('{{rand:A-Za-z0-9:40}}', 5);
    // A hostile issuer answer that echoes the secret back in the ARN.
    awsFakeServer.add(keyId, {
      account: '111122223333',
      arn: `arn:aws:iam::111122223333:user/${secret}`,
      denyIam: true,
    });
    const f = finding('aws', keyId, { ruleId: 'aws-access-key-id', companions: { 'aws-secret-access-key': secret } });
    await lookupFindings([f], opts(configFor({ aws: awsFakeServer.url })));
    expect(f.access?.status).toBe('live');
    expect(JSON.stringify(f.access)).not.toContain(secret);
    const report: Report = {
      tool: 'keyscope',
      version: 't',
      target: { kind: 'files', paths: ['.'] },
      stats: { filesScanned: 1, blobsScanned: 1, bytesScanned: 1, skipped: [], lookups: 1, durationMs: 1 },
      findings: [f],
    };
    for (const format of ['json', 'text', 'markdown'] as const)
      expect(renderReport(report, format, { showSecrets: false, color: false })).not.toContain(secret);
  });
});
