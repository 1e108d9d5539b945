import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type GitlabToken, gitlabFake } from '../../fixtures/fake-issuers/gitlab.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { crc32 } from '../../src/detect/checksums/crc32.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { gitlab, gitlabRoutingPayload } from '../../src/issuers/gitlab.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const legacy = (seed: number) => expandTemplate('glpat-{{rand:A-Za-z0-9_-:20}}', seed);

/** A routable token built the way GitLab does (random bytes + payload + payload size, base64url, CRC). */
function routable(payload: string): string {
  const raw = Buffer.concat([Buffer.alloc(16, 7), Buffer.from(payload), Buffer.from([payload.length])]);
  const b64 = raw.toString('base64url');
  const head = `glpat-${b64}.01.${b64.length.toString(36).padStart(2, '0')}`;
  return head + crc32(head).toString(36).padStart(7, '0');
}

describe('gitlab', () => {
  let fake: FakeIssuer<GitlabToken>;
  beforeAll(async () => {
    fake = await startFake(gitlabFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ gitlab: fake.url })));

  it('PAT: live, scopes, expiry, identity; admin owner noted', async () => {
    const t = legacy(1);
    fake.add(t, { scopes: ['api', 'read_user'], expiresAt: '2030-03-01', user: { username: 'root', isAdmin: true } });
    const f = finding('gitlab', t);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      scopes: ['api', 'read_user'],
      expiresAt: '2030-03-01T00:00:00.000Z',
    });
    expect(f.access?.identity?.user).toBe('root');
    expect(f.access?.permissions).toContainEqual({ resource: 'instance', access: 'admin' });
    expect(f.access?.permissions).toContainEqual({ resource: 'api', access: 'write' });
    expect(fake.requestsFor(t).map((r) => r.path)).toEqual(['/api/v4/personal_access_tokens/self', '/api/v4/user']);
  });

  it('read_repository-only PAT: live, user not readable is a note, no expiry = never', async () => {
    const t = legacy(2);
    fake.add(t, { scopes: ['read_repository'], user: { username: 'dev' } });
    const f = finding('gitlab', t);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.expiresAt).toBeNull();
    expect(f.access?.permissions).toEqual([{ resource: 'repository', access: 'read' }]);
    expect(f.access?.notes?.join(' ')).toMatch(/user not readable \(HTTP 403\)/);
  });

  it('revoked → inactive, expired → inactive, unknown → invalid', async () => {
    const r = legacy(3);
    const e = legacy(4);
    fake.add(r, { scopes: ['api'], revoked: true }).add(e, { scopes: ['api'], expired: true });
    const fr = finding('gitlab', r);
    const fe = finding('gitlab', e);
    const fu = finding('gitlab', legacy(5));
    await run([fr, fe, fu]);
    expect(fr.access?.status).toBe('inactive');
    expect(fe.access?.status).toBe('inactive');
    expect(fu.access?.status).toBe('invalid');
  });

  it('routable token payload decodes offline (org, user in base36)', () => {
    const t = routable(`c:1\no:${(9000).toString(36)}\nu:${(12345).toString(36)}`);
    expect(gitlabRoutingPayload(t)).toEqual({ cell: '1', organization: '9000', user: '12345' });
    const d = gitlab.decode!({ secret: t, ruleId: 'x', companions: {}, fingerprint: 'f' });
    expect(d.identity).toMatchObject({ org: '9000', user: '12345' });
    expect(gitlabRoutingPayload(legacy(6))).toBeUndefined();
  });

  it('offline: routable facts without a request', async () => {
    const t = routable('o:1\nu:2');
    const f = finding('gitlab', t);
    await lookupFindings([f], { ...opts(configFor({ gitlab: fake.url })), offline: true });
    expect(f.access?.identity).toMatchObject({ org: '1', user: '2' });
    expect(fake.requestsFor(t)).toHaveLength(0);
  });

  it('deploy and trigger tokens are not sent', async () => {
    const t = expandTemplate('glptt-{{rand:a-f0-9:40}}', 7);
    const f = finding('gitlab', t);
    await run([f]);
    expect(f.access?.status).toBe('skipped');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });
});
