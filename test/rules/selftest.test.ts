import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/engine.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { testRules } from '../../src/detect/rules/selftest.js';

// `keyscope rules test`: every rule's own examples, companion-only rules included (their value must be attached to a
// finding of a rule that names them).
describe('rules selftest', () => {
  const specs = loadRules();
  const detector = Detector.create(specs);

  it('passes on the whole built-in catalog', () => {
    expect(testRules(specs, detector, [1, 2])).toEqual([]);
  });

  it('checks companion-only examples by attachment, and fails one that attaches nothing', () => {
    const sid = specs.find((s) => s.id === 'twilio-account-sid');
    expect(sid?.companionOnly).toBe(true);
    const broken = { ...sid!, examples: ['TWILIO_ACCOUNT_SID=AC{{rand:0-9a-f:32}}'] };
    const failures = testRules([...specs.filter((s) => s.id !== sid!.id), broken], detector, [1]);
    expect(failures.map((f) => `${f.ruleId} ${f.kind}`)).toEqual(['twilio-account-sid example']);
  });

  it('fails a rule whose match holds none of its keywords unless it says keywordInMatch = false', () => {
    const site = specs.find((s) => s.id === 'atlassian-site');
    expect(site?.keywordInMatch).toBe(false);
    const claimed = { ...site!, keywordInMatch: true };
    const failures = testRules([...specs.filter((s) => s.id !== site!.id), claimed], detector, [1]);
    expect(failures.map((f) => f.ruleId)).toContain('atlassian-site');
    expect(failures.find((f) => f.ruleId === 'atlassian-site')?.problem).toMatch(/keywordInMatch/);
  });
});
