import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { type GcpServiceAccount, gcpFake } from '../../fixtures/fake-issuers/gcp.js';
import { type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { gcp, parseServiceAccount } from '../../src/issuers/gcp.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, finding, opts } from './helpers.js';

/** A key file with a real RSA key generated at test time (never committed). */
function keyFile(name: string, project: string, extra: Record<string, string> = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = `${name}@${project}.iam.gserviceaccount.com`;
  const json = JSON.stringify(
    {
      type: 'service_account',
      project_id: project,
      private_key_id: expandTemplate('{{rand:0-9a-f:40}}', name.length),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: '100000000000000000001',
      token_uri: 'https://oauth2.googleapis.com/token',
      ...extra,
    },
    null,
    2,
  );
  return { json, email, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

describe('gcp', () => {
  let fake: FakeIssuer<GcpServiceAccount>;
  beforeAll(async () => {
    fake = await startFake(gcpFake());
  });
  afterAll(() => fake.close());
  const run = (fs: ReturnType<typeof finding>[]) => lookupFindings(fs, opts(configFor({ gcp: fake.url })));

  it('offline: identity and project from the key file, also from the token factory sample', () => {
    const sample = expandTemplate('{{gen:gcp-sa}}', 3);
    const d = gcp.decode!({ secret: sample, ruleId: 'gcp-service-account-key', companions: {}, fingerprint: 'f' });
    expect(d.identity?.account).toMatch(/@[a-z]+-\d+\.iam\.gserviceaccount\.com$/);
    expect(d.identity?.project).toMatch(/^[a-z]+-\d+$/);
    // Captured inside a JSON string: escaped quotes.
    const escaped = sample.replace(/"/g, '\\"');
    expect(parseServiceAccount(escaped)?.client_email).toBe(d.identity?.account);
  });

  it('live: the signed grant is accepted, roles from the project IAM policy', async () => {
    const k = keyFile('deployer', 'acme-prod');
    fake.add(k.email, {
      publicKeyPem: k.publicKeyPem,
      bindings: [
        { role: 'roles/editor', members: [`serviceAccount:${k.email}`] },
        { role: 'roles/storage.objectViewer', members: [`serviceAccount:${k.email}`, 'user:a@b.c'] },
        { role: 'roles/owner', members: ['user:boss@acme.test'] },
      ],
    });
    const f = finding('gcp', k.json);
    await run([f]);
    expect(f.access?.status).toBe('live');
    expect(f.access?.identity).toMatchObject({ account: k.email, project: 'acme-prod', type: 'service_account' });
    expect(f.access?.scopes).toEqual(['roles/editor', 'roles/storage.objectViewer']);
    expect(f.access?.permissions).toEqual([
      { resource: 'project', access: 'write' },
      { resource: 'storage', access: 'read' },
    ]);
    expect(JSON.stringify(f.access)).not.toContain('ya29.fake');
  });

  it('deleted key → invalid; disabled → inactive; policy denied → live with a note', async () => {
    const del = keyFile('gone', 'p1');
    const dis = keyFile('off', 'p2');
    const den = keyFile('nopol', 'p3');
    fake.add(del.email, { publicKeyPem: del.publicKeyPem, deleted: true });
    fake.add(dis.email, { publicKeyPem: dis.publicKeyPem, disabled: true });
    fake.add(den.email, { publicKeyPem: den.publicKeyPem, denyPolicy: true });
    const [a, b, c] = [finding('gcp', del.json), finding('gcp', dis.json), finding('gcp', den.json)];
    await run([a, b, c]);
    expect(a.access?.status).toBe('invalid');
    expect(b.access?.status).toBe('inactive');
    expect(c.access?.status).toBe('live');
    expect(c.access?.notes?.join(' ')).toMatch(/IAM policy not readable \(HTTP 403\)/);
  });

  it('a key file whose token_uri points elsewhere is never sent there', async () => {
    const other = await startFake(gcpFake());
    const k = keyFile('evil', 'p4', { token_uri: `${other.url}/token` });
    const f = finding('gcp', k.json);
    // No override: the default path checks token_uri against Google's hosts and refuses.
    await lookupFindings([f], opts(configFor({})));
    expect(other.connections).toBe(0);
    expect(f.access?.status).toBe('unknown');
    expect(f.access?.notes?.join(' ')).toMatch(/not Google's/);
    await other.close();
  });

  it('the random PEM of a token-factory sample cannot sign: invalid, nothing sent', async () => {
    const f = finding('gcp', expandTemplate('{{gen:gcp-sa}}', 5));
    fake.reset();
    await run([f]);
    expect(f.access?.status).toBe('invalid');
    expect(fake.requests).toHaveLength(0);
  });
});
