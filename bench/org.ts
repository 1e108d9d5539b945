import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFakeOrg, publish, repoName } from '../fixtures/fake-github-org/org.js';
import { FakeGitHubOrg } from '../fixtures/fake-github-org/server.js';
import { fingerprint } from '../src/detect/fingerprint.js';
import { work as benchWork, cli, isMain, requireBuiltCli, rssMb } from './util.js';

// Org benchmark (issue 8): 200 generated repositories (local bare repositories listed by the fake GitHub API on
// 127.0.0.1), one run each of:
//   git clone --mirror of every repository, one after the other (the transfer floor)
//   keyscope org, cold (clone + scan everything)          · peak RSS of the CLI process
//   keyscope org, nothing changed (fetch only, matches from the store)
//   keyscope org, incremental after 5 repositories got new commits (only their new blobs are matched)
// printed with ratios. Built fresh under bench/.work/org each time (a few seconds with git fast-import).

const work = path.join(benchWork, 'org');
const REPOS = Number(process.env.BENCH_ORG_REPOS ?? 200);
const CHANGED = 5;

interface Run {
  seconds: number;
  rssMb?: number;
  status: number | null;
  stderr: string;
  report: {
    stats: {
      blobsScanned: number;
      bytesScanned: number;
      repositories: Record<string, number>;
      newSinceLastScan?: string[];
    };
    findings: { id: string; occurrences: { repo?: string }[] }[];
  };
}

function orgRun(env: NodeJS.ProcessEnv, cwd: string, out: string, extra: string[] = []): Promise<Run> {
  // Asynchronous: the fake API answers from this process while the CLI runs.
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [cli, 'org', 'bench', '--offline', '--format', 'json', '-o', out, '--quiet', '--fail-on', 'none', ...extra],
      { cwd, env: { ...env, KEYSCOPE_BENCH_RSS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = (performance.now() - t0) / 1000;
      if (status !== 0) {
        reject(new Error(`keyscope org failed (${status}): ${stderr.slice(0, 2000)}`));
        return;
      }
      resolve({
        seconds,
        rssMb: rssMb(stderr),
        status,
        stderr,
        report: JSON.parse(readFileSync(out, 'utf8')),
      });
    });
  });
}

export async function runOrgBench(): Promise<{ coldSeconds: number; incrementalSeconds: number; rssMb?: number }> {
  requireBuiltCli();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  let t0 = performance.now();
  const org = buildFakeOrg({
    root: work,
    owner: 'bench',
    count: REPOS,
    filesPerRepo: 12,
    fileBytes: 3000,
    extraCommits: 6,
  });
  const buildSeconds = (performance.now() - t0) / 1000;
  const fake = await new FakeGitHubOrg().addAccount('bench').start();
  try {
    publish(fake, org);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: org.home,
      GIT_CONFIG_NOSYSTEM: '1',
      KEYSCOPE_GITHUB_BASE_URL: fake.url,
    };
    const cwd = path.join(work, 'run');
    mkdirSync(cwd, { recursive: true });

    // The transfer floor: every mirror cloned by git alone, sequentially.
    const floorDir = path.join(work, 'floor');
    t0 = performance.now();
    for (const name of org.names) {
      execFileSync(
        'git',
        ['clone', '--mirror', '--quiet', org.repos.get(name)!.url, path.join(floorDir, `${name}.git`)],
        {
          env,
          stdio: 'ignore',
        },
      );
    }
    const floor = (performance.now() - t0) / 1000;
    rmSync(floorDir, { recursive: true, force: true });

    const cold = await orgRun(env, cwd, path.join(work, 'cold.json'));
    const same = await orgRun(env, cwd, path.join(work, 'same.json'));
    for (let i = 0; i < CHANGED; i++) {
      const name = repoName(Math.floor((i * REPOS) / CHANGED) + 1);
      org.repos.get(name)!.commit({
        message: 'nightly change',
        files: { [`src/night-${i}.js`]: `export const night = ${i};\n`, 'README.md': `# ${name}\n\nChanged ${i}.\n` },
      });
    }
    const inc = await orgRun(env, cwd, path.join(work, 'incremental.json'));

    const cs = cold.report.stats;
    const mb = (cs.bytesScanned / 1e6).toFixed(1);
    const f = (s: number) => `${s.toFixed(2)} s`;
    const rss = (r: Run) => `${r.rssMb?.toFixed(0) ?? '?'} MB`;
    console.log(
      `\n== org: ${REPOS} repositories (built in ${buildSeconds.toFixed(1)} s), ${cs.blobsScanned} blobs matched on the cold run, ${mb} MB, ${os.availableParallelism()} cores, --concurrency 4`,
    );
    console.log(`git clone --mirror of every repository (sequential): ${f(floor)}`);
    console.log(
      `keyscope org, cold: ${f(cold.seconds)}  (${(REPOS / cold.seconds).toFixed(1)} repos/s, ${(cs.bytesScanned / 1e6 / cold.seconds).toFixed(1)} MB/s, peak RSS ${rss(cold)})`,
    );
    console.log(
      `keyscope org, nothing changed: ${f(same.seconds)}  (${same.report.stats.blobsScanned} blobs scanned, ${same.report.stats.repositories.unchanged} unchanged, peak RSS ${rss(same)})`,
    );
    console.log(
      `keyscope org, ${CHANGED} repositories changed: ${f(inc.seconds)}  (${inc.report.stats.blobsScanned} blobs scanned, ${inc.report.stats.repositories.scanned} rescanned, peak RSS ${rss(inc)})`,
    );
    console.log(
      `ratios: cold/clone-floor ${(cold.seconds / floor).toFixed(2)}× · unchanged/cold ${(same.seconds / cold.seconds).toFixed(2)}× · incremental/cold ${(inc.seconds / cold.seconds).toFixed(2)}×`,
    );
    const ids = (r: Run) => JSON.stringify(r.report.findings.map((x) => x.id).sort());
    const shared = cold.report.findings.find((x) => x.id === fingerprint(org.shared.secret));
    const sharedRepos = new Set(shared?.occurrences.map((o) => o.repo)).size;
    console.log(
      `findings: ${cold.report.findings.length} (expected ${org.unique.size + 3}); reused key in ${sharedRepos} repositories; unchanged = cold: ${ids(same) === ids(cold)}; incremental = cold: ${ids(inc) === ids(cold)}; incremental scanned ${inc.report.stats.blobsScanned} blobs (expected ${CHANGED * 2})`,
    );
    return { coldSeconds: cold.seconds, incrementalSeconds: inc.seconds, rssMb: cold.rssMb };
  } finally {
    await fake.close();
  }
}

if (isMain(import.meta.url)) await runOrgBench();
