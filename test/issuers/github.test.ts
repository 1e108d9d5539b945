import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type GithubAccount, githubFake } from '../../fixtures/fake-issuers/github.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, FAST, finding, opts } from './helpers.js';

const tok = (kind: string, seed: number) => expandTemplate(`{{gen:github:${kind}}}`, seed);

describe('github', () => {
  let fake: FakeIssuer<GithubAccount>;
  beforeAll(async () => {
    fake = await startFake(githubFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[], extra = {}) =>
    lookupFindings(fs, opts(configFor({ github: fake.url }), extra));

  it('classic PAT: live, identity, scopes → permissions, expiry header, reach from repos and orgs', async () => {
    const t = tok('ghp', 1);
    fake.add(t, {
      login: 'octocat',
      scopes: ['repo', 'admin:org', 'workflow'],
      expiration: '2030-01-31 12:00:00 UTC',
      repos: [{ full_name: 'acme/api', private: true, admin: true }, { full_name: 'octocat/hello' }],
      repoTotal: 250,
      orgs: ['acme', 'acme-labs'],
    });
    const f = finding('github', t, { ruleId: 'github-classic-pat', tokenType: 'classic-pat' });
    await run([f]);
    const a = f.access!;
    expect(a.status).toBe('live');
    expect(a.tokenType).toBe('classic-pat');
    expect(a.identity?.user).toBe('octocat');
    expect(a.scopes).toEqual(['repo', 'admin:org', 'workflow']);
    expect(a.permissions).toContainEqual({ resource: 'org', access: 'admin' });
    expect(a.permissions).toContainEqual({ resource: 'workflows', access: 'write' });
    expect(a.expiresAt).toBe('2030-01-31T12:00:00.000Z');
    expect(a.reach).toContainEqual({ kind: 'repos', count: 300, sample: ['acme/api', 'octocat/hello'] });
    expect(a.reach).toContainEqual({ kind: 'orgs', count: 2, sample: ['acme', 'acme-labs'] });
    // Octokit went through our client: every request is on the fake and authenticated with the token.
    expect(fake.requestsFor(t).map((r) => r.path)).toEqual(['/user', '/user/repos', '/user/orgs']);
  });

  it('classic PAT without expiry header: never expires (null)', async () => {
    const t = tok('ghp', 2);
    fake.add(t, { login: 'dev', scopes: ['read:user'] });
    const f = finding('github', t);
    await run([f]);
    expect(f.access?.expiresAt).toBeNull();
    expect(f.access?.permissions).toEqual([{ resource: 'user', access: 'read' }]);
  });

  it('fine-grained PAT: no scope header, permissions from repo roles', async () => {
    const t = `github_pat_${expandTemplate('11{{rand:A-Z0-9:20}}_{{rand:A-Za-z0-9:59}}', 3)}`;
    fake.add(t, {
      login: 'dev',
      repos: [{ full_name: 'acme/web', push: true }],
      expiration: '2030-06-01 00:00:00 UTC',
      granted: [],
    });
    const f = finding('github', t);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.tokenType).toBe('fine-grained-pat');
    expect(f.access?.scopes).toBeUndefined();
    expect(f.access?.permissions).toEqual([{ resource: 'repos', access: 'write' }]);
    expect(f.access?.notes?.join(' ')).toMatch(/fine-grained/);
  });

  it('fine-grained PAT: read-only permission probes, 200 → granted (read), 403/404 → not granted; ≤ 8 GETs', async () => {
    const t = `github_pat_${expandTemplate('11{{rand:A-Z0-9:20}}_{{rand:A-Za-z0-9:59}}', 11)}`;
    fake.add(t, {
      login: 'probe-me',
      repos: [{ full_name: 'acme/api', admin: true }],
      granted: ['emails', 'gpg_keys'],
    });
    const f = finding('github', t);
    await run([f]);
    const a = f.access!;
    expect(a.status).toBe('live');
    expect(a.permissions).toEqual([
      { resource: 'repos', access: 'admin' },
      { resource: 'emails', access: 'read' },
      { resource: 'gpg_keys', access: 'read' },
    ]);
    const notes = a.notes?.join(' | ') ?? '';
    expect(notes).toMatch(/granted emails, gpg_keys/);
    expect(notes).toMatch(/not granted git_ssh_keys, codespaces, notifications/);
    const reqs = fake.requestsFor(t);
    expect(reqs.length).toBeLessThanOrEqual(8);
    expect(new Set(reqs.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(reqs.map((r) => r.path).sort()).toEqual(
      [
        '/user',
        '/user/repos',
        '/user/orgs',
        '/user/emails',
        '/user/keys',
        '/user/gpg_keys',
        '/user/codespaces',
        '/notifications',
      ].sort(),
    );
  });

  it('GitHub App user token (ghu_): probed the same way; a classic PAT keeps its 3 requests', async () => {
    const u = tok('ghu', 12);
    fake.add(u, { login: 'app-user', repos: [{ full_name: 'acme/site' }], granted: ['codespaces'] });
    const c = tok('ghp', 13);
    fake.add(c, { login: 'classic', scopes: ['read:user'] });
    const fu = finding('github', u);
    const fc = finding('github', c);
    await run([fu, fc]);
    expect(fu.access?.tokenType).toBe('app-user-token');
    expect(fu.access?.permissions).toEqual([
      { resource: 'repos', access: 'read' },
      { resource: 'codespaces', access: 'read' },
    ]);
    expect(fake.requestsFor(u)).toHaveLength(8);
    expect(fake.requestsFor(c).map((r) => r.path)).toEqual(['/user', '/user/repos', '/user/orgs']);
  });

  it('--plan lists the probes for a fine-grained PAT', async () => {
    const t = `github_pat_${expandTemplate('11{{rand:A-Z0-9:20}}_{{rand:A-Za-z0-9:59}}', 14)}`;
    const f = finding('github', t);
    const summary = await run([f], { plan: true });
    expect(summary.plan?.[0]?.requests).toHaveLength(8);
    expect(summary.plan?.[0]?.requests).toContain(`GET ${fake.url}/user/emails`);
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  it('OAuth token (gho_) is live with its scopes', async () => {
    const t = tok('gho', 4);
    fake.add(t, { login: 'app-user', scopes: ['read:org'] });
    const f = finding('github', t);
    await run([f]);
    expect(f.access).toMatchObject({ status: 'live', tokenType: 'oauth-token', scopes: ['read:org'] });
  });

  it('installation token (ghs_): /installation/repositories gives reach and selection', async () => {
    const t = tok('ghs', 5);
    fake.add(t, { login: '', installation: { selection: 'selected', repos: ['acme/a', 'acme/b'] } });
    const f = finding('github', t);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.identity?.org).toBe('acme');
    expect(f.access?.reach).toEqual([{ kind: 'repos', count: 2, sample: ['acme/a', 'acme/b'] }]);
    expect(fake.requestsFor(t).map((r) => r.path)).toEqual(['/installation/repositories']);
  });

  it('bad credentials: invalid after one request; HTML 403: unknown; hang: unknown', async () => {
    const bad = finding('github', tok('ghp', 6));
    const html = tok('ghp', 7);
    fake.add(html, { login: 'x', scopes: [] }).mode(html, { kind: 'html', status: 403 });
    const hang = tok('ghp', 8);
    fake.add(hang, { login: 'x', scopes: [] }).mode(hang, { kind: 'hang' });
    const fh = finding('github', html);
    const fg = finding('github', hang);
    await run([bad, fh, fg], { http: { ...FAST, timeoutMs: 300 } });
    expect(bad.access?.status).toBe('invalid');
    expect(fake.requestsFor(bad.secret)).toHaveLength(1);
    expect(fh.access?.status).toBe('unknown');
    expect(fg.access?.status).toBe('unknown');
  });

  it('a refresh token is not sent anywhere', async () => {
    const t = tok('ghr:70', 9);
    const f = finding('github', t);
    await run([f]);
    expect(f.access?.status).toBe('skipped');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  it('GHES: an override with a path prefix is honoured', async () => {
    const t = tok('ghp', 10);
    fake.add(t, { login: 'ghes-user', scopes: ['repo'] });
    const f = finding('github', t);
    // The fake serves at /, so a prefix would 404; the point is that the request lands on the override origin.
    await lookupFindings([f], opts(configFor({ github: `${fake.url}/api/v3` })));
    expect(fake.requestsFor(t)[0].path).toBe('/api/v3/user');
    expect(f.access?.status).toBe('unknown');
  });
});

describe('github through octokit: client failures are not disguised', () => {
  it('a hang is reported as a timeout, not as octokit’s synthetic HTTP 500', async () => {
    const fake = await startFake(githubFake);
    const t = tok('ghp', 20);
    fake.add(t, { login: 'x', scopes: [] }).mode(t, { kind: 'hang' });
    const f = finding('github', t);
    await lookupFindings([f], opts(configFor({ github: fake.url }), { http: { ...FAST, timeoutMs: 300 } }));
    expect(f.access?.status).toBe('unknown');
    expect(f.access?.notes?.join(' ')).toMatch(/timeout after 300 ms/);
    await fake.close();
  });
});
