// Private keys (PEM RSA/EC/DSA/PKCS#8, OpenSSH, PuTTY, PGP, base64-wrapped PEM). Offline only: nothing is ever sent
// anywhere. node:crypto parses PEM keys (type, size, curve); OpenSSH and PuTTY files are read by hand for their
// public half. The public key's SHA256 fingerprint (the form `ssh-keygen -l` and GitHub deploy-key pages show) tells
// where the key is authorised, without the private half leaving the machine. A block that does not parse is a
// placeholder, a truncated paste or corrupt: 'invalid'.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Access } from '../types.js';
import type { IssuerModule } from './types.js';

interface KeyFacts {
  type: string;
  bits?: number;
  curve?: string;
  encrypted: boolean;
  fingerprint?: string;
  comment?: string;
}

const B64 = /[^A-Za-z0-9+/=]/g;

/** Undoes the ways keys are pasted: base64-wrapped PEM, `\n` escapes in JSON/YAML strings, CRLF, `"…" + "…"`. */
export function unwrap(secret: string): string {
  let text = secret.trim();
  if (text.startsWith('LS0tLS1CRUdJTi')) text = Buffer.from(text.replace(B64, ''), 'base64').toString('utf8');
  return text
    .replace(/\\r/g, '')
    .replace(/\\n/g, '\n')
    .replace(/\r/g, '')
    .replace(/["']\s*\+\s*["']/g, '');
}

function sshString(buf: Buffer, at: number): [Buffer, number] {
  if (at + 4 > buf.length) throw new Error('truncated');
  const n = buf.readUInt32BE(at);
  if (at + 4 + n > buf.length) throw new Error('truncated');
  return [buf.subarray(at + 4, at + 4 + n), at + 4 + n];
}

function mpintBits(m: Buffer): number {
  let i = 0;
  while (i < m.length && m[i] === 0) i++;
  if (i === m.length) return 0;
  return (m.length - i - 1) * 8 + (32 - Math.clz32(m[i]));
}

function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Type, size and fingerprint from an SSH wire-format public key blob. */
function fromSshBlob(blob: Buffer): Pick<KeyFacts, 'type' | 'bits' | 'curve' | 'fingerprint'> {
  const [t, next] = sshString(blob, 0);
  const type = t.toString('latin1');
  const out: Pick<KeyFacts, 'type' | 'bits' | 'curve' | 'fingerprint'> = { type, fingerprint: sshFingerprint(blob) };
  if (type === 'ssh-rsa') {
    const [, afterE] = sshString(blob, next);
    const [n] = sshString(blob, afterE);
    out.bits = mpintBits(n);
  } else if (type === 'ssh-ed25519') out.bits = 256;
  else if (type.startsWith('ecdsa-sha2-')) out.curve = type.slice('ecdsa-sha2-'.length);
  return out;
}

function mpint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
}

function sshField(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

const CURVES: Record<string, string> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

/** The SSH fingerprint of a parsed key's public half (RSA, Ed25519, NIST EC); undefined for other types. */
function keyObjectFingerprint(key: KeyObject): string | undefined {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, string>;
  const b = (s: string) => Buffer.from(s, 'base64url');
  if (jwk.kty === 'RSA')
    return sshFingerprint(
      Buffer.concat([sshField(Buffer.from('ssh-rsa')), sshField(mpint(b(jwk.e))), sshField(mpint(b(jwk.n)))]),
    );
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519')
    return sshFingerprint(Buffer.concat([sshField(Buffer.from('ssh-ed25519')), sshField(b(jwk.x))]));
  if (jwk.kty === 'EC' && CURVES[jwk.crv]) {
    const c = CURVES[jwk.crv];
    const q = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]);
    return sshFingerprint(
      Buffer.concat([sshField(Buffer.from(`ecdsa-sha2-${c}`)), sshField(Buffer.from(c)), sshField(q)]),
    );
  }
  return undefined;
}

function parseOpenSsh(body: Buffer): KeyFacts {
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!body.subarray(0, magic.length).equals(magic)) throw new Error('no openssh-key-v1 magic');
  let at = magic.length;
  const [cipher, a1] = sshString(body, at);
  const [, a2] = sshString(body, a1); // kdf name
  const [, a3] = sshString(body, a2); // kdf options
  at = a3;
  if (body.readUInt32BE(at) < 1) throw new Error('no keys');
  const [pub] = sshString(body, at + 4);
  return { ...fromSshBlob(pub), encrypted: cipher.toString('latin1') !== 'none' };
}

