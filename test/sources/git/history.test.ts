import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatFile } from '../../../src/sources/git/cat-file.js';
import { HistorySource } from '../../../src/sources/git/history.js';
import type { Blob, Match } from '../../../src/types.js';
import { GitRepo } from '../../support/git-repo.js';

// The git layer on its own: which blobs come out, once each, and where each value was introduced.
// Values are found with a plain substring search so these tests do not depend on the rule catalog.

function findIn(blob: Blob, values: string[]): Match[] {
  const out: Match[] = [];
  const text = blob.bytes.toString('utf8');
  for (const v of values) {
    let at = text.indexOf(v);
    while (at !== -1) {
      const before = text.slice(0, at);
      const line = before.split('\n').length;
      const column = at - before.lastIndexOf('\n');
      out.push({
        ruleId: 'test',
        issuer: 'test',
        secret: v,
        path: blob.path,
        line,
        column,
        offset: at,
        commit: blob.commit,
        blobOid: blob.oid,
        checksum: 'none',
        entropy: 4,
      });
      at = text.indexOf(v, at + 1);
    }
  }
  return out;
}

async function scan(src: HistorySource, values: string[]) {
  const cat = new CatFile(src.repo.dir);
  const ids = src.blobIds();
  const seen: string[] = [];
  const matches: Match[] = [];
  for await (const b of src.blobs(ids, cat, 100 << 20)) {
    seen.push(b.oid!);
    matches.push(...findIn(b, values));
  }
  cat.close();
  src.provenance.prepare(matches);
  return {
    seen,
    matches,
    occ: (v: string) => matches.filter((m) => m.secret === v).flatMap((m) => src.provenance.occurrencesOf(m)),
  };
}

const A = 'SECRET-ALPHA-0001';
const B = 'SECRET-BRAVO-0002';
const C = 'SECRET-CHARLIE-0003';
const D = 'SECRET-DELTA-0004';
const E = 'SECRET-ECHO-0005';
const F = 'SECRET-FOXTROT-0006';

