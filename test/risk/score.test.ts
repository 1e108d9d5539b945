import { describe, expect, it } from 'vitest';
import { gatherFacts } from '../../src/risk/facts.js';
import {
  adviseFor,
  classifyScope,
  DEFAULT_WEIGHTS,
  RiskConfigError,
  resolveWeights,
  riskContextFromConfig,
  scoreAll,
  scoreFinding,
  severityOf,
} from '../../src/risk/index.js';
import { makeFinding, NOW } from './fixtures/make.js';

const ctx = { now: NOW };

const livePat = (scopes: string[], extra: Record<string, unknown> = {}) =>
  makeFinding({
    issuer: 'github',
    ruleId: 'github-classic-pat',
    tokenType: 'classic-pat',
    secret: 'ghp_{{rand:A-Za-z0-9:36}}',
    access: { status: 'live', scopes, ...extra },
  });

describe('privilege maps', () => {
  it.each([
    ['github', 'admin:org', 'admin'],
    ['github', 'delete_repo', 'admin'],
    ['github', 'repo', 'write'],
    ['github', 'workflow', 'write'],
    ['github', 'write:packages', 'write'],
    ['github', 'read:org', 'read'],
    ['aws', '*', 'admin'],
    ['aws', 'iam:*', 'admin'],
    ['aws', 's3:*', 'admin'],
    ['aws', 's3:GetObject', 'read'],
    ['aws', 'ec2:Describe*', 'read'],
    ['aws', 's3:PutObject', 'write'],
    ['aws', 'arn:aws:iam::aws:policy/AdministratorAccess', 'admin'],
    ['aws', 'ReadOnlyAccess', 'read'],
    ['slack', 'admin.users:write', 'admin'],
    ['slack', 'chat:write', 'write'],
    ['slack', 'channels:history', 'read'],
    ['gitlab', 'sudo', 'admin'],
    ['gitlab', 'admin_mode', 'admin'],
    ['gitlab', 'api', 'write'],
    ['gitlab', 'read_api', 'read'],
    ['stripe', 'rak_charge_write', 'write'],
    ['stripe', 'rak_balance_read', 'read'],
    ['gcp', 'roles/owner', 'admin'],
    ['gcp', 'roles/viewer', 'read'],
    ['shopify', 'write_orders', 'write'],
    ['some-new-issuer', 'projects:read', 'read'],
    ['some-new-issuer', 'full_access', 'admin'],
  ])('%s %s → %s', (issuer, scope, level) => {
    expect(classifyScope(issuer, scope)?.level).toBe(level);
  });

  it('flags AWS privilege escalation actions', () => {
    for (const a of [
      'iam:PassRole',
      'iam:CreateAccessKey',
      'iam:AttachUserPolicy',
      'sts:AssumeRole',
      'iam:CreatePolicyVersion',
    ])
      expect(classifyScope('aws', a), a).toEqual({ level: 'admin', escalation: true });
  });

  it('ranks a PAT by its strongest scope and treats a live PAT without scopes as none', () => {
    const admin = scoreFinding(livePat(['admin:org', 'read:user']), ctx);
    const write = scoreFinding(livePat(['repo']), ctx);
    const read = scoreFinding(livePat(['read:user']), ctx);
    const none = scoreFinding(livePat([]), ctx);
    expect(admin.score).toBeGreaterThan(write.score);
    expect(write.score).toBeGreaterThan(read.score);
    expect(read.score).toBeGreaterThan(none.score);
    expect(none.reasons[0]).toContain('with no scopes');
  });

  it('counts GitHub fine-grained administration:write as admin', () => {
    const f = makeFinding({
      issuer: 'github',
      ruleId: 'github-fine-grained-pat',
      secret: 'github_pat_{{rand:A-Za-z0-9:22}}_{{rand:A-Za-z0-9:59}}',
      access: { status: 'live', permissions: [{ resource: 'administration', access: 'write' }] },
    });
    expect(gatherFacts(f, ctx).privilege.level).toBe('admin');
    expect(scoreFinding(f, ctx).nhi).toContain('NHI5');
  });
});

