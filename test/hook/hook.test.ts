import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { redact } from '../../src/detect/redact.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { installHook } from '../../src/hook/install.js';
import { CHAINED_NAME, HOOK_MARKER } from '../../src/hook/script.js';
import { GitRepo } from '../support/git-repo.js';
import { CLI, ensureBuilt } from './built.js';

// The native pre-commit hook in real temporary repositories, committing with the real git binary
// (no --no-verify), so the hook runs exactly as it would for a developer.

const repos: GitRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

beforeAll(() => ensureBuilt(), 180_000);

function newRepo(): GitRepo {
  const repo = GitRepo.create();
  repos.push(repo);
  repo.write('README.md', '# demo\n');
  repo.commit('initial');
  return repo;
}

function keyscope(repo: GitRepo, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: repo.dir, env: repo.env(), encoding: 'utf8' });
}

/** `git commit` with hooks enabled; output is stdout + stderr (git sends a pre-commit hook's stdout to stderr). */
function commit(repo: GitRepo, message: string): { status: number | null; out: string } {
  const r = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo.dir, env: repo.env(), encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function hooksDir(repo: GitRepo): string {
  return path.join(repo.dir, '.git', 'hooks');
}

function preCommitFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('pre-commit') && !f.endsWith('.sample')) : [];
}

const token = () => expandTemplate('{{gen:github:ghp}}', 11);

