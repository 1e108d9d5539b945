import { type ChildProcess, spawn } from 'node:child_process';

// Thin spawn helpers for git. Used where streaming matters and on the pre-commit path, where importing
// simple-git would cost start-up time. Output is bytes: paths with -z are not necessarily UTF-8.

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** The environment every git child gets: no prompts, no optional index locks (a scan must not block a commit). */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', ...extra };
}

export function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

export function lastLine(s: string): string {
  const lines = s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines[lines.length - 1] ?? '';
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  input?: string | Buffer;
  /** Resolve instead of rejecting on a non-zero exit. */
  allowFail?: boolean;
}

/** Runs git to completion and collects its output. */
export function runGit(cwd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn('git', args, { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      reject(new GitError(`cannot run git: ${(err as Error).message}`, args, null, ''));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(new GitError(`cannot run git: ${e.message}`, args, null, '')));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const res = { stdout: Buffer.concat(out), stderr, code };
      if (code !== 0 && !opts.allowFail) {
        reject(new GitError(`git ${args[0]} failed: ${firstLine(stderr) || `exit ${code}`}`, args, code, stderr));
      } else resolve(res);
    });
    child.stdin!.on('error', () => {
      // git may exit before reading all input (e.g. on a usage error); the close handler reports it.
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** Runs git and returns stdout as UTF-8 text, trimmed of the final newline. */
export async function gitText(cwd: string, args: string[]): Promise<string> {
  const r = await runGit(cwd, args);
  return r.stdout.toString('utf8').replace(/\n$/, '');
}

/** Starts a long-running git process whose stdout the caller streams. */
export function spawnGit(cwd: string, args: string[]): ChildProcess {
  return spawn('git', args, { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Splits NUL-terminated output (`-z`) into fields, as latin1-safe UTF-8 strings. */
export function splitNul(buf: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = buf.indexOf(0, start); i !== -1; i = buf.indexOf(0, start)) {
    out.push(buf.toString('utf8', start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.toString('utf8', start));
  return out;
}
