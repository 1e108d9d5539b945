import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { CHAINED_NAME, type HookScriptOptions, hookScript, isKeyscopeHook } from './script.js';

// Installs and removes keyscope's native pre-commit hook. The hooks folder is git's own answer
// (`git rev-parse --git-path hooks`, which honours core.hooksPath and worktrees). A hook that is already there
// is kept: moved aside to pre-commit.keyscope-chained and run first by ours; uninstall puts it back.
// Anything unexpected (a folder in the way, a chained hook left over from something else) is refused, not clobbered.

export class HookError extends Error {}

export interface HookPaths {
  dir: string;
  hook: string;
  chained: string;
}

export function hookPaths(cwd: string): HookPaths {
  let out: string;
  try {
    out = execFileSync('git', ['rev-parse', '--git-path', 'hooks'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new HookError(`not a git repository: ${cwd}${stderr ? ` (${stderr.split('\n')[0]})` : ''}`);
  }
  const dir = path.resolve(cwd, out);
  return { dir, hook: path.join(dir, 'pre-commit'), chained: path.join(dir, CHAINED_NAME) };
}

/** How the hook will start keyscope: this very node and this very CLI file, by absolute path. */
export function currentRunner(): Pick<HookScriptOptions, 'node' | 'cli'> {
  const script = process.argv[1];
  if (!script) throw new HookError('cannot tell where the keyscope CLI lives (no script path)');
  return { node: process.execPath, cli: realpathSync(script) };
}

function kind(p: string): 'missing' | 'file' | 'symlink' | 'other' {
  try {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return 'symlink';
    return st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

function readText(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

export interface InstallResult {
  paths: HookPaths;
  action: 'installed' | 'updated';
  /** The earlier hook now kept as pre-commit.keyscope-chained. */
  chained: boolean;
}

export function installHook(cwd: string, runner = currentRunner(), args: string[] = []): InstallResult {
  const paths = hookPaths(cwd);
  const script = hookScript({ ...runner, args });
  const hookKind = kind(paths.hook);
  const chainedKind = kind(paths.chained);
  if (hookKind === 'other') throw new HookError(`${paths.hook} is not a file; refusing to touch it`);

  // Ours already: rewrite in place (new paths, same chain). Installing twice leaves one hook.
  if (hookKind === 'file' && isKeyscopeHook(readText(paths.hook))) {
    writeHook(paths.hook, script);
    return { paths, action: 'updated', chained: chainedKind !== 'missing' };
  }

  if (chainedKind !== 'missing') {
    throw new HookError(
      `${paths.chained} already exists but ${paths.hook} is not keyscope's; refusing to overwrite either. ` +
        'Move one of them away and run `keyscope hook install` again.',
    );
  }

  mkdirSync(paths.dir, { recursive: true });
  let chained = false;
  if (hookKind !== 'missing') {
    // A symlink moves as a link (its target, if relative, resolves from the same folder).
    renameSync(paths.hook, paths.chained);
    chained = true;
  }
  try {
    writeHook(paths.hook, script);
  } catch (err) {
    if (chained) renameSync(paths.chained, paths.hook);
    throw err;
  }
  return { paths, action: 'installed', chained };
}

function writeHook(file: string, script: string): void {
  // Write beside and rename, so a commit running meanwhile never sees half a hook.
  const tmp = `${file}.keyscope-tmp-${process.pid}`;
  writeFileSync(tmp, script, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, file);
}

export interface UninstallResult {
  paths: HookPaths;
  action: 'removed' | 'absent';
  /** The earlier hook was put back. */
  restored: boolean;
}

export function uninstallHook(cwd: string): UninstallResult {
  const paths = hookPaths(cwd);
  const hookKind = kind(paths.hook);
  const chainedExists = kind(paths.chained) !== 'missing';
  if (hookKind === 'missing') {
    if (chainedExists) {
      throw new HookError(
        `no pre-commit hook, but ${paths.chained} is there; move it back to pre-commit yourself if you want it`,
      );
    }
    return { paths, action: 'absent', restored: false };
  }
  if (hookKind !== 'file' || !isKeyscopeHook(readText(paths.hook))) {
    throw new HookError(`${paths.hook} was not installed by keyscope; leaving it alone`);
  }
  rmSync(paths.hook);
  if (chainedExists) renameSync(paths.chained, paths.hook);
  return { paths, action: 'removed', restored: chainedExists };
}

/** Whether keyscope's hook is installed, for `keyscope hook status`-like messages. */
export function hookInstalled(cwd: string): boolean {
  const { hook } = hookPaths(cwd);
  return existsSync(hook) && isKeyscopeHook(readText(hook));
}
