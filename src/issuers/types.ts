import type { Access, Finding, Permission } from '../types.js';

// One module per issuer (src/issuers/<id>.ts) implements IssuerModule and is listed in registry.ts.
// Stages: decode (offline, never any network) → verify+scope (read-only requests) → revoke (only under policy).

/** What a module gets for one finding: the secret, its companions, and the rule that found it. */
export interface Credential {
  secret: string;
  ruleId: string;
  tokenType?: string;
  /** Companion values by rule id (AWS secret for a key id, Twilio SID, shop domain…). */
  companions: Record<string, string>;
  /** The finding's fingerprint, for logs (never log the secret). */
  fingerprint: string;
}

/** The per-issuer HTTP handle: already bound to the issuer's allowlisted hosts and rate limits. */
export interface IssuerHttp {
  /**
   * Sends a request. `url` is absolute; its host must be in the module's allowlist (or be the configured base URL),
   * otherwise the request is refused before any socket is opened. Non-GET methods are refused unless `mutating: true`
   * is passed, which only revoke() may do.
   */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** The base URL for a named endpoint group: the override (config / KEYSCOPE_<ID>_BASE_URL) or the default. */
  baseUrl(defaultUrl: string): string;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Set only by revoke(): allows a state-changing request. */
  mutating?: boolean;
  /** POSTs that are read-only by the issuer's design (Slack auth.test, GraphQL queries, STS). */
  readOnlyPost?: boolean;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw body text (capped). */
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json?: unknown;
  /** true when the body looks like an HTML page (proxy/captive portal), which can never mean live. */
  html: boolean;
}

export interface RevokeResult {
  outcome: 'revoked' | 'already-revoked' | 'failed';
  status?: number;
  detail: string;
  /** The request made, redacted (method + URL without the secret). */
  request?: string;
}

export interface RevokePlan {
  /** Human-readable, redacted description of the request(s) revoke() would make. */
  requests: string[];
  reversible: boolean;
}

export interface IssuerModule {
  /** Matches the `issuer` field of rules. */
  id: string;
  name: string;
  /** Hosts this issuer's secrets may be sent to. Patterns may start with `*.` for subdomains. */
  hosts: string[];
  /** Default API base URL, overridable by `[issuers.<id>] baseUrl` or KEYSCOPE_<ID>_BASE_URL. */
  defaultBaseUrl?: string;
  /** Requests per second and concurrency the issuer tolerates. */
  rate?: { concurrency: number; perSecond?: number };
  /** Offline facts only: prefix, checksum, decodable payloads. Must never do I/O. */
  decode?(cred: Credential): Partial<Access>;
  /** Live check plus scope lookup with read-only requests. Must not throw for issuer errors: return status 'unknown' with notes. */
  lookup?(cred: Credential, http: IssuerHttp): Promise<Partial<Access>>;
  /** Describes revocation without doing it (dry run). */
  planRevoke?(cred: Credential): RevokePlan;
  /** Revokes the credential. Only called under an explicit policy with --yes. */
  revoke?(cred: Credential, http: IssuerHttp): Promise<RevokeResult>;
  /** Bulk revocation (GitHub's credential revocation API takes up to 1,000 tokens a request). */
  revokeMany?(creds: Credential[], http: IssuerHttp): Promise<Map<string, RevokeResult>>;
  /** For issuers without an API: console link and steps. */
  runbook?(cred: Credential): { consoleUrl: string; steps: string[] };
  /** Maps the issuer's scope names onto read/write/admin, for the risk model. */
  scopeLevels?(scopes: string[]): Permission[];
}

export type FindingForLookup = Pick<Finding, 'id' | 'ruleId' | 'issuer' | 'tokenType' | 'secret' | 'companions'>;
