import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReport } from '../report/json.js';
import { EXPOSURE_ENV } from '../risk/exposure-env.js';
import { type Report, SEVERITIES, type Severity } from '../types.js';
import { type AnnotationScope, limitAnnotations, selectAnnotations, writeAnnotations } from './annotations.js';
import { COMMENT_MARKER, type CommentResult, makeOctokit, upsertComment } from './comment.js';
import { type RunContext, readContext, readOnlyToken } from './event.js';
import { addedLines } from './git.js';
import { MODES, type Mode, planScan, type ScanPlan } from './plan.js';
import { commentBody, renderFormats, summaryMarkdown } from './summary.js';
import { appendSummary, getBooleanInput, getInput, messageCommand, setOutputs } from './workflow.js';

// The GitHub Action's runtime: read the event, scan what it introduced with the keyscope CLI (a child process,
// exactly what users run locally), then turn the JSON report into annotations on the added lines, one PR comment,
// the job summary, SARIF, outputs and the exit code. Secrets never leave the CLI: its JSON holds only redacted values.

export type FailOn = Severity | 'none';

export interface ActionInputs {
  mode: Mode;
  range: string;
  failOn: FailOn;
  verify: boolean;
  revoke: 'off' | 'dry-run' | 'on';
  token: string;
  comment: boolean;
  config: string;
  sarif: string;
  workingDirectory: string;
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  const mode = (getInput('mode', env) || 'auto').toLowerCase() as Mode;
  if (!MODES.includes(mode)) throw new Error(`input mode must be one of ${MODES.join(', ')} (got "${mode}")`);
  const failRaw = (getInput('fail-on', env) || 'any').toLowerCase();
  const failOn = failRaw === 'any' ? 'info' : (failRaw as FailOn);
  if (failOn !== 'none' && !SEVERITIES.includes(failOn as Severity)) {
    throw new Error(`input fail-on must be one of ${[...SEVERITIES, 'any', 'none'].join(', ')} (got "${failRaw}")`);
  }
  const revokeRaw = (getInput('revoke', env) || 'false').toLowerCase();
  const revoke =
    revokeRaw === 'dry-run' || revokeRaw === 'plan' ? 'dry-run' : getBooleanInput('revoke', false, env) ? 'on' : 'off';
  return {
    mode,
    range: getInput('range', env),
    failOn,
    verify: getBooleanInput('verify', true, env),
    revoke,
    token: getInput('github-token', env) || env.GITHUB_TOKEN || '',
    comment: getBooleanInput('comment', true, env),
    config: getInput('config', env),
    sarif: getInput('sarif', env),
    workingDirectory: getInput('working-directory', env),
  };
}

/** dist/cli.js beside this bundle (dist/action.js); KEYSCOPE_CLI overrides it. */
function cliPath(env: NodeJS.ProcessEnv): string {
  if (env.KEYSCOPE_CLI) return path.resolve(env.KEYSCOPE_CLI);
  return fileURLToPath(new URL('./cli.js', import.meta.url));
}

function cliArgs(plan: ScanPlan, inputs: ActionInputs, repoDir: string, jsonPath: string): string[] {
  // A range scan reads few blobs: no blob cache (it would leave .keyscope/ in the workspace for nothing).
  const args =
    plan.kind === 'range'
      ? ['history', repoDir, '--range', `${plan.base}..${plan.head}`, '--no-cache']
      : plan.kind === 'history'
        ? ['history', repoDir]
        : ['scan', repoDir];
  // The action decides the exit code itself (from the report), so the CLI never fails on findings.
  args.push('--format', 'json', '--output', jsonPath, '--fail-on', 'none', '--quiet');
  if (inputs.config) args.push('--config', path.resolve(repoDir, inputs.config));
  if (!inputs.verify) args.push('--no-verify');
  if (inputs.revoke !== 'off') args.push('--revoke', ...(inputs.revoke === 'on' ? ['--yes'] : []));
  return args;
}

