import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildSarif } from '../../src/report/index.js';
import { emptyReport, sampleReport } from './fixtures.js';

// Validation against the published SARIF 2.1.0 JSON schema (draft-04), vendored under fixtures/schemas.

const require = createRequire(import.meta.url);
type Validator = { (data: unknown): boolean; errors?: unknown[] | null };

function loadValidator(): Validator {
  const schema = require('../../fixtures/schemas/sarif-2.1.0-rtm.5.json');
  const AjvMod = require('ajv-draft-04');
  const Ajv = AjvMod.default ?? AjvMod;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema) as Validator;
}

const validator = loadValidator();

describe('SARIF against the 2.1.0 JSON schema', () => {
  it.each([
    ['a full report', sampleReport()],
    ['an empty report', emptyReport()],
  ])('%s validates', (_name, report) => {
    const v = validator as Validator;
    const ok = v(buildSarif(report, { showSecrets: false, color: false }));
    expect(v.errors ?? [], JSON.stringify(v.errors?.slice(0, 5))).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('the SARIF validator itself', () => {
  it('rejects a document that breaks the schema', () => {
    const doc = buildSarif(sampleReport(), { showSecrets: false, color: false }) as {
      runs: { results: { level?: string }[] }[];
    };
    doc.runs[0].results[0].level = 'catastrophic';
    expect(validator(doc)).toBe(false);
  });
});
