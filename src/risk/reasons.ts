import type { Facts } from './facts.js';
import { issuerName, tokenTypeName } from './labels.js';
import type { NhiResult } from './nhi.js';

// Plain-language reasons, most important first. The first line is the whole story in one sentence:
// "live GitHub classic PAT of user X with admin:org and delete_repo; reaches 3 orgs and 214 repositories;
//  never expires; in a public repository's history since 2024-03-02".

const MAX_REASONS = 5;

function list(items: string[], max = 3): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  const head = shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : head;
}

export function keyLabel(f: Facts): string {
  const tt = f.finding.tokenType ?? f.finding.access?.tokenType;
  const kind = f.prior.specific || !tt ? f.prior.label : tokenTypeName(tt);
  // Families that are not issuers (a private key, a database URL) need no issuer name before the kind.
  const issuer = /^(generic|private-?key|database|jwt)$/i.test(f.finding.issuer)
    ? ''
    : `${issuerName(f.finding.issuer)} `;
  return `${issuer}${kind}`;
}

function statusWord(f: Facts): string {
  switch (f.status) {
    case 'live':
      return 'live';
    case 'inactive':
      return 'inactive';
    case 'invalid':
      return 'revoked or invalid';
    case 'unknown':
      return 'unverified';
    default:
      return 'unverified';
  }
}

function identityPhrase(f: Facts): string {
  const id = f.finding.access?.identity;
  if (!id) return '';
  if (/^root$/i.test(id.type ?? '')) return ` of the root user${id.account ? ` of account ${id.account}` : ''}`;
  if (id.user) return ` of user ${id.user}${id.org ? ` in ${id.org}` : ''}`;
  if (id.org) return ` of org ${id.org}`;
  if (id.project) return ` of project ${id.project}`;
  if (id.account) return ` of account ${id.account}`;
  if (id.email) return ` of ${id.email}`;
  return '';
}

function privilegePhrase(f: Facts): string {
  const p = f.privilege;
  if (p.escalation.length) return ` with privilege escalation (${list(p.escalation)})`;
  switch (p.level) {
    case 'admin':
      return p.admin.length ? ` with ${list(p.admin)}` : ' with full access';
    case 'write':
      return ` with write access${p.write.length ? ` (${list(p.write)})` : ''}`;
    case 'read':
      return ` read-only${p.read.length ? ` (${list(p.read)})` : ''}`;
    case 'none':
      return p.source === 'token-type' ? '' : ' with no scopes';
    default:
      return f.status === 'live' ? ', scopes unknown' : '';
  }
}

function reachPhrase(f: Facts): string | undefined {
  const r = f.reach;
  if (r.known) return r.parts.length ? `reaches ${list(r.parts, 4)}` : undefined;
  if (f.prior.accountWide && (f.status === 'live' || f.status === 'unknown' || f.status === 'skipped'))
    return 'account-wide';
  return undefined;
}

function lifetimePhrase(f: Facts): string | undefined {
  const l = f.lifetime;
  switch (l.kind) {
    case 'never':
      return 'never expires';
    case 'long':
      return l.expiresAt
        ? `valid until ${l.expiresAt}`
        : l.createdAt
          ? `long-lived (created ${l.createdAt})`
          : 'long-lived';
    case 'expires':
      return `expires in ${l.daysLeft} day${l.daysLeft === 1 ? '' : 's'} (${l.expiresAt})`;
    case 'short':
      return 'short-lived';
    case 'expired':
      return `expired on ${l.expiresAt}`;
    default:
      return undefined;
  }
}

function exposurePhrase(f: Facts): string | undefined {
  const x = f.exposure;
  if (x.inHead === undefined && x.places.length === 0) return undefined;
  const where =
    x.visibility === 'public'
      ? "a public repository's"
      : x.visibility === 'internal'
        ? "an internal repository's"
        : x.visibility === 'private'
          ? "a private repository's"
          : x.repos.length || x.inHead === false
            ? "the repository's"
            : '';
  const since = x.firstSeen ? ` since ${x.firstSeen}` : '';
  if (!where) return since ? `in the code${since}` : undefined;
  return x.inHead === false ? `in ${where} history${since}` : `in ${where} HEAD${since}`;
}

export function buildReasons(f: Facts, tags: NhiResult): string[] {
  const headParts = [`${statusWord(f)} ${keyLabel(f)}${identityPhrase(f)}${privilegePhrase(f)}`];
  for (const part of [reachPhrase(f), lifetimePhrase(f), exposurePhrase(f)]) if (part) headParts.push(part);
  const reasons = [headParts.join('; ')];

  if (f.status === 'inactive' || f.status === 'invalid') {
    reasons.push(
      `the issuer says this key is ${f.status === 'inactive' ? 'inactive (it may be re-enabled)' : 'revoked or invalid'}: low risk now, but it shows a leaking practice`,
    );
  } else if (f.status !== 'live') {
    reasons.push(
      `not verified${f.finding.access?.source === 'issuer' ? ' (lookup inconclusive)' : ' (offline facts only)'}: scored from the kind of key`,
    );
  }
  if (f.prior.incomplete) reasons.push('key id found without its secret nearby: the secret may sit elsewhere');
  if (tags.why.NHI8) reasons.push(tags.why.NHI8);
  if (tags.why.NHI9) {
    const x = f.exposure;
    reasons.push(`${tags.why.NHI9}: ${list(x.places, 3)}`);
  }
  if (f.env.environment === 'test') reasons.push('test-mode key: reaches sandbox data only');
  else if (f.env.onlyTestPaths && f.env.environment === 'unknown' && f.status !== 'live')
    reasons.push('only in test, fixture or example files: may be a test credential');
  if (f.exposure.forks > 0 && f.exposure.visibility)
    reasons.push(`the repository has ${f.exposure.forks} forks that may keep a copy`);
  return reasons.slice(0, MAX_REASONS);
}