describe('shapes the issuer modules emit', () => {
  it('GitHub classic PAT with scopes and the permissions derived from them: reasons name the scopes', () => {
    const f = livePat(['admin:org', 'delete_repo', 'repo'], {
      identity: { user: 'octo', type: 'User' },
      permissions: [
        { resource: 'org', access: 'admin' },
        { resource: 'repos', access: 'admin' },
        { resource: 'private-repos', access: 'write' },
      ],
      reach: [
        { kind: 'repos', count: 40 },
        { kind: 'orgs', count: 2 },
      ],
    });
    const r = scoreFinding(f, ctx);
    expect(r.reasons[0]).toContain('of user octo with admin:org and delete_repo; reaches 40 repositories and 2 orgs');
    expect(r.severity === 'critical' || r.severity === 'high').toBe(true);
  });

  it('AWS: managed policy names, inline policy names and per-service permissions', () => {
    const f = makeFinding({
      issuer: 'aws',
      ruleId: 'aws-access-key-id',
      secret: 'AKIA{{rand:A-Z2-7:16}}',
      companions: { 'aws-secret-access-key': '{{rand:A-Za-z0-9/+:40}}' },
      access: {
        status: 'live',
        identity: { account: '111122223333', user: 'arn:aws:iam::111122223333:user/ci', type: 'user' },
        scopes: ['ReadOnlyAccess', 'inline:deploy'],
        permissions: [
          { resource: 's3', access: 'write' },
          { resource: 'ec2', access: 'read' },
        ],
      },
    });
    const facts = gatherFacts(f, ctx);
    expect(facts.privilege.level).toBe('write');
    expect(facts.privilege.unknownScopes).toEqual([]);
    expect(facts.privilege.value).toBe(0.8);
  });
});

