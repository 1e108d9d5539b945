// AWS: the key deactivates itself (iam:UpdateAccessKey Status=Inactive) through the AWS SDK, whose requests go
// through keyscope's shared client (endpoint override → the fake). Reversible; denied keys and STS keys get runbooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsKeyData, awsRevokeFake } from '../../fixtures/fake-issuers/revoke/aws.js';
import { isRevoked } from '../../fixtures/fake-issuers/revoke/state.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { cfg, harness, keyFinding, tok } from './harness.js';

describe('aws revocation', () => {
  let fake: FakeIssuer<AwsKeyData>;
  beforeAll(async () => {
    fake = await startFake(awsRevokeFake);
  });
  afterAll(() => fake.close());
  const pair = () => ({ id: tok('AKIA{{rand:A-Z2-7:16}}'), secret: tok('{{rand:A-Za-z0-9/+:40}}') });

  it('signs UpdateAccessKey Status=Inactive with the key itself: deactivated, reversible', async () => {
    const k = pair();
    fake.add(k.id, { user: 'ci' });
    const f = keyFinding('aws', k.id, { companions: { 'aws-secret-access-key': k.secret } });
    const h = harness();
    await h.run([f], cfg({ aws: fake.url }), { yes: true });
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(f.revocation?.action).toBe('deactivate');
    expect(f.revocation?.reversible).toBe(true);
    const posts = fake.requests.filter(
      (r) => r.method === 'POST' && new URLSearchParams(r.body).get('Action') === 'UpdateAccessKey',
    );
    expect(posts).toHaveLength(1);
    expect(String(posts[0].headers.authorization)).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${k.id}/\\d{8}/us-east-1/iam/aws4_request`),
    );
    expect(isRevoked(fake, k.id)).toBe(true);
    expect(JSON.stringify(f.revocation)).not.toContain(k.secret);
    expect(h.out.join('\n')).toContain('reversible (the key can be re-activated)');
  });

  it('a key whose policy denies it: failed (AccessDenied) with the IAM runbook; a dead key: already revoked', async () => {
    const denied = pair();
    fake.add(denied.id, { mayUpdate: false });
    const f = keyFinding('aws', denied.id, { companions: { secret: denied.secret } });
    const dead = pair();
    const g = keyFinding('aws', dead.secret, { companions: { 'aws-access-key-id': dead.id } });
    await harness().run([f, g], cfg({ aws: fake.url }), { yes: true });
    expect(f.revocation?.result).toBe('failed');
    expect(f.revocation?.detail).toMatch(/iam:UpdateAccessKey denied/);
    expect(f.revocation?.runbook?.[0]).toBe('https://console.aws.amazon.com/iam/home#/users');
    expect(g.revocation?.result).toBe('already-revoked');
    expect(g.revocation?.detail).toMatch(/InvalidClientTokenId/);
  });

  it('STS keys and key ids without their secret get the runbook, no request', async () => {
    fake.reset();
    const sts = keyFinding('aws', tok('ASIA{{rand:A-Z2-7:16}}'), { companions: { s: tok('{{rand:A-Za-z0-9/+:40}}') } });
    const lonely = keyFinding('aws', tok('AKIA{{rand:A-Z2-7:16}}'));
    await harness().run([sts, lonely], cfg({ aws: fake.url }), { yes: true });
    expect(fake.requests).toHaveLength(0);
    expect(sts.revocation?.result).toBe('manual');
    expect(sts.revocation?.detail).toMatch(/role's active sessions/);
    expect(lonely.revocation?.detail).toMatch(/no secret access key/);
  });
});
