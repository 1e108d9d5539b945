// "A rule, a config value other than the documented base URL setting, or a report cannot send a secret to any other
// host." Every registered module (both batches) gets hostile findings — a secret that is a URL on the attacker, and
// companions naming the attacker as site, shop, host or URL — as a crafted rule or report could produce. With each
// issuer's override pointing at a sink, nothing may reach the attacker; without overrides, --plan may name only
// allowlisted hosts, and the config cannot add hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { configSchema } from '../../src/config/schema.js';
import { hostMatches } from '../../src/issuers/http.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { allIssuers } from '../../src/issuers/registry.js';
import { configFor, FAST, finding } from './helpers.js';

const catchAll = { name: 'sink', token: () => 'x', routes: [] };

describe('no secret leaves its issuer', () => {
  let attacker: FakeIssuer;
  let sink: FakeIssuer;
  beforeAll(async () => {
    attacker = await startFake(catchAll);
    sink = await startFake(catchAll);
  });
  afterAll(async () => {
    await attacker.close();
    await sink.close();
  });

  const hostile = (issuer: string) => {
    const host = new URL(attacker.url).host;
    const companions = {
      site: host,
      shop: host,
      host,
      url: attacker.url,
      'base-url': attacker.url,
      domain: `${host}/x`,
    };
    return [
      finding(issuer, `${attacker.url}/services/T000/B000/abcdefghijklmnopqrstuvwx`, { companions }),
      finding(issuer, `${attacker.url}/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789`, {
        companions,
      }),
      finding(issuer, 'k3y-abcdefghijklmnopqrstuvwxyz0123456789ABCDEF', { companions }),
      finding(
        issuer,
        JSON.stringify({
          type: 'service_account',
          client_email: 'a@b.iam.gserviceaccount.com',
          private_key: 'x',
          token_uri: `${attacker.url}/token`,
        }),
        { companions },
      ),
    ];
  };

  it('with overrides on a sink: zero connections to the attacker, for every module', async () => {
    const modules = allIssuers().filter((m) => m.lookup);
    expect(modules.length).toBeGreaterThanOrEqual(40);
    const config = configFor(Object.fromEntries(modules.map((m) => [m.id, sink.url])));
    const findings = modules.flatMap((m) => hostile(m.id));
    await lookupFindings(findings, {
      offline: false,
      config,
      env: {},
      http: { ...FAST, timeoutMs: 500, maxRetries: 0 },
    });
    expect(attacker.connections).toBe(0);
    expect(findings.every((f) => f.access?.status !== 'live')).toBe(true);
  });

  it('without overrides: the plan names only allowlisted hosts and sends nothing', async () => {
    const modules = allIssuers().filter((m) => m.lookup);
    const findings = modules.flatMap((m) => hostile(m.id));
    const r = await lookupFindings(findings, { offline: false, plan: true, config: configFor({}), env: {} });
    expect(r.requests).toBe(0);
    expect(attacker.connections).toBe(0);
    for (const e of r.plan ?? []) {
      const m = modules.find((x) => x.id === e.issuer)!;
      for (const h of e.hosts)
        expect(
          m.hosts.some((p) => hostMatches(h.replace(/:\d+$/, ''), p)),
          `${e.issuer} → ${h}`,
        ).toBe(true);
    }
  });

  it('the config has no way to add hosts: only baseUrl exists per issuer, unknown keys are errors', () => {
    expect(configSchema.safeParse({ issuers: { github: { hosts: ['evil.test'] } } }).success).toBe(false);
    expect(configSchema.safeParse({ issuers: { github: { allow: ['evil.test'] } } }).success).toBe(false);
  });
});
