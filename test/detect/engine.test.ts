import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/engine.js';
import { groupMatches } from '../../src/detect/group.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { expandTemplate } from '../../src/detect/samples.js';

// Engine behaviour on a small rule set written for the test, independent of the shipped catalog.
const dir = mkdtempSync(path.join(os.tmpdir(), 'keyscope-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  path.join(dir, 'test.toml'),
  `
issuer = "github"

[[rules]]
id = "t-classic"
description = "classic PAT"
regex = '''\\b(ghp_[0-9A-Za-z]{36})\\b'''
keywords = ["ghp_"]
tokenType = "classic-pat"
checksum = "github-crc32"
examples = ["{{gen:github:ghp}}"]

[[rules]]
id = "t-generic"
issuer = "generic"
description = "generic token assignment"
regex = '''(?i)token\\s*=\\s*["']?([A-Za-z0-9_]{30,})'''
keywords = ["token"]
tokenType = "generic"
examples = ["token = {{rand:A-Za-z0-9:32}}"]

[[rules]]
id = "t-keyid"
issuer = "aws"
description = "key id"
regex = '''\\b(AKIA[A-Z2-7]{16})\\b'''
keywords = ["akia"]
tokenType = "access-key-id"
companions = ["t-keysecret"]
examples = ["AKIA{{rand:A-Z2-7:16}}"]

[[rules]]
id = "t-keysecret"
issuer = "aws"
description = "key secret"
regex = '''(?i)secret[a-z_]*\\s*[=:]\\s*["']?([A-Za-z0-9/+]{40})\\b'''
keywords = ["secret"]
tokenType = "secret-access-key"
examples = ["secret = {{rand:A-Za-z0-9/+:40}}"]

[[rules]]
id = "t-user"
issuer = "acme"
description = "user key"
regex = '''\\b(acmeu_[a-z0-9]{20})\\b'''
keywords = ["acmeu_"]
tokenType = "user"
companions = ["t-app"]
examples = ["acmeu_{{rand:a-z0-9:20}}"]

[[rules]]
id = "t-app"
issuer = "acme"
description = "app key"
regex = '''\\b(acmea_[a-z0-9]{20})\\b'''
keywords = ["acmea_"]
tokenType = "app"
companions = ["t-user"]
examples = ["acmea_{{rand:a-z0-9:20}}"]

[[rules]]
id = "t-sid"
issuer = "twilio"
description = "sid"
regex = '''\\b(AC[0-9a-f]{32})\\b'''
keywords = ["ac"]
tokenType = "account-sid"
companionOnly = true
examples = ["AC{{rand:0-9a-f:32}}"]
`,
);

const detector = Detector.create(loadRules({ dirs: [dir] }));
const gh = (seed: number) => expandTemplate('{{gen:github:ghp}}', seed);
const scan = (text: string | Buffer, p = 'f.txt') =>
  detector.scan({ path: p, bytes: typeof text === 'string' ? Buffer.from(text) : text });

describe('Detector', () => {
  it('reports 1-based line and column in characters, also after multi-byte text', () => {
    const tok = gh(1);
    const m = scan(`first\n  “quoted” é ${tok}\n`);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ ruleId: 't-classic', line: 2, column: 14, secret: tok, checksum: 'valid' });
  });

  it('drops a well-formed token whose checksum does not hold', () => {
    const tok = gh(2);
    const broken = tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A');
    expect(scan(`x ${broken}`)).toHaveLength(0);
  });

  it('lets the specific rule win over a generic one on the same bytes', () => {
    const m = scan(`token = "${gh(3)}"`);
    expect(m.map((x) => x.ruleId)).toEqual(['t-classic']);
  });

  it('suppresses a line marked keyscope:allow', () => {
    expect(scan(`const t = '${gh(4)}'; // keyscope:allow test fixture`)).toHaveLength(0);
  });

  it('treats placeholders and template references as non-secrets', () => {
    expect(scan(`token = "${'x'.repeat(36)}"`)).toHaveLength(0);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style reference is the input under test
    expect(scan('token = "${GITHUB_TOKEN_FROM_ENVIRONMENT_XXX}"')).toHaveLength(0);
  });

  it('attaches a nearby companion and does not report it separately', () => {
    const id = expandTemplate('AKIA{{rand:A-Z2-7:16}}', 5);
    const secret = expandTemplate('{{rand:A-Za-z0-9:40}}', 6);
    const m = scan(`aws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`);
    expect(m).toHaveLength(1);
    expect(m[0].ruleId).toBe('t-keyid');
    expect(m[0].companions).toEqual({ 't-keysecret': secret });
  });

  it('does not let two rules that name each other as companions swallow each other', () => {
    const u = expandTemplate('acmeu_{{rand:a-z0-9:20}}', 11);
    const a = expandTemplate('acmea_{{rand:a-z0-9:20}}', 12);
    const m = scan(`user=${u}\napp=${a}\n`);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ ruleId: 't-user', companions: { 't-app': a } });
  });

  it('never reports a companion-only rule on its own', () => {
    expect(scan(`sid = ${expandTemplate('AC{{rand:0-9a-f:32}}', 7)}`)).toHaveLength(0);
  });

  it('matches inside invalid UTF-8 and on a multi-megabyte single line', () => {
    const tok = gh(8);
    const bad = Buffer.concat([Buffer.from([0xff, 0xfe, 0xe9, 0x20]), Buffer.from(tok), Buffer.from([0xc3, 0x28])]);
    expect(scan(bad).map((m) => m.secret)).toEqual([tok]);
    const long = `${'a=1;'.repeat(1_500_000)}var k="${tok}";${'b=2;'.repeat(10_000)}`;
    const m = scan(long, 'bundle.min.js');
    expect(m).toHaveLength(1);
    expect(m[0].line).toBe(1);
    expect(m[0].column).toBe(6_000_008);
  });

  it('runs only the rules whose keywords occur (prefilter)', () => {
    expect(detector.candidateRules(Buffer.from('nothing to see')).map((r) => r.spec.id)).toEqual([]);
    expect(detector.candidateRules(Buffer.from('GHP_')).map((r) => r.spec.id)).toEqual(['t-classic']);
  });

  it('refuses a rule RE2 cannot compile, naming file and rule', () => {
    const bad = mkdtempSync(path.join(os.tmpdir(), 'keyscope-badrule-'));
    writeFileSync(
      path.join(bad, 'bad.toml'),
      `issuer = "x"\n[[rules]]\nid = "bad-lookahead"\ndescription = "d"\nregex = '''(?=foo)bar'''\ntokenType = "t"\nexamples = ["bar"]\n`,
    );
    expect(() => Detector.create(loadRules({ dirs: [bad] }))).toThrow(
      /bad\.toml: rule bad-lookahead: RE2 cannot compile/,
    );
    rmSync(bad, { recursive: true, force: true });
  });
});

describe('groupMatches', () => {
  it('makes one finding per secret with every occurrence, and a fingerprint that survives moves', () => {
    const tok = gh(9);
    const a = scan(`one ${tok}`, 'a.txt');
    const b = scan(`\n\n  moved ${tok}`, 'b/c.txt');
    const [f] = groupMatches([...a, ...b]);
    expect(f.occurrences.map((o) => `${o.file}:${o.line}`)).toEqual(['a.txt:1', 'b/c.txt:3']);
    const [again] = groupMatches(scan(`elsewhere\n${tok}`, 'z.txt'));
    expect(again.id).toBe(f.id);
    expect(f.redacted).not.toContain(tok.slice(6, -2));
    expect(f.redacted.startsWith('ghp_')).toBe(true);
  });
});
