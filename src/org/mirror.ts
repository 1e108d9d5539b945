import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { runGit } from '../sources/git/exec.js';

// The mirror cache: one bare `git clone --mirror` per repository under <mirrors>/<owner>/<name>.git, made on the
// first night and brought up to date with `fetch --prune` afterwards. A clone goes to a temporary folder and is
// renamed into place when complete, so a run killed mid-clone never leaves a half mirror behind. The token travels
// as an http.extraHeader in git's environment only: never in the remote URL, the mirror's config or the process list.

export interface MirrorOptions {
  mirrorsDir: string;
  token?: string;
  /** Kill a git command that prints nothing for this long (ms). */
  timeoutMs?: number;
}

export interface MirrorResult {
  dir: string;
  action: 'cloned' | 'fetched';
  ms: number;
}

export function mirrorPath(mirrorsDir: string, fullName: string): string {
  const [owner, name] = fullName.split('/');
  // Names come from the API; still refuse anything that would climb out of the cache folder.
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return path.join(mirrorsDir, safe(owner), `${safe(name)}.git`);
}

/** `http.<scheme>://<host>/.extraHeader` for https/http clone URLs, scoped to that host (redirects elsewhere get none). */
export function authConfig(cloneUrl: string, token: string | undefined): string[] {
  if (!token) return [];
  let u: URL;
  try {
    u = new URL(cloneUrl);
  } catch {
    return [];
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return [];
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return [`http.${u.protocol}//${u.host}/.extraHeader=Authorization: Basic ${basic}`];
}

// simple-git refuses environment variables that could run programs unless told they are trusted. Ours are (this
// is the user's own environment): editors and pagers are dropped (clone and fetch never open one), and what a clone
// may legitimately need (SSH command, askpass helper, proxy command, git config paths) is allowed through.
const DROPPED_ENV = new Set([
  'editor',
  'visual',
  'pager',
  'git_editor',
  'git_sequence_editor',
  'git_pager',
  'git_external_diff',
]);
const TRUSTED_ENV: Record<string, string> = {
  git_askpass: 'allowUnsafeAskPass',
  ssh_askpass: 'allowUnsafeAskPass',
  git_ssh: 'allowUnsafeSshCommand',
  git_ssh_command: 'allowUnsafeSshCommand',
  git_proxy_command: 'allowUnsafeGitProxy',
  git_config: 'allowUnsafeConfigPaths',
  git_config_global: 'allowUnsafeConfigPaths',
  git_config_system: 'allowUnsafeConfigPaths',
  prefix: 'allowUnsafeConfigPaths',
  git_config_count: 'allowUnsafeConfigEnvCount',
  git_config_parameters: 'allowUnsafeConfigEnvCount',
  git_exec_path: 'allowUnsafeExec',
  git_template_dir: 'allowUnsafeTemplateDir',
};

export function mirrorEnv(source: NodeJS.ProcessEnv = process.env): {
  env: Record<string, string>;
  unsafe: Record<string, boolean>;
} {
  const env: Record<string, string> = {};
  const unsafe: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(source)) {
    const key = k.toLowerCase().trim();
    if (v === undefined || DROPPED_ENV.has(key)) continue;
    env[k] = v;
    if (TRUSTED_ENV[key]) unsafe[TRUSTED_ENV[key]] = true;
  }
  // A nightly job must never sit at a password prompt.
  env.GIT_TERMINAL_PROMPT = '0';
  return { env, unsafe };
}

/**
 * The auth header travels in git's environment (GIT_CONFIG_COUNT/KEY/VALUE, git ≥ 2.31), not on its command line,
 * so other users on the runner cannot read the token from the process list.
 */
export function authEnv(
  cloneUrl: string,
  token: string | undefined,
  env: NodeJS.ProcessEnv = {},
): Record<string, string> {
  const [entry] = authConfig(cloneUrl, token);
  if (!entry) return {};
  const eq = entry.indexOf('=');
  // Appended after any GIT_CONFIG_* entries the user's environment already has.
  const n = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  return {
    GIT_CONFIG_COUNT: String(n + 1),
    [`GIT_CONFIG_KEY_${n}`]: entry.slice(0, eq),
    [`GIT_CONFIG_VALUE_${n}`]: entry.slice(eq + 1),
  };
}

