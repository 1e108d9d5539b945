import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../src/detect/checksums/all.js';
import { expandTemplate } from '../src/detect/samples.js';
import { GitRepo } from '../test/support/git-repo.js';
import { isMain, keyscopeJson, requireBuiltCli, type Timed, timed, work } from './util.js';

// History benchmark (issue 3): a deterministic repository built from successive published versions of a few
// npm packages (fetched once with `npm pack`, kept under bench/.work/), plus generated commits with renames,
// an unmerged branch, a merged feature branch and a few planted secrets. One run each of:
//   keyscope history (cold, no cache) · keyscope scan of the same distinct blobs written out as files
//   · git cat-file --batch-all-objects --batch > /dev/null · git log -p --all > /dev/null · keyscope history (warm cache)
// Bar: history ≤ 1.3× the files scan; peak RSS < 500 MB; warm run scans 0 blobs with identical findings.

const BUILD_VERSION = 'history-bench-2';

/** Versions committed in order, one round at a time; a package keeps its last version once it runs out. */
const SERIES: Record<string, string[]> = {
  typescript: ['5.3.3', '5.5.4', '5.7.3', '5.9.3'],
  'date-fns': ['3.6.0', '4.1.0'],
  rxjs: ['7.8.0', '7.8.1', '7.8.2'],
  lodash: ['4.17.15', '4.17.19', '4.17.21'],
  express: ['4.18.2', '4.19.2', '4.21.2'],
};

function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

function ensurePacks(): Map<string, string> {
  const dir = path.join(work, 'history-packs');
  mkdirSync(dir, { recursive: true });
  const out = new Map<string, string>();
  for (const [name, versions] of Object.entries(SERIES)) {
    for (const v of versions) {
      const unpacked = path.join(dir, `${name}-${v}`);
      if (!existsSync(path.join(unpacked, 'package', 'package.json'))) {
        console.log(`bench: npm pack ${name}@${v}`);
        const file = sh('npm', ['pack', `${name}@${v}`, '--silent', '--pack-destination', dir])
          .trim()
          .split('\n')
          .pop()!;
        mkdirSync(unpacked, { recursive: true });
        sh('tar', ['xzf', path.join(dir, file), '-C', unpacked]);
        rmSync(path.join(dir, file), { force: true });
      }
      out.set(`${name}@${v}`, path.join(unpacked, 'package'));
    }
  }
  return out;
}

function replaceDir(repo: GitRepo, rel: string, from: string): void {
  rmSync(path.join(repo.dir, rel), { recursive: true, force: true });
  mkdirSync(path.dirname(path.join(repo.dir, rel)), { recursive: true });
  sh('cp', ['-R', from, path.join(repo.dir, rel)]);
}

export interface BenchRepo {
  dir: string;
  planted: string[];
}

