import { awsScopes } from './aws.js';
import { githubScopes } from './github.js';
import { type Level, type ScopeMapper, tableMapper } from './levels.js';

// Per-issuer scope → level maps for the issuers whose scopes have names of their own.
// Issuers not listed fall back to the generic word heuristics in levels.ts.

const slack = tableMapper(
  { client: 'admin', identify: 'read', bot: 'write', 'incoming-webhook': 'write', commands: 'write' },
  [
    [/^admin(\.|$)/, 'admin'],
    [/^identity\./, 'read'],
    [/:write(\.|$)|\.write$/, 'write'],
    [/:(read|history)(\.|$)/, 'read'],
  ],
);

const gitlab = tableMapper({
  sudo: 'admin',
  admin_mode: 'admin',
  api: 'write',
  write_repository: 'write',
  write_registry: 'write',
  write_package_registry: 'write',
  write_virtual_registry: 'write',
  create_runner: 'write',
  manage_runner: 'write',
  k8s_proxy: 'write',
  self_rotate: 'write',
  read_api: 'read',
  read_user: 'read',
  read_repository: 'read',
  read_registry: 'read',
  read_package_registry: 'read',
  read_virtual_registry: 'read',
  read_service_ping: 'read',
  ai_features: 'read',
  read_observability: 'read',
});

const stripe = tableMapper({ '*': 'admin', full: 'admin' }, [
  [/_write$|:write$/, 'write'],
  [/_read$|:read$/, 'read'],
]);

