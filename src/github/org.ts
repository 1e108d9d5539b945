import { Octokit, RequestError } from 'octokit';
import type { Visibility } from '../risk/types.js';

// Repository enumeration for `keyscope org OWNER`: an organisation's repositories, or a user's (all of them when the
// token is that user's own), every page, through octokit with the throttling plugin so a rate-limit reply is waited
// out (bounded) instead of failing the night's scan.

export const DEFAULT_GITHUB_API = 'https://api.github.com';

export interface OrgRepo {
  /** owner/name, as GitHub spells it. */
  fullName: string;
  owner: string;
  name: string;
  cloneUrl: string;
  visibility: Visibility;
  fork: boolean;
  forks: number;
  archived: boolean;
  defaultBranch?: string;
  pushedAt?: string;
  /** Size in KB, as GitHub reports it. */
  sizeKb?: number;
}

export interface ListReposOptions {
  owner: string;
  token?: string;
  baseUrl?: string;
  /** Longest rate-limit window waited out, seconds (default 15 min). */
  maxWaitSeconds?: number;
  /** Retries of one request after rate-limit replies (default 5). */
  maxRetries?: number;
  log?: (msg: string) => void;
}

export interface ListReposResult {
  kind: 'org' | 'user';
  repos: OrgRepo[];
  /** API calls made (pages, account lookups); retries after rate-limit replies are counted in `rateLimited`. */
  requests: number;
  /** Rate-limit replies waited out. */
  rateLimited: number;
}

export class OrgListError extends Error {}

