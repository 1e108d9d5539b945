// Telegram bot tokens (ISSUERS.md §8). getMe (identity) and getWebhookInfo (where updates go). Never getUpdates: it
// would consume the owner's pending updates. The bot id is the part before ':' (offline).
import { z } from 'zod';
import type { Access } from '../types.js';
import { invalid, merge, parse, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.telegram.org';

export const telegram: IssuerModule = {
  id: 'telegram',
  name: 'Telegram',
  hosts: ['api.telegram.org'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode(cred) {
    const id = /^(\d{6,12}):/.exec(cred.secret)?.[1];
    return { tokenType: 'bot-token', identity: id ? { account: id, type: 'bot' } : undefined, expiresAt: null };
  },
  planLookup: (cred, http) => [
    `GET ${http.baseUrl(BASE)}/bot${cred.secret}/getMe`,
    `GET ${http.baseUrl(BASE)}/bot${cred.secret}/getWebhookInfo`,
  ],
  async lookup(cred, http) {
    const base = `${http.baseUrl(BASE)}/bot${cred.secret}`;
    const res = await http.request({ url: `${base}/getMe` });
    const bad = unusable(res, 'Telegram');
    if (bad) return bad;
    if (res.status === 401 || res.status === 404) return invalid('Telegram: Unauthorized');
    if (res.status !== 200) return unknown(`Telegram answered HTTP ${res.status}`);
    const me = parse(
      res,
      z.object({
        ok: z.literal(true),
        result: z
          .object({
            id: z.number(),
            is_bot: z.boolean(),
            username: z.string().optional(),
            first_name: z.string().optional(),
            can_read_all_group_messages: z.boolean().optional(),
            can_join_groups: z.boolean().optional(),
          })
          .passthrough(),
      }),
      'Telegram',
    );
    if (!me.ok) return me.access;
    const r = me.data.result;
    let out: Partial<Access> = {
      status: 'live',
      identity: { user: r.username ? `@${r.username}` : r.first_name, account: String(r.id), type: 'bot' },
      permissions: [{ resource: 'bot', access: 'admin' }],
      notes: [
        'a bot token is full control of the bot (no scopes)',
        ...(r.can_read_all_group_messages ? ['privacy mode off: reads all group messages'] : []),
      ],
    };
    const w = await http.request({ url: `${base}/getWebhookInfo`, retries: 0 });
    const info = parseOptional(
      w,
      z.object({
        ok: z.literal(true),
        result: z.object({ url: z.string(), pending_update_count: z.number().optional() }).passthrough(),
      }),
    );
    if (info) {
      let host = '';
      try {
        host = info.result.url ? new URL(info.result.url).host : '';
      } catch {
        host = '(unparsable URL)';
      }
      out = merge(out, {
        notes: [host ? `updates are delivered to a webhook at ${host}` : 'no webhook: updates are polled'],
      });
    }
    return out;
  },
};
