// Manual revocation runbooks: for issuers (or key kinds) with no API that the leaked key can call to revoke itself.
// Each gives the console page and the steps, precise enough to act on under pressure. The closing steps are shared.

import { getIssuer } from '../issuers/registry.js';
import type { Credential } from '../issuers/types.js';

export interface Runbook {
  consoleUrl: string;
  steps: string[];
}

type Entry = Runbook | ((cred: Credential) => Runbook);

const CLOSING = [
  'Deploy the replacement credential first if something still depends on the old one, then confirm the old one fails',
  'Remove the secret from the code and its git history; treat it as compromised even after rotation',
];

const RUNBOOKS: Record<string, Entry> = {
  openai: (c) =>
    /^sk-admin-/.test(c.secret)
      ? {
          consoleUrl: 'https://platform.openai.com/settings/organization/admin-keys',
          steps: ['Settings → Organization → Admin keys', 'Find the key by its redacted preview', 'Delete it'],
        }
      : {
          consoleUrl: 'https://platform.openai.com/api-keys',
          steps: [
            'Open API keys in the project that owns the key (project keys: Settings → Project → API keys)',
            'Find the key by its redacted preview (first and last characters)',
            'Click Revoke secret key',
          ],
        },
  anthropic: {
    consoleUrl: 'https://console.anthropic.com/settings/keys',
    steps: [
      'Console → Settings → API keys',
      'Find the key by its redacted preview',
      'Open the menu (⋯) → Delete API key (or set it Inactive)',
    ],
  },
  stripe: (c) => ({
    consoleUrl: /_test_/.test(c.secret)
      ? 'https://dashboard.stripe.com/test/apikeys'
      : 'https://dashboard.stripe.com/apikeys',
    steps: /^rk_/.test(c.secret)
      ? [
          'Developers → API keys → Restricted keys',
          'Find the key by its redacted preview',
          'Open ⋯ → Roll key (or Delete key) and set the old key to expire now',
        ]
      : [
          'Developers → API keys → Standard keys → Secret key',
          'Open ⋯ → Roll key…',
          'Choose "now" as the expiration of the old key and roll',
        ],
  }),
  telegram: {
    consoleUrl: 'https://t.me/BotFather',
    steps: [
      "Open a chat with @BotFather from the bot owner's account",
      'Send /revoke and choose the bot',
      'BotFather issues a new token; the old one stops at once (logOut/close do not revoke)',
    ],
  },
  discord: {
    consoleUrl: 'https://discord.com/developers/applications',
    steps: [
      "Developer Portal → Applications → the bot's application → Bot",
      'Click Reset Token and confirm (2FA)',
      'The old bot token stops working immediately',
    ],
  },
  huggingface: {
    consoleUrl: 'https://huggingface.co/settings/tokens',
    steps: [
      'Settings → Access Tokens',
      'Find the token by name or its redacted preview',
      'Open ⋯ → Invalidate and refresh (or Delete)',
    ],
  },
  mailchimp: {
    consoleUrl: 'https://admin.mailchimp.com/account/api/',
    steps: [
      'Profile → Extras → API keys',
      'Find the key by its last characters (the suffix after the dash is the data centre)',
      'Click Disable, then delete it',
    ],
  },
  airtable: {
    consoleUrl: 'https://airtable.com/create/tokens',
    steps: [
      'Builder hub → Personal access tokens',
      'Find the token by name (its id is the part before the dot)',
      'Open ⋯ → Delete token (or Regenerate)',
    ],
  },
  notion: {
    consoleUrl: 'https://www.notion.so/profile/integrations',
    steps: [
      'Settings → Connections → Develop or manage integrations',
      'Open the integration that owns the secret → Configuration',
      'Internal integration secret → Refresh; update the apps that use it',
    ],
  },
  linear: {
    consoleUrl: 'https://linear.app/settings/account/security',
    steps: [
      'Settings → Account → Security & access → Personal API keys',
      'Find the key by label',
      "Click Revoke (workspace admins: Settings → API shows every member's keys)",
    ],
  },
  postman: {
    consoleUrl: 'https://go.postman.co/settings/me/api-keys',
    steps: [
      'Avatar → Settings → API keys',
      'Find the key by name or its PMAK- preview',
      'Open ⋯ → Revoke (team admins: Team settings → API keys)',
    ],
  },
  square: {
    consoleUrl: 'https://developer.squareup.com/apps',
    steps: [
      'Developer Console → the application → Credentials, in the environment the token belongs to (Production or Sandbox)',
      'Replace the personal access token (the old one stops working); OAuth tokens: POST /oauth2/revoke with the app secret',
    ],
  },
  circleci: {
    consoleUrl: 'https://app.circleci.com/settings/user/tokens',
    steps: [
      'User settings → Personal API tokens (project tokens: Project settings → API permissions)',
      'Find the token by name and last 4 characters',
      'Click Remove (×)',
    ],
  },
  pagerduty: {
    consoleUrl: 'https://app.pagerduty.com/api_keys',
    steps: [
      'Integrations → API Access Keys (user tokens: My Profile → User Settings → API Access)',
      'Find the key by its redacted preview',
      'Click Remove and confirm',
    ],
  },
  sentry: {
    consoleUrl: 'https://sentry.io/settings/account/api/auth-tokens/',
    steps: [
      'User tokens: Settings → Account → Personal tokens; org tokens (sntrys_): Settings → Organization → Auth tokens',
      'Find the token by its redacted preview',
      'Click Revoke (the API cannot revoke with the token itself)',
    ],
  },
  azure: {
    consoleUrl:
      'https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.Storage%2FStorageAccounts',
    steps: [
      'Storage account key or account SAS: Storage account → Security + networking → Access keys → Rotate the key that signed it',
      'Service SAS on a stored access policy: delete or change that policy; user-delegation SAS: revoke user delegation keys',
      'Entra app secret: App registrations → the app → Certificates & secrets → delete the secret',
    ],
  },
  'azure-devops': {
    consoleUrl: 'https://dev.azure.com/_usersSettings/tokens',
    steps: [
      'User settings → Personal access tokens (in the owning organization)',
      'Find the token by name',
      'Click Revoke (org admins: Organization settings → Microsoft Entra → revoke user PATs)',
    ],
  },
  google: {
    consoleUrl: 'https://console.cloud.google.com/apis/credentials',
    steps: [
      'APIs & Services → Credentials in the project that owns the key',
      'Find the API key by its redacted preview (Show key)',
      'Regenerate key (or Delete API key); add application and API restrictions to the new one',
    ],
  },
  gcp: {
    consoleUrl: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
    steps: [
      'IAM & Admin → Service accounts → the account named in client_email',
      'Keys tab → find the key by its private_key_id',
      'Delete the key (Google may already have disabled a key leaked publicly)',
    ],
  },
  bitbucket: {
    consoleUrl: 'https://bitbucket.org/account/settings/app-passwords/',
    steps: [
      'Personal settings → App passwords (API tokens: id.atlassian.com → Security → API tokens)',
      'Find the entry by label',
      'Click Revoke',
    ],
  },
  atlassian: {
    consoleUrl: 'https://id.atlassian.com/manage-profile/security/api-tokens',
    steps: [
      'Atlassian account → Security → API tokens',
      'Find the token by label',
      'Click Revoke (org admins: admin.atlassian.com → Security → API tokens)',
    ],
  },
  supabase: {
    consoleUrl: 'https://supabase.com/dashboard/account/tokens',
    steps: [
      'Access tokens (sbp_): Account → Access tokens → Revoke',
      'Project service_role/secret keys: Project settings → API keys → roll the key (legacy JWT keys: rotate the JWT secret)',
      'Update every server that used the key',
    ],
  },
  dockerhub: {
    consoleUrl: 'https://app.docker.com/settings/personal-access-tokens',
    steps: [
      'Account settings → Personal access tokens',
      'Find the token by description',
      'Open ⋯ → Deactivate, then Delete',
    ],
  },
  datadog: {
    consoleUrl: 'https://app.datadoghq.com/organization-settings/api-keys',
    steps: [
      "Organization settings → API keys (application keys: Application keys), on the key's site (US1/EU/US3…)",
      'Find the key by its last characters',
      'Click Revoke',
    ],
  },
  pypi: {
    consoleUrl: 'https://pypi.org/manage/account/token/',
    steps: [
      'Account settings → API tokens',
      'Find the token by name (its macaroon lists the projects it is scoped to)',
      'Options → Remove token',
    ],
  },
  terraform: {
    consoleUrl: 'https://app.terraform.io/app/settings/tokens',
    steps: [
      'User tokens: User settings → Tokens → Delete',
      'Team tokens: Organization → Teams → the team → Delete token; organization token: Organization settings → API tokens',
    ],
  },
  slack: {
    consoleUrl: 'https://api.slack.com/apps',
    steps: [
      'Your Apps → the app that owns the webhook → Incoming Webhooks',
      'Find the webhook URL by channel',
      'Click Remove (app-level tokens: Basic Information → App-Level Tokens → Revoke)',
    ],
  },
  twilio: {
    consoleUrl: 'https://console.twilio.com/us1/account/keys-credentials/api-keys',
    steps: [
      'Auth Token: Account → API keys & tokens → Auth tokens → Create secondary, switch your apps, then Promote (the old primary stops)',
      'API key without its secret: API keys → find the SK id → Delete',
    ],
  },
  vercel: {
    consoleUrl: 'https://vercel.com/account/settings/tokens',
    steps: [
      'Account settings → Tokens',
      'Find the token by name',
      "Delete; OAuth app tokens (vca_/vcr_): revoke with the app's client credentials or remove the app's installation",
    ],
  },
  shopify: {
    consoleUrl: 'https://partners.shopify.com/',
    steps: [
      'App shared secret (shpss_): Partner Dashboard → Apps → the app → Client credentials → Rotate',
      'Custom app token: Shopify admin → Settings → Apps and sales channels → Develop apps → the app → uninstall or rotate',
    ],
  },
  aws: {
    consoleUrl: 'https://console.aws.amazon.com/iam/home#/users',
    steps: [
      'Access key (AKIA…): IAM → Users → the user owning the key id → Security credentials → Access keys → Deactivate, then Delete',
      'Temporary key (ASIA…): IAM → Roles → the role → Revoke active sessions (attaches a deny dated by aws:TokenIssueTime)',
      'Check CloudTrail for calls made with the key id since it leaked',
    ],
  },
  github: {
    consoleUrl: 'https://github.com/settings/tokens',
    steps: [
      'Settings → Developer settings → Personal access tokens (fine-grained and classic)',
      'Find the token by name or last use',
      'Delete; OAuth app tokens: the app owner calls DELETE /applications/{client_id}/token',
    ],
  },
  gitlab: {
    consoleUrl: 'https://gitlab.com/-/user_settings/personal_access_tokens',
    steps: [
      'User settings → Access tokens (project/group tokens: the project or group → Settings → Access tokens)',
      'Find the token by name',
      "Click Revoke; runner tokens: reset in the runner's settings",
    ],
  },
  grafana: {
    consoleUrl: 'https://grafana.com/orgs',
    steps: [
      'Service-account token: Grafana instance → Administration → Service accounts → the account → delete the token',
      'Cloud access-policy token (glc_): grafana.com → Administration → Cloud access policies → the policy → delete the token',
    ],
  },
  databricks: {
    consoleUrl: 'https://accounts.cloud.databricks.com/',
    steps: [
      'Workspace → Settings → Developer → Access tokens → revoke the token',
      'Admins: Settings → Advanced → Personal access tokens → Token management',
    ],
  },
  npm: {
    consoleUrl: 'https://www.npmjs.com/settings/~/tokens',
    steps: ['Avatar → Access Tokens', 'Find the token by its npm_ preview', 'Delete'],
  },
  mailgun: {
    consoleUrl: 'https://app.mailgun.com/settings/api_security',
    steps: [
      'Settings → API security',
      'Find the key by its description and last characters',
      'Delete (or Disable) the key',
    ],
  },
  netlify: {
    consoleUrl: 'https://app.netlify.com/user/applications#personal-access-tokens',
    steps: ['User settings → Applications → Personal access tokens', 'Find the token by description', 'Click Delete'],
  },
  okta: {
    consoleUrl: 'https://login.okta.com/',
    steps: ['Okta Admin Console → Security → API → Tokens', 'Find the token by name', 'Click Revoke'],
  },
  vault: {
    consoleUrl: 'https://developer.hashicorp.com/vault/docs/commands/token/revoke',
    steps: [
      'With an admin token: vault token revoke -accessor <accessor> (find it with vault list auth/token/accessors)',
      'Batch tokens cannot be revoked: shorten the TTL of the role or rotate the auth method',
    ],
  },
};

