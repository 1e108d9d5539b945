// Mailchimp Marketing API keys `<32 hex>-us<N>` (ISSUERS.md §17). The suffix names the datacenter, so the API host
// `<dc>.api.mailchimp.com` comes from the key itself (and is checked against the allowlist pattern). Keys are
// account-wide: the account's role is the key's reach. Transactional (Mandrill) keys are checked with the read-only
// users/info call, a POST by that API's design; Mandrill reports an invalid key as HTTP 500 {"name":"Invalid_Key"}.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { basic, merge, parse, parseOptional, standard } from './probe.js';
import type { Credential, IssuerHttp, IssuerModule } from './types.js';

const DC = /-(us\d{1,2})$/;
const MANDRILL = 'https://mandrillapp.com';

const mandrillInfo = z.object({
  username: z.string(),
  created_at: z.string().optional(),
  reputation: z.number().optional(),
  hourly_quota: z.number().optional(),
});

const isTransactional = (cred: Credential) =>
  cred.tokenType === 'transactional-api-key' || cred.secret.startsWith('md-');

async function lookupMandrill(cred: Credential, http: IssuerHttp): Promise<Partial<Access>> {
  const res = await http.request({
    method: 'POST',
    url: `${http.baseUrl(MANDRILL)}/api/1.0/users/info`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: cred.secret }),
    readOnlyPost: true,
    retries: 1,
  });
  const err = res.json as { status?: string; name?: string } | undefined;
  if (!res.html && err?.status === 'error' && err.name === 'Invalid_Key')
    return { status: 'invalid', notes: ['Mandrill: Invalid_Key'] };
  const bad = standard(res, 'Mandrill');
  if (bad) return bad;
  const info = parse(res, mandrillInfo, 'Mandrill');
  if (!info.ok) return info.access;
  return {
    status: 'live',
    tokenType: 'transactional-api-key',
    identity: { user: info.data.username },
    permissions: [{ resource: 'transactional-email', access: 'write' }],
    createdAt: info.data.created_at ? new Date(`${info.data.created_at.replace(' ', 'T')}Z`).toISOString() : undefined,
    notes: info.data.hourly_quota !== undefined ? [`hourly sending quota ${info.data.hourly_quota}`] : undefined,
  };
}

const root = z
  .object({
    account_id: z.string(),
    account_name: z.string().optional(),
    email: z.string().optional(),
    username: z.string().optional(),
    role: z.string().optional(),
    pricing_plan_type: z.string().optional(),
    total_subscribers: z.number().optional(),
  })
  .passthrough();
const lists = z.object({
  lists: z.array(z.object({ id: z.string(), name: z.string().optional() })),
  total_items: z.number().optional(),
});

const ROLE: Record<string, Permission['access']> = {
  owner: 'admin',
  admin: 'admin',
  manager: 'write',
  author: 'write',
  viewer: 'read',
};

function baseFor(cred: Credential, http: IssuerHttp): string | undefined {
  const dc = DC.exec(cred.secret)?.[1];
  return http.override ?? (dc ? `https://${dc}.api.mailchimp.com` : undefined);
}

export const mailchimp: IssuerModule = {
  id: 'mailchimp',
  name: 'Mailchimp',
  hosts: ['*.api.mailchimp.com', 'mandrillapp.com'],
  rate: { concurrency: 2, perSecond: 5 },
  // Keys carry no scopes: the account role is the scope.
  capabilities: { scope: true },
  decode(cred) {
    if (isTransactional(cred))
      return {
        tokenType: 'transactional-api-key',
        notes: ['Mailchimp Transactional (Mandrill) key: sends email as the account'],
      };
    const dc = DC.exec(cred.secret)?.[1];
    return { tokenType: 'api-key', notes: dc ? [`datacenter ${dc}`] : ['no datacenter suffix'] };
  },
  planLookup(cred, http) {
    if (isTransactional(cred)) return [`POST ${http.baseUrl(MANDRILL)}/api/1.0/users/info`];
    const base = baseFor(cred, http);
    return base ? [`GET ${base}/3.0/`, `GET ${base}/3.0/lists?count=10&fields=lists.id,lists.name,total_items`] : [];
  },
  async lookup(cred, http) {
    if (isTransactional(cred)) return lookupMandrill(cred, http);
    const base = baseFor(cred, http);
    if (!base)
      return { status: 'unknown', notes: ['no datacenter suffix (-usN) on the key: cannot tell the API host'] };
    const auth = basic('keyscope', cred.secret);
    const res = await http.request({ url: `${base}/3.0/`, headers: auth });
    if (res.status === 403 && !res.html && /disabled/i.test(res.text))
      return { status: 'inactive', notes: ['Mailchimp says the user is disabled'] };
    const bad = standard(res, 'Mailchimp');
    if (bad) return bad;
    const me = parse(res, root, 'Mailchimp');
    if (!me.ok) return me.access;
    const role = me.data.role;
    const out = merge({
      status: 'live',
      identity: {
        account: me.data.account_id,
        org: me.data.account_name,
        user: me.data.username,
        email: me.data.email,
        type: role,
      },
      scopes: role ? [`role:${role}`] : [],
      permissions:
        role && ROLE[role] ? [{ resource: 'account', access: ROLE[role] }] : [{ resource: 'account', access: 'write' }],
      expiresAt: null,
      notes: me.data.pricing_plan_type ? [`plan: ${me.data.pricing_plan_type}`] : undefined,
    });
    const l = await http.request({
      url: `${base}/3.0/lists?count=10&fields=lists.id,lists.name,total_items`,
      headers: auth,
    });
    const audiences = parseOptional(l, lists);
    if (!audiences) return merge(out, { notes: [`audiences not readable (HTTP ${l.status})`] });
    return merge(out, {
      reach: [
        {
          kind: 'audiences',
          count: audiences.total_items ?? audiences.lists.length,
          sample: audiences.lists.slice(0, 5).map((x) => x.name ?? x.id),
        },
        ...(me.data.total_subscribers !== undefined ? [{ kind: 'subscribers', count: me.data.total_subscribers }] : []),
      ],
    });
  },
  runbook: () => ({
    consoleUrl: 'https://admin.mailchimp.com/account/api/',
    steps: ['Open Account → Extras → API keys', 'Find the key by its last characters', 'Disable it, then delete it'],
  }),
};
