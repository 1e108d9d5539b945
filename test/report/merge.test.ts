import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, renderReport } from '../../src/report/index.js';
import { mergeReports } from '../../src/report/merge.js';
import type { Finding, Report } from '../../src/types.js';
import { CLI, ensureBuilt } from '../hook/built.js';
import { makeFinding, NOW } from '../risk/fixtures/make.js';

// Shard reports joined into one: findings by id, occurrences unioned without duplicates, stats summed, risk scored
// again over the union, new/resolved kept consistent across shards.

const GH = 'ghp_{{rand:A-Za-z0-9:36}}';

function shard(
  label: string,
  findings: Finding[],
  extra: Record<string, unknown> = {},
  repos: Record<string, unknown> = {},
): Report {
  return {
    tool: 'keyscope',
    version: '0.1.0',
    target: { kind: 'org', owner: 'acme', account: 'org', shard: label, repositories: repos },
    stats: {
      filesScanned: 10,
      blobsScanned: 8,
      bytesScanned: 1000,
      skipped: [{ path: `acme/broken-${label}`, reason: 'clone failed: x' }],
      lookups: 2,
      durationMs: label === '1/2' ? 1000 : 3000,
      repositories: { listed: 4, selected: 2, scanned: 2, unchanged: 0, failed: 0 },
      shard: label,
      run: { id: 1, resumed: false, previousRun: null },
      ...extra,
    },
    findings,
    generatedAt: NOW,
  };
}

/** The same key seen in two shards: a copy with other occurrences (ids are the secret's fingerprint). */
function sameKey(f: Finding, occurrences: Finding['occurrences'], patch: Partial<Finding> = {}): Finding {
  return { ...f, occurrences, ...patch };
}

const reused = makeFinding({
  id: 'fp-reused',
  issuer: 'github',
  ruleId: 'github-classic-pat',
  tokenType: 'classic-pat',
  secret: GH,
  occurrences: [{ repo: 'acme/api', file: 'a.env', line: 2, commit: 'c1' }],
  access: { status: 'live', scopes: ['repo'] },
});
const onlyA = makeFinding({
  id: 'fp-a',
  issuer: 'npm',
  ruleId: 'npm-access-token',
  secret: 'npm_{{rand:A-Za-z0-9:36}}',
  occurrences: [{ repo: 'acme/api', file: 'x.sh' }],
});
const onlyB = makeFinding({
  id: 'fp-b',
  issuer: 'github',
  ruleId: 'github-classic-pat',
  secret: GH,
  occurrences: [{ repo: 'acme/web', file: 'y.py' }],
});
const exposure = {
  'acme/api': { visibility: 'private', forks: 0 },
  'acme/web': { visibility: 'public', forks: 12 },
};
const a = () =>
  shard(
    '1/2',
    [structuredClone(reused), structuredClone(onlyA)],
    { newSinceLastScan: ['fp-reused', 'fp-a'], resolvedSinceLastScan: [] },
    {
      'acme/api': exposure['acme/api'],
    },
  );
const b = () =>
  shard(
    '2/2',
    [
      sameKey(structuredClone(reused), [
        { repo: 'acme/web', file: 'b.env', line: 5, column: 1, commit: 'c9' },
        { ...reused.occurrences[0] },
      ]),
      structuredClone(onlyB),
    ],
    {
      newSinceLastScan: ['fp-b'],
      resolvedSinceLastScan: [
        { id: 'fp-reused', redacted: 'x', issuer: 'github', reason: 'gone' },
        { id: 'fp-old', redacted: 'ghp_ol…', issuer: 'github', reason: 'gone' },
        { id: 'fp-b', redacted: 'y', issuer: 'github', reason: 'inactive' },
      ],
    },
    { 'acme/web': exposure['acme/web'] },
  );