describe('factors', () => {
  it('scores breadth up with reach: org-wide above one repository', () => {
    const one = scoreFinding(livePat(['repo'], { reach: [{ kind: 'repos', count: 1 }] }), ctx);
    const org = scoreFinding(
      livePat(['repo'], {
        reach: [
          { kind: 'orgs', count: 1 },
          { kind: 'repos', count: 150 },
        ],
      }),
      ctx,
    );
    expect(org.score).toBeGreaterThan(one.score);
    expect(org.nhi).toContain('NHI5');
    expect(one.nhi).not.toContain('NHI5');
  });

  it('orders liveness live > unknown > inactive > invalid, and a dead key is not zero', () => {
    const s = (status: 'live' | 'unknown' | 'inactive' | 'invalid') =>
      scoreFinding(livePat(['repo'], { status }), ctx).score;
    expect(s('live')).toBeGreaterThan(s('unknown'));
    expect(s('unknown')).toBeGreaterThan(s('inactive'));
    expect(s('inactive')).toBeGreaterThan(s('invalid'));
    expect(s('invalid')).toBeGreaterThan(0);
  });

  it('lifetime: never > long > expires soon > expired, from expiresAt relative to now', () => {
    const s = (expiresAt: string | null) => scoreFinding(livePat(['repo'], { expiresAt }), ctx);
    const never = s(null);
    const long = s('2027-12-01T00:00:00Z');
    const soon = s('2026-12-05T00:00:00Z');
    const expired = s('2026-11-01T00:00:00Z');
    expect(never.score).toBeGreaterThan(long.score);
    expect(long.score).toBeGreaterThan(soon.score);
    expect(soon.score).toBeGreaterThan(expired.score);
    expect(never.nhi).toContain('NHI7');
    expect(soon.nhi).not.toContain('NHI7');
    expect(soon.reasons[0]).toContain('expires in 4 days (2026-12-05)');
    expect(expired.reasons[0]).toContain('expired on 2026-11-01');
  });

  it('exposure: public above private, HEAD above history, visibility from config', () => {
    const f = livePat(['repo']);
    const pub = scoreFinding(f, { ...ctx, visibility: 'public' });
    const priv = scoreFinding(f, { ...ctx, visibility: 'private' });
    expect(pub.score).toBeGreaterThan(priv.score);
    const hist = makeFinding({
      issuer: 'github',
      ruleId: 'github-classic-pat',
      secret: 'ghp_{{rand:A-Za-z0-9:36}}',
      occurrences: [{ file: 'a.sh', inHead: false }],
      access: { status: 'live', scopes: ['repo'] },
    });
    expect(scoreFinding(hist, { ...ctx, visibility: 'public' }).score).toBeLessThan(pub.score);
    expect(scoreFinding(hist, { ...ctx, visibility: 'public' }).reasons[0]).toContain("public repository's history");
  });

  it('environment: test-mode keys and test paths score lower; a production key in test code is NHI8', () => {
    const prodInTest = makeFinding({
      issuer: 'stripe',
      ruleId: 'stripe-secret-key',
      secret: 'sk_live_{{rand:A-Za-z0-9:32}}',
      occurrences: [{ file: 'test/fixtures/pay.json' }],
      access: { status: 'live', environment: 'production' },
    });
    const testKey = makeFinding({
      issuer: 'stripe',
      ruleId: 'stripe-test-secret-key',
      secret: 'sk_test_{{rand:A-Za-z0-9:32}}',
      occurrences: [{ file: 'test/fixtures/pay.json' }],
      access: { status: 'live' },
    });
    const p = scoreFinding(prodInTest, ctx);
    const t = scoreFinding(testKey, ctx);
    expect(p.nhi).toContain('NHI8');
    expect(p.controls).toContain('PR.IR-01');
    expect(p.reasons.join('\n')).toContain('production key in test code (test/fixtures/pay.json)');
    expect(t.score).toBeLessThan(p.score / 2);
    expect(t.nhi).not.toContain('NHI8');
    expect(t.recommendation?.replacement).toContain('rk_test_');
  });

  it('reuse: the same key in several files and repositories raises the score and tags NHI9', () => {
    const once = livePat(['repo']);
    const many = {
      ...once,
      occurrences: [
        { file: 'a/.env', line: 1, column: 1, repo: 'acme/a' },
        { file: 'b/.env', line: 1, column: 1, repo: 'acme/b' },
        { file: 'c/.env', line: 1, column: 1, repo: 'acme/c' },
      ],
    };
    const a = scoreFinding(once, ctx);
    const b = scoreFinding(many, ctx);
    expect(b.score).toBeGreaterThan(a.score);
    expect(b.nhi).toContain('NHI9');
    expect(a.nhi).not.toContain('NHI9');
    expect(b.reasons.join('\n')).toContain('same key in 3 places across 3 repositories');
  });

  it('one key across environments (production and staging configs) is NHI8', () => {
    const f = {
      ...livePat(['repo']),
      occurrences: [
        { file: 'config/production.env', line: 1, column: 1 },
        { file: 'config/staging.env', line: 1, column: 1 },
      ],
    };
    const r = scoreFinding(f, ctx);
    expect(r.nhi).toEqual(expect.arrayContaining(['NHI8', 'NHI9']));
    expect(r.reasons.join('\n')).toContain('one key across environments (production, staging)');
  });

  it('offline-only findings get a score from the kind of key', () => {
    const pk = makeFinding({
      issuer: 'generic',
      ruleId: 'private-key',
      tokenType: 'private-key',
      secret: '-----BEGIN OPENSSH PRIVATE KEY-----\n{{rand:A-Za-z0-9+/:70}}\n-----END OPENSSH PRIVATE KEY-----',
    });
    const generic = makeFinding({
      issuer: 'generic',
      ruleId: 'generic-api-key',
      tokenType: 'generic',
      secret: '{{rand:A-Za-z0-9:32}}',
    });
    const idOnly = makeFinding({ issuer: 'aws', ruleId: 'aws-access-key-id', secret: 'AKIA{{rand:A-Z2-7:16}}' });
    const pair = { ...idOnly, companions: { 'aws-secret-access-key': 'x'.repeat(40) } };
    expect(scoreFinding(pk, ctx).severity).toBe('high');
    expect(scoreFinding(pair, ctx).severity).toBe('high');
    expect(scoreFinding(idOnly, ctx).score).toBeLessThan(scoreFinding(pair, ctx).score);
    expect(scoreFinding(generic, ctx).score).toBeLessThan(scoreFinding(pk, ctx).score);
    expect(scoreFinding(pk, ctx).reasons[1]).toContain('not verified (offline facts only)');
  });

  it('knows the catalog families by their real ids (private-key, database, jwt, generic)', () => {
    const pk = makeFinding({
      issuer: 'private-key',
      ruleId: 'private-key-rsa',
      tokenType: 'rsa',
      secret: '-----BEGIN RSA PRIVATE KEY-----\n{{rand:A-Za-z0-9+/:64}}\n-----END RSA PRIVATE KEY-----',
    });
    const db = makeFinding({
      issuer: 'database',
      ruleId: 'database-jdbc-password',
      tokenType: 'jdbc-password',
      secret: '{{rand:A-Za-z0-9:20}}',
    });
    const sign = makeFinding({
      issuer: 'jwt',
      ruleId: 'jwt-signing-secret',
      tokenType: 'signing-secret',
      secret: '{{rand:A-Za-z0-9:40}}',
    });
    const pw = makeFinding({
      issuer: 'generic',
      ruleId: 'generic-password-quoted',
      tokenType: 'password',
      secret: '{{rand:A-Za-z0-9:20}}',
    });
    const r = scoreFinding(pk, ctx);
    expect(r.severity).toBe('high');
    expect(r.reasons[0]).toMatch(/^unverified private key; long-lived/);
    expect(r.recommendation!.steps[0]).toContain('authorized_keys');
    expect(scoreFinding(db, ctx).recommendation!.steps[0]).toContain('Change the password');
    expect(scoreFinding(sign, ctx).score).toBeGreaterThan(scoreFinding(pw, ctx).score);
    expect(scoreFinding(pw, ctx).recommendation!.steps[0]).toContain('at the service it belongs to');
  });

  it('uses the rule base severity when nothing else is known', () => {
    const f = makeFinding({ issuer: 'acme-cloud', ruleId: 'acme-key', secret: 'acme_{{rand:a-z0-9:30}}' });
    const crit = scoreFinding(f, { ...ctx, ruleInfo: () => ({ severity: 'critical' }) });
    const low = scoreFinding(f, { ...ctx, ruleInfo: () => ({ severity: 'low' }) });
    expect(crit.score).toBeGreaterThan(low.score);
  });
});

