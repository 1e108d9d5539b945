import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderOccurrences } from '../../../src/cli/commands/history.js';
import '../../../src/detect/checksums/all.js';
import { groupMatches } from '../../../src/detect/group.js';
import { expandTemplate } from '../../../src/detect/samples.js';
import { type HistoryScanOptions, scanHistory } from '../../../src/sources/git/scan-history.js';
import type { Finding } from '../../../src/types.js';
import { GitRepo } from '../../support/git-repo.js';

// history end to end below the report, with the real rule catalog and a repository built to hold every
// case the issue names: added then removed, renamed, edited, on an unmerged branch, merged from a branch,
// added by a merge commit itself, duplicated at two paths, next to placeholders that must stay quiet.

const tok = (kind: string, seed: number) => expandTemplate(`{{gen:${kind}}}`, seed);

async function run(repo: string, extra: Partial<HistoryScanOptions> = {}) {
  const res = await scanHistory({
    target: repo,
    rules: {},
    workers: 0,
    maxFileSize: 100 << 20,
    cache: false,
    ...extra,
  });
  const findings = groupMatches(res.matches, res.occurrencesOf);
  orderOccurrences(findings, res.commitOrder);
  return { res, findings };
}

function bySecret(findings: Finding[], secret: string): Finding | undefined {
  return findings.find((f) => f.secret === secret);
}

/** What a finding says at its top level: its first occurrence. */
function top(f: Finding | undefined) {
  const o = f?.occurrences[0];
  return o && { commit: o.commit, file: o.file, line: o.line };
}

