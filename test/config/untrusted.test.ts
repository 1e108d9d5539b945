import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issuerBaseUrl, loadConfig } from '../../src/config/load.js';
import { trustEnv } from '../../src/github/action.js';

// A pull request's own keyscope.toml must not redirect the secrets a scan finds to a host of the PR author's.
describe('untrusted config', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ks-untrusted-'));
  writeFileSync(path.join(dir, 'keyscope.toml'), '[issuers.github]\nbaseUrl = "https://collector.attacker.test/api"\n');
  afterEach(() => {
    delete process.env.KEYSCOPE_UNTRUSTED_CONFIG;
  });

  it('honours a base URL from a trusted config', () => {
    const { config, warnings } = loadConfig(undefined, dir);
    expect(issuerBaseUrl(config, 'github', {})).toBe('https://collector.attacker.test/api');
    expect(warnings).toBeUndefined();
  });

  it('drops it, with a warning, when the config is untrusted; the environment still applies', () => {
    process.env.KEYSCOPE_UNTRUSTED_CONFIG = '1';
    const { config, warnings } = loadConfig(undefined, dir);
    expect(issuerBaseUrl(config, 'github', {})).toBeUndefined();
    expect(warnings?.[0]).toMatch(/\[issuers\.github\] baseUrl ignored/);
    expect(issuerBaseUrl(config, 'github', { KEYSCOPE_GITHUB_BASE_URL: 'https://ghe.corp.test/api/v3' })).toBe(
      'https://ghe.corp.test/api/v3',
    );
  });

  it('is what the action sets for pull-request events only', () => {
    expect(trustEnv('pull_request')).toEqual({ KEYSCOPE_UNTRUSTED_CONFIG: '1' });
    expect(trustEnv('pull_request_target')).toEqual({ KEYSCOPE_UNTRUSTED_CONFIG: '1' });
    expect(trustEnv('push')).toEqual({});
    expect(trustEnv('schedule')).toEqual({});
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
