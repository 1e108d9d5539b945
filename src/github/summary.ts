import { renderReport } from '../report/index.js';
import { mdText, PR_MARKER, renderMarkdown, renderPrComment } from '../report/markdown.js';
import type { Report } from '../types.js';
import type { CommentResult } from './comment.js';
import type { RunContext } from './event.js';
import type { ScanPlan } from './plan.js';

// The report as the action publishes it: the PR comment, the job summary, and the files behind the outputs.
// Everything goes through src/report, whose renderers only ever see a secret-free copy of the report.

export function runUrl(ctx: RunContext): string | undefined {
  if (!ctx.repository || !ctx.runId) return undefined;
  return `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
}

export function renderFormats(report: Report): { sarif: string; markdown: string } {
  const opts = { showSecrets: false, color: false };
  return { sarif: ensureNewline(renderReport(report, 'sarif', opts)), markdown: renderMarkdown(report, opts) };
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

export function commentBody(report: Report, ctx: RunContext, plan: ScanPlan): string {
  const body = renderPrComment(report, { marker: PR_MARKER, runUrl: runUrl(ctx) }).trimEnd();
  const head = plan.kind === 'range' ? ` at ${plan.head.slice(0, 7)}` : '';
  return `${body}\n\n<sub>keyscope ${mdText(report.version || '')} scanned ${mdText(plan.label)}${head}.</sub>\n`;
}

export interface SummaryInput {
  ctx: RunContext;
  plan: ScanPlan;
  comment?: CommentResult;
  annotations: number;
  /** Annotations beyond GitHub's per-step limit, listed only here. */
  droppedAnnotations?: number;
}

/** GitHub accepts up to 1 MiB of summary per step. */
const MAX_SUMMARY = 1000 * 1024;

export function summaryMarkdown(report: Report, s: SummaryInput): string {
  const md = renderMarkdown(report, { showSecrets: false, color: false }).replace(/^# /, '## ');
  const notes: string[] = [`Scanned ${mdText(s.plan.label)}.`];
  for (const n of s.plan.notes) notes.push(mdText(n));
  if (s.annotations) notes.push(`${s.annotations} annotation(s) on the changed code.`);
  if (s.droppedAnnotations) {
    notes.push(
      `${s.droppedAnnotations} more location(s) not annotated (GitHub shows 10 per level and step); all are listed above.`,
    );
  }
  const c = s.comment;
  if (c?.action === 'created' || c?.action === 'updated') {
    notes.push(`Pull-request comment ${c.action}${c.url ? `: ${c.url}` : ''}.`);
  } else if (c?.action === 'skipped' || c?.action === 'failed') {
    notes.push(`No pull-request comment: ${mdText(c.reason ?? c.action)}.`);
  }
  const tail = `\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  let head = md.trimEnd();
  if (Buffer.byteLength(head) + Buffer.byteLength(tail) > MAX_SUMMARY) {
    head = head.slice(0, MAX_SUMMARY / 2);
    head = `${head.slice(0, head.lastIndexOf('\n'))}\n\n… cut to fit the job summary; the JSON and SARIF reports have every finding.`;
  }
  return `${head}${tail}`;
}
