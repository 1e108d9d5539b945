// CircleCI API tokens (ISSUERS.md §42): `CCIPAT_` personal, `CCIPRJ_` project, legacy 40 hex. A personal token reads
// and writes every project the user follows (env vars, settings): GET /api/v2/me identifies it and
// /api/v2/me/collaborations lists its organizations. Project tokens cannot call /me: a GET of a project that does
// not exist answers 404 to a good token and 401 to a bad one.
import { z } from 'zod';
import type { Access } from '../types.js';
import { merge, parse, parseOptional, standard, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://circleci.com';
const PROBE_PROJECT = 'keyscope-probe-nonexistent-project';

const me = z.object({ id: z.string(), login: z.string().optional(), name: z.string().optional() });
const collaborations = z.array(
  z.object({
    id: z.string().optional(),
    name: z.string(),
    'vcs-type': z.string().optional(),
    slug: z.string().optional(),
  }),
);

export const circleci: IssuerModule = {
  id: 'circleci',
  name: 'CircleCI',
  hosts: ['circleci.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('CCIPRJ_')
      ? 'project-token'
      : cred.secret.startsWith('CCIPAT_')
        ? 'personal-token'
        : 'legacy-token',
  }),
  planLookup: (cred, http) =>
    cred.secret.startsWith('CCIPRJ_')
      ? [`GET ${http.baseUrl(BASE)}/api/v1.1/project/${PROBE_PROJECT}`]
      : [`GET ${http.baseUrl(BASE)}/api/v2/me`, `GET ${http.baseUrl(BASE)}/api/v2/me/collaborations`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const headers = { 'circle-token': cred.secret, accept: 'application/json' };
    if (cred.secret.startsWith('CCIPRJ_')) {
      const res = await http.request({ url: `${base}/api/v1.1/project/${PROBE_PROJECT}`, headers });
      const bad = unusable(res, 'CircleCI');
      if (bad) return bad;
      if (res.status === 401) return { status: 'invalid', notes: ['CircleCI rejected the token (HTTP 401)'] };
      if (res.status === 404 && res.json !== undefined) {
        return {
          status: 'live',
          permissions: [{ resource: 'project', access: 'write' }],
          notes: ['project token: accepted (404 for a project it does not own)'],
        };
      }
      return { status: 'unknown', notes: [`CircleCI answered HTTP ${res.status}`] };
    }
    const res = await http.request({ url: `${base}/api/v2/me`, headers });
    const bad = standard(res, 'CircleCI');
    if (bad) return bad;
    const u = parse(res, me, 'CircleCI');
    if (!u.ok) return u.access;
    const out: Partial<Access> = merge({
      status: 'live',
      identity: { account: u.data.id, user: u.data.login ?? u.data.name },
      permissions: [
        { resource: 'projects', access: 'write' },
        { resource: 'env-vars', access: 'write' },
      ],
      expiresAt: null,
    });
    const c = await http.request({ url: `${base}/api/v2/me/collaborations`, headers });
    const list = parseOptional(c, collaborations);
    if (!list) return merge(out, { notes: [`organizations not listed (HTTP ${c.status})`] });
    return merge(out, {
      identity: { org: list[0]?.name },
      reach: [{ kind: 'organizations', count: list.length, sample: list.slice(0, 5).map((x) => x.slug ?? x.name) }],
    });
  },
  runbook: () => ({
    consoleUrl: 'https://app.circleci.com/settings/user/tokens',
    steps: [
      'User Settings → Personal API Tokens (or Project Settings → API Permissions)',
      'Delete the token; rotate project env vars it could read',
    ],
  }),
};
