import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type SlackAccount, slackFake } from '../../fixtures/fake-issuers/slack.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const bot = (seed: number) => expandTemplate('xoxb-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:A-Za-z0-9:24}}', seed);
const hook = (seed: number) =>
  expandTemplate('https://hooks.slack.com/services/T{{rand:A-Z0-9:8}}/B{{rand:A-Z0-9:8}}/{{rand:A-Za-z0-9:24}}', seed);

describe('slack', () => {
  let fake: FakeIssuer<SlackAccount>;
  let attacker: FakeIssuer<SlackAccount>;
  beforeAll(async () => {
    fake = await startFake(slackFake);
    attacker = await startFake(slackFake);
  });
  afterAll(async () => {
    await fake.close();
    await attacker.close();
  });
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ slack: fake.url })));

  it('bot token: live, team and user, scopes from the x-oauth-scopes header', async () => {
    const t = bot(1);
    fake.add(t, {
      team: 'Acme',
      teamId: 'T123',
      user: 'deploybot',
      botId: 'B1',
      scopes: ['chat:write', 'channels:read', 'admin.conversations:write'],
    });
    const f = finding('slack', t);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      tokenType: 'bot-token',
      identity: { org: 'Acme', account: 'T123', user: 'deploybot', type: 'bot' },
    });
    expect(f.access?.scopes).toEqual(['chat:write', 'channels:read', 'admin.conversations:write']);
    expect(f.access?.permissions).toContainEqual({ resource: 'chat', access: 'write' });
    expect(f.access?.permissions).toContainEqual({ resource: 'channels', access: 'read' });
    expect(f.access?.permissions?.some((p) => p.access === 'admin')).toBe(true);
    expect(fake.requestsFor(t)).toHaveLength(1);
    expect(fake.requestsFor(t)[0].method).toBe('POST');
  });

  it('HTTP 200 ok:false: invalid_auth → invalid, token_revoked / account_inactive → inactive', async () => {
    const r = bot(2);
    const i = bot(3);
    fake.add(r, { error: 'token_revoked' }).add(i, { error: 'account_inactive' });
    const [fr, fi, fu] = [finding('slack', r), finding('slack', i), finding('slack', bot(4))];
    await run([fr, fi, fu]);
    expect(fr.access?.status).toBe('inactive');
    expect(fi.access?.status).toBe('inactive');
    expect(fu.access?.status).toBe('invalid');
  });

  it('webhook: the empty-body probe says live and never posts a message', async () => {
    const h = hook(5);
    fake.add(h, {});
    const f = finding('slack', h);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.tokenType).toBe('incoming-webhook');
    const reqs = fake.requestsFor(h);
    expect(reqs).toHaveLength(1);
    expect(reqs[0].body).toBe('');
  });

  it('webhook: unknown → invalid, archived → inactive', async () => {
    const a = hook(6);
    fake.add(a, { archived: true });
    const [fa, fu] = [finding('slack', a), finding('slack', hook(7))];
    await run([fa, fu]);
    expect(fa.access?.status).toBe('inactive');
    expect(fu.access?.status).toBe('invalid');
  });

  it('a webhook URL on another host is never sent, not even to Slack', async () => {
    const evil = `${attacker.url}/services/T1/B1/${expandTemplate('{{rand:A-Za-z0-9:24}}', 8)}`;
    attacker.add(evil, {});
    attacker.reset();
    const f = finding('slack', evil);
    await run([f]);
    expect(attacker.connections).toBe(0);
    expect(fake.requestsFor(evil)).toHaveLength(0);
    expect(f.access?.status).toBe('skipped');
  });

  it('session token without its cookie is not sent', async () => {
    const t = expandTemplate('xoxc-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:0-9:12}}-{{rand:a-f0-9:64}}', 9);
    const f = finding('slack', t);
    await run([f]);
    expect(f.access?.status).toBe('skipped');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });
});