function git(baseDir: string, cloneUrl: string, opts: MirrorOptions): SimpleGit {
  const { env: base, unsafe } = mirrorEnv();
  const auth = authEnv(cloneUrl, opts.token, base);
  const env = { ...base, ...auth };
  return simpleGit({
    baseDir,
    // Our own GIT_CONFIG_* entries (the auth header), not the user's.
    unsafe: auth.GIT_CONFIG_COUNT ? { ...unsafe, allowUnsafeConfigEnvCount: true } : unsafe,
    timeout: { block: opts.timeoutMs ?? 10 * 60_000 },
    allowEnvironment: Object.keys(env),
  }).env(env);
}

/** Strips anything that looks like credentials from git's messages before they reach a report. */
export function cleanGitMessage(msg: string, token?: string): string {
  let out = msg.replace(/\/\/[^/@\s]+@/g, '//***@').replace(/Authorization: \S+ \S+/gi, 'Authorization: ***');
  if (token) out = out.split(token).join('***');
  const lines = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(hint|warning):/i.test(l));
  return (lines.find((l) => /^fatal:|error:/i.test(l)) ?? lines[0] ?? 'git failed').slice(0, 300);
}

/** The mirror's remote URL when `dir` holds a complete bare mirror (read from its config: no git process). */
function mirrorRemote(dir: string): string | undefined {
  let config: string;
  try {
    if (!existsSync(path.join(dir, 'HEAD')) || !existsSync(path.join(dir, 'objects'))) return undefined;
    config = readFileSync(path.join(dir, 'config'), 'utf8');
  } catch {
    return undefined;
  }
  if (!/^\s*bare\s*=\s*true\s*$/im.test(config)) return undefined;
  const origin = /\[remote "origin"\]([^[]*)/.exec(config)?.[1] ?? '';
  return /^\s*url\s*=\s*(.+?)\s*$/m.exec(origin)?.[1] ?? '';
}

/** Clones or updates the mirror of one repository; throws with a clean message when git fails. */
export async function syncMirror(fullName: string, cloneUrl: string, opts: MirrorOptions): Promise<MirrorResult> {
  const t0 = Date.now();
  const dir = mirrorPath(opts.mirrorsDir, fullName);
  let phase = 'clone';
  try {
    const current = mirrorRemote(dir);
    if (current !== undefined) {
      phase = 'fetch';
      // A renamed or transferred repository keeps its mirror; only the URL changes.
      if (current !== cloneUrl) await runGit(dir, ['remote', 'set-url', 'origin', cloneUrl]);
      await git(dir, cloneUrl, opts).fetch(['--prune', '--quiet', 'origin']);
      return { dir, action: 'fetched', ms: Date.now() - t0 };
    }
    mkdirSync(path.dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    const tmp = `${dir}.partial-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      await git(path.dirname(dir), cloneUrl, opts).clone(cloneUrl, tmp, ['--mirror', '--quiet']);
      renameSync(tmp, dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return { dir, action: 'cloned', ms: Date.now() - t0 };
  } catch (err) {
    throw new Error(`${phase} failed: ${cleanGitMessage((err as Error).message, opts.token)}`);
  }
}

/** Refs of a mirror and the object each points at (unpeeled): equal maps mean nothing new to scan. */
export async function readRefs(dir: string): Promise<Record<string, string>> {
  const r = await runGit(dir, ['for-each-ref', '--format=%(objectname) %(refname)']);
  const out: Record<string, string> = {};
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0) out[line.slice(sp + 1)] = line.slice(0, sp);
  }
  return out;
}

export function sameRefs(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Packed size of a mirror in bytes (decides in-thread matching or a worker pool). */
export async function mirrorSize(dir: string): Promise<number> {
  const r = await runGit(dir, ['count-objects', '-v'], { allowFail: true });
  let kb = 0;
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const m = /^(size|size-pack):\s*(\d+)/.exec(line);
    if (m) kb += Number(m[2]);
  }
  return kb * 1024;
}
