import type { Finding, Match, Occurrence } from '../types.js';
import { fingerprint } from './fingerprint.js';
import { redact } from './redact.js';

export type OccurrencesOf = (m: Match) => Occurrence[];

const defaultOccurrences: OccurrencesOf = (m) => [
  {
    file: m.path,
    line: m.line,
    column: m.column,
    ...(m.commit ? { commit: m.commit } : {}),
    ...(m.repo ? { repo: m.repo } : {}),
    ...(m.blobOid ? { blobOid: m.blobOid } : {}),
  },
];

function occKey(o: Occurrence): string {
  return `${o.repo ?? ''}\0${o.commit ?? ''}\0${o.file}\0${o.line}\0${o.column}`;
}

/**
 * One finding per secret value, with every place it was seen. When two rules matched the same value
 * (in different files), the first rule that claimed it keeps the finding; companions are merged.
 */
export function groupMatches(matches: Match[], occurrencesOf: OccurrencesOf = defaultOccurrences): Finding[] {
  const byId = new Map<string, { finding: Finding; seen: Set<string> }>();
  for (const m of matches) {
    const id = fingerprint(m.secret);
    let entry = byId.get(id);
    if (!entry) {
      entry = {
        finding: {
          id,
          ruleId: m.ruleId,
          issuer: m.issuer,
          secret: m.secret,
          redacted: redact(m.secret),
          checksum: m.checksum,
          entropy: m.entropy,
          occurrences: [],
        },
        seen: new Set(),
      };
      byId.set(id, entry);
    }
    const f = entry.finding;
    if (m.companions) f.companions = { ...m.companions, ...f.companions };
    for (const o of occurrencesOf(m)) {
      const k = occKey(o);
      if (entry.seen.has(k)) continue;
      entry.seen.add(k);
      f.occurrences.push(o);
    }
  }
  const findings = [...byId.values()].map((e) => e.finding);
  for (const f of findings) f.occurrences.sort(compareOccurrences);
  return findings.sort((a, b) => compareOccurrences(a.occurrences[0], b.occurrences[0]) || a.id.localeCompare(b.id));
}

function compareOccurrences(a: Occurrence, b: Occurrence): number {
  return (
    (a.repo ?? '').localeCompare(b.repo ?? '') ||
    (a.date ?? '').localeCompare(b.date ?? '') ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.commit ?? '').localeCompare(b.commit ?? '')
  );
}
