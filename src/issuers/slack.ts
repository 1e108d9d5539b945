// Slack (ISSUERS.md §6). Tokens: POST auth.test (read-only by design; always HTTP 200, `ok:false` + error for bad
// tokens) and the x-oauth-scopes response header. Incoming webhooks: POST an empty body, the documented probe built to
// fail: 400 invalid_payload / no_text = the hook exists; 403/404/410 = gone. An empty body can never post a message.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, inactive, invalid, merge, parse, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const API = 'https://slack.com';
const HOOKS = 'https://hooks.slack.com';

const PREFIXES: [string, string][] = [
  ['xoxe.xoxp-', 'rotating-user-token'],
  ['xoxe.xoxb-', 'rotating-bot-token'],
  ['xoxe-', 'refresh-token'],
  ['xoxb-', 'bot-token'],
  ['xoxp-', 'user-token'],
  ['xoxa-', 'legacy-workspace-token'],
  ['xoxr-', 'legacy-refresh-token'],
  ['xoxs-', 'legacy-token'],
  ['xapp-', 'app-token'],
  ['xoxc-', 'session-token'],
  ['xoxd-', 'session-cookie'],
];

function slackType(secret: string): string | undefined {
  if (/^https?:\/\//i.test(secret)) return 'incoming-webhook';
  return PREFIXES.find(([pre]) => secret.startsWith(pre))?.[1];
}

export function slackScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    if (s.startsWith('admin'))
      out.push({ resource: s.split(/[.:]/)[0] === 'admin' ? s.replace(/:(read|write)$/, '') : s, access: 'admin' });
    else if (s === 'client' || s === 'post' || s === 'bot') out.push({ resource: 'workspace', access: 'write' });
    else if (s === 'identify' || s === 'read') out.push({ resource: 'workspace', access: 'read' });
    else {
      const m = /^([a-z_.]+):([a-z_.]+)$/.exec(s);
      if (!m) continue;
      const verb = m[2];
      out.push({ resource: m[1], access: /read|history/.test(verb) ? 'read' : 'write' });
    }
  }
  return out;
}

const authTest = z
  .object({
    ok: z.boolean(),
    error: z.string().optional(),
    url: z.string().optional(),
    team: z.string().optional(),
    user: z.string().optional(),
    team_id: z.string().optional(),
    user_id: z.string().optional(),
    bot_id: z.string().optional(),
    enterprise_id: z.string().optional(),
    is_enterprise_install: z.boolean().optional(),
  })
  .passthrough();

const INACTIVE = new Set(['token_revoked', 'account_inactive', 'token_expired', 'team_disabled', 'org_login_required']);
const INVALID = new Set(['invalid_auth', 'not_authed', 'not_allowed_token_type']);

async function webhook(
  secret: string,
  http: Parameters<NonNullable<IssuerModule['lookup']>>[1],
): Promise<Partial<Access>> {
  let u: URL;
  try {
    u = new URL(secret);
  } catch {
    return { status: 'skipped', notes: ['not a URL'] };
  }
  // The URL's own host is never trusted: a hook not on hooks.slack.com is not Slack's to check.
  if (u.hostname !== 'hooks.slack.com')
    return { status: 'skipped', notes: [`webhook host ${u.hostname} is not hooks.slack.com: not sent`] };
  // Rebuild on the allowlisted (or overridden) base: only the path comes from the finding.
  const url = `${http.baseUrl(HOOKS)}${u.pathname}`;
  const res = await http.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body: '',
    readOnlyPost: true,
    retries: 1,
  });
  const bad = unusable(res, 'Slack webhook');
  if (bad) return bad;
  const text = res.text.trim();
  const parts = u.pathname.split('/').filter(Boolean);
  const identity = { account: parts[1], type: 'incoming-webhook' };
  if (res.status === 400 && /invalid_payload|no_text|missing_text/.test(text)) {
    return {
      status: 'live',
      identity,
      permissions: [{ resource: 'channel-messages', access: 'write' }],
      expiresAt: null,
      notes: ['webhook accepts posts to its channel'],
    };
  }
  if ([403, 404, 410].includes(res.status)) {
    if (/channel_is_archived|no_active_hooks|action_prohibited/.test(text))
      return { ...inactive(`Slack webhook: ${text}`), identity };
    return { ...invalid(`Slack webhook: ${text || `HTTP ${res.status}`}`), identity };
  }
  if (res.status === 200) return unknown('Slack webhook answered 200 to an empty payload (unexpected)');
  return unknown(`Slack webhook answered HTTP ${res.status}`);
}

export const slack: IssuerModule = {
  id: 'slack',
  name: 'Slack',
  hosts: ['slack.com', 'hooks.slack.com'],
  defaultBaseUrl: API,
  rate: { concurrency: 3, perSecond: 5 },
  decode(cred) {
    const tokenType = slackType(cred.secret) ?? cred.tokenType;
    const out: Partial<Access> = { tokenType, environment: 'production' };
    if (tokenType === 'session-token') out.notes = ['a browser session token: full user session'];
    return out;
  },
  planLookup(cred, http) {
    if (slackType(cred.secret) === 'incoming-webhook')
      return [`POST ${http.baseUrl(HOOKS)}${new URL(cred.secret).pathname}`];
    return [`POST ${http.baseUrl(API)}/api/auth.test`];
  },
  async lookup(cred, http) {
    const type = slackType(cred.secret);
    if (type === 'incoming-webhook') return webhook(cred.secret, http);
    if (type === 'refresh-token' || type === 'legacy-refresh-token' || type === 'session-cookie') {
      return { status: 'skipped', notes: [`a Slack ${type} has no read-only check on its own`] };
    }
    const headers: Record<string, string> = {
      ...bearer(cred.secret),
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (type === 'session-token') {
      const cookie = Object.values(cred.companions).find((v) => v.startsWith('xoxd-'));
      if (!cookie)
        return { status: 'skipped', notes: ['a session token (xoxc-) needs its d cookie (xoxd-) to be checked'] };
      headers.cookie = `d=${cookie}`;
    }
    const res = await http.request({
      method: 'POST',
      url: `${http.baseUrl(API)}/api/auth.test`,
      headers,
      body: '',
      readOnlyPost: true,
    });
    const bad = unusable(res, 'Slack');
    if (bad) return bad;
    const body = parse(res, authTest, 'Slack');
    if (!body.ok) return body.access;
    const b = body.data;
    if (!b.ok) {
      const err = b.error ?? 'unknown_error';
      if (INACTIVE.has(err)) return inactive(`Slack: ${err}`);
      if (INVALID.has(err)) return invalid(`Slack: ${err}`);
      if (err === 'ratelimited') return unknown('Slack rate-limited auth.test');
      return unknown(`Slack: ${err}`);
    }
    const header = res.headers['x-oauth-scopes'];
    const scopes = header
      ? header
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    return merge({
      status: 'live',
      identity: { org: b.team, account: b.team_id, user: b.user ?? b.user_id, type: b.bot_id ? 'bot' : 'user' },
      scopes,
      reach: [{ kind: 'workspaces', count: 1, sample: [b.url ?? b.team ?? b.team_id ?? ''].filter(Boolean) }],
      notes: [b.enterprise_id ? `enterprise ${b.enterprise_id}` : '', scopes ? '' : 'no x-oauth-scopes header'].filter(
        Boolean,
      ),
    });
  },
  scopeLevels: slackScopeLevels,
};
