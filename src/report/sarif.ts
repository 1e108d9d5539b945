import { createRequire } from 'node:module';
import type * as SarifLib from 'node-sarif-builder';
import type { SarifBuilder, SarifResultBuilder } from 'node-sarif-builder';

// node-sarif-builder (and fs-extra under it) loads on first SARIF output, not at every command's start-up.
let sarifLib: typeof SarifLib | undefined;
const lib = (): typeof SarifLib => {
  sarifLib ??= createRequire(import.meta.url)('node-sarif-builder') as typeof SarifLib;
  return sarifLib;
};

import type { Location, Result } from 'sarif';
import { issuerName, tokenTypeName } from '../risk/labels.js';
import type { Finding, Occurrence, Report, Severity } from '../types.js';
import { issuerLabel, keyKind, type RenderOptions, safeReport } from './common.js';

// SARIF 2.1.0 for GitHub code scanning: one result per finding at its first occurrence, the other places as
// relatedLocations; rank = score; security-severity on rules (max of their findings) and results.

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const MAX_RELATED = 100;

/** A relative URI reference: forward slashes, each segment percent-encoded. */
export function toUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function physical(o: Occurrence): Location['physicalLocation'] {
  return {
    artifactLocation: { uri: toUri(o.file), uriBaseId: '%SRCROOT%' },
    region: { startLine: Math.max(1, o.line || 1), startColumn: Math.max(1, o.column || 1) },
  };
}

function securitySeverity(score: number | undefined): string {
  return ((score ?? 0) / 10).toFixed(1);
}

function ruleName(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function resultFor(f: Finding, showSecrets: boolean): SarifResultBuilder {
  const r = f.risk;
  const value = showSecrets && f.secret ? f.secret : f.redacted;
  const text = [
    `${issuerLabel(f)} ${keyKind(f)} ${value} (${f.access?.status ?? 'not checked'}): ${r?.severity ?? 'unscored'} risk ${r?.score ?? '?'}/100.`,
    ...(r?.reasons ?? []).map((x) => `${x}.`),
    r?.recommendation ? `Fix: revoke or rotate it, then use ${r.recommendation.replacement}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const occ = f.occurrences ?? [];
  const result: Result = {
    ruleId: f.ruleId,
    level: LEVEL[r?.severity ?? 'info'],
    message: { text },
    locations: occ.length ? [{ physicalLocation: physical(occ[0]) }] : [],
    partialFingerprints: { 'keyscopeFindingId/v1': f.id },
    ...(r ? { rank: r.score } : {}),
    properties: {
      score: r?.score,
      severity: r?.severity,
      nhi: r?.nhi ?? [],
      controls: r?.controls ?? [],
      status: f.access?.status ?? 'not checked',
      issuer: f.issuer,
      tokenType: f.tokenType,
      redacted: f.redacted,
      ...(showSecrets ? { secret: f.secret } : {}),
      reasons: r?.reasons ?? [],
      replacement: r?.recommendation?.replacement,
      consoleUrl: r?.recommendation?.consoleUrl,
      commit: occ[0]?.commit,
      repo: occ[0]?.repo,
      'security-severity': securitySeverity(r?.score),
    },
  };
  if (occ.length > 1) {
    result.relatedLocations = occ.slice(1, MAX_RELATED + 1).map((o, i) => ({
      id: i + 1,
      physicalLocation: physical(o),
      message: {
        text: `also here${o.repo ? ` in ${o.repo}` : ''}${o.commit ? ` (commit ${o.commit.slice(0, 10)})` : ''}`,
      },
    }));
  }
  for (const k of Object.keys(result.properties!))
    if (result.properties![k] === undefined) delete result.properties![k];
  return new (lib().SarifResultBuilder)(result as never);
}

export function buildSarif(report: Report, opts: RenderOptions): ReturnType<SarifBuilder['buildSarifOutput']> {
  const r = safeReport(report, opts.showSecrets);
  const builder = new (lib().SarifBuilder)();
  const run = new (lib().SarifRunBuilder)().initSimple({
    toolDriverName: 'keyscope',
    toolDriverVersion: r.version || '0.0.0',
  });
  const byRule = new Map<string, Finding[]>();
  for (const f of r.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [ruleId, fs] of [...byRule.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const f = fs[0];
    const max = Math.max(...fs.map((x) => x.risk?.score ?? 0));
    const short = f.description ?? `${issuerName(f.issuer)} ${f.tokenType ? tokenTypeName(f.tokenType) : 'secret'}`;
    run.addRule(
      new (lib().SarifRuleBuilder)({
        id: ruleId,
        name: ruleName(ruleId),
        shortDescription: { text: short },
        fullDescription: { text: `${short}: a leaked ${issuerName(f.issuer)} credential (keyscope rule ${ruleId}).` },
        help: {
          text: 'Revoke or rotate the credential at its issuer first, then remove it from the code and history, and replace it with a narrower credential from a secret store.',
        },
        defaultConfiguration: { level: 'error' },
        properties: {
          tags: ['security', 'secret', f.issuer],
          precision: 'high',
          'security-severity': securitySeverity(max),
        },
      } as never),
    );
  }
  for (const f of r.findings) run.addResult(resultFor(f, opts.showSecrets));
  builder.addRun(run);
  return builder.buildSarifOutput();
}

export function renderSarif(report: Report, opts: RenderOptions): string {
  return `${JSON.stringify(buildSarif(report, opts), null, 2)}\n`;
}
