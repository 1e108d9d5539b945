// GitLab routable tokens (GitLab 17.x+): `<prefix><base64url payload>.<version>.<2 base36 payload length><7 base36 CRC32>`.
// Confirmed in gitlab-org/gitlab Authn::TokenField::Generator::RoutableToken#append_crc: `Zlib.crc32(encoded_payload)
// .to_s(36).rjust(7, '0')` over everything before the CRC (prefix included); kingfisher gitlab.4 checks the same.
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { crc32 } from './crc32.js';
import { registerChecksum } from './index.js';

export function validGitlabRoutable(token: string): boolean {
  // `.` + 2 base36 length chars + 7 base36 CRC chars at the end; the CRC alone rejects a fake (1 in 2^32 passes).
  if (!/\.(?:\d\d\.)?[0-9a-z]{2}[0-9a-z]{7}$/.test(token)) return false;
  return crc32(token.slice(0, -7)).toString(36).padStart(7, '0') === token.slice(-7);
}

export function makeGitlabRoutable(prefix: string, rng: Rng, payloadLen = 32): string {
  const payload = randomString('A-Za-z0-9_-', payloadLen, rng);
  const head = `${prefix}${payload}.01.${payloadLen.toString(36).padStart(2, '0')}`;
  return head + crc32(head).toString(36).padStart(7, '0');
}

registerChecksum({ name: 'gitlab-routable-crc32', validate: validGitlabRoutable });
// {{gen:gitlab-routable:glpat-}}
registerGenerator('gitlab-routable', (arg, rng) => makeGitlabRoutable(arg || 'glpat-', rng));
