// Cloudflare (ISSUERS.md §26). API tokens (`cfut_` user, `cfat_` account, legacy 40 chars): GET
// /user/tokens/verify (or /accounts/{id}/tokens/verify) says active/disabled/expired; GET /user/tokens/{id} gives the
// policies when the token may read tokens; /zones and /accounts show the reach. Global API keys (`cfk_`, legacy 37
// hex) need the account email (X-Auth-Email) and have the user's full rights.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, companion, dedupePermissions, isoFromDate, merge, parse, parseOptional, unusable } from './probe.js';
import type { HttpResponse, IssuerHttp, IssuerModule } from './types.js';

const BASE = 'https://api.cloudflare.com';
const api = (http: IssuerHttp) => `${http.baseUrl(BASE)}/client/v4`;

const envelope = <T extends z.ZodType>(result: T) =>
  z.object({
    success: z.boolean(),
    errors: z.array(z.object({ code: z.number().optional(), message: z.string().optional() })).optional(),
    result,
  });
const verify = envelope(
  z.object({
    id: z.string(),
    status: z.string(),
    expires_on: z.string().nullable().optional(),
    not_before: z.string().nullable().optional(),
  }),
);
const details = envelope(
  z.object({
    name: z.string().optional(),
    issued_on: z.string().optional(),
    policies: z.array(
      z.object({
        effect: z.string(),
        resources: z.record(z.string(), z.unknown()),
        permission_groups: z.array(z.object({ id: z.string().optional(), name: z.string() })),
      }),
    ),
    condition: z.unknown().optional(),
  }),
);
const list = envelope(z.array(z.object({ id: z.string(), name: z.string().optional() }))).extend({
  result_info: z.object({ total_count: z.number().optional() }).optional(),
});
const user = envelope(z.object({ id: z.string(), email: z.string().optional() }));

const ADMIN_GROUPS =
  /^(API Tokens|Account Settings|User Details|Memberships|Billing|Access: Organizations.*) (Write|Edit)$/;

/** Permission-group names ("Zone Read", "DNS Write", "API Tokens Write") → read/write/admin per resource. */
export function cloudflareScopeLevels(groups: string[]): Permission[] {
  const out: Permission[] = [];
  for (const g of groups) {
    const m = /^(.*) (Read|Write|Edit)$/.exec(g);
    if (!m) continue;
    const resource = m[1].toLowerCase();
    out.push({ resource, access: m[2] === 'Read' ? 'read' : ADMIN_GROUPS.test(g) ? 'admin' : 'write' });
  }
  return dedupePermissions(out);
}

function tokenKind(secret: string): string | undefined {
  if (secret.startsWith('cfast_')) return 'access-service-token';
  // base64 of {"a":account,"t":tunnel id,"s":secret}: runs the tunnel (cloudflared), not an API credential.
  if (secret.startsWith('eyJhIjoi')) return 'tunnel-token';
  if (secret.startsWith('cfut_')) return 'user-token';
  if (secret.startsWith('cfat_')) return 'account-token';
  if (secret.startsWith('cfk_') || /^[0-9a-f]{37}$/.test(secret)) return 'global-api-key';
  if (/^v1\.0-[0-9a-f]{24}-[0-9a-f]{146}$/.test(secret)) return 'origin-ca-key';
  if (/^[A-Za-z0-9_-]{40}$/.test(secret)) return 'api-token';
  return undefined;
}

/** Cloudflare answers a bad credential with success:false and an error envelope, as 400, 401 or 403. */
function rejected(res: HttpResponse): boolean {
  if (![400, 401, 403].includes(res.status)) return false;
  const body = res.json as { success?: unknown } | undefined;
  return body?.success === false;
}

