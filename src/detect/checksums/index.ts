import type { ChecksumState } from '../../types.js';

/**
 * An offline validator: given the secret (as captured by the rule), says whether its embedded checksum holds.
 * `generate` builds a body with a correct checksum, so the token factory can make well-formed samples at test time.
 */
export interface ChecksumValidator {
  name: string;
  /** true = checksum holds, false = a well-formed token with a wrong checksum (not a finding). */
  validate(secret: string): boolean;
}

const validators = new Map<string, ChecksumValidator>();

export function registerChecksum(v: ChecksumValidator): void {
  validators.set(v.name, v);
}

export function getChecksum(name: string): ChecksumValidator | undefined {
  return validators.get(name);
}

export function checksumNames(): string[] {
  return [...validators.keys()].sort();
}

export function runChecksum(name: string | undefined, secret: string): ChecksumState {
  if (!name) return 'none';
  const v = validators.get(name);
  if (!v) return 'none';
  return v.validate(secret) ? 'valid' : 'invalid';
}
