// Discord (ISSUERS.md §9). Bot tokens: GET /api/v10/users/@me with `Bot <token>`; the first segment is the bot's user
// id in base64 (offline). Webhooks: GET <webhook> (read-only) → id, guild, channel, name. Discord bans IPs that send
// many failing requests, so the pace is low.
import { z } from 'zod';
import type { Access } from '../types.js';
import { invalid, merge, parse, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://discord.com';
const HOOK =
  /^https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/(\d{17,20})\/([A-Za-z0-9_-]+)/;

function botId(secret: string): string | undefined {
  const first = secret.split('.')[0];
  try {
    const id = Buffer.from(first, 'base64').toString('utf8');
    return /^\d{17,20}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export const discord: IssuerModule = {
  id: 'discord',
  name: 'Discord',
  hosts: ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode(cred) {
    if (/^https?:\/\//.test(cred.secret)) {
      const m = HOOK.exec(cred.secret);
      return { tokenType: 'webhook', identity: m ? { account: `webhook ${m[1]}` } : undefined, expiresAt: null };
    }
    const id = botId(cred.secret);
    return { tokenType: 'bot-token', identity: id ? { user: id, type: 'bot' } : undefined, expiresAt: null };
  },
  planLookup(cred, http) {
    const m = HOOK.exec(cred.secret);
    if (m) return [`GET ${http.baseUrl(BASE)}/api/webhooks/${m[1]}/${m[2]}`];
    return [`GET ${http.baseUrl(BASE)}/api/v10/users/@me`, `GET ${http.baseUrl(BASE)}/api/v10/users/@me/guilds`];
  },
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    if (/^https?:\/\//.test(cred.secret)) {
      const m = HOOK.exec(cred.secret);
      // Only Discord's own webhook URLs; the path is rebuilt on the (overridable) base.
      if (!m) return { status: 'skipped', notes: ['not a discord.com webhook URL: not sent'] };
      const res = await http.request({ url: `${base}/api/webhooks/${m[1]}/${m[2]}`, retries: 1 });
      const bad = unusable(res, 'Discord');
      if (bad) return bad;
      if (res.status === 401 || res.status === 404) return invalid('Discord: Unknown Webhook');
      if (res.status !== 200) return unknown(`Discord answered HTTP ${res.status}`);
      const body = parse(
        res,
        z
          .object({
            id: z.string(),
            name: z.string().nullable().optional(),
            guild_id: z.string().nullable().optional(),
            channel_id: z.string().nullable().optional(),
          })
          .passthrough(),
        'Discord',
      );
      if (!body.ok) return body.access;
      return {
        status: 'live',
        identity: { account: body.data.guild_id ?? undefined, user: body.data.name ?? undefined, type: 'webhook' },
        permissions: [{ resource: `channel/${body.data.channel_id ?? '?'}`, access: 'write' }],
        notes: ['anyone with the URL can post to the channel, or delete the webhook'],
      };
    }
    const headers = { authorization: `Bot ${cred.secret}` };
    const res = await http.request({ url: `${base}/api/v10/users/@me`, headers, retries: 1 });
    const bad = unusable(res, 'Discord');
    if (bad) return bad;
    if (res.status === 401) return invalid('Discord: 401 Unauthorized');
    if (res.status !== 200) return unknown(`Discord answered HTTP ${res.status}`);
    const me = parse(
      res,
      z.object({ id: z.string(), username: z.string(), bot: z.boolean().optional() }).passthrough(),
      'Discord',
    );
    if (!me.ok) return me.access;
    let out: Partial<Access> = {
      status: 'live',
      identity: { user: me.data.username, account: me.data.id, type: me.data.bot ? 'bot' : 'user' },
      permissions: [{ resource: 'bot', access: 'admin' }],
      notes: ['a bot token is full control of the bot'],
    };
    const g = await http.request({ url: `${base}/api/v10/users/@me/guilds`, headers, retries: 0 });
    const guilds = parseOptional(
      g,
      z.array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            owner: z.boolean().optional(),
            permissions: z.string().optional(),
          })
          .passthrough(),
      ),
    );
    if (guilds) {
      // Permission bit 3 = ADMINISTRATOR.
      const admin = guilds.filter((x) => x.permissions && (BigInt(x.permissions) & 8n) === 8n);
      out = merge(out, {
        reach: [{ kind: 'guilds', count: guilds.length, sample: guilds.slice(0, 5).map((x) => x.name) }],
      });
      if (admin.length)
        out = merge(out, {
          notes: [`administrator in ${admin.length} guild(s)`],
          permissions: admin.map((x) => ({ resource: `guild/${x.name}`, access: 'admin' as const })),
        });
    } else out = merge(out, { notes: [`guilds not listed (HTTP ${g.status})`] });
    return out;
  },
};