/** Builds (once) the benchmark repository; the same inputs give the same commits. */
export function ensureHistoryRepo(): BenchRepo {
  const dir = path.join(work, 'history-repo');
  const marker = path.join(work, 'history-repo.done');
  const plantedFile = path.join(work, 'history-repo.planted.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === BUILD_VERSION && existsSync(plantedFile)) {
    return { dir, planted: JSON.parse(readFileSync(plantedFile, 'utf8')) };
  }
  const packs = ensurePacks();
  rmSync(dir, { recursive: true, force: true });
  const home = path.join(work, 'history-home');
  const repo = GitRepo.initAt(dir, home);
  const t0 = performance.now();
  const planted: string[] = [];
  const plant = (kind: string, seed: number) => {
    const v = expandTemplate(`{{gen:${kind}}}`, seed);
    planted.push(v);
    return v;
  };
  const rounds = Math.max(...Object.values(SERIES).map((v) => v.length));
  const location: Record<string, string> = Object.fromEntries(Object.keys(SERIES).map((n) => [n, `packages/${n}`]));
  let appLines = ['// generated application', 'export const version = 0;'];
  for (let r = 0; r < rounds; r++) {
    for (const [name, versions] of Object.entries(SERIES)) {
      if (r >= versions.length) continue;
      replaceDir(repo, location[name], packs.get(`${name}@${versions[r]}`)!);
      repo.commit(`${name}@${versions[r]}`);
    }
    if (r === 0) {
      // A secret added and removed two commits later.
      repo.write('config/ci.env', `CI=1\nGITHUB_TOKEN=${plant('github:ghp', 101)}\n`);
      repo.commit('ci config');
      repo.write('README.md', '# bench app\n');
      repo.commit('readme');
      // A GitHub Actions expression, literally (not a template placeholder).
      repo.write('config/ci.env', `CI=1\nGITHUB_TOKEN=$\{{ secrets.GITHUB_TOKEN }}\n`);
      repo.commit('use the CI secret instead');
    }
    if (r === 1) {
      // Renames: a vendored package moves, a config file moves with its secret.
      repo.mv('packages/lodash', 'vendor/lodash');
      location.lodash = 'vendor/lodash';
      repo.write('deploy/publish.sh', `#!/bin/sh\nnpm publish --token ${plant('npm', 102)}\n`);
      repo.commit('move lodash to vendor/, add publish script');
      repo.mv('deploy/publish.sh', 'scripts/publish.sh');
      repo.commit('move publish script');
      // An unmerged maintenance branch with a secret of its own.
      repo.checkout('maint', true);
      repo.write('maint/notes.md', `hotfix notes\ntoken: ${plant('github:ghp', 103)}\n`);
      repo.commit('maint notes');
      repo.checkout('main');
    }
    if (r === 2) {
      // A feature branch of many small commits, merged with --no-ff; the merge adds a file of its own.
      repo.checkout('feature', true);
      let appPath = 'src/app.js';
      for (let i = 0; i < 40; i++) {
        appLines = [...appLines, `export const step${i} = ${i};`];
        repo.write(appPath, `${appLines.join('\n')}\n`);
        repo.commit(`feature step ${i}`);
        if (i === 20) {
          repo.mv(appPath, 'src/application.js');
          appPath = 'src/application.js';
          repo.commit('rename app');
        }
      }
      repo.checkout('main');
      repo.write('src/main-only.js', 'export const main = true;\n');
      repo.commit('main work');
      repo.mergeNoCommit('feature').write('merge-notes.env', `NPM_TOKEN=${plant('npm', 104)}\n`);
      repo.commit('merge feature');
    }
  }
  repo.git('tag', '-a', 'v1.0.0', '-m', 'release');
  // Generated churn: many small commits that rename and edit, like a real project's history.
  for (let i = 0; i < 60; i++) {
    const file = `src/mod${i % 12}.js`;
    repo.write(file, `export const m${i} = ${i};\n`.repeat(1 + (i % 5)));
    repo.commit(`churn ${i}`);
    if (i % 10 === 9) {
      repo.mv(file, `src/moved/mod${i}.js`);
      repo.commit(`move ${file}`);
    }
  }
  repo.write('config/prod.env', `HOST=example.test\nGITHUB_TOKEN=${plant('github:ghp', 105)}\n`);
  repo.commit('prod config');
  repo.git('gc', '-q');
  writeFileSync(plantedFile, JSON.stringify(planted));
  writeFileSync(marker, BUILD_VERSION);
  console.log(`bench: built ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, planted };
}

/** Writes every distinct blob reachable from all refs as a plain file (the files-scan floor). */
function writeBlobs(repo: string): { dir: string; count: number; bytes: number } {
  const dir = path.join(work, 'history-blobs');
  const marker = path.join(work, 'history-blobs.done');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === BUILD_VERSION) {
    const [count, bytes] = readFileSync(path.join(work, 'history-blobs.count'), 'utf8').split(' ').map(Number);
    return { dir, count, bytes };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const firstPath = new Map<string, string>();
  for (const line of sh('git', ['rev-list', '--all', '--objects'], repo).split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const oid = line.slice(0, sp);
    if (!firstPath.has(oid)) firstPath.set(oid, line.slice(sp + 1));
  }
  const r = spawnSync('git', ['cat-file', '--batch'], {
    cwd: repo,
    input: `${[...firstPath.keys()].join('\n')}\n`,
    maxBuffer: 2 ** 31,
  });
  const out = r.stdout as Buffer;
  let pos = 0;
  let count = 0;
  let bytes = 0;
  while (pos < out.length) {
    const nl = out.indexOf(10, pos);
    const [oid, type, size] = out.toString('latin1', pos, nl).split(' ');
    const n = Number(size);
    const body = out.subarray(nl + 1, nl + 1 + n);
    pos = nl + 1 + n + 1;
    if (type !== 'blob') continue;
    const sub = path.join(dir, oid.slice(0, 2));
    mkdirSync(sub, { recursive: true });
    // Keep the base name (rules may look at it), prefixed so no .gitignore among them takes effect.
    writeFileSync(path.join(sub, `${oid}-${path.basename(firstPath.get(oid) || 'blob')}`), body);
    count++;
    bytes += n;
  }
  writeFileSync(path.join(work, 'history-blobs.count'), `${count} ${bytes}`);
  writeFileSync(marker, BUILD_VERSION);
  return { dir, count, bytes };
}

interface KeyscopeRun extends Timed {
  report: { stats: Record<string, unknown>; findings: { id: string; secret?: string }[] };
}

const keyscope = (args: string[]): KeyscopeRun => keyscopeJson<KeyscopeRun['report']>(args, 'hbench');

const ids = (r: KeyscopeRun) => r.report.findings.map((f) => f.id).sort();

export async function runHistoryBench(): Promise<{ ratioFiles: number; rssMb?: number }> {
  requireBuiltCli();
  const { dir, planted } = ensureHistoryRepo();
  const blobs = writeBlobs(dir);
  const commits = sh('git', ['rev-list', '--all', '--count'], dir).trim();
  const packBytes = readdirSync(path.join(dir, '.git', 'objects', 'pack'))
    .filter((f) => f.endsWith('.pack'))
    .reduce((n, f) => n + Number(sh('stat', ['-c', '%s', path.join(dir, '.git', 'objects', 'pack', f)]).trim()), 0);
  console.log(
    `\n== history: ${commits} commits, ${blobs.count} distinct blobs, ${(blobs.bytes / 1e6).toFixed(1)} MB of blob content, pack ${(packBytes / 1e6).toFixed(1)} MB, ${os.availableParallelism()} cores`,
  );

  // Warm the page cache for every contender.
  timed('sh', ['-c', 'git cat-file --batch-all-objects --batch > /dev/null'], { cwd: dir });
  const catFile = timed('sh', ['-c', 'git cat-file --batch-all-objects --batch > /dev/null'], { cwd: dir });
  const logP = timed('sh', ['-c', 'git log -p --all > /dev/null'], { cwd: dir });
  const logBytes = Number(timed('sh', ['-c', 'git log -p --all | wc -c'], { cwd: dir }).stdout.trim());

  const cacheFile = path.join(work, 'history-cache.db');
  rmSync(cacheFile, { force: true });
  rmSync(`${cacheFile}-wal`, { force: true });
  rmSync(`${cacheFile}-shm`, { force: true });
  keyscope(['scan', blobs.dir, '--no-gitignore']); // warm-up: rule compile path, file cache
  const files = keyscope(['scan', blobs.dir, '--no-gitignore']);
  const cold = keyscope(['history', dir, '--no-cache']);
  const fill = keyscope(['history', dir, '--cache', cacheFile]);
  const warm = keyscope(['history', dir, '--cache', cacheFile]);

  const hs = cold.report.stats as { blobsScanned: number; bytesScanned: number; enumerateMs: number };
  const ws = warm.report.stats as { blobsScanned: number; blobsCached: number };
  const ratio = cold.seconds / files.seconds;
  const f = (s: number) => `${s.toFixed(2)} s`;
  console.log(
    `keyscope history (cold, no cache): ${f(cold.seconds)}  (${hs.blobsScanned} blobs matched, ${(hs.bytesScanned / 1e6).toFixed(1)} MB, enumeration ${hs.enumerateMs} ms, peak RSS ${cold.rssMb?.toFixed(0) ?? '?'} MB)`,
  );
  console.log(
    `keyscope scan of the same blobs as files: ${f(files.seconds)}  (peak RSS ${files.rssMb?.toFixed(0) ?? '?'} MB)`,
  );
  console.log(`git cat-file --batch-all-objects --batch > /dev/null: ${f(catFile.seconds)}`);
  console.log(`git log -p --all > /dev/null: ${f(logP.seconds)}  (${(logBytes / 1e6).toFixed(0)} MB of diff text)`);
  console.log(
    `keyscope history (cache filled): ${f(fill.seconds)}; warm: ${f(warm.seconds)} (${ws.blobsScanned} blobs scanned, ${ws.blobsCached} cached)`,
  );
  console.log(
    `ratios: history/files-scan ${ratio.toFixed(2)}× (bar ≤ 1.30) · history/cat-file ${(cold.seconds / catFile.seconds).toFixed(1)}× · history/log -p ${(cold.seconds / logP.seconds).toFixed(2)}× · warm/cold ${(warm.seconds / cold.seconds).toFixed(2)}×`,
  );
  const same = JSON.stringify(ids(warm)) === JSON.stringify(ids(cold));
  const sameAsFiles = JSON.stringify(ids(files)) === JSON.stringify(ids(cold));
  const { fingerprint } = await import('../src/detect/fingerprint.js');
  const plantedIds = new Set(planted.map((p) => fingerprint(p)));
  const foundPlanted = ids(cold).filter((id) => plantedIds.has(id)).length;
  console.log(
    `findings: history ${cold.report.findings.length}, files scan ${files.report.findings.length} (same secrets: ${sameAsFiles}), warm = cold: ${same}; planted found ${foundPlanted}/${planted.length}`,
  );
  console.log(
    `bars: history ≤ 1.3× files scan: ${ratio <= 1.3 ? 'PASS' : 'FAIL'} · peak RSS < 500 MB: ${(cold.rssMb ?? 0) < 500 ? 'PASS' : 'FAIL'} · warm run 0 blobs & same findings: ${ws.blobsScanned === 0 && same ? 'PASS' : 'FAIL'}`,
  );
  return { ratioFiles: ratio, rssMb: cold.rssMb };
}

if (isMain(import.meta.url)) {
  await runHistoryBench();
}
