// The framework's promises, tested against a real fake server on 127.0.0.1: offline opens no socket, the allowlist
// holds, retries honour Retry-After, bad answers are 'unknown', each secret is looked up once, results are cached.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SendgridAccount, sendgridFake } from '../../fixtures/fake-issuers/sendgrid.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { HttpClient, hostMatches, RequestRefused } from '../../src/issuers/http.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { capabilitiesFor } from '../../src/issuers/registry.js';
import type { IssuerModule } from '../../src/issuers/types.js';
import { closeAll, openDb } from '../../src/store/db.js';
import { configFor, FAST, finding, opts } from './helpers.js';

const key = (seed: number) => expandTemplate('SG.{{rand:A-Za-z0-9_-:22}}.{{rand:A-Za-z0-9_-:43}}', seed);

const probeModule: IssuerModule = { id: 'probe', name: 'Probe', hosts: ['api.example.com', '*.example.net'] };

describe('issuer framework', () => {
  let fake: FakeIssuer<SendgridAccount>;
  let other: FakeIssuer<SendgridAccount>;
  beforeAll(async () => {
    fake = await startFake(sendgridFake);
    other = await startFake(sendgridFake);
  });
  afterAll(async () => {
    await fake.close();
    await other.close();
    closeAll();
  });

  it('host patterns: exact and *. subdomains, never the apex or a suffix trick', () => {
    expect(hostMatches('api.example.com', 'api.example.com')).toBe(true);
    expect(hostMatches('a.b.example.net', '*.example.net')).toBe(true);
    expect(hostMatches('example.net', '*.example.net')).toBe(false);
    expect(hostMatches('evilexample.net', '*.example.net')).toBe(false);
    expect(hostMatches('api.example.com.evil.io', 'api.example.com')).toBe(false);
  });

  it('offline: no socket is opened at all, findings keep offline facts', async () => {
    const k = key(10);
    fake.add(k, { scopes: ['mail.send'] });
    fake.reset();
    const f = finding('sendgrid', k);
    const r = await lookupFindings([f], { ...opts(configFor({ sendgrid: fake.url })), offline: true });
    expect(fake.connections).toBe(0);
    expect(r.requests).toBe(0);
    expect(r.lookups).toBe(0);
    expect(f.access?.status).toBe('skipped');
    expect(f.access?.source).toBe('offline');
    expect(f.access?.tokenType).toBe('api-key');
    // The client itself refuses too, before any socket.
    const client = new HttpClient({ offline: true });
    const http = client.bind(probeModule, undefined, fake.url);
    await expect(http.request({ url: `${fake.url}/v3/scopes` })).rejects.toBeInstanceOf(RequestRefused);
    expect(fake.connections).toBe(0);
  });

  it('the same secret in many findings is looked up once; stats count it', async () => {
    const k = key(11);
    fake.add(k, { scopes: ['mail.send'] });
    const findings = Array.from({ length: 50 }, () => finding('sendgrid', k));
    const r = await lookupFindings(findings, opts(configFor({ sendgrid: fake.url })));
    expect(fake.requestsFor(k)).toHaveLength(1);
    expect(r.lookups).toBe(1);
    expect(findings.every((f) => f.access?.status === 'live')).toBe(true);
  });

  it('allowlist: a request to a host outside the allowlist and the override is refused without a connection', async () => {
    const client = new HttpClient(FAST);
    const http = client.bind(probeModule, { secret: 'secret-value-123', companions: {}, fingerprint: 'fp' }, fake.url);
    other.reset();
    await expect(http.request({ url: `${other.url}/v3/scopes` })).rejects.toThrow(/allowlist|https only/);
    await expect(http.request({ url: 'http://api.example.com/x' })).rejects.toThrow(/https only/);
    await expect(http.request({ url: 'https://evil.test/x' })).rejects.toThrow(/not on the probe allowlist/);
    expect(other.connections).toBe(0);
    expect(client.requests).toBe(0);
  });

  it('allowlist: an override for another issuer does not open a path for this one', async () => {
    const k = key(12);
    other.add(k, { scopes: ['mail.send'] });
    other.reset();
    const f = finding('sendgrid', k);
    fake.add(k, { scopes: ['mail.send'] });
    // `other` is configured for a different issuer id; sendgrid's secret must not go there.
    await lookupFindings([f], opts(configFor({ github: other.url, sendgrid: fake.url })));
    expect(other.connections).toBe(0);
    expect(fake.requestsFor(k)).toHaveLength(1);
  });

  it('method policy: non-GET refused unless read-only POST; mutating only on a revoke handle; GraphQL mutations refused', async () => {
    const client = new HttpClient(FAST);
    const look = client.bind(probeModule, undefined, fake.url, 'lookup');
    await expect(look.request({ method: 'DELETE', url: `${fake.url}/x` })).rejects.toThrow(/not a read-only/);
    await expect(look.request({ method: 'DELETE', url: `${fake.url}/x`, mutating: true })).rejects.toThrow(
      /change state/,
    );
    await expect(look.request({ method: 'POST', url: `${fake.url}/x` })).rejects.toThrow(/not a read-only/);
    await expect(
      look.request({
        method: 'POST',
        url: `${fake.url}/graphql`,
        readOnlyPost: true,
        body: JSON.stringify({ query: 'mutation { deleteAll }' }),
      }),
    ).rejects.toThrow(/GraphQL mutation/);
    const ok = await look.request({
      method: 'POST',
      url: `${fake.url}/graphql`,
      readOnlyPost: true,
      body: '{"query":"{ viewer { id } }"}',
    });
    expect(ok.status).toBe(404);
    const rev = client.bind(probeModule, undefined, fake.url, 'revoke');
    expect((await rev.request({ method: 'DELETE', url: `${fake.url}/x`, mutating: true })).status).toBe(404);
  });

  it('429 with Retry-After is retried after the hinted wait, then succeeds', async () => {
    const k = key(13);
    fake.add(k, { scopes: ['mail.send'] });
    fake.mode(k, { kind: 'rate-limit', retryAfter: '1', times: 1 });
    const f = finding('sendgrid', k);
    const t0 = Date.now();
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(fake.requestsFor(k)).toHaveLength(2);
    expect(f.access?.status).toBe('live');
  });

  it('a Retry-After beyond the cap is not waited for: unknown', async () => {
    const k = key(14);
    fake.add(k, { scopes: ['mail.send'] });
    fake.mode(k, { kind: 'rate-limit', retryAfter: '3600' });
    const f = finding('sendgrid', k);
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(f.access?.status).toBe('unknown');
    expect(f.access?.notes?.join(' ')).toMatch(/rate-limited/);
    expect(fake.requestsFor(k)).toHaveLength(1);
  });

  it('500 is retried at most 3 times, then unknown (never live)', async () => {
    const k = key(15);
    fake.add(k, { scopes: ['mail.send'] });
    fake.mode(k, { kind: 'error', status: 500 });
    const f = finding('sendgrid', k);
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(fake.requestsFor(k)).toHaveLength(4);
    expect(f.access?.status).toBe('unknown');
  });

  it('an HTML 403 page is unknown, not invalid and not live', async () => {
    const k = key(16);
    fake.add(k, { scopes: ['mail.send'] });
    fake.mode(k, { kind: 'html', status: 403 });
    const f = finding('sendgrid', k);
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(f.access?.status).toBe('unknown');
    expect(f.access?.notes?.join(' ')).toMatch(/HTML/);
  });

  it('a hang times out into unknown, with the secret scrubbed from notes', async () => {
    const k = key(17);
    fake.add(k, { scopes: ['mail.send'] });
    fake.mode(k, { kind: 'hang' });
    const f = finding('sendgrid', k);
    const t0 = Date.now();
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url }), { http: { ...FAST, timeoutMs: 300 } }));
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(f.access?.status).toBe('unknown');
    expect(f.access?.notes?.join(' ')).toMatch(/timeout/);
    expect(fake.requestsFor(k)).toHaveLength(1);
  });

  it('a redirect to another host is not followed', async () => {
    const redirecting = await startFake<Record<string, unknown>>({
      name: 'redir',
      token: () => 'x',
      routes: [
        {
          method: 'GET',
          path: '/go',
          auth: false,
          reply: () => ({ status: 302, headers: { location: `${other.url}/v3/scopes` } }),
        },
      ],
    });
    other.reset();
    const http = new HttpClient(FAST).bind(probeModule, undefined, redirecting.url);
    const res = await http.request({ url: `${redirecting.url}/go` });
    expect(res.status).toBe(302);
    expect(other.connections).toBe(0);
    await redirecting.close();
  });

  it('unknown issuer: skipped with a note; the env override KEYSCOPE_<ID>_BASE_URL works', async () => {
    const f = finding('no-such-issuer', 'whatever-secret-value');
    const k = key(18);
    fake.add(k, { scopes: ['mail.send'] });
    const g = finding('sendgrid', k);
    await lookupFindings([f, g], { ...opts(configFor({})), env: { KEYSCOPE_SENDGRID_BASE_URL: fake.url } });
    expect(f.access).toMatchObject({ status: 'skipped', source: 'offline', notes: ['no lookup for this issuer'] });
    expect(g.access?.status).toBe('live');
  });

  it('--plan sends nothing and names the host the redacted secret would go to', async () => {
    const k = key(19);
    fake.reset();
    const f = finding('sendgrid', k);
    const r = await lookupFindings([f], { ...opts(configFor({})), plan: true });
    expect(fake.connections).toBe(0);
    expect(r.requests).toBe(0);
    expect(r.plan).toEqual([
      expect.objectContaining({
        issuer: 'sendgrid',
        redacted: f.redacted,
        hosts: ['api.sendgrid.com'],
        requests: ['GET https://api.sendgrid.com/v3/scopes'],
      }),
    ]);
    expect(JSON.stringify(r.plan)).not.toContain(k);
  });

  it('results are cached in SQLite across runs (TTL), keyed by fingerprint, without the secret', async () => {
    const db = openDb(':memory:');
    const k = key(20);
    fake.add(k, { scopes: ['mail.send'] });
    const config = configFor({ sendgrid: fake.url });
    await lookupFindings([finding('sendgrid', k)], opts(config, { cacheDb: db }));
    const again = finding('sendgrid', k);
    const r = await lookupFindings([again], opts(config, { cacheDb: db }));
    expect(r.cached).toBe(1);
    expect(r.lookups).toBe(0);
    expect(fake.requestsFor(k)).toHaveLength(1);
    expect(again.access?.status).toBe('live');
    const rows = db.prepare('SELECT * FROM issuer_lookup_cache').all();
    expect(JSON.stringify(rows)).not.toContain(k);
    // Past the TTL it is looked up again.
    const later = new Date(Date.now() + 25 * 3_600_000);
    await lookupFindings([finding('sendgrid', k)], opts(config, { cacheDb: db, now: later }));
    expect(fake.requestsFor(k)).toHaveLength(2);
  });

  it('the request log is redacted', async () => {
    const client = new HttpClient(FAST);
    const secret = 'tok-abcdefghijklmnop';
    const http = client.bind(probeModule, { secret, companions: {}, fingerprint: 'fp' }, fake.url);
    await http.request({ url: `${fake.url}/bot${secret}/getMe?key=${secret}&access_token=zzz` });
    expect(JSON.stringify(client.log)).not.toContain(secret);
    expect(JSON.stringify(client.log)).not.toContain('zzz');
  });

  it('capabilities derive from the module', () => {
    expect(capabilitiesFor('sendgrid')).toEqual({ verify: true, scope: true, revoke: false });
    expect(capabilitiesFor('nope')).toEqual({ verify: false, scope: false, revoke: false });
  });

  it('offline proof with a plain TCP listener: zero connections', async () => {
    let connections = 0;
    const srv = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const f = finding('sendgrid', key(21));
    await lookupFindings([f], { ...opts(configFor({ sendgrid: `http://127.0.0.1:${port}` })), offline: true });
    await new Promise<void>((r) => srv.close(() => r()));
    expect(connections).toBe(0);
  });
});
