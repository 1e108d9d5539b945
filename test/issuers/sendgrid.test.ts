import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SendgridAccount, sendgridFake } from '../../fixtures/fake-issuers/sendgrid.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

const key = (seed: number) => expandTemplate('SG.{{rand:A-Za-z0-9_-:22}}.{{rand:A-Za-z0-9_-:43}}', seed);

describe('sendgrid', () => {
  let fake: FakeIssuer<SendgridAccount>;
  beforeAll(async () => {
    fake = await startFake(sendgridFake);
  });
  afterAll(() => fake.close());

  it('full key: live, scopes, admin permission on api_keys, identity from the profile', async () => {
    const k = key(1);
    fake.add(k, {
      scopes: ['mail.send', 'api_keys.create', 'api_keys.read', 'user.profile.read'],
      username: 'acme',
      email: 'ops@acme.test',
    });
    const f = finding('sendgrid', k);
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(f.access?.status).toBe('live');
    expect(f.access?.source).toBe('issuer');
    expect(f.access?.tokenType).toBe('full-access');
    expect(f.access?.scopes).toContain('mail.send');
    expect(f.access?.permissions).toContainEqual({ resource: 'api_keys', access: 'admin' });
    expect(f.access?.identity?.user).toBe('acme');
    expect(JSON.stringify(f.access)).not.toContain(k);
  });

  it('restricted key without profile scope makes exactly one request', async () => {
    const k = key(2);
    fake.add(k, { scopes: ['mail.send'] });
    const f = finding('sendgrid', k);
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(f.access?.status).toBe('live');
    expect(f.access?.tokenType).toBe('restricted');
    expect(f.access?.permissions).toEqual([{ resource: 'mail', access: 'write' }]);
    expect(fake.requestsFor(k)).toHaveLength(1);
  });

  it('unknown key: invalid', async () => {
    const f = finding('sendgrid', key(3));
    await lookupFindings([f], opts(configFor({ sendgrid: fake.url })));
    expect(f.access?.status).toBe('invalid');
  });
});