export function makeOrgOctokit(
  opts: Pick<ListReposOptions, 'token' | 'baseUrl' | 'maxWaitSeconds' | 'maxRetries' | 'log'>,
  counters: { requests: number; rateLimited: number },
): Octokit {
  const maxWait = opts.maxWaitSeconds ?? 900;
  const maxRetries = opts.maxRetries ?? 5;
  const log = opts.log ?? (() => {});
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number): boolean => {
      counters.rateLimited++;
      if (retryCount >= maxRetries || retryAfter > maxWait) {
        log(
          `GitHub ${kind} rate limit on ${options.method ?? 'GET'} ${options.url ?? ''}: giving up (retry after ${retryAfter} s)`,
        );
        return false;
      }
      log(`GitHub ${kind} rate limit on ${options.method ?? 'GET'} ${options.url ?? ''}: waiting ${retryAfter} s`);
      return true;
    };
  const octo = new Octokit({
    ...(opts.token ? { auth: opts.token } : {}),
    baseUrl: (opts.baseUrl ?? DEFAULT_GITHUB_API).replace(/\/+$/, ''),
    userAgent: 'keyscope-org',
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    retry: { retries: 2 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  octo.hook.before('request', () => {
    counters.requests++;
  });
  return octo;
}

interface ApiRepo {
  name: string;
  full_name: string;
  owner?: { login?: string };
  clone_url?: string;
  private?: boolean;
  visibility?: string;
  fork?: boolean;
  forks_count?: number;
  archived?: boolean;
  default_branch?: string;
  pushed_at?: string | null;
  size?: number;
}

export function toOrgRepo(r: ApiRepo): OrgRepo {
  const [owner, name] = r.full_name.includes('/') ? r.full_name.split('/') : [r.owner?.login ?? '', r.name];
  const visibility: Visibility =
    r.visibility === 'public' || r.visibility === 'private' || r.visibility === 'internal'
      ? r.visibility
      : r.private
        ? 'private'
        : 'public';
  return {
    fullName: `${owner}/${name}`,
    owner,
    name,
    cloneUrl: r.clone_url ?? '',
    visibility,
    fork: Boolean(r.fork),
    forks: r.forks_count ?? 0,
    archived: Boolean(r.archived),
    ...(r.default_branch ? { defaultBranch: r.default_branch } : {}),
    ...(r.pushed_at ? { pushedAt: r.pushed_at } : {}),
    ...(typeof r.size === 'number' ? { sizeKb: r.size } : {}),
  };
}

function describe(err: unknown): string {
  if (err instanceof RequestError) {
    const msg = (err.response?.data as { message?: string } | undefined)?.message ?? err.message;
    return `HTTP ${err.status}: ${msg}`;
  }
  return (err as Error).message;
}

async function collect(octo: Octokit, route: string, params: Record<string, unknown>): Promise<OrgRepo[]> {
  const out: OrgRepo[] = [];
  for await (const page of octo.paginate.iterator(route, { ...params, per_page: 100 })) {
    for (const r of page.data as ApiRepo[]) out.push(toOrgRepo(r));
  }
  return out;
}

/** Every repository of an org or user, deduplicated by full name and sorted by it. */
export async function listRepos(opts: ListReposOptions): Promise<ListReposResult> {
  const counters = { requests: 0, rateLimited: 0 };
  const octo = makeOrgOctokit(opts, counters);
  const owner = opts.owner;
  let type: string | undefined;
  try {
    const res = await octo.request('GET /users/{username}', { username: owner });
    type = (res.data as { type?: string }).type;
  } catch (err) {
    if (err instanceof RequestError && err.status === 401)
      throw new OrgListError(`GitHub API: ${describe(err)} (check GITHUB_TOKEN / --token)`);
    // GHES setups may hide the account endpoint: fall back on the org listing, then the user's.
    if (!(err instanceof RequestError) || err.status >= 500)
      throw new OrgListError(`GitHub API ${owner}: ${describe(err)}`);
  }

  let kind: 'org' | 'user';
  let repos: OrgRepo[];
  try {
    if (type === 'Organization' || type === undefined) {
      try {
        repos = await collect(octo, 'GET /orgs/{org}/repos', { org: owner, type: 'all' });
        kind = 'org';
      } catch (err) {
        if (type !== undefined || !(err instanceof RequestError) || err.status !== 404) throw err;
        repos = await listUser(octo, owner, Boolean(opts.token));
        kind = 'user';
      }
    } else {
      repos = await listUser(octo, owner, Boolean(opts.token));
      kind = 'user';
    }
  } catch (err) {
    if (err instanceof RequestError && err.status === 404)
      throw new OrgListError(`GitHub: no organisation or user named ${owner}`);
    throw new OrgListError(`GitHub API listing repositories of ${owner}: ${describe(err)}`);
  }
  const byName = new Map<string, OrgRepo>();
  for (const r of repos)
    if (r.owner.toLowerCase() === owner.toLowerCase() || kind === 'org') byName.set(r.fullName.toLowerCase(), r);
  const sorted = [...byName.values()].sort((a, b) => a.fullName.localeCompare(b.fullName));
  return { kind, repos: sorted, requests: counters.requests, rateLimited: counters.rateLimited };
}

/** A user's repositories: through /user/repos when the token is that user's (private ones too), else the public list. */
async function listUser(octo: Octokit, owner: string, authed: boolean): Promise<OrgRepo[]> {
  if (authed) {
    try {
      const me = await octo.request('GET /user');
      if ((me.data as { login?: string }).login?.toLowerCase() === owner.toLowerCase()) {
        return await collect(octo, 'GET /user/repos', { affiliation: 'owner', visibility: 'all' });
      }
    } catch (err) {
      // An app or fine-grained token may not read /user: the public listing still works.
      if (!(err instanceof RequestError) || (err.status !== 401 && err.status !== 403 && err.status !== 404)) throw err;
    }
  }
  return collect(octo, 'GET /users/{username}/repos', { username: owner, type: 'owner' });
}

// ---- filters ----

export interface RepoFilters {
  include: string[];
  exclude: string[];
  archived: boolean;
  forks: boolean;
  visibility: 'all' | Visibility;
}

export interface FilterResult {
  kept: OrgRepo[];
  excluded: { repo: string; reason: string }[];
}

/** A name glob (`*`, `?`, `[abc]`, `**`) as a case-insensitive RegExp; without a `/`, it applies to the repo name. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export function matchesGlob(repo: Pick<OrgRepo, 'fullName' | 'name'>, glob: string): boolean {
  return globRegExp(glob).test(glob.includes('/') ? repo.fullName : repo.name);
}

export function filterRepos(repos: OrgRepo[], f: RepoFilters): FilterResult {
  const kept: OrgRepo[] = [];
  const excluded: FilterResult['excluded'] = [];
  for (const r of repos) {
    let reason: string | undefined;
    if (!r.cloneUrl) reason = 'no clone URL';
    else if (r.archived && !f.archived) reason = 'archived (use --archived to include)';
    else if (r.fork && !f.forks) reason = 'fork (use --forks to include)';
    else if (f.visibility !== 'all' && r.visibility !== f.visibility)
      reason = `visibility ${r.visibility} (only ${f.visibility})`;
    else if (f.include.length && !f.include.some((g) => matchesGlob(r, g))) reason = 'not matched by --include';
    else if (f.exclude.some((g) => matchesGlob(r, g))) reason = 'matched by --exclude';
    if (reason) excluded.push({ repo: r.fullName, reason });
    else kept.push(r);
  }
  return { kept, excluded };
}
