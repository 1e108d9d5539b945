// Issuer modules, batch B. Append one import and one array entry per module.
import { airtable } from './airtable.js';
import { atlassian } from './atlassian.js';
import { azure } from './azure.js';
import { azureDevops } from './azure-devops.js';
import { bitbucket } from './bitbucket.js';
import { buildkite } from './buildkite.js';
import { circleci } from './circleci.js';
import { cloudflare } from './cloudflare.js';
import { database } from './database.js';
import { databricks } from './databricks.js';
import { deepseek } from './deepseek.js';
import { dockerhub } from './dockerhub.js';
import { doppler } from './doppler.js';
import { grafana } from './grafana.js';
import { groq } from './groq.js';
import { jfrog } from './jfrog.js';
import { langsmith } from './langsmith.js';
import { mailchimp } from './mailchimp.js';
import { mailgun } from './mailgun.js';
import { netlify } from './netlify.js';
import { okta } from './okta.js';
import { pagerduty } from './pagerduty.js';
import { postman } from './postman.js';
import { privateKey } from './private-key.js';
import { replicate } from './replicate.js';
import { sentry } from './sentry.js';
import { square } from './square.js';
import { supabase } from './supabase.js';
import { terraform } from './terraform.js';
import type { IssuerModule } from './types.js';
import { vault } from './vault.js';
import { vercel } from './vercel.js';
import { xai } from './xai.js';

export const modulesB: IssuerModule[] = [
  airtable,
  mailgun,
  mailchimp,
  postman,
  buildkite,
  doppler,
  cloudflare,
  vault,
  bitbucket,
  atlassian,
  dockerhub,
  square,
  sentry,
  grafana,
  vercel,
  netlify,
  okta,
  databricks,
  circleci,
  supabase,
  groq,
  xai,
  replicate,
  langsmith,
  deepseek,
  pagerduty,
  terraform,
  jfrog,
  azure,
  azureDevops,
  privateKey,
  database,
];
