// Exposure reaches the risk model from the places a real run has it: KEYSCOPE_REPO_* variables (the GitHub Action
// fills them from the event payload) and a history scan's occurrences (still in HEAD or only in history, commit
// dates). Through the real CLI (src, via tsx) on temporary files and repositories, offline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { exposureEnv } from '../../src/github/action.js';
import { EXPOSURE_ENV, exposureFromEnv } from '../../src/risk/exposure-env.js';
import type { Report, RiskFactor } from '../../src/types.js';
import { GitRepo } from '../support/git-repo.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'src/cli/index.ts');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

function keyscope(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Report {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args, '--format', 'json', '--offline', '--quiet'], {
    cwd,
    env: { ...env, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${r.status}): ${r.stderr.slice(0, 1500)}`);
  }
}

function exposureOf(report: Report, secretRedacted?: string): RiskFactor {
  const f = secretRedacted ? report.findings.find((x) => x.redacted === secretRedacted) : report.findings[0];
  const factor = f?.risk?.factors?.find((x) => x.name === 'exposure');
  if (!factor) throw new Error(`no exposure factor in ${JSON.stringify(report.findings.map((x) => x.risk))}`);
  return factor;
}

const baseEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME });

describe('KEYSCOPE_REPO_* → exposure.default', () => {
  it('parses visibility, forks, default branch and archived; bad values are skipped with a warning', () => {
    const warnings: string[] = [];
    expect(
      exposureFromEnv(
        {
          [EXPOSURE_ENV.visibility]: 'Public',
          [EXPOSURE_ENV.forks]: '12',
          [EXPOSURE_ENV.defaultBranch]: 'main',
          [EXPOSURE_ENV.archived]: 'false',
        },
        (m) => warnings.push(m),
      ),
    ).toEqual({ default: { visibility: 'public', forks: 12, defaultBranch: 'main', archived: false } });
    expect(
      exposureFromEnv({ [EXPOSURE_ENV.visibility]: 'secret', [EXPOSURE_ENV.forks]: 'many' }, (m) => warnings.push(m)),
    ).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(exposureFromEnv({})).toBeUndefined();
  });

  it('the action turns the event payload into those variables; a variable the workflow set wins', () => {
    const payload = {
      repository: { full_name: 'acme/w', private: true, forks_count: 3, default_branch: 'trunk', archived: false },
    };
    expect(exposureEnv(payload)).toEqual({
      KEYSCOPE_REPO_VISIBILITY: 'private',
      KEYSCOPE_REPO_FORKS: '3',
      KEYSCOPE_REPO_DEFAULT_BRANCH: 'trunk',
      KEYSCOPE_REPO_ARCHIVED: 'false',
    });
    // GitHub Enterprise's `visibility` says internal where `private` is true.
    expect(exposureEnv({ repository: { private: true, visibility: 'internal' } })).toEqual({
      KEYSCOPE_REPO_VISIBILITY: 'internal',
    });
    expect(exposureEnv(payload, { KEYSCOPE_REPO_VISIBILITY: 'public' }).KEYSCOPE_REPO_VISIBILITY).toBeUndefined();
    expect(exposureEnv({})).toEqual({});
  });

  it('keyscope scan: a public repository with forks scores a higher exposure than a private one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyscope-exposure-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'app.env'), `GITHUB_TOKEN=${expandTemplate('{{gen:github:ghp}}', 501)}\n`);
    const pub = exposureOf(
      keyscope(dir, { ...baseEnv(), KEYSCOPE_REPO_VISIBILITY: 'public', KEYSCOPE_REPO_FORKS: '4' }, 'scan', '.'),
    );
    const priv = exposureOf(keyscope(dir, { ...baseEnv(), KEYSCOPE_REPO_VISIBILITY: 'private' }, 'scan', '.'));
    const none = exposureOf(keyscope(dir, baseEnv(), 'scan', '.'));
    expect(pub.detail).toMatch(/^public, 4 forks/);
    expect(priv.detail).toMatch(/^private/);
    expect(none.detail).toMatch(/^unknown visibility/);
    expect(pub.value).toBeGreaterThan(none.value);
    expect(none.value).toBeGreaterThan(priv.value);
  });
});

describe('history occurrences → exposure', () => {
  it('the same key only in history scores lower than still in HEAD; the commit date gives the leak age', () => {
    const key = expandTemplate('{{gen:github:ghp}}', 502);
    const head = GitRepo.create({ name: 'still' });
    const gone = GitRepo.create({ name: 'removed' });
    cleanups.push(
      () => head.cleanup(),
      () => gone.cleanup(),
    );
    for (const r of [head, gone]) {
      r.write('README.md', '# app\n');
      r.commit('init');
      r.write('config/app.env', `GITHUB_TOKEN=${key}\n`);
      r.commit('add config');
    }
    gone.rm('config/app.env');
    gone.commit('remove the token');

    const inHead = keyscope(head.dir, head.env(), 'history', '.');
    const historyOnly = keyscope(gone.dir, gone.env(), 'history', '.');
    const [h] = inHead.findings;
    const [g] = historyOnly.findings;
    expect(h.id).toBe(g.id);
    expect(h.occurrences.map((o) => o.inHead)).toEqual([true]);
    expect(g.occurrences.map((o) => o.inHead)).toEqual([false]);
    expect(g.occurrences[0].date).toMatch(/^2024-01-01/);

    const eh = exposureOf(inHead);
    const eg = exposureOf(historyOnly);
    expect(eh.detail).toMatch(/in HEAD/);
    expect(eg.detail).toMatch(/history only/);
    expect(eg.detail).toMatch(/since 2024-01-01/);
    expect(eh.value).toBeGreaterThan(eg.value);
    expect(h.risk!.score).toBeGreaterThanOrEqual(g.risk!.score);
  });
});
