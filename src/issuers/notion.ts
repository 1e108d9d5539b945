// Notion integration secrets (ISSUERS.md §32). GET /v1/users/me → the bot user, owner type and workspace. Reach: the
// pages and databases shared with the integration (POST /v1/search, read-only by design; one page of 100).
import { z } from 'zod';
import type { Access } from '../types.js';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.notion.com';
const VERSION = '2022-06-28';

export const notion: IssuerModule = {
  id: 'notion',
  name: 'Notion',
  hosts: ['api.notion.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 3 },
  capabilities: { scope: true },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('ntn_') ? 'integration-token' : 'legacy-integration-token',
    expiresAt: null,
  }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v1/users/me`, `POST ${http.baseUrl(BASE)}/v1/search`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const headers = { ...bearer(cred.secret), 'notion-version': VERSION };
    const res = await http.request({ url: `${base}/v1/users/me`, headers });
    const bad = standard(res, 'Notion');
    if (bad) return bad;
    const me = parse(
      res,
      z
        .object({
          object: z.literal('user'),
          id: z.string(),
          name: z.string().nullable().optional(),
          type: z.string().optional(),
          bot: z
            .object({
              owner: z.object({ type: z.string() }).passthrough().optional(),
              workspace_name: z.string().nullable().optional(),
            })
            .passthrough()
            .optional(),
        })
        .passthrough(),
      'Notion',
    );
    if (!me.ok) return me.access;
    const m = me.data;
    let out: Partial<Access> = {
      status: 'live',
      identity: {
        user: m.name ?? m.id,
        org: m.bot?.workspace_name ?? undefined,
        type: m.bot?.owner?.type ? `integration owned by ${m.bot.owner.type}` : m.type,
      },
      notes: ['integration capabilities are not exposed by the API'],
    };
    const s = await http.request({
      method: 'POST',
      url: `${base}/v1/search`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ page_size: 100 }),
      readOnlyPost: true,
    });
    const found = parseOptional(
      s,
      z
        .object({ results: z.array(z.object({ object: z.string() }).passthrough()), has_more: z.boolean().optional() })
        .passthrough(),
    );
    if (found) {
      const pages = found.results.filter((r) => r.object === 'page').length;
      const dbs = found.results.filter((r) => r.object === 'database').length;
      out = merge(out, {
        reach: [
          { kind: 'pages', count: pages },
          { kind: 'databases', count: dbs },
        ],
        permissions: found.results.length ? [{ resource: 'shared-pages', access: 'read' }] : [],
        notes: found.has_more ? ['more than 100 shared objects'] : [],
      });
    } else out = merge(out, { notes: [`search not readable (HTTP ${s.status})`] });
    return out;
  },
};