describe('weights and context', () => {
  it('merges weights, rejects unknown names and negative values', () => {
    expect(resolveWeights({ exposure: 2 })).toEqual({ ...DEFAULT_WEIGHTS, exposure: 2 });
    expect(() => resolveWeights({ exposur: 2 })).toThrow(RiskConfigError);
    expect(() => resolveWeights({ exposure: -1 })).toThrow(/≥ 0/);
  });

  it('weight 0 removes a factor, a larger weight pulls harder', () => {
    const f = livePat(['read:user']);
    const base = scoreFinding(f, ctx).score;
    const off = scoreFinding(f, { ...ctx, weights: { privilege: 0 } }).score;
    const hard = scoreFinding(f, { ...ctx, weights: { privilege: 2 } }).score;
    expect(off).toBeGreaterThan(base);
    expect(hard).toBeLessThan(base);
  });

  it('builds the context from keyscope.toml [risk]', () => {
    const c = riskContextFromConfig({ risk: { weights: { exposure: 2 }, visibility: 'public' } }, { now: NOW });
    expect(c.visibility).toBe('public');
    expect(scoreFinding(livePat(['repo']), c).factors?.find((x) => x.name === 'exposure')?.weight).toBe(2);
    expect(() => riskContextFromConfig({ risk: { weights: { nope: 1 } } })).toThrow(/unknown factor/);
  });

  it('same input, same risk; `now` changes ages only', () => {
    const f = livePat(['repo'], { expiresAt: '2026-12-20T00:00:00Z' });
    expect(scoreFinding(f, ctx)).toEqual(scoreFinding(f, ctx));
    expect(scoreFinding(f, { now: '2026-12-18T00:00:00Z' }).score).toBeLessThan(scoreFinding(f, ctx).score);
    expect(() => scoreFinding(f, { now: 'not a date' })).toThrow(/invalid now/);
  });

  it('scoreAll sets risk in place and returns findings sorted by score', () => {
    const fs = [livePat(['read:user']), livePat(['admin:org']), livePat(['repo'])];
    const sorted = scoreAll(fs, ctx);
    expect(fs.every((f) => f.risk && f.risk.reasons.length > 0 && f.risk.nhi.includes('NHI2'))).toBe(true);
    expect(sorted.map((f) => f.access?.scopes?.[0])).toEqual(['admin:org', 'repo', 'read:user']);
  });

  it('severity bands', () => {
    expect([100, 75, 74, 50, 49, 30, 29, 15, 14, 1].map(severityOf)).toEqual([
      'critical',
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
      'info',
      'info',
    ]);
  });
});

