// Offline only: keys are generated at run time with node:crypto (never committed), then pasted the ways they leak.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { privateKeyFacts } from '../../src/issuers/private-key.js';
import { run } from './b-helpers.js';

const field = (b: Buffer) => {
  const l = Buffer.alloc(4);
  l.writeUInt32BE(b.length);
  return Buffer.concat([l, b]);
};

/** An unencrypted openssh-key-v1 file for an Ed25519 key (the format node cannot export). */
function opensshEd25519(): { pem: string; fingerprint: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const priv = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(pub)]);
  const check = Buffer.from([1, 2, 3, 4, 1, 2, 3, 4]);
  const secret = Buffer.concat([
    check,
    blob,
    field(Buffer.concat([priv, pub])),
    field(Buffer.from('ci@example')),
    Buffer.from([1, 2, 3]),
  ]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    field(Buffer.from('none')),
    field(Buffer.from('none')),
    field(Buffer.alloc(0)),
    Buffer.from([0, 0, 0, 1]),
    field(blob),
    field(secret),
  ]).toString('base64');
  const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
  return { pem, fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}` };
}

describe('private-key (offline only)', () => {
  let fake: FakeIssuer<unknown>;
  beforeAll(async () => {
    // A listening server that must never see a connection, whatever the override says.
    fake = await startFake({ name: 'nothing', token: () => undefined, routes: [] });
  });
  afterAll(() => fake.close());

  it('RSA (PKCS#1): type and bits; the SSH fingerprint matches ssh-keygen’s form; nothing is sent', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
    const { access, summary } = await run('private-key', fake, pem, { tokenType: 'rsa' });
    expect(access.tokenType).toBe('rsa');
    expect(access.identity?.type).toBe('RSA 2048-bit');
    expect(access.notes?.[0]).toBe('RSA 2048-bit private key, unencrypted');
    expect(access.notes?.[1]).toMatch(/^public key fingerprint SHA256:[A-Za-z0-9+/]{43} /);
    expect(access.expiresAt).toBeNull();
    expect(access.status).not.toBe('invalid');
    expect(summary.requests).toBe(0);
    expect(fake.connections).toBe(0);
  });

  it('EC (SEC1) and Ed25519 (PKCS#8), also JSON-escaped and base64-wrapped', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      format: 'pem',
      type: 'sec1',
    }) as string;
    expect(privateKeyFacts(ec)).toMatchObject({ type: 'ec', curve: 'prime256v1', encrypted: false });
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const escaped = `"private_key": "${ed.replace(/\n/g, '\\n')}"`;
    expect(privateKeyFacts(escaped.slice(escaped.indexOf('-----'), escaped.lastIndexOf('"')))).toMatchObject({
      type: 'ed25519',
      encrypted: false,
    });
    const b64 = Buffer.from(ec).toString('base64');
    expect(privateKeyFacts(b64).type).toBe('ec');
  });

  it('OpenSSH Ed25519: fingerprint of the public half', () => {
    const { pem, fingerprint } = opensshEd25519();
    expect(privateKeyFacts(pem)).toMatchObject({ type: 'ssh-ed25519', bits: 256, encrypted: false, fingerprint });
  });

  it('encrypted PKCS#8: noted as encrypted, not invalid', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'test-only-passphrase',
    }) as string;
    const { access } = await run('private-key', undefined, pem, { tokenType: 'pkcs8-encrypted' });
    expect(access.status).not.toBe('invalid');
    expect(access.notes?.[0]).toMatch(/encrypted \(passphrase needed\)/);
  });

  it('a random placeholder block (the token factory’s sample) is invalid', async () => {
    const fakePem = expandTemplate('{{gen:pem:RSA PRIVATE KEY}}', 3);
    const { access } = await run('private-key', fake, fakePem, { tokenType: 'rsa' });
    expect(access.status).toBe('invalid');
    expect(access.notes?.[0]).toMatch(/does not parse/);
    expect(fake.connections).toBe(0);
  });
});
