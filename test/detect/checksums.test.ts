import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { validAtlassianDcPat } from '../../src/detect/checksums/atlassian.js';
import { base62, validBase62Crc } from '../../src/detect/checksums/base62crc.js';
import { validBasicAuthPair } from '../../src/detect/checksums/basic-auth.js';
import { crc32 } from '../../src/detect/checksums/crc32.js';
import { validDiscordBotId } from '../../src/detect/checksums/discord.js';
import { validGitlabRoutable } from '../../src/detect/checksums/gitlab.js';
import { validGrafanaSa } from '../../src/detect/checksums/grafana.js';
import { checksumNames, runChecksum } from '../../src/detect/checksums/index.js';
import { b64url, validJwtShape } from '../../src/detect/checksums/jwt.js';
import { validSentryOrgToken } from '../../src/detect/checksums/sentry.js';
import { isSupabaseServiceRole } from '../../src/detect/checksums/supabase.js';
import { expandTemplate, generatorNames } from '../../src/detect/samples.js';

const SEEDS = [1, 2, 3, 4, 5, 11, 99];

/** Replaces the char at i by a different one of the same class, so only the checksum can notice. */
function flip(s: string, i: number): string {
  const c = s[i];
  const pool = /[0-9]/.test(c)
    ? '0123456789'
    : /[a-z]/.test(c)
      ? 'abcdefghijklmnopqrstuvwxyz'
      : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const next = pool[(pool.indexOf(c) + 7) % pool.length];
  return s.slice(0, i) + next + s.slice(i + 1);
}

/** Every single-char substitution in [from, to) must be rejected (CRC32 catches any one-byte change). */
function expectEveryFlipRejected(name: string, token: string, from: number, to = token.length): void {
  expect(runChecksum(name, token)).toBe('valid');
  for (let i = from; i < to; i++) {
    if (!/[A-Za-z0-9]/.test(token[i])) continue;
    expect(runChecksum(name, flip(token, i)), `${name} flip at ${i}`).toBe('invalid');
  }
}

describe('crc32', () => {
  it('matches the IEEE check value and zlib', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    for (const s of ['', 'a', 'keyscope', 'x'.repeat(1000), 'ünïcødé']) expect(crc32(s)).toBe(zlibCrc32(s));
  });
});

describe('base62 (0-9A-Za-z, left zero-padded)', () => {
  it('encodes known values', () => {
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 1)).toBe('z');
    expect(base62(62, 2)).toBe('10');
    expect(base62(0xffffffff, 6)).toBe('4gfFC3');
  });
});

describe('GitHub / npm / Vercel base62 CRC32', () => {
  it('accepts factory tokens and rejects any one-char change', () => {
    for (const seed of SEEDS) {
      for (const kind of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) {
        expectEveryFlipRejected('github-crc32', expandTemplate(`{{gen:github:${kind}}}`, seed), 4);
      }
      expectEveryFlipRejected('github-crc32', expandTemplate('{{gen:github:ghr:70}}', seed), 4);
      expectEveryFlipRejected('npm-crc32', expandTemplate('{{gen:npm}}', seed), 4);
      const v = expandTemplate('{{gen:vercel:vcp}}', seed);
      expect(v).toHaveLength(60);
      expectEveryFlipRejected('vercel-crc32', v, 4);
    }
  });

  it('checks CRC32 of the body only, written in base62', () => {
    const body = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5';
    const token = `ghp_${body}${base62(zlibCrc32(body), 6)}`;
    expect(validBase62Crc(token)).toBe(true);
    // A checksum over prefix + body (a plausible mistake) must not pass.
    expect(validBase62Crc(`ghp_${body}${base62(zlibCrc32(`ghp_${body}`), 6)}`)).toBe(false);
    expect(validBase62Crc('ghp_short')).toBe(false);
  });
});

describe('GitLab routable tokens', () => {
  it('checks base36 CRC32 over everything before it, prefix included', () => {
    const head = `glpat-${'Qx7'.repeat(10)}ab.01.0w`;
    const token = head + zlibCrc32(head).toString(36).padStart(7, '0');
    expect(validGitlabRoutable(token)).toBe(true);
    expect(validGitlabRoutable(`${head}0000000`)).toBe(false);
    for (const seed of SEEDS) {
      const t = expandTemplate('{{gen:gitlab-routable:glpat-}}', seed);
      expectEveryFlipRejected('gitlab-routable-crc32', t, 6);
    }
  });
});

