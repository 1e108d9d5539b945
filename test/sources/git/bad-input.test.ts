import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../../src/detect/checksums/all.js';
import { groupMatches } from '../../../src/detect/group.js';
import { expandTemplate } from '../../../src/detect/samples.js';
import { type HistoryScanOptions, scanHistory } from '../../../src/sources/git/scan-history.js';
import { GitRepo } from '../../support/git-repo.js';

// Each kind of awkward repository the issue lists: a clear message or a named skip, never a crash.

const tok = (kind: string, seed: number) => expandTemplate(`{{gen:${kind}}}`, seed);
const repos: GitRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

function fresh(): GitRepo {
  const r = GitRepo.create();
  repos.push(r);
  return r;
}

async function run(target: string, extra: Partial<HistoryScanOptions> = {}) {
  const res = await scanHistory({ target, rules: {}, workers: 0, maxFileSize: 100 << 20, cache: false, ...extra });
  return { res, findings: groupMatches(res.matches, res.occurrencesOf) };
}

describe('history on bad input', () => {
  it('not a repository: a clear error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyscope-norepo-'));
    try {
      await expect(run(dir)).rejects.toThrow(/is not a git repository/);
      await expect(run(path.join(dir, 'missing'))).rejects.toThrow(/no such file or directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an empty repository: nothing to scan, said so', async () => {
    const r = fresh();
    const { res, findings } = await run(r.dir);
    expect(findings).toEqual([]);
    expect(res.stats.notes.join(' ')).toMatch(/no commits/);
  });

  it('a shallow clone: scans what is there and says it is shallow', async () => {
    const r = fresh();
    const early = tok('github:ghp', 61);
    const late = tok('npm', 62);
    r.write('early.txt', `GITHUB_TOKEN=${early}\n`);
    r.commit('early');
    r.rm('early.txt');
    r.commit('drop early');
    r.write('late.txt', `NPM_TOKEN=${late}\n`);
    const lateCommit = r.commit('late');
    const clone = path.join(r.root, 'shallow');
    r.gitIn(r.root, 'clone', '-q', '--depth', '1', `file://${r.dir}`, clone);
    const { res, findings } = await run(clone);
    expect(res.stats.shallow).toBe(true);
    expect(res.stats.notes.join(' ')).toMatch(/shallow/);
    expect(findings.map((f) => [f.secret, f.occurrences[0].commit])).toEqual([[late, lateCommit]]);
  });

  it('a missing object: skipped, named, the rest scanned', async () => {
    const r = fresh();
    const a = tok('github:ghp', 63);
    const b = tok('npm', 64);
    r.write('a.txt', `GITHUB_TOKEN=${a}\n`).write('b.txt', `NPM_TOKEN=${b}\n`);
    r.commit('two');
    const oid = r.git('rev-parse', 'HEAD:a.txt');
    unlinkSync(r.objectPath(oid));
    const { res, findings } = await run(r.dir);
    expect(findings.map((f) => f.secret)).toEqual([b]);
    const skip = res.stats.skipped.find((s) => s.path.includes(oid.slice(0, 12)));
    expect(skip?.path).toMatch(/^a\.txt/);
    expect(skip?.reason).toMatch(/missing/);
  });

  it('a corrupt tree: the commit is skipped and named, other commits scanned', async () => {
    const r = fresh();
    const a = tok('github:ghp', 65);
    const b = tok('npm', 66);
    r.write('one/a.txt', `GITHUB_TOKEN=${a}\n`);
    r.commit('one');
    r.write('two/b.txt', `NPM_TOKEN=${b}\n`);
    const second = r.commit('two');
    const tree = r.git('rev-parse', 'HEAD:two');
    const file = r.objectPath(tree);
    execFileSync('chmod', ['u+w', file]);
    writeFileSync(file, 'garbage');
    const { res, findings } = await run(r.dir);
    expect(findings.map((f) => f.secret)).toEqual([a]);
    expect(res.stats.skipped.some((s) => s.path === `commit ${second}` && /cannot read/.test(s.reason))).toBe(true);
  });

  it('a submodule: not followed unless asked', async () => {
    const sub = fresh();
    const inner = tok('github:ghp', 67);
    sub.write('inner.txt', `GITHUB_TOKEN=${inner}\n`);
    sub.commit('inner');
    const sup = fresh();
    sup.write('top.txt', 'top\n');
    sup.commit('top');
    sup.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
    sup.commit('add submodule');
    const plain = await run(sup.dir);
    expect(plain.findings).toEqual([]);
    expect(plain.res.stats.skipped).toContainEqual({
      path: 'vendor/sub',
      reason: expect.stringMatching(/submodule.*--submodules/),
    });
    const followed = await run(sup.dir, { submodules: true });
    expect(followed.findings.map((f) => [f.secret, f.occurrences[0].file])).toEqual([[inner, 'vendor/sub/inner.txt']]);
    expect(followed.res.stats.skipped.some((s) => s.path === 'vendor/sub')).toBe(false);
  });

  it('a Git LFS pointer: reported as skipped, not scanned', async () => {
    const r = fresh();
    r.write('model.bin', `version https://git-lfs.github.com/spec/v1\noid sha256:${'ab12'.repeat(16)}\nsize 1234\n`);
    r.commit('lfs');
    const { res, findings } = await run(r.dir);
    expect(findings).toEqual([]);
    expect(res.stats.blobsScanned).toBe(0);
    expect(res.stats.skipped.find((s) => s.path.startsWith('model.bin'))?.reason).toMatch(/git-lfs pointer/);
  });

  it('a bare repository and a linked worktree give the same findings as the work tree', async () => {
    const r = fresh();
    const a = tok('github:ghp', 68);
    r.write('a.txt', `GITHUB_TOKEN=${a}\n`);
    const first = r.commit('one');
    const bare = path.join(r.root, 'bare.git');
    r.gitIn(r.root, 'clone', '-q', '--bare', r.dir, bare);
    const wt = path.join(r.root, 'wt');
    r.git('worktree', 'add', '-q', '-b', 'wt', wt);
    for (const target of [bare, wt]) {
      const { findings, res } = await run(target);
      expect(findings.map((f) => [f.secret, f.occurrences[0].commit, f.occurrences[0].file])).toEqual([
        [a, first, 'a.txt'],
      ]);
      expect(res.repo.bare).toBe(target === bare);
      expect(res.repo.linkedWorktree).toBe(target === wt);
    }
  });

  it('a blob of several hundred MB over the size limit: skipped with its size, drained, the rest scanned', async () => {
    const r = fresh();
    const a = tok('github:ghp', 69);
    const big = path.join(r.root, 'big.txt');
    // 320 MB of text, hashed straight into the object store (compresses to almost nothing).
    const line = `${'lorem ipsum '.repeat(10)}\n`;
    writeFileSync(big, line.repeat(Math.ceil((320 << 20) / line.length)));
    const oid = r.git('hash-object', '-w', big);
    unlinkSync(big);
    r.git('update-index', '--add', '--cacheinfo', `100644,${oid},big.txt`);
    r.write('a.txt', `GITHUB_TOKEN=${a}\n`);
    r.git('add', 'a.txt');
    r.commitStaged('big');
    const before = process.memoryUsage().rss;
    const { res, findings } = await run(r.dir);
    expect(findings.map((f) => f.secret)).toEqual([a]);
    const skip = res.stats.skipped.find((s) => s.path.startsWith('big.txt'));
    expect(skip?.reason).toMatch(/larger than the maximum file size/);
    // Drained, never held: memory did not grow by anything like the blob's size.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 << 20);
  }, 180_000);
});
