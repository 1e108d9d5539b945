import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../fixtures/fake-github/server.js';
import '../../src/detect/checksums/all.js';
import { redact } from '../../src/detect/redact.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { PR_MARKER } from '../../src/report/markdown.js';
import { ensureBuilt } from '../hook/built.js';
import { GitRepo } from '../support/git-repo.js';
import { annotations, runAction } from './harness.js';

// The action's entry point (dist/action.js), run as the runner runs it: GITHUB_* variables, a recorded event payload,
// INPUT_* variables as action.yml passes them, a real git repository with base and head commits, and a fake GitHub
// API on 127.0.0.1 behind GITHUB_API_URL.

const WRITE_TOKEN = 'fake-workflow-token-write';
const READ_TOKEN = 'fake-workflow-token-read';
const REPO = 'acme/widgets';

let gh: FakeGitHub;
let repo: GitRepo;
let work: string;
const secrets = {
  inBase: expandTemplate('{{gen:github:ghp}}', 101),
  added: expandTemplate('{{gen:github:ghp}}', 102),
  addedThenRemoved: expandTemplate('{{gen:github:ghp}}', 103),
};
let base: string;
let head: string;
let cleanHead: string;

beforeAll(async () => {
  ensureBuilt();
  gh = await startFakeGitHub();
  gh.addRepo(REPO);
  gh.addToken(WRITE_TOKEN, 'write');
  gh.addToken(READ_TOKEN, 'read');
  work = mkdtempSync(path.join(tmpdir(), 'keyscope-action-'));

  repo = GitRepo.create();
  repo.write('README.md', '# widgets\n');
  repo.write('legacy.env', `OLD_TOKEN=${secrets.inBase}\n`);
  base = repo.commit('base');

  repo.checkout('feature', true);
  repo.write(
    'src/app.ts',
    [
      '// app',
      'import x from "x";',
      '',
      'export function main() {',
      `  const key = '${secrets.added}';`,
      '  return x(key);',
      '}',
      '',
    ].join('\n'),
  );
  // Touching the file of a secret that is already in the base must not report that secret.
  repo.write('legacy.env', `OLD_TOKEN=${secrets.inBase}\nREGION=eu\n`);
  repo.commit('add app');
  repo.write('scratch.txt', `token ${secrets.addedThenRemoved}\n`);
  // Two lines on top move the secret from line 5 to line 7 of the head's src/app.ts.
  repo.write('src/app.ts', `// header\n// more\n${readFileSync(path.join(repo.dir, 'src/app.ts'), 'utf8')}`);
  repo.commit('scratch');
  repo.rm('scratch.txt');
  head = repo.commit('remove scratch');

  // The same PR after a force push without any secret.
  repo.checkout(base);
  repo.checkout('feature-clean', true);
  repo.write('src/app.ts', 'export const key = process.env.KEY;\n');
  cleanHead = repo.commit('add app (clean)');
  repo.checkout('feature');
}, 240_000);

