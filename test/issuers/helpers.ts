// Shared test helpers: findings built at run time, configs pointing issuers at fakes, fast HTTP options.

import { configSchema, type KeyscopeConfig } from '../../src/config/schema.js';
import { fingerprint } from '../../src/detect/fingerprint.js';
import { redact } from '../../src/detect/redact.js';
import type { HttpClientOptions } from '../../src/issuers/http.js';
import type { Finding } from '../../src/types.js';

export function finding(issuer: string, secret: string, extra: Partial<Finding> = {}): Finding {
  return {
    id: fingerprint(secret),
    ruleId: `${issuer}-test`,
    issuer,
    secret,
    redacted: redact(secret),
    checksum: 'none',
    entropy: 4,
    occurrences: [{ file: 'x.txt', line: 1, column: 1 }],
    ...extra,
  };
}

/** A config whose issuers point at the given fake URLs. */
export function configFor(baseUrls: Record<string, string>, extra: Record<string, unknown> = {}): KeyscopeConfig {
  const issuers: Record<string, { baseUrl: string }> = {};
  for (const [id, url] of Object.entries(baseUrls)) issuers[id] = { baseUrl: url };
  return configSchema.parse({ issuers, ...extra });
}

/** Short waits so failure modes resolve fast in tests. */
export const FAST: Partial<HttpClientOptions> = { retryBaseMs: 5, maxRetryWaitMs: 3000, timeoutMs: 2000 };

/** Options for lookupFindings against fakes: no process env leaking in. */
export function opts(config: KeyscopeConfig, extra: Record<string, unknown> = {}) {
  return { offline: false, config, env: {}, http: FAST, ...extra };
}
