// Azure DevOps personal access tokens (ISSUERS.md §27): new 84-char tokens carry the `AZDO` signature at positions
// 77–80; legacy ones are 52 lowercase base32 chars. Basic auth with an empty user. A PAT cannot read its own scopes:
// GET profiles/me (vso.profile) names the user, GET _apis/accounts lists the organizations it belongs to, and, when the
// organization is known (a dev.azure.com/<org> companion), GET <org>/_apis/projects shows project reach.
import { z } from 'zod';
import type { Access } from '../types.js';
import { basic, companion, merge, parse, parseOptional, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const VSSPS = 'https://app.vssps.visualstudio.com';
const DEV = 'https://dev.azure.com';
const API = 'api-version=7.1';

const profile = z.object({
  id: z.string(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  publicAlias: z.string().optional(),
});
const accounts = z.object({
  count: z.number().optional(),
  value: z.array(z.object({ accountId: z.string(), accountName: z.string() })),
});
const projects = z.object({
  count: z.number().optional(),
  value: z.array(z.object({ name: z.string(), visibility: z.string().optional() })),
});

function kind(secret: string): string {
  if (secret.length === 84 && secret.slice(76, 80) === 'AZDO') return 'pat';
  if (/^[a-z2-7]{52}$/.test(secret)) return 'legacy-pat';
  return 'pat';
}

/** The organization: the `azure-devops-organization` companion (`dev.azure.com/<org>` or `<org>.visualstudio.com`),
 * or a bare org name. */
function orgOf(companions: Record<string, string>): string | undefined {
  for (const v of Object.values(companions ?? {})) {
    const m =
      /dev\.azure\.com\/([A-Za-z0-9][A-Za-z0-9-]{0,49})/.exec(v) ??
      /^(?:https?:\/\/)?([A-Za-z0-9][A-Za-z0-9-]{0,49})\.visualstudio\.com/.exec(v);
    if (m) return m[1];
  }
  return companion(companions, /^[A-Za-z0-9][A-Za-z0-9-]{0,49}$/, 'org');
}

export const azureDevops: IssuerModule = {
  id: 'azure-devops',
  name: 'Azure DevOps',
  hosts: ['app.vssps.visualstudio.com', 'dev.azure.com'],
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({ tokenType: kind(cred.secret), notes: ['a PAT cannot read its own scopes; reach is probed'] }),
  planLookup(cred, http) {
    const org = orgOf(cred.companions);
    const lines = [
      `GET ${http.baseUrl(VSSPS)}/_apis/profile/profiles/me?${API}`,
      `GET ${http.baseUrl(VSSPS)}/_apis/accounts?memberId={id}&${API}`,
    ];
    if (org) lines.push(`GET ${http.baseUrl(DEV)}/${org}/_apis/projects?${API}`);
    return lines;
  },
  async lookup(cred, http) {
    const auth = { ...basic('', cred.secret), accept: 'application/json' };
    const org = orgOf(cred.companions);
    const res = await http.request({ url: `${http.baseUrl(VSSPS)}/_apis/profile/profiles/me?${API}`, headers: auth });
    // Azure DevOps answers an unauthenticated call with 203 and its sign-in page: not an answer about the PAT.
    if (res.status === 203)
      return { status: 'unknown', notes: ['Azure DevOps answered its sign-in page (HTTP 203): the PAT was not taken'] };
    const bad = unusable(res, 'Azure DevOps');
    if (bad) return bad;
    let out: Partial<Access>;
    if (res.status === 200) {
      const p = parse(res, profile, 'Azure DevOps');
      if (!p.ok) return p.access;
      out = merge({
        status: 'live',
        identity: { account: p.data.id, user: p.data.displayName ?? p.data.publicAlias, email: p.data.emailAddress },
      });
      const a = await http.request({
        url: `${http.baseUrl(VSSPS)}/_apis/accounts?memberId=${encodeURIComponent(p.data.id)}&${API}`,
        headers: auth,
      });
      const al = parseOptional(a, accounts);
      out = al
        ? merge(out, {
            identity: { org: org ?? al.value[0]?.accountName },
            reach: [
              {
                kind: 'organizations',
                count: al.count ?? al.value.length,
                sample: al.value.slice(0, 5).map((x) => x.accountName),
              },
            ],
          })
        : merge(out, { notes: [`organizations not listed (HTTP ${a.status})`] });
    } else if (res.status === 401 || res.status === 403) {
      // A PAT without the profile scope is refused here too; the organization's projects are the second opinion.
      if (!org)
        return {
          status: 'invalid',
          notes: [
            `Azure DevOps refused the PAT (HTTP ${res.status}); a PAT lacking the profile scope is refused the same way`,
          ],
        };
      out = { notes: [`profile not readable (HTTP ${res.status})`] };
    } else {
      return { status: 'unknown', notes: [`Azure DevOps answered HTTP ${res.status}`] };
    }
    if (!org) return out;
    const pr = await http.request({
      url: `${http.baseUrl(DEV)}/${encodeURIComponent(org)}/_apis/projects?${API}`,
      headers: auth,
    });
    const pl = parseOptional(pr, projects);
    if (pl) {
      return merge(out, {
        status: 'live',
        identity: { org },
        permissions: [{ resource: `org:${org}:projects`, access: 'read' }],
        reach: [
          { kind: 'projects', count: pl.count ?? pl.value.length, sample: pl.value.slice(0, 5).map((x) => x.name) },
        ],
      });
    }
    if (!out.status) {
      if (pr.status === 401 || pr.status === 403)
        return { status: 'invalid', notes: [...(out.notes ?? []), `projects refused too (HTTP ${pr.status})`] };
      return { status: 'unknown', notes: [...(out.notes ?? []), `projects not readable (HTTP ${pr.status})`] };
    }
    return merge(out, { notes: [`projects of ${org} not listed (HTTP ${pr.status})`] });
  },
  runbook: () => ({
    consoleUrl: 'https://dev.azure.com/_usersSettings/tokens',
    steps: [
      'User settings → Personal access tokens',
      'Revoke the token (org admins: Organization settings → Policies / token revocation)',
    ],
  }),
};
