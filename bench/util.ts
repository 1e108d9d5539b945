import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// What the benchmarks share: where things are, timing a child process (wall time and the CLI's peak RSS), running
// the built CLI for a JSON report, and installing pinned npm packages into bench/.work/.

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const work = path.join(here, '.work');
export const cli = path.join(repoRoot, 'dist', 'cli.js');

/** True when `moduleUrl` is the script node was started with (not imported by bench/index.ts). */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && fileURLToPath(moduleUrl) === path.resolve(process.argv[1]);
}

export function requireBuiltCli(): void {
  if (!existsSync(cli)) throw new Error(`${cli} missing: run npm run build first`);
}

/** Peak RSS in MB, from the line the CLI prints to stderr under KEYSCOPE_BENCH_RSS=1. */
export function rssMb(stderr: string): number | undefined {
  const rss = /keyscope-max-rss-kb=(\d+)/.exec(stderr);
  return rss ? Number(rss[1]) / 1024 : undefined;
}

export interface Timed {
  seconds: number;
  rssMb?: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

export function timed(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; shell?: boolean } = {},
): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: opts.timeoutMs,
    shell: opts.shell,
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    rssMb: rssMb(r.stderr ?? ''),
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    status: r.status,
  };
}

/** Runs `keyscope <args> --offline --format json` (peak RSS reported) and returns the timing with the parsed report. */
export function keyscopeJson<R>(args: string[], tag: string): Timed & { report: R } {
  const out = path.join(os.tmpdir(), `keyscope-${tag}-${process.pid}.json`);
  const t = timed(
    process.execPath,
    [cli, ...args, '--offline', '--format', 'json', '--output', out, '--quiet', '--fail-on', 'none'],
    { env: { KEYSCOPE_BENCH_RSS: '1' } },
  );
  if (t.status !== 0) throw new Error(`keyscope ${args[0]} failed (${t.status}): ${t.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as R;
  rmSync(out, { force: true });
  return { ...t, report };
}

export function npmInstall(dir: string, pkgs: string[]): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'package.json'))) writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...pkgs], {
    cwd: dir,
    stdio: 'inherit',
  });
}
