import type { Finding, Report, Severity } from '../types.js';
import { issuerLabel, keyKind, type RenderOptions, safeReport, severitySummary } from './common.js';

// GitHub workflow commands: `::error file=…,line=…,col=…,title=…::message`, one per occurrence.

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'error',
  low: 'warning',
  info: 'notice',
};

/** Escaping of the message part (actions/toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of property values (actions/toolkit `escapeProperty`): also `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function message(f: Finding, showSecrets: boolean): string {
  const r = f.risk;
  const value = showSecrets && f.secret ? f.secret : f.redacted;
  const lines = [
    `${issuerLabel(f)} ${keyKind(f)} ${value} (${f.access?.status ?? 'not checked'}): ${r?.severity ?? 'unscored'} risk ${r?.score ?? '?'}/100${r?.nhi?.length ? ` [${r.nhi.join(' ')}]` : ''}`,
    ...(r?.reasons ?? []),
  ];
  if (r?.recommendation) lines.push(`Fix: revoke or rotate it, then use ${r.recommendation.replacement}.`);
  else lines.push('Fix: revoke or rotate it, then remove it from the code.');
  return lines.join('\n');
}

export function renderGithub(report: Report, opts: RenderOptions): string {
  const r = safeReport(report, opts.showSecrets);
  const out: string[] = [];
  for (const f of r.findings) {
    const level = LEVEL[f.risk?.severity ?? 'info'];
    const title = `keyscope: ${f.ruleId} (${f.risk?.severity ?? 'unscored'} ${f.risk?.score ?? '?'})`;
    const msg = escapeData(message(f, opts.showSecrets));
    const seen = new Set<string>();
    for (const o of f.occurrences ?? []) {
      const key = `${o.file}:${o.line}:${o.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const props = [`file=${escapeProperty(o.file)}`, `line=${o.line}`];
      if (o.column) props.push(`col=${o.column}`);
      props.push(`title=${escapeProperty(title)}`);
      out.push(`::${level} ${props.join(',')}::${msg}`);
    }
  }
  if (r.findings.length)
    out.push(
      `::notice title=keyscope::${escapeData(`${r.findings.length} secrets found: ${severitySummary(r.findings)}`)}`,
    );
  else out.push('::notice title=keyscope::No secrets found');
  return `${out.join('\n')}\n`;
}
