// Hugging Face tokens (ISSUERS.md §15). GET /api/whoami-v2: owner, orgs with roles, the token's role
// (read/write/fineGrained) and fine-grained scoped permissions.
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, dedupePermissions, parse, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://huggingface.co';

const whoami = z
  .object({
    type: z.string().optional(),
    name: z.string(),
    email: z.string().nullable().optional(),
    orgs: z.array(z.object({ name: z.string(), roleInOrg: z.string().optional() }).passthrough()).optional(),
    auth: z
      .object({
        accessToken: z
          .object({
            displayName: z.string().optional(),
            role: z.string(),
            createdAt: z.string().optional(),
            fineGrained: z
              .object({
                global: z.array(z.string()).optional(),
                scoped: z
                  .array(
                    z
                      .object({
                        entity: z.object({ type: z.string(), name: z.string() }).passthrough(),
                        permissions: z.array(z.string()),
                      })
                      .passthrough(),
                  )
                  .optional(),
              })
              .passthrough()
              .optional(),
          })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** `repo.content.read`, `repo.write`, `inference.serverless.write`… → levels per area. */
export function hfScopeLevels(scopes: string[]): Permission[] {
  const out: Permission[] = [];
  for (const s of scopes) {
    if (s === 'read') out.push({ resource: 'repos', access: 'read' });
    else if (s === 'write') out.push({ resource: 'repos', access: 'write' });
    else {
      const [target, perm] = s.includes(':') ? s.split(':', 2) : ['', s];
      const area = perm.split('.')[0];
      const access: Permission['access'] = /manage|admin/.test(perm) ? 'admin' : /write/.test(perm) ? 'write' : 'read';
      out.push({ resource: target ? `${target}/${area}` : area, access });
    }
  }
  return dedupePermissions(out);
}

export const huggingface: IssuerModule = {
  id: 'huggingface',
  name: 'Hugging Face',
  hosts: ['huggingface.co'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 2 },
  decode: (cred) => ({
    tokenType: cred.secret.startsWith('api_org_') ? 'org-token' : 'user-token',
    environment: 'production',
  }),
  planLookup: (_cred, http) => [`GET ${http.baseUrl(BASE)}/api/whoami-v2`],
  async lookup(cred, http) {
    const res = await http.request({ url: `${http.baseUrl(BASE)}/api/whoami-v2`, headers: bearer(cred.secret) });
    const bad = standard(res, 'Hugging Face');
    if (bad) return bad;
    const body = parse(res, whoami, 'Hugging Face');
    if (!body.ok) return body.access;
    const w = body.data;
    const tok = w.auth?.accessToken;
    const scopes: string[] = [];
    if (tok?.role && tok.role !== 'fineGrained') scopes.push(tok.role);
    for (const g of tok?.fineGrained?.global ?? []) scopes.push(g);
    for (const s of tok?.fineGrained?.scoped ?? [])
      for (const p of s.permissions) scopes.push(`${s.entity.type}/${s.entity.name}:${p}`);
    const orgs = w.orgs ?? [];
    const out: Partial<Access> = {
      status: 'live',
      tokenType: tok?.role === 'fineGrained' ? 'fine-grained-token' : tok?.role ? `${tok.role}-token` : undefined,
      identity: { user: w.name, email: w.email ?? undefined, type: w.type, org: orgs[0]?.name },
      scopes,
      createdAt: tok?.createdAt,
      reach: orgs.length
        ? [
            {
              kind: 'orgs',
              count: orgs.length,
              sample: orgs.slice(0, 5).map((o) => `${o.name} (${o.roleInOrg ?? '?'})`),
            },
          ]
        : undefined,
      notes: tok?.displayName ? [`token "${tok.displayName}"`] : undefined,
      expiresAt: null,
    };
    const adminOrgs = orgs.filter((o) => o.roleInOrg === 'admin');
    if (adminOrgs.length && (tok?.role === 'write' || scopes.some((s) => /write|manage/.test(s)))) {
      out.permissions = [
        ...hfScopeLevels(scopes),
        ...adminOrgs.map((o) => ({ resource: `org/${o.name}`, access: 'admin' as const })),
      ];
    }
    return out;
  },
  scopeLevels: hfScopeLevels,
};
