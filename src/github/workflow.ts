import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

// The runner's side channels: inputs (INPUT_* variables), workflow commands on stdout, $GITHUB_OUTPUT and
// $GITHUB_STEP_SUMMARY. Written out here rather than pulling in @actions/core for five small functions.

/** A composite action passes inputs as env; accept INPUT_FAIL_ON and INPUT_FAIL-ON alike. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const upper = name.toUpperCase();
  const v = env[`INPUT_${upper.replace(/ /g, '_')}`] ?? env[`INPUT_${upper.replace(/[- ]/g, '_')}`] ?? '';
  return v.trim();
}

export function getBooleanInput(name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const v = getInput(name, env).toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new Error(`input ${name} must be true or false, not "${v}"`);
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  file: string;
  line: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title: string;
  message: string;
}

export function annotationCommand(a: Annotation): string {
  const props: string[] = [`file=${escapeProperty(a.file)}`, `line=${a.line}`];
  if (a.endLine !== undefined) props.push(`endLine=${a.endLine}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  if (a.endColumn !== undefined) props.push(`endColumn=${a.endColumn}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}

/** A plain workflow message (no file), e.g. `::warning::…`. */
export function messageCommand(level: AnnotationLevel | 'debug', message: string): string {
  return `::${level}::${escapeData(message)}`;
}

/** Appends outputs in the multi-line-safe `name<<DELIMITER` form. Without GITHUB_OUTPUT (a local run) does nothing. */
export function setOutputs(values: Record<string, string>, file = process.env.GITHUB_OUTPUT): void {
  if (!file) return;
  let text = '';
  for (const [name, value] of Object.entries(values)) {
    const delim = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delim}\n${value}\n${delim}\n`;
  }
  appendFileSync(file, text);
}

export function appendSummary(markdown: string, file = process.env.GITHUB_STEP_SUMMARY): boolean {
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}
