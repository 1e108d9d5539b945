import { describe, expect, it } from 'vitest';
import { decodeBase64Text, failsItsChecksum, isPlaceholder } from '../../src/detect/allowlist.js';
import '../../src/detect/checksums/all.js';
import {
  secretLikeText,
  validBase64CredentialUrl,
  validBase64Secret,
  validBasicAuthSecret,
  validDockerConfig,
} from '../../src/detect/checksums/c-encoded.js';
import { validJwtShape } from '../../src/detect/checksums/jwt.js';
import { expandTemplate } from '../../src/detect/samples.js';

// Encoded secrets are judged by what they decode to: a base64 of a random password is a secret, a base64 of
// `changeme`, `production` or of a never-issued (wrong-checksum) token is not.
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('encoded values', () => {
  it('decodes only canonical base64 of printable text', () => {
    expect(decodeBase64Text(b64('hello world'))).toBe('hello world');
    expect(decodeBase64Text('aGVsbG8')).toBeUndefined(); // unpadded
    expect(decodeBase64Text(Buffer.from([0, 1, 2, 250, 251, 252]).toString('base64'))).toBeUndefined(); // binary
    expect(decodeBase64Text('not base64!')).toBeUndefined();
  });

  it('treats base64 of placeholders and plain words as placeholders, not base64 of random text', () => {
    for (const plain of ['changeme', 'production', 'info', 'password', 'prod-east', 'XMLHttpRequest', '3600']) {
      expect(isPlaceholder(b64(plain)), plain).toBe(true);
    }
    const random = expandTemplate('{{rand:A-Za-z0-9:20}}', 4);
    expect(isPlaceholder(b64(random))).toBe(false);
    // Random mixed-case letters are not a word.
    expect(isPlaceholder(b64('wIwCrRTknJSofRfVYBYc'))).toBe(false);
  });

  it('rejects an encoded token whose checksum fails, keeps a valid one', () => {
    const good = expandTemplate('{{gen:github:ghp}}', 2);
    const bad = good.slice(0, -1) + (good.endsWith('a') ? 'b' : 'a');
    expect(failsItsChecksum(good)).toBe(false);
    expect(failsItsChecksum(bad)).toBe(true);
    expect(isPlaceholder(b64(bad))).toBe(true);
    expect(validBase64Secret(b64(good))).toBe(true);
    expect(validBase64Secret(b64(bad))).toBe(false);
  });

  it('judges Kubernetes Secret data, URLs, basic pairs and docker configs by their decoding', () => {
    expect(validBase64Secret(b64(expandTemplate('{{rand:A-Za-z0-9:18}}', 1)))).toBe(true);
    expect(validBase64Secret(b64('changeme'))).toBe(false);
    expect(validBase64Secret(b64('db.prod.internal'))).toBe(false);
    expect(validBase64Secret(expandTemplate('{{gen:pem-b64:RSA PRIVATE KEY}}', 1))).toBe(true);
    expect(validBase64CredentialUrl(expandTemplate('{{gen:b64-url}}', 1))).toBe(true);
    expect(validBase64CredentialUrl(b64('postgres://db.internal:5432/app'))).toBe(false);
    expect(validBase64CredentialUrl(b64('postgres://app:password@db.internal/app'))).toBe(false);
    expect(validBasicAuthSecret(expandTemplate('{{gen:basic-secret:ci}}', 1))).toBe(true);
    expect(validBasicAuthSecret(b64('user:password'))).toBe(false);
    expect(validBasicAuthSecret(b64('no-colon-here'))).toBe(false);
    expect(validDockerConfig(expandTemplate('{{gen:dockerconfigjson}}', 1))).toBe(true);
    expect(validDockerConfig(b64('{"auths":{}}'))).toBe(false);
    expect(validDockerConfig(b64(JSON.stringify({ auths: { 'ghcr.io': { auth: b64('ci:changeme') } } })))).toBe(false);
  });

  it('secretLikeText: long enough, not plain, not a placeholder', () => {
    expect(secretLikeText('S3cr3t-Pa55!')).toBe(true);
    expect(secretLikeText('short')).toBe(false);
    expect(secretLikeText('https://api.corp.test/v1')).toBe(false);
    expect(secretLikeText('your_api_key_here')).toBe(false);
  });
});

describe('JWT shape', () => {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sig = 'x'.repeat(10) + expandTemplate('{{rand:A-Za-z0-9_-:33}}', 3);

  it('accepts a signed token and rejects alg none and documentation claims', () => {
    expect(validJwtShape(`${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub: 'u-42', iat: 1716239022 })}.${sig}`)).toBe(
      true,
    );
    expect(validJwtShape(`${enc({ alg: 'none' })}.${enc({ sub: 'u-42' })}.${sig}`)).toBe(false);
    expect(validJwtShape(`${enc({ alg: 'HS256' })}.${enc({ ctx: 'EXAMPLEIDENTITYCONTEXT' })}.${sig}`)).toBe(false);
    expect(
      validJwtShape(`${enc({ alg: 'RS256' })}.${enc({ oid: '00000000-0000-0000-66f3-3332eca7ea81' })}.${sig}`),
    ).toBe(false);
    // Numbers with runs of zeros (timestamps) are not documentation markers.
    expect(validJwtShape(`${enc({ alg: 'HS256' })}.${enc({ sub: 'u-42', exp: 1700000000 })}.${sig}`)).toBe(true);
  });
});
