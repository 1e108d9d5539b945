// Grafana service-account tokens `glsa_<32 alnum>_<8 hex>`: the hex is CRC32/IEEE of `glsa_<secret>`, written as its
// four bytes little-endian. Confirmed in grafana/grafana pkg/components/satokengen/tokengen.go (CalculateChecksum).
import { type Rng, randomString, registerGenerator } from '../samples.js';
import { crc32 } from './crc32.js';
import { registerChecksum } from './index.js';

function leHex(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b.toString('hex');
}

export function validGrafanaSa(token: string): boolean {
  const m = /^(gl[a-z]+_[A-Za-z0-9]+)_([0-9a-f]{8})$/.exec(token);
  if (!m) return false;
  return leHex(crc32(m[1])) === m[2];
}

export function makeGrafanaSa(rng: Rng): string {
  const key = `glsa_${randomString('A-Za-z0-9', 32, rng)}`;
  return `${key}_${leHex(crc32(key))}`;
}

registerChecksum({ name: 'grafana-sa-crc32', validate: validGrafanaSa });
registerGenerator('grafana-sa', (_arg, rng) => makeGrafanaSa(rng));