describe('scanHistory with the rule catalog', () => {
  let repo: GitRepo;
  const s = {
    removed: tok('github:ghp', 11),
    renamed: tok('github:ghp', 12),
    side: tok('npm', 13),
    merged: tok('github:ghp', 14),
    evil: tok('npm', 15),
    head: tok('github:ghp', 16),
    dup: tok('npm', 17),
  };
  const c: Record<string, string> = {};

  beforeAll(() => {
    repo = GitRepo.create();
    repo
      .write('README.md', '# app\n\nSet GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx in your shell.\n')
      .write('docs/example.env', `NPM_TOKEN=npm_${'A'.repeat(36)}\n`)
      .write('src/app.js', 'console.log("hi");\n');
    c.init = repo.commit('init with placeholders');
    repo.write('src/config.js', `// config\nmodule.exports = {\n  token: "${s.removed}",\n};\n`);
    c.addRemoved = repo.commit('add config with a token');
    repo.write('src/config.js', 'module.exports = { token: process.env.GITHUB_TOKEN };\n');
    c.fixRemoved = repo.commit('read the token from the environment');
    repo.write('deploy/old.sh', `#!/bin/sh\n\nexport GH=${s.renamed}\n`);
    c.addRenamed = repo.commit('deploy script');
    repo.mv('deploy/old.sh', 'scripts/deploy.sh');
    c.rename = repo.commit('move deploy script');
    repo.write('scripts/deploy.sh', `#!/bin/sh\nset -e\n\nexport GH=${s.renamed}\n`);
    c.editRenamed = repo.commit('set -e');
    // unmerged branch
    repo.checkout('experiment', true).write('.npmrc', `//registry.npmjs.org/:_authToken=${s.side}\n`);
    c.side = repo.commit('try publishing');
    repo.checkout('main');
    // merged branch
    repo.checkout('feature', true).write('ci/env', `A=1\nGITHUB_TOKEN=${s.merged}\n`);
    c.merged = repo.commit('ci env');
    repo.checkout('main').write('CHANGELOG.md', 'v1\n');
    repo.commit('changelog');
    c.mergeFeature = repo.merge('feature');
    // a merge adding a secret of its own
    repo.checkout('feature2', true).write('f2.txt', 'two\n');
    repo.commit('feature2');
    repo.checkout('main').write('CHANGELOG.md', 'v1\nv2\n');
    repo.commit('changelog 2');
    repo.mergeNoCommit('feature2').write('merge-note.txt', `resolved\nNPM_TOKEN=${s.evil}\n`);
    c.evil = repo.commit('merge feature2');
    repo
      .write('config/prod.env', `X=1\nY=2\nGITHUB_TOKEN=${s.head}\n`)
      .write('a/one.cfg', `t=${s.dup}\n`)
      .write('b/two.cfg', `t=${s.dup}\n`);
    c.head = repo.commit('prod config');
  });
  afterAll(() => repo.cleanup());

  it('reports every secret at the commit, path and line that introduced it, and nothing else', async () => {
    const { findings, res } = await run(repo.dir);
    expect(top(bySecret(findings, s.removed))).toEqual({ commit: c.addRemoved, file: 'src/config.js', line: 3 });
    expect(top(bySecret(findings, s.renamed))).toEqual({ commit: c.addRenamed, file: 'deploy/old.sh', line: 3 });
    expect(top(bySecret(findings, s.side))).toEqual({ commit: c.side, file: '.npmrc', line: 1 });
    expect(top(bySecret(findings, s.merged))).toEqual({ commit: c.merged, file: 'ci/env', line: 2 });
    expect(top(bySecret(findings, s.evil))).toEqual({ commit: c.evil, file: 'merge-note.txt', line: 2 });
    expect(top(bySecret(findings, s.head))).toEqual({ commit: c.head, file: 'config/prod.env', line: 3 });
    expect(top(bySecret(findings, s.dup))?.commit).toBe(c.head);
    // placeholders stay quiet: exactly the planted secrets
    expect(findings.map((f) => f.secret).sort()).toEqual(Object.values(s).sort());
    expect(res.stats.blobsScanned).toBe(res.stats.blobsTotal);
  });

  it('lists the later (path, commit) pairs of a secret after its introduction', async () => {
    const { findings } = await run(repo.dir);
    const f = bySecret(findings, s.renamed)!;
    expect(f.occurrences.map((o) => [o.commit, o.file, o.line, o.inHead])).toEqual([
      [c.addRenamed, 'deploy/old.sh', 3, false],
      // HEAD's scripts/deploy.sh is another blob but still holds the secret.
      [c.rename, 'scripts/deploy.sh', 3, true],
      [c.editRenamed, 'scripts/deploy.sh', 4, true],
    ]);
    const dup = bySecret(findings, s.dup)!;
    expect(dup.occurrences.map((o) => o.file)).toEqual(['a/one.cfg', 'b/two.cfg']);
    expect(bySecret(findings, s.side)!.occurrences[0].refs).toEqual(['refs/heads/experiment']);
    expect(bySecret(findings, s.removed)!.occurrences.every((o) => o.inHead === false)).toBe(true);
  });

  it('gives the same findings through the worker pool', async () => {
    const a = await run(repo.dir);
    const b = await run(repo.dir, { workers: 2 });
    expect(b.findings).toEqual(a.findings);
  });

  it('--ref narrows the scan', async () => {
    const { findings } = await run(repo.dir, { refs: ['experiment'] });
    expect(findings.map((f) => f.secret).sort()).toEqual([s.removed, s.renamed, s.side].sort());
  });

  describe('blob cache', () => {
    it('a second run scans 0 blobs and reports the same findings; new commits scan only new blobs', async () => {
      const r = GitRepo.create();
      try {
        const a = tok('github:ghp', 31);
        const b = tok('npm', 32);
        r.write('x.txt', `GITHUB_TOKEN=${a}\n`).write('y.txt', 'nothing\n');
        r.commit('one');
        const cacheFile = path.join(r.root, 'cache.db');
        const cold = await run(r.dir, { cache: cacheFile });
        expect(cold.res.stats.blobsScanned).toBe(2);
        const warm = await run(r.dir, { cache: cacheFile });
        expect(warm.res.stats.blobsScanned).toBe(0);
        expect(warm.res.stats.blobsCached).toBe(2);
        expect(warm.findings).toEqual(cold.findings);
        r.write('z.txt', `NPM_TOKEN=${b}\n`);
        r.commit('two');
        const next = await run(r.dir, { cache: cacheFile });
        expect(next.res.stats.blobsScanned).toBe(1);
        const full = await run(r.dir, { cache: false });
        expect(next.findings).toEqual(full.findings);
        // Another rule set: everything is scanned again.
        const fewer = await run(r.dir, { cache: cacheFile, rules: { disable: ['npm-access-token'] } });
        expect(fewer.res.stats.blobsScanned).toBe(3);
        expect(fewer.findings.map((f) => f.secret)).toEqual([a]);
      } finally {
        r.cleanup();
      }
    });

    it('defaults to .keyscope/cache.db in the repository, which ignores itself', async () => {
      const r = GitRepo.create();
      try {
        r.write('x.txt', 'hello\n');
        r.commit('one');
        await run(r.dir, { cache: undefined });
        expect(existsSync(path.join(r.dir, '.keyscope', 'cache.db'))).toBe(true);
        expect(r.git('status', '--porcelain')).toBe('');
      } finally {
        r.cleanup();
      }
    });

    it('keeps no secret values in the cache file', async () => {
      const r = GitRepo.create();
      try {
        const a = tok('github:ghp', 41);
        r.write('x.txt', `GITHUB_TOKEN=${a}\n`);
        r.commit('one');
        const cacheFile = path.join(r.root, 'c.db');
        await run(r.dir, { cache: cacheFile });
        const { readFileSync, readdirSync } = await import('node:fs');
        const files = readdirSync(r.root).filter((f) => f.startsWith('c.db'));
        const raw = files.map((f) => readFileSync(path.join(r.root, f)).toString('latin1')).join('');
        expect(raw).not.toContain(a);
        expect(raw).not.toContain(a.slice(4, 20));
      } finally {
        r.cleanup();
      }
    });
  });
});
