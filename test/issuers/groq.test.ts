import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroqAccount, groqFake } from '../../fixtures/fake-issuers/groq.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const key = (seed: number) => expandTemplate('gsk_{{rand:A-Za-z0-9:52}}', seed);

describe('groq', () => {
  let fake: FakeIssuer<GroqAccount>;
  beforeAll(async () => {
    fake = await startFake(groqFake);
  });
  afterAll(() => fake.close());

  it('live key: full access, models, files and batches as reach, never expires', async () => {
    const k = key(1);
    fake.add(k, { models: ['llama-3.3-70b-versatile', 'whisper-large-v3'], files: 2, batches: 1 });
    const { access } = await run('groq', fake, k);
    expect(access.status).toBe('live');
    expect(access.permissions).toContainEqual({ resource: 'inference', access: 'write' });
    expect(access.reach).toEqual([
      { kind: 'models', count: 2 },
      { kind: 'files', count: 2 },
      { kind: 'batches', count: 1 },
    ]);
    expect(access.expiresAt).toBeNull();
  });

  failureModes(
    'groq',
    () => fake,
    key,
    (f, t) => f.add(t, { models: [] }),
  );
});
