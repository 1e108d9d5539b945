import { spawn } from 'node:child_process';
import { CLI } from '../hook/built.js';

// The built CLI as an org scan job runs it. Asynchronous on purpose: the fake GitHub API lives in this process and
// must keep answering while the child runs.

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function keyscope(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - t0,
      }),
    );
  });
}

export interface JsonOccurrence {
  file: string;
  line: number;
  column?: number;
  commit?: string;
  repo?: string;
  inHead?: boolean;
}

export interface JsonFinding {
  id: string;
  ruleId: string;
  issuer: string;
  redacted: string;
  repo?: string;
  risk?: { score: number; factors?: { name: string; detail: string }[] };
  access?: { status?: string; [k: string]: unknown };
  occurrences: JsonOccurrence[];
}

export interface JsonReport {
  target: Record<string, unknown> & { repositories?: Record<string, { visibility?: string; forks?: number }> };
  stats: Record<string, unknown> & {
    blobsScanned: number;
    filesScanned: number;
    skipped: { path: string; reason: string }[];
    repositories?: Record<string, number>;
    newSinceLastScan?: string[];
    resolvedSinceLastScan?: { id: string; redacted: string; issuer: string; reason: string }[];
    run?: { id: number; resumed: boolean; previousRun: number | null };
  };
  findings: JsonFinding[];
}

export function parseJson(text: string, what = 'report'): JsonReport {
  try {
    return JSON.parse(text) as JsonReport;
  } catch {
    throw new Error(`${what} is not JSON: ${text.slice(0, 300)}`);
  }
}

const occKey = (o: JsonOccurrence) => `${o.repo}|${o.commit}|${o.file}|${o.line}|${o.column ?? 0}`;

/** Finding ids with their occurrence sets: what must be equal between equivalent runs. */
export function essence(r: JsonReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of [...r.findings].sort((a, b) => a.id.localeCompare(b.id)))
    out[f.id] = f.occurrences.map(occKey).sort();
  return out;
}

export function reposOf(f: JsonFinding): string[] {
  return [...new Set(f.occurrences.map((o) => o.repo ?? ''))].sort();
}
