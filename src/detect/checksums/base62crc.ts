// GitHub-style checksummed tokens: prefix + random base62 body + 6-char base62(CRC32(body)).
// Confirmed against GitHub's "Behind GitHub's new authentication token formats" (2021-04-05) as implemented by
// credsweeper ValueGitHubCheck and ripsecrets' GithubTokenChecksum: CRC32/IEEE over the body only (not the prefix),
// base62 alphabet 0-9A-Za-z, left-padded with '0' to 6 characters. npm `npm_` (2021-09) uses the same scheme;
// Vercel `vc?_` tokens (2025) also do, over a 50-char body (kingfisher vercel.yml).
import { BASE62, type Rng, randomString, registerGenerator } from '../samples.js';
import { crc32 } from './crc32.js';
import { registerChecksum } from './index.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let s = '';
  let v = n >>> 0;
  while (v > 0) {
    s = ALPHABET[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/** Checks `<prefix><body><6 base62 crc>` where the prefix ends at the first `_`. */
export function validBase62Crc(token: string): boolean {
  const cut = token.indexOf('_');
  const rest = cut >= 0 ? token.slice(cut + 1) : token;
  if (rest.length <= 6) return false;
  const body = rest.slice(0, -6);
  return base62(crc32(body), 6) === rest.slice(-6);
}

export function makeBase62Crc(prefix: string, bodyLen: number, rng: Rng, charset = BASE62): string {
  const body = randomString(charset, bodyLen, rng);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
}

registerChecksum({ name: 'github-crc32', validate: validBase62Crc });
registerChecksum({ name: 'npm-crc32', validate: validBase62Crc });
registerChecksum({ name: 'vercel-crc32', validate: validBase62Crc });

// {{gen:github:ghp}} → ghp_ + 30 + 6; {{gen:github:ghr:70}} sets the body length.
registerGenerator('github', (arg, rng) => {
  const [kind = 'ghp', len] = (arg ?? '').split(':').filter(Boolean);
  return makeBase62Crc(`${kind}_`, len ? Number(len) : 30, rng);
});
registerGenerator('npm', (_arg, rng) => makeBase62Crc('npm_', 30, rng));
// {{gen:vercel:vcp}}; the body may hold `_` and `-`, but the prefix split is at the first `_`.
registerGenerator('vercel', (arg, rng) => makeBase62Crc(`${arg || 'vcp'}_`, 50, rng, 'A-Za-z0-9_-'));
