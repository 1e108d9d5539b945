import type { Recommendation } from '../types.js';
import type { Facts } from './facts.js';
import { issuerName } from './labels.js';
import { issuerKey } from './privilege/table.js';

// Least-privilege advice: the narrowest credential that would do the key's apparent job, the steps to
// get there, and where the key is revoked or rotated. Every issuer in ISSUERS.md has an entry; others
// get the generic advice.

interface Advisor {
  console?: string | ((f: Facts) => string | undefined);
  /** How to kill the leaked key (first step). */
  revoke: string;
  replacement: (f: Facts) => string;
  /** Extra issuer-specific steps after revocation. */
  extra?: string[];
}

function inCi(f: Facts): boolean {
  return f.finding.occurrences.some((o) =>
    /(^|\/)\.github\/workflows\/|\.gitlab-ci\.yml$|(^|\/)\.circleci\//.test(o.file),
  );
}

function homeRepo(f: Facts): string | undefined {
  return f.exposure.repos[0] ?? f.finding.access?.reach?.find((r) => /repo/i.test(r.kind))?.sample?.[0];
}

function neededGithubPermission(f: Facts): string {
  const p = f.privilege;
  const writes = p.write.concat(p.admin);
  if (writes.some((s) => /packages/.test(s))) return 'packages:write';
  if (writes.some((s) => /workflow/.test(s))) return 'contents:write and workflows:write';
  return 'contents:read';
}

