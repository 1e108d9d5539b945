import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksumNames } from '../../src/detect/checksums/index.js';
import { samplePath } from '../../src/detect/rules/selftest.js';
import { expandTemplate, hasTemplate } from '../../src/detect/samples.js';
import { catalogPart, hits, SEEDS } from '../support/catalog.js';

// Catalog part A: the issuers of ISSUERS.md and the generic families. Every example must give exactly one finding
// of its rule (over several generator seeds), every counterexample none, and the rule files themselves none.
const PART_A = [
  'aws',
  'google',
  'gcp',
  'github',
  'openai',
  'slack',
  'stripe',
  'telegram',
  'discord',
  'sendgrid',
  'twilio',
  'azure',
  'gitlab',
  'anthropic',
  'huggingface',
  'mailgun',
  'mailchimp',
  'npm',
  'pypi',
  'heroku',
  'digitalocean',
  'shopify',
  'datadog',
  'atlassian',
  'bitbucket',
  'cloudflare',
  'azuredevops',
  'vault',
  'terraform',
  'doppler',
  'postman',
  'notion',
  'airtable',
  'square',
  'linear',
  'dockerhub',
  'sentry',
  'grafana',
  'vercel',
  'netlify',
  'supabase',
  'circleci',
  'pagerduty',
  'databricks',
  'okta',
  'buildkite',
  'jfrog',
  'groq',
  'xai',
  'replicate',
  'deepseek',
  'langsmith',
  'perplexity',
  'private-key',
  'jwt',
  'database',
  'basic-auth',
  'generic',
];
const { all, mine, scan } = catalogPart(PART_A);

