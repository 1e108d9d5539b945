import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFakeOrg, type FakeOrg, publish, repoName } from '../../fixtures/fake-github-org/org.js';
import { FakeGitHubOrg } from '../../fixtures/fake-github-org/server.js';
import { fingerprint } from '../../src/detect/fingerprint.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { ensureBuilt } from '../hook/built.js';
import { essence, type JsonReport, keyscope, parseJson, reposOf } from './helpers.js';

// `keyscope org` end to end through the built CLI, against a fake GitHub API on 127.0.0.1 listing 50 repositories
// whose clone URLs are local bare repositories (plus one that cannot be cloned, one archived, one fork). The runs
// build on each other like nights of a schedule: cold, unchanged, two repositories changed; then a run killed
// half-way and resumed in a fresh state folder, and four shards merged, both compared with the uninterrupted run.

const OWNER = 'acme';
const TOKEN = 'fake-org-token-not-a-secret';

let root: string;
let fake: FakeGitHubOrg;
let org: FakeOrg;
let env: NodeJS.ProcessEnv;
const dirA = () => path.join(root, 'night');

function runIn(dir: string, ...args: string[]) {
  mkdirSync(dir, { recursive: true });
  return keyscope(dir, env, ['org', OWNER, '--offline', ...args]);
}

function read(file: string): JsonReport {
  return parseJson(readFileSync(file, 'utf8'), file);
}

/** Distinct blobs reachable in all the remotes (what a complete cold scan must read once each). */
function distinctBlobs(): number {
  const all = new Set<string>();
  for (const repo of org.repos.values()) {
    const out = execFileSync('git', ['rev-list', '--objects', '--all'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: repo.env(),
    });
    const oids = out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 40));
    const types = execFileSync('git', ['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
      cwd: repo.dir,
      input: `${oids.join('\n')}\n`,
      encoding: 'utf8',
      env: repo.env(),
    });
    for (const l of types.split('\n')) if (l.endsWith(' blob')) all.add(l.slice(0, 40));
  }
  return all.size;
}

beforeAll(async () => {
  ensureBuilt();
  root = mkdtempSync(path.join(tmpdir(), 'keyscope-org-'));
  org = buildFakeOrg({ root, owner: OWNER, count: 50 });
  fake = await new FakeGitHubOrg().addAccount(OWNER).addToken(TOKEN, 'night-bot').start();
  publish(fake, org);
  fake.addRepo(OWNER, { name: 'broken', cloneUrl: `file://${path.join(root, 'remotes', 'missing.git')}` });
  fake.addRepo(OWNER, { name: 'old-archive', cloneUrl: org.repos.get(repoName(1))!.url, archived: true });
  fake.addRepo(OWNER, {
    name: 'forked-lib',
    cloneUrl: org.repos.get(repoName(2))!.url,
    fork: true,
    visibility: 'public',
  });
  env = {
    PATH: process.env.PATH,
    HOME: org.home,
    GIT_CONFIG_NOSYSTEM: '1',
    KEYSCOPE_GITHUB_BASE_URL: fake.url,
    GITHUB_TOKEN: TOKEN,
    // What a developer's shell carries: simple-git's guard must not turn these into clone failures.
    EDITOR: 'vi',
    PAGER: 'less',
    GIT_SSL_CAINFO: '/etc/ssl/certs/ca-certificates.crt',
  };
}, 180_000);

