// End to end through the real CLI against fakes on 127.0.0.1, the way DESIGN.md's bar runs it: KEYSCOPE_<ID>_BASE_URL
// overrides, the JSON report's access (status, identity, scopes, expiry), unknown for an HTML 403 and a hang, one
// lookup per unique secret (files and history), and no connection at all under --offline.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type GithubAccount, githubFake } from '../../fixtures/fake-issuers/github.js';
import { type NpmToken, npmFake } from '../../fixtures/fake-issuers/npm.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type SlackAccount, slackFake } from '../../fixtures/fake-issuers/slack.js';
import { expandTemplate } from '../../src/detect/samples.js';
import type { Report } from '../../src/types.js';
import { GitRepo } from '../support/git-repo.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/cli/index.ts');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let gh: FakeIssuer<GithubAccount>;
let sl: FakeIssuer<SlackAccount>;
let np: FakeIssuer<NpmToken>;

/** Async, so the fakes in this process keep answering while the CLI runs. */
function keyscope(cwd: string, ...args: string[]): Promise<{ code: number | null; report: Report; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args, '--format', 'json'], {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        KEYSCOPE_GITHUB_BASE_URL: gh.url,
        KEYSCOPE_SLACK_BASE_URL: sl.url,
        KEYSCOPE_NPM_BASE_URL: np.url,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, report: JSON.parse(out) as Report, err });
      } catch {
        reject(new Error(`no JSON report (exit ${code}): ${err.slice(0, 2000)}`));
      }
    });
  });
}

const ghTok = (seed: number) => expandTemplate('{{gen:github:ghp}}', seed);

describe('keyscope CLI against fake issuers', () => {
  const live = ghTok(101);
  const html = ghTok(102);
  const hang = ghTok(103);
  const slackTok = expandTemplate('xoxb-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:A-Za-z0-9:24}}', 104);
  const npmTok = expandTemplate('{{gen:npm}}', 105);
  let dir: string;

  beforeAll(async () => {
    gh = await startFake(githubFake);
    sl = await startFake(slackFake);
    np = await startFake(npmFake);
    gh.add(live, {
      login: 'octocat',
      scopes: ['repo', 'admin:org'],
      expiration: '2031-02-03 04:05:06 UTC',
      orgs: ['acme'],
    });
    gh.add(html, { login: 'x', scopes: [] }).mode(html, { kind: 'html', status: 403 });
    gh.add(hang, { login: 'y', scopes: [] }).mode(hang, { kind: 'hang' });
    sl.add(slackTok, { team: 'Acme', teamId: 'T9', user: 'deploy', scopes: ['chat:write', 'files:read'] });
    np.add(npmTok, { username: 'pkg-bot', readonly: true });
    dir = mkdtempSync(path.join(tmpdir(), 'keyscope-e2e-'));
    // A short timeout so the hang resolves quickly.
    // workers = 0: match in-process (worker threads cannot load the TypeScript sources from a temp folder).
    writeFileSync(path.join(dir, 'keyscope.toml'), '[scan]\nworkers = 0\n\n[verify]\ntimeoutMs = 800\n');
    for (let i = 0; i < 6; i++)
      writeFileSync(path.join(dir, `app${i}.env`), `GITHUB_TOKEN=${live}\nSLACK_BOT_TOKEN=${slackTok}\n`);
    writeFileSync(path.join(dir, 'other.env'), `GH_A=${html}\nGH_B=${hang}\nNPM_TOKEN=${npmTok}\n`);
  });
  afterAll(async () => {
    await gh.close();
    await sl.close();
    await np.close();
  });

  it('scan: access as the fakes serve it; HTML 403 and hang are unknown; one lookup per unique secret', async () => {
    const { report } = await keyscope(dir, 'scan', '.');
    const gLive = report.findings.find((f) => f.issuer === 'github' && f.access?.status === 'live');
    expect(gLive?.access).toMatchObject({
      status: 'live',
      identity: { user: 'octocat' },
      scopes: ['repo', 'admin:org'],
      expiresAt: '2031-02-03T04:05:06.000Z',
    });
    expect(gLive?.occurrences).toHaveLength(6);
    const gh403 = report.findings.filter((f) => f.issuer === 'github' && f.access?.status === 'unknown');
    expect(gh403).toHaveLength(2);
    expect(gh403.map((f) => f.access?.notes?.join(' ')).join(' | ')).toMatch(
      /HTML page.*\|.*timeout|timeout.*\|.*HTML page/,
    );
    const s = report.findings.find((f) => f.issuer === 'slack');
    expect(s?.access).toMatchObject({
      status: 'live',
      identity: { org: 'Acme', account: 'T9' },
      scopes: ['chat:write', 'files:read'],
    });
    const n = report.findings.find((f) => f.issuer === 'npm');
    expect(n?.access).toMatchObject({ status: 'live', identity: { user: 'pkg-bot' }, scopes: ['read-only'] });
    // Six files, one secret: /user was asked once per unique GitHub token.
    expect(gh.requestsFor(live).filter((r) => r.path === '/user')).toHaveLength(1);
    expect(sl.requestsFor(slackTok)).toHaveLength(1);
    expect(report.stats.lookups).toBe(5);
    expect(JSON.stringify(report)).not.toContain(live);
  });

  it('--offline: not one connection to any issuer', async () => {
    gh.reset();
    sl.reset();
    np.reset();
    const { report } = await keyscope(dir, 'scan', '.', '--offline');
    expect(gh.connections + sl.connections + np.connections).toBe(0);
    expect(report.stats.lookups).toBe(0);
    expect(report.findings.every((f) => f.access?.source === 'offline')).toBe(true);
    expect(report.findings.find((f) => f.issuer === 'github')?.access?.tokenType).toBe('classic-pat');
  });

  it('history: the same key in 40 commits is looked up once', async () => {
    const key = ghTok(106);
    gh.add(key, { login: 'hist', scopes: ['repo'] });
    const repo = GitRepo.create();
    for (let i = 0; i < 40; i++) {
      repo.write(`conf/${i % 7}.env`, `TOKEN=${key}\nN=${i}\n`);
      repo.commit(`c${i}`);
    }
    gh.reset();
    const { report } = await keyscope(repo.dir, 'history', '.', '--config', path.join(dir, 'keyscope.toml'));
    const f = report.findings.find((x) => x.issuer === 'github');
    expect(f?.access?.status).toBe('live');
    expect(gh.requestsFor(key).filter((r) => r.path === '/user')).toHaveLength(1);
    expect(report.stats.lookups).toBe(1);
  });
});
