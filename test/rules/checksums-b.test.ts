import { describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { bech32Encode, bech32Valid } from '../../src/detect/checksums/b-bech32.js';
import { runChecksum } from '../../src/detect/checksums/index.js';
import { expandTemplate } from '../../src/detect/samples.js';

describe('bech32 (age identities)', () => {
  it('accepts the BIP-173 test vectors and rejects a corrupted one', () => {
    expect(bech32Valid('A12UEL5L')).toBe(true);
    expect(bech32Valid('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw')).toBe(true);
    expect(bech32Valid('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx')).toBe(false);
    expect(bech32Valid('A12uEL5L')).toBe(false); // mixed case is invalid
    expect(bech32Valid('a1b2c3')).toBe(false); // 'b' is not in the charset
  });

  it('round-trips what it encodes', () => {
    expect(bech32Valid(bech32Encode('test', [0, 1, 2, 3, 31]))).toBe(true);
  });

  it('generates valid, well-formed age identities and notices a flipped character', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const key = expandTemplate('{{gen:age-secret-key}}', seed);
      expect(key).toMatch(/^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/);
      expect(runChecksum('bech32', key)).toBe('valid');
      const last = key.at(-1) === 'Q' ? 'P' : 'Q';
      expect(runChecksum('bech32', key.slice(0, -1) + last)).toBe('invalid');
    }
  });
});