const A: Record<string, Advisor> = {
  github: {
    console: (f) =>
      /^ghs_|^ghu_|^ghr_/.test(f.finding.secret ?? '')
        ? 'https://github.com/settings/installations'
        : 'https://github.com/settings/tokens',
    revoke:
      'Revoke the token (Settings → Developer settings → Personal access tokens), or submit it to the credential-revocation API (`keyscope revoke`)',
    replacement: (f) => {
      if (inCi(f))
        return 'the workflow’s built-in GITHUB_TOKEN with an explicit `permissions:` block (e.g. `contents: read`), or a GitHub App installation token';
      const repo = homeRepo(f);
      return `a fine-grained PAT limited to ${repo ? `the one repository ${repo}` : 'the one repository it is used on'} with ${neededGithubPermission(f)} and an expiry of 90 days or less${f.privilege.level === 'admin' ? ' (no organization administration)' : ''}`;
    },
    extra: ['Review the security log and the audit log of the orgs it reached for use since the leak'],
  },
  gitlab: {
    console: 'https://gitlab.com/-/user_settings/personal_access_tokens',
    revoke: 'Revoke the token (User settings → Access tokens), or `DELETE /api/v4/personal_access_tokens/self` with it',
    replacement: () =>
      'a project access token on the one project with read_repository (or read_api), role Reporter, and an expiry date',
  },
  aws: {
    console: (f) =>
      f.finding.access?.identity?.type === 'root'
        ? 'https://console.aws.amazon.com/iam/home#/security_credentials'
        : 'https://console.aws.amazon.com/iam/home#/users',
    revoke:
      'Deactivate the access key (IAM → Users → Security credentials → Make inactive), then delete it once nothing breaks',
    replacement: (f) => {
      if (f.finding.access?.identity?.type === 'root')
        return 'no root access keys at all: an IAM role with one policy scoped to the resources in use';
      if (inCi(f))
        return 'an IAM role assumed through OIDC federation from the CI (no stored key), with one policy limited to the actions and resources the job uses';
      return 'an IAM role (instance profile, task role or OIDC federation) with one customer-managed policy limited to the actions and resource ARNs in use, instead of an IAM user’s long-term key';
    },
    extra: [
      'Check CloudTrail for calls made with the key id since the leak (especially iam:*, sts:AssumeRole)',
      'Attach an explicit deny on aws:TokenIssueTime if session credentials were minted from it',
    ],
  },
  gcp: {
    console: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
    revoke: 'Delete the service-account key (IAM → Service accounts → Keys), or disable the service account',
    replacement: () =>
      'Workload Identity Federation (no key file) for a service account holding one predefined role on the one resource it uses',
  },
  google: {
    console: 'https://console.cloud.google.com/apis/credentials',
    revoke:
      'Delete or regenerate the API key (APIs & Services → Credentials); OAuth tokens: POST oauth2.googleapis.com/revoke',
    replacement: () =>
      'an API key restricted to the one API it calls and to your app (HTTP referrer, IP or Android/iOS app restriction)',
  },
  openai: {
    console: 'https://platform.openai.com/api-keys',
    revoke: 'Delete the key (Dashboard → API keys); admin keys: Organization settings → Admin keys',
    replacement: (f) =>
      /^sk-admin-/.test(f.finding.secret ?? '')
        ? 'a project key (no admin key in code): admin keys belong in a vault, used by provisioning only'
        : 'a restricted project key owned by a service account, with only the endpoints it calls (e.g. Model capabilities: Write, everything else None)',
  },
  anthropic: {
    console: 'https://console.anthropic.com/settings/keys',
    revoke: 'Disable the key (Console → API keys; admin: POST /v1/organizations/api_keys/{id} status=inactive)',
    replacement: () => 'a key in a dedicated workspace with a spend limit, used only by this service',
  },
  slack: {
    console: 'https://api.slack.com/apps',
    revoke:
      'Revoke it with `auth.revoke` (keyscope revoke) or reinstall the app to rotate tokens; webhooks: remove the webhook in the app config',
    replacement: (f) => {
      const used = f.privilege.write.concat(f.privilege.read).slice(0, 3);
      return `a bot token with only the scopes it uses${used.length ? ` (e.g. ${used.join(', ')})` : ' (e.g. chat:write)'}, installed on the one workspace, with token rotation on`;
    },
  },
  stripe: {
    console: (f) =>
      /_test_/.test(f.finding.secret ?? '')
        ? 'https://dashboard.stripe.com/test/apikeys'
        : 'https://dashboard.stripe.com/apikeys',
    revoke: 'Roll the key (Developers → API keys → Roll key) and expire the old one now',
    replacement: (f) =>
      f.env.environment === 'test'
        ? 'a restricted test-mode key (rk_test_) read from the test environment, never a key of the live account'
        : 'a restricted key (rk_live_) with only the resources it uses, e.g. Charges: Write and everything else None',
    extra: ['Review the Stripe request logs for the key since the leak'],
  },
  telegram: {
    revoke: 'Send /revoke to @BotFather for this bot and deploy the new token',
    replacement: () =>
      'the same bot with a fresh token read from a secret store; privacy mode on, no group admin rights it does not need',
  },
  discord: {
    console: 'https://discord.com/developers/applications',
    revoke: 'Reset the bot token (Developer Portal → Bot → Reset Token); webhooks: DELETE the webhook URL',
    replacement: () =>
      'a bot with only the gateway intents and guild permissions it uses, or a channel webhook if it only posts',
  },
  sendgrid: {
    console: 'https://app.sendgrid.com/settings/api_keys',
    revoke: 'Delete the API key (Settings → API Keys)',
    replacement: () => 'a Restricted Access key with only Mail Send',
  },
  twilio: {
    console: 'https://console.twilio.com/us1/account/keys-credentials/api-keys',
    revoke: 'Delete the API key, or rotate the Auth Token (Console → Account → API keys & tokens)',
    replacement: () =>
      'a Standard or Restricted API key (not the Auth Token or a Main key) limited to the APIs it calls',
  },
  azure: {
    console: 'https://portal.azure.com/',
    revoke:
      'Regenerate the storage account key / revoke the SAS (rotate the signing key or delete the stored access policy) / remove the Entra client secret',
    replacement: () =>
      'a managed identity (or a user-delegation SAS with the one container, read-only, and a short expiry) instead of an account key',
  },
  azuredevops: {
    console: 'https://dev.azure.com/',
    revoke: 'Revoke the PAT (User settings → Personal access tokens); org admins can revoke it centrally',
    replacement: () =>
      'a PAT limited to the one organization with only Code (Read) and a short expiry, or a service connection with workload identity federation',
  },
  huggingface: {
    console: 'https://huggingface.co/settings/tokens',
    revoke: 'Invalidate the token (Settings → Access Tokens)',
    replacement: () => 'a fine-grained token with read access to the one repository it uses',
  },
  mailgun: {
    console: 'https://app.mailgun.com/settings/api_security',
    revoke: 'Delete the key (Settings → API security)',
    replacement: () => 'a domain sending key for the one sending domain',
  },
  mailchimp: {
    console: 'https://admin.mailchimp.com/account/api/',
    revoke: 'Disable and delete the key (Account → Extras → API keys)',
    replacement: () =>
      'a dedicated key for this integration only (Mailchimp keys are account-wide: keep it server-side in a secret store)',
  },
  npm: {
    console: 'https://www.npmjs.com/settings/~/tokens',
    revoke: 'Delete the token (Access Tokens) or `npm token revoke`',
    replacement: (f) =>
      inCi(f)
        ? 'trusted publishing (OIDC) from the CI, no stored token'
        : 'a granular token with publish rights on the one package, IP-restricted, with a short expiry',
  },
  pypi: {
    console: 'https://pypi.org/manage/account/token/',
    revoke: 'Remove the token (Account settings → API tokens)',
    replacement: () => 'trusted publishing from the CI, or a token scoped to the one project',
  },
  heroku: {
    console: 'https://dashboard.heroku.com/account/applications',
    revoke: 'Revoke the authorization (Account → Applications) or regenerate the API key',
    replacement: () => 'an OAuth authorization with scope `read` or `write` (not `global`) for this one use',
  },
  digitalocean: {
    console: 'https://cloud.digitalocean.com/account/api/tokens',
    revoke: 'Delete the token (API → Tokens)',
    replacement: () => 'a custom-scoped token with only the resource scopes it uses and an expiry',
  },
  shopify: {
    revoke: 'Uninstall or rotate the app’s token (Admin → Apps → Develop apps → API credentials)',
    replacement: () => 'a custom app with only the access scopes it uses (e.g. read_products)',
  },
  datadog: {
    console: 'https://app.datadoghq.com/organization-settings/api-keys',
    revoke: 'Revoke the API or application key (Organization settings)',
    replacement: () =>
      'a scoped application key (only the scopes it uses) owned by a service account, and an API key used for submission only',
  },
  atlassian: {
    console: 'https://id.atlassian.com/manage-profile/security/api-tokens',
    revoke: 'Revoke the API token (Account → Security → API tokens); org admins can revoke it centrally',
    replacement: () =>
      'a scoped API token (granular scopes, e.g. read:jira-work) with an expiry, owned by a service account',
  },
  bitbucket: {
    console: 'https://bitbucket.org/account/settings/app-passwords/',
    revoke: 'Revoke the app password / access token',
    replacement: () => 'a repository access token on the one repository with Repositories: Read',
  },
  cloudflare: {
    console: 'https://dash.cloudflare.com/profile/api-tokens',
    revoke: 'Roll or delete the token (My Profile → API Tokens); never leave the Global API Key in code',
    replacement: () => 'an API token with one permission group on the one zone it manages, with IP filtering and a TTL',
  },
  vault: {
    revoke: 'Revoke it with `vault token revoke -self` (keyscope revoke)',
    replacement: () =>
      'a short-TTL token from an auth method (AppRole, Kubernetes, JWT/OIDC) with one policy granting read on the paths it uses',
  },
  terraform: {
    console: 'https://app.terraform.io/app/settings/tokens',
    revoke: 'Delete the token (User settings → Tokens, or the team/organization token page)',
    replacement: () =>
      'a team token for a team with access to the one workspace, or dynamic credentials through workload identity',
  },
  doppler: {
    console: 'https://dashboard.doppler.com/',
    revoke: 'Revoke it (POST /v3/auth/revoke, keyscope revoke) and create a new one',
    replacement: () => 'a read-only service token bound to the one config it needs',
  },
  postman: {
    console: 'https://web.postman.co/settings/me/api-keys',
    revoke: 'Delete the API key (Settings → API keys)',
    replacement: () => 'a key of a dedicated team member with access to the one workspace, with an expiry',
  },
  notion: {
    console: 'https://www.notion.so/my-integrations',
    revoke: 'Refresh the integration secret',
    replacement: () => 'an integration with read-content capability only, shared with the one page or database it uses',
  },
  airtable: {
    console: 'https://airtable.com/create/tokens',
    revoke: 'Delete the token (Developer hub → Personal access tokens)',
    replacement: () => 'a PAT with data.records:read on the one base',
  },
  square: {
    console: 'https://developer.squareup.com/apps',
    revoke: 'Replace the access token in the Developer Dashboard',
    replacement: () => 'an OAuth token with only the permissions it uses (e.g. PAYMENTS_WRITE) and an expiry',
  },
  linear: {
    console: 'https://linear.app/settings/api',
    revoke: 'Revoke the key (Settings → API)',
    replacement: () => 'an OAuth app or a key of a non-admin member limited to the teams it uses',
  },
  dockerhub: {
    console: 'https://app.docker.com/settings/personal-access-tokens',
    revoke: 'Delete the access token (Account settings → Personal access tokens)',
    replacement: () =>
      'a PAT with Read-only (or Read & Write on the one repository for CI pushes), or an organization access token scoped to one repository',
  },
  sentry: {
    console: 'https://sentry.io/settings/account/api/auth-tokens/',
    revoke: 'Delete the token (User or Organization settings → Auth tokens)',
    replacement: () => 'an organization auth token (releases and source maps only) for CI, no user token',
  },
  grafana: {
    revoke: 'Delete the service-account token (Administration → Service accounts)',
    replacement: () => 'a service account with the Viewer role (or one fixed role) and a token with an expiry',
  },
  vercel: {
    console: 'https://vercel.com/account/tokens',
    revoke: 'Delete the token (Account settings → Tokens)',
    replacement: () => 'a token scoped to the one team with an expiry, or OIDC federation from the CI',
  },
  netlify: {
    console: 'https://app.netlify.com/user/applications',
    revoke: 'Delete the personal access token (User settings → Applications)',
    replacement: () =>
      'a token with an expiry used only by this deploy (Netlify tokens cannot be scoped: keep it in a secret store)',
  },
  supabase: {
    console: 'https://supabase.com/dashboard/account/tokens',
    revoke: 'Rotate the project keys / JWT secret (Project settings → API) or delete the access token',
    replacement: () =>
      'the anon/publishable key in clients with row-level security, and the service_role key only server-side',
  },
  circleci: {
    console: 'https://app.circleci.com/settings/user/tokens',
    revoke: 'Delete the token (User settings → Personal API tokens)',
    replacement: () => 'a project API token with read-only scope for the one project',
  },
  pagerduty: {
    revoke: 'Delete the API key (Integrations → API access keys)',
    replacement: () => 'a read-only API key, or an Events API integration key if it only sends events',
  },
  databricks: {
    revoke: 'Revoke the token (User settings → Developer → Access tokens)',
    replacement: () =>
      'an OAuth machine-to-machine credential of a service principal with permissions on the one job or cluster',
  },
  okta: {
    revoke: 'Revoke the API token (Security → API → Tokens)',
    replacement: () =>
      'an OAuth service app with only the okta.* scopes it uses (the SSWS token inherits its creator’s admin role)',
  },
  buildkite: {
    console: 'https://buildkite.com/user/api-access-tokens',
    revoke: 'Revoke it (`DELETE /v2/access-token`, keyscope revoke)',
    replacement: () => 'a token with only the read_* scopes it uses, limited to the one organization',
  },
  jfrog: {
    revoke: 'Revoke the access token (Administration → User management → Access tokens)',
    replacement: () => 'a scoped access token for one repository with an expiry',
  },
};

