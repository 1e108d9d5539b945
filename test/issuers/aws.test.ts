import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsPrincipal, awsFake } from '../../fixtures/fake-issuers/aws.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { aws, awsAccountFromKeyId, awsPolicyPermissions } from '../../src/issuers/aws.js';
import { sigV4Headers } from '../../src/issuers/aws-probe.js';
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

  it('IAM reads denied: read-only probes record bucket reach and what was denied', async () => {
    const id = keyIdFor('AKIA', 15, 15);
    fake.add(id, {
      account: '000000000015',
      arn: 'arn:aws:iam::000000000015:user/ci',
      denyIam: true,
      buckets: ['acme-logs', 'acme-backups', 'acme-site'],
    });
    const f = keyFinding(id, 15);
    await run([f]);
    const a = f.access!;
    expect(a.status).toBe('live');
    expect(a.reach).toEqual([{ kind: 'buckets', count: 3, sample: ['acme-logs', 'acme-backups', 'acme-site'] }]);
    expect(a.permissions).toEqual([{ resource: 's3', access: 'read' }]);
    const notes = a.notes?.join(' | ') ?? '';
    expect(notes).toMatch(/IAM reads denied/);
    expect(notes).toMatch(/probes allowed: s3:ListBuckets \(3 buckets\)/);
    expect(notes).toMatch(/probes denied: ec2:DescribeRegions/);
    // Only read-only calls: STS/IAM Get/List over the query protocol, S3 ListBuckets as a GET of the service root,
    // EC2 DescribeRegions; every one signed for its own service.
    const reqs = fake.requestsFor(id);
    const calls = reqs.map((r) => {
      const service = /Credential=[A-Z0-9]+\/\d{8}\/[a-z0-9-]+\/([a-z0-9]+)\//.exec(
        String(r.headers.authorization),
      )?.[1];
      return `${service}:${r.method === 'GET' ? 'ListBuckets' : new URLSearchParams(r.body).get('Action')}`;
    });
    expect(calls[0]).toBe('sts:GetCallerIdentity');
    expect(calls.slice(-2)).toEqual(['s3:ListBuckets', 'ec2:DescribeRegions']);
    expect(calls.every((c) => /:(Get|List|Describe)/.test(c))).toBe(true);
    expect(reqs.filter((r) => r.method === 'GET').every((r) => r.path === '/')).toBe(true);
  });

  it('IAM readable: no probes; every probe denied: notes only, no reach', async () => {
    const readable = keyIdFor('AKIA', 16, 16);
    fake.add(readable, { account: '000000000016', arn: 'arn:aws:iam::000000000016:user/x', buckets: ['b'] });
    const denied = keyIdFor('AKIA', 17, 17);
    fake.add(denied, { account: '000000000017', arn: 'arn:aws:iam::000000000017:user/y', denyIam: true });
    const fr = keyFinding(readable, 16);
    const fd = keyFinding(denied, 17);
    await run([fr, fd]);
    expect(fake.requestsFor(readable).some((r) => r.method === 'GET')).toBe(false);
    expect(fd.access?.reach).toBeUndefined();
    expect(fd.access?.permissions).toBeUndefined();
    expect(fd.access?.notes?.join(' ')).toMatch(/probes denied: s3:ListBuckets, ec2:DescribeRegions/);
  });

  it('SigV4 for the probes matches the AWS SDK signer', () => {
    // Expected value computed with @smithy/signature-v4 5.7.5 (the SDK's signer) for the same request; the key pair
    // is AWS's documented example, split so no scanner trips.
    const keys = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: ['wJalrXUtnFEMI', 'K7MDENG+bPxRfiCYEXAMPLEKEY'].join('/'),
    };
    const body = 'Action=DescribeRegions&Version=2016-11-15';
    const h = sigV4Headers(
      {
        method: 'POST',
        url: 'https://ec2.us-east-1.amazonaws.com/',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      },
      keys,
      'us-east-1',
      'ec2',
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=fb1a0c160f43daacb5600be679ee2414384d7f7f4f007d7ee6ce9a83a27f46a2',
    );
    expect(h['x-amz-date']).toBe('20150830T123600Z');
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
