import { secretCompanionValues } from '../../src/issuers/companions.js';
import { scoreAll } from '../../src/risk/index.js';
import type { Finding, Report } from '../../src/types.js';
import { makeFinding, NOW } from '../risk/fixtures/make.js';
import { rankingContext, rankingSet } from '../risk/fixtures/ranking.js';

// Reports for the format tests: the ranking set scored, plus a finding built to break escaping and to leak
// its secret if any format forgot to redact (secret in notes, companions, reasons' neighbours).

export function hostileFinding(): Finding {
  const f = makeFinding({
    id: 'fp-hostile',
    issuer: 'github',
    ruleId: 'github-classic-pat',
    tokenType: 'classic-pat',
    secret: 'ghp_{{rand:A-Za-z0-9:36}}',
    occurrences: [
      {
        file: 'src/<script>alert(1)</script>/a|b,c:d%e.ts',
        line: 7,
        column: 3,
        repo: 'acme/website',
        commit: 'a'.repeat(40),
      },
      { file: 'docs/x\ny.md', line: 2, column: 1, repo: 'acme/api' },
    ],
    companions: { 'github-oauth-client-id': '{{rand:a-z0-9:20}}', 'aws-secret-access-key': '{{rand:A-Za-z0-9/+:40}}' },
    access: { status: 'live', scopes: ['repo', 'admin:org'], identity: { user: '<img src=x onerror=alert(1)>' } },
  });
  // A careless issuer module put the secret in a note: every format must still redact it.
  f.access!.notes = [
    `probe with ${f.secret} returned 200`,
    `client id ${f.companions!['github-oauth-client-id']}`,
    `paired with ${f.companions!['aws-secret-access-key']}`,
  ];
  return f;
}

export function sampleReport(extra: Finding[] = [hostileFinding()]): Report {
  const findings = [...rankingSet().map((r) => r.finding), ...extra];
  scoreAll(findings, rankingContext);
  return {
    tool: 'keyscope',
    version: '0.1.0',
    target: { kind: 'org', owner: 'acme' },
    stats: {
      filesScanned: 120,
      blobsScanned: 340,
      bytesScanned: 4_200_000,
      skipped: [{ path: 'big.bin', reason: 'binary' }],
      lookups: 31,
      durationMs: 2300,
    },
    findings,
    generatedAt: NOW,
  };
}

export function emptyReport(): Report {
  return {
    tool: 'keyscope',
    version: '0.1.0',
    target: { kind: 'files', paths: ['.'] },
    stats: { filesScanned: 3, blobsScanned: 3, bytesScanned: 100, skipped: [], lookups: 0, durationMs: 5 },
    findings: [],
  };
}

/** Every full secret and secret companion value of a report (what must never appear without --show-secrets). */
export function secretsOf(report: Report): string[] {
  return report.findings
    .flatMap((f) => [f.secret, ...secretCompanionValues(f.companions)])
    .filter((s) => s.length >= 6);
}
