// "After revoking, look it up again": the revocation routes are mounted onto the issuers' own fakes, so the real issuer
// modules look each key up before (live) and after (must be invalid/inactive) through the same server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildkiteFake } from '../../fixtures/fake-issuers/buildkite.js';
import { digitaloceanFake } from '../../fixtures/fake-issuers/digitalocean.js';
import { dopplerFake } from '../../fixtures/fake-issuers/doppler.js';
import { githubFake } from '../../fixtures/fake-issuers/github.js';
import { githubRevokeRoutes } from '../../fixtures/fake-issuers/revoke/github.js';
import { sendgridRevokeRoutes } from '../../fixtures/fake-issuers/revoke/multi.js';
import * as simple from '../../fixtures/fake-issuers/revoke/simple.js';
import { type RevokeRouteSet, stateOf, withRevocation } from '../../fixtures/fake-issuers/revoke/state.js';
import { sendgridFake } from '../../fixtures/fake-issuers/sendgrid.js';
import { type FakeDefinition, type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { slackFake } from '../../fixtures/fake-issuers/slack.js';
import { vercelFake } from '../../fixtures/fake-issuers/vercel.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import type { Finding } from '../../src/types.js';
import { cfg, FAST, harness, keyFinding, tok } from './harness.js';

type Any = Record<string, unknown>;
const mount = (base: unknown, routes: unknown) =>
  withRevocation(base as FakeDefinition<Any>, routes as RevokeRouteSet<Any>);

interface Case {
  issuer: string;
  def: FakeDefinition<Any>;
  template: string;
  data: Any;
}

const CASES: Case[] = [
  {
    issuer: 'github',
    def: mount(githubFake, githubRevokeRoutes),
    template: '{{gen:github:ghp}}',
    data: { login: 'octo', scopes: ['repo'] },
  },
  {
    issuer: 'slack',
    def: mount(slackFake, simple.slackRevoke.routes),
    template: 'xoxb-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:A-Za-z0-9:24}}',
    data: { team: 'Acme', teamId: 'T1', user: 'deploy-bot', userId: 'U1', botId: 'B1', scopes: ['chat:write'] },
  },
  {
    issuer: 'sendgrid',
    def: mount(sendgridFake, sendgridRevokeRoutes),
    template: 'SG.{{rand:A-Za-z0-9_-:22}}.{{rand:A-Za-z0-9_-:43}}',
    data: { scopes: ['api_keys.delete', 'mail.send'] },
  },
  {
    issuer: 'buildkite',
    def: mount(buildkiteFake, simple.buildkiteRevoke.routes),
    template: 'bkua_{{rand:a-f0-9:40}}',
    data: { uuid: 'u-1', scopes: ['read_builds'] },
  },
  {
    issuer: 'doppler',
    def: mount(dopplerFake, simple.dopplerRevoke.routes),
    template: 'dp.pt.{{rand:A-Za-z0-9:43}}',
    data: { type: 'personal', workplace: { name: 'Acme', slug: 'acme' }, name: 'me' },
  },
  {
    issuer: 'vercel',
    def: mount(vercelFake, simple.vercelRevoke.routes),
    template: '{{gen:vercel:vcp}}',
    data: { id: 'u1', username: 'me', email: 'me@acme.test' },
  },
  {
    issuer: 'digitalocean',
    def: mount(digitaloceanFake, simple.digitaloceanRevoke.routes),
    template: 'dop_v1_{{rand:a-f0-9:64}}',
    data: { email: 'ops@acme.test' },
  },
];

for (const c of CASES) {
  describe(`${c.issuer}: looked up again after revocation`, () => {
    let fake: FakeIssuer<Any>;
    beforeAll(async () => {
      fake = await startFake(c.def);
    });
    afterAll(() => fake.close());

    it('live before, revoked, then the issuer module finds it invalid: confirmed', async () => {
      const f = keyFinding(c.issuer, tok(c.template));
      fake.add(f.secret, c.data);
      const probe: Finding = { ...f, access: undefined };
      await lookupFindings([probe], { offline: false, config: cfg({ [c.issuer]: fake.url }), env: {}, http: FAST });
      expect(probe.access?.status, JSON.stringify(probe.access?.notes)).toBe('live');
      await harness().run([f], cfg({ [c.issuer]: fake.url }), { yes: true });
      expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
      expect(['invalid', 'inactive'], f.revocation?.detail).toContain(f.revocation?.verified);
      expect(f.revocation?.detail).toMatch(/confirmed: a lookup now says (invalid|inactive)/);
    });

    it('an issuer that accepts the revocation but keeps the key working: failed, recorded', async () => {
      const f = keyFinding(c.issuer, tok(c.template));
      fake.add(f.secret, c.data);
      stateOf(fake).ignore = true;
      try {
        await harness().run([f], cfg({ [c.issuer]: fake.url }), { yes: true, verifyDelaysMs: [5, 5] });
      } finally {
        stateOf(fake).ignore = false;
      }
      expect(f.revocation?.result).toBe('failed');
      expect(f.revocation?.verified).toBe('live');
      expect(f.revocation?.detail).toMatch(/still finds the key live/);
      expect(f.revocation?.secondsToRevoke).toBeUndefined();
    });
  });
}
