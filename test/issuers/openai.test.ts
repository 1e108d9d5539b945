import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenaiKey, openaiFake } from '../../fixtures/fake-issuers/openai.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const key = (kind: string, seed: number) =>
  expandTemplate(`sk-${kind}-{{rand:A-Za-z0-9_-:74}}T3BlbkFJ{{rand:A-Za-z0-9_-:74}}`, seed);

describe('openai', () => {
  let fake: FakeIssuer<OpenaiKey>;
  beforeAll(async () => {
    fake = await startFake(openaiFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ openai: fake.url })));

  it('project key: live, owner and org role from /v1/me', async () => {
    const k = key('proj', 1);
    fake.add(k, { name: 'Ada', email: 'ada@acme.test', orgs: [{ id: 'org-1', title: 'Acme', role: 'owner' }] });
    const f = finding('openai', k);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'project-key',
      identity: { user: 'Ada', org: 'Acme' },
    });
    expect(f.access?.permissions).toContainEqual({ resource: 'organization', access: 'admin' });
  });

  it('restricted key (403 on models) is live; quota-less key is live; bad key invalid', async () => {
    const r = key('proj', 2);
    const q = key('proj', 3);
    fake.add(r, { restricted: true, name: 'r' }).add(q, { noQuota: true, name: 'q' });
    const fs = [finding('openai', r), finding('openai', q), finding('openai', key('proj', 4))];
    await run(fs);
    expect(fs[0].access?.status).toBe('live');
    expect(fs[0].access?.tokenType).toBe('restricted-key');
    expect(fs[1].access?.status).toBe('live');
    expect(fs[2].access?.status).toBe('invalid');
  });

  it('admin key: organization projects as reach', async () => {
    const k = key('admin', 5);
    fake.add(k, { projects: ['web', 'batch'] });
    const f = finding('openai', k);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'admin-key',
      reach: [{ kind: 'projects', count: 2, sample: ['web', 'batch'] }],
    });
  });

  it('HTML error page: unknown', async () => {
    const k = key('proj', 6);
    fake.add(k, {}).mode(k, { kind: 'html', status: 403 });
    const f = finding('openai', k);
    await run([f]);
    expect(f.access?.status).toBe('unknown');
  });
});
