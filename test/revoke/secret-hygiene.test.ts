// A bulk revocation sends many keys in one request: an error body that echoes the batch must not put one key's
// secret into another key's detail, the report or the audit log.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfg, harness, keyFinding, tok } from './harness.js';

describe('revocation secret hygiene', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // A GitHub-like credential revocation endpoint that rejects the batch, quoting every token it got.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const creds = (JSON.parse(body || '{}').credentials ?? []) as string[];
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `Invalid credentials: ${creds.join(', ')}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('an error body echoing a GitHub batch leaks no secret into any detail or the audit log', async () => {
    const keys = [keyFinding('github', tok('{{gen:github:ghp}}')), keyFinding('github', tok('{{gen:github:ghp}}'))];
    const h = harness();
    await h.run(keys, cfg({ github: url }), { yes: true, verifyDelaysMs: [] });
    expect(keys.every((k) => k.revocation?.result === 'failed')).toBe(true);
    expect(keys[0].revocation?.detail).toMatch(/HTTP 422/);
    const texts = [JSON.stringify(keys.map((k) => k.revocation)), readFileSync(h.jsonl, 'utf8'), h.out.join('\n')];
    for (const k of keys) for (const t of texts) expect(t).not.toContain(k.secret);
  });

  it('an echo cut short leaves no partial secret either', async () => {
    // Five tokens quoted: the 160-character cap of the reason falls inside one of them.
    const keys = Array.from({ length: 5 }, () => keyFinding('github', tok('{{gen:github:ghp}}')));
    const h = harness();
    await h.run(keys, cfg({ github: url }), { yes: true, verifyDelaysMs: [] });
    const texts = [JSON.stringify(keys.map((k) => k.revocation)), readFileSync(h.jsonl, 'utf8'), h.out.join('\n')];
    for (const k of keys)
      for (let i = 0; i + 10 <= k.secret.length; i++)
        for (const t of texts) expect(t, k.secret.slice(i, i + 10)).not.toContain(k.secret.slice(i, i + 10));
  });
});
