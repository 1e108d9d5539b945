import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { redact } from '../../src/detect/redact.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { ensureBuilt } from '../hook/built.js';
import { GitRepo } from '../support/git-repo.js';
import { annotations, runAction, where } from './harness.js';

// `mode: auto` on pushes (before..after, a new branch's all-zero `before`, a force push whose `before` is gone,
// a deleted branch) and on schedules (the full history), plus `mode: files`, in a real repository.

const ZERO = '0'.repeat(40);
const s = {
  old: expandTemplate('{{gen:github:ghp}}', 201),
  pushed: expandTemplate('{{gen:github:ghp}}', 202),
  topic: expandTemplate('{{gen:github:ghp}}', 203),
};

let repo: GitRepo;
let work: string;
let c0: string;
let c1: string;
let t1: string;
let t2: string;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), 'keyscope-push-'));
  repo = GitRepo.create();
  repo.write('README.md', '# widgets\n');
  repo.write('legacy.env', `OLD=${s.old}\n`);
  c0 = repo.commit('c0');
  repo.write('deploy.sh', `#!/bin/sh\nexport GH_TOKEN=${s.pushed}\n`);
  c1 = repo.commit('c1');
  repo.checkout('topic', true);
  repo.write('notes.md', 'notes\n');
  t1 = repo.commit('t1');
  repo.write('ci/token.txt', `${s.topic}\n`);
  t2 = repo.commit('t2');
  repo.checkout('main');
}, 120_000);

afterAll(() => {
  repo?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function push(payload: Record<string, unknown>, sha: string, inputs: Record<string, string> = {}) {
  return runAction({
    repo,
    work,
    event: 'push',
    payload: { repository: { full_name: 'acme/widgets', default_branch: 'main' }, ...payload },
    sha,
    inputs,
  });
}

/** A manual run (workflow_dispatch) at c1 with the given action inputs. */
function dispatch(inputs: Record<string, string>) {
  return runAction({ repo, work, event: 'workflow_dispatch', payload: {}, sha: c1, inputs });
}

function redactedFindings(outputs: Record<string, string>): string[] {
  const report = JSON.parse(readFileSync(outputs['report-json'], 'utf8')) as { findings: { redacted: string }[] };
  return report.findings.map((f) => f.redacted).sort();
}

describe('the GitHub Action on pushes and schedules', () => {
  it('push: scans before..after and annotates the added line', async () => {
    const r = await push({ ref: 'refs/heads/main', before: c0, after: c1, commits: [{ id: c1 }] }, c1);
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.pushed)]);
    expect(where(annotations(r.stdout))).toEqual(['deploy.sh:2']);
  });

  it('new branch (all-zero before): scans what the branch adds over the default branch', async () => {
    const r = await push(
      { ref: 'refs/heads/topic', before: ZERO, after: t2, created: true, commits: [{ id: t1 }, { id: t2 }] },
      t2,
    );
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.topic)]);
    expect(where(annotations(r.stdout))).toEqual(['ci/token.txt:1']);
    expect(r.summary).toMatch(/new branch/);
  });

  it('new branch without a known default branch: from the parent of the oldest pushed commit', async () => {
    const r = await runAction({
      repo,
      work,
      event: 'push',
      payload: { ref: 'refs/heads/topic', before: ZERO, after: t2, created: true, commits: [{ id: t2 }] },
      sha: t2,
    });
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.topic)]);
  });

  it('force push whose before is gone: falls back to the default branch, with a notice', async () => {
    const r = await push({ ref: 'refs/heads/topic', before: 'f'.repeat(40), after: t2, forced: true, commits: [] }, t2);
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.topic)]);
    expect(r.stdout).toMatch(/::notice::.*force push/);
  });

  it('branch deletion: nothing to scan, passes', async () => {
    const r = await push({ ref: 'refs/heads/topic', before: t2, after: ZERO, deleted: true, commits: [] }, ZERO);
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs.findings).toBe('0');
    expect(r.outputs['highest-severity']).toBe('none');
  });

  it('schedule: the full history; annotates only what is still in the checked-out commit', async () => {
    const r = await runAction({ repo, work, event: 'schedule', payload: { schedule: '0 3 * * *' }, sha: c1 });
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.old), redact(s.pushed), redact(s.topic)].sort());
    expect(where(annotations(r.stdout)).sort()).toEqual(['deploy.sh:2', 'legacy.env:1']);
    expect(r.summary).toContain('full history');
  });

  it('mode files: the checked-out files, every finding annotated', async () => {
    const r = await dispatch({ INPUT_MODE: 'files' });
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.old), redact(s.pushed)].sort());
    expect(where(annotations(r.stdout)).sort()).toEqual(['deploy.sh:2', 'legacy.env:1']);
  });

  it('mode range: the range input', async () => {
    const r = await dispatch({ INPUT_MODE: 'range', INPUT_RANGE: `${c0}..${c1}` });
    expect(r.status, r.stderr).toBe(1);
    expect(redactedFindings(r.outputs)).toEqual([redact(s.pushed)]);
    const bad = await dispatch({ INPUT_MODE: 'range', INPUT_RANGE: 'nope' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('::error');
  });
});
