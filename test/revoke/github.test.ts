// GitHub: the credential revocation API takes up to 1,000 tokens a request, unauthenticated, 60 requests an hour.
// 2,500 leaked tokens → 3 requests. Installation tokens (ghs_) revoke themselves; GHES authenticates.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { githubRevokeFake } from '../../fixtures/fake-issuers/revoke/github.js';
import { isRevoked, stateOf } from '../../fixtures/fake-issuers/revoke/state.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { AuditLog } from '../../src/revoke/audit.js';
import type { Finding } from '../../src/types.js';
import { calls, cfg, harness, keyFinding, tok } from './harness.js';

describe('github revocation', () => {
  let fake: FakeIssuer<Record<string, unknown>>;
  beforeAll(async () => {
    fake = await startFake(githubRevokeFake);
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    stateOf(fake).fail = undefined;
  });

  const many = (n: number, template = '{{gen:github:ghp}}'): Finding[] =>
    Array.from({ length: n }, () => {
      const f = keyFinding('github', tok(template));
      fake.add(f.secret, {});
      return f;
    });

  it('2,500 leaked tokens are revoked in 3 requests (1000 + 1000 + 500), unauthenticated', async () => {
    const keys = many(2500);
    const h = harness();
    const res = await h.run(keys, cfg({ github: fake.url }, { max_per_run: 5000 }), { yes: true, verifyDelaysMs: [] });
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/credentials/revoke');
    expect(posts).toHaveLength(3);
    expect(posts.map((p) => JSON.parse(p.body).credentials.length)).toEqual([1000, 1000, 500]);
    for (const p of posts) expect(p.headers.authorization).toBeUndefined();
    expect(keys.every((k) => isRevoked(fake, k.secret))).toBe(true);
    expect(keys.every((k) => k.revocation?.result === 'revoked')).toBe(true);
    expect(res.summary.counts.revoked).toBe(2500);
    expect(new Set(posts.flatMap((p) => JSON.parse(p.body).credentials)).size).toBe(2500);
  });

  it('keeps within 60 requests an hour across runs: a spent budget sends nothing and says when it frees up', async () => {
    const h = harness();
    const audit = new AuditLog({ dbFile: h.db, jsonlFile: '', runId: 'earlier', actor: 'x', mode: 'execute' });
    for (let i = 0; i < 59; i++) expect(audit.take(`github:credentials/revoke@${fake.url}`, 60, 3_600_000)).toBe(true);
    const keys = many(1500);
    await h.run(keys, cfg({ github: fake.url }, { max_per_run: 5000 }), { yes: true, verifyDelaysMs: [] });
    expect(calls(fake.requests, 'POST', '/credentials/revoke')).toBe(1);
    expect(keys.filter((k) => k.revocation?.result === 'revoked')).toHaveLength(1000);
    const held = keys.filter((k) => k.revocation?.result === 'failed');
    expect(held).toHaveLength(500);
    expect(held[0].revocation?.detail).toMatch(/60 requests\/hour budget .* spent \(frees up at \d{4}-/);
  });

  it('covers ghp_, github_pat_, gho_, ghu_ and ghr_ in one batch; ghs_ revokes itself with DELETE /installation/token', async () => {
    const keys = [
      ...many(1, '{{gen:github:ghp}}'),
      ...many(1, '{{gen:github:github_pat:82}}'),
      ...many(1, '{{gen:github:gho}}'),
      ...many(1, '{{gen:github:ghu}}'),
      ...many(1, '{{gen:github:ghr:76}}'),
    ];
    const installation = many(1, '{{gen:github:ghs}}')[0];
    await harness().run([...keys, installation], cfg({ github: fake.url }), { yes: true });
    expect(calls(fake.requests, 'POST', '/credentials/revoke')).toBe(1);
    const del = fake.requests.filter((r) => r.method === 'DELETE' && r.path === '/installation/token');
    expect(del).toHaveLength(1);
    expect(del[0].headers.authorization).toBe(`token ${installation.secret}`);
    for (const k of [...keys, installation]) expect(isRevoked(fake, k.secret), k.redacted).toBe(true);
  });

  it('GitHub Enterprise Server (/api/v3): authenticated with the operator token; ghp_/github_pat_ only', async () => {
    const operator = tok('{{gen:github:ghp}}');
    fake.add(operator, {});
    const pat = many(1)[0];
    const oauth = many(1, '{{gen:github:gho}}')[0];
    const res = await harness().run([pat, oauth], cfg({ github: `${fake.url}/api/v3` }), {
      yes: true,
      env: { KEYSCOPE_GITHUB_REVOKE_TOKEN: operator },
    });
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/credentials/revoke');
    expect(posts).toHaveLength(1);
    expect(posts[0].headers.authorization).toBe(`Bearer ${operator}`);
    expect(JSON.parse(posts[0].body).credentials).toEqual([pat.secret]);
    expect(isRevoked(fake, pat.secret)).toBe(true);
    expect(oauth.revocation?.result).toBe('manual');
    expect(oauth.revocation?.detail).toMatch(/Enterprise Server revokes only ghp_ and github_pat_/);
    expect(isRevoked(fake, operator)).toBe(false);
    expect(res.plan.items.find((i) => i.fingerprint === pat.id)?.requests[0]).toMatch(/authenticated .*GHES/);
  });

  it('GHES without an operator token sends nothing and says what to set', async () => {
    const pat = many(1)[0];
    await harness().run([pat], cfg({ github: `${fake.url}/api/v3` }), { yes: true });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(pat.revocation?.result).toBe('failed');
    expect(pat.revocation?.detail).toMatch(/KEYSCOPE_GITHUB_REVOKE_TOKEN/);
  });

  it('a 422 ("endpoint spammed") fails the batch; a 500 is retried, then fails; the run goes on', async () => {
    const keys = many(2);
    stateOf(fake).fail = { kind: 'error', status: 422 };
    await harness().run(keys, cfg({ github: fake.url }), { yes: true });
    expect(keys.map((k) => k.revocation?.result)).toEqual(['failed', 'failed']);
    expect(keys[0].revocation?.detail).toMatch(/HTTP 422/);
    stateOf(fake).fail = { kind: 'error', status: 500, times: 1 };
    fake.reset();
    const again = many(1);
    await harness().run(again, cfg({ github: fake.url }), { yes: true });
    expect(calls(fake.requests, 'POST', '/credentials/revoke')).toBe(2);
    expect(again[0].revocation?.result).toBe('revoked');
  });

  it('a token type the API does not take gets the runbook instead of a request', async () => {
    const refresh = keyFinding('github', tok('ghx_{{rand:A-Za-z0-9:36}}'));
    await harness().run([refresh], cfg({ github: fake.url }), { yes: true });
    expect(fake.requests).toHaveLength(0);
    expect(refresh.revocation?.result).toBe('manual');
    expect(refresh.revocation?.runbook?.[0]).toBe('https://github.com/settings/tokens');
  });
});
