import { describe, expect, it } from 'vitest';
import {
  buildSarif,
  escapeData,
  escapeProperty,
  PR_MARKER,
  parseReport,
  REPORT_FORMATS,
  ReportParseError,
  renderPrComment,
  renderReport,
} from '../../src/report/index.js';
import { emptyReport, hostileFinding, sampleReport, secretsOf } from './fixtures.js';

const plain = { showSecrets: false, color: false };

describe('no format leaks a secret', () => {
  const report = sampleReport();
  const secrets = secretsOf(report);

  it('has secrets to look for, including one copied into access notes', () => {
    expect(secrets.length).toBeGreaterThan(30);
    const h = report.findings.find((f) => f.id === 'fp-hostile')!;
    expect(h.access?.notes?.[0]).toContain(h.secret);
  });

  it.each(REPORT_FORMATS)('%s output contains no full secret or companion value', (format) => {
    const out = renderReport(report, format, plain);
    expect(out.length).toBeGreaterThan(100);
    for (const s of secrets) {
      expect(out.includes(s), `${format} leaks ${s.slice(0, 6)}…`).toBe(false);
      // JSON-escaped form too (private keys hold newlines)
      expect(out.includes(JSON.stringify(s).slice(1, -1)), `${format} leaks escaped ${s.slice(0, 6)}…`).toBe(false);
    }
  });

  it.each(REPORT_FORMATS)('%s shows score, severity, reasons and NHI tags', (format) => {
    const out = renderReport(report, format, plain);
    const top = [...report.findings].sort((a, b) => b.risk!.score - a.risk!.score)[0];
    expect(out).toContain(String(top.risk!.score));
    expect(out).toContain(top.risk!.severity);
    expect(out).toContain('NHI5');
    expect(out).toContain('reaches 3 orgs and 214 repositories');
  });

  it('does not change the input report', () => {
    const before = JSON.stringify(report);
    for (const f of REPORT_FORMATS) renderReport(report, f, plain);
    expect(JSON.stringify(report)).toBe(before);
  });

  it('shows the secret under showSecrets in json', () => {
    const out = JSON.parse(renderReport(report, 'json', { showSecrets: true, color: false }));
    const h = report.findings.find((f) => f.id === 'fp-hostile')!;
    const j = out.findings.find((f: { id: string }) => f.id === 'fp-hostile');
    expect(j.secret).toBe(h.secret);
    expect(j.companions).toEqual(h.companions);
    expect(renderReport(report, 'text', { showSecrets: true, color: false })).toContain(h.secret);
  });
});

