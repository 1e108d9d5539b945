// Issuer modules, batch A. Append one import and one array entry per module.
import { anthropic } from './anthropic.js';
import { aws } from './aws.js';
import { datadog } from './datadog.js';
import { digitalocean } from './digitalocean.js';
import { discord } from './discord.js';
import { gcp } from './gcp.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { google } from './google.js';
import { heroku } from './heroku.js';
import { huggingface } from './huggingface.js';
import { jwt } from './jwt.js';
import { linear } from './linear.js';
import { notion } from './notion.js';
import { npm } from './npm.js';
import { openai } from './openai.js';
import { pypi } from './pypi.js';
import { sendgrid } from './sendgrid.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { stripe } from './stripe.js';
import { telegram } from './telegram.js';
import { twilio } from './twilio.js';
import type { IssuerModule } from './types.js';

export const modulesA: IssuerModule[] = [
  jwt,
  sendgrid,
  github,
  gitlab,
  slack,
  aws,
  gcp,
  google,
  openai,
  anthropic,
  stripe,
  twilio,
  npm,
  pypi,
  huggingface,
  shopify,
  digitalocean,
  datadog,
  heroku,
  discord,
  telegram,
  linear,
  notion,
];
