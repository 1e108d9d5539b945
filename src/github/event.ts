import { readFileSync } from 'node:fs';

// What the workflow run is about, read from the GITHUB_* variables and the event payload (GITHUB_EVENT_PATH),
// and what `mode: auto` makes of it: a pull request's base..head, a push's before..after, or the full history.

export const ZERO_SHA = /^0+$/;

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
  baseRepo?: string;
  headRepo?: string;
  /** The head lives in another repository (or the fork is gone): the token is read-only. */
  fromFork: boolean;
}

export interface PushInfo {
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  /** Commit ids listed in the payload, oldest first (GitHub lists up to 2048). */
  commits: string[];
  ref?: string;
  defaultBranch?: string;
}

export interface RunContext {
  eventName: string;
  repository?: string;
  apiUrl: string;
  serverUrl: string;
  runId?: string;
  actor?: string;
  sha?: string;
  workspace: string;
  pullRequest?: PullRequestInfo;
  push?: PushInfo;
  mergeGroup?: { baseSha: string; headSha: string };
  payload: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function readPayload(path: string | undefined): Json {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the event payload ${path}: ${(err as Error).message}`);
  }
  try {
    return obj(JSON.parse(text)) ?? {};
  } catch (err) {
    throw new Error(`the event payload ${path} is not JSON: ${(err as Error).message}`);
  }
}

export function readContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const eventName = env.GITHUB_EVENT_NAME ?? 'workflow_dispatch';
  const repository = env.GITHUB_REPOSITORY ?? str(obj(payload.repository)?.full_name);
  const ctx: RunContext = {
    eventName,
    repository,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID,
    actor: env.GITHUB_ACTOR,
    sha: env.GITHUB_SHA,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    payload,
  };

  const pr = obj(payload.pull_request);
  if (pr && (eventName === 'pull_request' || eventName === 'pull_request_target')) {
    const base = obj(pr.base);
    const head = obj(pr.head);
    const baseRepo = str(obj(base?.repo)?.full_name) ?? repository;
    const headRepo = str(obj(head?.repo)?.full_name);
    const baseSha = str(base?.sha);
    const headSha = str(head?.sha);
    const number = typeof pr.number === 'number' ? pr.number : Number(payload.number);
    if (!baseSha || !headSha || !Number.isInteger(number)) {
      throw new Error('the pull_request payload has no base.sha, head.sha or number');
    }
    ctx.pullRequest = {
      number,
      baseSha,
      headSha,
      baseRepo,
      headRepo,
      // pull_request_target runs with the base repository's token, so a fork's PR can still be commented on.
      fromFork:
        eventName === 'pull_request' &&
        (headRepo === undefined || headRepo.toLowerCase() !== (baseRepo ?? '').toLowerCase() || head?.repo === null),
    };
  }

  if (eventName === 'push') {
    const commits = Array.isArray(payload.commits)
      ? payload.commits.map((c) => str(obj(c)?.id)).filter((c): c is string => Boolean(c))
      : [];
    ctx.push = {
      before: str(payload.before) ?? '0'.repeat(40),
      after: str(payload.after) ?? env.GITHUB_SHA ?? '',
      created: payload.created === true || ZERO_SHA.test(str(payload.before) ?? '0'),
      deleted: payload.deleted === true || ZERO_SHA.test(str(payload.after) ?? env.GITHUB_SHA ?? '0'),
      forced: payload.forced === true,
      commits,
      ref: str(payload.ref) ?? env.GITHUB_REF,
      defaultBranch: str(obj(payload.repository)?.default_branch) ?? str(obj(payload.repository)?.master_branch),
    };
  }

  const mg = obj(payload.merge_group);
  if (eventName === 'merge_group' && mg) {
    const baseSha = str(mg.base_sha);
    const headSha = str(mg.head_sha);
    if (baseSha && headSha) ctx.mergeGroup = { baseSha, headSha };
  }
  return ctx;
}

/** Dependabot's pull_request runs get a read-only token even from branches of the same repository. */
export function readOnlyToken(ctx: RunContext): boolean {
  if (ctx.pullRequest?.fromFork) return true;
  return (
    ctx.eventName === 'pull_request' && (ctx.actor === 'dependabot[bot]' || ctx.actor === 'dependabot-preview[bot]')
  );
}
