import { issuerLabel, keyKind } from '../report/common.js';
import type { Finding, Occurrence, Report, Severity } from '../types.js';
import { blobIds } from './git.js';
import { type Annotation, type AnnotationLevel, annotationCommand } from './workflow.js';

// Which occurrences become annotations. On a pull request or push only the lines the change adds, located in the
// head commit: an occurrence counts when its blob is the head's blob at that path (so its line numbers are the
// head's) and that line is an added line. Secrets added and removed again inside the range stay in the comment
// and summary, not on the diff. History scans annotate what is still in the checked-out commit.

export type AnnotationScope =
  | { kind: 'range'; head: string; added: Map<string, Set<number>> }
  | { kind: 'head'; head: string }
  | { kind: 'files' };

/** The same levels as `--format github` (src/report/github.ts). */
export function levelFor(sev: Severity | undefined): AnnotationLevel {
  if (sev === 'critical' || sev === 'high' || sev === 'medium') return 'error';
  if (sev === 'low') return 'warning';
  return 'notice';
}

function statusText(f: Finding): string {
  const a = f.access;
  if (!a) return 'not looked up';
  switch (a.status) {
    case 'live':
      return 'the key is live';
    case 'inactive':
      return 'the key is inactive (revoked or expired)';
    case 'invalid':
      return 'the key is not valid';
    case 'skipped':
      return 'not looked up';
    default:
      return 'liveness unknown';
  }
}

export function annotationFor(f: Finding, o: Occurrence): Annotation {
  const sev = f.risk?.severity;
  const what = `${issuerLabel(f)} ${keyKind(f)}`;
  const score = f.risk ? `, risk ${f.risk.score}` : '';
  const reasons = (f.risk?.reasons ?? []).slice(0, 3);
  const lines = [
    `${f.description ?? f.ruleId}: ${f.redacted} (${statusText(f)}).`,
    ...reasons.map((r) => `- ${r}`),
    'Remove it and revoke or rotate the key at its issuer; a false positive: add `keyscope:allow` on the line.',
  ];
  return {
    level: levelFor(sev),
    file: o.file,
    line: o.line,
    col: o.column > 0 ? o.column : undefined,
    title: `keyscope: ${what} (${sev ?? 'unscored'}${score})`,
    message: lines.join('\n'),
  };
}

export function selectAnnotations(report: Report, scope: AnnotationScope, repoDir: string): Annotation[] {
  const candidates: { f: Finding; o: Occurrence }[] = [];
  for (const f of report.findings) {
    for (const o of f.occurrences ?? []) {
      if (!o.file || !(o.line > 0)) continue;
      if (scope.kind === 'range' && !scope.added.get(o.file)?.has(o.line)) continue;
      candidates.push({ f, o });
    }
  }
  if (scope.kind === 'files') return dedupe(candidates).map(({ f, o }) => annotationFor(f, o));

  // One cat-file for every blob in question: the head's, and each occurrence's when it names only its commit.
  const specs = new Set<string>();
  for (const { o } of candidates) {
    specs.add(`${scope.head}:${o.file}`);
    if (!o.blobOid && o.commit) specs.add(`${o.commit}:${o.file}`);
  }
  const ids = blobIds(repoDir, [...specs]);
  const inHead = candidates.filter(({ o }) => {
    const headBlob = ids.get(`${scope.head}:${o.file}`);
    if (!headBlob) return false;
    const blob = o.blobOid ?? (o.commit ? ids.get(`${o.commit}:${o.file}`) : undefined);
    // No blob and no commit to tell by: trust the added-lines test alone (range), not for history.
    if (!blob) return scope.kind === 'range' && !o.commit;
    return blob === headBlob;
  });
  return dedupe(inHead).map(({ f, o }) => annotationFor(f, o));
}

function dedupe(list: { f: Finding; o: Occurrence }[]): { f: Finding; o: Occurrence }[] {
  const seen = new Set<string>();
  return list.filter(({ f, o }) => {
    const k = `${f.id}\0${o.file}\0${o.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** GitHub shows 10 annotations of each level per step; print the riskiest 10 of each (the list is by risk). */
export const PER_LEVEL = 10;

export function limitAnnotations(list: Annotation[], perLevel = PER_LEVEL): { shown: Annotation[]; dropped: number } {
  const counts: Record<string, number> = {};
  const shown: Annotation[] = [];
  for (const a of list) {
    counts[a.level] = (counts[a.level] ?? 0) + 1;
    if (counts[a.level] <= perLevel) shown.push(a);
  }
  return { shown, dropped: list.length - shown.length };
}

export function writeAnnotations(
  list: Annotation[],
  write: (s: string) => void = (s) => process.stdout.write(s),
): void {
  for (const a of list) write(`${annotationCommand(a)}\n`);
}
