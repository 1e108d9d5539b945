import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type DiscordCred, discordFake } from '../../fixtures/fake-issuers/discord.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const bot = (seed: number) => expandTemplate('{{gen:discord-bot}}', seed);
const hook = (seed: number) =>
  expandTemplate('https://discord.com/api/webhooks/{{rand:0-9:18}}/{{rand:A-Za-z0-9_-:68}}', seed);

describe('discord', () => {
  let fake: FakeIssuer<DiscordCred>;
  beforeAll(async () => {
    fake = await startFake(discordFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ discord: fake.url })));

  it('bot token: live, username, guild reach, admin guilds', async () => {
    const t = bot(1);
    fake.add(t, { username: 'deploy-bot', guilds: [{ name: 'Acme', admin: true }, { name: 'Friends' }] });
    const f = finding('discord', t);
    await run([f]);
    expect(f.access).toMatchObject({ status: 'live', tokenType: 'bot-token', identity: { user: 'deploy-bot' } });
    expect(f.access?.reach).toEqual([{ kind: 'guilds', count: 2, sample: ['Acme', 'Friends'] }]);
    expect(f.access?.permissions).toContainEqual({ resource: 'guild/Acme', access: 'admin' });
    expect(fake.requestsFor(t)[0].headers.authorization).toBe(`Bot ${t}`);
  });

  it('webhook: GET only, live; unknown webhook invalid; bad bot token invalid', async () => {
    const h = hook(2);
    fake.add(h, { guild: 'g1', channel: 'c1' });
    const fs = [finding('discord', h), finding('discord', hook(3)), finding('discord', bot(4))];
    await run(fs);
    expect(fs[0].access).toMatchObject({
      status: 'live',
      tokenType: 'webhook',
      permissions: [{ resource: 'channel/c1', access: 'write' }],
    });
    expect(fake.requestsFor(h).map((r) => r.method)).toEqual(['GET']);
    expect(fs[1].access?.status).toBe('invalid');
    expect(fs[2].access?.status).toBe('invalid');
  });
});
