import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderOccurrences } from '../../../src/cli/commands/history.js';
import '../../../src/detect/checksums/all.js';
import { groupMatches } from '../../../src/detect/group.js';
import { expandTemplate } from '../../../src/detect/samples.js';
import { scanHistory } from '../../../src/sources/git/scan-history.js';
import { GitRepo } from '../../support/git-repo.js';

// history --range BASE..HEAD: only what the pull request's commits introduced.

const tok = (kind: string, seed: number) => expandTemplate(`{{gen:${kind}}}`, seed);

describe('range scans (pull requests)', () => {
  let repo: GitRepo;
  const s = {
    base: tok('github:ghp', 51),
    old: tok('npm', 52),
    transient: tok('github:ghp', 53),
    added: tok('npm', 54),
    mainOnly: tok('github:ghp', 55),
    inMerge: tok('npm', 56),
  };
  const c: Record<string, string> = {};

  beforeAll(() => {
    repo = GitRepo.create();
    repo.write('config.js', `const a = 1;\nconst token = "${s.base}";\n`).write('old.txt', `NPM_TOKEN=${s.old}\n`);
    c.base = repo.commit('base with an old secret');
    repo.checkout('pr', true);
    // The PR touches the file holding the base secret: not the PR's doing.
    repo.write('config.js', `const a = 2;\nconst token = "${s.base}";\n`);
    c.touch = repo.commit('touch config');
    // Added and removed inside the PR: still in the PR's commits.
    repo.write('tmp.env', `GITHUB_TOKEN=${s.transient}\n`);
    c.transient = repo.commit('oops');
    repo.rm('tmp.env');
    repo.commit('remove oops');
    repo.write('publish.sh', `#!/bin/sh\nexport NPM_TOKEN=${s.added}\n`);
    c.added = repo.commit('publish script');
    // The PR moves the base secret to another file: still not new.
    repo.write('config.js', 'const a = 2;\n').write('moved.js', `export const token = "${s.base}";\n`);
    c.moved = repo.commit('move token');
    // main moves on with a secret of its own, and the PR merges main.
    repo.checkout('main').write('main-only.txt', `GITHUB_TOKEN=${s.mainOnly}\n`);
    c.mainOnly = repo.commit('main secret');
    repo.checkout('pr');
    repo.mergeNoCommit('main').write('merge-fix.txt', `NPM_TOKEN=${s.inMerge}\n`);
    c.mergeMain = repo.commit('merge main into pr, with an extra file');
    // main deletes old.txt after the merge; the PR edits it: the merge base still had the secret.
    repo.checkout('main').rm('old.txt');
    repo.commit('drop old.txt');
    repo.checkout('pr').write('old.txt', `# kept\nNPM_TOKEN=${s.old}\n`);
    c.editOld = repo.commit('edit old.txt');
  });
  afterAll(() => repo.cleanup());

  async function rangeScan(base: string, head: string) {
    const res = await scanHistory({
      target: repo.dir,
      range: { base, head },
      rules: {},
      workers: 0,
      maxFileSize: 100 << 20,
      cache: false,
    });
    const findings = groupMatches(res.matches, res.occurrencesOf);
    orderOccurrences(findings, res.commitOrder);
    return { res, findings };
  }

  it('reports what the range added (also if removed again), and not what the base already had', async () => {
    const { findings } = await rangeScan('main', 'pr');
    const got = Object.fromEntries(
      findings.map((f) => [f.secret, [f.occurrences[0].commit, f.occurrences[0].file, f.occurrences[0].line]]),
    );
    expect(got).toEqual({
      [s.transient]: [c.transient, 'tmp.env', 1],
      [s.added]: [c.added, 'publish.sh', 2],
      [s.inMerge]: [c.mergeMain, 'merge-fix.txt', 1],
    });
  });

  it('an empty range reports nothing', async () => {
    const { findings, res } = await rangeScan('pr', 'pr');
    expect(findings).toEqual([]);
    expect(res.stats.commits).toBe(0);
  });

  it('the whole history from an early base includes main-only work merged into the PR', async () => {
    const { findings } = await rangeScan(c.base, 'pr');
    const secrets = findings.map((f) => f.secret);
    expect(secrets).toContain(s.mainOnly);
    expect(secrets).not.toContain(s.base);
    expect(secrets).not.toContain(s.old);
  });

  it('names an unknown base', async () => {
    await expect(rangeScan('no-such-branch', 'pr')).rejects.toThrow(/unknown revision "no-such-branch"/);
  });
});