describe('mergeReports', () => {
  it('joins a key reused across shards into one finding with occurrences in both repositories, no duplicates', () => {
    const m = mergeReports([a(), b()]);
    expect(m.findings.map((f) => f.id).sort()).toEqual(['fp-a', 'fp-b', 'fp-reused']);
    const f = m.findings.find((x) => x.id === 'fp-reused')!;
    expect(f.occurrences.map((o) => `${o.repo}:${o.file}:${o.line}`)).toEqual(['acme/api:a.env:2', 'acme/web:b.env:5']);
    expect(m.target).toMatchObject({ kind: 'org', owner: 'acme', merged: 2, shards: ['1/2', '2/2'] });
    expect(Object.keys(m.target.repositories as object).sort()).toEqual(['acme/api', 'acme/web']);
  });

  it('re-scores the union: the key is now also in a public, forked repository of the other shard', () => {
    const alone = mergeReports([a()]).findings.find((x) => x.id === 'fp-reused')!;
    const merged = mergeReports([a(), b()]).findings.find((x) => x.id === 'fp-reused')!;
    expect(merged.risk!.score).toBeGreaterThan(alone.risk!.score);
    expect(merged.risk!.factors!.find((x) => x.name === 'exposure')!.detail).toMatch(/public.*in 2 repositories/);
  });

  it('sums stats (nested counts too), concatenates skips, and keeps the slowest shard’s time', () => {
    const m = mergeReports([a(), b()]);
    expect(m.stats).toMatchObject({
      filesScanned: 20,
      blobsScanned: 16,
      bytesScanned: 2000,
      lookups: 4,
      durationMs: 4000,
      durationMsMax: 3000,
      merged: 2,
      shards: ['1/2', '2/2'],
      repositories: { listed: 8, selected: 4, scanned: 4, unchanged: 0, failed: 0 },
    });
    expect(m.stats.skipped.map((s) => s.path)).toEqual(['acme/broken-1/2', 'acme/broken-2/2']);
    expect(m.stats.runs).toHaveLength(2);
  });

  it('new only where every shard holding the key says new; "gone" only where no shard still holds it', () => {
    const m = mergeReports([a(), b()]);
    // fp-reused is new in shard 1 but known (not new) in shard 2: the org knew it.
    expect(m.stats.newSinceLastScan).toEqual(['fp-a', 'fp-b']);
    expect((m.stats.resolvedSinceLastScan as { id: string; reason: string }[]).map((r) => [r.id, r.reason])).toEqual([
      ['fp-b', 'inactive'],
      ['fp-old', 'gone'],
    ]);
  });

  it('gives the same result whatever order the shards come in', () => {
    const ab = mergeReports([a(), b()]);
    const ba = mergeReports([b(), a()]);
    const view = (r: Report) =>
      r.findings
        .map((f) => ({ id: f.id, ruleId: f.ruleId, occ: f.occurrences, score: f.risk?.score }))
        .sort((x, y) => x.id.localeCompare(y.id));
    expect(view(ba)).toEqual(view(ab));
    expect(ba.stats.newSinceLastScan).toEqual(ab.stats.newSinceLastScan);
  });

  it('keeps the more informative lookup (an issuer answer over an offline guess)', () => {
    const offline = sameKey(structuredClone(reused), [{ repo: 'acme/web', file: 'b.env', line: 5, column: 1 }], {
      access: { status: 'unknown', source: 'offline', checkedAt: NOW },
    });
    const m = mergeReports([shard('2/2', [offline]), a()]);
    expect(m.findings.find((f) => f.id === 'fp-reused')!.access).toMatchObject({ status: 'live', source: 'issuer' });
  });

  it('round-trips through JSON: parseReport reads the merged report, and no format leaks a secret', () => {
    const m = mergeReports([a(), b()]);
    const back = parseReport(renderReport(m, 'json', { showSecrets: false, color: false }));
    expect(back.findings.map((f) => f.id).sort()).toEqual(['fp-a', 'fp-b', 'fp-reused']);
    for (const fmt of ['text', 'json', 'markdown', 'sarif', 'html', 'github'] as const) {
      const out = renderReport(m, fmt, { showSecrets: false, color: false });
      expect(out).not.toContain(reused.secret);
    }
  });

  it('merges reports of other kinds under a "merged" target, and refuses nothing to merge', () => {
    const files: Report = { ...a(), target: { kind: 'files', paths: ['.'] } };
    expect(mergeReports([files, a()]).target.kind).toBe('merged');
    expect(() => mergeReports([])).toThrow(/no reports/);
  });
});

describe('keyscope report merge (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'keyscope-merge-'));
    const render = (r: Report) => renderReport(r, 'json', { showSecrets: false, color: false });
    writeFileSync(path.join(dir, 'a.json'), render(a()));
    writeFileSync(path.join(dir, 'b.json'), render(b()));
    writeFileSync(path.join(dir, 'bad.json'), '{"tool":"other"}');
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'report', 'merge', ...args], { cwd: dir, encoding: 'utf8' });

  it('writes the merged JSON report and exits 1 when findings reach --fail-on', () => {
    const r = run('a.json', 'b.json');
    expect(r.status, r.stderr).toBe(1);
    const m = JSON.parse(r.stdout) as Report;
    expect(m.findings).toHaveLength(3);
    expect(run('a.json', 'b.json', '--fail-on', 'none').status).toBe(0);
    const t = run('a.json', 'b.json', '--format', 'text', '--no-color', '--fail-on', 'none');
    expect(t.stdout).toMatch(/3 findings/);
  });

  it('names a file that is not a keyscope report, or missing, and exits 2', () => {
    const bad = run('a.json', 'bad.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: not a keyscope JSON report/);
    const missing = run('a.json', 'nope.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: ENOENT/);
  });
});
