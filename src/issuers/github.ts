// GitHub tokens (ISSUERS.md §4), through octokit with our fetch (allowlist, offline switch, retries, log).
// Classic PAT / OAuth: scopes from X-OAuth-Scopes; expiry from github-authentication-token-expiration (absent = never).
// Fine-grained PAT / ghu_: no scope header, so reach, per-repo roles and read-only permission probes stand in.
// ghs_: /installation/repositories.
// GitHub Enterprise Server: base URL override (e.g. https://ghe.example.com/api/v3).
import { Octokit, RequestError } from 'octokit';
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { looksHtml } from './http.js';
import { decodeJwt, jwtFacts } from './jwt.js';
import { inactive, invalid, isoFromDate, merge, scopeTable, unknown } from './probe.js';
import type { IssuerHttp, IssuerModule } from './types.js';

const BASE = 'https://api.github.com';

const PREFIX_TYPES: [string, string][] = [
  ['github_pat_', 'fine-grained-pat'],
  ['ghp_', 'classic-pat'],
  ['gho_', 'oauth-token'],
  ['ghu_', 'app-user-token'],
  ['ghs_', 'app-installation-token'],
  ['ghr_', 'app-refresh-token'],
];

export function githubTokenType(secret: string): string | undefined {
  return PREFIX_TYPES.find(([p]) => secret.startsWith(p))?.[1];
}

const p = (resource: string, access: Permission['access']): Permission => ({ resource, access });

export const githubScopeLevels = scopeTable(
  {
    repo: [p('repos', 'write'), p('private-repos', 'write')],
    public_repo: p('public-repos', 'write'),
    'repo:status': p('commit-statuses', 'write'),
    repo_deployment: p('deployments', 'write'),
    'repo:invite': p('repo-invitations', 'write'),
    security_events: p('security-events', 'write'),
    delete_repo: p('repos', 'admin'),
    workflow: p('workflows', 'write'),
    gist: p('gists', 'write'),
    notifications: p('notifications', 'read'),
    user: p('user', 'write'),
    'user:email': p('user', 'read'),
    'user:follow': p('user', 'write'),
    codespace: p('codespaces', 'write'),
    project: p('projects', 'write'),
    audit_log: p('audit-log', 'read'),
    site_admin: p('enterprise', 'admin'),
    copilot: p('copilot', 'write'),
  },
  (scope) => {
    const [verb, ...rest] = scope.split(':');
    const resource = rest.join(':') || verb;
    if (verb === 'admin') return p(resource, 'admin');
    if (verb === 'delete') return p(resource, 'admin');
    if (verb === 'write' || verb.startsWith('manage_')) return p(resource, 'write');
    if (verb === 'read') return p(resource, 'read');
    return undefined;
  },
);

interface GhAnswer {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: unknown;
  html: boolean;
}