afterAll(async () => {
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('keyscope org (CLI, fake GitHub, 50 repositories)', () => {
  let cold: JsonReport;
  let changed: JsonReport;
  const newSecret = expandTemplate('{{gen:github:ghp}}', 777_001);

  it('scans every repository, waits out a 403 rate-limit reply, and reports the one that fails to clone', async () => {
    fake.rateLimit({ path: `/orgs/${OWNER}/repos`, page: 1, times: 1, kind: 'primary', seconds: 1 });
    const r = await runIn(dirA(), '--format', 'json', '-o', 'cold.json');
    expect(r.status, r.stderr).toBe(1);
    cold = read(path.join(dirA(), 'cold.json'));
    const listing = fake.requestsTo(`/orgs/${OWNER}/repos`);
    expect(listing.map((x) => x.status)).toEqual([403, 200]);
    expect(listing[1].at - listing[0].at).toBeGreaterThanOrEqual(900);
    expect(listing.every((x) => x.token === TOKEN)).toBe(true);
    expect(r.stderr).toMatch(/rate limit .*waiting/);

    expect(cold.target).toMatchObject({ kind: 'org', owner: OWNER, account: 'org' });
    expect(cold.stats.repositories).toMatchObject({
      listed: 53,
      selected: 51,
      scanned: 50,
      failed: 1,
      excluded: 2,
      cloned: 50,
    });
    expect(cold.stats.skipped).toEqual([{ path: `${OWNER}/broken`, reason: expect.stringMatching(/^clone failed: /) }]);
    expect(Object.keys(cold.target.repositories ?? {})).toHaveLength(51);
    expect(cold.target.repositories?.[`${OWNER}/${repoName(3)}`]).toMatchObject({ visibility: 'public', forks: 3 });
    expect(r.stderr).toMatch(/\[51\/51\]/);

    const byId = new Map(cold.findings.map((f) => [f.id, f]));
    for (const [name, secret] of org.unique) {
      const f = byId.get(fingerprint(secret));
      expect(f, name).toBeDefined();
      expect(reposOf(f!)).toEqual([`${OWNER}/${name}`]);
      expect(f!.occurrences[0]).toMatchObject({ file: 'config/settings.env', line: 3 });
    }
    const removed = byId.get(fingerprint(org.removed.secret))!;
    expect(removed.occurrences).toEqual([
      expect.objectContaining({ repo: `${OWNER}/${org.removed.repo}`, file: 'scripts/ci.sh', inHead: false }),
    ]);
    expect(byId.get(fingerprint(org.sideBranch.secret))?.occurrences[0]).toMatchObject({
      file: 'experiment/client.py',
    });
    expect(cold.findings).toHaveLength(org.unique.size + 3);
    expect(cold.stats.newSinceLastScan?.sort()).toEqual([...byId.keys()].sort());
    expect(cold.stats.resolvedSinceLastScan).toEqual([]);
    // Every distinct blob of the org was read once (the shared LICENSE too, with one repository at a time racing at most).
    expect(cold.stats.blobsScanned).toBeGreaterThanOrEqual(distinctBlobs());
    expect(cold.stats.blobsScanned).toBeLessThanOrEqual(distinctBlobs() + 3);
  }, 180_000);

  it('makes a key planted in three repositories one finding with three repositories, scored for its spread', () => {
    const f = cold.findings.find((x) => x.id === fingerprint(org.shared.secret))!;
    expect(f.ruleId).toBe('npm-access-token');
    expect(reposOf(f)).toEqual(org.shared.repos.map((n) => `${OWNER}/${n}`).sort());
    expect(f.occurrences).toHaveLength(3);
    expect(f.risk?.factors?.find((x) => x.name === 'exposure')?.detail).toMatch(/in 3 repositories/);
  });

  it('a second night with nothing new scans no blob and re-scans no repository', async () => {
    const r = await runIn(dirA(), '--format', 'json', '-o', 'again.json');
    expect(r.status, r.stderr).toBe(1);
    const again = read(path.join(dirA(), 'again.json'));
    expect(again.stats.blobsScanned).toBe(0);
    expect(again.stats.repositories).toMatchObject({ scanned: 0, unchanged: 50, failed: 1, cloned: 0 });
    expect(essence(again)).toEqual(essence(cold));
    expect(again.stats.newSinceLastScan).toEqual([]);
    expect(again.stats.resolvedSinceLastScan).toEqual([]);
    expect(again.stats.run).toMatchObject({ resumed: false, previousRun: cold.stats.run?.id });
  }, 120_000);

  it('after two repositories get new commits, scans only their new blobs; reports new and resolved keys', async () => {
    const a = repoName(12);
    const b = repoName(33);
    org.repos.get(a)!.commit({
      message: 'prod config',
      files: { 'src/new.js': 'export const added = true;\n', 'config/prod.env': `GITHUB_TOKEN=${newSecret}\n` },
    });
    org.repos.get(b)!.commit({ message: 'docs', files: { 'README.md': `# ${b}\n\nNow with docs.\n` } });
    // The side branch holding a key is deleted upstream: fetch --prune drops it, the key is gone from every repository.
    org.repos.get(org.sideBranch.repo)!.deleteBranch('experiment');

    const r = await runIn(dirA(), '--format', 'json', '-o', 'changed.json');
    expect(r.status, r.stderr).toBe(1);
    changed = read(path.join(dirA(), 'changed.json'));
    expect(changed.stats.blobsScanned).toBe(3);
    expect(changed.stats.repositories).toMatchObject({ scanned: 3, unchanged: 47, failed: 1 });
    const id = fingerprint(newSecret);
    expect(changed.stats.newSinceLastScan).toEqual([id]);
    const side = fingerprint(org.sideBranch.secret);
    expect(changed.stats.resolvedSinceLastScan).toEqual([
      { id: side, issuer: 'github', reason: 'gone', redacted: cold.findings.find((f) => f.id === side)!.redacted },
    ]);
    expect(changed.findings.map((f) => f.id)).not.toContain(side);
    expect(reposOf(changed.findings.find((f) => f.id === id)!)).toEqual([`${OWNER}/${a}`]);
  }, 120_000);

  it('text and markdown reports show the repository count and the new/resolved counts', async () => {
    const t = await runIn(dirA(), '--format', 'text', '--no-color');
    expect(t.stdout).toMatch(/51 repositories, 0 new since last scan, 0 resolved since last scan/);
    const md = await runIn(dirA(), '--format', 'markdown');
    expect(md.stdout).toMatch(/0 new since last scan/);
  }, 120_000);

  it('a repository that cannot be fetched tonight keeps its last results: its keys are not "resolved"', async () => {
    const name = `${OWNER}/${repoName(10)}`;
    const listed = fake.repo(name);
    const url = listed.clone_url;
    listed.clone_url = `file://${path.join(root, 'remotes', 'gone-for-tonight.git')}`;
    try {
      const r = await runIn(dirA(), '--format', 'json', '-o', 'outage.json');
      expect(r.status, r.stderr).toBe(1);
      const outage = read(path.join(dirA(), 'outage.json'));
      expect(outage.stats.repositories).toMatchObject({ failed: 2, unchanged: 49 });
      expect(outage.stats.skipped).toContainEqual({ path: name, reason: expect.stringMatching(/^fetch failed: /) });
      expect(r.stderr).toMatch(/repo-010: failed: .*keeping its last results/);
      expect(essence(outage)).toEqual(essence(changed));
      expect(outage.stats.resolvedSinceLastScan).toEqual([]);
    } finally {
      listed.clone_url = url;
    }
  }, 120_000);

  it('killed half-way and started again, it finishes the rest, scans nothing twice and ends with the same findings', async () => {
    const dir = path.join(root, 'killed');
    mkdirSync(dir, { recursive: true });
    const killed = await keyscope(dir, { ...env, KEYSCOPE_ORG_STOP_AFTER: '20' }, [
      'org',
      OWNER,
      '--offline',
      '--concurrency',
      '1',
      '--format',
      'json',
    ]);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');
    const lines = killed.stderr.split('\n').filter((l) => /\[\d+\/51\]/.test(l));
    expect(lines).toHaveLength(20);
    const scannedBefore = lines.reduce((n, l) => n + Number(/: (\d+) blobs scanned/.exec(l)?.[1] ?? 0), 0);

    const r = await runIn(dir, '--concurrency', '1', '--format', 'json', '-o', 'resumed.json');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/resuming run/);
    const resumed = read(path.join(dir, 'resumed.json'));
    // broken sorts first and failed before the kill; 19 repositories were complete and are not scanned again.
    expect(resumed.stats.repositories).toMatchObject({ unchanged: 19, scanned: 31, failed: 1 });
    expect(resumed.stats.run?.resumed).toBe(true);
    expect(scannedBefore + resumed.stats.blobsScanned).toBe(distinctBlobs());
    expect(essence(resumed)).toEqual(essence(changed));
  }, 180_000);

  it('shards 1/4 … 4/4 merged equal the unsharded report', async () => {
    const mirrors = path.join(dirA(), '.keyscope', 'mirrors');
    const dir = path.join(root, 'shards');
    const runs = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        runIn(
          dir,
          '--shard',
          `${k}/4`,
          '--db',
          `shard${k}.db`,
          '--mirrors',
          mirrors,
          '--format',
          'json',
          '-o',
          `shard${k}.json`,
          '--fail-on',
          'none',
        ),
      ),
    );
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const shards = [1, 2, 3, 4].map((k) => read(path.join(dir, `shard${k}.json`)));
    const names = shards.map((s) => Object.keys(s.target.repositories ?? {}));
    expect(names.flat().sort()).toEqual(Object.keys(changed.target.repositories ?? {}).sort());
    expect(new Set(names.flat()).size).toBe(51);
    for (const [i, s] of shards.entries()) expect(s.stats.shard).toBe(`${i + 1}/4`);
    // The reused key really is split across shards, so the merge has something to join.
    const shared = fingerprint(org.shared.secret);
    expect(shards.filter((s) => s.findings.some((f) => f.id === shared)).length).toBeGreaterThanOrEqual(2);

    const m = await keyscope(dir, env, [
      'report',
      'merge',
      ...[1, 2, 3, 4].map((k) => `shard${k}.json`),
      '-o',
      'merged.json',
    ]);
    expect(m.status, m.stderr).toBe(1);
    const merged = read(path.join(dir, 'merged.json'));
    expect(essence(merged)).toEqual(essence(changed));
    expect(merged.target).toMatchObject({ kind: 'org', owner: OWNER, shards: ['1/4', '2/4', '3/4', '4/4'] });
    expect(merged.stats.blobsScanned).toBe(shards.reduce((n, s) => n + s.stats.blobsScanned, 0));
    expect(merged.stats.repositories).toMatchObject({ selected: 51, failed: 1 });
    expect(reposOf(merged.findings.find((f) => f.id === shared)!)).toHaveLength(3);
  }, 180_000);

  it('filters: --include/--exclude globs, --forks', async () => {
    const r = await runIn(
      path.join(root, 'filtered'),
      '--mirrors',
      path.join(dirA(), '.keyscope', 'mirrors'),
      '--include',
      'repo-00?',
      '--include',
      `${OWNER}/forked-*`,
      '--exclude',
      'repo-001',
      '--forks',
      '--format',
      'json',
      '--fail-on',
      'none',
    );
    expect(r.status, r.stderr).toBe(0);
    const rep = parseJson(r.stdout);
    expect(Object.keys(rep.target.repositories ?? {}).sort()).toEqual(
      [...Array.from({ length: 10 }, (_, i) => repoName(i)).filter((n) => n !== 'repo-001'), 'forked-lib']
        .map((n) => `${OWNER}/${n}`)
        .sort(),
    );
  }, 120_000);
});