describe('Grafana service-account tokens', () => {
  it("matches Grafana's own test vector (tokengen_test.go)", () => {
    // Built by concatenation so the repository does not hold a checksum-valid token literal.
    const vector = ['glsa', 'iNValIdinValiDinvalidinvalidinva', '5b582697'].join('_');
    expect(validGrafanaSa(vector)).toBe(true);
    expect(validGrafanaSa(vector.replace('5b582697', '9726585b'))).toBe(false);
  });
  it('rejects any one-char change of factory tokens', () => {
    for (const seed of SEEDS)
      expectEveryFlipRejected('grafana-sa-crc32', expandTemplate('{{gen:grafana-sa}}', seed), 5);
  });
});

describe('structural validators', () => {
  it('jwt-structure wants a JSON header naming alg and a JSON payload, and drops Supabase anon keys', () => {
    const sig = 'c2lnbmF0dXJlc2lnbmF0dXJl';
    expect(validJwtShape(`${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1"}')}.${sig}`)).toBe(true);
    expect(validJwtShape(`${b64url('{"typ":"TCV2"}')}.${b64url('{"sub":"1"}')}.${sig}`)).toBe(false);
    expect(validJwtShape(`${b64url('{"alg":"HS256"}')}.${b64url('not json')}.${sig}`)).toBe(false);
    expect(validJwtShape(expandTemplate('{{gen:jwt:supabase-anon}}'))).toBe(false);
    expect(validJwtShape(expandTemplate('{{gen:jwt:supabase-service}}'))).toBe(true);
    expect(isSupabaseServiceRole(expandTemplate('{{gen:jwt:supabase-service}}'))).toBe(true);
    expect(isSupabaseServiceRole(expandTemplate('{{gen:jwt:supabase-anon}}'))).toBe(false);
  });

  it('discord-bot-id wants the first segment to decode to a snowflake', () => {
    const good = expandTemplate('{{gen:discord-bot}}');
    expect(validDiscordBotId(good)).toBe(true);
    const notDigits = `${Buffer.from('abcdefghijklmnopqr').toString('base64')}.${good.split('.').slice(1).join('.')}`;
    expect(validDiscordBotId(notDigits)).toBe(false);
  });

  it('sentry-org-token wants base64 JSON with iat', () => {
    expect(validSentryOrgToken(expandTemplate('{{gen:sentry-org}}'))).toBe(true);
    const noIat = `sntrys_${Buffer.from('{"url":"https://sentry.io"}').toString('base64')}_${'Ab1'.repeat(15)}`;
    expect(validSentryOrgToken(noIat)).toBe(false);
  });

  it('atlassian-dc-pat wants base64 of <12 digits>:<secret>', () => {
    expect(validAtlassianDcPat(expandTemplate('{{gen:atlassian-dc-pat}}'))).toBe(true);
    expect(validAtlassianDcPat(Buffer.from('abcdefghijkl:01234567890123456789').toString('base64'))).toBe(false);
  });

  it('basic-auth-pair wants printable user:password', () => {
    expect(validBasicAuthPair(Buffer.from('svc:pw-1234').toString('base64'))).toBe(true);
    expect(validBasicAuthPair(Buffer.from('no-colon-here').toString('base64'))).toBe(false);
    expect(validBasicAuthPair(Buffer.from([0, 1, 2, 58, 200]).toString('base64'))).toBe(false);
  });
});

describe('registration', () => {
  it('all.ts registers every part-A validator and generator', () => {
    for (const n of [
      'github-crc32',
      'npm-crc32',
      'vercel-crc32',
      'gitlab-routable-crc32',
      'grafana-sa-crc32',
      'jwt-structure',
      'discord-bot-id',
      'sentry-org-token',
      'atlassian-dc-pat',
      'supabase-service-role',
      'basic-auth-pair',
    ])
      expect(checksumNames()).toContain(n);
    for (const g of [
      'github',
      'npm',
      'vercel',
      'gitlab-routable',
      'grafana-sa',
      'jwt',
      'discord-bot',
      'sentry-org',
      'atlassian-dc-pat',
      'basic-auth',
      'pem',
      'pem-escaped',
      'pem-b64',
      'gcp-sa',
      'pypi',
      'grafana-cloud',
      'b64',
    ])
      expect(generatorNames()).toContain(g);
  });

  it('an unknown validator name is "none", never a silent pass', () => {
    expect(runChecksum('no-such-validator', 'x')).toBe('none');
    expect(runChecksum(undefined, 'x')).toBe('none');
  });
});