describe('keyscope hook install', () => {
  it('blocks a commit that stages a secret, naming file, line, issuer and the redacted value, and says how to proceed', () => {
    const repo = newRepo();
    const install = keyscope(repo, 'hook', 'install');
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain('installed');

    const secret = token();
    repo.write('src/config.ts', `// settings\nexport const region = 'eu';\nexport const token = '${secret}';\n`);
    repo.git('add', 'src/config.ts');
    const before = repo.head();
    const res = commit(repo, 'add config');
    expect(res.status).not.toBe(0);
    expect(repo.head()).toBe(before);
    expect(res.out).toContain('src/config.ts');
    expect(res.out).toMatch(/src\/config\.ts:3\b|line 3\b/);
    expect(res.out.toLowerCase()).toContain('github');
    expect(res.out).toContain(redact(secret));
    expect(res.out).not.toContain(secret);
    expect(res.out).toContain('keyscope:allow');
    expect(res.out).toContain('--no-verify');
    expect(res.out).toContain('How to proceed');

    // Removing the secret lets the same commit through.
    repo.write('src/config.ts', `// settings\nexport const region = 'eu';\nexport const token = process.env.TOKEN;\n`);
    repo.git('add', 'src/config.ts');
    const ok = commit(repo, 'add config');
    expect(ok.status, ok.out).toBe(0);
    expect(repo.head()).not.toBe(before);
  });

  it('lets a line marked keyscope:allow through', () => {
    const repo = newRepo();
    expect(keyscope(repo, 'hook', 'install').status).toBe(0);
    repo.write('fixture.ts', `export const sample = '${token()}'; // keyscope:allow test fixture\n`);
    repo.git('add', 'fixture.ts');
    const res = commit(repo, 'fixture');
    expect(res.status, res.out).toBe(0);
  });

  it('installing twice leaves one hook', () => {
    const repo = newRepo();
    expect(keyscope(repo, 'hook', 'install').status).toBe(0);
    const second = keyscope(repo, 'hook', 'install');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('updated');
    expect(preCommitFiles(hooksDir(repo))).toEqual(['pre-commit']);
    const text = readFileSync(path.join(hooksDir(repo), 'pre-commit'), 'utf8');
    expect(text.split(HOOK_MARKER).length - 1).toBe(1);
  });

  it('keeps an existing hook, runs it first, and restores it on uninstall', () => {
    const repo = newRepo();
    const dir = hooksDir(repo);
    mkdirSync(dir, { recursive: true });
    const ranLog = path.join(repo.root, 'existing-hook-ran.log');
    const original = `#!/bin/sh\necho ran >> '${ranLog}'\nif [ -f "$(git rev-parse --show-toplevel)/STOP" ]; then echo "existing hook says no" >&2; exit 3; fi\nexit 0\n`;
    writeFileSync(path.join(dir, 'pre-commit'), original);
    chmodSync(path.join(dir, 'pre-commit'), 0o755);

    const install = keyscope(repo, 'hook', 'install');
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain(CHAINED_NAME);
    expect(readFileSync(path.join(dir, CHAINED_NAME), 'utf8')).toBe(original);
    // A second install keeps the chain as it is.
    expect(keyscope(repo, 'hook', 'install').status).toBe(0);
    expect(preCommitFiles(dir).sort()).toEqual(['pre-commit', CHAINED_NAME].sort());

    repo.write('notes.txt', 'nothing secret\n');
    repo.git('add', 'notes.txt');
    const clean = commit(repo, 'notes');
    expect(clean.status, clean.out).toBe(0);
    expect(readFileSync(ranLog, 'utf8')).toBe('ran\n');

    // The existing hook's refusal stands.
    repo.write('STOP', 'x\n');
    repo.git('add', 'STOP');
    const refused = commit(repo, 'stop');
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain('existing hook says no');
    repo.git('rm', '-q', '--cached', 'STOP');
    rmSync(path.join(repo.dir, 'STOP'));

    // Both run: the existing hook passes, keyscope blocks.
    repo.write('leak.env', `GITHUB_TOKEN=${token()}\n`);
    repo.git('add', 'leak.env');
    const blocked = commit(repo, 'leak');
    expect(blocked.status).not.toBe(0);
    expect(blocked.out).toContain('leak.env');
    expect(readFileSync(ranLog, 'utf8')).toBe('ran\nran\nran\n');

    const un = keyscope(repo, 'hook', 'uninstall');
    expect(un.status, un.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'pre-commit'), 'utf8')).toBe(original);
    expect(existsSync(path.join(dir, CHAINED_NAME))).toBe(false);
  });

  it('honours core.hooksPath', () => {
    const repo = newRepo();
    repo.git('config', 'core.hooksPath', '.githooks');
    const install = keyscope(repo, 'hook', 'install');
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(path.join(repo.dir, '.githooks', 'pre-commit'))).toBe(true);
    expect(existsSync(path.join(hooksDir(repo), 'pre-commit'))).toBe(false);

    repo.write('app.py', `TOKEN = "${token()}"\n`);
    repo.git('add', 'app.py');
    const res = commit(repo, 'app');
    expect(res.status).not.toBe(0);
    expect(res.out).toContain('app.py');
  });

  it('refuses to clobber what it does not expect, and leaves foreign hooks alone on uninstall', () => {
    const repo = newRepo();
    const dir = hooksDir(repo);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(path.join(dir, CHAINED_NAME), '#!/bin/sh\necho leftover\n', { mode: 0o755 });

    const install = keyscope(repo, 'hook', 'install');
    expect(install.status).toBe(2);
    expect(install.stderr).toContain('refusing');
    expect(readFileSync(path.join(dir, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    expect(readFileSync(path.join(dir, CHAINED_NAME), 'utf8')).toBe('#!/bin/sh\necho leftover\n');

    const un = keyscope(repo, 'hook', 'uninstall');
    expect(un.status).toBe(2);
    expect(un.stderr).toContain('not installed by keyscope');
    expect(readFileSync(path.join(dir, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });

  it('falls back to keyscope on PATH when the installed paths are gone', () => {
    const repo = newRepo();
    installHook(repo.dir, { node: path.join(repo.root, 'gone', 'node'), cli: path.join(repo.root, 'gone', 'cli.js') });
    const bin = path.join(repo.root, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'keyscope'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
    repo.write('app.py', `TOKEN = "${token()}"\n`);
    repo.git('add', 'app.py');
    const env = { ...repo.env(), PATH: `${bin}:${repo.env().PATH}` };
    const r = spawnSync('git', ['commit', '-q', '-m', 'app'], { cwd: repo.dir, env, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('app.py');
    expect(`${r.stdout}${r.stderr}`).toContain('How to proceed');
  });

  it('uninstall without a hook says so and exits 0; outside a repository it is an error', () => {
    const repo = newRepo();
    const un = keyscope(repo, 'hook', 'uninstall');
    expect(un.status).toBe(0);
    expect(un.stdout).toContain('no keyscope pre-commit hook');

    const outside = spawnSync(process.execPath, [CLI, 'hook', 'install', '-C', repo.root], {
      env: repo.env(),
      encoding: 'utf8',
    });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('not a git repository');
  });
});
