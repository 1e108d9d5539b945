// Multi-tenant issuers (Okta org, Atlassian site, Databricks workspace, Grafana stack, JFrog, Vault on HCP…) take their
// API host from a companion match. The host is used only when it matches one of the module's own allowlist patterns:
// arbitrary file content can never steer a secret to a host of its choosing. A configured base URL override wins.
import { hostMatches } from './http.js';
import type { Credential, IssuerHttp } from './types.js';

const HOST_LIKE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/)?([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)+)(:\d{1,5})?(?:[/?#].*)?$/i;

/** The hostname inside a companion value (a bare host or a URL), lower-cased; undefined when there is none. */
export function hostOf(value: string): string | undefined {
  const m = HOST_LIKE.exec(value.trim());
  return m ? m[1].toLowerCase() : undefined;
}

/** The first companion whose host matches one of `patterns`, preferring companion rule ids containing `hint`. */
export function tenantHost(companions: Record<string, string>, patterns: string[], hint?: string): string | undefined {
  const entries = Object.entries(companions ?? {});
  const ordered = hint
    ? [...entries.filter(([k]) => k.includes(hint)), ...entries.filter(([k]) => !k.includes(hint))]
    : entries;
  for (const [, v] of ordered) {
    const m = HOST_LIKE.exec(v.trim());
    if (!m) continue;
    const host = m[1].toLowerCase();
    // host[:port]: Vault listens on 8200.
    if (patterns.some((p) => hostMatches(host, p))) return host + (m[2] ?? '');
  }
  return undefined;
}

export interface TenantBase {
  /** Base URL (no trailing slash) or undefined when no usable host is known. */
  base?: string;
  /** Why there is no base, for the Access notes. */
  note?: string;
}

/**
 * The base URL for a tenant-hosted issuer: the override, else `https://<companion host>` when the host matches the
 * patterns. `what` names the missing piece in the note ("the Okta org URL").
 */
export function tenantBase(
  id: string,
  cred: Credential,
  http: IssuerHttp,
  patterns: string[],
  what: string,
  hint?: string,
): TenantBase {
  if (http.override) return { base: http.override };
  const host = tenantHost(cred.companions, patterns, hint);
  if (host) return { base: `https://${host}` };
  const seen = Object.values(cred.companions ?? {})
    .map(hostOf)
    .filter((h): h is string => Boolean(h));
  if (seen.length) {
    return {
      note: `${what} found nearby is not on the allowlist (${patterns.join(', ')}); set [issuers.${id}] baseUrl for a self-hosted one`,
    };
  }
  return { note: `needs ${what} (none found near the secret); set [issuers.${id}] baseUrl to verify` };
}