const ALIASES: Record<string, string> = {
  googlecloud: 'gcp',
  gcpserviceaccount: 'gcp',
  googleapi: 'google',
  firebase: 'google',
  microsoft: 'azure',
  azurestorage: 'azure',
  azureentra: 'azure',
  jira: 'atlassian',
  confluence: 'atlassian',
  hashicorpvault: 'vault',
  hcpterraform: 'terraform',
  terraformcloud: 'terraform',
  docker: 'dockerhub',
  artifactory: 'jfrog',
  hugging: 'huggingface',
};

const LLM = new Set(['groq', 'xai', 'replicate', 'deepseek', 'langsmith', 'perplexity', 'mistral', 'cohere']);

function advisorFor(issuer: string): Advisor | undefined {
  const k = issuerKey(issuer);
  if (A[k]) return A[k];
  if (ALIASES[k]) return A[ALIASES[k]];
  for (const prefix of Object.keys(A)) if (k.startsWith(prefix)) return A[prefix];
  if (LLM.has(k))
    return {
      revoke: `Delete the key in the ${issuerName(issuer)} console`,
      replacement: () => 'a project-scoped key with a spend limit, used by this one service only',
    };
  return undefined;
}

function genericAdvice(f: Facts): Advisor {
  const k = `${f.finding.ruleId} ${f.finding.tokenType ?? ''}`.toLowerCase();
  if (/private[-_]?key|ssh|pem|pgp/.test(k))
    return {
      revoke:
        'Remove the public half from every place that trusts it (authorized_keys, deploy keys, CA, TLS), and generate a new key pair',
      replacement: () =>
        'a new key pair kept in a secret store or hardware (ssh-agent, KMS/HSM), or short-lived certificates',
    };
  if (/postgres|mysql|mongo|redis|amqp|database|db|url/.test(k))
    return {
      revoke: 'Change the password of that database user now and kill its open sessions',
      replacement: () =>
        'a dedicated database user with only the grants the app needs on its schema, password from a secret store (or IAM auth)',
    };
  if (/jwt/.test(k)) {
    return /sign|secret/.test(k)
      ? {
          revoke: 'Rotate the signing secret (every token it signed becomes invalid) and invalidate sessions',
          replacement: () =>
            'asymmetric signing (RS256/ES256) with the private key in a KMS, and short token lifetimes',
        }
      : {
          revoke:
            'Revoke the session or refresh token behind it where it was issued; rotate the signing key if it cannot be revoked',
          replacement: () =>
            'short-lived tokens obtained at run time (OIDC, client credentials), never stored in files',
        };
  }
  const family = /^(generic|database|private-?key)$/i.test(f.finding.issuer);
  return {
    revoke: family
      ? 'Rotate the credential at the service it belongs to (the variable name and file usually tell which)'
      : `Revoke or rotate the credential in the ${issuerName(f.finding.issuer)} console`,
    replacement: () =>
      'a credential scoped to the one resource and the actions in use, with an expiry, read from a secret store',
  };
}

