import { NHI_TITLES } from '../risk/nhi.js';
import type { Finding, Report, Severity } from '../types.js';
import {
  issuerLabel,
  keyKind,
  location,
  pluralize,
  type RenderOptions,
  reachSummary,
  safeReport,
  severitySummary,
  statsLine,
  statusOf,
  targetLabel,
} from './common.js';

// Markdown: a table sorted by risk, then details per finding. Also the PR comment the GitHub Action keeps
// updated in place (found again by its hidden marker).

export const PR_MARKER = '<!-- keyscope-report -->';
const SEV_ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '⚪' };
// GitHub rejects comments over 65,536 characters.
const MAX_CHARS = 60_000;

/** Text for a table cell or a line: no newlines, pipes escaped, HTML special characters as entities. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]#~])/g, '\\$1');
}

/** A code span that survives backticks and pipes in its content. */
export function mdCode(s: string): string {
  const one = s.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

function where(f: Finding): string {
  const occ = f.occurrences ?? [];
  if (!occ.length) return '';
  const more = occ.length > 1 ? ` (+${occ.length - 1})` : '';
  return `${mdCode(location(occ[0]))}${more}`;
}

function value(f: Finding, showSecrets: boolean): string {
  return mdCode(showSecrets && f.secret ? f.secret : f.redacted);
}

function table(findings: Finding[], showSecrets: boolean, maxRows: number): string[] {
  const rows = [
    '| # | Score | Severity | Issuer | Key | Status | Reaches | Where | NHI | Why |',
    '|---:|---:|---|---|---|---|---|---|---|---|',
  ];
  findings.slice(0, maxRows).forEach((f, i) => {
    const sev = f.risk?.severity ?? 'info';
    rows.push(
      `| ${i + 1} | **${f.risk?.score ?? '?'}** | ${SEV_ICON[sev]} ${sev} | ${mdText(issuerLabel(f))} | ${value(f, showSecrets)} ${mdText(keyKind(f))} | ${mdText(statusOf(f))} | ${mdText(reachSummary(f))} | ${where(f)} | ${(f.risk?.nhi ?? []).join(' ')} | ${mdText(f.risk?.reasons?.[0] ?? '')} |`,
    );
  });
  if (findings.length > maxRows)
    rows.push('', `… and ${findings.length - maxRows} more findings (see the full report).`);
  return rows;
}

function details(f: Finding, i: number, showSecrets: boolean): string[] {
  const r = f.risk;
  const out = [
    `<details><summary>${i + 1}. ${mdText(issuerLabel(f))} ${mdText(keyKind(f))} — ${r?.severity ?? 'unscored'} ${r?.score ?? ''}</summary>`,
    '',
    `- **Key:** ${value(f, showSecrets)} (${mdText(f.ruleId)}, ${mdText(statusOf(f))})`,
  ];
  for (const reason of r?.reasons ?? []) out.push(`- ${mdText(reason)}`);
  if (r?.nhi?.length) out.push(`- **OWASP NHI:** ${r.nhi.map((t) => `${t} ${NHI_TITLES[t]}`).join(', ')}`);
  if (r?.controls?.length) out.push(`- **NIST CSF 2.0:** ${r.controls.join(', ')}`);
  const a = f.access;
  if (a?.scopes?.length) out.push(`- **Scopes:** ${a.scopes.map(mdCode).join(', ')}`);
  if (a?.expiresAt !== undefined) out.push(`- **Expires:** ${a.expiresAt === null ? 'never' : mdText(a.expiresAt)}`);
  if (r?.recommendation) {
    out.push(`- **Replace with:** ${mdText(r.recommendation.replacement)}`);
    r.recommendation.steps.forEach((s, k) => {
      out.push(`  ${k + 1}. ${mdText(s)}`);
    });
    if (r.recommendation.consoleUrl) out.push(`- **Revoke/rotate:** ${r.recommendation.consoleUrl}`);
  }
  const occ = f.occurrences ?? [];
  out.push(
    `- **Found in ${pluralize(occ.length, 'place')}:** ${occ
      .slice(0, 10)
      .map((o) => mdCode(location(o)))
      .join(', ')}${occ.length > 10 ? ` and ${occ.length - 10} more` : ''}`,
  );
  out.push('', '</details>');
  return out;
}

function body(r: Report, opts: { showSecrets: boolean; maxRows: number; maxDetails: number }): string[] {
  const out = [
    `**${severitySummary(r.findings)}** · ${mdText(targetLabel(r))} · ${mdText(statsLine(r))}`,
    '',
    ...table(r.findings, opts.showSecrets, opts.maxRows),
    '',
  ];
  r.findings.slice(0, opts.maxDetails).forEach((f, i) => {
    out.push(...details(f, i, opts.showSecrets), '');
  });
  return out;
}

function cap(text: string): string {
  if (text.length <= MAX_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_CHARS);
  return `${text.slice(0, cut > 0 ? cut : MAX_CHARS)}\n\n… (truncated: see the full report)\n`;
}

export function renderMarkdown(report: Report, opts: RenderOptions): string {
  const r = safeReport(report, opts.showSecrets);
  if (!r.findings.length) return `# keyscope report\n\nNo secrets found. ${mdText(statsLine(r))}\n`;
  const out = [
    `# keyscope report: ${pluralize(r.findings.length, 'secret')} found`,
    '',
    ...body(r, { ...opts, maxRows: 500, maxDetails: 200 }),
  ];
  return `${out.join('\n').trimEnd()}\n`;
}

export interface PrCommentOptions {
  marker?: string;
  /** Link to the workflow run, shown at the end. */
  runUrl?: string;
  maxRows?: number;
}

/** The one PR comment: hidden marker first, so the Action can find and update it; "all clear" without findings. */
export function renderPrComment(report: Report, opts: PrCommentOptions = {}): string {
  const marker = opts.marker ?? PR_MARKER;
  const r = safeReport(report, false);
  const out = [marker];
  if (!r.findings.length) {
    out.push('### ✅ keyscope: all clear', '', 'No secrets found in this change.');
  } else {
    out.push(
      `### 🔑 keyscope found ${pluralize(r.findings.length, 'secret')} in this change`,
      '',
      ...body(r, { showSecrets: false, maxRows: opts.maxRows ?? 50, maxDetails: 10 }),
      'Remove each secret, **revoke or rotate it** (removing it from the code is not enough), or mark a false positive with a `keyscope:allow` comment on its line.',
    );
  }
  if (opts.runUrl) out.push('', `[Full report](${opts.runUrl})`);
  return cap(`${out.join('\n').trimEnd()}\n`);
}
