// Multi-step providers (list → the exact entry → delete) and issuers whose token is not in a header. Every account
// holds decoy tokens listed BEFORE the leaked one: a provider that deletes "the first entry" kills a decoy and fails.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as multi from '../../fixtures/fake-issuers/revoke/multi.js';
import { isRevoked } from '../../fixtures/fake-issuers/revoke/state.js';
import { type FakeDefinition, type FakeIssuer, startFake } from '../../fixtures/fake-issuers/server.js';
import { npmTokenKey } from '../../src/revoke/providers/npm.js';
import type { Finding } from '../../src/types.js';
import { calls, cfg, deleted, harness, keyFinding, tok } from './harness.js';

function suite<T>(name: string, def: FakeDefinition<T>, body: (get: () => FakeIssuer<T>) => void): void {
  describe(name, () => {
    let fake: FakeIssuer<T>;
    beforeAll(async () => {
      fake = await startFake(def);
    });
    afterAll(() => fake.close());
    body(() => fake);
  });
}

const run = (f: Finding[], issuer: string, url: string, extra: Record<string, unknown> = {}) =>
  harness().run(f, cfg({ [issuer]: url }), { yes: true, ...extra });

suite('heroku: the authorization holding exactly this token', multi.herokuRevokeFake, (fake) => {
  const t = () => tok('HRKU-AA{{rand:A-Za-z0-9_-:58}}');
  it('deletes that authorization, not the first one listed', async () => {
    const [d1, key, d2] = [t(), t(), t()];
    const acct = {
      entries: [
        { id: 'auth-decoy-1', token: d1 },
        { id: 'auth-leaked', token: key },
        { id: 'auth-decoy-2', token: d2 },
      ],
    };
    for (const x of [d1, key, d2]) fake().add(x, acct);
    const f = keyFinding('heroku', key);
    await run([f], 'heroku', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual(['/oauth/authorizations/auth-leaked']);
    expect(isRevoked(fake(), key)).toBe(true);
    expect(isRevoked(fake(), d1) || isRevoked(fake(), d2)).toBe(false);
    expect(f.revocation?.request).toMatch(
      /^GET .*\/oauth\/authorizations; DELETE .*\/oauth\/authorizations\/auth-leaked$/,
    );
  });
  it('a token no authorization holds (an account API key): nothing deleted, failed with the runbook', async () => {
    const [d1, key] = [t(), t()];
    const acct = { entries: [{ id: 'only-decoy', token: d1 }] };
    fake().add(d1, acct).add(key, acct);
    fake().reset();
    const f = keyFinding('heroku', key);
    await run([f], 'heroku', fake().url);
    expect(f.revocation?.result).toBe('failed');
    expect(f.revocation?.detail).toMatch(/none of the 1 authorizations holds exactly this token/);
    expect(deleted(fake().requests)).toHaveLength(0);
    expect(f.revocation?.runbook?.length).toBeGreaterThan(0);
  });
});

suite('npm: the token whose key is its SHA-512, across pages', multi.npmRevokeFake, (fake) => {
  it('follows pagination and deletes exactly /-/npm/v1/tokens/token/<sha512>', async () => {
    const all = Array.from({ length: 5 }, () => tok('{{gen:npm}}'));
    const key = all[4];
    const acct = { entries: all.map((x, i) => ({ id: `t${i}`, token: x })) };
    for (const x of all) fake().add(x, acct);
    const f = keyFinding('npm', key);
    await run([f], 'npm', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(npmTokenKey(key)).toBe(createHash('sha512').update(key).digest('hex'));
    expect(deleted(fake().requests)).toEqual([`/-/npm/v1/tokens/token/${npmTokenKey(key)}`]);
    expect(calls(fake().requests, 'GET', '/-/npm/v1/tokens')).toBeGreaterThanOrEqual(3);
    expect(all.slice(0, 4).some((x) => isRevoked(fake(), x))).toBe(false);
    expect(isRevoked(fake(), key)).toBe(true);
  });
  it('a token missing from its own account list is not guessed at', async () => {
    const [other, key] = [tok('{{gen:npm}}'), tok('{{gen:npm}}')];
    const acct = { entries: [{ id: 'o', token: other }] };
    fake().add(other, acct).add(key, acct);
    fake().reset();
    const f = keyFinding('npm', key);
    await run([f], 'npm', fake().url);
    expect(f.revocation?.result).toBe('failed');
    expect(deleted(fake().requests)).toHaveLength(0);
  });
});

suite('sendgrid: the key id inside SG.<id>.<secret>', multi.sendgridRevokeFake, (fake) => {
  const t = () => tok('SG.{{rand:A-Za-z0-9_-:22}}.{{rand:A-Za-z0-9_-:43}}');
  it('DELETE /v3/api_keys/<this key id>; the other key of the account lives', async () => {
    const [other, key] = [t(), t()];
    const acct = { scopes: ['api_keys.delete', 'mail.send'], entries: [{ id: other.split('.')[1], token: other }] };
    fake().add(other, acct).add(key, acct);
    const f = keyFinding('sendgrid', key);
    await run([f], 'sendgrid', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual([`/v3/api_keys/${key.split('.')[1]}`]);
    expect(isRevoked(fake(), other)).toBe(false);
    expect(f.revocation?.request).not.toContain(key.split('.')[2]);
  });
  it('a key without api_keys.delete: 403, failed, nothing deleted', async () => {
    const key = t();
    fake().add(key, { scopes: ['mail.send'] });
    const f = keyFinding('sendgrid', key);
    await run([f], 'sendgrid', fake().url);
    expect(f.revocation?.result).toBe('failed');
    expect(f.revocation?.detail).toMatch(/403/);
    expect(isRevoked(fake(), key)).toBe(false);
  });
});

suite('netlify: the entry whose access_token is this token', multi.netlifyRevokeFake, (fake) => {
  it('deletes that id only', async () => {
    const t = () => tok('nfp_{{rand:A-Za-z0-9:36}}');
    const [d1, key] = [t(), t()];
    const acct = {
      entries: [
        { id: 'tok-first', token: d1 },
        { id: 'tok-leaked', token: key },
      ],
    };
    fake().add(d1, acct).add(key, acct);
    const f = keyFinding('netlify', key);
    await run([f], 'netlify', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual(['/api/v1/access_tokens/tok-leaked']);
    expect(isRevoked(fake(), d1)).toBe(false);
  });
});

suite('twilio: an API key (SK + secret) deletes itself under its own account', multi.twilioRevokeFake, (fake) => {
  const sk = () => tok('SK{{rand:a-f0-9:32}}');
  const ac = () => tok('AC{{rand:a-f0-9:32}}');
  const secret = () => tok('{{rand:A-Za-z0-9:32}}');
  it('without the AC companion: finds the account where Keys/{SK}.json answers 200 (not the first account)', async () => {
    const [sid, mine, other, sec] = [sk(), ac(), ac(), secret()];
    fake().add(sec, {
      sid,
      owner: mine,
      entries: [
        { id: other, token: 'x' },
        { id: mine, token: sec },
      ],
    });
    const f = keyFinding('twilio', sid, { companions: { 'twilio-api-secret': sec } });
    await run([f], 'twilio', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual([`/2010-04-01/Accounts/${mine}/Keys/${sid}.json`]);
    expect(isRevoked(fake(), sec)).toBe(true);
    expect(f.revocation?.request).not.toContain(sec);
  });
  it('with the AC companion: one DELETE; an Auth Token gets the Console runbook', async () => {
    const [sid, mine, sec] = [sk(), ac(), secret()];
    fake().add(sec, { sid, owner: mine, entries: [{ id: mine, token: sec }] });
    fake().reset();
    const f = keyFinding('twilio', sec, { companions: { 'twilio-api-key-sid': sid, 'twilio-account-sid': mine } });
    const authToken = keyFinding('twilio', tok('{{rand:a-f0-9:32}}'), { companions: { 'twilio-account-sid': mine } });
    await run([f, authToken], 'twilio', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(fake().requests.map((r) => `${r.method} ${r.path}`)).toContain(
      `DELETE /2010-04-01/Accounts/${mine}/Keys/${sid}.json`,
    );
    expect(deleted(fake().requests)).toHaveLength(1);
    expect(authToken.revocation?.result).toBe('manual');
    expect(authToken.revocation?.runbook?.[0]).toMatch(/^https:\/\/console\.twilio\.com/);
  });
});

suite('mailgun: the key whose secret is exactly this one', multi.mailgunRevokeFake, (fake) => {
  const t = () => tok('{{rand:a-f0-9:32}}-{{rand:a-f0-9:8}}-{{rand:a-f0-9:8}}');
  it('deletes that key id; decoys live; a non-admin key fails with 403', async () => {
    const [d1, key] = [t(), t()];
    const acct = {
      role: 'admin',
      entries: [
        { id: 'k-first', token: d1 },
        { id: 'k-leaked', token: key },
      ],
    };
    fake().add(d1, acct).add(key, acct);
    const f = keyFinding('mailgun', key);
    await run([f], 'mailgun', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual(['/v1/keys/k-leaked']);
    expect(isRevoked(fake(), d1)).toBe(false);
    const weak = t();
    fake().add(weak, { role: 'basic', entries: [{ id: 'k-weak', token: weak }] });
    const w = keyFinding('mailgun', weak);
    await run([w], 'mailgun', fake().url);
    expect(w.revocation?.result).toBe('failed');
    expect(w.revocation?.detail).toMatch(/403/);
  });
});

suite("grafana: a service account token, only when it is the account's only token", multi.grafanaRevokeFake, (fake) => {
  const t = () => tok('glsa_{{rand:A-Za-z0-9:32}}_{{rand:a-f0-9:8}}');
  it('one token on the service account: DELETE /api/serviceaccounts/{sa}/tokens/{id}', async () => {
    const key = t();
    fake().add(key, { owner: 7, entries: [{ id: '31', token: key }] });
    const f = keyFinding('grafana', key);
    await run([f], 'grafana', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual(['/api/serviceaccounts/7/tokens/31']);
  });
  it('two tokens: cannot tell which is this one, nothing deleted', async () => {
    const [other, key] = [t(), t()];
    const acct = {
      owner: 8,
      entries: [
        { id: '40', token: other },
        { id: '41', token: key },
      ],
    };
    fake().add(other, acct).add(key, acct);
    fake().reset();
    const f = keyFinding('grafana', key);
    await run([f], 'grafana', fake().url);
    expect(f.revocation?.result).toBe('failed');
    expect(f.revocation?.detail).toMatch(/holds 2 tokens/);
    expect(deleted(fake().requests)).toHaveLength(0);
  });
  it('a Grafana Cloud access-policy token (glc_) gets the runbook', async () => {
    const f = keyFinding('grafana', tok('glc_{{rand:A-Za-z0-9:60}}'));
    await run([f], 'grafana', fake().url);
    expect(f.revocation?.result).toBe('manual');
  });
});

suite("databricks: the caller's own token, identified exactly", multi.databricksRevokeFake, (fake) => {
  const t = () => tok('dapi{{rand:a-f0-9:32}}');
  const sha = (x: string) => createHash('sha256').update(x).digest('hex');
  it('token_id = SHA-256 of the token among several: that one', async () => {
    const [other, key] = [t(), t()];
    const acct = {
      entries: [
        { id: sha(other), token: other },
        { id: sha(key), token: key },
      ],
    };
    fake().add(other, acct).add(key, acct);
    const f = keyFinding('databricks', key);
    await run([f], 'databricks', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    const del = fake().requests.filter((r) => r.method === 'POST' && r.path === '/api/2.0/token/delete');
    expect(del.map((r) => JSON.parse(r.body).token_id)).toEqual([sha(key)]);
    expect(isRevoked(fake(), other)).toBe(false);
  });
  it('opaque ids: the single token of the caller is deleted; with two, nothing', async () => {
    const solo = t();
    fake().add(solo, { entries: [{ id: 'opaque-1', token: solo }] });
    const s = keyFinding('databricks', solo);
    await run([s], 'databricks', fake().url);
    expect(s.revocation?.result).toBe('revoked');
    const [a, b] = [t(), t()];
    const acct = {
      entries: [
        { id: 'opaque-a', token: a },
        { id: 'opaque-b', token: b },
      ],
    };
    fake().add(a, acct).add(b, acct);
    fake().reset();
    const fb = keyFinding('databricks', b);
    await run([fb], 'databricks', fake().url);
    expect(fb.revocation?.result).toBe('failed');
    expect(calls(fake().requests, 'POST', '/api/2.0/token/delete')).toBe(0);
  });
});

suite("cloudflare: verify gives the token's own id, then DELETE it", multi.cloudflareRevokeFake, (fake) => {
  it('deletes that id; another token of the account lives', async () => {
    const t = () => tok('{{rand:A-Za-z0-9_-:40}}');
    const [other, key] = [t(), t()];
    const acct = {
      entries: [
        { id: 'cf-other', token: other },
        { id: 'cf-leaked', token: key },
      ],
    };
    fake().add(other, acct).add(key, acct);
    const f = keyFinding('cloudflare', key);
    await run([f], 'cloudflare', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual(['/client/v4/user/tokens/cf-leaked']);
    expect(isRevoked(fake(), other)).toBe(false);
  });
});

suite('google: OAuth tokens by any holder; API keys get the runbook', multi.googleRevokeFake, (fake) => {
  it('POST /revoke token=…; a second attempt is answered invalid_token = already revoked', async () => {
    const key = tok('ya29.{{rand:A-Za-z0-9_-:120}}');
    fake().add(key, {});
    const f = keyFinding('google', key);
    await run([f], 'google', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    const post = fake().requests.find((r) => r.method === 'POST' && r.path === '/revoke');
    expect(new URLSearchParams(post!.body).get('token')).toBe(key);
    const again = keyFinding('google', key);
    await run([again], 'google', fake().url);
    expect(again.revocation?.result).toBe('already-revoked');
    const apiKey = keyFinding('google', tok('AIza{{rand:A-Za-z0-9_-:35}}'));
    await run([apiKey], 'google', fake().url);
    expect(apiKey.revocation?.result).toBe('manual');
    expect(apiKey.revocation?.runbook?.[0]).toBe('https://console.cloud.google.com/apis/credentials');
  });
});

suite('discord: a webhook URL deletes itself; bot tokens get the runbook', multi.discordRevokeFake, (fake) => {
  it('DELETE /api/webhooks/{id}/{token}; then 404 Unknown Webhook = already revoked', async () => {
    const id = tok('{{rand:0-9:18}}');
    const secret = tok('{{rand:A-Za-z0-9_-:68}}');
    fake().add(`${id}/${secret}`, {});
    const url = `https://discord.com/api/webhooks/${id}/${secret}`;
    const f = keyFinding('discord', url);
    await run([f], 'discord', fake().url);
    expect(f.revocation?.result, f.revocation?.detail).toBe('revoked');
    expect(deleted(fake().requests)).toEqual([`/api/webhooks/${id}/${secret}`]);
    expect(f.revocation?.request).not.toContain(secret);
    const again = keyFinding('discord', url);
    await run([again], 'discord', fake().url);
    expect(again.revocation?.result).toBe('already-revoked');
    const bot = keyFinding('discord', tok('{{gen:discord-bot}}'));
    await run([bot], 'discord', fake().url);
    expect(bot.revocation?.result).toBe('manual');
    expect(bot.revocation?.runbook?.[0]).toBe('https://discord.com/developers/applications');
  });
});
