import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { CLI, ensureBuilt } from '../hook/built.js';
import { GitRepo } from '../support/git-repo.js';

// `keyscope history` through the built CLI, as CI runs it: JSON report contract, exit codes, cache, range.

beforeAll(() => ensureBuilt(), 180_000);

const repos: GitRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

const tok = (kind: string, seed: number) => expandTemplate(`{{gen:${kind}}}`, seed);

function keyscope(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
}

interface JsonFinding {
  id: string;
  ruleId: string;
  file: string;
  line: number;
  commit?: string;
  occurrences: {
    file: string;
    line: number;
    commit?: string;
    author?: string;
    date?: string;
    inHead?: boolean;
    refs?: string[];
  }[];
}
interface JsonReport {
  target: Record<string, unknown>;
  stats: {
    blobsScanned: number;
    filesScanned: number;
    skipped: { path: string; reason: string }[];
    [k: string]: unknown;
  };
  findings: JsonFinding[];
}

function json(r: SpawnSyncReturns<string>): JsonReport {
  try {
    return JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 500)}`);
  }
}

/** The parts of a finding that must not change between runs. */
const stable = (f: JsonFinding) => ({
  id: f.id,
  ruleId: f.ruleId,
  file: f.file,
  line: f.line,
  commit: f.commit,
  occurrences: f.occurrences,
});

describe('keyscope history (CLI)', () => {
  let repo: GitRepo;
  const a = tok('github:ghp', 81);
  const b = tok('npm', 82);
  const c: Record<string, string> = {};

  beforeAll(() => {
    repo = GitRepo.create();
    repos.push(repo);
    repo.write('app.js', 'console.log(1);\n');
    c.init = repo.commit('init');
    repo.write('secrets.env', `# dev\nGITHUB_TOKEN=${a}\n`);
    c.addA = repo.commit('add secrets');
    repo.rm('secrets.env');
    c.rmA = repo.commit('remove secrets');
    repo.checkout('pr', true).write('publish.sh', `npm publish --token ${b}\n`);
    c.addB = repo.commit('publish');
    repo.checkout('main');
  });

  it('reports each secret at its introducing commit, path and line, and exits 1', () => {
    const r = keyscope(repo.dir, repo.env(), 'history', '--format', 'json', '--offline', '--no-cache');
    expect(r.status).toBe(1);
    const rep = json(r);
    expect(rep.target.kind).toBe('history');
    const byFile = Object.fromEntries(rep.findings.map((f) => [f.file, f]));
    expect(byFile['secrets.env']).toMatchObject({ ruleId: 'github-classic-pat', line: 2, commit: c.addA });
    expect(byFile['publish.sh']).toMatchObject({ ruleId: 'npm-access-token', line: 1, commit: c.addB });
    const occ = byFile['secrets.env'].occurrences[0];
    expect(occ).toMatchObject({ author: 'Test Author <author@example.test>', inHead: false });
    expect(occ.refs).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/heads/pr']));
    expect(byFile['publish.sh'].occurrences[0].refs).toEqual(['refs/heads/pr']);
    expect(r.stdout).not.toContain(a);
  });

  it('--fail-on none exits 0 with the same findings', () => {
    const r = keyscope(
      repo.dir,
      repo.env(),
      'history',
      '--format',
      'json',
      '--offline',
      '--no-cache',
      '--fail-on',
      'none',
    );
    expect(r.status).toBe(0);
    expect(json(r).findings).toHaveLength(2);
  });

  it('a second run scans 0 blobs and reports identical findings; --no-cache writes nothing', () => {
    const cache = path.join(repo.root, 'cli-cache.db');
    const cold = json(keyscope(repo.dir, repo.env(), 'history', '--format', 'json', '--offline', '--cache', cache));
    const warm = json(keyscope(repo.dir, repo.env(), 'history', '--format', 'json', '--offline', '--cache', cache));
    expect(cold.stats.blobsScanned).toBeGreaterThan(0);
    expect(warm.stats.blobsScanned).toBe(0);
    expect(warm.findings.map(stable)).toEqual(cold.findings.map(stable));
    expect(existsSync(path.join(repo.dir, '.keyscope'))).toBe(false);
  });

  it('--range reports only what the range introduced', () => {
    const r = keyscope(
      repo.dir,
      repo.env(),
      'history',
      '--range',
      'main..pr',
      '--format',
      'json',
      '--offline',
      '--no-cache',
    );
    expect(r.status).toBe(1);
    const rep = json(r);
    expect(rep.target).toMatchObject({ kind: 'range', range: 'main..pr' });
    expect(rep.findings.map((f) => [f.file, f.commit])).toEqual([['publish.sh', c.addB]]);
  });

  it('--ref narrows to one branch', () => {
    const rep = json(
      keyscope(repo.dir, repo.env(), 'history', '--ref', 'main', '--format', 'json', '--offline', '--no-cache'),
    );
    expect(rep.findings.map((f) => f.file)).toEqual(['secrets.env']);
  });

  it('exit 2 with a clear message: not a repository, unknown range, bad range syntax', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyscope-cli-norepo-'));
    try {
      const r = keyscope(dir, repo.env(), 'history', '--offline');
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/is not a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = keyscope(repo.dir, repo.env(), 'history', '--range', 'nope..pr', '--offline');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown revision "nope"/);
    const syntax = keyscope(repo.dir, repo.env(), 'history', '--range', 'main', '--offline');
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toMatch(/BASE\.\.HEAD/);
  });

  it('an empty repository: exit 0, says there is nothing to scan', () => {
    const empty = GitRepo.create();
    repos.push(empty);
    const r = keyscope(empty.dir, empty.env(), 'history', '--format', 'json', '--offline', '--no-cache');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no commits/);
    expect(json(r).findings).toEqual([]);
  });

  it('a shallow clone: says it is shallow in the stats', () => {
    const clone = path.join(repo.root, 'shallow-cli');
    repo.gitIn(repo.root, 'clone', '-q', '--depth', '1', `file://${repo.dir}`, clone);
    const rep = json(
      keyscope(clone, repo.env(), 'history', '--format', 'json', '--offline', '--no-cache', '--fail-on', 'none'),
    );
    expect(rep.stats.shallow).toBe(true);
    expect(String(rep.stats.notes)).toMatch(/shallow/);
  });
});
