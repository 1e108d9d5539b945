import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePath } from '../../src/detect/rules/selftest.js';
import { expandTemplate, hasTemplate } from '../../src/detect/samples.js';
import { catalogPart, hits, SEEDS } from '../support/catalog.js';

// Catalog part B: issuers not described in ISSUERS.md (breadth). Every example must give exactly one finding of its
// rule over several generator seeds, every counterexample none, and the rule files themselves none.
// biome-ignore format: a compact list of issuer ids
const PART_B = [
  '1password', 'adafruit', 'adobe', 'age', 'algolia', 'alibaba', 'auth0', 'blynk', 'brevo', 'browserstack',
  'clojars', 'codeclimate', 'codecov', 'cohere', 'contentful', 'crates-io', 'dependency-track', 'django', 'dropbox',
  'duffel', 'dynatrace', 'easypost', 'facebook', 'fastly', 'figma', 'firecrawl', 'flutterwave', 'flyio', 'frameio',
  'gitter', 'gocardless', 'gradle', 'harness', 'hubspot', 'infracost', 'intercom', 'jenkins', 'jina', 'kagi',
  'kubernetes', 'launchdarkly', 'linkedin', 'lob', 'mapbox', 'maxmind', 'microsoft-teams', 'mistral', 'nasa',
  'netrc', 'new-relic', 'ngrok', 'nuget', 'octopus-deploy', 'odbc', 'openshift', 'particle', 'password-hash',
  'phpmailer', 'planetscale', 'postmark', 'prefect', 'psexec', 'pulumi', 'react-app', 'readme', 'rubygems',
  'salesforce', 'saucelabs', 'scalingo', 'segment', 'shippo', 'sidekiq', 'snyk', 'sonarqube', 'sourcegraph',
  'stackhawk', 'tailscale', 'tavily', 'teamcity', 'thingsboard', 'travis-ci', 'truenas', 'twitch', 'twitter',
  'typeform', 'vmware', 'wireguard', 'yandex', 'zapier', 'zendesk', 'wandb', 'asana', 'opsgenie', 'splunk',
  'consul', 'resend', 'posthog', 'hex', 'confluent',
];
const { all, mine, scan } = catalogPart(PART_B);

describe('catalog part B', () => {
  it('has a rule file for every part-B issuer and enough breadth', () => {
    const files = new Set(mine.map((r) => path.basename(r.file, '.toml')));
    expect([...files].sort()).toEqual([...PART_B].sort());
    expect(new Set(mine.map((r) => r.issuer)).size).toBe(PART_B.length);
    expect(mine.length).toBeGreaterThanOrEqual(120);
  });

  for (const rule of mine) {
    describe(rule.id, () => {
      it('is well-formed', () => {
        expect(rule.issuer).toBe(path.basename(rule.file, '.toml'));
        expect(rule.id.startsWith(`${rule.issuer}-`)).toBe(true);
        expect(rule.keywords.length).toBeGreaterThan(0);
        for (const k of rule.keywords) expect(k).toBe(k.toLowerCase());
        expect(rule.counterexamples.length).toBeGreaterThan(0);
        for (const c of rule.companions) expect(all.some((r) => r.id === c)).toBe(true);
      });

      rule.examples.forEach((example, i) => {
        it(`example ${i + 1} gives exactly one finding`, () => {
          for (const seed of SEEDS) {
            const text = expandTemplate(example, seed);
            const found = hits(rule, scan(text, samplePath(rule)));
            expect(
              found.map((m) => m.ruleId),
              `seed ${seed}: ${JSON.stringify(text.slice(0, 300))}`,
            ).toHaveLength(1);
          }
        });
        it(`example ${i + 1} holds no live-looking literal`, () => {
          // Unexpanded, the example is not a finding: its secret comes from the token factory.
          expect(hasTemplate(example)).toBe(true);
          expect(hits(rule, scan(example, samplePath(rule)))).toHaveLength(0);
        });
      });

      rule.counterexamples.forEach((counter, i) => {
        it(`counterexample ${i + 1} gives no finding`, () => {
          for (const seed of SEEDS) {
            const text = expandTemplate(counter, seed);
            expect(hits(rule, scan(text, samplePath(rule))), JSON.stringify(text.slice(0, 300))).toHaveLength(0);
          }
        });
      });
    });
  }

  it('the rule files are not findings themselves (dogfood)', () => {
    for (const f of [...new Set(mine.map((r) => r.file))]) {
      const found = scan(readFileSync(f, 'utf8'), f);
      expect(found.map((m) => `${path.basename(f)}:${m.line} ${m.ruleId}`)).toEqual([]);
    }
  });
});
