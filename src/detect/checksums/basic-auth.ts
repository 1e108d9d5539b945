// HTTP Basic credentials: the base64 must decode to printable `user:password` (RFC 7617), which tells a real header
// value from other base64 after the word Basic.
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';

export function validBasicAuthPair(b64: string): boolean {
  const raw = Buffer.from(b64, 'base64');
  if (raw.length < 3) return false;
  const text = raw.toString('latin1');
  if (!/^[\x20-\x7e]+$/.test(text)) return false;
  const colon = text.indexOf(':');
  return colon >= 0 && colon < text.length - 1;
}

export function makeBasicAuth(rng: Rng): string {
  return Buffer.from(`svc-${randomString('a-z', 5, rng)}:${randomString('A-Za-z0-9', 20, rng)}`).toString('base64');
}

registerChecksum({ name: 'basic-auth-pair', validate: validBasicAuthPair });
registerGenerator('basic-auth', (_arg, rng) => makeBasicAuth(rng));