afterAll(async () => {
  await gh?.close();
  repo?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface PrEvent {
  number: number;
  base: string;
  head: string;
  headRepo?: string;
}

function prAction(ev: PrEvent, inputs: Record<string, string> = {}, token = WRITE_TOKEN) {
  const payload = {
    action: 'synchronize',
    number: ev.number,
    pull_request: {
      number: ev.number,
      base: { ref: 'main', sha: ev.base, repo: { full_name: REPO } },
      head: { ref: 'feature', sha: ev.head, repo: { full_name: ev.headRepo ?? REPO } },
    },
    repository: { full_name: REPO, default_branch: 'main' },
  };
  return runAction({
    repo,
    work,
    event: 'pull_request',
    payload,
    sha: ev.head,
    apiUrl: gh.url,
    repository: REPO,
    inputs: { INPUT_GITHUB_TOKEN: token, ...inputs },
  });
}

type Validator = { (data: unknown): boolean; errors?: unknown[] | null };

/** The published SARIF 2.1.0 schema (vendored under fixtures/schemas), as upload-sarif expects. */
function sarifValidator(): Validator {
  const require = createRequire(import.meta.url);
  const AjvMod = require('ajv-draft-04');
  const Ajv = AjvMod.default ?? AjvMod;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(require('../../fixtures/schemas/sarif-2.1.0-rtm.5.json')) as Validator;
}

function expectNoSecrets(...texts: string[]): void {
  for (const t of texts) for (const s of Object.values(secrets)) expect(t.includes(s)).toBe(false);
}

function markerComments(issue: number) {
  return gh.comments(REPO, issue).filter((c) => c.body.includes(PR_MARKER));
}

describe('the GitHub Action on a pull request', () => {
  it('annotates only the added lines, comments once, writes summary, SARIF and outputs, and fails on findings', async () => {
    // Other people's comments fill more than one page, so finding ours later needs the Link headers.
    for (let i = 0; i < 120; i++) gh.seedComment(REPO, 7, `LGTM ${i}`);
    gh.reset();
    const r = await prAction({ number: 7, base, head });
    expect(r.status, r.stderr).toBe(1);

    const ann = annotations(r.stdout);
    expect(ann.map((a) => `${a.file}:${a.line}`)).toEqual(['src/app.ts:7']);
    expect(ann[0].level).toBe('error');
    expect(ann[0].message).toContain(redact(secrets.added));

    expect(gh.count('create')).toBe(1);
    expect(gh.count('update')).toBe(0);
    const mine = markerComments(7);
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toContain(redact(secrets.added));
    expect(mine[0].body).toContain(redact(secrets.addedThenRemoved));
    expect(mine[0].body).not.toContain(redact(secrets.inBase));

    expect(r.summary).toContain('keyscope');
    expect(r.summary).toContain(redact(secrets.added));
    expect(r.summary).toMatch(/pull request \\?#7/);

    expect(Object.keys(r.outputs).sort()).toEqual([
      'findings',
      'highest-severity',
      'report-json',
      'report-markdown',
      'report-sarif',
    ]);
    expect(r.outputs.findings).toBe('2');
    expect(['critical', 'high', 'medium', 'low', 'info']).toContain(r.outputs['highest-severity']);
    for (const k of ['report-json', 'report-sarif', 'report-markdown']) expect(existsSync(r.outputs[k]), k).toBe(true);
    const sarif = JSON.parse(readFileSync(r.outputs['report-sarif'], 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(sarif.runs[0].results.length).toBeGreaterThanOrEqual(2);
    const json = JSON.parse(readFileSync(r.outputs['report-json'], 'utf8'));
    expect(json.findings.map((f: { redacted: string }) => f.redacted).sort()).toEqual(
      [redact(secrets.added), redact(secrets.addedThenRemoved)].sort(),
    );

    expectNoSecrets(
      r.stdout,
      r.stderr,
      r.summary,
      mine[0].body,
      readFileSync(r.outputs['report-sarif'], 'utf8'),
      readFileSync(r.outputs['report-json'], 'utf8'),
      readFileSync(r.outputs['report-markdown'], 'utf8'),
    );
  });

  it('updates the same comment on a re-run instead of adding one', async () => {
    gh.reset();
    const r = await prAction({ number: 7, base, head });
    expect(r.status, r.stderr).toBe(1);
    expect(gh.count('create')).toBe(0);
    expect(gh.count('update')).toBe(1);
    // Our comment sits on page 2 of 100-per-page listings: reached by following the Link header.
    expect(gh.requests.some((q) => q.path.startsWith('/repositories/') && q.query.get('page') === '2')).toBe(true);
    expect(markerComments(7)).toHaveLength(1);
    expect(gh.comments(REPO, 7)).toHaveLength(121);
  });

  it('says "all clear" in the same comment once the secrets are gone, and passes', async () => {
    gh.reset();
    const r = await prAction({ number: 7, base, head: cleanHead });
    expect(r.status, r.stderr).toBe(0);
    expect(annotations(r.stdout)).toEqual([]);
    expect(gh.count('create')).toBe(0);
    expect(gh.count('update')).toBe(1);
    const mine = markerComments(7);
    expect(mine).toHaveLength(1);
    expect(mine[0].body.toLowerCase()).toContain('all clear');
    expect(r.outputs.findings).toBe('0');
    expect(r.outputs['highest-severity']).toBe('none');
  });

  it('creates no comment for a clean pull request that never had one', async () => {
    gh.reset();
    const r = await prAction({ number: 8, base, head: cleanHead });
    expect(r.status, r.stderr).toBe(0);
    expect(gh.count('create')).toBe(0);
    expect(gh.count('update')).toBe(0);
    expect(gh.comments(REPO, 8)).toHaveLength(0);
  });

  it('exits by fail-on', async () => {
    const first = await prAction({ number: 9, base, head }, { INPUT_COMMENT: 'false' });
    const highest = first.outputs['highest-severity'];
    expect(first.status).toBe(1);
    expect((await prAction({ number: 9, base, head }, { INPUT_COMMENT: 'false', INPUT_FAIL_ON: 'none' })).status).toBe(
      0,
    );
    expect((await prAction({ number: 9, base, head }, { INPUT_COMMENT: 'false', INPUT_FAIL_ON: highest })).status).toBe(
      1,
    );
    const above = { low: 'medium', medium: 'high', high: 'critical' }[highest as 'low' | 'medium' | 'high'];
    if (above) {
      expect((await prAction({ number: 9, base, head }, { INPUT_COMMENT: 'false', INPUT_FAIL_ON: above })).status).toBe(
        0,
      );
    }
    const bad = await prAction({ number: 9, base, head }, { INPUT_FAIL_ON: 'sometimes' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('::error');
  });

  it('makes no comment request at all for a fork, but still annotates, summarises and fails', async () => {
    gh.reset();
    const r = await prAction({ number: 10, base, head, headRepo: 'forker/widgets' }, {}, READ_TOKEN);
    expect(r.status, r.stderr).toBe(1);
    expect(gh.commentRequests()).toHaveLength(0);
    expect(gh.requests).toHaveLength(0);
    expect(annotations(r.stdout).map((a) => `${a.file}:${a.line}`)).toEqual(['src/app.ts:7']);
    expect(r.summary).toContain(redact(secrets.added));
    expect(r.summary).toContain('fork');
    expect(r.outputs.findings).toBe('2');
  });

  it('degrades to a warning when the token turns out to be read-only', async () => {
    gh.reset();
    const r = await prAction({ number: 11, base, head }, {}, READ_TOKEN);
    expect(r.status, r.stderr).toBe(1);
    expect(gh.count('create')).toBe(1);
    expect(gh.comments(REPO, 11)).toHaveLength(0);
    expect(r.stdout).toMatch(/::warning::keyscope: no PR comment: .*403/);
    expect(r.summary).toContain('No pull-request comment');
  });
});
