// The plan without any network: tenant hosts from companions stay on the allowlist, the override is the only way
// elsewhere, and every provider / runbook the product promises exists.
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/issuers/http.js';
import { buildPlan } from '../../src/revoke/plan.js';
import { policyFrom } from '../../src/revoke/policy.js';
import { getProvider, providerIds, revocationSupported } from '../../src/revoke/providers/index.js';
import { runbookFor } from '../../src/revoke/runbooks.js';
import { cfg, keyFinding, tok } from './harness.js';

const plan = (
  findings: ReturnType<typeof keyFinding>[],
  baseUrls: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
) => {
  const config = cfg(baseUrls);
  return buildPlan(findings, { policy: policyFrom(config), config, env });
};

describe('revocation plan', () => {
  it('tenant hosts come from companions only when they are on the issuer allowlist', () => {
    const okta = keyFinding('okta', tok('00{{rand:A-Za-z0-9_-:40}}'), {
      companions: { 'okta-domain': 'https://acme.okta.com' },
    });
    const vault = keyFinding('vault', tok('hvs.{{rand:A-Za-z0-9_-:90}}'), {
      companions: { 'vault-addr': 'https://prod.vault.1234abcd.aws.hashicorp.cloud:8200' },
    });
    const shop = keyFinding('shopify', tok('shpat_{{rand:a-f0-9:32}}'), {
      companions: { 'shopify-shop': 'acme-store.myshopify.com' },
    });
    const evil = keyFinding('okta', tok('00{{rand:A-Za-z0-9_-:40}}'), {
      companions: { 'okta-domain': 'https://okta.attacker.example' },
    });
    const selfHosted = keyFinding('vault', tok('hvs.{{rand:A-Za-z0-9_-:90}}'), {
      companions: { 'vault-addr': 'https://vault.internal:8200' },
    });
    const { items } = plan([okta, vault, shop, evil, selfHosted]);
    const by = (id: string) => items.find((i) => i.fingerprint === id)!;
    expect(by(okta.id).requests[0]).toMatch(/^DELETE https:\/\/acme\.okta\.com\/api\/v1\/api-tokens\/current/);
    expect(by(vault.id).requests[0]).toMatch(
      /^POST https:\/\/prod\.vault\.1234abcd\.aws\.hashicorp\.cloud:8200\/v1\/auth\/token\/revoke-self/,
    );
    expect(by(shop.id).requests[0]).toMatch(
      /^DELETE https:\/\/acme-store\.myshopify\.com\/admin\/api_permissions\/current\.json/,
    );
    expect(by(evil.id).kind).toBe('manual');
    expect(by(evil.id).reason).toMatch(/no Okta org domain/);
    expect(by(selfHosted.id).kind).toBe('manual');
    expect(by(selfHosted.id).reason).toMatch(/KEYSCOPE_VAULT_BASE_URL/);
  });

  it('the configured base URL override is the only way to another host (GHES, self-managed GitLab)', () => {
    const gl = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'));
    const gh = keyFinding('github', tok('{{gen:github:ghp}}'));
    const env = { KEYSCOPE_GITLAB_BASE_URL: 'https://gitlab.acme.internal' };
    const { items } = plan([gl, gh], { github: 'https://ghe.acme.internal/api/v3' }, env);
    expect(items.find((i) => i.issuer === 'gitlab')!.requests[0]).toMatch(
      /^DELETE https:\/\/gitlab\.acme\.internal\/api\/v4/,
    );
    expect(items.find((i) => i.issuer === 'github')!.requests[0]).toMatch(
      /^POST https:\/\/ghe\.acme\.internal\/api\/v3\/credentials\/revoke .*GHES/,
    );
  });

  it('the plan never holds a secret or a companion value', () => {
    const secret = tok('{{rand:A-Za-z0-9/+:40}}');
    const aws = keyFinding('aws', tok('AKIA{{rand:A-Z2-7:16}}'), { companions: { 'aws-secret': secret } });
    const hook = `https://discord.com/api/webhooks/${tok('{{rand:0-9:18}}')}/${tok('{{rand:A-Za-z0-9_-:68}}')}`;
    const discord = keyFinding('discord', hook);
    const { items } = plan([aws, discord]);
    const text = JSON.stringify(items.map((i) => i.requests));
    expect(text).not.toContain(secret);
    expect(text).not.toContain(aws.secret);
    expect(text).not.toContain(hook.split('/').pop()!);
  });

  it('every provider host is https and on its own allowlist; the plan checker refuses others', () => {
    const client = new HttpClient({ offline: true });
    for (const id of providerIds()) {
      const p = getProvider(id)!;
      if (!p.defaultBaseUrl) continue;
      expect(p.defaultBaseUrl.startsWith('https://'), id).toBe(true);
      expect(() => client.checkAllowed({ id, name: id, hosts: p.hosts }, `${p.defaultBaseUrl}/x`), id).not.toThrow();
      expect(() => client.checkAllowed({ id, name: id, hosts: p.hosts }, 'https://example.org/x'), id).toThrow(
        /allowlist/,
      );
    }
  });
});

describe('coverage', () => {
  const PROMISED = [
    'github',
    'gitlab',
    'slack',
    'aws',
    'vault',
    'doppler',
    'buildkite',
    'okta',
    'jfrog',
    'vercel',
    'heroku',
    'digitalocean',
    'google',
    'discord',
    'shopify',
    'npm',
    'sendgrid',
    'netlify',
    'twilio',
    'mailgun',
    'grafana',
    'databricks',
    'cloudflare',
  ];
  it('at least 20 issuers have a revocation provider, each with a test against its fake', () => {
    expect(providerIds().length).toBeGreaterThanOrEqual(20);
    expect(providerIds()).toEqual([...PROMISED].sort());
    for (const id of PROMISED) expect(revocationSupported(id), id).toBe(true);
    expect(revocationSupported('stripe')).toBe(false);
  });

  it('issuers without a revocation API have a precise runbook: console URL and steps', () => {
    const NO_API = [
      'openai',
      'stripe',
      'telegram',
      'discord',
      'huggingface',
      'mailchimp',
      'airtable',
      'notion',
      'linear',
      'postman',
      'square',
      'circleci',
      'pagerduty',
      'sentry',
      'azure',
      'google',
      'bitbucket',
      'supabase',
      'dockerhub',
      'anthropic',
      'atlassian',
      'datadog',
      'pypi',
      'terraform',
      'gcp',
      'azure-devops',
    ];
    for (const id of NO_API) {
      const book = runbookFor(id, { secret: 'x', ruleId: `${id}-x`, companions: {}, fingerprint: 'f' });
      expect(book.consoleUrl, id).toMatch(/^https:\/\//);
      expect(book.steps.length, id).toBeGreaterThanOrEqual(3);
    }
    // The private-key module carries its own runbook (find where the public half is trusted, then rotate).
    const pk = runbookFor('private-key', { secret: 'x', ruleId: 'private-key-rsa', companions: {}, fingerprint: 'f' });
    expect(pk.steps.join(' ')).toMatch(/public half/);
    const generic = runbookFor('some-unknown-issuer', {
      secret: 'x',
      ruleId: 'some-unknown-issuer-x',
      companions: {},
      fingerprint: 'f',
    });
    expect(generic.steps[0]).toMatch(/Rotate/);
  });
});
