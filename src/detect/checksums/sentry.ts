// Sentry org auth tokens `sntrys_<base64 JSON {"iat","url","region_url","org"}>_<secret>`: the middle part must
// decode to JSON carrying `iat` (sentry/src/sentry/utils/security/orgauthtoken_token.py).
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';

export function validSentryOrgToken(token: string): boolean {
  const m = /^sntrys_([A-Za-z0-9+/=]+)_([A-Za-z0-9+/]+=*)$/.exec(token);
  if (!m) return false;
  const json = Buffer.from(m[1], 'base64').toString('latin1');
  return /^\{\s*"/.test(json) && json.includes('"iat"');
}

export function makeSentryOrgToken(rng: Rng): string {
  const org = randomString('a-z', 8, rng);
  const payload = { iat: 1716239022.5, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org };
  const b64 = Buffer.from(JSON.stringify(payload)).toString('base64');
  return `sntrys_${b64}_${randomString('A-Za-z0-9+/', 43, rng)}`;
}

registerChecksum({ name: 'sentry-org-token', validate: validSentryOrgToken });
registerGenerator('sentry-org', (_arg, rng) => makeSentryOrgToken(rng));