export const cloudflare: IssuerModule = {
  id: 'cloudflare',
  name: 'Cloudflare',
  hosts: ['api.cloudflare.com'],
  defaultBaseUrl: BASE,
  // ~1200 requests per 5 minutes per user.
  rate: { concurrency: 2, perSecond: 3 },
  decode(cred) {
    const kind = tokenKind(cred.secret);
    const out: Partial<Access> = { tokenType: kind };
    if (kind === 'global-api-key') {
      out.permissions = [{ resource: 'account', access: 'admin' }];
      out.expiresAt = null;
      out.notes = ['Global API Key: every permission of the user, on every account and zone'];
    }
    if (kind === 'origin-ca-key') out.notes = ['Origin CA key: can issue and revoke origin certificates only'];
    if (kind === 'access-service-token')
      out.notes = ['Cloudflare Access service token: passes the Zero Trust policies that allow it'];
    if (kind === 'tunnel-token') out.notes = ['Cloudflare Tunnel token: anyone holding it can run (hijack) the tunnel'];
    return out;
  },
  planLookup(cred, http) {
    const base = api(http);
    const k = tokenKind(cred.secret);
    if (k === 'access-service-token' || k === 'origin-ca-key' || k === 'tunnel-token') return [];
    if (k === 'global-api-key') return [`GET ${base}/user`];
    const account = companion(cred.companions, /^[0-9a-f]{32}$/, 'account');
    const v =
      cred.secret.startsWith('cfat_') && account
        ? `${base}/accounts/${account}/tokens/verify`
        : `${base}/user/tokens/verify`;
    return [`GET ${v}`, `GET ${base}/user/tokens/{id}`, `GET ${base}/zones`, `GET ${base}/accounts`];
  },
  async lookup(cred, http) {
    const base = api(http);
    const kind = tokenKind(cred.secret);
    if (kind === 'origin-ca-key')
      return { status: 'unknown', notes: ['Origin CA keys are not verified (no read-only endpoint)'] };
    if (kind === 'tunnel-token') return { status: 'unknown', notes: ['Tunnel tokens are not API tokens; not sent'] };
    if (kind === 'access-service-token') {
      return {
        status: 'unknown',
        notes: ['Access service token secrets are checked only with their client id, at the protected app; not sent'],
      };
    }
    if (kind === 'global-api-key') {
      const email = companion(cred.companions, /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, 'email');
      if (!email)
        return { status: 'unknown', notes: ['Global API Key needs the account email (X-Auth-Email) to verify'] };
      const res = await http.request({
        url: `${base}/user`,
        headers: { 'x-auth-email': email, 'x-auth-key': cred.secret },
      });
      const bad = unusable(res, 'Cloudflare');
      if (bad) return bad;
      if (rejected(res)) return { status: 'invalid', notes: [`Cloudflare rejected the key (HTTP ${res.status})`] };
      const u = parse(res, user, 'Cloudflare');
      if (!u.ok) return u.access;
      return {
        status: 'live',
        identity: { user: u.data.result.id },
        permissions: [{ resource: 'account', access: 'admin' }],
        expiresAt: null,
      };
    }

    const auth = bearer(cred.secret);
    const account = companion(cred.companions, /^[0-9a-f]{32}$/, 'account');
    const verifyUrl =
      cred.secret.startsWith('cfat_') && account
        ? `${base}/accounts/${account}/tokens/verify`
        : `${base}/user/tokens/verify`;
    const res = await http.request({ url: verifyUrl, headers: auth });
    const bad = unusable(res, 'Cloudflare');
    if (bad) return bad;
    if (rejected(res)) return { status: 'invalid', notes: [`Cloudflare rejected the token (HTTP ${res.status})`] };
    if (res.status !== 200) return { status: 'unknown', notes: [`Cloudflare answered HTTP ${res.status}`] };
    const v = parse(res, verify, 'Cloudflare');
    if (!v.ok) return v.access;
    const r = v.data.result;
    const expiresAt = r.expires_on ? (isoFromDate(r.expires_on) ?? null) : null;
    if (r.status !== 'active') {
      return { status: 'inactive', expiresAt, notes: [`Cloudflare says the token is ${r.status}`] };
    }
    let out: Partial<Access> = merge({
      status: 'live',
      identity: { type: `token ${r.id}`, account },
      expiresAt,
      notes: r.not_before ? [`not valid before ${r.not_before}`] : undefined,
    });

    // Policies are readable only with "API Tokens Read"; without it the reach probes below still tell a lot.
    const d = await http.request({ url: `${base}/user/tokens/${encodeURIComponent(r.id)}`, headers: auth });
    const det = parseOptional(d, details);
    if (det) {
      const groups = det.result.policies
        .filter((p) => p.effect === 'allow')
        .flatMap((p) => p.permission_groups.map((g) => g.name));
      const resources = det.result.policies.flatMap((p) => Object.keys(p.resources));
      out = merge(out, {
        scopes: [...new Set(groups)],
        permissions: cloudflareScopeLevels(groups),
        createdAt: isoFromDate(det.result.issued_on),
        notes: [
          `policies cover: ${[...new Set(resources)].slice(0, 5).join(', ')}${resources.length > 5 ? '…' : ''}`,
          ...(det.result.condition ? ['token has a client IP condition'] : []),
        ],
      });
    } else {
      out = merge(out, { notes: [`token policies not readable (HTTP ${d.status}): no "API Tokens Read"`] });
    }
    for (const [kindName, path] of [
      ['zones', 'zones?per_page=50'],
      ['accounts', 'accounts?per_page=50'],
    ] as const) {
      const q = await http.request({ url: `${base}/${path}`, headers: auth });
      const l = parseOptional(q, list);
      out = l
        ? merge(out, {
            reach: [
              {
                kind: kindName,
                count: l.result_info?.total_count ?? l.result.length,
                sample: l.result.slice(0, 5).map((x) => x.name ?? x.id),
              },
            ],
          })
        : merge(out, { notes: [`${kindName} not listed (HTTP ${q.status})`] });
    }
    return out;
  },
  scopeLevels: cloudflareScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://dash.cloudflare.com/profile/api-tokens',
    steps: [
      'Open My Profile → API Tokens (or the account’s API Tokens page)',
      'Roll or delete the token; for a Global API Key, use "Change"',
    ],
  }),
};
