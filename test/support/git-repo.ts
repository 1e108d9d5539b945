import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Real temporary git repositories for tests and benchmarks, built with the git binary.
// No dependence on the user's git config: HOME points at an empty folder, global and system config are off,
// author/committer and dates are fixed, and every commit is one minute after the previous one.

const BASE_TIME = Date.UTC(2024, 0, 1, 12, 0, 0) / 1000;

export interface CommitOptions {
  author?: string;
  email?: string;
  /** Allow a commit with no changes. */
  allowEmpty?: boolean;
}

export class GitRepo {
  private tick = 0;
  private readonly home: string;

  private constructor(
    readonly dir: string,
    readonly root: string,
  ) {
    this.home = path.join(root, 'home');
    mkdirSync(this.home, { recursive: true });
  }

  /** A new repository on branch `main` in a fresh temp folder. */
  static create(opts: { bare?: boolean; name?: string } = {}): GitRepo {
    const root = mkdtempSync(path.join(tmpdir(), 'keyscope-git-'));
    const dir = path.join(root, opts.name ?? 'repo');
    mkdirSync(dir, { recursive: true });
    const repo = new GitRepo(dir, root);
    repo.git('-c', 'init.defaultBranch=main', 'init', '-q', ...(opts.bare ? ['--bare'] : []), '.');
    return repo;
  }

  /** A new repository at a fixed folder (benchmarks keep theirs under bench/.work); `root` holds HOME. */
  static initAt(dir: string, root: string): GitRepo {
    mkdirSync(dir, { recursive: true });
    const repo = new GitRepo(dir, root);
    repo.git('-c', 'init.defaultBranch=main', 'init', '-q', '.');
    return repo;
  }

  /** Another repository in the same temp root (clones, submodules), cleaned up with this one. */
  sibling(name: string, opts: { bare?: boolean } = {}): GitRepo {
    const dir = path.join(this.root, name);
    mkdirSync(dir, { recursive: true });
    const repo = new GitRepo(dir, this.root);
    repo.git('-c', 'init.defaultBranch=main', 'init', '-q', ...(opts.bare ? ['--bare'] : []), '.');
    return repo;
  }

  /** Wraps an existing folder (a clone made by `git clone`). */
  at(dir: string): GitRepo {
    return new GitRepo(dir, this.root);
  }

  env(): NodeJS.ProcessEnv {
    const t = `${BASE_TIME + this.tick * 60} +0000`;
    return {
      PATH: process.env.PATH,
      HOME: this.home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: path.join(this.home, 'gitconfig'),
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.test',
      GIT_COMMITTER_NAME: 'Test Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.test',
      GIT_AUTHOR_DATE: t,
      GIT_COMMITTER_DATE: t,
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
    };
  }

  /** Runs git in the repository; returns trimmed stdout. */
  git(...args: string[]): string {
    return this.gitIn(this.dir, ...args);
  }

  gitIn(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd,
      env: this.env(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
    }).replace(/\n$/, '');
  }

  write(file: string, content: string | Buffer): this {
    const abs = path.join(this.dir, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return this;
  }

  rm(file: string): this {
    this.git('rm', '-q', '--', file);
    return this;
  }

  mv(from: string, to: string): this {
    mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    this.git('mv', from, to);
    return this;
  }

  add(...files: string[]): this {
    this.git('add', '-A', '--', ...(files.length ? files : ['.']));
    return this;
  }

  /** Stages everything and commits; returns the new commit id. */
  commit(message: string, opts: CommitOptions = {}): string {
    this.tick++;
    this.git('add', '-A');
    const args = ['commit', '-q', '--no-verify', '-m', message];
    if (opts.allowEmpty) args.push('--allow-empty');
    if (opts.author) args.push(`--author=${opts.author} <${opts.email ?? 'someone@example.test'}>`);
    this.git(...args);
    return this.git('rev-parse', 'HEAD');
  }

  /** Commits exactly what is staged (no `add -A`). */
  commitStaged(message: string): string {
    this.tick++;
    this.git('commit', '-q', '--no-verify', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  checkout(branch: string, create = false): this {
    this.git('checkout', '-q', ...(create ? ['-b'] : []), branch);
    return this;
  }

  /** Starts a merge without committing, so the test can add changes of the merge's own. */
  mergeNoCommit(branch: string): this {
    this.tick++;
    this.git('merge', '-q', '--no-ff', '--no-commit', branch);
    return this;
  }

  merge(branch: string, message = `merge ${branch}`): string {
    this.tick++;
    this.git('merge', '-q', '--no-ff', '-m', message, branch);
    return this.git('rev-parse', 'HEAD');
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  /** Path of a loose object file, for corruption tests. */
  objectPath(oid: string): string {
    const gitDir = this.git('rev-parse', '--absolute-git-dir');
    return path.join(gitDir, 'objects', oid.slice(0, 2), oid.slice(2));
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
