import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeepseekAccount, deepseekFake } from '../../fixtures/fake-issuers/deepseek.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const key = (seed: number) => expandTemplate('sk-{{rand:0-9a-f:32}}', seed);

describe('deepseek', () => {
  let fake: FakeIssuer<DeepseekAccount>;
  beforeAll(async () => {
    fake = await startFake(deepseekFake);
  });
  afterAll(() => fake.close());

  it('live key: balance in the notes; exhausted balance is still live', async () => {
    const k = key(1);
    fake.add(k, { available: true, total: '110.00' });
    const { access } = await run('deepseek', fake, k);
    expect(access.status).toBe('live');
    expect(access.notes?.join(' ')).toMatch(/balance 110\.00 USD/);
    const k2 = key(2);
    fake.add(k2, { available: false, total: '0.00' });
    const empty = await run('deepseek', fake, k2);
    expect(empty.access.status).toBe('live');
    expect(empty.access.notes?.join(' ')).toMatch(/exhausted/);
  });

  failureModes(
    'deepseek',
    () => fake,
    key,
    (f, t) => f.add(t, { available: true, total: '1.00' }),
  );
});
