import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCorpus, scoreHits } from '../../fixtures/corpus/monorepo.js';
import { groupMatches } from '../../src/detect/group.js';
import { scanBlobs } from '../../src/detect/scan.js';
import { fileSource } from '../../src/sources/files.js';

// The labeled monorepo: planted secrets of many issuers plus traps. Bar: precision and recall ≥ 0.97.
describe('labeled monorepo corpus', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const seed of [7, 11]) {
    it(`finds the planted secrets and stays quiet on traps (seed ${seed})`, async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'keyscope-corpus-'));
      dirs.push(root);
      const corpus = buildCorpus(root, seed);
      const src = fileSource([root], { maxFileSize: 10 << 20 });
      const res = await scanBlobs(src.blobs, { rules: {}, workers: 0 });
      const findings = groupMatches(res.matches);
      const hits = findings.flatMap((f) =>
        f.occurrences.map((o) => ({ file: o.file, line: o.line, ruleId: f.ruleId })),
      );
      const score = scoreHits(corpus, hits);
      const report = [
        `seed ${seed}: ${corpus.labels.length} planted, tp ${score.tp}, fp ${score.fp}, fn ${score.fn}, precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`,
        ...score.missed.map((m) => `missed ${m.issuer} at ${m.file}:${m.line}`),
        ...score.falsePositives.map((f) => `false positive ${f.ruleId} at ${f.file}:${f.line}`),
      ];
      console.log(report.join('\n'));
      expect(score.recall, report.join('\n')).toBeGreaterThanOrEqual(0.97);
      expect(score.precision, report.join('\n')).toBeGreaterThanOrEqual(0.97);
    });
  }
});
