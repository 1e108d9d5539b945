import type { Access, Finding, Permission } from '../types.js';

// One module per issuer (src/issuers/<id>.ts) implements IssuerModule and is listed in all-a.ts / all-b.ts.
// Stages: decode (offline, never any network) → lookup (verify + scope, read-only requests) → revoke (only under policy).
// See src/issuers/README.md for how to add one.

/** What a module gets for one finding: the secret, its companions, and the rule that found it. */
export interface Credential {
  secret: string;
  ruleId: string;
  tokenType?: string;
  /** Companion values by rule id (AWS secret for a key id, Twilio SID, shop domain…). Match by shape, not only by key. */
  companions: Record<string, string>;
  /** The finding's fingerprint, for logs (never log the secret). */
  fingerprint: string;
  /** The run's clock (tests pin it); decode() compares expiries against it. Defaults to the current time. */
  now?: Date;
}

/** The per-credential HTTP handle: already bound to the issuer's allowlisted hosts, rate limits and redaction. */
export interface IssuerHttp {
  /**
   * Sends a request. `url` is absolute; its host must be in the module's allowlist (or be the configured base URL),
   * otherwise the request is refused before any socket is opened. Non-GET methods are refused unless `readOnlyPost`
   * (lookups) or `mutating` (only on the handle given to revoke()) is set. Throws on refusal, timeout or network error;
   * the framework turns a throw into status 'unknown' with a redacted note.
   */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** A fetch-compatible function over request() (GET/HEAD only, unless the init says otherwise), for SDKs (octokit). */
  fetch(input: string | URL, init?: FetchInit): Promise<Response>;
  /** The base URL for a named endpoint group: the override (config / KEYSCOPE_<ID>_BASE_URL) or the default. */
  baseUrl(defaultUrl: string): string;
  /** The configured override, if any (e.g. GitHub Enterprise Server, GitLab self-managed, a test's fake). */
  readonly override?: string;
}

export interface FetchInit {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: AbortSignal | null;
  redirect?: string;
  /** keyscope extension: mark a POST as read-only by design (GraphQL query, STS). */
  readOnlyPost?: boolean;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Set only by revoke(): allows a state-changing request. Refused on a lookup handle. */
  mutating?: boolean;
  /**
   * POSTs that are read-only by the issuer's design (Slack auth.test, GraphQL queries, STS Get*, OAuth token grants)
   * or probes built to fail (a webhook POST with an invalid payload). GraphQL `mutation` bodies are refused anyway.
   */
  readOnlyPost?: boolean;
  timeoutMs?: number;
  /** Overrides the client's retry count for this request (0 = no retry). */
  retries?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Raw body text (capped). */
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json?: unknown;
  /** true when the body looks like an HTML page (proxy/captive portal), which can never mean live. */
  html: boolean;
  /** The body was cut at the size cap. */
  truncated?: boolean;
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

export interface Capabilities {
  verify: boolean;
  scope: boolean;
  revoke: boolean;
}

export interface IssuerModule {
  /** Matches the `issuer` field of rules. */
  id: string;
  name: string;
  /** Hosts this issuer's secrets may be sent to (https only). Patterns may start with `*.` for subdomains. */
  hosts: string[];
  /** Default API base URL, overridable by `[issuers.<id>] baseUrl` or KEYSCOPE_<ID>_BASE_URL. */
  defaultBaseUrl?: string;
  /** Requests per second and concurrency the issuer tolerates. */
  rate?: { concurrency: number; perSecond?: number };
  /**
   * What `keyscope rules list` shows. Default: verify = has lookup(), scope = has scopeLevels(), revoke = has revoke()
   * or revokeMany(). Set explicitly when a lookup reports scope without a scope vocabulary (e.g. "full bot control").
   */
  capabilities?: Partial<Capabilities>;
  /** Offline facts only: prefix, checksum, decodable payloads. Must never do I/O. May set status (e.g. expired → inactive). */
  decode?(cred: Credential): Partial<Access>;
  /**
   * Live check plus scope lookup with read-only requests. Issuer errors → status 'unknown' with notes (a throw is
   * also turned into 'unknown' by the framework). A secondary request failing adds a note; it never flips 'live'.
   */
  lookup?(cred: Credential, http: IssuerHttp): Promise<Partial<Access>>;
  /** The requests lookup() would make, as `METHOD URL` (for --plan; the framework redacts). Default: GET defaultBaseUrl. */
  planLookup?(cred: Credential, http: IssuerHttp): string[];
  /** Describes revocation without doing it (dry run). */
  planRevoke?(cred: Credential): RevokePlan;
  /** Revokes the credential. Only called under an explicit policy with --yes; `http` allows `mutating` requests. */
  revoke?(cred: Credential, http: IssuerHttp): Promise<RevokeResult>;
  /** Bulk revocation (GitHub's credential revocation API takes up to 1,000 tokens a request). Keys: fingerprints. */
  revokeMany?(creds: Credential[], http: IssuerHttp): Promise<Map<string, RevokeResult>>;
  /** For issuers without an API: console link and steps. */
  runbook?(cred: Credential): { consoleUrl: string; steps: string[] };
  /** Maps the issuer's scope names onto read/write/admin, for the risk model. */
  scopeLevels?(scopes: string[]): Permission[];
}

export type FindingForLookup = Pick<Finding, 'id' | 'ruleId' | 'issuer' | 'tokenType' | 'secret' | 'companions'>;