function parsePutty(text: string): KeyFacts {
  const type = /^PuTTY-User-Key-File-[23]:\s*(\S+)/m.exec(text)?.[1] ?? 'unknown';
  const encryption = /^Encryption:\s*(\S+)/m.exec(text)?.[1] ?? 'none';
  const comment = /^Comment:\s*(.*)$/m.exec(text)?.[1]?.trim();
  const m = /^Public-Lines:\s*(\d+)\s*\n/m.exec(text);
  if (!m) throw new Error('no public lines');
  const lines = text
    .slice(m.index + m[0].length)
    .split('\n')
    .slice(0, Number(m[1]))
    .join('');
  const facts = fromSshBlob(Buffer.from(lines.replace(B64, ''), 'base64'));
  if (facts.type !== type) throw new Error('public key type mismatch');
  return { ...facts, encrypted: encryption !== 'none', comment };
}

/** Reads what can be read of a private key without its passphrase. Throws when it does not parse. */
export function privateKeyFacts(secret: string): KeyFacts {
  const text = unwrap(secret);
  if (text.startsWith('PuTTY-User-Key-File-')) return parsePutty(text);
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) throw new Error('no PEM block');
  const label = m[1];
  let inner = m[2];
  if (label.startsWith('PGP')) return { type: 'pgp', encrypted: false };
  const legacyEncrypted = /Proc-Type:\s*4,ENCRYPTED/.test(inner);
  inner = inner.replace(/^[A-Za-z-]+:.*$/gm, '');
  const body = inner.replace(B64, '');
  if (label === 'OPENSSH PRIVATE KEY') return parseOpenSsh(Buffer.from(body, 'base64'));
  if (label === 'ENCRYPTED PRIVATE KEY' || legacyEncrypted) {
    // Without the passphrase only the container is checked: it must at least be DER.
    const der = Buffer.from(body, 'base64');
    if (der[0] !== 0x30 && !legacyEncrypted) throw new Error('not DER');
    return { type: label === 'ENCRYPTED PRIVATE KEY' ? 'pkcs8' : label.split(' ')[0].toLowerCase(), encrypted: true };
  }
  const pem = `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
  const key = createPrivateKey({ key: pem, format: 'pem' });
  const d = key.asymmetricKeyDetails ?? {};
  return {
    type: key.asymmetricKeyType ?? 'unknown',
    bits: d.modulusLength,
    curve: d.namedCurve,
    encrypted: false,
    fingerprint: keyObjectFingerprint(key),
  };
}

function describe(f: KeyFacts): string {
  const size = f.bits ? ` ${f.bits}-bit` : f.curve ? ` ${f.curve}` : '';
  return `${f.type.toUpperCase()}${size} private key${f.encrypted ? ', encrypted (passphrase needed)' : ', unencrypted'}`;
}

export const privateKey: IssuerModule = {
  id: 'private-key',
  name: 'Private key',
  hosts: [],
  capabilities: { verify: false, scope: false, revoke: false },
  decode(cred) {
    // A JWK rule reports only the private member (d or k), which is no PEM: nothing more to parse.
    if (cred.tokenType === 'jwk')
      return { tokenType: 'jwk', expiresAt: null, notes: ['private JWK member (d or k): the key itself, unencrypted'] };
    let f: KeyFacts;
    try {
      f = privateKeyFacts(cred.secret);
    } catch (err) {
      return {
        status: 'invalid',
        tokenType: cred.tokenType,
        notes: [
          `does not parse as a private key (placeholder, truncated or corrupt): ${(err as Error).message.split('\n')[0].slice(0, 80)}`,
        ],
      };
    }
    const notes = [describe(f)];
    if (f.fingerprint)
      notes.push(
        `public key fingerprint ${f.fingerprint} (match it against SSH deploy keys, authorized_keys, CA inventories)`,
      );
    if (f.comment) notes.push(`comment: ${f.comment}`);
    if (f.type === 'rsa' && f.bits && f.bits < 2048) notes.push(`weak: RSA below 2048 bits`);
    if (f.type === 'pgp') notes.push('PGP private key block: check its key id with gpg --list-packets');
    const out: Partial<Access> = {
      tokenType: f.type === 'pgp' ? 'pgp' : f.type.replace(/^ssh-/, ''),
      identity: { type: describe(f).replace(/ private key.*$/, '') },
      expiresAt: null,
      notes,
    };
    return out;
  },
  runbook: () => ({
    consoleUrl:
      'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/reviewing-your-ssh-keys',
    steps: [
      'Find where the public half is trusted (fingerprint above): deploy keys, authorized_keys, TLS certificates, signing configs',
      'Remove it there and issue a new key pair; revoke any certificate issued for it',
    ],
  }),
};
