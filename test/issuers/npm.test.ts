import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type NpmToken, npmFake } from '../../fixtures/fake-issuers/npm.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { Detector } from '../../src/detect/engine.js';
import { loadRules } from '../../src/detect/rules/load.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const tok = (seed: number) => expandTemplate('{{gen:npm}}', seed);

describe('npm', () => {
  let fake: FakeIssuer<NpmToken>;
  beforeAll(async () => {
    fake = await startFake(npmFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ npm: fake.url })));

  it('publish token: live, user, write on packages, reach from maintained packages, CIDR note', async () => {
    const t = tok(1);
    fake.add(t, { username: 'pkg-bot', packages: ['@acme/a', '@acme/b'], cidr: ['10.0.0.0/8'] });
    const f = finding('npm', t);
    await run([f]);
    expect(f.access).toMatchObject({ status: 'live', identity: { user: 'pkg-bot' }, scopes: ['publish'] });
    expect(f.access?.permissions).toEqual([{ resource: 'packages', access: 'write' }]);
    expect(f.access?.reach).toEqual([{ kind: 'packages', count: 2, sample: ['@acme/a', '@acme/b'] }]);
    expect(f.access?.notes?.join(' ')).toMatch(/10\.0\.0\.0\/8/);
  });

  it('read-only token: read; granular token that cannot list tokens: note', async () => {
    const r = tok(2);
    const g = tok(3);
    fake.add(r, { username: 'reader', readonly: true }).add(g, { username: 'gran', canList: false });
    const [fr, fg] = [finding('npm', r), finding('npm', g)];
    await run([fr, fg]);
    expect(fr.access?.permissions).toEqual([{ resource: 'packages', access: 'read' }]);
    expect(fg.access?.status).toBe('live');
    expect(fg.access?.notes?.join(' ')).toMatch(/token list not readable \(HTTP 403\)/);
  });

  it('unknown token: invalid after one request', async () => {
    const t = tok(4);
    const f = finding('npm', t);
    await run([f]);
    expect(f.access?.status).toBe('invalid');
    expect(fake.requestsFor(t)).toHaveLength(1);
  });

  // A private registry's credential must never reach registry.npmjs.org.
  it('sends a legacy token or registry password only when its .npmrc line names registry.npmjs.org', async () => {
    const uuid = (seed: number) =>
      expandTemplate(
        '{{rand:0-9a-f:8}}-{{rand:0-9a-f:4}}-4{{rand:0-9a-f:3}}-a{{rand:0-9a-f:3}}-{{rand:0-9a-f:12}}',
        seed,
      );
    const npmrc = [
      `//npm.corp.test/:_authToken=${uuid(5)}`,
      `//registry.npmjs.org/:_authToken=${uuid(6)}`,
      `//npm.corp.test/:_auth=${expandTemplate('{{gen:basic-secret:ci}}', 7)}`,
    ].join('\n');
    const matches = Detector.create(loadRules()).scan({ path: '.npmrc', bytes: Buffer.from(npmrc) });
    const fs = matches.map((m) =>
      finding('npm', m.secret, { ruleId: m.ruleId, tokenType: undefined, companions: m.companions }),
    );
    expect(fs.map((f) => f.companions?.['npm-registry-host'])).toEqual([
      'npm.corp.test',
      'registry.npmjs.org',
      'npm.corp.test',
    ]);
    fake.add(uuid(6), { username: 'legacy-bot' });
    await run(fs);
    const [corp, npmjs, corpAuth] = fs;
    expect(npmjs.access).toMatchObject({ status: 'live', identity: { user: 'legacy-bot' } });
    for (const f of [corp, corpAuth]) {
      expect(f.access?.status).toBe('unknown');
      expect(f.access?.notes?.join(' ')).toMatch(/npm\.corp\.test: not sent to registry\.npmjs\.org/);
      expect(fake.requestsFor(f.secret!)).toHaveLength(0);
    }
  });
});
