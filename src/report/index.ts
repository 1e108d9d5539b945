import type { Report } from '../types.js';
import type { RenderOptions } from './common.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'github' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown', 'github', 'html'];

const RENDERERS: Record<ReportFormat, (r: Report, o: RenderOptions) => string> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  markdown: renderMarkdown,
  github: renderGithub,
  html: renderHtml,
};

/** Renders a report. No format ever contains a full secret unless `showSecrets`. */
export function renderReport(report: Report, format: ReportFormat, opts: RenderOptions): string {
  const render = RENDERERS[format];
  if (!render) throw new Error(`unknown report format "${String(format)}" (known: ${REPORT_FORMATS.join(', ')})`);
  return render(report, opts);
}

export type { RenderOptions } from './common.js';
export { compareFindings, safeReport } from './common.js';
export { escapeData, escapeProperty } from './github.js';
export { escapeHtml } from './html.js';
export { jsonReportSchema, parseReport, ReportParseError, toJsonReport } from './json.js';
export { PR_MARKER, type PrCommentOptions, renderPrComment } from './markdown.js';
export { buildSarif } from './sarif.js';
