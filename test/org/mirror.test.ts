import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHttp } from '../../fixtures/fake-github-org/git-http.js';
import { BareRepo } from '../../fixtures/fake-github-org/repos.js';
import {
  authConfig,
  authEnv,
  cleanGitMessage,
  mirrorEnv,
  mirrorPath,
  readRefs,
  sameRefs,
  syncMirror,
} from '../../src/org/mirror.js';

// The mirror cache with real git: clone --mirror once, fetch --prune after; the token goes to git as an
// http.extraHeader on its command line, never into the remote URL or the mirror's config.

let root: string;
let remote: BareRepo;
const TOKEN = 'fake-clone-token-0123456789';
const AUTH = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'keyscope-mirror-'));
  remote = BareRepo.init(path.join(root, 'remotes', 'acme', 'app.git'), path.join(root, 'home'));
  remote.commit({ message: 'init', files: { 'a.txt': 'one\n' } });
  remote.commit({ message: 'side', branch: 'topic', from: 'refs/heads/main', files: { 'b.txt': 'two\n' } });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('syncMirror', () => {
  it('clones a bare mirror first, then fetches with --prune (new commits in, deleted branches out)', async () => {
    const mirrors = path.join(root, 'mirrors-1');
    const first = await syncMirror('acme/app', remote.url, { mirrorsDir: mirrors });
    expect(first).toMatchObject({ action: 'cloned', dir: path.join(mirrors, 'acme', 'app.git') });
    expect(Object.keys(await readRefs(first.dir)).sort()).toEqual(['refs/heads/main', 'refs/heads/topic']);
    const before = await readRefs(first.dir);

    const [tip] = remote.commit({ message: 'more', files: { 'c.txt': 'three\n' } });
    remote.deleteBranch('topic');
    const second = await syncMirror('acme/app', remote.url, { mirrorsDir: mirrors });
    expect(second.action).toBe('fetched');
    const after = await readRefs(second.dir);
    expect(after).toEqual({ 'refs/heads/main': tip });
    expect(sameRefs(before, after)).toBe(false);
    expect(sameRefs(after, { ...after })).toBe(true);
    expect(readdirSync(path.join(mirrors, 'acme'))).toEqual(['app.git']);
  });

  it('follows a repository to a new clone URL (renamed, transferred) without cloning again', async () => {
    const mirrors = path.join(root, 'mirrors-5');
    await syncMirror('acme/app', remote.url, { mirrorsDir: mirrors });
    const moved = path.join(root, 'remotes', 'acme', 'moved.git');
    execFileSync('git', ['clone', '--mirror', '--quiet', remote.dir, moved], { env: remote.env() });
    const again = await syncMirror('acme/app', pathToFileURL(moved).href, { mirrorsDir: mirrors });
    expect(again.action).toBe('fetched');
    expect(readFileSync(path.join(again.dir, 'config'), 'utf8')).toContain(`url = ${pathToFileURL(moved).href}`);
  });

  it('a failed clone is an error naming the cause and leaves nothing behind', async () => {
    const mirrors = path.join(root, 'mirrors-2');
    await expect(
      syncMirror('acme/gone', `file://${path.join(root, 'nope.git')}`, { mirrorsDir: mirrors }),
    ).rejects.toThrow(/^clone failed: fatal: .*does not appear to be a git repository/);
    expect(existsSync(mirrorPath(mirrors, 'acme/gone'))).toBe(false);
    expect(existsSync(path.join(mirrors, 'acme')) ? readdirSync(path.join(mirrors, 'acme')) : []).toEqual([]);
  });

  it('over HTTP the token travels as an Authorization header only, never in the URL or the mirror config', async () => {
    const server = await new FakeGitHttp(path.join(root, 'remotes'), AUTH).start();
    try {
      const url = `${server.url}/acme/app.git`;
      const mirrors = path.join(root, 'mirrors-3');
      const res = await syncMirror('acme/app', url, { mirrorsDir: mirrors, token: TOKEN });
      expect(res.action).toBe('cloned');
      expect(server.seen.length).toBeGreaterThan(0);
      expect(server.seen.every((s) => s.authorization === AUTH)).toBe(true);
      const config = readFileSync(path.join(res.dir, 'config'), 'utf8');
      expect(config).toContain(`url = ${url}`);
      expect(config).not.toContain(TOKEN);
      expect(config).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
      expect(config.toLowerCase()).not.toContain('extraheader');
      expect((await syncMirror('acme/app', url, { mirrorsDir: mirrors, token: TOKEN })).action).toBe('fetched');

      // Without the token the server refuses; git must fail at once (no prompt) and the message must stay clean.
      const err = await syncMirror('acme/app', url, {
        mirrorsDir: path.join(root, 'mirrors-4'),
        token: 'wrong-token-value',
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^clone failed: /);
      expect((err as Error).message).not.toContain('wrong-token-value');
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('helpers', () => {
  it('scopes the auth header to the clone URL host, and only for http(s)', () => {
    expect(authConfig('https://github.example/acme/app.git', 't0k')).toEqual([
      `http.https://github.example/.extraHeader=Authorization: Basic ${Buffer.from('x-access-token:t0k').toString('base64')}`,
    ]);
    expect(authConfig('file:///srv/app.git', 't0k')).toEqual([]);
    expect(authConfig('git@github.com:acme/app.git', 't0k')).toEqual([]);
    expect(authConfig('https://github.example/acme/app.git', undefined)).toEqual([]);
  });

  it('passes the user environment to git without editors or pagers, never prompting', () => {
    const { env, unsafe } = mirrorEnv({
      PATH: '/bin',
      EDITOR: 'vi',
      GIT_PAGER: 'less',
      GIT_SSH_COMMAND: 'ssh -i k',
      HTTPS_PROXY: 'http://p:3128',
    });
    expect(env).toEqual({
      PATH: '/bin',
      GIT_SSH_COMMAND: 'ssh -i k',
      HTTPS_PROXY: 'http://p:3128',
      GIT_TERMINAL_PROMPT: '0',
    });
    expect(unsafe).toEqual({ allowUnsafeSshCommand: true });
  });

  it('keeps mirror paths inside the cache folder', () => {
    expect(mirrorPath('/m', 'acme/app')).toBe(path.join('/m', 'acme', 'app.git'));
    expect(mirrorPath('/m', '../x')).toBe('/m/_/x.git');
    expect(mirrorPath('/m', 'acme/..')).toBe('/m/acme/_.git');
    expect(mirrorPath('/m', 'acme/a b;c')).toBe('/m/acme/a_b_c.git');
  });

  it('strips credentials from git messages', () => {
    const msg =
      "hint: x\nfatal: unable to access 'https://user:s3cret@github.example/a.git/': Authorization: Basic abc== failed"; // keyscope:allow fake credential in a redaction test
    const clean = cleanGitMessage(msg, 's3cret');
    expect(clean).toMatch(/^fatal: unable to access/);
    expect(clean).not.toContain('s3cret');
    expect(clean).not.toContain('abc==');
  });
});

describe('authEnv', () => {
  it('puts the auth header in git config environment entries, after the user’s own', () => {
    const env = authEnv('https://github.example/acme/app.git', 't0k', { GIT_CONFIG_COUNT: '2' });
    expect(env.GIT_CONFIG_COUNT).toBe('3');
    expect(env.GIT_CONFIG_KEY_2).toBe('http.https://github.example/.extraHeader');
    expect(env.GIT_CONFIG_VALUE_2).toBe(`Authorization: Basic ${Buffer.from('x-access-token:t0k').toString('base64')}`);
    expect(authEnv('file:///srv/app.git', 't0k')).toEqual({});
  });
});
