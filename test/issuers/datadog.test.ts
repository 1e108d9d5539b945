import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DdKey, datadogFake } from '../../fixtures/fake-issuers/datadog.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const api = (seed: number) => expandTemplate('{{rand:a-f0-9:32}}', seed);
const app = (seed: number) => expandTemplate('{{rand:a-z0-9:40}}', seed);

describe('datadog', () => {
  let fake: FakeIssuer<DdKey>;
  beforeAll(async () => {
    fake = await startFake(datadogFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ datadog: fake.url })));

  it('API key: live via validate, write telemetry only; site from the companion', async () => {
    const k = api(1);
    fake.add(k, {});
    const f = finding('datadog', k, {
      ruleId: 'datadog-api-key',
      tokenType: 'api-key',
      companions: { 'datadog-site': 'datadoghq.eu' },
    });
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      identity: { account: 'datadoghq.eu' },
      permissions: [{ resource: 'telemetry', access: 'write' }],
    });
    const bad = finding('datadog', api(2), { tokenType: 'api-key' });
    await run([bad]);
    expect(bad.access?.status).toBe('invalid');
  });

  it('application key with its API key: user identity', async () => {
    const k = api(3);
    const a = app(4);
    fake.add(a, { apiKey: k, handle: 'dee' });
    const f = finding('datadog', a, { tokenType: 'application-key', companions: { 'datadog-api-key': k } });
    await run([f]);
    expect(f.access).toMatchObject({ status: 'live', identity: { user: 'dee' } });
  });

  it('a site companion outside Datadog cannot receive the key', async () => {
    const f = finding('datadog', api(5), { tokenType: 'api-key', companions: { 'datadog-site': 'evil.test' } });
    // No override: the site pattern rejects it, so the default site is used — still Datadog's host, never evil.test.
    const r = await lookupFindings([f], { ...opts(configFor({})), plan: true });
    expect(r.plan?.[0].hosts).toEqual(['api.datadoghq.com']);
  });
});
