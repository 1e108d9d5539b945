import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHubOrg } from '../../fixtures/fake-github-org/server.js';
import { filterRepos, globRegExp, listRepos, OrgListError, type OrgRepo } from '../../src/github/org.js';

// Repository enumeration against the fake GitHub API: every page through Link headers, org vs user accounts,
// rate-limit 403s waited out (bounded), clear errors, and the name/visibility/fork/archive filters.

let fake: FakeGitHubOrg;
beforeEach(async () => {
  fake = await new FakeGitHubOrg().start();
});
afterEach(async () => {
  await fake.close();
});

function addMany(owner: string, n: number): void {
  for (let i = 0; i < n; i++) {
    fake.addRepo(owner, {
      name: `svc-${String(i).padStart(3, '0')}`,
      cloneUrl: `file:///nowhere/svc-${i}.git`,
      visibility: i % 2 ? 'private' : 'public',
    });
  }
}

describe('listRepos', () => {
  it('follows every page of an org listing (100 per page) and returns the repositories sorted', async () => {
    fake.addAccount('acme');
    addMany('acme', 250);
    const res = await listRepos({ owner: 'acme', baseUrl: fake.url });
    expect(res.kind).toBe('org');
    expect(res.repos).toHaveLength(250);
    expect(res.repos[0]).toMatchObject({
      fullName: 'acme/svc-000',
      owner: 'acme',
      name: 'svc-000',
      visibility: 'public',
    });
    expect(res.repos.map((r) => r.fullName)).toEqual([...res.repos.map((r) => r.fullName)].sort());
    const pages = fake.requestsTo('/orgs/acme/repos');
    expect(pages.map((p) => p.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((p) => p.query.get('per_page') === '100' && p.query.get('type') === 'all')).toBe(true);
  });

  it('lists a user: the public repositories, or all of them when the token is that user’s own', async () => {
    fake.addAccount('octo', 'User');
    addMany('octo', 4);
    const anon = await listRepos({ owner: 'octo', baseUrl: fake.url });
    expect(anon.kind).toBe('user');
    expect(anon.repos.map((r) => r.name)).toEqual(['svc-000', 'svc-002']);
    expect(fake.requestsTo('/orgs/octo/repos')).toHaveLength(0);

    fake.addToken('octo-token', 'octo');
    const own = await listRepos({ owner: 'octo', baseUrl: fake.url, token: 'octo-token' });
    expect(own.repos).toHaveLength(4);
    expect(fake.requestsTo('/user/repos').at(-1)?.token).toBe('octo-token');
  });

  it('waits out a primary rate limit (403, x-ratelimit-remaining: 0) and finishes the listing', async () => {
    fake.addAccount('acme');
    addMany('acme', 150);
    fake.rateLimit({ path: '/orgs/acme/repos', page: 2, times: 1, kind: 'primary', seconds: 1 });
    const logs: string[] = [];
    const res = await listRepos({ owner: 'acme', baseUrl: fake.url, log: (m) => logs.push(m) });
    expect(res.repos).toHaveLength(150);
    expect(res.rateLimited).toBe(1);
    const page2 = fake.requestsTo('/orgs/acme/repos').filter((r) => r.query.get('page') === '2');
    expect(page2.map((r) => r.status)).toEqual([403, 200]);
    expect(page2[1].at - page2[0].at).toBeGreaterThanOrEqual(900);
    expect(logs.join('\n')).toMatch(/primary rate limit .*waiting \d+ s/);
  }, 20_000);

  it('waits out a secondary rate limit (retry-after)', async () => {
    fake.addAccount('acme');
    addMany('acme', 3);
    fake.rateLimit({ path: '/orgs/acme/repos', times: 2, kind: 'secondary', seconds: 1 });
    const res = await listRepos({ owner: 'acme', baseUrl: fake.url });
    expect(res.repos).toHaveLength(3);
    expect(fake.requestsTo('/orgs/acme/repos').map((r) => r.status)).toEqual([403, 403, 200]);
  }, 20_000);

  it('gives up on a rate-limit window longer than allowed, with a clear error instead of hanging', async () => {
    fake.addAccount('acme');
    addMany('acme', 3);
    fake.rateLimit({ path: '/orgs/acme/repos', times: 1, kind: 'primary', seconds: 3600 });
    const t0 = Date.now();
    await expect(listRepos({ owner: 'acme', baseUrl: fake.url, maxWaitSeconds: 5 })).rejects.toThrow(
      /listing repositories of acme: HTTP 403: API rate limit exceeded/,
    );
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('names the problem: unknown owner, bad token', async () => {
    fake.addAccount('acme');
    await expect(listRepos({ owner: 'nobody', baseUrl: fake.url })).rejects.toThrow(
      new OrgListError('GitHub: no organisation or user named nobody'),
    );
    fake.addToken('good', 'bot');
    await expect(listRepos({ owner: 'acme', baseUrl: fake.url, token: 'bad' })).rejects.toThrow(
      /401.*Bad credentials.*GITHUB_TOKEN/,
    );
  });
});

describe('filterRepos', () => {
  const repo = (name: string, extra: Partial<OrgRepo> = {}): OrgRepo => ({
    fullName: `acme/${name}`,
    owner: 'acme',
    name,
    cloneUrl: `file:///x/${name}.git`,
    visibility: 'private',
    fork: false,
    forks: 0,
    archived: false,
    ...extra,
  });
  const all = [
    repo('api'),
    repo('web', { visibility: 'public' }),
    repo('old', { archived: true }),
    repo('lib-fork', { fork: true }),
    repo('infra-prod'),
    repo('infra-dev', { visibility: 'internal' }),
  ];
  const base = { include: [], exclude: [], archived: false, forks: false, visibility: 'all' as const };
  const names = (r: { kept: OrgRepo[] }) => r.kept.map((x) => x.name);

  it('skips archived repositories and forks unless asked, and says why', () => {
    const r = filterRepos(all, base);
    expect(names(r)).toEqual(['api', 'web', 'infra-prod', 'infra-dev']);
    expect(r.excluded).toEqual([
      { repo: 'acme/old', reason: expect.stringMatching(/^archived/) },
      { repo: 'acme/lib-fork', reason: expect.stringMatching(/^fork/) },
    ]);
    expect(names(filterRepos(all, { ...base, archived: true, forks: true }))).toHaveLength(6);
  });

  it('filters by visibility and by include/exclude globs on the name or owner/name', () => {
    expect(names(filterRepos(all, { ...base, visibility: 'public' }))).toEqual(['web']);
    expect(names(filterRepos(all, { ...base, include: ['infra-*'] }))).toEqual(['infra-prod', 'infra-dev']);
    expect(names(filterRepos(all, { ...base, include: ['infra-*'], exclude: ['*-dev'] }))).toEqual(['infra-prod']);
    expect(names(filterRepos(all, { ...base, include: ['ACME/{nothing}', 'acme/a?i'] }))).toEqual(['api']);
    expect(names(filterRepos(all, { ...base, exclude: ['[aw]*'] }))).toEqual(['infra-prod', 'infra-dev']);
  });

  it('globs: * stays within a segment, ** crosses it, case-insensitive, regex characters literal', () => {
    expect(globRegExp('a*').test('a/b')).toBe(false);
    expect(globRegExp('a**').test('a/b')).toBe(true);
    expect(globRegExp('Web.*').test('web.site')).toBe(true);
    expect(globRegExp('web.*').test('webXsite')).toBe(false);
    expect(globRegExp('svc-[!0-4]').test('svc-7')).toBe(true);
    expect(globRegExp('svc-[!0-4]').test('svc-3')).toBe(false);
  });
});