const gcp = tableMapper(
  {
    'roles/owner': 'admin',
    'roles/editor': 'write',
    'roles/viewer': 'read',
    'roles/browser': 'read',
    'https://www.googleapis.com/auth/cloud-platform': 'admin',
  },
  [
    [
      /^roles\/(resourcemanager\.(project|folder|organization)iamadmin|iam\.(securityadmin|serviceaccountadmin|rolesadmin))$/,
      'admin',
    ],
    [/^roles\/.*(admin|owner)$/, 'admin'],
    [/^roles\/.*(viewer|reader|browser)$/, 'read'],
    [/\.readonly$/, 'read'],
    [/^https:\/\/www\.googleapis\.com\/auth\//, 'write'],
  ],
  ['roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountUser', 'roles/iam.serviceAccountKeyAdmin'],
);

const azure = tableMapper(
  {
    'global administrator': 'admin',
    'privileged role administrator': 'admin',
    'application administrator': 'admin',
    'cloud application administrator': 'admin',
    owner: 'admin',
    'user access administrator': 'admin',
    contributor: 'write',
    reader: 'read',
    'directory.readwrite.all': 'admin',
    'rolemanagement.readwrite.directory': 'admin',
    'application.readwrite.all': 'admin',
    'approleassignment.readwrite.all': 'admin',
    'account-key': 'admin',
  },
  [
    [/\.readwrite(\.|$)/, 'write'],
    [/\.read(\.|$)/, 'read'],
  ],
);

const heroku = tableMapper({
  global: 'admin',
  'write-protected': 'write',
  write: 'write',
  'read-protected': 'read',
  read: 'read',
  identity: 'read',
});

const huggingface = tableMapper({ write: 'write', read: 'read', admin: 'admin' }, [
  [/\.(write|manage)$/, 'write'],
  [/\.read$/, 'read'],
]);

const sendgrid = tableMapper({}, [
  [/^(api_keys|teammates|subusers|user\.(account|credits|email|password|username|profile\.update))/, 'admin'],
  [/\.(create|update|delete|send)$|^mail\.send$/, 'write'],
  [/\.read$/, 'read'],
]);

const shopify = tableMapper({}, [
  [/^write_(users|staff|apps|themes)$/, 'admin'],
  [/^(write|unauthenticated_write)_/, 'write'],
  [/^(read|unauthenticated_read)_/, 'read'],
]);

const vault = tableMapper({
  root: 'admin',
  sudo: 'admin',
  create: 'write',
  update: 'write',
  delete: 'write',
  patch: 'write',
  read: 'read',
  list: 'read',
  deny: 'none',
  default: 'read',
});

const docker = tableMapper({
  'repo:admin': 'admin',
  'repo:write': 'write',
  'repo:read': 'read',
  'repo:public_read': 'read',
});

const sentry = tableMapper({ 'org:ci': 'write' }, [
  [/:admin$/, 'admin'],
  [/:write$/, 'write'],
  [/:read$/, 'read'],
]);

const grafana = tableMapper({ admin: 'admin', editor: 'write', viewer: 'read' }, [
  [/^(users|org\.users|serviceaccounts|teams|roles|permissions)[^:]*:(write|create|delete|add|remove)/, 'admin'],
  [/:(write|create|delete|edit)/, 'write'],
  [/:read$/, 'read'],
]);

const airtable = tableMapper({ 'workspacesandbases:manage': 'admin' }, [
  [/:write$|:manage$/, 'write'],
  [/:read$/, 'read'],
]);

const mailgun = tableMapper({
  admin: 'admin',
  developer: 'write',
  sending: 'write',
  support: 'read',
  analyst: 'read',
  basic: 'read',
});

const okta = tableMapper(
  {
    super_admin: 'admin',
    org_admin: 'admin',
    app_admin: 'admin',
    user_admin: 'admin',
    group_membership_admin: 'admin',
    read_only_admin: 'read',
  },
  [
    [/^okta\..*\.manage$/, 'write'],
    [/^okta\..*\.read$/, 'read'],
  ],
);

const npm = tableMapper({
  publish: 'write',
  automation: 'write',
  readonly: 'read',
  'read-only': 'read',
  'read-write': 'write',
});

const doppler = tableMapper({ read: 'read', read_write: 'write', 'read/write': 'write', personal: 'admin' });

const cloudflare = tableMapper({}, [
  [/^(api tokens|account settings|members|memberships|user details|billing) (write|edit)$/, 'admin'],
  [/(write|edit)$/, 'write'],
  [/read$/, 'read'],
]);

const digitalocean = tableMapper({ read: 'read', write: 'write', 'read write': 'write' }, [
  [/:(create|update|delete|admin)$/, 'write'],
  [/:read$/, 'read'],
]);

const square = tableMapper({}, [
  [/_write$|_write_/, 'write'],
  [/_read$/, 'read'],
]);

const buildkite = tableMapper({ graphql: 'write' }, [
  [/^write_/, 'write'],
  [/^read_/, 'read'],
]);

const pypi = tableMapper({ user: 'write', project: 'write' });

const twilio = tableMapper({ main: 'admin', 'auth-token': 'admin', standard: 'write', restricted: 'read' });

const atlassian = tableMapper({ administer: 'admin', system_admin: 'admin', project_admin: 'admin' }, [
  [/^(write|manage):/, 'write'],
  [/^read:/, 'read'],
]);

const MAPPERS: Record<string, ScopeMapper> = {
  github: githubScopes,
  aws: awsScopes,
  slack,
  gitlab,
  stripe,
  gcp,
  google: gcp,
  azure,
  heroku,
  huggingface,
  sendgrid,
  shopify,
  vault,
  hashicorpvault: vault,
  dockerhub: docker,
  docker,
  sentry,
  grafana,
  airtable,
  mailgun,
  okta,
  npm,
  doppler,
  cloudflare,
  digitalocean,
  square,
  buildkite,
  pypi,
  twilio,
  atlassian,
  jira: atlassian,
  confluence: atlassian,
};

/** Normalises an issuer id (`hugging-face`, `HashiCorp_Vault`) to the keys of the tables. */
export function issuerKey(issuer: string): string {
  return issuer.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function scopeMapperFor(issuer: string): ScopeMapper | undefined {
  const k = issuerKey(issuer);
  if (MAPPERS[k]) return MAPPERS[k];
  // Families: `aws-iam`, `gcp-service-account`, `azure-storage`, `github-app`…
  for (const prefix of ['github', 'gitlab', 'aws', 'gcp', 'google', 'azure', 'slack', 'stripe']) {
    if (k.startsWith(prefix)) return MAPPERS[prefix];
  }
  return undefined;
}

export type { Level };