describe('least-privilege advice', () => {
  // Every issuer of ../shared/ISSUERS.md, by the ids rules use.
  const issuers = [
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
    'jira',
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
  ];
  it.each(issuers)('%s has its own advice', (issuer) => {
    const f = makeFinding({
      issuer,
      ruleId: `${issuer}-key`,
      secret: 'k_{{rand:a-z0-9:30}}',
      access: { status: 'live' },
    });
    const rec = adviseFor(gatherFacts(f, ctx));
    expect(rec.replacement.length).toBeGreaterThan(10);
    expect(rec.steps.length).toBeGreaterThanOrEqual(3);
    expect(rec.steps[0]).not.toMatch(/^Revoke or rotate the credential in the/);
  });

  it('GitHub: a classic admin PAT → fine-grained PAT on the one repository; in a workflow → GITHUB_TOKEN', () => {
    const f = makeFinding({
      issuer: 'github',
      ruleId: 'github-classic-pat',
      secret: 'ghp_{{rand:A-Za-z0-9:36}}',
      occurrences: [{ file: 'src/a.ts', repo: 'acme/api' }],
      access: { status: 'live', scopes: ['repo', 'admin:org'] },
    });
    const rec = scoreFinding(f, ctx).recommendation!;
    expect(rec.replacement).toContain('fine-grained PAT limited to the one repository acme/api with contents:read');
    expect(rec.consoleUrl).toBe('https://github.com/settings/tokens');
    const ci = { ...f, occurrences: [{ file: '.github/workflows/ci.yml', line: 3, column: 1 }] };
    expect(scoreFinding(ci, ctx).recommendation!.replacement).toContain('GITHUB_TOKEN');
  });

  it('Stripe sk_live → restricted key; AWS admin user → IAM role; generic fallback for unknown issuers', () => {
    const s = makeFinding({ issuer: 'stripe', ruleId: 'stripe-secret-key', secret: 'sk_live_{{rand:A-Za-z0-9:32}}' });
    expect(scoreFinding(s, ctx).recommendation!.replacement).toContain('restricted key');
    const a = makeFinding({
      issuer: 'aws',
      ruleId: 'aws-access-key-id',
      secret: 'AKIA{{rand:A-Z2-7:16}}',
      access: { status: 'live', scopes: ['*'], identity: { user: 'admin' } },
    });
    expect(scoreFinding(a, ctx).recommendation!.replacement).toContain('IAM role');
    const u = makeFinding({ issuer: 'made-up', ruleId: 'made-up-key', secret: 'mu_{{rand:a-z0-9:30}}' });
    const rec = scoreFinding(u, ctx).recommendation!;
    expect(rec.steps[0]).toContain('Made Up console');
  });
});
