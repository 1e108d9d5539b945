// GitHub (ISSUERS.md §4). PATs and OAuth/app user tokens go to the credential revocation API: unauthenticated on
// github.com (an authenticated call gets 403), at most 1,000 tokens a request and 60 requests an hour. GitHub
// Enterprise Server (a base URL ending in /api/v3) takes the same call authenticated, ghp_/github_pat_ only.
// Installation tokens (ghs_) revoke themselves: DELETE /installation/token.
import type { Credential } from '../../issuers/types.js';
import type { ManyContext, RevokeContext, RevokeProvider, RevokeResult } from '../types.js';
import { byStatus, failed, reason, revoked } from './util.js';

const BASE = 'https://api.github.com';
export const GITHUB_BATCH = 1000;
export const GITHUB_HOURLY = 60;
const HOUR = 3_600_000;
const PUBLIC_TYPES = ['ghp_', 'github_pat_', 'gho_', 'ghu_', 'ghr_'];
const GHES_TYPES = ['ghp_', 'github_pat_'];

export function isGhes(base: string, overridden: boolean): boolean {
  return overridden && /\/api\/v3$/i.test(base);
}

/** The operator's own token for GHES (the leaked tokens are never used to authenticate someone else's batch). */
function ghesToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.KEYSCOPE_GITHUB_REVOKE_TOKEN || env.GITHUB_TOKEN || undefined;
}

const apiHeaders = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

async function revokeInstallation(cred: Credential, http: RevokeContext['http'], base: string): Promise<RevokeResult> {
  const request = `DELETE ${base}/installation/token`;
  const res = await http.request({
    method: 'DELETE',
    url: `${base}/installation/token`,
    headers: { ...apiHeaders, authorization: `token ${cred.secret}` },
    mutating: true,
  });
  return byStatus(res, request, { name: 'GitHub', ok: [204], gone: [401] });
}

export const github: RevokeProvider = {
  issuer: 'github',
  name: 'GitHub',
  hosts: ['api.github.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2 },
  eventual: true,
  unsupported(cred, { base, overridden }) {
    const s = cred.secret;
    if (s.startsWith('ghs_')) return undefined;
    const ghes = isGhes(base ?? '', overridden);
    if ((ghes ? GHES_TYPES : PUBLIC_TYPES).some((p) => s.startsWith(p))) return undefined;
    return ghes
      ? 'GitHub Enterprise Server revokes only ghp_ and github_pat_ tokens through its API'
      : 'not a token type the GitHub credential revocation API accepts';
  },
  plan(cred, base, overridden) {
    if (cred.secret.startsWith('ghs_'))
      return [`DELETE ${base}/installation/token (authenticated as the installation token itself)`];
    const how = isGhes(base, overridden)
      ? 'authenticated with KEYSCOPE_GITHUB_REVOKE_TOKEN/GITHUB_TOKEN (GHES)'
      : 'unauthenticated; owners are notified';
    return [`POST ${base}/credentials/revoke {"credentials":[…]} (${how}; batched, ≤${GITHUB_BATCH} tokens a request)`];
  },
  async revoke(cred, ctx) {
    if (cred.secret.startsWith('ghs_')) return revokeInstallation(cred, ctx.http, ctx.base);
    const one = await this.revokeMany!([cred], {
      bind: () => ctx.http,
      base: ctx.base,
      overridden: ctx.overridden,
      env: ctx.env,
      budget: { take: () => true, resetsAt: () => undefined },
    });
    return one.get(cred.fingerprint) ?? failed('no answer for this token', undefined, undefined);
  },
  async revokeMany(creds, ctx: ManyContext) {
    const out = new Map<string, RevokeResult>();
    const base = ctx.base;
    for (const c of creds.filter((c) => c.secret.startsWith('ghs_'))) {
      try {
        out.set(c.fingerprint, await revokeInstallation(c, ctx.bind([c.secret]), base));
      } catch (err) {
        out.set(
          c.fingerprint,
          failed(`revocation failed: ${(err as Error).message}`, undefined, `DELETE ${base}/installation/token`),
        );
      }
    }
    const rest = creds.filter((c) => !c.secret.startsWith('ghs_'));
    const ghes = isGhes(base, ctx.overridden);
    const operator = ghes ? ghesToken(ctx.env) : undefined;
    const budgetKey = `github:credentials/revoke@${base}`;
    let stop: string | undefined;
    const batches = Math.ceil(rest.length / GITHUB_BATCH);
    for (let b = 0; b < batches; b++) {
      const batch = rest.slice(b * GITHUB_BATCH, (b + 1) * GITHUB_BATCH);
      const request = `POST ${base}/credentials/revoke (batch ${b + 1}/${batches}, ${batch.length} tokens)`;
      const fail = (detail: string, status?: number) => {
        for (const c of batch) out.set(c.fingerprint, failed(detail, status, request));
      };
      if (stop) {
        fail(`not sent: ${stop}`);
        continue;
      }
      if (ghes && !operator) {
        fail('GitHub Enterprise Server needs an authenticated request: set KEYSCOPE_GITHUB_REVOKE_TOKEN');
        continue;
      }
      if (!ctx.budget.take(budgetKey, GITHUB_HOURLY, HOUR)) {
        stop = `the ${GITHUB_HOURLY} requests/hour budget of /credentials/revoke is spent (frees up at ${ctx.budget.resetsAt(budgetKey, HOUR) ?? 'the top of the hour'}); run again later`;
        fail(`not sent: ${stop}`);
        continue;
      }
      const secrets = batch.map((c) => c.secret);
      const headers: Record<string, string> = { ...apiHeaders, 'content-type': 'application/json' };
      if (operator) headers.authorization = `Bearer ${operator}`;
      let res: Awaited<ReturnType<RevokeContext['http']['request']>>;
      try {
        res = await ctx.bind(operator ? [...secrets, operator] : secrets).request({
          method: 'POST',
          url: `${base}/credentials/revoke`,
          headers,
          body: JSON.stringify({ credentials: secrets }),
          mutating: true,
        });
      } catch (err) {
        fail(`revocation failed: ${(err as Error).message}`);
        continue;
      }
      if (res.status === 202 || res.status === 200 || res.status === 204) {
        for (const c of batch)
          out.set(
            c.fingerprint,
            revoked(`GitHub accepted the revocation (HTTP ${res.status}); owners are notified`, res.status, request),
          );
        continue;
      }
      const limited = res.status === 429 || (res.status === 403 && res.headers['x-ratelimit-remaining'] === '0');
      if (limited) {
        const reset = Number(res.headers['x-ratelimit-reset']);
        stop = `GitHub rate limit reached${Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''}`;
        fail(`revocation failed: ${stop}`, res.status);
        continue;
      }
      if (res.status === 401 && ghes) {
        fail(
          'GitHub Enterprise Server refused the operator token (HTTP 401): check KEYSCOPE_GITHUB_REVOKE_TOKEN',
          res.status,
        );
        continue;
      }
      fail(`GitHub answered HTTP ${res.status}: ${reason(res)}`, res.status);
    }
    return out;
  },
};
