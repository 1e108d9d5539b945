// End to end through the real CLI: scan → JSON report without secrets → `keyscope revoke REPORT.json` recovers each
// secret by fingerprint (from the file, or from git for history findings), dry run by default, --yes revokes,
// a second --yes is a no-op, and an unrecoverable secret is named.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabFake } from '../../fixtures/fake-issuers/gitlab.js';
import { gitlabRevoke } from '../../fixtures/fake-issuers/revoke/simple.js';
import { isRevoked, type RevokeRouteSet, withRevocation } from '../../fixtures/fake-issuers/revoke/state.js';
import { type FakeDefinition, type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { GitRepo } from '../support/git-repo.js';
import { calls, tmpDir, tok } from './harness.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/cli/index.ts');
// By path: the children run in temp folders, where a bare `tsx` specifier does not resolve.
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** Runs the CLI asynchronously: the fakes live in this process and must keep answering meanwhile. */
function keyscope(cwd: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', GITHUB_ACTOR: '', KEYSCOPE_GITLAB_BASE_URL: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('keyscope revoke REPORT.json', () => {
  let fake: FakeIssuer<Record<string, unknown>>;
  beforeAll(async () => {
    const def = withRevocation(
      gitlabFake as unknown as FakeDefinition<Record<string, unknown>>,
      gitlabRevoke.routes as RevokeRouteSet<Record<string, unknown>>,
    );
    fake = await startFake(def);
  });
  afterAll(() => fake.close());

  const config = () =>
    `[issuers.gitlab]\nbaseUrl = "${fake.url}"\n\n[revoke]\nmin_severity = "low"\nstatuses = ["live"]\n`;
  const register = (t: string) => fake.add(t, { scopes: ['api'], user: { username: 'ci-bot' } });

  it('files: dry run by default, --yes revokes the recovered key, a second run is a no-op', async () => {
    const dir = tmpDir();
    const token = tok('{{gen:gitlab-routable:glpat-}}');
    register(token);
    mkdirSync(path.join(dir, 'deploy'));
    writeFileSync(path.join(dir, 'deploy', 'ci.env'), `GITLAB_TOKEN=${token}\n`);
    writeFileSync(path.join(dir, 'keyscope.toml'), config());
    const scan = await keyscope(
      dir,
      'scan',
      '.',
      '--format',
      'json',
      '--output',
      'report.json',
      '--no-cache',
      '--workers',
      '0',
    );
    expect(scan.err).not.toMatch(/keyscope: (?!.*finding)/);
    const report = readFileSync(path.join(dir, 'report.json'), 'utf8');
    expect(report).not.toContain(token);
    expect(JSON.parse(report).findings[0].access.status, JSON.stringify(JSON.parse(report).findings[0].access)).toBe(
      'live',
    );

    const dry = await keyscope(dir, 'revoke', 'report.json');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('DRY RUN');
    expect(dry.out).toContain('recovered 1 secret');
    expect(dry.out).toContain(`DELETE ${fake.url}/api/v4/personal_access_tokens/self`);
    expect(dry.out + dry.err).not.toContain(token);
    expect(calls(fake.requests, 'DELETE', '/api/v4/personal_access_tokens/self')).toBe(0);

    const yes = await keyscope(dir, 'revoke', 'report.json', '--yes', '--format', 'json');
    expect(yes.code, yes.err).toBe(0);
    const out = JSON.parse(yes.out);
    expect(out.findings[0].revocation).toMatchObject({ action: 'revoke', result: 'revoked' });
    expect(out.findings[0].revocation.verified).toBe('invalid');
    expect(typeof out.findings[0].revocation.secondsToRevoke).toBe('number');
    expect(out.revocationRun.mode).toBe('execute');
    expect(yes.out + yes.err).not.toContain(token);
    expect(isRevoked(fake, token)).toBe(true);
    expect(calls(fake.requests, 'DELETE', '/api/v4/personal_access_tokens/self')).toBe(1);

    const again = await keyscope(dir, 'revoke', 'report.json', '--yes');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/already revoked on .* \(audit log\): no-op/);
    expect(calls(fake.requests, 'DELETE', '/api/v4/personal_access_tokens/self')).toBe(1);
    const audit = readFileSync(path.join(dir, '.keyscope', 'audit.jsonl'), 'utf8');
    expect(audit).not.toContain(token);
    expect(audit.trim().split('\n').length).toBeGreaterThanOrEqual(5);
  });

  it('says clearly when a secret cannot be recovered, and exits 1 under --yes', async () => {
    const dir = tmpDir();
    const token = tok('{{gen:gitlab-routable:glpat-}}');
    register(token);
    writeFileSync(path.join(dir, 'app.env'), `GITLAB_TOKEN=${token}\n`);
    writeFileSync(path.join(dir, 'keyscope.toml'), config());
    await keyscope(dir, 'scan', '.', '--format', 'json', '--output', 'report.json', '--no-cache', '--workers', '0');
    rmSync(path.join(dir, 'app.env'));
    const r = await keyscope(dir, 'revoke', 'report.json', '--yes');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/secret not recoverable: app\.env is not on disk any more/);
    expect(isRevoked(fake, token)).toBe(false);
  });

  it('history: the secret is recovered from git (git cat-file) when the file is gone from the work tree', async () => {
    const repo = GitRepo.create();
    const token = tok('{{gen:gitlab-routable:glpat-}}');
    register(token);
    repo.write('keyscope.toml', config()).add('keyscope.toml').commit('config');
    repo.write('old/.env', `GITLAB_TOKEN=${token}\n`).add('old/.env').commit('oops');
    repo.rm('old/.env').commit('remove it');
    const scan = await keyscope(
      repo.dir,
      'history',
      '.',
      '--format',
      'json',
      '--output',
      path.join(repo.root, 'h.json'),
      '--no-cache',
      '--workers',
      '0',
    );
    const report = JSON.parse(readFileSync(path.join(repo.root, 'h.json'), 'utf8'));
    expect(report.findings[0]?.commit, scan.err).toBeTruthy();
    const r = await keyscope(repo.dir, 'revoke', path.join(repo.root, 'h.json'), '--yes');
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toContain('recovered 1 secret');
    expect(isRevoked(fake, token)).toBe(true);
  });

  it('scan --revoke: dry run prints the plan to stderr; --revoke --yes revokes and the report carries the outcome', async () => {
    const dir = tmpDir();
    const token = tok('{{gen:gitlab-routable:glpat-}}');
    register(token);
    writeFileSync(path.join(dir, 'ci.env'), `GITLAB_TOKEN=${token}\n`);
    writeFileSync(path.join(dir, 'keyscope.toml'), config());
    const dry = await keyscope(dir, 'scan', '.', '--revoke', '--format', 'json', '--no-cache', '--workers', '0');
    expect(dry.err).toContain('DRY RUN');
    expect(JSON.parse(dry.out).findings[0].revocation.result).toBe('planned');
    expect(isRevoked(fake, token)).toBe(false);
    const yes = await keyscope(
      dir,
      'scan',
      '.',
      '--revoke',
      '--yes',
      '--format',
      'json',
      '--no-cache',
      '--workers',
      '0',
    );
    const rev = JSON.parse(yes.out).findings[0].revocation;
    expect(rev, yes.err).toMatchObject({ result: 'revoked', verified: 'invalid' });
    expect(rev.secondsToRevoke).toBeGreaterThanOrEqual(0);
    expect(isRevoked(fake, token)).toBe(true);
    expect(yes.out + yes.err).not.toContain(token);
  });
});
