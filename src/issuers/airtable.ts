// Airtable personal access tokens `pat<14>.<64 hex>` (ISSUERS.md §33). GET /v0/meta/whoami gives the user and the
// token's scopes; GET /v0/meta/bases (needs schema.bases:read) lists the bases it reaches with their permission level.
import { z } from 'zod';
import type { Permission } from '../types.js';
import { bearer, merge, parse, parseOptional, scopeTable, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.airtable.com';

const LEVEL: Record<string, Permission['access'] | undefined> = {
  read: 'read',
  comment: 'read',
  edit: 'write',
  create: 'admin',
  owner: 'admin',
};

export const airtableScopeLevels = scopeTable(
  {
    'data.records:read': { resource: 'records', access: 'read' },
    'data.records:write': { resource: 'records', access: 'write' },
    'data.recordComments:read': { resource: 'record-comments', access: 'read' },
    'data.recordComments:write': { resource: 'record-comments', access: 'write' },
    'schema.bases:read': { resource: 'bases', access: 'read' },
    'schema.bases:write': { resource: 'bases', access: 'write' },
    'webhook:manage': { resource: 'webhooks', access: 'write' },
    'block:manage': { resource: 'extensions', access: 'write' },
    'user.email:read': { resource: 'user-email', access: 'read' },
    'workspacesAndBases:read': { resource: 'workspaces', access: 'read' },
    'workspacesAndBases:write': { resource: 'workspaces', access: 'write' },
    'workspacesAndBases:manage': { resource: 'workspaces', access: 'admin' },
    'workspacesAndBases.shares:manage': { resource: 'shares', access: 'admin' },
  },
  // enterprise.* scopes administer the whole enterprise account.
  (s) =>
    s.startsWith('enterprise.')
      ? { resource: s.split(':')[0], access: s.endsWith(':read') ? 'read' : 'admin' }
      : undefined,
);

const whoami = z.object({ id: z.string(), email: z.string().optional(), scopes: z.array(z.string()).optional() });
const bases = z.object({
  bases: z.array(z.object({ id: z.string(), name: z.string().optional(), permissionLevel: z.string().optional() })),
  offset: z.string().optional(),
});

export const airtable: IssuerModule = {
  id: 'airtable',
  name: 'Airtable',
  hosts: ['api.airtable.com'],
  defaultBaseUrl: BASE,
  // Airtable allows ~5 requests per second per base and per token.
  rate: { concurrency: 2, perSecond: 4 },
  decode(cred) {
    if (/^pat[A-Za-z0-9]{14}\./.test(cred.secret)) return { tokenType: 'personal-access-token' };
    if (/^key[A-Za-z0-9]{14}$/.test(cred.secret)) {
      return { tokenType: 'legacy-api-key', notes: ['legacy API key: Airtable retired API keys on 2024-02-01'] };
    }
    return {};
  },
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/v0/meta/whoami`, `GET ${http.baseUrl(BASE)}/v0/meta/bases`],
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/v0/meta/whoami`, headers: bearer(cred.secret) });
    const bad = standard(res, 'Airtable');
    if (bad) return bad;
    const me = parse(res, whoami, 'Airtable');
    if (!me.ok) return me.access;
    const scopes = me.data.scopes ?? [];
    const out = merge({
      status: 'live',
      identity: { user: me.data.id, email: me.data.email },
      scopes,
      permissions: airtableScopeLevels(scopes),
      // PATs do not expire; they are revoked in the developer hub.
      expiresAt: null,
    });
    if (!scopes.includes('schema.bases:read'))
      return merge(out, { notes: ['bases not listed: the token lacks schema.bases:read'] });
    const b = await http.request({ url: `${base}/v0/meta/bases`, headers: bearer(cred.secret) });
    const list = parseOptional(b, bases);
    if (!list) return merge(out, { notes: [`bases not readable (HTTP ${b.status})`] });
    const perms: Permission[] = [];
    for (const x of list.bases) {
      const level = LEVEL[x.permissionLevel ?? ''];
      if (level) perms.push({ resource: `base:${x.name ?? x.id}`, access: level });
    }
    return merge(out, {
      reach: [{ kind: 'bases', count: list.bases.length, sample: list.bases.slice(0, 5).map((x) => x.name ?? x.id) }],
      permissions: perms,
      notes: list.offset ? ['more bases than one page; count is a lower bound'] : undefined,
    });
  },
  scopeLevels: airtableScopeLevels,
  runbook: () => ({
    consoleUrl: 'https://airtable.com/create/tokens',
    steps: [
      'Open the developer hub → Personal access tokens',
      'Find the token by its id (the part before the dot)',
      'Delete or regenerate it',
    ],
  }),
};
