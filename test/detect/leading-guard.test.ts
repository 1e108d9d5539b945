import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { Detector, leadingGuard } from '../../src/detect/engine.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { samplePath } from '../../src/detect/rules/selftest.js';
import { expandTemplate } from '../../src/detect/samples.js';

// A leading `\b`, `(?:^|[…])` or short run of classes is cut off a pattern (so RE2 can skip ahead to its literal)
// and checked on the bytes before each match. Matching must not change: every guarded rule's examples, glued to
// word bytes, separators, line starts and the blob start, give the secrets the original pattern gives.

/** The secrets the pattern as written finds, RE2 directly. */
function original(pattern: string, text: Buffer): string[] {
  const re = new RE2(pattern, 'gm');
  const out: string[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const arr = m as unknown as Buffer[];
    if (arr[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const g = (m.groups?.secret as unknown as Buffer | undefined) ?? arr[1] ?? arr[0];
    out.push(g.toString());
  }
  return out;
}

describe('leading guards', () => {
  it('cuts only guards it can check, keeping flags', () => {
    expect(leadingGuard('\\b(?P<secret>cio[A-Z]{3})')?.rest).toBe('(?P<secret>cio[A-Z]{3})');
    expect(leadingGuard('(?i)\\blob_key')?.rest).toBe('(?i)lob_key');
    expect(leadingGuard('[A-Za-z0-9][_.-][Kk][Ee][Yy]=')?.before).toHaveLength(2);
    // Nothing to skip to after the guard, or a quantified class: left alone.
    expect(leadingGuard('\\b[MNO][A-Za-z]{3}')).toBeUndefined();
    expect(leadingGuard('[a-z]{2}ab')).toBeUndefined();
    expect(leadingGuard('\\b(?P<secret>dev\\.x|[a-z]+\\.y)')).toBeUndefined();
    expect(leadingGuard('(?i)\\bsecret')).toBeUndefined();
  });

  const specs = loadRules();
  const guarded = specs.filter((s) => leadingGuard(s.regex));
  const detector = Detector.create(specs);

  it('covers a real share of the catalog', () => {
    expect(guarded.length).toBeGreaterThan(10);
  });

  for (const spec of guarded) {
    it(`${spec.id}: same secrets as the pattern as written`, () => {
      for (const example of spec.examples) {
        const ex = expandTemplate(example, 5);
        for (const glue of ['', 'x', '_', '9', ' ', '\n', '-', '.', '"', '=', 'é']) {
          const text = Buffer.from(`${glue}${ex}\n${glue}${glue}${ex}`);
          const want = original(spec.regex, text);
          const got = detector
            .scan({ path: samplePath(spec), bytes: text }, new Set([spec.id]))
            .filter((m) => m.ruleId === spec.id)
            .map((m) => m.secret);
          // The engine also drops placeholders and allowlisted values: it reports a subset, never something else.
          for (const s of got) expect(want, `${JSON.stringify(glue)}`).toContain(s);
          if (glue === '' || glue === '\n') expect(got.length, JSON.stringify(glue)).toBe(want.length);
        }
      }
    });
  }
});
