import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type TelegramBot, telegramFake } from '../../fixtures/fake-issuers/telegram.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const tok = (seed: number) => expandTemplate('{{rand:1-9:1}}{{rand:0-9:9}}:AA{{rand:A-Za-z0-9_-:33}}', seed);

describe('telegram', () => {
  let fake: FakeIssuer<TelegramBot>;
  beforeAll(async () => {
    fake = await startFake(telegramFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ telegram: fake.url })));

  it('bot token: live, @username, webhook host; never getUpdates; token kept out of logs', async () => {
    const t = tok(1);
    fake.add(t, { username: 'acme_bot', webhook: 'https://hooks.acme.test/tg?secret=x' });
    const f = finding('telegram', t);
    const r = await run([f]);
    expect(f.access).toMatchObject({ status: 'live', identity: { user: '@acme_bot', account: t.split(':')[0] } });
    expect(f.access?.notes?.join(' ')).toMatch(/webhook at hooks\.acme\.test/);
    expect(fake.requestsFor(t).map((x) => x.path.split('/').pop())).toEqual(['getMe', 'getWebhookInfo']);
    expect(fake.requests.some((x) => x.path.endsWith('/getUpdates'))).toBe(false);
    expect(JSON.stringify(r.client.log)).not.toContain(t);
  });

  it('unknown token: invalid; bot id offline', async () => {
    const t = tok(2);
    const f = finding('telegram', t);
    await run([f]);
    expect(f.access?.status).toBe('invalid');
    expect(f.access?.identity?.account).toBe(t.split(':')[0]);
  });
});