/**
 * The repository's exposure from the event payload, as the KEYSCOPE_REPO_* variables the CLI reads for the risk score
 * (visibility, forks, default branch, archived). A variable the workflow already sets is left as it is.
 */
export function exposureEnv(payload: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const r = payload.repository;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return {};
  const repo = r as Record<string, unknown>;
  const out: Record<string, string> = {};
  const visibility =
    typeof repo.visibility === 'string' && /^(public|private|internal)$/.test(repo.visibility)
      ? repo.visibility
      : typeof repo.private === 'boolean'
        ? repo.private
          ? 'private'
          : 'public'
        : undefined;
  const forks = typeof repo.forks_count === 'number' ? repo.forks_count : repo.forks;
  if (visibility) out[EXPOSURE_ENV.visibility] = visibility;
  if (typeof forks === 'number' && Number.isInteger(forks) && forks >= 0) out[EXPOSURE_ENV.forks] = String(forks);
  if (typeof repo.default_branch === 'string' && repo.default_branch)
    out[EXPOSURE_ENV.defaultBranch] = repo.default_branch;
  if (typeof repo.archived === 'boolean') out[EXPOSURE_ENV.archived] = String(repo.archived);
  for (const k of Object.keys(out)) if (env[k]) delete out[k];
  return out;
}

function emptyReport(plan: ScanPlan): Report {
  return {
    tool: 'keyscope',
    version: '',
    target: { kind: 'range', label: plan.label },
    stats: { filesScanned: 0, blobsScanned: 0, bytesScanned: 0, skipped: [], lookups: 0, durationMs: 0 },
    findings: [],
  };
}

/** The JSON report as written by the CLI: top-level file/line/commit per finding, occurrences, no secret values. */
export function readReport(file: string): Report {
  const data = parseReport(readFileSync(file, 'utf8'), file);
  // The CLI never writes values without --show-secrets; make sure nothing downstream could print one.
  for (const f of data.findings) f.secret = '';
  return data;
}

export function highestSeverity(report: Report): Severity | 'none' {
  let best: Severity | 'none' = 'none';
  for (const f of report.findings) {
    const s = f.risk?.severity ?? 'info';
    if (best === 'none' || SEVERITIES.indexOf(s) < SEVERITIES.indexOf(best)) best = s;
  }
  return best;
}

export function exitCode(report: Report, failOn: FailOn): number {
  if (failOn === 'none') return 0;
  const bar = SEVERITIES.indexOf(failOn);
  return report.findings.some((f) => SEVERITIES.indexOf(f.risk?.severity ?? 'info') <= bar) ? 1 : 0;
}

function annotationScope(plan: ScanPlan, ctx: RunContext, repoDir: string): AnnotationScope | undefined {
  if (plan.kind === 'range')
    return { kind: 'range', head: plan.head, added: addedLines(repoDir, plan.base, plan.head) };
  if (plan.kind === 'files') return { kind: 'files' };
  if (plan.kind === 'history') return { kind: 'head', head: ctx.sha || 'HEAD' };
  return undefined;
}

export interface ActionIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIO: ActionIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/**
 * On pull requests the checked-out keyscope.toml is the PR author's: it must not be able to point issuer lookups at
 * a host of theirs and collect every secret the scan finds. Base URL overrides then come only from the workflow's
 * environment (KEYSCOPE_<ID>_BASE_URL), which the base branch controls.
 */
export function trustEnv(eventName: string): Record<string, string> {
  return /^(pull_request|pull_request_target|merge_group)$/.test(eventName) ? { KEYSCOPE_UNTRUSTED_CONFIG: '1' } : {};
}

