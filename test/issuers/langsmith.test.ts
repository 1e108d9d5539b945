import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LangsmithKey, langsmithFake } from '../../fixtures/fake-issuers/langsmith.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const pt = (seed: number) => expandTemplate('lsv2_pt_{{rand:0-9a-f:32}}_{{rand:0-9a-f:10}}', seed);

describe('langsmith', () => {
  let fake: FakeIssuer<LangsmithKey>;
  beforeAll(async () => {
    fake = await startFake(langsmithFake);
  });
  afterAll(() => fake.close());

  it('personal token: its own key record (by preview), workspaces reach', async () => {
    const k = pt(1);
    fake.add(k, { description: 'tracing', workspaces: ['Default', 'Prod'] });
    const { access } = await run('langsmith', fake, k);
    expect(access.status).toBe('live');
    expect(access.tokenType).toBe('personal-token');
    expect(access.identity).toMatchObject({ type: 'key "tracing"', org: 'Default' });
    expect(access.createdAt).toBe(new Date('2024-07-01T09:30:00.000000').toISOString());
    expect(access.expiresAt).toBeNull();
    expect(access.permissions).toEqual([{ resource: 'workspace', access: 'write' }]);
    expect(access.reach).toContainEqual({ kind: 'workspaces', count: 2, sample: ['Default', 'Prod'] });
  });

  it('read-only key → read', async () => {
    const k = pt(2);
    fake.add(k, { description: 'ro', readOnly: true });
    const { access } = await run('langsmith', fake, k);
    expect(access.permissions).toEqual([{ resource: 'workspace', access: 'read' }]);
  });

  failureModes(
    'langsmith',
    () => fake,
    pt,
    (f, t) => f.add(t, { description: 'x' }),
  );
});