describe('json', () => {
  it('follows the DESIGN.md contract', () => {
    const report = sampleReport();
    const out = JSON.parse(renderReport(report, 'json', plain));
    expect(Object.keys(out)).toEqual(['tool', 'version', 'target', 'stats', 'generatedAt', 'findings']);
    expect(out.tool).toBe('keyscope');
    for (const k of ['filesScanned', 'blobsScanned', 'bytesScanned', 'skipped', 'lookups', 'durationMs'])
      expect(out.stats).toHaveProperty(k);
    const h = out.findings.find((f: { id: string }) => f.id === 'fp-hostile');
    expect(h).toMatchObject({
      ruleId: 'github-classic-pat',
      issuer: 'github',
      tokenType: 'classic-pat',
      file: 'src/<script>alert(1)</script>/a|b,c:d%e.ts',
      line: 7,
      column: 3,
      commit: 'a'.repeat(40),
      checksum: 'none',
    });
    expect(h).not.toHaveProperty('secret');
    expect(h.redacted).toMatch(/^ghp_.+…/);
    expect(h.occurrences).toHaveLength(2);
    expect(h.occurrences[1]).toMatchObject({ file: 'docs/x\ny.md', repo: 'acme/api' });
    expect(h.access.notes[0]).toMatch(/^probe with ghp_.{2}…/);
    for (const f of out.findings) {
      expect(f.risk.score).toBeGreaterThan(0);
      expect(typeof f.risk.severity).toBe('string');
      expect(f.risk.reasons.length).toBeGreaterThan(0);
      expect(f.risk.nhi).toContain('NHI2');
    }
    // sorted by score
    const scores = out.findings.map((f: { risk: { score: number } }) => f.risk.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('parseReport reads a report back; secret empty unless it was shown', () => {
    const report = sampleReport();
    const back = parseReport(renderReport(report, 'json', plain));
    expect(back.findings).toHaveLength(report.findings.length);
    const h = back.findings.find((f) => f.id === 'fp-hostile')!;
    expect(h.secret).toBe('');
    expect(h.occurrences[0].file).toBe('src/<script>alert(1)</script>/a|b,c:d%e.ts');
    expect(h.access?.status).toBe('live');
    const shown = parseReport(renderReport(report, 'json', { showSecrets: true, color: false }));
    expect(shown.findings.find((f) => f.id === 'fp-hostile')!.secret).toBe(
      report.findings.find((f) => f.id === 'fp-hostile')!.secret,
    );
    // and a re-rendered parsed report is the same JSON
    expect(JSON.parse(renderReport(back, 'json', plain))).toEqual(JSON.parse(renderReport(report, 'json', plain)));
  });

  it('parseReport rebuilds occurrences from top-level fields of a minimal report', () => {
    const r = parseReport(
      JSON.stringify({
        tool: 'keyscope',
        version: '0.1.0',
        target: { kind: 'files' },
        stats: {},
        findings: [{ id: 'x', ruleId: 'r', issuer: 'i', redacted: 'ab…', file: 'a.ts', line: 3 }],
      }),
    );
    expect(r.findings[0].occurrences).toEqual([{ file: 'a.ts', line: 3, column: 1 }]);
    expect(r.stats.skipped).toEqual([]);
  });

  it('parseReport gives clear errors', () => {
    expect(() => parseReport('{nope', 'a.json')).toThrow(/a\.json: not valid JSON/);
    expect(() => parseReport('{"tool":"other"}')).toThrow(ReportParseError);
    expect(() =>
      parseReport(
        JSON.stringify({
          tool: 'keyscope',
          version: '1',
          target: { kind: 'files' },
          stats: {},
          findings: [{ id: 'x', ruleId: 'r', issuer: 'i', redacted: 'r', risk: { score: 'high' } }],
        }),
      ),
    ).toThrow(/findings\.0\.risk\.score/);
  });
});

describe('text', () => {
  it('groups by severity, sorts by score, one line per occurrence, summary line', () => {
    const out = renderReport(sampleReport(), 'text', plain);
    const heads = out.split('\n').filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO) \(\d+\)$/.test(l));
    expect(heads.map((h) => h.split(' ')[0])).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']);
    const scores = [...out.matchAll(/^ {2}( {0,2}\d{1,3}) {2}/gm)].map((m) => Number(m[1]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(out).toMatch(
      /acme\/website:src\/<script>alert\(1\)<\/script>\/a\|b,c:d%e\.ts:7:3 {2}ghp_.{2}….{2} @aaaaaaaaaa\n/,
    );
    // a newline in a path never starts a new line
    expect(out).toMatch(/acme\/api:docs\/x\\ny\.md:2:1 {2}ghp_/);
    expect(out).toMatch(/\n32 findings: 4 critical, 12 high, 6 medium, 6 low, 4 info · 120 files/);
    expect(out).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    expect(renderReport(sampleReport(), 'text', { showSecrets: false, color: true })).toContain('\u001b[');
  });

  it('says "No secrets found" when there are none', () => {
    expect(renderReport(emptyReport(), 'text', plain)).toContain('No secrets found');
  });

  it('shows control characters of file names as escapes', () => {
    const f = hostileFinding();
    f.occurrences[0].file = 'evil\u001b[31mred.txt';
    const out = renderReport(sampleReport([f]), 'text', plain);
    expect(out).toContain('evil\\x1b[31mred.txt');
    expect(out).not.toContain('\u001b');
  });
});

describe('markdown and PR comment', () => {
  it('renders a table sorted by risk with escaped cells', () => {
    const out = renderReport(sampleReport(), 'markdown', plain);
    const rows = out.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(32);
    const scores = rows.map((r) => Number(r.match(/^\| \d+ \| \*\*(\d+)\*\*/)![1]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const hostile = rows.find((r) => r.includes('onerror'))!;
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).toContain('a\\|b,c:d%e.ts');
    // every row keeps the column count (unescaped pipes would add cells)
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length).toBe(12);
    expect(out).toContain('OWASP NHI:** NHI2 Secret Leakage');
  });

  it('PR comment: hidden marker, table, and "all clear" when clean', () => {
    const pr = renderPrComment(sampleReport());
    expect(pr.startsWith(`${PR_MARKER}\n`)).toBe(true);
    expect(pr).toContain('keyscope found 32 secrets');
    expect(pr).toContain('keyscope:allow');
    const clear = renderPrComment(emptyReport(), { marker: '<!-- custom -->' });
    expect(clear.startsWith('<!-- custom -->')).toBe(true);
    expect(clear.toLowerCase()).toContain('all clear');
    expect(clear).not.toContain('|');
  });

  it('PR comment stays under GitHub’s 65,536-character limit', () => {
    const many = Array.from({ length: 400 }, () => hostileFinding());
    many.forEach((f, i) => {
      f.id = `fp-${i}`;
    });
    const pr = renderPrComment(sampleReport(many));
    expect(pr.length).toBeLessThan(65_536);
    expect(pr).toContain('more findings');
  });
});

describe('github annotations', () => {
  it('escapes data and properties like actions/toolkit', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
  });

  it('one command per occurrence, error for high, warning for low, escaped file', () => {
    const out = renderReport(sampleReport(), 'github', plain);
    const lines = out.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) [^\n]*::/);
    const hostile = lines.filter((l) => l.includes('onerror'));
    expect(hostile).toHaveLength(2);
    expect(hostile[0]).toMatch(
      /^::error file=src\/<script>alert\(1\)<\/script>\/a\|b%2Cc%3Ad%25e\.ts,line=7,col=3,title=keyscope%3A github-classic-pat \(critical \d+\)::/,
    );
    expect(hostile[1]).toContain('file=docs/x%0Ay.md,line=2,col=1');
    const low = renderReport(sampleReport(), 'json', plain);
    const lowIds = JSON.parse(low).findings.filter(
      (f: { risk: { severity: string } }) => f.risk.severity === 'low',
    ).length;
    expect(lines.filter((l) => l.startsWith('::warning')).length).toBeGreaterThanOrEqual(lowIds);
    expect(lines.at(-1)).toMatch(/^::notice title=keyscope::32 secrets found/);
  });
});

