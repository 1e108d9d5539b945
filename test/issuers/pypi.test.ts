import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type PypiToken, pypiFake } from '../../fixtures/fake-issuers/pypi.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { decodeMacaroon, pypiFacts } from '../../src/issuers/pypi.js';
import { configFor, finding, opts } from './helpers.js';

/** A v2 macaroon like PyPI's (location, identifier, caveats, signature), built at test time. */
function macaroon(caveats: unknown[], location = 'pypi.org'): string {
  const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
  const parts: Buffer[] = [
    Buffer.from([2]),
    field(1, Buffer.from(location)),
    field(2, Buffer.from('4f6b0b1c-1d2e-4f30-9a1b-2c3d4e5f6a7b')),
    Buffer.from([0]),
  ];
  for (const c of caveats) parts.push(field(2, Buffer.from(JSON.stringify(c))), Buffer.from([0]));
  parts.push(Buffer.from([0]), field(6, Buffer.alloc(32, 9)));
  return `pypi-${Buffer.concat(parts).toString('base64url')}`;
}

describe('pypi', () => {
  let fake: FakeIssuer<PypiToken>;
  beforeAll(async () => {
    fake = await startFake(pypiFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ pypi: fake.url })));
  const now = new Date('2026-01-01T00:00:00Z');

  it('decodes the token factory sample (legacy user caveat)', () => {
    const t = expandTemplate('{{gen:pypi}}', 1);
    expect(decodeMacaroon(t.slice(5))?.location).toBe('pypi.org');
    expect(pypiFacts(t, now)).toMatchObject({ scopes: ['user'], tokenType: 'user-token', expiresAt: null });
  });

  it('caveats: projects, expiry, user; expired → inactive offline and not sent', async () => {
    const exp = Math.floor(Date.parse('2027-06-01T00:00:00Z') / 1000);
    const scoped = macaroon([
      [1, ['acme-lib', 'acme-cli']],
      [0, exp, exp - 86400 * 365],
      [3, 'user-uuid-1'],
    ]);
    const facts = pypiFacts(scoped, now);
    expect(facts).toMatchObject({
      tokenType: 'project-token',
      scopes: ['project:acme-lib', 'project:acme-cli'],
      expiresAt: '2027-06-01T00:00:00.000Z',
      identity: { user: 'user-uuid-1' },
    });
    expect(facts.permissions).toEqual([
      { resource: 'acme-lib', access: 'write' },
      { resource: 'acme-cli', access: 'write' },
    ]);
    const old = macaroon([[0, 1_600_000_000, 1_500_000_000]]);
    const f = finding('pypi', old);
    await lookupFindings([f], opts(configFor({ pypi: fake.url }), { now }));
    expect(f.access?.status).toBe('inactive');
    expect(fake.requestsFor(old)).toHaveLength(0);
    expect(pypiFacts(macaroon([{ version: 1, permissions: { projects: ['legacy-proj'] } }]), now).scopes).toEqual([
      'project:legacy-proj',
    ]);
  });

  it('live probe: the form carries no name, version or file; 400 metadata error = live; 403 auth error = invalid', async () => {
    const t = macaroon([{ version: 1, permissions: 'user' }]);
    fake.add(t, { username: 'maintainer' });
    const bad = macaroon([[3, 'someone-else']]);
    const [ft, fb] = [finding('pypi', t), finding('pypi', bad)];
    await run([ft, fb]);
    expect(ft.access?.status).toBe('live');
    expect(fb.access?.status).toBe('invalid');
    for (const r of fake.requests) {
      const fields = [...r.body.matchAll(/name="([^"]+)"/g)].map((m) => m[1]);
      expect(fields).toEqual([':action', 'protocol_version']);
    }
  });
});
