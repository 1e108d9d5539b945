import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotionIntegration, notionFake } from '../../fixtures/fake-issuers/notion.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const key = (seed: number) => expandTemplate('ntn_{{rand:0-9:11}}{{rand:A-Za-z0-9:35}}', seed);

describe('notion', () => {
  let fake: FakeIssuer<NotionIntegration>;
  beforeAll(async () => {
    fake = await startFake(notionFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ notion: fake.url })));

  it('integration: live, workspace, shared pages and databases as reach; bad key invalid', async () => {
    const k = key(1);
    fake.add(k, { name: 'Sync bot', workspace: 'Acme HQ', pages: 3, databases: 1 });
    const fs = [finding('notion', k), finding('notion', key(2))];
    await run(fs);
    expect(fs[0].access).toMatchObject({ status: 'live', identity: { user: 'Sync bot', org: 'Acme HQ' } });
    expect(fs[0].access?.reach).toEqual([
      { kind: 'pages', count: 3 },
      { kind: 'databases', count: 1 },
    ]);
    expect(fs[1].access?.status).toBe('invalid');
  });
});
