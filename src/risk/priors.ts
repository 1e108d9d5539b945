import type { Finding } from '../types.js';
import type { Level } from './privilege/levels.js';
import { issuerKey } from './privilege/table.js';
import type { RuleInfo } from './types.js';

// What the kind of key tells before (or without) any lookup: its prefix, token type and rule.
// Used when the issuer did not report scopes/permissions, so offline-only findings still rank sensibly.

export interface Prior {
  /** A plain name for the kind of key ("AWS long-term access key"). */
  label: string;
  /** Privilege known offline (Stripe sk_live = full account access, pk_ = public). */
  level?: Level;
  /** Privilege value to assume when nothing is known (0..1, same scale as the levels). */
  privilege: number;
  /** Breadth to assume without reach data (0..1). */
  breadth: number;
  /** The key naturally covers a whole account/workspace. */
  accountWide?: boolean;
  lifetime?: 'short' | 'long';
  environment?: 'test' | 'production';
  /** Only part of a credential was found (AWS key id without its secret). */
  incomplete?: boolean;
  /** The label came from the kind of key (not the fallback). */
  specific?: boolean;
}

interface PriorRule {
  /** Tested against `issuer|tokenType|ruleId`, lower-case. */
  key?: RegExp;
  /** Tested against the secret's beginning (prefixes are the issuers' own type markers). */
  secret?: RegExp;
  prior: Omit<Prior, 'label'> & { label: string };
}

const P = (label: string, privilege: number, breadth: number, extra: Partial<Prior> = {}) => ({
  label,
  privilege,
  breadth,
  ...extra,
});

// First match wins: specific before general.
const RULES: PriorRule[] = [
  // Private keys unlock whatever trusts them; they never expire.
  { key: /private[-_]?key|pem|openssh|pkcs8|pgp|ssh-key/, prior: P('private key', 0.95, 0.9, { lifetime: 'long' }) },
  // AWS
  {
    key: /^aws\|/,
    secret: /^ASIA/,
    prior: P('temporary (STS) access key', 0.85, 0.93, { accountWide: true, lifetime: 'short' }),
  },
  {
    key: /^aws\|/,
    secret: /^(AKIA|ABIA|ACCA)/,
    prior: P('long-term access key', 0.95, 0.93, { accountWide: true, lifetime: 'long' }),
  },
  { key: /^aws\|/, prior: P('credential', 0.9, 0.93, { accountWide: true, lifetime: 'long' }) },
  // GitHub
  { secret: /^ghp_/, prior: P('classic PAT', 0.8, 0.85, { lifetime: 'long' }) },
  { secret: /^github_pat_/, prior: P('fine-grained PAT', 0.6, 0.75) },
  { secret: /^gho_/, prior: P('OAuth app token', 0.7, 0.85, { lifetime: 'long' }) },
  { secret: /^ghu_/, prior: P('GitHub App user token', 0.65, 0.8, { lifetime: 'short' }) },
  { secret: /^ghs_/, prior: P('GitHub App installation token', 0.7, 0.8, { lifetime: 'short' }) },
  { secret: /^ghr_/, prior: P('GitHub App refresh token', 0.65, 0.8) },
  // GitLab
  { secret: /^glpat-/, prior: P('personal access token', 0.8, 0.85) },
  {
    secret: /^(gldt-|glrt-|GR1348941|glptt-|glcbt-|glft-|glagent-)/,
    prior: P('GitLab deploy/runner/CI token', 0.55, 0.7),
  },
  // Stripe: the prefix says it all.
  {
    secret: /^sk_test_/,
    prior: P('secret key (test mode)', 1, 0.9, {
      level: 'admin',
      accountWide: true,
      environment: 'test',
      lifetime: 'long',
    }),
  },
  {
    secret: /^sk_live_/,
    prior: P('secret key (live mode)', 1, 0.93, {
      level: 'admin',
      accountWide: true,
      environment: 'production',
      lifetime: 'long',
    }),
  },
  {
    secret: /^rk_test_/,
    prior: P('restricted key (test mode)', 0.6, 0.9, { accountWide: true, environment: 'test', lifetime: 'long' }),
  },
  {
    secret: /^rk_live_/,
    prior: P('restricted key (live mode)', 0.6, 0.9, {
      accountWide: true,
      environment: 'production',
      lifetime: 'long',
    }),
  },
  { secret: /^pk_(live|test)_/, prior: P('publishable key (public by design)', 0.1, 0.5, { level: 'none' }) },
  { secret: /^whsec_/, prior: P('webhook signing secret', 0.5, 0.6, { lifetime: 'long' }) },
  // Slack
  { secret: /^xox[cd]-/, prior: P('browser session token', 1, 0.93, { level: 'admin', accountWide: true }) },
  { secret: /^xoxp-/, prior: P('user token', 0.8, 0.9, { accountWide: true, lifetime: 'long' }) },
  { secret: /^xoxb-/, prior: P('bot token', 0.7, 0.85, { accountWide: true, lifetime: 'long' }) },
  { secret: /^xox[ar]-/, prior: P('legacy workspace token', 0.85, 0.9, { accountWide: true, lifetime: 'long' }) },
  { secret: /^xapp-/, prior: P('app-level token', 0.6, 0.8, { lifetime: 'long' }) },
  {
    secret: /^https:\/\/hooks\.slack\.com\//,
    prior: P('incoming webhook', 0.45, 0.55, { level: 'write', lifetime: 'long' }),
  },
  { secret: /^npm_/, prior: P('access token', 0.8, 0.8) },
  { secret: /^pypi-/, prior: P('API token', 0.8, 0.8, { lifetime: 'long' }) },
  // OpenAI / Anthropic
  { secret: /^sk-admin-/, prior: P('organization admin key', 1, 0.93, { level: 'admin', accountWide: true }) },
  { secret: /^sk-ant-admin/, prior: P('organization admin key', 1, 0.93, { level: 'admin', accountWide: true }) },
  { secret: /^sk-(proj|svcacct)-/, prior: P('project API key', 0.7, 0.75) },
  { secret: /^sk-ant-api/, prior: P('API key', 0.7, 0.8) },
  // Google / GCP / Azure
  { key: /service[-_]?account|^gcp\|/, prior: P('service-account key', 0.85, 0.9, { lifetime: 'long' }) },
  { secret: /^AIza/, prior: P('API key', 0.55, 0.75, { lifetime: 'long' }) },
  { secret: /^ya29\./, prior: P('OAuth access token', 0.7, 0.8, { lifetime: 'short' }) },
  {
    key: /storage[-_]?(account[-_]?)?key|connection[-_]?string/,
    prior: P('storage account key', 1, 0.9, { level: 'admin', accountWide: true, lifetime: 'long' }),
  },
  { key: /\bsas\b|sas[-_]?token/, prior: P('SAS token', 0.6, 0.7) },
  // Supabase JWT roles decide it.
  {
    key: /service[-_]?role/,
    prior: P('service_role key (bypasses row-level security)', 1, 0.9, { level: 'admin', accountWide: true }),
  },
  { key: /supabase.*anon|anon[-_]?key/, prior: P('anon key (public by design)', 0.15, 0.5, { level: 'read' }) },
  // Chat bots and webhooks
  { key: /^telegram\|/, prior: P('bot token (full bot control)', 0.75, 0.6, { level: 'admin', lifetime: 'long' }) },
  { key: /^discord\|.*webhook/, prior: P('webhook', 0.4, 0.5, { level: 'write', lifetime: 'long' }) },
  { key: /^discord\|/, prior: P('bot token', 0.8, 0.75, { lifetime: 'long' }) },
  { key: /webhook/, prior: P('webhook URL', 0.4, 0.5, { level: 'write', lifetime: 'long' }) },
  // Account-wide keys without scopes
  {
    key: /^(mailchimp|netlify|vercel|linear|postman|circleci|heroku)\|/,
    prior: P('account token', 0.85, 0.9, { accountWide: true, lifetime: 'long' }),
  },
  {
    key: /^(datadog)\|.*(app|application)/,
    prior: P('application key', 0.75, 0.85, { accountWide: true, lifetime: 'long' }),
  },
  { key: /^(datadog)\|/, prior: P('API key (submit only)', 0.45, 0.7, { level: 'write', lifetime: 'long' }) },
  // Databases and brokers: the URL's user, usually the app's owner role.
  {
    key: /(postgres|mysql|mongo|redis|amqp|database|db)[-_]?(url|uri|connection)|^(database|postgres|mysql|mongodb|redis)\|/,
    prior: P('database credential', 0.9, 0.8, { lifetime: 'long' }),
  },
  {
    key: /basic[-_]?auth|url[-_]?password|credentials?[-_]?in[-_]?url/,
    prior: P('password in URL', 0.75, 0.7, { lifetime: 'long' }),
  },
  {
    key: /jwt.*sign|signing[-_]?secret/,
    prior: P('JWT signing secret (can mint any token)', 0.9, 0.85, { lifetime: 'long' }),
  },
  { key: /jwt/, prior: P('JWT', 0.6, 0.7) },
  { key: /generic|entropy|password|secret[-_]?assignment/, prior: P('secret-like value', 0.5, 0.7) },
];

