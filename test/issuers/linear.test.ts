import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LinearKey, linearFake } from '../../fixtures/fake-issuers/linear.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const key = (seed: number) => expandTemplate('lin_api_{{rand:A-Za-z0-9:40}}', seed);

describe('linear', () => {
  let fake: FakeIssuer<LinearKey>;
  beforeAll(async () => {
    fake = await startFake(linearFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ linear: fake.url })));

  it('viewer query: live, admin → admin; the query is a query; bad key invalid', async () => {
    const k = key(1);
    fake.add(k, { name: 'Lin', email: 'lin@acme.test', admin: true, org: 'Acme' });
    const fs = [finding('linear', k), finding('linear', key(2))];
    await run(fs);
    expect(fs[0].access).toMatchObject({
      status: 'live',
      identity: { user: 'Lin', org: 'Acme' },
      permissions: [{ resource: 'workspace', access: 'admin' }],
    });
    const body = JSON.parse(fake.requestsFor(k)[0].body) as { query: string };
    expect(body.query.trim().startsWith('{')).toBe(true);
    expect(fs[1].access?.status).toBe('invalid');
  });
});
