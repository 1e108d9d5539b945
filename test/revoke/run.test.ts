import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { githubRevokeFake } from '../../fixtures/fake-issuers/revoke/github.js';
import { gitlabRevoke, slackRevoke } from '../../fixtures/fake-issuers/revoke/simple.js';
import { isRevoked, stateOf } from '../../fixtures/fake-issuers/revoke/state.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { listenLocal, readBody } from '../../fixtures/http-util.js';
import type { Finding } from '../../src/types.js';
import { calls, cfg, harness, keyFinding, mutating, tok } from './harness.js';

describe('revocation run: policy, dry run, --yes, --offline, idempotence, failures, audit', () => {
  let gh: FakeIssuer<Record<string, unknown>>;
  let gl: FakeIssuer<Record<string, unknown>>;
  let sl: FakeIssuer<Record<string, unknown>>;
  beforeAll(async () => {
    gh = await startFake(githubRevokeFake);
    gl = await startFake(gitlabRevoke.fake);
    sl = await startFake(slackRevoke.fake);
  });
  afterAll(async () => {
    await Promise.all([gh.close(), gl.close(), sl.close()]);
  });
  afterEach(() => {
    for (const f of [gh, gl, sl]) {
      f.reset();
      stateOf(f).fail = undefined;
    }
  });
  const all = () => [...gh.requests, ...gl.requests, ...sl.requests];
  const urls = () => ({ github: gh.url, gitlab: gl.url, slack: sl.url });

  /** A mixed report: 2 GitHub, 1 GitLab, 1 Slack keys the policy selects; 3 it does not; 1 Stripe key (manual). */
  function mixed(): { selected: Finding[]; others: Finding[]; stripe: Finding } {
    const selected = [
      keyFinding('github', tok('{{gen:github:ghp}}'), { score: 95 }),
      keyFinding('github', tok('{{gen:github:github_pat:82}}'), { score: 91 }),
      keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'), { score: 92 }),
      keyFinding('slack', tok('xoxb-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:A-Za-z0-9:24}}'), { score: 93 }),
    ];
    const others = [
      keyFinding('github', tok('{{gen:github:ghp}}'), { severity: 'high', score: 70 }),
      keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'), { status: 'unknown' }),
      keyFinding('slack', tok('xoxp-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:A-Za-z0-9:24}}'), {
        severity: 'medium',
        score: 40,
      }),
    ];
    const stripe = keyFinding('stripe', tok('sk_live_{{rand:A-Za-z0-9:40}}'), { score: 97 });
    for (const f of [...selected, ...others])
      ({ github: gh, gitlab: gl, slack: sl })[f.issuer as 'github']!.add(f.secret, {});
    return { selected, others, stripe };
  }

  it('a dry run prints the plan and makes zero requests (not even a connection)', async () => {
    const h = harness();
    const { selected, others, stripe } = mixed();
    const findings = [...selected, ...others, stripe];
    const res = await h.run(findings, cfg(urls()));
    expect(res.mode).toBe('dry-run');
    expect(all()).toHaveLength(0);
    expect(gh.connections + gl.connections + sl.connections).toBe(0);
    expect(res.requests).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain('DRY RUN');
    for (const f of selected) {
      expect(f.revocation?.result).toBe('planned');
      expect(text).toContain(f.redacted);
      expect(text).toContain(f.id);
    }
    expect(text).toContain(`POST ${gh.url}/credentials/revoke`);
    expect(text).toContain(`DELETE ${gl.url}/api/v4/personal_access_tokens/self`);
    expect(text).toContain('irreversible');
    for (const f of others) expect(f.revocation).toBeUndefined();
    expect(stripe.revocation?.result).toBe('manual');
    expect(stripe.revocation?.runbook?.[0]).toBe('https://dashboard.stripe.com/apikeys');
    expect(text).toContain('https://dashboard.stripe.com/apikeys');
    for (const f of findings) expect(text).not.toContain(f.secret);
    for (const f of selected)
      expect(isRevoked(gh, f.secret) || isRevoked(gl, f.secret) || isRevoked(sl, f.secret)).toBe(false);
  });

  it('--yes revokes exactly the keys the policy selects and no other', async () => {
    const h = harness();
    const { selected, others, stripe } = mixed();
    const res = await h.run([...others, stripe, ...selected], cfg(urls()), { yes: true });
    expect(res.mode).toBe('execute');
    const fakeOf = (f: Finding) => ({ github: gh, gitlab: gl, slack: sl })[f.issuer as 'github']!;
    for (const f of selected) {
      expect(isRevoked(fakeOf(f), f.secret), f.issuer).toBe(true);
      expect(f.revocation?.result).toBe('revoked');
      expect(f.revocation?.secondsToRevoke).toBeGreaterThanOrEqual(0);
    }
    for (const f of others) {
      expect(isRevoked(fakeOf(f), f.secret)).toBe(false);
      expect(f.revocation).toBeUndefined();
    }
    // Both GitHub keys in one batched request; one request each for GitLab and Slack.
    expect(calls(gh.requests, 'POST', '/credentials/revoke')).toBe(1);
    expect(mutating(gh.requests)).toBe(1);
    expect(JSON.parse(gh.requests.find((r) => r.method === 'POST')!.body).credentials).toHaveLength(2);
    expect(calls(gl.requests, 'DELETE', '/api/v4/personal_access_tokens/self')).toBe(1);
    expect(mutating(gl.requests)).toBe(1);
    expect(calls(sl.requests, 'POST', '/api/auth.revoke')).toBe(1);
    expect(stripe.revocation?.result).toBe('manual');
    expect(res.summary.counts.revoked).toBe(4);
  });

  it('--offline revokes nothing, opens no socket, and says so', async () => {
    const h = harness();
    const { selected } = mixed();
    const res = await h.run(selected, cfg(urls()), { yes: true, offline: true });
    expect(res.mode).toBe('offline');
    expect(gh.connections + gl.connections + sl.connections).toBe(0);
    for (const f of selected) {
      expect(f.revocation?.result).toBe('skipped');
      expect(f.revocation?.detail).toMatch(/offline/);
    }
    expect(h.out.join('\n')).toMatch(/OFFLINE, nothing is revoked/);
    expect(res.notes.join(' ')).toMatch(/nothing was revoked/);
  });

  it('a second run is a no-op recorded as such', async () => {
    const h = harness();
    const { selected } = mixed();
    await h.run(selected, cfg(urls()), { yes: true });
    for (const f of [gh, gl, sl]) f.reset();
    const again: Finding[] = selected.map((f) => ({ ...f, revocation: undefined }));
    const res = await h.run(again, cfg(urls()), { yes: true });
    expect(all()).toHaveLength(0);
    for (const f of again) {
      expect(f.revocation?.result).toBe('already-revoked');
      expect(f.revocation?.detail).toMatch(/audit log/);
    }
    const rows = new Database(h.db, { readonly: true })
      .prepare("SELECT outcome FROM revoke_audit WHERE run_id = ? AND action = 'revoke'")
      .all(res.runId) as { outcome: string }[];
    expect(rows.map((r) => r.outcome)).toEqual([
      'already-revoked',
      'already-revoked',
      'already-revoked',
      'already-revoked',
    ]);
  });

  it('an issuer that already revoked the key (no audit row) answers as such: no-op', async () => {
    const h = harness();
    const k = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'));
    gl.add(k.secret, {});
    stateOf(gl).revoked.add(k.secret);
    await h.run([k], cfg(urls()), { yes: true });
    expect(k.revocation?.result).toBe('already-revoked');
    expect(k.revocation?.httpStatus).toBe(401);
  });

  it('an issuer answering 500 leaves the key "revocation failed" and the run goes on', async () => {
    const h = harness();
    const bad = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'), { score: 99 });
    const good = keyFinding('slack', tok('xoxb-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:A-Za-z0-9:24}}'));
    gl.add(bad.secret, {});
    sl.add(good.secret, {});
    stateOf(gl).fail = { kind: 'error', status: 500 };
    await h.run([bad, good], cfg(urls()), { yes: true });
    expect(bad.revocation?.result).toBe('failed');
    expect(bad.revocation?.detail).toMatch(/HTTP 500/);
    expect(bad.revocation?.runbook?.length).toBeGreaterThan(0);
    expect(isRevoked(gl, bad.secret)).toBe(false);
    expect(good.revocation?.result).toBe('revoked');
  });

  it('an issuer that hangs times out: "revocation failed", the run goes on', async () => {
    const h = harness();
    const slow = keyFinding('github', tok('{{gen:github:ghp}}'));
    const good = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'));
    gh.add(slow.secret, {});
    gl.add(good.secret, {});
    stateOf(gh).fail = { kind: 'hang' };
    const t0 = Date.now();
    await h.run([slow, good], cfg(urls()), { yes: true, http: { retryBaseMs: 5, timeoutMs: 400, maxRetries: 1 } });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(slow.revocation?.result).toBe('failed');
    expect(slow.revocation?.detail).toMatch(/timeout/);
    expect(good.revocation?.result).toBe('revoked');
  });

  it('max_per_run: when more keys qualify, the highest-risk ones up to the brake are revoked and the run says so', async () => {
    const h = harness();
    const keys = [60, 99, 75, 88, 91].map((score) =>
      keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'), { score }),
    );
    for (const k of keys) gl.add(k.secret, {});
    const res = await h.run(keys, cfg(urls(), { max_per_run: 2 }), { yes: true });
    const revokedScores = keys.filter((k) => k.revocation?.result === 'revoked').map((k) => k.risk!.score);
    expect(revokedScores.sort()).toEqual([91, 99]);
    expect(keys.filter((k) => isRevoked(gl, k.secret))).toHaveLength(2);
    expect(calls(gl.requests, 'DELETE', '/api/v4/personal_access_tokens/self')).toBe(2);
    const held = keys.filter((k) => k.revocation?.result === 'skipped');
    expect(held).toHaveLength(3);
    for (const k of held) expect(k.revocation?.detail).toMatch(/max_per_run/);
    expect(res.plan.braked).toBe(3);
    expect(h.out.join('\n')).toMatch(/brake: 3 more keys qualify than max_per_run=2/);
  });

  it('the issuers allowlist and environments narrow the selection', async () => {
    const h = harness();
    const ghKey = keyFinding('github', tok('{{gen:github:ghp}}'));
    const prod = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'), { environment: 'production' });
    const test = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'), { environment: 'test' });
    for (const k of [prod, test]) gl.add(k.secret, {});
    gh.add(ghKey.secret, {});
    await h.run([ghKey, prod, test], cfg(urls(), { issuers: ['gitlab'], environments: ['production'] }), { yes: true });
    expect(gh.requests).toHaveLength(0);
    expect(ghKey.revocation).toBeUndefined();
    expect(test.revocation).toBeUndefined();
    expect(prod.revocation?.result).toBe('revoked');
    expect(h.out.join('\n')).toMatch(/not in the revoke.issuers allowlist/);
  });

  it('the audit log holds every planned and executed action, in SQLite and JSON lines, never the secret', async () => {
    const h = harness();
    const { selected, stripe } = mixed();
    const dry = await h.run([...selected, stripe], cfg(urls()));
    const res = await h.run(
      selected.map((f): Finding => ({ ...f, revocation: undefined })),
      cfg(urls()),
      { yes: true },
    );
    const db = new Database(h.db, { readonly: true });
    const rows = db.prepare('SELECT * FROM revoke_audit ORDER BY id').all() as Record<string, unknown>[];
    const planRows = rows.filter((r) => r.run_id === dry.runId);
    expect(planRows.map((r) => r.outcome).sort()).toEqual(['manual', 'planned', 'planned', 'planned', 'planned']);
    const exec = rows.filter((r) => r.run_id === res.runId && r.action === 'revoke');
    expect(exec).toHaveLength(4);
    for (const r of exec) {
      expect(r.outcome).toBe('revoked');
      expect(r.actor).toBe('tester@ci');
      expect(r.mode).toBe('execute');
      expect(typeof r.at).toBe('string');
      expect(String(r.request)).toMatch(/^(POST|DELETE) http:\/\/127\.0\.0\.1/);
      expect([202, 204, 200]).toContain(r.status);
      expect(selected.map((f) => f.id)).toContain(r.fingerprint);
      expect(r.seconds_to_revoke).not.toBeNull();
    }
    const lines = readFileSync(h.jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.runId === res.runId && l.action === 'revoke')).toHaveLength(4);
    expect(lines[0]).toMatchObject({ actor: 'tester@ci', mode: 'dry-run', action: 'plan' });
    const bytes = readFileSync(h.db).toString('latin1') + readFileSync(h.jsonl, 'utf8');
    for (const f of [...selected, stripe]) expect(bytes).not.toContain(f.secret);
  });

  it('time to revoke counts from detection (the report time) to confirmed revocation', async () => {
    const h = harness();
    const k = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'));
    gl.add(k.secret, {});
    const detectedAt = new Date(Date.now() - 120_000).toISOString();
    await h.run([k], cfg(urls()), { yes: true, detectedAt });
    expect(k.revocation?.secondsToRevoke).toBeGreaterThanOrEqual(119);
    expect(k.revocation?.secondsToRevoke).toBeLessThan(180);
  });

  it('notifies a Slack incoming webhook and a JSON webhook with a summary that holds no secret', async () => {
    const got: { path: string; body: string }[] = [];
    const srv = await listenLocal(async (req, res) => {
      got.push({ path: req.url ?? '', body: await readBody(req) });
      res.writeHead(200).end('ok');
    });
    const base = srv.url;
    try {
      const h = harness();
      const k = keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'));
      gl.add(k.secret, {});
      const config = cfg(urls(), {
        notify: { slack_webhook: `${base}/services/T000/B000/xyz`, webhook: `${base}/hook` },
      });
      const res = await h.run([k], config, { yes: true });
      expect(got.map((g) => g.path).sort()).toEqual(['/hook', '/services/T000/B000/xyz']);
      const slackMsg = JSON.parse(got.find((g) => g.path.startsWith('/services'))!.body);
      expect(slackMsg.text).toContain('1 revoked');
      expect(slackMsg.text).toContain(k.redacted);
      const summary = JSON.parse(got.find((g) => g.path === '/hook')!.body);
      expect(summary).toMatchObject({ tool: 'keyscope', event: 'revocation', counts: { revoked: 1 } });
      expect(summary.items[0]).toMatchObject({ fingerprint: k.id, result: 'revoked' });
      for (const g of got) expect(g.body).not.toContain(k.secret);
      expect(res.notes.filter((n) => /notification sent/.test(n))).toHaveLength(2);
      // Dry runs do not notify.
      got.length = 0;
      await h.run([keyFinding('gitlab', tok('{{gen:gitlab-routable:glpat-}}'))], config);
      expect(got).toHaveLength(0);
    } finally {
      await srv.close();
    }
  });
});
