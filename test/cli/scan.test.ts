import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { CLI, ensureBuilt } from '../hook/built.js';

// `keyscope scan` end to end through the built CLI: exit codes, bad input, malformed rules and config, baselines.

const dirs: string[] = [];
function tmp(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function ks(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[], cwd?: string) {
  const r = ks([...args, '--format', 'json', '--offline', '--quiet'], cwd);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

beforeAll(() => ensureBuilt());
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const token = expandTemplate('{{gen:github:ghp}}', 42);

describe('keyscope scan', () => {
  it('exits 0 on a clean tree and 1 when a finding is at or above --fail-on', () => {
    const clean = tmp('ks-clean-');
    writeFileSync(path.join(clean, 'a.txt'), 'nothing here\n');
    expect(json(['scan', clean]).code).toBe(0);

    const dirty = tmp('ks-dirty-');
    writeFileSync(path.join(dirty, 'config.env'), `GITHUB_TOKEN=${token}\n`);
    const r = json(['scan', dirty]);
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    const f = r.report.findings[0];
    expect(f).toMatchObject({
      ruleId: 'github-classic-pat',
      issuer: 'github',
      file: 'config.env',
      line: 1,
      column: 14,
      checksum: 'valid',
    });
    expect(f.risk.score).toBeGreaterThan(0);
    expect(f.risk.reasons.length).toBeGreaterThan(0);
    expect(f.risk.nhi).toContain('NHI2');
    expect(r.stdout).not.toContain(token);
    expect(json(['scan', dirty, '--fail-on', 'none']).code).toBe(0);
    expect(json(['scan', dirty, '--show-secrets']).stdout).toContain(token);
  });

  it('finishes on hostile input, says what it skipped and why', () => {
    const d = tmp('ks-bad-');
    const fd = openSync(path.join(d, 'sparse.img'), 'w');
    writeSync(fd, 'x', 2 * 1024 ** 3);
    closeSync(fd);
    writeFileSync(path.join(d, 'blob.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    mkdirSync(path.join(d, 'loop'));
    symlinkSync('..', path.join(d, 'loop', 'again'));
    writeFileSync(
      path.join(d, 'latin1.txt'),
      Buffer.concat([Buffer.from([0xe9, 0xff, 0x20]), Buffer.from(`tok=${token}`), Buffer.from([0xc3])]),
    );
    // A 50 MB single line (a minified bundle) with a secret near its end.
    writeFileSync(
      path.join(d, 'bundle.min.js'),
      `${'var a=1;'.repeat(6_250_000)}k="${expandTemplate('{{gen:npm}}', 9)}";`,
    );
    const r = json(['scan', d, '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const skipped = Object.fromEntries(
      r.report.stats.skipped.map((s: { path: string; reason: string }) => [s.path, s.reason]),
    );
    expect(skipped['sparse.img']).toMatch(/larger than/);
    expect(skipped['blob.bin']).toBe('binary file');
    expect(skipped['loop/again']).toBe('symlink not followed');
    const rules = r.report.findings.map((f: { ruleId: string; file: string }) => `${f.ruleId}@${f.file}`).sort();
    expect(rules).toEqual(['github-classic-pat@latin1.txt', 'npm-access-token@bundle.min.js']);
  });

  it('stops with exit 2 and names the file on a malformed config or rule file', () => {
    const d = tmp('ks-cfg-');
    writeFileSync(path.join(d, 'keyscope.toml'), '[scan]\nmaxFileSize = "big"\n');
    const r = ks(['scan', d, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/keyscope\.toml: scan\.maxFileSize/);

    const e = tmp('ks-rule-');
    writeFileSync(
      path.join(e, 'bad.toml'),
      'issuer = "acme"\n[[rules]]\nid = "acme-x"\ndescription = "d"\nregex = \'\'\'(?<=x)y\'\'\'\ntokenType = "t"\nexamples = ["y"]\n',
    );
    writeFileSync(path.join(e, 'keyscope.toml'), '[rules]\nextra = ["bad.toml"]\n');
    const r2 = ks(['scan', e, '--offline']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/bad\.toml: rule acme-x: RE2 cannot compile/);

    const r3 = ks(['scan', e, '--format', 'yaml']);
    expect(r3.code).toBe(2);
  });

  it('writes a baseline and then reports only new findings', () => {
    const d = tmp('ks-base-');
    writeFileSync(path.join(d, 'old.env'), `TOKEN=${token}\n`);
    const base = path.join(d, '..', `${path.basename(d)}-baseline.json`);
    dirs.push(base);
    expect(ks(['baseline', d, '--output', base]).code).toBe(0);
    expect(json(['scan', d, '--baseline', base]).code).toBe(0);
    const fresh = expandTemplate('{{gen:github:ghp}}', 43);
    writeFileSync(path.join(d, 'new.env'), `TOKEN=${fresh}\n`);
    const r = json(['scan', d, '--baseline', base]);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: { file: string }) => f.file)).toEqual(['new.env']);
  });
});