describe('catalog part A', () => {
  it('covers the ISSUERS.md issuers and the generic families', () => {
    const issuers = new Set(mine.map((r) => r.issuer));
    expect(issuers.size).toBeGreaterThanOrEqual(55);
    expect(mine.length).toBeGreaterThanOrEqual(110);
  });

  for (const rule of mine) {
    describe(rule.id, () => {
      it('is well-formed', () => {
        const fileIssuer = path.basename(rule.file, '.toml');
        expect(rule.issuer).toBe(fileIssuer === 'azuredevops' ? 'azure-devops' : fileIssuer);
        expect(rule.id.startsWith(`${rule.issuer}-`)).toBe(true);
        for (const k of rule.keywords) expect(k).toBe(k.toLowerCase());
        expect(rule.keywords.length).toBeGreaterThan(0);
        if (!rule.companionOnly) expect(rule.counterexamples.length).toBeGreaterThan(0);
        for (const c of rule.companions) expect(all.some((r) => r.id === c)).toBe(true);
        if (rule.checksum) expect(checksumNames()).toContain(rule.checksum);
      });

      rule.examples.forEach((example, i) => {
        it(`example ${i + 1} gives exactly one finding`, () => {
          for (const seed of SEEDS) {
            const text = expandTemplate(example, seed);
            const found = hits(rule, scan(text, samplePath(rule)));
            expect(
              found.map((m) => m.ruleId),
              `seed ${seed}: ${JSON.stringify(text.slice(0, 300))}`,
            ).toHaveLength(1);
          }
        });
        it(`example ${i + 1} holds no live-looking literal`, () => {
          // Without expansion the example must not be a finding: the secret comes from the token factory.
          if (!rule.companionOnly) expect(hits(rule, scan(example, samplePath(rule)))).toHaveLength(0);
          if (!hasTemplate(example)) expect(rule.companionOnly).toBe(true);
        });
      });

      rule.counterexamples.forEach((counter, i) => {
        it(`counterexample ${i + 1} gives no finding`, () => {
          const text = expandTemplate(counter, 1);
          expect(hits(rule, scan(text, samplePath(rule))), JSON.stringify(text.slice(0, 300))).toHaveLength(0);
        });
      });
    });
  }

  it("AWS's documented example key pair is not a finding; a real-shaped pair is one finding with its companion", () => {
    const docId = 'AKIAIOSFODNN7' + 'EXAMPLE';
    const docSecret = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
    expect(scan(`aws_access_key_id = ${docId}\naws_secret_access_key = ${docSecret}`)).toEqual([]);
    const id = expandTemplate('AKIA{{rand:A-Z2-7:16}}', 5);
    const secret = expandTemplate('{{rand:A-Za-z0-9/+:40}}', 5);
    const found = scan(`[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`);
    expect(found.map((m) => m.ruleId)).toEqual(['aws-access-key-id']);
    expect(Object.values(found[0].companions ?? {})).toContain(secret);
    // Alone, each is still a finding.
    expect(scan(`aws_access_key_id = ${id}`).map((m) => m.ruleId)).toEqual(['aws-access-key-id']);
    expect(scan(`aws_secret_access_key = ${secret}`).map((m) => m.ruleId)).toEqual(['aws-secret-access-key']);
  });

  it('companions attach: Twilio SID, Shopify shop domain, Datadog site, Atlassian site and email', () => {
    const sid = expandTemplate('AC{{rand:0-9a-f:32}}', 3);
    const tw = scan(`TWILIO_ACCOUNT_SID=${sid}\nTWILIO_AUTH_TOKEN=${expandTemplate('{{rand:0-9a-f:32}}', 3)}`);
    expect(tw.map((m) => m.ruleId)).toEqual(['twilio-auth-token']);
    expect(tw[0].companions?.['twilio-account-sid']).toBe(sid);
    const shop = scan(`SHOP=acme.myshopify.com\nTOKEN=${expandTemplate('shpat_{{rand:a-f0-9:32}}', 3)}`);
    expect(shop[0].companions?.['shopify-shop-domain']).toBe('acme.myshopify.com');
    const dd = scan(`DD_SITE=datadoghq.eu\nDD_API_KEY=${expandTemplate('{{rand:a-f0-9:32}}', 3)}`);
    expect(dd[0].companions?.['datadog-site']).toBe('datadoghq.eu');
    const token = expandTemplate('ATATT3xFfGF0{{rand:A-Za-z0-9_-:171}}={{rand:0-9A-F:8}}', 3);
    const jira = scan(`JIRA_URL=https://acme.atlassian.net\nJIRA_USER=dev@corp.test\nJIRA_API_TOKEN=${token}`);
    expect(jira.map((m) => m.ruleId)).toEqual(['atlassian-api-token']);
    expect(jira[0].companions).toMatchObject({
      'atlassian-site': 'acme.atlassian.net',
      'atlassian-email': 'dev@corp.test',
    });
  });

  it('public keys, certificates and token-format regexes are not findings', () => {
    const texts = [
      expandTemplate('-----BEGIN PUBLIC KEY-----\nMIIBIjAN{{rand:A-Za-z0-9+/:380}}\n-----END PUBLIC KEY-----'),
      expandTemplate('-----BEGIN CERTIFICATE-----\nMIID{{rand:A-Za-z0-9+/:800}}\n-----END CERTIFICATE-----'),
      expandTemplate('ssh-rsa AAAAB3NzaC1yc2E{{rand:A-Za-z0-9+/:370}} deploy@ci'),
      'const GH = /ghp_[A-Za-z0-9]{36}/; const AWS = /AKIA[0-9A-Z]{16}/;',
      "SLACK = re.compile(r'xox[baprs]-[0-9a-zA-Z-]{10,48}')",
      'GITLAB = /glpat-[0-9a-zA-Z_-]{20}/ // sk_live_[0-9a-zA-Z]{24}',
    ];
    for (const t of texts) expect(scan(t), t.slice(0, 60)).toEqual([]);
  });

  it('the rule files are not findings themselves (dogfood)', () => {
    const files = [...new Set(mine.map((r) => r.file))];
    for (const f of files) {
      const found = scan(readFileSync(f, 'utf8'), f);
      expect(found.map((m) => `${path.basename(f)}:${m.line} ${m.ruleId}`)).toEqual([]);
    }
  });
});
