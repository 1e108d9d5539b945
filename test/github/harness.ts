import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ACTION } from '../hook/built.js';
import type { GitRepo } from '../support/git-repo.js';

// Runs dist/action.js as the runner would: GITHUB_* variables, the event payload in a file, INPUT_* variables as
// action.yml passes them, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files. Asynchronously, because the fake GitHub
// answers from the test's own process.

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

export interface ActionRunOptions {
  repo: GitRepo;
  work: string;
  event: string;
  payload: Record<string, unknown>;
  sha: string;
  apiUrl?: string;
  inputs?: Record<string, string>;
  repository?: string;
}

let runNo = 0;

export async function runAction(o: ActionRunOptions): Promise<ActionRun> {
  const n = ++runNo;
  const eventPath = path.join(o.work, `event-${n}.json`);
  const outputFile = path.join(o.work, `output-${n}`);
  const summaryFile = path.join(o.work, `summary-${n}.md`);
  writeFileSync(eventPath, JSON.stringify(o.payload));
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    ...o.repo.env(),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: o.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: o.repository ?? 'acme/widgets',
    GITHUB_API_URL: o.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: String(4000 + n),
    GITHUB_SHA: o.sha,
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: o.repo.dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: path.join(o.work, `run-${n}`),
    INPUT_MODE: 'auto',
    INPUT_VERIFY: 'false',
    INPUT_FAIL_ON: 'any',
    INPUT_COMMENT: 'true',
    ...o.inputs,
  };
  const r = await run(process.execPath, [ACTION], o.repo.dir, env);
  return {
    ...r,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
  };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}

export interface ParsedAnnotation {
  level: string;
  file: string;
  line: number;
  message: string;
}

/** Workflow-command annotations with a file (un-escaped), in the order printed. */
export function annotations(stdout: string): ParsedAnnotation[] {
  const out: ParsedAnnotation[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    if (!m) continue;
    const props = Object.fromEntries(m[2].split(',').map((p) => p.split('=') as [string, string]));
    if (!props.file) continue;
    out.push({
      level: m[1],
      file: decodeURIComponent(props.file),
      line: Number(props.line),
      message: decodeURIComponent(m[3]),
    });
  }
  return out;
}

export function where(list: ParsedAnnotation[]): string[] {
  return list.map((a) => `${a.file}:${a.line}`);
}
