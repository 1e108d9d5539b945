// Small helpers every revocation provider uses: outcome builders, status mapping, companion lookups.
import { tenantHost } from '../../issuers/tenant.js';
import type { Credential, HttpResponse } from '../../issuers/types.js';
import type { RevokeResult } from '../types.js';

export function revoked(detail: string, status: number | undefined, request: string): RevokeResult {
  return { outcome: 'revoked', status, detail, request };
}

export function alreadyRevoked(detail: string, status: number | undefined, request: string): RevokeResult {
  return { outcome: 'already-revoked', status, detail, request };
}

export function failed(detail: string, status: number | undefined, request: string | undefined): RevokeResult {
  return { outcome: 'failed', status, detail, request };
}

/**
 * Cuts issuer text to `n` characters. A cut inside a word drops that word: an echoed key cut short would no longer
 * match its full value when details are scrubbed, and its remaining part would leak.
 */
export function clip(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n).replace(/\S*$/, '')}…`;
}

/** A short, secret-free description of an error body (issuers put their reason in different fields). */
export function reason(res: HttpResponse): string {
  if (res.html) return 'an HTML page (proxy or login wall), not an API answer';
  const j = res.json as Record<string, unknown> | undefined;
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  if (j && typeof j === 'object') {
    const errs = j.errors;
    const first = Array.isArray(errs) ? (errs[0] as Record<string, unknown> | string | undefined) : undefined;
    const msg =
      pick(j.message) ??
      pick(j.error_description) ??
      pick(j.error) ??
      pick(j.detail) ??
      (typeof first === 'string' ? first : (pick(first?.message) ?? pick(first?.detail))) ??
      pick((j.error as Record<string, unknown> | undefined)?.message);
    if (msg) return clip(msg, 160);
  }
  return clip(res.text.trim(), 120) || `HTTP ${res.status}`;
}

/**
 * The common mapping of a single revocation answer: success codes → revoked; the codes that mean "this token does
 * not authenticate any more" → already revoked (an idempotent no-op); anything else → failed.
 */
export function byStatus(
  res: HttpResponse,
  request: string,
  opts: { ok?: number[]; gone?: number[]; name: string },
): RevokeResult {
  const ok = opts.ok ?? [200, 202, 204];
  const gone = opts.gone ?? [401];
  if (res.html) return failed(`${opts.name} answered with ${reason(res)} (HTTP ${res.status})`, res.status, request);
  if (ok.includes(res.status))
    return revoked(`${opts.name} accepted the revocation (HTTP ${res.status})`, res.status, request);
  if (gone.includes(res.status)) {
    return alreadyRevoked(
      `${opts.name} no longer accepts this key (HTTP ${res.status}): already revoked or invalid`,
      res.status,
      request,
    );
  }
  if (res.status === 403) {
    return failed(
      `${opts.name} refused (HTTP 403: ${reason(res)}): the key may not revoke itself; see the runbook`,
      res.status,
      request,
    );
  }
  return failed(`${opts.name} answered HTTP ${res.status}: ${reason(res)}`, res.status, request);
}

/** The first companion value of this shape (companions are keyed by rule id; match by shape, not only by key). */
export function companion(cred: Credential, shape: RegExp, keyHint?: RegExp): string | undefined {
  const entries = Object.entries(cred.companions ?? {});
  const hinted = keyHint ? entries.filter(([k]) => keyHint.test(k)) : [];
  for (const [, v] of [...hinted, ...entries]) if (shape.test(v)) return v;
  return undefined;
}

/** `baseFor` of a provider on the customer's own host (acme.okta.com), found among the companions next to the key. */
export function tenantBaseFor(patterns: string[], hint: string): (cred: Credential) => string | undefined {
  return (cred) => {
    const host = tenantHost(cred.companions, patterns, hint);
    return host ? `https://${host}` : undefined;
  };
}

/** A host name out of a companion that may be a bare host or a URL (`https://acme.okta.com/`). */
export function hostFrom(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(v) ? v : `https://${v}`);
    return u.hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export const JSON_BODY = { 'content-type': 'application/json' };
export const FORM_BODY = { 'content-type': 'application/x-www-form-urlencoded' };
