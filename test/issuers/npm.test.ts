import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type NpmToken, npmFake } from '../../fixtures/fake-issuers/npm.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
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
});