export function adviseFor(f: Facts): Recommendation {
  if (f.privilege.level === 'none' && f.privilege.source === 'token-type') {
    return {
      replacement: 'nothing: this key is public by design',
      steps: [
        'Confirm it is the public half (publishable/anon key), not a secret key',
        'Keep the matching secret key server-side; restrict what the public key may do in the issuer settings',
      ],
    };
  }
  const adv = advisorFor(f.finding.issuer) ?? genericAdvice(f);
  const dead = f.status === 'inactive' || f.status === 'invalid';
  const steps: string[] = [];
  if (dead)
    steps.push(
      `The issuer reports this key as ${f.status}: make sure it stays disabled (delete it rather than leave it inactive)`,
    );
  else steps.push(adv.revoke);
  steps.push('Issue the replacement and deploy it through a secret store or CI secrets, never in files');
  steps.push(
    f.exposure.inHead === false
      ? 'Purge it from git history (git filter-repo) and ask GitHub Support to drop cached views if the repository is public'
      : 'Delete it from the code, then from git history (git filter-repo); rotation matters more than the purge',
  );
  if (f.exposure.places.length > 1) steps.push(`Replace it in all ${f.exposure.places.length} places it was found`);
  for (const e of adv.extra ?? []) steps.push(e);
  const consoleUrl = typeof adv.console === 'function' ? adv.console(f) : adv.console;
  return { replacement: adv.replacement(f), steps, ...(consoleUrl ? { consoleUrl } : {}) };
}

/** Issuers with their own advice (for tests and docs). */
export function advisedIssuers(): string[] {
  return Object.keys(A).sort();
}
