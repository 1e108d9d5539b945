import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFakeOrg, type FakeOrg, publish, repoName } from '../../fixtures/fake-github-org/org.js';
import { FakeGitHubOrg } from '../../fixtures/fake-github-org/server.js';
import { fingerprint } from '../../src/detect/fingerprint.js';
import { ensureBuilt } from '../hook/built.js';
import { keyscope, parseJson } from './helpers.js';

// "Resolved since last scan" because a key stopped working: verification on, against the fake GitHub API (which is
// also the issuer for the planted GitHub tokens); every other issuer is pointed at the same fake, so nothing leaves
// 127.0.0.1.

const OWNER = 'beta';
const LIST_TOKEN = 'fake-list-token-not-a-secret';

let root: string;
let fake: FakeGitHubOrg;
let org: FakeOrg;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'keyscope-org-verify-'));
  org = buildFakeOrg({ root, owner: OWNER, count: 3, seed: 7 });
  fake = await new FakeGitHubOrg().addAccount(OWNER).addToken(LIST_TOKEN, 'night-bot').start();
  publish(fake, org);
  fake.addToken(org.unique.get(repoName(0))!, 'dev');
  env = {
    PATH: process.env.PATH,
    HOME: org.home,
    GIT_CONFIG_NOSYSTEM: '1',
    GITHUB_TOKEN: LIST_TOKEN,
    KEYSCOPE_GITHUB_BASE_URL: fake.url,
    KEYSCOPE_NPM_BASE_URL: fake.url,
  };
  dir = path.join(root, 'night');
  mkdirSync(dir, { recursive: true });
  // Nightly runs must look keys up again each night: no cached lookup outlives the run.
  writeFileSync(path.join(dir, 'keyscope.toml'), '[verify]\ncacheTtlHours = 0\n');
}, 120_000);

afterAll(async () => {
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const night = async (name: string) => {
  const r = await keyscope(dir, env, ['org', OWNER, '--format', 'json', '-o', `${name}.json`, '--fail-on', 'none']);
  expect(r.status, r.stderr).toBe(0);
  return parseJson(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
};

describe('keyscope org with verification', () => {
  const live = () => fingerprint(org.unique.get(repoName(0))!);

  it('a key that stops working is resolved (inactive), once, and stays in the report', async () => {
    const first = await night('n1');
    const status = (r: typeof first, id: string) =>
      r.findings.find((f) => f.id === id)?.access as { status?: string } | undefined;
    expect(status(first, live())?.status).toBe('live');
    expect(status(first, fingerprint(org.removed.secret))?.status).toBe('invalid');
    expect(fake.requests.some((q) => q.path === '/user' && q.token === org.unique.get(repoName(0)))).toBe(true);

    fake.revokeToken(org.unique.get(repoName(0))!, 'expired');
    const second = await night('n2');
    expect(status(second, live())?.status).toBe('inactive');
    expect(second.stats.resolvedSinceLastScan).toEqual([
      { id: live(), issuer: 'github', reason: 'inactive', redacted: expect.any(String) },
    ]);
    expect(second.stats.newSinceLastScan).toEqual([]);
    expect(second.findings.map((f) => f.id)).toContain(live());

    const third = await night('n3');
    expect(third.stats.resolvedSinceLastScan).toEqual([]);
    expect(third.stats.newSinceLastScan).toEqual([]);
  }, 120_000);
});