const PER_PREFIX: { test: RegExp; issuer: string; book: Runbook }[] = [
  {
    test: /^(gsk_|xai-|r8_|lsv2_|pplx-)/,
    issuer: 'ai',
    book: {
      consoleUrl: 'https://console.groq.com/keys',
      steps: [
        'Groq: console.groq.com/keys · xAI: console.x.ai → API keys · Replicate: replicate.com/account/api-tokens · LangSmith: smith.langchain.com → Settings → API keys · Perplexity: perplexity.ai/settings/api',
        'Find the key by its redacted preview and delete it',
      ],
    },
  },
];

/** The runbook for a key: the issuer's entry, else the issuer module's own, else a generic one. */
export function runbookFor(issuer: string, cred: Credential): Runbook {
  const entry = RUNBOOKS[issuer];
  let book: Runbook | undefined = typeof entry === 'function' ? entry(cred) : entry;
  if (!book) book = PER_PREFIX.find((p) => p.test.test(cred.secret))?.book;
  if (!book) {
    const m = getIssuer(issuer);
    try {
      book = m?.runbook?.(cred);
    } catch {
      book = undefined;
    }
  }
  if (!book) {
    book = {
      consoleUrl: '',
      steps: [
        `Rotate the ${issuer} credential where it was issued (no revocation API known to keyscope)`,
        'For private keys, database or basic-auth passwords: replace the key or password at the server that trusts it',
      ],
    };
  }
  return { consoleUrl: book.consoleUrl, steps: [...book.steps, ...CLOSING] };
}

/** The runbook as the lines stored in `revocation.runbook`: the console link first, then numbered steps. */
export function runbookLines(book: Runbook): string[] {
  const lines = book.steps.map((s, i) => `${i + 1}. ${s}`);
  return book.consoleUrl ? [book.consoleUrl, ...lines] : lines;
}

export function runbookIssuers(): string[] {
  return Object.keys(RUNBOOKS).sort();
}
