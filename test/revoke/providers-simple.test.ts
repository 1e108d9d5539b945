// One-request providers: the key revokes itself at the issuer's "current token" endpoint. Each is run through the
// whole revocation run against its fake: the exact request, the token actually dead afterwards, a second attempt
// answered as already revoked by the issuer itself, and a 500 leaving it failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as simple from '../../fixtures/fake-issuers/revoke/simple.js';
import { isRevoked, stateOf } from '../../fixtures/fake-issuers/revoke/state.js';
import type { FakeDefinition, FakeIssuer } from '../../fixtures/fake-issuers/server.js';
import { startFake } from '../../fixtures/fake-issuers/server.js';
import { calls, cfg, harness, keyFinding, tok } from './harness.js';

interface Case {
  issuer: string;
  fake: FakeDefinition<Record<string, unknown>>;
  template: string;
  method: string;
  path: string;
}

const CASES: Case[] = [
  {
    issuer: 'gitlab',
    fake: simple.gitlabRevoke.fake,
    template: '{{gen:gitlab-routable:glpat-}}',
    method: 'DELETE',
    path: '/api/v4/personal_access_tokens/self',
  },
  {
    issuer: 'slack',
    fake: simple.slackRevoke.fake,
    template: 'xoxp-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:a-f0-9:32}}',
    method: 'POST',
    path: '/api/auth.revoke',
  },
  {
    issuer: 'vault',
    fake: simple.vaultRevoke.fake,
    template: 'hvs.{{rand:A-Za-z0-9_-:90}}',
    method: 'POST',
    path: '/v1/auth/token/revoke-self',
  },
  {
    issuer: 'doppler',
    fake: simple.dopplerRevoke.fake,
    template: 'dp.pt.{{rand:A-Za-z0-9:43}}',
    method: 'POST',
    path: '/v3/auth/revoke',
  },
  {
    issuer: 'buildkite',
    fake: simple.buildkiteRevoke.fake,
    template: 'bkua_{{rand:a-f0-9:40}}',
    method: 'DELETE',
    path: '/v2/access-token',
  },
  {
    issuer: 'okta',
    fake: simple.oktaRevoke.fake,
    template: '00{{rand:A-Za-z0-9_-:40}}',
    method: 'DELETE',
    path: '/api/v1/api-tokens/current',
  },
  {
    issuer: 'jfrog',
    fake: simple.jfrogRevoke.fake,
    template: 'cmVmdGtuOjAxOj{{rand:A-Za-z0-9:50}}',
    method: 'DELETE',
    path: '/access/api/v1/tokens/me',
  },
  {
    issuer: 'vercel',
    fake: simple.vercelRevoke.fake,
    template: '{{gen:vercel:vcp}}',
    method: 'DELETE',
    path: '/v3/user/tokens/current',
  },
  {
    issuer: 'digitalocean',
    fake: simple.digitaloceanRevoke.fake,
    template: 'dop_v1_{{rand:a-f0-9:64}}',
    method: 'POST',
    path: '/v1/oauth/revoke',
  },
  {
    issuer: 'shopify',
    fake: simple.shopifyRevoke.fake,
    template: 'shpat_{{rand:a-f0-9:32}}',
    method: 'DELETE',
    path: '/admin/api_permissions/current.json',
  },
];

for (const c of CASES) {
  describe(`${c.issuer} revocation`, () => {
    let fake: FakeIssuer<Record<string, unknown>>;
    beforeAll(async () => {
      fake = await startFake(c.fake);
    });
    afterAll(() => fake.close());
    const config = () => cfg({ [c.issuer]: fake.url });

    it(`${c.method} ${c.path} with the key itself; the key is dead afterwards; a decoy is untouched`, async () => {
      const h = harness();
      const key = keyFinding(c.issuer, tok(c.template));
      const decoy = keyFinding(c.issuer, tok(c.template), { severity: 'low' });
      fake.add(key.secret, {}).add(decoy.secret, {});
      fake.reset();
      await h.run([key, decoy], config(), { yes: true });
      expect(key.revocation?.result, key.revocation?.detail).toBe('revoked');
      expect(calls(fake.requests, c.method, c.path)).toBe(1);
      expect(fake.requestsFor(key.secret).filter((r) => r.path === c.path && r.method === c.method)).toHaveLength(1);
      expect(isRevoked(fake, key.secret)).toBe(true);
      expect(isRevoked(fake, decoy.secret)).toBe(false);
      expect(key.revocation?.request).toContain(`${c.method} ${fake.url}${c.path}`);
      expect(key.revocation?.request).not.toContain(key.secret);
      expect(key.revocation?.reversible).toBe(false);
    });

    it("a key the issuer already revoked is a no-op by the issuer's own answer", async () => {
      const key = keyFinding(c.issuer, tok(c.template));
      fake.add(key.secret, {});
      stateOf(fake).revoked.add(key.secret);
      await harness().run([key], config(), { yes: true });
      expect(key.revocation?.result, key.revocation?.detail).toBe('already-revoked');
    });

    it('a 500 from the issuer: revocation failed, with the runbook', async () => {
      const key = keyFinding(c.issuer, tok(c.template));
      fake.add(key.secret, {});
      stateOf(fake).fail = { kind: 'error', status: 500 };
      try {
        await harness().run([key], config(), { yes: true });
      } finally {
        stateOf(fake).fail = undefined;
      }
      expect(key.revocation?.result).toBe('failed');
      expect(key.revocation?.runbook?.length).toBeGreaterThan(1);
      expect(isRevoked(fake, key.secret)).toBe(false);
    });
  });
}
