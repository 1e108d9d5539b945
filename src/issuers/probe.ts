// Small helpers every issuer module uses to turn HTTP answers into Access facts without ever calling a bad
// answer 'live': an HTML page, a 429/5xx, a redirect or an unexpected JSON shape is 'unknown' with a note.
import type { z } from 'zod';
import type { Access, Permission } from '../types.js';
import type { HttpResponse } from './types.js';

export function unknown(note: string): Partial<Access> {
  return { status: 'unknown', notes: [note] };
}

export function invalid(note: string): Partial<Access> {
  return { status: 'invalid', notes: [note] };
}

export function inactive(note: string): Partial<Access> {
  return { status: 'inactive', notes: [note] };
}

/**
 * The answer is not a usable issuer answer at all (HTML page, rate limit, server error, redirect): 'unknown'.
 * Returns undefined when the caller should look at the status code itself.
 */
export function unusable(res: HttpResponse, what = 'issuer'): Partial<Access> | undefined {
  if (res.html) return unknown(`${what} answered HTTP ${res.status} with an HTML page (proxy or outage?), not its API`);
  if (res.status === 429) return unknown(`${what} rate-limited the lookup (HTTP 429)`);
  if (res.status >= 500) return unknown(`${what} error HTTP ${res.status}`);
  if (res.status >= 300 && res.status < 400) return unknown(`${what} redirected (HTTP ${res.status}); not followed`);
  return undefined;
}

/**
 * The common REST pattern: 2xx = go on, 401 = invalid, anything else unusable/unknown.
 * `invalidOn` adds codes that mean a rejected credential for this issuer (e.g. 403 for Datadog).
 */
export function standard(res: HttpResponse, what: string, invalidOn: number[] = [401]): Partial<Access> | undefined {
  const bad = unusable(res, what);
  if (bad) return bad;
  if (invalidOn.includes(res.status)) return invalid(`${what} rejected the credential (HTTP ${res.status})`);
  if (res.status < 200 || res.status >= 300) return unknown(`${what} answered HTTP ${res.status}`);
  return undefined;
}

/** Validates a JSON body with zod. */
export function parse<T extends z.ZodType>(
  res: HttpResponse,
  schema: T,
  what = 'issuer',
): { ok: true; data: z.infer<T> } | { ok: false; access: Partial<Access> } {
  if (res.json === undefined) return { ok: false, access: unknown(`${what} answered HTTP ${res.status} without JSON`) };
  const r = schema.safeParse(res.json);
  if (!r.success) {
    const where = r.error.issues[0]?.path.join('.') || '(root)';
    return { ok: false, access: unknown(`${what} answered an unexpected shape (at ${where})`) };
  }
  return { ok: true, data: r.data };
}

/** Like parse() but for secondary requests: returns undefined instead of an Access, and a note to add. */
export function parseOptional<T extends z.ZodType>(res: HttpResponse, schema: T): z.infer<T> | undefined {
  if (res.html || res.status < 200 || res.status >= 300) return undefined;
  const r = schema.safeParse(res.json);
  return r.success ? r.data : undefined;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** Seconds since the epoch → ISO, or undefined. */
export function isoFromEpoch(secs: unknown): string | undefined {
  if (typeof secs !== 'number' || !Number.isFinite(secs) || secs <= 0) return undefined;
  return new Date(secs * 1000).toISOString();
}

/** A date string → ISO, or undefined when it does not parse. */
export function isoFromDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const t = Date.parse(value.replace(/ UTC$/, 'Z').replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2'));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Merges facts, concatenating notes and reach, later objects winning for scalar fields. */
export function merge(...parts: (Partial<Access> | undefined)[]): Partial<Access> {
  const out: Partial<Access> = {};
  for (const p of parts) {
    if (!p) continue;
    const { notes, reach, identity, permissions, ...rest } = p;
    Object.assign(out, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (identity) out.identity = { ...(out.identity ?? {}), ...stripUndefined(identity) };
    if (notes?.length) out.notes = [...(out.notes ?? []), ...notes];
    if (reach?.length) out.reach = [...(out.reach ?? []), ...reach];
    if (permissions?.length) out.permissions = dedupePermissions([...(out.permissions ?? []), ...permissions]);
  }
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

const LEVEL = { read: 1, write: 2, admin: 3 } as const;

/** One entry per resource, keeping the highest level. */
export function dedupePermissions(perms: Permission[]): Permission[] {
  const best = new Map<string, Permission>();
  for (const p of perms) {
    const cur = best.get(p.resource);
    if (!cur || LEVEL[p.access] > LEVEL[cur.access]) best.set(p.resource, p);
  }
  return [...best.values()];
}

/**
 * Builds a scopeLevels() from a table: exact scope → permissions, plus prefix rules (`admin:` → admin…).
 * Unknown scopes map to nothing (the risk model sees them in `scopes`).
 */
export function scopeTable(
  table: Record<string, Permission | Permission[]>,
  fallback?: (scope: string) => Permission | Permission[] | undefined,
): (scopes: string[]) => Permission[] {
  return (scopes) => {
    const out: Permission[] = [];
    for (const s of scopes) {
      const hit = table[s] ?? fallback?.(s);
      if (!hit) continue;
      out.push(...(Array.isArray(hit) ? hit : [hit]));
    }
    return dedupePermissions(out);
  };
}

/** Finds a companion by shape (rule ids differ between catalogs), preferring keys containing `hint`. */
export function companion(companions: Record<string, string>, shape: RegExp, hint?: string): string | undefined {
  const entries = Object.entries(companions ?? {});
  const ordered = hint
    ? [...entries.filter(([k]) => k.includes(hint)), ...entries.filter(([k]) => !k.includes(hint))]
    : entries;
  for (const [, v] of ordered) if (shape.test(v)) return v;
  return undefined;
}