describe('HistorySource: introductions and provenance', () => {
  let repo: GitRepo;
  const c: Record<string, string> = {};

  beforeAll(() => {
    repo = GitRepo.create();
    repo
      .write('config/app.env', `NAME=demo\nPORT=80\nTOKEN=${A}\n`)
      .write('README.md', '# demo\nTOKEN=your-token-here\n');
    c.addA = repo.commit('add config');
    repo.write('config/app.env', `# header\nNAME=demo\nPORT=80\nTOKEN=${A}\n`);
    c.editA = repo.commit('edit config');
    repo.mv('config/app.env', 'config/prod.env');
    c.renameA = repo.commit('rename config');
    repo.write('src/key.js', `const a = 1;\nconst key = "${B}";\n`);
    c.addB = repo.commit('add key');
    repo.rm('src/key.js');
    c.delB = repo.commit('remove key');
    // An unmerged branch.
    repo.checkout('unmerged', true).write('side/token.txt', `x\ny\n${C}\n`);
    c.addC = repo.commit('side token');
    repo.checkout('main');
    // A branch merged with --no-ff: the merge does not introduce D, the branch commit does.
    repo.checkout('feat', true).write('feat/x.txt', `${D}\n`);
    c.addD = repo.commit('feat');
    repo.checkout('main').write('main.txt', 'main moves on\n');
    c.mainMoves = repo.commit('main moves');
    c.mergeD = repo.merge('feat');
    // A merge that adds a secret of its own (an "evil merge").
    repo.checkout('feat2', true).write('feat2.txt', 'harmless\n');
    repo.commit('feat2');
    repo.checkout('main').write('main2.txt', 'more\n');
    repo.commit('main 2');
    repo.mergeNoCommit('feat2').write('merge/only.txt', `line1\n  ${E}\n`);
    c.mergeE = repo.commit('merge feat2 with extra');
    repo.git('tag', '-a', 'v1', '-m', 'release', c.mergeE);
    // The same blob at two paths, and a value that stays in HEAD.
    repo.write('dup/one.txt', `${F}\n`).write('dup/two.txt', `${F}\n`);
    c.addF = repo.commit('dups');
  });
  afterAll(() => repo.cleanup());

  it('lists each distinct blob once', async () => {
    const src = await HistorySource.open(repo.dir);
    const { seen } = await scan(src, []);
    expect(new Set(seen).size).toBe(seen.length);
    const all = repo.git('rev-list', '--all', '--objects').split('\n');
    const blobs = all.map((l) => l.split(' ')[0]).filter((o) => repo.git('cat-file', '-t', o) === 'blob');
    expect(new Set(seen)).toEqual(new Set(blobs));
  });

  it('reports a value at the commit, path and line that introduced it, then its later (blob, path) pairs', async () => {
    const src = await HistorySource.open(repo.dir);
    const { occ } = await scan(src, [A]);
    const list = occ(A).sort((x, y) => src.provenance.commitOrder(x.commit) - src.provenance.commitOrder(y.commit));
    expect(list.map((o) => [o.commit, o.file, o.line])).toEqual([
      [c.addA, 'config/app.env', 3],
      [c.editA, 'config/app.env', 4],
      [c.renameA, 'config/prod.env', 4],
    ]);
    expect(list[0].author).toBe('Test Author <author@example.test>');
    expect(list[0].date).toBe('2024-01-01T12:01:00.000Z');
    // inHead is per path: app.env is gone from HEAD, its blob lives on as prod.env.
    expect(list.map((o) => o.inHead)).toEqual([false, false, true]);
    expect(list[0].refs).toContain('refs/heads/main');
    expect(list[0].refs).toContain('refs/tags/v1');
  });

  it('finds a value that was added and then deleted', async () => {
    const src = await HistorySource.open(repo.dir);
    const { occ } = await scan(src, [B]);
    expect(occ(B).map((o) => [o.commit, o.file, o.line, o.inHead])).toEqual([[c.addB, 'src/key.js', 2, false]]);
  });

  it('finds a value only on an unmerged branch, reachable from that branch only', async () => {
    const src = await HistorySource.open(repo.dir);
    const { occ } = await scan(src, [C]);
    const [o] = occ(C);
    expect([o.commit, o.file, o.line, o.inHead]).toEqual([c.addC, 'side/token.txt', 3, false]);
    expect(o.refs).toEqual(['refs/heads/unmerged']);
  });

  it('credits a merged branch value to the branch commit, not the merge', async () => {
    const src = await HistorySource.open(repo.dir);
    const { occ } = await scan(src, [D]);
    expect(occ(D).map((o) => [o.commit, o.file, o.line, o.inHead])).toEqual([[c.addD, 'feat/x.txt', 1, true]]);
  });

  it('credits a value added by the merge commit itself to the merge', async () => {
    const src = await HistorySource.open(repo.dir);
    const { occ } = await scan(src, [E]);
    const list = occ(E);
    expect(list.map((o) => [o.commit, o.file, o.line, o.column])).toEqual([[c.mergeE, 'merge/only.txt', 2, 3]]);
    expect(list[0].refs).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/tags/v1']));
    expect(list[0].refs).not.toContain('refs/heads/feat2');
  });

  it('expands one blob at two paths into two occurrences', async () => {
    const src = await HistorySource.open(repo.dir);
    const { occ, matches } = await scan(src, [F]);
    expect(matches.length).toBe(1);
    expect(
      occ(F)
        .map((o) => [o.commit, o.file])
        .sort(),
    ).toEqual([
      [c.addF, 'dup/one.txt'],
      [c.addF, 'dup/two.txt'],
    ]);
  });

  it('--ref narrows to one branch', async () => {
    const src = await HistorySource.open(repo.dir, { refs: ['unmerged'] });
    const { occ } = await scan(src, [C, E]);
    expect(occ(C).length).toBe(1);
    expect(occ(E).length).toBe(0);
  });

  it('skips paths the config allowlists', async () => {
    const src = await HistorySource.open(repo.dir, { skipPath: (p) => p.startsWith('dup/') });
    const { occ } = await scan(src, [F]);
    expect(occ(F)).toEqual([]);
  });

  it('reads blobs that a tag points at directly (no commit)', async () => {
    const r = GitRepo.create();
    try {
      r.write('a.txt', 'a\n');
      r.commit('one');
      const tagged = execFileSync('git', ['hash-object', '-w', '--stdin'], {
        cwd: r.dir,
        input: `${A}\n`,
        env: r.env(),
      })
        .toString()
        .trim();
      r.git('tag', 'loose-blob', tagged);
      const src = await HistorySource.open(r.dir);
      const { occ } = await scan(src, [A]);
      expect(occ(A)).toEqual([
        {
          file: 'refs/tags/loose-blob',
          line: 1,
          column: 1,
          blobOid: tagged,
          refs: ['refs/tags/loose-blob'],
          inHead: false,
        },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('a range holds only what its commits introduced', async () => {
    const src = await HistorySource.open(repo.dir, { range: { base: c.mainMoves, head: 'main' } });
    const { occ } = await scan(src, [A, B, D, E]);
    expect(occ(A)).toEqual([]);
    expect(occ(B)).toEqual([]);
    // D came in through the merge of feat, whose branch commit is in the range.
    expect(occ(D).map((o) => o.commit)).toEqual([c.addD]);
    expect(occ(E).map((o) => o.commit)).toEqual([c.mergeE]);
  });
});
