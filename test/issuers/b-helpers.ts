// Helpers for the batch-B issuer tests: run one finding through lookupFindings with the issuer pointed at its fake
// through KEYSCOPE_<ID>_BASE_URL, and the failure-mode suite every module must pass (HTML page, 429, 500, hang,
// unexpected body → 'unknown', never 'live').
import { expect, it } from 'vitest';
import type { FakeIssuer } from '../../fixtures/fake-issuers/server.js';
import { configSchema } from '../../src/config/schema.js';
import { type LookupSummary, lookupFindings } from '../../src/issuers/lookup.js';
import type { Access, Finding } from '../../src/types.js';
import { FAST, finding } from './helpers.js';

export function envKey(issuer: string): string {
  return `KEYSCOPE_${issuer.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
}

export interface RunOptions {
  companions?: Record<string, string>;
  tokenType?: string;
  ruleId?: string;
  now?: Date;
  /** No base URL override: the module must find its host itself (allowlist tests). */
  noOverride?: boolean;
  offline?: boolean;
  /** --plan: work out hosts and requests, send nothing. */
  plan?: boolean;
  timeoutMs?: number;
}

export async function run(
  issuer: string,
  fake: FakeIssuer<unknown> | { url: string } | undefined,
  secret: string,
  o: RunOptions = {},
): Promise<{ access: Access; summary: LookupSummary; finding: Finding }> {
  const extra: Partial<Finding> = {};
  if (o.companions) extra.companions = o.companions;
  if (o.tokenType) extra.tokenType = o.tokenType;
  if (o.ruleId) extra.ruleId = o.ruleId;
  const f = finding(issuer, secret, extra);
  const env: NodeJS.ProcessEnv = fake && !o.noOverride ? { [envKey(issuer)]: fake.url } : {};
  const summary = await lookupFindings([f], {
    offline: o.offline ?? false,
    config: configSchema.parse({}),
    env,
    http: { ...FAST, timeoutMs: o.timeoutMs ?? 800 },
    now: o.now,
    plan: o.plan,
  });
  return { access: f.access!, summary, finding: f };
}

/**
 * The failure modes of one issuer: each test registers a fresh token (so only the mode explains the answer) and
 * checks the module degrades to 'unknown' with a note. `register` adds the token to the fake with valid data.
 */
export function failureModes<T>(
  issuer: string,
  fake: () => FakeIssuer<T>,
  secret: (seed: number) => string,
  register: (f: FakeIssuer<T>, token: string) => void,
  o: Omit<RunOptions, 'noOverride'> = {},
): void {
  const cases: [string, Parameters<FakeIssuer<T>['mode']>[1], RegExp][] = [
    ['an HTML error page', { kind: 'html', status: 403 }, /HTML/],
    ['429 with Retry-After on every attempt', { kind: 'rate-limit', retryAfter: '0' }, /429|rate/i],
    ['HTTP 500 on every attempt', { kind: 'error', status: 500 }, /500/],
    ['a hang', { kind: 'hang' }, /timeout/i],
    [
      'an unexpected JSON body',
      { kind: 'status', status: 200, json: { unexpected: true } },
      /unexpected|shape|without JSON/i,
    ],
  ];
  let seed = 9000;
  for (const [label, mode, note] of cases) {
    const s = ++seed;
    it(`${issuer}: ${label} → unknown, never live`, async () => {
      const token = secret(s);
      register(fake(), token);
      fake().mode(token, mode);
      const { access } = await run(issuer, fake(), token, o);
      expect(access.status).toBe('unknown');
      expect((access.notes ?? []).join(' | ')).toMatch(note);
      expect(JSON.stringify(access)).not.toContain(token);
    });
  }
  it(`${issuer}: an unknown credential (the issuer's rejection) → invalid`, async () => {
    const token = secret(++seed);
    const { access } = await run(issuer, fake(), token, o);
    expect(access.status).toBe('invalid');
  });
}
