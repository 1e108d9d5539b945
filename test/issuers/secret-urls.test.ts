// Secrets that are URLs (Slack/Discord webhooks): the secret part is a path, and the request that goes out is rebuilt
// on the issuer's base, so it never equals the finding's text. The plan and the request log must still hide it.
import { describe, expect, it } from 'vitest';
import '../../src/detect/checksums/all.js';
import { expandTemplate } from '../../src/detect/samples.js';
import { HttpClient, scrubText } from '../../src/issuers/http.js';
import { lookupFindings } from '../../src/issuers/lookup.js';
import { configFor, FAST, finding, opts } from './helpers.js';

const discordHook = (seed: number) =>
  expandTemplate('https://discordapp.com/api/webhooks/{{rand:0-9:18}}/{{rand:A-Za-z0-9_-:68}}', seed);
const slackHook = (seed: number) =>
  expandTemplate(
    'https://hooks.slack.com/services/T{{rand:A-Z0-9:10}}/B{{rand:A-Z0-9:10}}/{{rand:A-Za-z0-9:24}}',
    seed,
  );
const lastSegment = (url: string) => url.split('/').pop()!;

describe('URL-shaped secrets', () => {
  it('--plan never shows the secret path of a webhook (default base and override)', async () => {
    for (const config of [configFor({}), configFor({ discord: 'http://127.0.0.1:9', slack: 'http://127.0.0.1:9' })]) {
      const fs = [finding('discord', discordHook(1)), finding('slack', `${slackHook(2)}?x=1`)];
      const r = await lookupFindings(fs, opts(config, { plan: true }));
      const shown = JSON.stringify(r.plan);
      expect(r.plan?.flatMap((p) => p.requests).length).toBe(2);
      for (const f of fs) expect(shown).not.toContain(lastSegment(f.secret.replace(/\?.*/, '')));
      // The webhook id names it and stays readable.
      expect(shown).toContain(`/api/webhooks/${fs[0].secret.split('/')[5]}/`);
    }
  });

  it('the request log and errors never carry the secret path', async () => {
    const client = new HttpClient({ ...FAST, maxRetries: 0 });
    const h = discordHook(3);
    const f = finding('discord', h);
    // Port 9 on loopback: connection refused, the error path.
    await lookupFindings([f], opts(configFor({ discord: 'http://127.0.0.1:9' }), { http: client }));
    expect(client.log.length).toBeGreaterThan(0);
    expect(JSON.stringify(client.log)).not.toContain(lastSegment(h));
    expect(JSON.stringify(f.access)).not.toContain(lastSegment(h));
  });

  it('scrubText hides the path of a URL secret', () => {
    const h = slackHook(4);
    const path = new URL(h).pathname;
    expect(scrubText(`POST http://127.0.0.1:1${path}`, [h])).not.toContain(lastSegment(h));
  });
});
