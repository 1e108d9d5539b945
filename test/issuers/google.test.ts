import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleKey, googleFake } from '../../fixtures/fake-issuers/google.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const apiKey = (seed: number) => expandTemplate('AIza{{rand:0-9A-Za-z_-:35}}', seed);

describe('google', () => {
  let fake: FakeIssuer<GoogleKey>;
  beforeAll(async () => {
    fake = await startFake(googleFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ google: fake.url })));

  it('API key: Gemini enabled → live; disabled API → live (valid key); invalid → invalid', async () => {
    const [a, b, c] = [apiKey(1), apiKey(2), apiKey(3)];
    fake.add(a, { gemini: 'enabled' }).add(b, { gemini: 'disabled' });
    const fs = [finding('google', a), finding('google', b), finding('google', c)];
    await run(fs);
    expect(fs[0].access).toMatchObject({ status: 'live', tokenType: 'api-key' });
    expect(fs[0].access?.reach?.[0].sample).toEqual(['generativelanguage.googleapis.com']);
    expect(fs[1].access?.status).toBe('live');
    expect(fs[1].access?.notes?.join(' ')).toMatch(/SERVICE_DISABLED/);
    expect(fs[2].access?.status).toBe('invalid');
  });

  it('the key in the query string never reaches the request log', async () => {
    const k = apiKey(4);
    fake.add(k, { gemini: 'enabled' });
    const r = await run([finding('google', k)]);
    expect(JSON.stringify(r.client.log)).not.toContain(k);
  });

  it('OAuth access token: tokeninfo scopes, email, expiry', async () => {
    const t = expandTemplate('ya29.{{rand:0-9A-Za-z_-:60}}', 5);
    fake.add(t, {
      scope: 'https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/cloud-platform openid',
      email: 'svc@acme.test',
      exp: 1900000000,
      aud: '123-abc.apps.googleusercontent.com',
    });
    const f = finding('google', t);
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      identity: { email: 'svc@acme.test' },
      expiresAt: new Date(1900000000 * 1000).toISOString(),
    });
    expect(f.access?.permissions).toEqual([
      { resource: 'drive', access: 'read' },
      { resource: 'gcp', access: 'admin' },
      { resource: 'identity', access: 'read' },
    ]);
  });

  it('refresh tokens and client secrets are not sent', async () => {
    const t = expandTemplate('1//0{{rand:0-9A-Za-z_-:60}}', 6);
    const f = finding('google', t);
    await run([f]);
    expect(f.access?.status).toBe('skipped');
    expect(fake.requestsFor(t)).toHaveLength(0);
  });
});
