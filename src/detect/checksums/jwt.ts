// JWT shape check: a JWS whose header base64url-decodes to a JSON object naming `alg`, and whose payload decodes to
// a JSON object. Lenient on purpose (prefix match, not JSON.parse): samples in the wild are often truncated or
// hand-edited, and the point is only to tell a token from random `eyJ…` text.
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';
import { isSupabaseAnon } from './supabase.js';

function b64urlDecode(s: string): string {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
}

export function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

export function validJwtShape(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const header = b64urlDecode(parts[0]);
  const payload = b64urlDecode(parts[1]);
  if (!(/^\{\s*"/.test(header) && header.includes('"alg"') && /^\{\s*"/.test(payload))) return false;
  // An unsigned token (alg none) proves nothing: anyone can mint one.
  if (/"alg"\s*:\s*"none"/i.test(header)) return false;
  if (docClaims(payload)) return false;
  // A Supabase anon key is public by design (shipped to browsers): not a leaked secret.
  return !isSupabaseAnon(token);
}

/** Claims written for documentation: EXAMPLE…, sample, runs like 00000000 or AAAAAAAA, 123456789012 accounts. */
const DOC_CLAIM = /example|sample|dummy|placeholder|(.)\1{7,}|123456789012|12345678-/i;

function docClaims(payload: string): boolean {
  let claims: unknown;
  try {
    claims = JSON.parse(payload);
  } catch {
    return false;
  }
  if (!claims || typeof claims !== 'object') return false;
  return Object.values(claims as Record<string, unknown>).some((v) => typeof v === 'string' && DOC_CLAIM.test(v));
}

const PRESETS: Record<string, (rng: Rng) => Record<string, unknown>> = {
  user: (rng) => ({ sub: randomString('0-9', 10, rng), name: randomString('a-z', 8, rng), iat: 1716239022 }),
  'supabase-service': (rng) => ({
    iss: 'supabase',
    ref: randomString('a-z', 20, rng),
    role: 'service_role',
    iat: 1716239022,
    exp: 2031815022,
  }),
  'supabase-anon': (rng) => ({
    iss: 'supabase',
    ref: randomString('a-z', 20, rng),
    role: 'anon',
    iat: 1716239022,
    exp: 2031815022,
  }),
};

/** {{gen:jwt}} / {{gen:jwt:supabase-service}}: an HS256 JWS with a random signature. */
export function makeJwt(preset: string | undefined, rng: Rng): string {
  const claims = (PRESETS[preset ?? 'user'] ?? PRESETS.user)(rng);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  return `${header}.${b64url(JSON.stringify(claims))}.${randomString('A-Za-z0-9_-', 43, rng)}`;
}

registerChecksum({ name: 'jwt-structure', validate: validJwtShape });
registerGenerator('jwt', (arg, rng) => makeJwt(arg, rng));
