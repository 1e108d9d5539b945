// Groq API keys `gsk_<52>` (ISSUERS.md §48). Keys have no scopes: full access to inference, files and batches of
// their org. GET /openai/v1/models verifies for free; /openai/v1/files and /openai/v1/batches show stored data.
import { z } from 'zod';
import { bearer, merge, parse, parseOptional, standard } from './probe.js';
import type { IssuerModule } from './types.js';

const BASE = 'https://api.groq.com';

const list = z.object({
  object: z.literal('list').optional(),
  data: z.array(z.object({ id: z.string() }).passthrough()),
});

export const groq: IssuerModule = {
  id: 'groq',
  name: 'Groq',
  hosts: ['api.groq.com'],
  defaultBaseUrl: BASE,
  rate: { concurrency: 2, perSecond: 5 },
  capabilities: { scope: true },
  decode: () => ({ tokenType: 'api-key', expiresAt: null }),
  planLookup: (_cred, http) => ['models', 'files', 'batches'].map((p) => `GET ${http.baseUrl(BASE)}/openai/v1/${p}`),
  async lookup(cred, http) {
    const base = http.baseUrl(BASE);
    const res = await http.request({ url: `${base}/openai/v1/models`, headers: bearer(cred.secret) });
    const bad = standard(res, 'Groq');
    if (bad) return bad;
    const models = parse(res, list, 'Groq');
    if (!models.ok) return models.access;
    let out = merge({
      status: 'live',
      permissions: [
        { resource: 'inference', access: 'write' },
        { resource: 'files', access: 'write' },
        { resource: 'batches', access: 'write' },
      ],
      reach: [{ kind: 'models', count: models.data.data.length }],
      notes: ['Groq keys have no scopes: full API access, billed to the org'],
    });
    for (const kind of ['files', 'batches'] as const) {
      const r = await http.request({ url: `${base}/openai/v1/${kind}`, headers: bearer(cred.secret) });
      const l = parseOptional(r, list);
      out = l
        ? merge(out, { reach: [{ kind, count: l.data.length }] })
        : merge(out, { notes: [`${kind} not listed (HTTP ${r.status})`] });
    }
    return out;
  },
  runbook: () => ({ consoleUrl: 'https://console.groq.com/keys', steps: ['Console → API Keys', 'Delete the key'] }),
};
