import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { parseStagedDiff, unquote } from '../../src/sources/git/staged.js';
import { CLI, ensureBuilt } from '../hook/built.js';
import { GitRepo } from '../support/git-repo.js';

// `keyscope staged` through the built CLI: only secrets on added lines of the index, exit 1 on any finding.

beforeAll(() => ensureBuilt(), 180_000);

const repos: GitRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

const tok = (kind: string, seed: number) => expandTemplate(`{{gen:${kind}}}`, seed);

function newRepo(initial = true): GitRepo {
  const r = GitRepo.create();
  repos.push(r);
  if (initial) {
    r.write('README.md', '# demo\n');
    r.commit('initial');
  }
  return r;
}

function staged(repo: GitRepo, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, 'staged', ...args], { cwd: repo.dir, env: repo.env(), encoding: 'utf8' });
}

function findings(
  r: SpawnSyncReturns<string>,
): { file: string; line: number; ruleId: string; access?: { status: string } }[] {
  try {
    return JSON.parse(r.stdout).findings;
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 500)}`);
  }
}

describe('keyscope staged (CLI)', () => {
  it('reports a secret on an added line and exits 1, without looking it up', () => {
    const repo = newRepo();
    const secret = tok('github:ghp', 91);
    repo.write('src/config.js', `const a = 1;\nconst b = 2;\nconst token = "${secret}";\n`);
    repo.add();
    const r = staged(repo, '--format', 'json');
    expect(r.status).toBe(1);
    const f = findings(r);
    expect(f.map((x) => [x.file, x.line, x.ruleId])).toEqual([['src/config.js', 3, 'github-classic-pat']]);
    expect(f[0].access?.status).toBe('skipped');
    expect(r.stdout).not.toContain(secret);
  });

  it('ignores a secret already committed on an unchanged line, reports one added next to it', () => {
    const repo = newRepo();
    const old = tok('github:ghp', 92);
    const added = tok('npm', 93);
    repo.write('env.sh', `export GITHUB_TOKEN=${old}\nexport A=1\n`);
    repo.commit('old secret');
    repo.write('env.sh', `export GITHUB_TOKEN=${old}\nexport A=2\n`);
    repo.add();
    const clean = staged(repo, '--format', 'json');
    expect(clean.status).toBe(0);
    expect(findings(clean)).toEqual([]);
    repo.write('env.sh', `export GITHUB_TOKEN=${old}\nexport A=2\nexport NPM_TOKEN=${added}\n`);
    repo.add();
    const r = staged(repo, '--format', 'json');
    expect(r.status).toBe(1);
    expect(findings(r).map((x) => [x.file, x.line])).toEqual([['env.sh', 3]]);
  });

  it('works before the first commit', () => {
    const repo = newRepo(false);
    repo.write('a.txt', `NPM_TOKEN=${tok('npm', 94)}\n`);
    repo.add();
    const r = staged(repo, '--format', 'json');
    expect(r.status).toBe(1);
    expect(findings(r).map((x) => x.file)).toEqual(['a.txt']);
  });

  it('only what is staged: unstaged edits and untracked files do not count', () => {
    const repo = newRepo();
    repo.write('a.txt', 'clean\n');
    repo.add();
    repo
      .write('a.txt', `GITHUB_TOKEN=${tok('github:ghp', 95)}\n`)
      .write('untracked.txt', `NPM_TOKEN=${tok('npm', 96)}\n`);
    const r = staged(repo, '--format', 'json');
    expect(r.status).toBe(0);
    expect(findings(r)).toEqual([]);
  });

  it('--fail-on above the finding exits 0; placeholders stay quiet', () => {
    const repo = newRepo();
    repo
      .write('doc.md', 'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n')
      .write('x.env', `T=${tok('github:ghp', 97)}\n`);
    repo.add();
    const r = staged(repo, '--format', 'json', '--fail-on', 'critical');
    expect(r.status).toBe(0);
    expect(findings(r).map((x) => x.file)).toEqual(['x.env']);
  });

  it('a renamed file with an old secret is not new; a deleted file is nothing', () => {
    const repo = newRepo();
    repo.write('old/name.env', `T=${tok('github:ghp', 98)}\nA=1\nB=2\nC=3\n`).write('gone.txt', 'bye\n');
    repo.commit('files');
    repo.mv('old/name.env', 'new/name.env');
    repo.rm('gone.txt');
    const r = staged(repo, '--format', 'json');
    expect(r.status).toBe(0);
    expect(findings(r)).toEqual([]);
  });

  it('honours GIT_INDEX_FILE, as git sets it for hooks of `commit -a` and `commit FILE`', () => {
    const repo = newRepo();
    const idx = path.join(repo.root, 'other-index');
    repo.write('a.txt', `GITHUB_TOKEN=${tok('github:ghp', 99)}\n`);
    spawnSync('git', ['read-tree', 'HEAD'], { cwd: repo.dir, env: { ...repo.env(), GIT_INDEX_FILE: idx } });
    spawnSync('git', ['add', 'a.txt'], { cwd: repo.dir, env: { ...repo.env(), GIT_INDEX_FILE: idx } });
    expect(staged(repo, '--format', 'json').status).toBe(0);
    const r = spawnSync(process.execPath, [CLI, 'staged', '--format', 'json'], {
      cwd: repo.dir,
      env: { ...repo.env(), GIT_INDEX_FILE: idx },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(findings(r).map((x) => x.file)).toEqual(['a.txt']);
  });

  it('exit 2 in a bare repository', () => {
    const bare = GitRepo.create({ bare: true });
    repos.push(bare);
    const r = staged(bare);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs a work tree/);
  });

  it('exit 2 outside a repository', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyscope-staged-norepo-'));
    try {
      const r = spawnSync(process.execPath, [CLI, 'staged'], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/not a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseStagedDiff', () => {
  it('reads added ranges, skips hunk bodies by count even when a line looks like a header', () => {
    const diff = [
      'diff --git a/x.txt b/x.txt',
      'index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -2,0 +3,2 @@ ctx',
      '+++ b/fake.txt',
      '+diff --git a/y b/y',
      '@@ -10 +12 @@',
      '-old',
      '+new',
      '\\ No newline at end of file',
      'diff --git a/"sp ace.txt" b/"sp ace.txt"',
      'new file mode 100755',
      'index 0000000000000000000000000000000000000000..3333333333333333333333333333333333333333',
      '--- /dev/null',
      '+++ "b/tab\\there.txt"',
      '@@ -0,0 +1 @@',
      '+x',
      '',
    ].join('\n');
    const { files } = parseStagedDiff(Buffer.from(diff));
    expect(files).toEqual([
      {
        path: 'x.txt',
        oid: '2'.repeat(40),
        mode: '100644',
        added: [
          [3, 4],
          [12, 12],
        ],
      },
      { path: 'tab\there.txt', oid: '3'.repeat(40), mode: '100755', added: [[1, 1]] },
    ]);
    expect(unquote('"caf\\303\\251.txt"')).toBe('café.txt');
  });
});
