import RE2 from 're2';
import type { Match } from '../../types.js';
import type { Detector } from '../engine.js';
import { expandTemplate } from '../samples.js';
import type { RuleSpec } from './schema.js';

// Runs each rule's own examples and counterexamples: the catalog's built-in test suite (`keyscope rules test`).

export interface RuleTestFailure {
  ruleId: string;
  file: string;
  kind: 'example' | 'counterexample';
  /** The template as written (never an expanded secret). */
  sample: string;
  problem: string;
}

// Rules limited to some paths (CSV exports, Markdown, Gradle builds) are tried on the first of these names they accept.
const SAMPLE_PATHS = [
  'example.txt',
  'example.csv',
  'README.md',
  'build.gradle',
  'config.yaml',
  'settings.xml',
  '.pgpass',
  'rclone.conf',
  'Dockerfile',
];

/** A file name the rule runs on, for its examples. */
export function samplePath(spec: RuleSpec): string {
  if (spec.paths.length === 0) return SAMPLE_PATHS[0];
  const res = spec.paths.map((p) => new RE2(p));
  return SAMPLE_PATHS.find((p) => res.some((r) => r.test(p))) ?? SAMPLE_PATHS[0];
}

/** Whether every match of the rule's pattern in `text` holds one of its keywords (when the rule says so). */
function keywordsInMatches(spec: RuleSpec, text: string): boolean {
  if (!spec.keywordInMatch || spec.keywords.length === 0) return true;
  const re = new RE2(spec.regex, 'gm');
  const keywords = spec.keywords.map((k) => k.toLowerCase());
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const lower = m[0].toLowerCase();
    if (!keywords.some((k) => lower.includes(k))) return false;
  }
  return true;
}

/** Each example must yield exactly one finding of its rule, each counterexample none of it; `seeds` varies generated samples. */
export function testRules(specs: RuleSpec[], detector: Detector, seeds: number[] = [1, 2, 3]): RuleTestFailure[] {
  const failures: RuleTestFailure[] = [];
  for (const spec of specs) {
    // A companion-only rule never reports: its examples pass when its value is attached to a finding of a rule that
    // names it as a companion.
    const users = spec.companionOnly ? specs.filter((s) => s.companions.includes(spec.id)).map((s) => s.id) : [];
    const only = new Set([spec.id, ...spec.companions, ...users]);
    const mine = (m: Match) => (spec.companionOnly ? m.companions?.[spec.id] !== undefined : m.ruleId === spec.id);
    const check = (kind: RuleTestFailure['kind'], sample: string) => {
      const templated = sample.includes('{{');
      for (const seed of templated ? seeds : [1]) {
        let text: string;
        try {
          text = expandTemplate(sample, seed);
        } catch (err) {
          failures.push({ ruleId: spec.id, file: spec.file, kind, sample, problem: (err as Error).message });
          return;
        }
        const hits = detector.scan({ path: samplePath(spec), bytes: Buffer.from(text) }, only).filter(mine);
        if (kind === 'example' && hits.length !== 1) {
          failures.push({
            ruleId: spec.id,
            file: spec.file,
            kind,
            sample,
            problem: `expected 1 finding, got ${hits.length} (seed ${seed})`,
          });
          return;
        }
        if (kind === 'example' && !keywordsInMatches(spec, text)) {
          failures.push({
            ruleId: spec.id,
            file: spec.file,
            kind,
            sample,
            problem:
              "the match holds none of the rule's keywords, but large files are matched only around keyword hits: " +
              'add a keyword the match holds, or set keywordInMatch = false',
          });
          return;
        }
        if (kind === 'counterexample' && hits.length !== 0) {
          failures.push({
            ruleId: spec.id,
            file: spec.file,
            kind,
            sample,
            problem: `expected no finding, got ${hits.length}`,
          });
          return;
        }
      }
    };
    for (const e of spec.examples) check('example', e);
    for (const c of spec.counterexamples) check('counterexample', c);
  }
  return failures;
}