export async function runAction(env: NodeJS.ProcessEnv = process.env, io: ActionIO = defaultIO): Promise<number> {
  const inputs = readInputs(env);
  const ctx = readContext(env);
  const repoDir = path.resolve(ctx.workspace, inputs.workingDirectory || '.');
  if (!existsSync(repoDir)) throw new Error(`the repository folder ${repoDir} does not exist`);
  const outDir = path.join(env.RUNNER_TEMP || tmpdir(), 'keyscope');
  mkdirSync(outDir, { recursive: true });
  const paths = {
    json: path.join(outDir, 'keyscope-report.json'),
    sarif: inputs.sarif ? path.resolve(ctx.workspace, inputs.sarif) : path.join(outDir, 'keyscope.sarif'),
    markdown: path.join(outDir, 'keyscope-report.md'),
  };

  const plan = planScan(ctx, inputs.mode, repoDir, inputs.range);
  io.stderr(`keyscope: scanning ${plan.label}\n`);
  for (const n of plan.notes) io.stdout(`${messageCommand('notice', n)}\n`);

  let report: Report;
  if (plan.kind === 'skip') {
    report = emptyReport(plan);
    writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  } else {
    const args = cliArgs(plan, inputs, repoDir, paths.json);
    const child = spawnSync(process.execPath, [cliPath(env), ...args], {
      cwd: repoDir,
      env: { ...env, ...exposureEnv(ctx.payload, env), ...trustEnv(ctx.eventName), NO_COLOR: '1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.error) throw new Error(`cannot start keyscope: ${child.error.message}`);
    if (child.status !== 0 && child.status !== 1) {
      throw new Error(`keyscope exited with ${child.status ?? child.signal}; see its message above`);
    }
    report = readReport(paths.json);
  }

  const formats = renderFormats(report);
  mkdirSync(path.dirname(paths.sarif), { recursive: true });
  writeFileSync(paths.sarif, formats.sarif);
  writeFileSync(paths.markdown, formats.markdown);

  const scope = annotationScope(plan, ctx, repoDir);
  const { shown, dropped } = limitAnnotations(scope ? selectAnnotations(report, scope, repoDir) : []);
  writeAnnotations(shown, io.stdout);

  // The comment: pull requests only, never with a read-only token (forks, Dependabot): not even a lookup.
  let comment: CommentResult | undefined;
  const pr = ctx.pullRequest;
  if (pr && inputs.comment) {
    if (readOnlyToken(ctx)) {
      comment = { action: 'skipped', reason: 'the pull request comes from a fork, whose token is read-only' };
    } else if (!inputs.token) {
      comment = { action: 'skipped', reason: 'no github-token' };
    } else if (!ctx.repository) {
      comment = { action: 'skipped', reason: 'GITHUB_REPOSITORY is not set' };
    } else {
      const [owner, repo] = (pr.baseRepo ?? ctx.repository).split('/');
      const octokit = makeOctokit(inputs.token, ctx.apiUrl);
      comment = await upsertComment(
        octokit,
        { owner, repo, issue: pr.number },
        commentBody(report, ctx, plan),
        report.findings.length > 0,
        COMMENT_MARKER,
      );
      if (comment.action === 'failed')
        io.stdout(`${messageCommand('warning', `keyscope: no PR comment: ${comment.reason}`)}\n`);
    }
  }

  appendSummary(
    summaryMarkdown(report, { ctx, plan, comment, annotations: shown.length, droppedAnnotations: dropped }),
    env.GITHUB_STEP_SUMMARY,
  );

  const highest = highestSeverity(report);
  setOutputs(
    {
      findings: String(report.findings.length),
      'highest-severity': highest,
      'report-json': paths.json,
      'report-sarif': paths.sarif,
      'report-markdown': paths.markdown,
    },
    env.GITHUB_OUTPUT,
  );

  const code = exitCode(report, inputs.failOn);
  io.stderr(
    `keyscope: ${report.findings.length} finding(s), highest ${highest}; ` +
      (code ? `failing (fail-on ${inputs.failOn})\n` : `passing (fail-on ${inputs.failOn})\n`),
  );
  return code;
}
