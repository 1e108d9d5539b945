// Validators for secrets stored encoded: Kubernetes Secret `data:` values, .dockerconfigjson, docker/npm `auth`
// (base64 of user:password), npm `_password` (base64 of the password). A value is "valid" when its decoding is a
// real credential, and "invalid" when it decodes to a placeholder, a plain word or nothing printable, so base64 of
// `changeme` or `production` stays quiet while base64 of a random password is reported.
import { decodeBase64Text, failsItsChecksum, isPlaceholder, shannonEntropy } from '../allowlist.js';
import { randomString, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';

/** One word, a number, a flag, a host or a path: readable configuration, not a secret. */
const WORD = '[A-Z]{0,4}[a-z]{2,}(?:[A-Z]{1,4}[a-z]{2,})*[A-Z]{0,4}|[A-Z]{2,}';
const PLAIN = new RegExp(
  `^(?:(?:${WORD})(?:[-_. ](?:${WORD}))*|\\d+|[a-z]+\\d{0,2}|(?:[a-z0-9-]+\\.)+[a-z]{2,}|/[\\w./-]*|https?://[^\\s:@]+)$`,
);

/** Whether a decoded value reads as a secret: long enough, not a placeholder, not plain readable configuration. */
export function secretLikeText(text: string, min = 6): boolean {
  const t = text.trim();
  if (t.length < min) return false;
  if (PLAIN.test(t)) return false;
  if (isPlaceholder(t)) return false;
  if (failsItsChecksum(t)) return false;
  return shannonEntropy(t) >= 2.5;
}

/** `user:password` whose password reads as a secret. */
function secretPair(text: string): boolean {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return false;
  if (!/^[\x20-\x7e]+$/.test(text)) return false;
  return secretLikeText(text.slice(colon + 1), 4);
}

/** Base64 of printable text that reads as a secret (Kubernetes Secret data, npm `_password`). */
export function validBase64Secret(b64: string): boolean {
  const text = decodeBase64Text(b64);
  if (text === undefined) return false;
  // A PEM block or a URL with inline credentials is a secret whatever its entropy; a URL without one is not.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return validCredentialUrl(text);
  return secretLikeText(text);
}

/** `scheme://user:password@host…` with a password that reads as a secret. */
export function validCredentialUrl(text: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^\s:@/]*):([^\s@/]+)@[^\s]+$/i.exec(text.trim());
  return !!m && secretLikeText(decodeURIComponentSafe(m[2]), 4);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Base64 of a URL with inline credentials (Kubernetes Secret `DATABASE_URL: …`). */
export function validBase64CredentialUrl(b64: string): boolean {
  const text = decodeBase64Text(b64);
  return text !== undefined && validCredentialUrl(text);
}

/** Base64 of `user:password` whose password reads as a secret (docker `auth`, npm `_auth`). */
export function validBasicAuthSecret(b64: string): boolean {
  const text = decodeBase64Text(b64);
  return text !== undefined && secretPair(text);
}

/** A base64 .dockerconfigjson / .dockercfg: registry entries with a real `auth` or `password`. */
export function validDockerConfig(b64: string): boolean {
  const text = decodeBase64Text(b64);
  if (text === undefined) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  if (!doc || typeof doc !== 'object') return false;
  const auths = ((doc as Record<string, unknown>).auths ?? doc) as Record<string, unknown>;
  for (const entry of Object.values(auths)) {
    if (!entry || typeof entry !== 'object') continue;
    const { auth, password } = entry as { auth?: unknown; password?: unknown };
    if (typeof auth === 'string' && validBasicAuthSecret(auth)) return true;
    if (typeof password === 'string' && secretLikeText(password, 4)) return true;
  }
  return false;
}

registerChecksum({ name: 'base64-secret', validate: validBase64Secret });
registerChecksum({ name: 'base64-credential-url', validate: validBase64CredentialUrl });
registerChecksum({ name: 'basic-auth-secret', validate: validBasicAuthSecret });
registerChecksum({ name: 'dockerconfig-auth', validate: validDockerConfig });

// {{gen:b64-url}}: base64 of a database URL with a random password; {{gen:dockerconfigjson}}: a base64
// .dockerconfigjson with one registry entry; {{gen:basic-secret:USER}}: base64 of USER:<random password>.
// {{gen:b64-text:N}}: base64 of N random letters and digits (a password as a Kubernetes Secret stores it).
registerGenerator('b64-text', (arg, rng) =>
  Buffer.from(randomString('A-Za-z0-9', Number(arg || 20), rng)).toString('base64'),
);
registerGenerator('b64-url', (_arg, rng) =>
  Buffer.from(`postgres://app:${randomString('A-Za-z0-9', 20, rng)}@db.internal:5432/app`).toString('base64'),
);
registerGenerator('basic-secret', (arg, rng) =>
  Buffer.from(`${arg || 'ci'}:${randomString('A-Za-z0-9', 20, rng)}`).toString('base64'),
);
registerGenerator('dockerconfigjson', (_arg, rng) => {
  const auth = Buffer.from(`ci-bot:${randomString('A-Za-z0-9', 24, rng)}`).toString('base64');
  return Buffer.from(JSON.stringify({ auths: { 'registry.corp.test': { auth } } })).toString('base64');
});
