// Jira / Confluence Data Center personal access tokens: base64 of `<12-digit token id>:<20 random bytes>`
// (hence kingfisher's `O[g-v]` at offset 16, the encoded `:`). Decoding tells a PAT from other 44-char base64.
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';

export function validAtlassianDcPat(token: string): boolean {
  if (token.length !== 44) return false;
  const raw = Buffer.from(token, 'base64');
  return /^\d{12}:$/.test(raw.subarray(0, 13).toString('latin1'));
}

export function makeAtlassianDcPat(rng: Rng): string {
  const id = `${randomString('1-9', 1, rng)}${randomString('0-9', 11, rng)}`;
  const secret = Buffer.from(randomString('0-9a-f', 40, rng), 'hex');
  return Buffer.concat([Buffer.from(`${id}:`), secret]).toString('base64');
}

registerChecksum({ name: 'atlassian-dc-pat', validate: validAtlassianDcPat });
registerGenerator('atlassian-dc-pat', (_arg, rng) => makeAtlassianDcPat(rng));