describe('sarif', () => {
  // The SARIF 2.1.0 JSON schema is not shipped by node-sarif-builder or @types/sarif: this checks the
  // schema's required properties and value constraints for everything keyscope writes.
  // biome-ignore lint/suspicious/noExplicitAny: walking untyped SARIF JSON
  type Json = any;
  it('is structurally valid SARIF 2.1.0', () => {
    const report = sampleReport();
    const log = buildSarif(report, plain) as unknown as Record<string, Json>;
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('keyscope');
    expect(run.tool.driver.version).toBe('0.1.0');
    const rules = run.tool.driver.rules as Json[];
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rules) {
      expect(typeof r.id).toBe('string');
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(Number(r.properties['security-severity'])).toBeGreaterThanOrEqual(0);
      expect(Number(r.properties['security-severity'])).toBeLessThanOrEqual(10);
    }
    expect(run.results).toHaveLength(report.findings.length);
    for (const res of run.results as Json[]) {
      expect(['none', 'note', 'warning', 'error']).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
      expect(rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.rank).toBeGreaterThanOrEqual(-1);
      expect(res.rank).toBeLessThanOrEqual(100);
      expect(typeof res.partialFingerprints['keyscopeFindingId/v1']).toBe('string');
      expect(res.properties.nhi).toContain('NHI2');
      for (const loc of [...res.locations, ...(res.relatedLocations ?? [])]) {
        const pl = loc.physicalLocation;
        expect(pl.artifactLocation.uri).not.toMatch(/^[a-z]+:|^\/|\\|\s|[<>|%](?![0-9A-F]{2})/i);
        expect(Number.isInteger(pl.region.startLine) && pl.region.startLine >= 1).toBe(true);
        expect(Number.isInteger(pl.region.startColumn) && pl.region.startColumn >= 1).toBe(true);
        if (pl.artifactLocation.index !== undefined)
          expect(run.artifacts[pl.artifactLocation.index].location.uri).toBe(pl.artifactLocation.uri);
      }
      const rel = (res.relatedLocations ?? []).map((l: { id: number }) => l.id);
      expect(new Set(rel).size).toBe(rel.length);
    }
    const hostile = run.results.find((r: Json) => r.partialFingerprints['keyscopeFindingId/v1'] === 'fp-hostile');
    expect(hostile.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'src/%3Cscript%3Ealert(1)%3C/script%3E/a%7Cb%2Cc%3Ad%25e.ts',
    );
    expect(hostile.properties.score).toBe(report.findings.find((f) => f.id === 'fp-hostile')!.risk!.score);
    expect(hostile.relatedLocations).toHaveLength(1);
  });
});
