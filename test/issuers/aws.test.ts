import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsPrincipal, awsFake } from '../../fixtures/fake-issuers/aws.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { aws, awsAccountFromKeyId, awsPolicyPermissions } from '../../src/issuers/aws.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

/** A key id encoding `account` the way AWS does (account << 7 in the first 48 bits, base32). */
function keyIdFor(prefix: string, account: number, seed: number): string {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const low = BigInt(Number.parseInt(expandTemplate('{{rand:0-9:9}}', seed)) % 2 ** 32);
  let bits = ((BigInt(account) << 7n) << 32n) | low;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s = B32[Number(bits & 31n)] + s;
    bits >>= 5n;
  }
  return prefix + s;
}
const secretKey = (seed: number) => expandTemplate('{{rand:A-Za-z0-9/+:40}}', seed);

describe('aws', () => {
  let fake: FakeIssuer<AwsPrincipal>;
  beforeAll(async () => {
    fake = await startFake(awsFake);
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ aws: fake.url })));
  const keyFinding = (id: string, seed: number, extra: Record<string, string> = {}) =>
    finding('aws', id, {
      ruleId: 'aws-access-key-id',
      companions: { 'aws-secret-access-key': secretKey(seed), ...extra },
    });

  it('account id from the key id (offline), AKIA vs ASIA', () => {
    const id = keyIdFor('AKIA', 123456789012, 1);
    expect(awsAccountFromKeyId(id)).toBe('123456789012');
    expect(awsAccountFromKeyId('AKIAIOSFODNN7EXAMPLE')).toBeUndefined(); // legacy AKIAI…
    // The public worked example from "A short note on AWS KEY ID" (Tal Be'ery, 2023), split so no scanner trips.
    expect(awsAccountFromKeyId(['ASIA', 'Y34FZKBOKMUTVV7A'].join(''))).toBe('609629065308');
    const d = aws.decode!({ secret: keyIdFor('ASIA', 42, 2), ruleId: 'x', companions: {}, fingerprint: 'f' });
    expect(d).toMatchObject({ tokenType: 'temporary-access-key', identity: { account: '000000000042' } });
  });

  it('IAM user: live via GetCallerIdentity, attached + inline + group policies → permissions', async () => {
    const id = keyIdFor('AKIA', 111122223333, 3);
    fake.add(id, {
      account: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/ci-deployer',
      attached: [{ name: 'deploy', arn: 'arn:aws:iam::111122223333:policy/deploy' }],
      documents: {
        'arn:aws:iam::111122223333:policy/deploy': {
          Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 'iam:PassRole'], Resource: '*' }],
        },
      },
      inline: { 'read-logs': { Statement: { Effect: 'Allow', Action: 'logs:Get*', Resource: '*' } } },
      groups: { admins: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    });
    const f = keyFinding(id, 3);
    await run([f]);
    const a = f.access!;
    expect(a.status).toBe('live');
    expect(a.identity).toMatchObject({
      account: '111122223333',
      user: 'arn:aws:iam::111122223333:user/ci-deployer',
      type: 'iam-user',
    });
    expect(a.scopes).toEqual(['deploy', 'AdministratorAccess (group admins)', 'inline:read-logs']);
    expect(a.permissions).toContainEqual({ resource: '*', access: 'admin' });
    expect(a.permissions).toContainEqual({ resource: 's3', access: 'write' });
    expect(a.permissions).toContainEqual({ resource: 'iam', access: 'admin' });
    expect(a.permissions).toContainEqual({ resource: 'logs', access: 'read' });
    expect(a.notes?.join(' ')).toMatch(/privilege escalation/);
    expect(a.expiresAt).toBeNull();
    // Every request went to the fake, every one a read-only action.
    const actions = fake.requestsFor(id).map((r) => new URLSearchParams(r.body).get('Action'));
    expect(actions[0]).toBe('GetCallerIdentity');
    expect(actions.every((x) => /^(Get|List)/.test(x ?? ''))).toBe(true);
  });

  it('IAM reads denied: still live, with a note', async () => {
    const id = keyIdFor('AKIA', 5, 4);
    fake.add(id, { account: '000000000005', arn: 'arn:aws:iam::000000000005:user/app', denyIam: true });
    const f = keyFinding(id, 4);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.notes?.join(' ')).toMatch(/IAM reads denied \(AccessDenied\)/);
  });

  it('root key: admin on everything, no IAM enumeration', async () => {
    const id = keyIdFor('AKIA', 6, 5);
    fake.add(id, { account: '000000000006', arn: 'arn:aws:iam::000000000006:root' });
    const f = keyFinding(id, 5);
    await run([f]);
    expect(f.access?.identity?.type).toBe('root');
    expect(f.access?.permissions).toEqual([{ resource: '*', access: 'admin' }]);
    expect(fake.requestsFor(id)).toHaveLength(1);
  });

  it('invalid key id, bad signature → invalid; expired session → inactive', async () => {
    const bad = keyFinding(keyIdFor('AKIA', 7, 6), 6);
    const sigId = keyIdFor('AKIA', 8, 7);
    fake.add(sigId, { account: '000000000008', arn: 'arn:aws:iam::000000000008:user/x', badSignature: true });
    const sig = keyFinding(sigId, 7);
    const expId = keyIdFor('ASIA', 9, 8);
    fake.add(expId, { account: '000000000009', arn: 'arn:aws:sts::000000000009:assumed-role/r/s', expired: true });
    const exp = keyFinding(expId, 8, {
      'aws-session-token': expandTemplate('IQoJb3JpZ2luX2Vj{{rand:A-Za-z0-9/+:200}}', 9),
    });
    await run([bad, sig, exp]);
    expect(bad.access?.status).toBe('invalid');
    expect(sig.access?.status).toBe('invalid');
    expect(exp.access?.status).toBe('inactive');
  });

  it('assumed role with session token: role policies', async () => {
    const id = keyIdFor('ASIA', 10, 10);
    fake.add(id, {
      account: '000000000010',
      arn: 'arn:aws:sts::000000000010:assumed-role/reader/session1',
      attached: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    const f = keyFinding(id, 10, { 'aws-session-token': expandTemplate('FwoGZXIvYXdzE{{rand:A-Za-z0-9/+:200}}', 11) });
    await run([f]);
    expect(f.access).toMatchObject({
      status: 'live',
      identity: { type: 'assumed-role' },
      permissions: [{ resource: '*', access: 'read' }],
    });
    const auth = String(fake.requestsFor(id)[0].headers['x-amz-security-token'] ?? '');
    expect(auth.startsWith('FwoGZXIvYXdzE')).toBe(true);
  });

  it('no secret key nearby, or a secret key alone: nothing is sent', async () => {
    const id = keyIdFor('AKIA', 12, 12);
    const alone = finding('aws', id);
    const secretOnly = finding('aws', secretKey(13), { ruleId: 'aws-secret-access-key' });
    await run([alone, secretOnly]);
    expect(alone.access?.status).toBe('skipped');
    expect(secretOnly.access?.status).toBe('skipped');
    expect(fake.requestsFor(id)).toHaveLength(0);
  });

  it('HTML page from a proxy → unknown', async () => {
    const id = keyIdFor('AKIA', 14, 14);
    fake
      .add(id, { account: '000000000014', arn: 'arn:aws:iam::000000000014:user/x' })
      .mode(id, { kind: 'html', status: 403 });
    const f = keyFinding(id, 14);
    await run([f]);
    expect(f.access?.status).toBe('unknown');
  });

  it('policy classification', () => {
    expect(awsPolicyPermissions({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }).permissions).toEqual([
      { resource: '*', access: 'admin' },
    ]);
    expect(awsPolicyPermissions({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }).permissions).toEqual(
      [],
    );
    expect(awsPolicyPermissions({ Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*' }] }).permissions).toEqual([
      { resource: 'ec2', access: 'read' },
    ]);
  });
});
