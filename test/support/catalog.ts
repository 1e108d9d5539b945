import path from 'node:path';
import { Detector } from '../../src/detect/engine.js';
import { loadRules } from '../../src/detect/rules/load.js';
import type { RuleSpec } from '../../src/detect/rules/schema.js';
import type { Match } from '../../src/types.js';

// What the rule-catalog tests (test/rules/catalog-*.test.ts) share: the whole rule set behind one detector, the
// part a test file owns, and which matches count as a rule's findings.

/** Generator seeds each example is expanded with. */
export const SEEDS = [1, 2, 3, 7, 42];

export interface CatalogPart {
  /** Every rule (companion references may point outside the part). */
  all: RuleSpec[];
  /** The rules from the part's files (rules/<name>.toml). */
  mine: RuleSpec[];
  /** Matches of the full rule set in `text`, as found in a file named `file`. */
  scan(text: string, file?: string): Match[];
}

export function catalogPart(files: readonly string[]): CatalogPart {
  const all = loadRules();
  const detector = Detector.create(all);
  return {
    all,
    mine: all.filter((r) => files.includes(path.basename(r.file, '.toml'))),
    scan: (text, file = 'example.txt') => detector.scan({ path: file, bytes: Buffer.from(text, 'utf8') }),
  };
}

/** A companion-only rule never reports: its example must attach it to another rule's finding instead. */
export function hits(rule: RuleSpec, matches: Match[]): Match[] {
  if (rule.companionOnly) return matches.filter((m) => m.companions?.[rule.id] !== undefined);
  return matches.filter((m) => m.ruleId === rule.id);
}
