import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicKey, anthropicFake } from '../../fixtures/fake-issuers/anthropic.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, FAST, finding, opts } from './helpers.js';

const key = (kind: string, seed: number) => expandTemplate(`sk-ant-${kind}-{{rand:A-Za-z0-9_-:93}}AA`, seed);

describe('anthropic', () => {
  let fake: FakeIssuer<AnthropicKey>;
  beforeAll(async () => {
    fake = await startFake(anthropicFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[], extra = {}) =>
    lookupFindings(fs, opts(configFor({ anthropic: fake.url }), extra));

  it('api key live via /v1/models (with anthropic-version); bad key invalid', async () => {
    const k = key('api03', 1);
    fake.add(k, {});
    const [a, b] = [finding('anthropic', k), finding('anthropic', key('api03', 2))];
    await run([a, b]);
    expect(a.access).toMatchObject({ status: 'live', tokenType: 'api-key' });
    expect(b.access?.status).toBe('invalid');
  });

  it('admin key: organization API keys and workspaces as reach', async () => {
    const k = key('admin01', 3);
    fake.add(k, {
      admin: true,
      keys: [
        { id: 'k1', name: 'ci', workspace_id: 'w1', status: 'active' },
        { id: 'k2', name: 'dev', workspace_id: null, status: 'active' },
      ],
    });
    const f = finding('anthropic', k);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.permissions).toEqual([{ resource: 'organization', access: 'admin' }]);
    expect(f.access?.reach).toContainEqual({ kind: 'workspaces', count: 2 });
  });

  it('hang: unknown after the timeout', async () => {
    const k = key('api03', 4);
    fake.add(k, {}).mode(k, { kind: 'hang' });
    const f = finding('anthropic', k);
    await run([f], { http: { ...FAST, timeoutMs: 300 } });
    expect(f.access?.status).toBe('unknown');
  });
});
