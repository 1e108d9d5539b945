// Shared helpers for the revocation tests: findings built at run time from the token factory, a config pointing
// issuers at fakes, a fresh audit store per test, fast HTTP options and a captured plan printout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import '../../src/detect/checksums/all.js';
import { configSchema, type KeyscopeConfig } from '../../src/config/schema.js';
import { fingerprint } from '../../src/detect/fingerprint.js';
import { redact } from '../../src/detect/redact.js';
import { expandTemplate } from '../../src/detect/samples.js';
import type { HttpClientOptions } from '../../src/issuers/http.js';
import { type RevokeOptions, revokeFindings } from '../../src/revoke/run.js';
import type { AccessStatus, Finding, Severity } from '../../src/types.js';

let seed = 1000;
/** A fresh token from the factory, e.g. tok('{{gen:github:ghp}}'). Every call gives a new one. */
export function tok(template: string): string {
  return expandTemplate(template, seed++);
}

export interface KeyOpts {
  severity?: Severity;
  score?: number;
  status?: AccessStatus;
  environment?: 'production' | 'test' | 'unknown';
  companions?: Record<string, string>;
  ruleId?: string;
}

/** A finding as the pipeline hands it to revocation: looked up (status) and scored (severity). */
export function keyFinding(issuer: string, secret: string, o: KeyOpts = {}): Finding {
  return {
    id: fingerprint(secret),
    ruleId: o.ruleId ?? `${issuer}-token`,
    issuer,
    secret,
    redacted: redact(secret),
    checksum: 'none',
    entropy: 4.5,
    companions: o.companions,
    occurrences: [{ file: 'config/app.env', line: 3, column: 7 }],
    access: {
      status: o.status ?? 'live',
      source: 'issuer',
      checkedAt: '2026-01-01T00:00:00.000Z',
      ...(o.environment ? { environment: o.environment } : {}),
    },
    risk: { score: o.score ?? 90, severity: o.severity ?? 'critical', reasons: ['test'], nhi: [] },
  };
}

export function tmpDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'keyscope-revoke-'));
}

/** A config whose issuers point at fakes, with a [revoke] table. */
export function cfg(baseUrls: Record<string, string>, revoke: Record<string, unknown> = {}): KeyscopeConfig {
  const issuers: Record<string, { baseUrl: string }> = {};
  for (const [id, url] of Object.entries(baseUrls)) issuers[id] = { baseUrl: url };
  return configSchema.parse({ issuers, revoke: { max_per_run: 50, ...revoke } });
}

export const FAST: Partial<HttpClientOptions> = { retryBaseMs: 5, maxRetryWaitMs: 200, timeoutMs: 1500, maxRetries: 2 };

export interface Harness {
  dir: string;
  db: string;
  jsonl: string;
  out: string[];
  run(findings: Finding[], config: KeyscopeConfig, extra?: Partial<RevokeOptions>): ReturnType<typeof revokeFindings>;
}

/** One audit store shared by the runs of a test (so a second run sees the first one's log). */
export function harness(): Harness {
  const dir = tmpDir();
  const h: Harness = {
    dir,
    db: path.join(dir, 'keyscope.db'),
    jsonl: path.join(dir, 'audit.jsonl'),
    out: [],
    run: (findings, config, extra = {}) =>
      revokeFindings(findings, {
        yes: false,
        offline: false,
        config,
        db: h.db,
        auditLog: h.jsonl,
        env: {},
        http: FAST,
        verifyDelaysMs: [5],
        actor: 'tester@ci',
        print: (t) => h.out.push(t),
        ...extra,
      }),
  };
  return h;
}

/** Requests a fake received that could change state. */
export function mutating(requests: { method: string }[]): number {
  return requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length;
}

/** The paths of the DELETE requests, in order. */
export function deleted(requests: { method: string; path: string }[]): string[] {
  return requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
}

/** Requests to one endpoint (lookups made to verify afterwards go elsewhere). */
export function calls(requests: { method: string; path: string }[], method: string, path: string | RegExp): number {
  return requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)))
    .length;
}
