import pc from 'picocolors';
import type { Report, Severity } from '../types.js';
import { SEVERITIES } from '../types.js';
import {
  issuerLabel,
  keyKind,
  location,
  oneLine,
  pluralize,
  type RenderOptions,
  safeReport,
  severitySummary,
  shortCommit,
  statsLine,
  statusOf,
  targetLabel,
} from './common.js';

// The terminal report: grouped by severity, highest score first, one line per occurrence.

const MAX_OCCURRENCES = 20;

export function renderText(report: Report, opts: RenderOptions): string {
  const c = pc.createColors(opts.color);
  const paint: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const r = safeReport(report, opts.showSecrets);
  const out: string[] = [];
  out.push(c.bold(`keyscope ${oneLine(r.version)}`) + c.dim(` · ${oneLine(targetLabel(r))}`));
  if (!r.findings.length) {
    out.push('', c.green('No secrets found.'), '', c.dim(statsLine(r)));
    return `${out.join('\n')}\n`;
  }
  for (const sev of SEVERITIES) {
    const group = r.findings.filter((f) => (f.risk?.severity ?? 'info') === sev);
    if (!group.length) continue;
    out.push('', paint[sev](`${sev.toUpperCase()} (${group.length})`));
    for (const f of group) {
      const score = f.risk ? String(f.risk.score).padStart(3) : '  ?';
      const value = oneLine(opts.showSecrets && f.secret ? f.secret.replace(/\s+/g, ' ') : f.redacted);
      const tags = f.risk?.nhi?.length ? c.dim(` [${f.risk.nhi.join(' ')}]`) : '';
      out.push(
        `  ${paint[sev](score)}  ${c.bold(oneLine(`${issuerLabel(f)} ${keyKind(f)}`))}  ${value}  ${c.dim(oneLine(statusOf(f)))}${tags}`,
      );
      for (const reason of f.risk?.reasons ?? []) out.push(`       ${oneLine(reason)}`);
      const occ = f.occurrences ?? [];
      for (const o of occ.slice(0, MAX_OCCURRENCES)) {
        const commit = o.commit ? c.dim(` @${oneLine(shortCommit(o.commit))}`) : '';
        out.push(`       ${c.underline(oneLine(location(o)))}  ${value}${commit}`);
      }
      if (occ.length > MAX_OCCURRENCES) out.push(c.dim(`       … and ${occ.length - MAX_OCCURRENCES} more places`));
      const rec = f.risk?.recommendation;
      if (rec) {
        out.push(`       ${c.green('fix:')} use ${oneLine(rec.replacement)}`);
        if (rec.consoleUrl) out.push(`       ${c.green('revoke:')} ${oneLine(rec.consoleUrl)}`);
      }
    }
  }
  out.push(
    '',
    `${c.bold(pluralize(r.findings.length, 'finding'))}: ${severitySummary(r.findings)} · ${c.dim(statsLine(r))}`,
  );
  return `${out.join('\n')}\n`;
}
