import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { type SquareToken, squareFake } from '../../fixtures/fake-issuers/square.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { failureModes, run } from './b-helpers.js';

const tok = (seed: number) => expandTemplate('EAAA{{rand:A-Za-z0-9_-:60}}', seed);

describe('square', () => {
  let fake: FakeIssuer<SquareToken>;
  beforeAll(async () => {
    fake = await startFake(squareFake);
  });
  afterAll(() => fake.close());

  it('token status: scopes → levels, merchant, expiry, business name; the introspection POST is read-only', async () => {
    const t = tok(1);
    fake.add(t, {
      merchant_id: 'ML1',
      client_id: 'sq0idp-app',
      scopes: [
        'PAYMENTS_READ',
        'PAYMENTS_WRITE',
        'MERCHANT_PROFILE_WRITE',
        'BANK_ACCOUNTS_READ',
        'PAYMENTS_WRITE_IN_PERSON',
      ],
      expires_at: '2030-02-01T00:00:00Z',
      business_name: 'Acme Coffee',
    });
    const { access } = await run('square', fake, t);
    expect(access.status).toBe('live');
    expect(access.environment).toBe('production');
    expect(access.identity).toMatchObject({ account: 'ML1', project: 'sq0idp-app', org: 'Acme Coffee' });
    expect(access.permissions).toEqual([
      { resource: 'payments', access: 'write' },
      { resource: 'merchant-profile', access: 'admin' },
      { resource: 'bank-accounts', access: 'admin' },
    ]);
    expect(access.expiresAt).toBe('2030-02-01T00:00:00.000Z');
    expect(fake.requestsFor(t)[0]).toMatchObject({ method: 'POST', path: '/oauth2/token/status' });
  });

  it('personal access token: no expiry', async () => {
    const t = tok(2);
    fake.add(t, { merchant_id: 'ML2', client_id: 'sq0idp-x', scopes: ['ORDERS_READ'] });
    const { access } = await run('square', fake, t);
    expect(access.expiresAt).toBeNull();
    expect(access.permissions).toEqual([{ resource: 'orders', access: 'read' }]);
  });

  it('application secret: not sent', async () => {
    const s = expandTemplate('sq0csp-{{rand:A-Za-z0-9_-:43}}', 3);
    const { access } = await run('square', fake, s);
    expect(access.status).toBe('unknown');
    expect(access.tokenType).toBe('application-secret');
    expect(fake.requestsFor(s)).toHaveLength(0);
  });

  failureModes(
    'square',
    () => fake,
    tok,
    (f, t) => f.add(t, { merchant_id: 'M', client_id: 'c', scopes: [] }),
  );
});
