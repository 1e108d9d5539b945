// npm tokens (ISSUERS.md §18). GET /-/whoami decides live; GET /-/npm/v1/tokens lists the account's tokens with a
// truncated preview, matched against this token's prefix for readonly/automation/CIDR facts (granular tokens may not
// list tokens: a note). Reach: packages the user maintains, via the registry search.
import { z } from 'zod';
import type { Access } from '../types.js';
import { bearer, invalid, merge, parse, parseOptional, standard } from './probe.js';
import type { Credential, IssuerModule } from './types.js';

const BASE = 'https://registry.npmjs.org';
const NPMJS = 'registry.npmjs.org';

/**
 * Only a credential for registry.npmjs.org is sent there: `npm_` tokens are npm's own; a legacy token or password
 * counts only when its .npmrc line names registry.npmjs.org (a private registry's credential must never reach npm).
 */
export function forNpmjs(cred: Pick<Credential, 'secret' | 'companions'>): { ok: true } | { ok: false; note: string } {
  if (cred.secret.startsWith('npm_')) return { ok: true };
  const host = cred.companions['npm-registry-host']?.toLowerCase();
  if (host === NPMJS) return { ok: true };
  return {
    ok: false,
    note: host
      ? `a credential for the registry ${host}: not sent to registry.npmjs.org (check it at that registry)`
      : 'no registry named next to it: not sent to registry.npmjs.org',
  };
}

const tokenList = z.object({
  objects: z.array(
    z
      .object({
        key: z.string().optional(),
        token: z.string(),
        readonly: z.boolean().optional(),
        automation: z.boolean().optional(),
        cidr_whitelist: z.array(z.string()).nullable().optional(),
        created: z.string().optional(),
        expires: z.string().nullable().optional(),
      })
      .passthrough(),
  ),
});

/** The list shows a preview like `npm_Ab12…` or `Ab12cd`; match on the visible characters. */
function previewMatches(preview: string, secret: string): boolean {
  const visible = preview.replace(/[.…*]+$/, '').replace(/\.\.\.$/, '');
  return visible.length >= 4 && secret.startsWith(visible);
}

export const npm: IssuerModule = {
  id: 'npm',
  name: 'npm',
  hosts: ['registry.npmjs.org'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 4, perSecond: 10 },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('npm_') ? 'access-token' : 'legacy-token',
    environment: 'production',
  }),
  planLookup: (cred, http) =>
    forNpmjs(cred).ok ? [`GET ${http.baseUrl(BASE)}/-/whoami`, `GET ${http.baseUrl(BASE)}/-/npm/v1/tokens`] : [],
  async lookup(cred, http) {
    const target = forNpmjs(cred);
    if (!target.ok) return { status: 'unknown', notes: [target.note] };
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/-/whoami`, headers: bearer(cred.secret) });
    if (res.status === 403 && !res.html) return invalid('npm rejected the token (403)');
    const bad = standard(res, 'npm');
    if (bad) return bad;
    const who = parse(res, z.object({ username: z.string() }).passthrough(), 'npm');
    if (!who.ok) return who.access;
    const user = who.data.username;
    let out: Partial<Access> = { status: 'live', identity: { user } };
    const list = await http.request({ url: `${base}/-/npm/v1/tokens`, headers: bearer(cred.secret) });
    const tokens = parseOptional(list, tokenList);
    const mine = tokens?.objects.find((t) => previewMatches(t.token, cred.secret));
    if (mine) {
      const scopes = [mine.readonly ? 'read-only' : 'publish', ...(mine.automation ? ['automation'] : [])];
      out = merge(out, {
        scopes,
        permissions: [{ resource: 'packages', access: mine.readonly ? 'read' : 'write' }],
        createdAt: mine.created,
        expiresAt: mine.expires === undefined ? undefined : mine.expires,
        notes: mine.cidr_whitelist?.length ? [`usable only from ${mine.cidr_whitelist.join(', ')}`] : [],
      });
      if (!mine.readonly && !mine.automation)
        out = merge(out, { notes: ['publish token: 2FA may still be required to publish'] });
    } else {
      out = merge(out, {
        notes: [
          tokens ? 'token not found in the account’s token list' : `token list not readable (HTTP ${list.status})`,
        ],
      });
    }
    const search = await http.request({
      url: `${base}/-/v1/search?text=maintainer:${encodeURIComponent(user)}&size=20`,
    });
    const pkgs = parseOptional(
      search,
      z
        .object({
          total: z.number(),
          objects: z.array(z.object({ package: z.object({ name: z.string() }).passthrough() }).passthrough()),
        })
        .passthrough(),
    );
    if (pkgs)
      out = merge(out, {
        reach: [{ kind: 'packages', count: pkgs.total, sample: pkgs.objects.slice(0, 5).map((o) => o.package.name) }],
      });
    return out;
  },
  scopeLevels: (scopes) => [{ resource: 'packages', access: scopes.includes('read-only') ? 'read' : 'write' }],
};