const BY_SEVERITY: Record<string, [number, number]> = {
  critical: [1, 0.93],
  high: [0.9, 0.9],
  medium: [0.7, 0.8],
  low: [0.5, 0.75],
  info: [0.25, 0.6],
};

/** The prior for a finding: first matching rule, else the rule's base severity, else a middle default. */
export function priorFor(finding: Finding, info?: RuleInfo): Prior {
  const key = `${issuerKey(finding.issuer)}|${(finding.tokenType ?? info?.tokenType ?? '').toLowerCase()}|${finding.ruleId.toLowerCase()}`;
  const secret = finding.secret ?? '';
  let prior: Prior | undefined;
  for (const r of RULES) {
    if (r.key && !r.key.test(key)) continue;
    if (r.secret && !r.secret.test(secret)) continue;
    if (!r.key && !r.secret) continue;
    prior = { ...r.prior, specific: true };
    break;
  }
  if (!prior) {
    const sev = BY_SEVERITY[info?.severity ?? ''];
    prior = sev ? P('API key', sev[0], sev[1]) : P('API key', 0.65, 0.75);
  }
  // An AWS key id alone cannot be used: the secret half was not found.
  if (issuerKey(finding.issuer) === 'aws' && /^(AKIA|ASIA|ABIA|ACCA)/.test(secret) && !hasCompanion(finding)) {
    prior.incomplete = true;
    prior.privilege *= 0.6;
  }
  return prior;
}

function hasCompanion(finding: Finding): boolean {
  return Object.values(finding.companions ?? {}).some((v) => typeof v === 'string' && v.length > 0);
}
