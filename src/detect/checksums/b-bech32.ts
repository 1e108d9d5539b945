import { type Rng, registerGenerator } from '../samples.js';
import { registerChecksum } from './index.js';

// Bech32 (BIP-173), the encoding of age identities: `AGE-SECRET-KEY-1` + data + a 6-char BCH checksum.
// Every identity `age-keygen` writes passes it, so a failing value is a hand-edited or truncated sample.

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GEN[i]) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (const c of hrp) out.push(c.charCodeAt(0) >>> 5);
  out.push(0);
  for (const c of hrp) out.push(c.charCodeAt(0) & 31);
  return out;
}

/** True when `s` (any case, not mixed) is a well-formed bech32 string with a valid checksum. */
export function bech32Valid(s: string): boolean {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return false;
  const lower = s.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return false;
  const data: number[] = [];
  for (const c of lower.slice(sep + 1)) {
    const v = CHARSET.indexOf(c);
    if (v < 0) return false;
    data.push(v);
  }
  return polymod([...hrpExpand(lower.slice(0, sep)), ...data]) === 1;
}

/** Encodes 5-bit groups under `hrp` with a valid checksum (lower case). */
export function bech32Encode(hrp: string, data: number[]): string {
  const values = [...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0];
  const mod = polymod(values) ^ 1;
  let out = `${hrp}1`;
  for (const d of data) out += CHARSET[d];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

registerChecksum({ name: 'bech32', validate: bech32Valid });

// A random age X25519 identity: 32 bytes → 52 five-bit groups.
registerGenerator('age-secret-key', (_arg: string | undefined, rng: Rng) => {
  const data: number[] = [];
  for (let i = 0; i < 52; i++) data.push(Math.floor(rng() * 32));
  data[51] &= 0x10; // 256 bits fill 51.2 groups; the padding bits of the last group are zero
  return bech32Encode('age-secret-key-', data).toUpperCase();
});
