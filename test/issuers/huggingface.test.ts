import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HfToken, huggingfaceFake } from '../../fixtures/fake-issuers/huggingface.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const tok = (seed: number) => expandTemplate('hf_{{rand:A-Za-z0-9:34}}', seed);

describe('huggingface', () => {
  let fake: FakeIssuer<HfToken>;
  beforeAll(async () => {
    fake = await startFake(huggingfaceFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ huggingface: fake.url })));

  it('write token: live, user, orgs; admin in an org → admin permission', async () => {
    const t = tok(1);
    fake.add(t, { name: 'ml-bot', email: 'ml@acme.test', role: 'write', orgs: [{ name: 'acme', roleInOrg: 'admin' }] });
    const f = finding('huggingface', t);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'write-token',
      identity: { user: 'ml-bot', org: 'acme' },
      scopes: ['write'],
    });
    expect(f.access?.permissions).toContainEqual({ resource: 'repos', access: 'write' });
    expect(f.access?.permissions).toContainEqual({ resource: 'org/acme', access: 'admin' });
  });

  it('fine-grained token: scoped permissions', async () => {
    const t = tok(2);
    fake.add(t, {
      name: 'dev',
      role: 'fineGrained',
      global: ['inference.serverless.write'],
      scoped: [{ entity: { type: 'model', name: 'acme/llm' }, permissions: ['repo.content.read'] }],
    });
    const f = finding('huggingface', t);
    await run([f]);
    expect(f.access?.tokenType).toBe('fine-grained-token');
    expect(f.access?.scopes).toEqual(['inference.serverless.write', 'model/acme/llm:repo.content.read']);
    expect(f.access?.permissions).toContainEqual({ resource: 'model/acme/llm/repo', access: 'read' });
  });

  it('429 with Retry-After then answer; unknown token invalid', async () => {
    const t = tok(3);
    fake.add(t, { name: 'x', role: 'read' }).mode(t, { kind: 'rate-limit', retryAfter: '0', times: 1 });
    const [f, bad] = [finding('huggingface', t), finding('huggingface', tok(4))];
    await run([f, bad]);
    expect(f.access?.status).toBe('live');
    expect(fake.requestsFor(t)).toHaveLength(2);
    expect(bad.access?.status).toBe('invalid');
  });
});
