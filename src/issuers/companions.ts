// Which companion values are secrets and which only name things. Secrets (AWS secret access key, session tokens,
// client secrets, passwords, API keys paired with another key) are scrubbed from everything keyscope writes;
// identifiers (usernames, emails, hosts, sites, account SIDs, key ids, tenant/client ids, org names, resource URLs)
// stay readable, so an identity the issuer answers with (a Docker Hub username, an Atlassian email, an Okta host) is
// not shown redacted. The decision follows the companion rule's tokenType in the catalog; rule ids the catalog does
// not know fall back to the value's shape, and anything unclear counts as a secret.
import { loadRules } from '../detect/rules/load.js';

let catalog: Map<string, string> | undefined;

/** Companion rule id → tokenType, from the built-in catalog (loaded once, on first need). */
function catalogTypes(): Map<string, string> {
  if (!catalog) {
    try {
      catalog = new Map(loadRules().map((r) => [r.id, r.tokenType]));
    } catch {
      // A broken rule file must not stop a lookup: every companion then falls back to its shape.
      catalog = new Map();
    }
  }
  return catalog;
}

const SECRET_WORD = /secret|password|passwd|passphrase|token|cookie|private|signature|credential|key$/;
const IDENTIFIER_TAIL =
  /(?:^|-)(?:email|username|user|login|name|site|domain|host|url|address|endpoint|sid|id|org|organization|tenant|region|workspace)$/;

/** A tokenType that names something (username, site, account-sid, tenant-id…) rather than unlocking it. */
export function identifierTokenType(tokenType: string): boolean {
  const t = tokenType.toLowerCase();
  return !SECRET_WORD.test(t) && IDENTIFIER_TAIL.test(t);
}

/** A value that carries a secret whatever its rule says: a password in a URL, a query string (SAS, tokens). */
function carriesSecret(value: string): boolean {
  return /:\/\/[^/@\s]*:[^/@\s]*@/.test(value) || /[?&][A-Za-z0-9_-]+=/.test(value);
}

/** Shapes that name things, for companion rule ids the catalog does not know. */
const IDENTIFIER_SHAPE =
  /^(?:(?:https?:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?::\d{1,5})?(?:\/[^\s?#]*)?|[^@\s]+@[a-z0-9.-]+|(?:AC|SK|AKIA|ASIA|ABIA|ACCA)[A-Za-z0-9]{16,32})$/i;

/** True when the companion value must be scrubbed (it is, or carries, a secret). */
export function companionIsSecret(ruleId: string, value: string): boolean {
  if (carriesSecret(value)) return true;
  const type = catalogTypes().get(ruleId);
  if (type !== undefined) return !identifierTokenType(type);
  return !IDENTIFIER_SHAPE.test(value);
}

/** The companion values to scrub. */
export function secretCompanionValues(companions: Record<string, string> | undefined): string[] {
  return Object.entries(companions ?? {})
    .filter(([id, v]) => typeof v === 'string' && v && companionIsSecret(id, v))
    .map(([, v]) => v);
}
