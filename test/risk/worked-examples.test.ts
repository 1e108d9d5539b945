import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreFinding } from '../../src/risk/index.js';
import { workedContext, workedExamples } from './fixtures/worked-examples.js';

// docs/risk.md's worked-example table and the code must agree: this test reads the table from the doc.

function docTable(): Record<string, Record<string, string>> {
  const doc = readFileSync(new URL('../../docs/risk.md', import.meta.url), 'utf8');
  const block = doc.split('<!-- worked-examples:start -->')[1]?.split('<!-- worked-examples:end -->')[0];
  if (!block) throw new Error('docs/risk.md: worked-examples markers not found');
  const rows = block
    .trim()
    .split('\n')
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [header, , ...body] = rows;
  return Object.fromEntries(body.map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
}

describe('docs/risk.md worked examples', () => {
  const table = docTable();
  const examples = workedExamples();

  it('lists every fixture and nothing else', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(examples).sort());
  });

  for (const [id, finding] of Object.entries(examples)) {
    it(`${id}: factors, score, severity and NHI tags match the doc`, () => {
      const row = table[id];
      const risk = scoreFinding(finding, workedContext);
      for (const f of risk.factors ?? []) expect(f.value.toFixed(3), `${id} ${f.name}`).toBe(row[f.name]);
      expect(String(risk.score)).toBe(row.score);
      expect(risk.severity).toBe(row.severity);
      expect(risk.nhi.join(' ')).toBe(row.nhi);
      // The score is the documented product of the rounded factor values.
      const product = (risk.factors ?? []).reduce((p, f) => p * Number(row[f.name]), 100);
      expect(Math.round(product)).toBe(risk.score);
    });
  }

  it('W1 reproduces the headline reason of issue 5', () => {
    const risk = scoreFinding(examples.W1, workedContext);
    expect(risk.reasons[0]).toBe(
      "live GitHub classic PAT of user X with admin:org and delete_repo; reaches 3 orgs and 214 repositories; never expires; in a public repository's history since 2024-03-02",
    );
  });
});