function makeOctokit(token: string, http: IssuerHttp): Octokit {
  return new Octokit({
    auth: token,
    baseUrl: http.baseUrl(BASE),
    request: { fetch: http.fetch },
    // Our client retries and paces; octokit's own retry/throttle would double it.
    retry: { enabled: false },
    throttle: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

async function gh(octo: Octokit, route: string, params: Record<string, unknown> = {}): Promise<GhAnswer> {
  try {
    const r = await octo.request(route, params);
    const headers = r.headers as GhAnswer['headers'];
    const html = typeof r.data === 'string' && looksHtml(String(headers['content-type'] ?? ''), r.data);
    return { status: r.status, headers, data: r.data, html };
  } catch (err) {
    if (err instanceof RequestError) {
      // No response = our client threw (timeout, refusal, network): octokit wraps it as a fake "500"; surface the cause.
      if (!err.response) throw (err as { cause?: unknown }).cause ?? err;
      const headers = (err.response?.headers ?? {}) as GhAnswer['headers'];
      const data = err.response?.data;
      const html = looksHtml(String(headers['content-type'] ?? ''), typeof data === 'string' ? data : '');
      return { status: err.status, headers, data, html };
    }
    throw err;
  }
}

/** Turns a non-200 primary answer into Access; undefined when the answer is a 200. */
function primaryFailure(a: GhAnswer): Partial<Access> | undefined {
  if (a.html) return unknown(`GitHub answered HTTP ${a.status} with an HTML page (proxy or outage?)`);
  if (a.status === 200) return undefined;
  if (a.status === 401) {
    const msg = (a.data as { message?: string } | undefined)?.message ?? '';
    return /expired/i.test(msg)
      ? inactive('GitHub: token expired')
      : invalid('GitHub rejected the token (401 Bad credentials)');
  }
  if (a.status === 403 && String(a.headers['x-ratelimit-remaining']) === '0')
    return unknown('GitHub rate limit exhausted');
  if (a.status === 429) return unknown('GitHub rate-limited the lookup (HTTP 429)');
  if (a.status >= 500) return unknown(`GitHub error HTTP ${a.status}`);
  return unknown(`GitHub answered HTTP ${a.status}`);
}

const userSchema = z
  .object({
    login: z.string(),
    id: z.number(),
    type: z.string().optional(),
    email: z.string().nullable().optional(),
    site_admin: z.boolean().optional(),
    public_repos: z.number().optional(),
    total_private_repos: z.number().optional(),
  })
  .passthrough();

const repoSchema = z
  .object({
    full_name: z.string(),
    private: z.boolean().optional(),
    permissions: z
      .object({ admin: z.boolean().optional(), push: z.boolean().optional(), pull: z.boolean().optional() })
      .optional(),
  })
  .passthrough();

/** Total from a Link header's rel="last" page (per_page = page size), else the length seen. */
function totalFromLink(link: unknown, pageSize: number, seen: number): { count: number; exact: boolean } {
  const m = typeof link === 'string' ? /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link) : null;
  if (!m) return { count: seen, exact: true };
  return { count: Number(m[1]) * pageSize, exact: false };
}

function repoPermissions(repos: z.infer<typeof repoSchema>[]): Permission[] {
  const perms: Permission[] = [];
  if (repos.some((r) => r.permissions?.admin)) perms.push(p('repos', 'admin'));
  else if (repos.some((r) => r.permissions?.push)) perms.push(p('repos', 'write'));
  else if (repos.some((r) => r.permissions?.pull)) perms.push(p('repos', 'read'));
  return perms;
}

async function installationLookup(octo: Octokit): Promise<Partial<Access>> {
  const a = await gh(octo, 'GET /installation/repositories', { per_page: 100 });
  const bad = primaryFailure(a);
  if (bad) return bad;
  const body = z
    .object({ total_count: z.number(), repository_selection: z.string().optional(), repositories: z.array(repoSchema) })
    .safeParse(a.data);
  if (!body.success) return unknown('GitHub answered an unexpected shape for /installation/repositories');
  const repos = body.data.repositories;
  const owner = repos[0]?.full_name.split('/')[0];
  return {
    status: 'live',
    identity: { org: owner, type: 'app-installation' },
    reach: [{ kind: 'repos', count: body.data.total_count, sample: repos.slice(0, 5).map((r) => r.full_name) }],
    permissions: repoPermissions(repos),
    notes: [
      `repository selection: ${body.data.repository_selection ?? 'unknown'}`,
      'installation tokens expire about 1 hour after they are issued',
    ],
  };
}

// Fine-grained PATs and GitHub App user tokens (ghu_) carry no scope header: a few read-only GETs, each needing one
// fine-grained permission, tell which are granted (200) and which are not (403/404). With /user, /user/repos and
// /user/orgs this stays at 8 requests. Names are GitHub's fine-grained permission names (x-accepted-github-permissions).
export const PERMISSION_PROBES: readonly { permission: string; route: string }[] = [
  { permission: 'emails', route: 'GET /user/emails' },
  { permission: 'git_ssh_keys', route: 'GET /user/keys' },
  { permission: 'gpg_keys', route: 'GET /user/gpg_keys' },
  { permission: 'codespaces', route: 'GET /user/codespaces' },
  { permission: 'notifications', route: 'GET /notifications' },
];

const PROBED_TYPES = new Set(['fine-grained-pat', 'app-user-token']);

async function permissionProbes(octo: Octokit): Promise<Partial<Access>> {
  const answers = await Promise.all(
    PERMISSION_PROBES.map(async (probe) => {
      try {
        return { probe, a: await gh(octo, probe.route, { per_page: 1 }) };
      } catch (err) {
        return { probe, error: (err as Error).message };
      }
    }),
  );
  const granted: string[] = [];
  const denied: string[] = [];
  const unclear: string[] = [];
  for (const r of answers) {
    const name = r.probe.permission;
    if (!r.a) unclear.push(`${name} (${r.error})`);
    else if (r.a.status === 200 && !r.a.html) granted.push(name);
    else if ((r.a.status === 403 || r.a.status === 404) && !r.a.html) {
      // A 403 from the rate limiter says nothing about the grant.
      if (String(r.a.headers['x-ratelimit-remaining']) === '0') unclear.push(`${name} (rate limit)`);
      else denied.push(name);
    } else unclear.push(`${name} (HTTP ${r.a.status}${r.a.html ? ', HTML' : ''})`);
  }
  const notes: string[] = [];
  if (granted.length) notes.push(`permission probes: granted ${granted.join(', ')}`);
  if (denied.length) notes.push(`permission probes: not granted ${denied.join(', ')}`);
  if (unclear.length) notes.push(`permission probes inconclusive: ${unclear.join(', ')}`);
  // GETs only show read access; write is not probed (that would need a state-changing request).
  return { permissions: granted.map((name) => p(name, 'read')), notes };
}

async function userLookup(octo: Octokit, tokenType: string | undefined): Promise<Partial<Access>> {
  const a = await gh(octo, 'GET /user');
  const bad = primaryFailure(a);
  if (bad) return bad;
  const user = userSchema.safeParse(a.data);
  if (!user.success) return unknown('GitHub answered an unexpected shape for /user');
  const u = user.data;
  const scopeHeader = a.headers['x-oauth-scopes'];
  const scopes =
    typeof scopeHeader === 'string'
      ? scopeHeader
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  const expHeader = a.headers['github-authentication-token-expiration'];
  let expiresAt: string | null | undefined;
  if (typeof expHeader === 'string' && expHeader) expiresAt = isoFromDate(expHeader);
  else if (tokenType === 'classic-pat' || tokenType === 'fine-grained-pat') expiresAt = null;

  let out: Partial<Access> = {
    status: 'live',
    identity: { user: u.login, type: u.type, email: u.email ?? undefined },
    scopes,
    expiresAt,
    notes: [],
  };
  if (scopes?.length) out.permissions = githubScopeLevels(scopes);
  if (u.site_admin) out = merge(out, { permissions: [p('enterprise', 'admin')] });
  if (scopes === undefined)
    out.notes!.push('no X-OAuth-Scopes header: fine-grained or app token, scope read from reach');
  if (a.headers['x-github-sso']) out.notes!.push('some organizations require SSO authorization for this token');

  // Reach: repos (one page of 100 tells roles; the Link header tells the total) and orgs.
  const repos = await gh(octo, 'GET /user/repos', { per_page: 100, sort: 'pushed' });
  const list = z.array(repoSchema).safeParse(repos.data);
  if (repos.status === 200 && !repos.html && list.success) {
    const total = totalFromLink(repos.headers.link, 100, list.data.length);
    out = merge(out, {
      reach: [{ kind: 'repos', count: total.count, sample: list.data.slice(0, 5).map((r) => r.full_name) }],
      notes: total.exact ? [] : [`repos: about ${total.count} (from pagination)`],
    });
    if (scopes === undefined || scopes.length === 0) out = merge(out, { permissions: repoPermissions(list.data) });
    const privateSeen = list.data.filter((r) => r.private).length;
    if (privateSeen)
      out = merge(out, {
        reach: [{ kind: 'private-repos', count: Math.max(privateSeen, u.total_private_repos ?? 0) }],
      });
  } else {
    out = merge(out, { notes: [`repos not listed (HTTP ${repos.status})`] });
  }
  const orgs = await gh(octo, 'GET /user/orgs', { per_page: 100 });
  const orgList = z.array(z.object({ login: z.string() }).passthrough()).safeParse(orgs.data);
  if (orgs.status === 200 && !orgs.html && orgList.success) {
    const total = totalFromLink(orgs.headers.link, 100, orgList.data.length);
    out = merge(out, {
      reach: [{ kind: 'orgs', count: total.count, sample: orgList.data.slice(0, 5).map((o) => o.login) }],
    });
    if (orgList.data[0] && !out.identity?.org) out.identity = { ...out.identity, org: orgList.data[0].login };
  } else {
    out = merge(out, { notes: [`orgs not listed (HTTP ${orgs.status})`] });
  }
  if (!scopes?.length && tokenType && PROBED_TYPES.has(tokenType)) out = merge(out, await permissionProbes(octo));
  if (!out.notes?.length) delete out.notes;
  return out;
}

export const github: IssuerModule = {
  id: 'github',
  name: 'GitHub',
  hosts: ['api.github.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 10 },
  decode(cred) {
    const tokenType = githubTokenType(cred.secret) ?? cred.tokenType;
    const out: Partial<Access> = { tokenType, environment: 'production' };
    // ghs_<installation id>_<JWT>: the newer stateless installation token carries its claims.
    const stateless = /^ghs_\d+_(.+)$/.exec(cred.secret);
    if (stateless) {
      const d = decodeJwt(stateless[1]);
      if (d) return merge(out, jwtFacts(d.claims, cred.now), { tokenType });
    }
    return out;
  },
  planLookup(cred, http) {
    const base = http.baseUrl(BASE);
    if (cred.secret.startsWith('ghs_')) return [`GET ${base}/installation/repositories`];
    const lines = [`GET ${base}/user`, `GET ${base}/user/repos`, `GET ${base}/user/orgs`];
    const type = githubTokenType(cred.secret) ?? cred.tokenType;
    if (type && PROBED_TYPES.has(type))
      for (const probe of PERMISSION_PROBES) lines.push(`GET ${base}${probe.route.slice(4)}`);
    return lines;
  },
  async lookup(cred, http) {
    const type = githubTokenType(cred.secret) ?? cred.tokenType;
    if (type === 'app-refresh-token') {
      return {
        status: 'skipped',
        notes: ['refresh tokens only work with the app’s client id and secret: not checked'],
      };
    }
    if (type === 'oauth-client-secret' || type === 'oauth-client-id') {
      return { status: 'skipped', notes: ['OAuth app client secrets have no read-only check'] };
    }
    const octo = makeOctokit(cred.secret, http);
    if (type === 'app-installation-token') return installationLookup(octo);
    return userLookup(octo, type);
  },
  scopeLevels: githubScopeLevels,
};
