// Revocation providers, keyed by issuer id. One file per issuer; add it to the list below.
// An issuer module (src/issuers/<id>.ts) that implements revoke() itself is used when no provider is listed here.
import { getIssuer } from '../../issuers/registry.js';
import type { IssuerModule } from '../../issuers/types.js';
import type { RevokeProvider } from '../types.js';
import { aws } from './aws.js';
import { buildkite } from './buildkite.js';
import { cloudflare } from './cloudflare.js';
import { databricks } from './databricks.js';
import { digitalocean } from './digitalocean.js';
import { discord } from './discord.js';
import { doppler } from './doppler.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { google } from './google.js';
import { grafana } from './grafana.js';
import { heroku } from './heroku.js';
import { jfrog } from './jfrog.js';
import { mailgun } from './mailgun.js';
import { netlify } from './netlify.js';
import { npm } from './npm.js';
import { okta } from './okta.js';
import { sendgrid } from './sendgrid.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { twilio } from './twilio.js';
import { vault } from './vault.js';
import { vercel } from './vercel.js';

const LIST: RevokeProvider[] = [
  github,
  gitlab,
  slack,
  aws,
  vault,
  doppler,
  buildkite,
  okta,
  jfrog,
  vercel,
  heroku,
  digitalocean,
  google,
  discord,
  shopify,
  npm,
  sendgrid,
  netlify,
  twilio,
  mailgun,
  grafana,
  databricks,
  cloudflare,
];

const providers = new Map<string, RevokeProvider>();
for (const p of LIST) {
  if (providers.has(p.issuer)) throw new Error(`revocation provider ${p.issuer} registered twice`);
  providers.set(p.issuer, p);
}

/** Adapts an issuer module's own revoke() to the provider shape. */
function fromModule(m: IssuerModule): RevokeProvider | undefined {
  if (!m.revoke && !m.revokeMany) return undefined;
  return {
    issuer: m.id,
    name: m.name,
    hosts: m.hosts,
    defaultBaseUrl: m.defaultBaseUrl ?? '',
    rate: m.rate,
    plan: (cred) => m.planRevoke?.(cred).requests ?? [`revoke through the ${m.name} module`],
    reversible: false,
    revoke: (cred, ctx) => {
      if (m.revoke) return m.revoke(cred, ctx.http);
      return m.revokeMany!([cred], ctx.http).then(
        (r) => r.get(cred.fingerprint) ?? { outcome: 'failed', detail: 'no answer' },
      );
    },
  };
}

export function getProvider(issuerId: string): RevokeProvider | undefined {
  const p = providers.get(issuerId);
  if (p) return p;
  const m = getIssuer(issuerId);
  return m ? fromModule(m) : undefined;
}

/** Whether keyscope can revoke keys of this issuer through an API (the `revoke` column of `keyscope rules list`). */
export function revocationSupported(issuerId: string): boolean {
  return getProvider(issuerId) !== undefined;
}

export function providerIds(): string[] {
  return [...providers.keys()].sort();
}
