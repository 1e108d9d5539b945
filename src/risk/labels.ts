// Display names for issuers and token types in reasons and reports.

const ISSUERS: Record<string, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  aws: 'AWS',
  gcp: 'Google Cloud',
  google: 'Google',
  azure: 'Azure',
  azuredevops: 'Azure DevOps',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  slack: 'Slack',
  stripe: 'Stripe',
  telegram: 'Telegram',
  discord: 'Discord',
  sendgrid: 'SendGrid',
  twilio: 'Twilio',
  huggingface: 'Hugging Face',
  mailgun: 'Mailgun',
  mailchimp: 'Mailchimp',
  npm: 'npm',
  pypi: 'PyPI',
  heroku: 'Heroku',
  digitalocean: 'DigitalOcean',
  shopify: 'Shopify',
  datadog: 'Datadog',
  atlassian: 'Atlassian',
  jira: 'Jira',
  bitbucket: 'Bitbucket',
  cloudflare: 'Cloudflare',
  vault: 'Vault',
  hashicorpvault: 'Vault',
  terraform: 'Terraform Cloud',
  doppler: 'Doppler',
  postman: 'Postman',
  notion: 'Notion',
  airtable: 'Airtable',
  square: 'Square',
  linear: 'Linear',
  dockerhub: 'Docker Hub',
  docker: 'Docker Hub',
  sentry: 'Sentry',
  grafana: 'Grafana',
  vercel: 'Vercel',
  netlify: 'Netlify',
  supabase: 'Supabase',
  circleci: 'CircleCI',
  pagerduty: 'PagerDuty',
  databricks: 'Databricks',
  okta: 'Okta',
  buildkite: 'Buildkite',
  jfrog: 'JFrog',
  groq: 'Groq',
  xai: 'xAI',
  replicate: 'Replicate',
  deepseek: 'DeepSeek',
  langsmith: 'LangSmith',
  perplexity: 'Perplexity',
  generic: 'Generic',
  privatekey: 'Private key',
  database: 'Database',
  jwt: 'JWT',
};

export function issuerName(issuer: string): string {
  const k = issuer.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (ISSUERS[k]) return ISSUERS[k];
  return issuer
    .split(/[-_ ]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

const ACRONYMS: Record<string, string> = {
  pat: 'PAT',
  api: 'API',
  oauth: 'OAuth',
  jwt: 'JWT',
  sas: 'SAS',
  sts: 'STS',
  ssh: 'SSH',
  pem: 'PEM',
  pgp: 'PGP',
  url: 'URL',
  iam: 'IAM',
  sa: 'SA',
  ci: 'CI',
};

export function tokenTypeName(tokenType: string): string {
  return tokenType
    .split(/[-_ ]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
    .join(' ');
}
