// Shapes shared by the revocation stage: providers (one per issuer, src/revoke/providers/<id>.ts), the plan, the run.
import type { Credential, IssuerHttp, RevokeResult } from '../issuers/types.js';

export type { RevokeResult };

/** What a provider gets for one revocation: the bound HTTP handle (mutating allowed) and the resolved base URL. */
export interface RevokeContext {
  http: IssuerHttp;
  /** Override (config / KEYSCOPE_<ID>_BASE_URL), else the provider's per-credential or default base, no trailing slash. */
  base: string;
  /** True when the base URL came from an override (GHES, self-managed GitLab, a test's fake). */
  overridden: boolean;
  env: NodeJS.ProcessEnv;
}

/** Budget for issuers with an hourly request cap (GitHub /credentials/revoke: 60 an hour). */
export interface RequestBudget {
  /** Takes one request from the budget of `key`; false when `max` requests were already made in the window. */
  take(key: string, max: number, windowMs: number): boolean;
  /** When the oldest request of the window expires (ISO), for messages. */
  resetsAt(key: string, windowMs: number): string | undefined;
}

export interface ManyContext {
  /** Binds an HTTP handle for a batch; `secrets` are scrubbed from logs and errors. */
  bind(secrets: string[]): IssuerHttp;
  base: string;
  overridden: boolean;
  env: NodeJS.ProcessEnv;
  budget: RequestBudget;
}

export interface RevokeProvider {
  /** Issuer id, as in the rules' `issuer` field. */
  issuer: string;
  name: string;
  /** Hosts revocation requests may go to (https). `*.example.com` = any subdomain. */
  hosts: string[];
  defaultBaseUrl: string;
  rate?: { concurrency: number; perSecond?: number };
  /** Per-credential base URL when the host comes from a companion (Okta org, Shopify shop, JFrog host…). */
  baseFor?(cred: Credential): string | undefined;
  /** Why this credential cannot be revoked through the API (it then gets the manual runbook); undefined = it can. */
  unsupported?(cred: Credential, base: { base?: string; overridden: boolean }): string | undefined;
  /** Whether the action can be undone (AWS Inactive can be re-activated; most revocations cannot). */
  reversible?: boolean;
  /** 'deactivate' for reversible switches (AWS Status=Inactive), else 'revoke'. */
  action?: 'revoke' | 'deactivate';
  /** The requests revoke() would make, as `METHOD URL [note]`, without the secret (the framework scrubs too). */
  plan(cred: Credential, base: string, overridden: boolean): string[];
  revoke(cred: Credential, ctx: RevokeContext): Promise<RevokeResult>;
  /** Bulk revocation (GitHub: up to 1,000 tokens a request). Keys of the result: fingerprints. */
  revokeMany?(creds: Credential[], ctx: ManyContext): Promise<Map<string, RevokeResult>>;
  /** Revocation takes effect after a moment (GitHub answers 202): verification retries a still-live key. */
  eventual?: boolean;
}
