// JFrog Platform / Artifactory (ISSUERS.md §47): access tokens (JWT `eyJ2ZXIiOiIy…`, claims decoded offline: subject,
// scope `applied-permissions/…`, expiry), reference tokens `cmVmdGtu…` and legacy API keys `AKCp…`. The platform
// host is a `*.jfrog.io` companion, or a self-hosted server through the base URL override.
// GET /artifactory/api/repositories proves the credential (Artifactory answers bad credentials with 401, even where
// anonymous access is on) and lists the repositories it can see.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { decodeJwt, jwtFacts } from './jwt.js';
import { bearer, merge, parse, standard } from './probe.js';
import { tenantBase } from './tenant.js';
import type { Credential, IssuerHttp, IssuerModule } from './types.js';

const PLATFORMS = ['*.jfrog.io'];

const repos = z.array(z.object({ key: z.string(), type: z.string().optional(), packageType: z.string().optional() }));

function kind(secret: string): 'access-token' | 'reference-token' | 'legacy-api-key' | 'token' {
  if (secret.startsWith('AKCp')) return 'legacy-api-key';
  if (secret.startsWith('cmVmdGtu')) return 'reference-token';
  if (decodeJwt(secret)) return 'access-token';
  return 'token';
}

/** `applied-permissions/admin` → admin; `/user` → write; `/groups:a,b` → read (groups decide) . */
export function jfrogScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    if (s === 'applied-permissions/admin') out.push({ resource: 'platform', access: 'admin' });
    else if (s === 'applied-permissions/user') out.push({ resource: 'repositories', access: 'write' });
    else if (s.startsWith('applied-permissions/groups:')) out.push({ resource: 'repositories', access: 'read' });
  }
  return out;
}

function auth(secret: string): Record<string, string> {
  return kind(secret) === 'legacy-api-key' ? { 'x-jfrog-art-api': secret } : bearer(secret);
}

const base = (cred: Credential, http: IssuerHttp) =>
  tenantBase('jfrog', cred, http, PLATFORMS, 'the JFrog platform URL (<name>.jfrog.io)', 'host');

export const jfrog: IssuerModule = {
  id: 'jfrog',
  name: 'JFrog',
  hosts: PLATFORMS,
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    const k = kind(cred.secret);
    const out: Partial<Access> = { tokenType: k };
    if (k === 'legacy-api-key')
      out.notes = ['legacy API key: JFrog retired API keys; they act with the full rights of their user'];
    const d = k === 'access-token' ? decodeJwt(cred.secret) : undefined;
    if (d) {
      const facts = jwtFacts(d.claims, cred.now);
      const sub = typeof d.claims.sub === 'string' ? d.claims.sub : '';
      const user = /\/users\/([^/]+)$/.exec(sub)?.[1];
      const scopes = facts.scopes ?? [];
      return merge(out, facts, {
        identity: { user, account: typeof d.claims.iss === 'string' ? d.claims.iss : undefined },
        permissions: jfrogScopeLevels(scopes),
      });
    }
    return out;
  },
  planLookup(cred, http) {
    const b = base(cred, http).base;
    return b ? [`GET ${b}/artifactory/api/repositories`] : [];
  },
  async lookup(cred, http) {
    const { base: b, note } = base(cred, http);
    if (!b) return { status: 'unknown', notes: [note!] };
    const res = await http.request({
      url: `${b}/artifactory/api/repositories`,
      headers: { ...auth(cred.secret), accept: 'application/json' },
    });
    const bad = standard(res, 'JFrog');
    if (bad) return bad;
    const r = parse(res, repos, 'JFrog');
    if (!r.ok) return r.access;
    const local = r.data.filter((x) => x.type === 'LOCAL').length;
    return {
      status: 'live',
      reach: [{ kind: 'repositories', count: r.data.length, sample: r.data.slice(0, 5).map((x) => x.key) }],
      notes: local ? [`${local} local repositories (artifacts the token may be able to overwrite)`] : undefined,
    };
  },
  scopeLevels: jfrogScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens',
    steps: [
      'Administration → User Management → Access Tokens',
      'Revoke the token (DELETE /access/api/v1/tokens/me with itself also works)',
    ],
  }),
};
