// The ONE HTTP client every issuer module goes through. It enforces, before any socket is opened:
//   - the global offline switch,
//   - the issuer's host allowlist (https + `hosts` patterns) or the exact origin of the configured base URL override,
//   - the method policy: GET/HEAD always; POST only when marked read-only; anything else only on a revoke handle.
// and it adds timeouts, bounded retries (429/5xx, honouring Retry-After), per-issuer concurrency and pacing,
// same-origin-only redirects, a body cap, HTML/JSON detection, a request counter and a redacted request log.
import pLimit, { type LimitFunction } from 'p-limit';
import { request as undiciRequest } from 'undici';
import { redact } from '../detect/redact.js';
import type { Credential, FetchInit, HttpRequest, HttpResponse, IssuerHttp, IssuerModule } from './types.js';

export class RequestRefused extends Error {
  constructor(
    message: string,
    readonly reason: 'offline' | 'host' | 'method' | 'scheme',
  ) {
    super(message);
    this.name = 'RequestRefused';
  }
}

export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'network',
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

export interface HttpClientOptions {
  /** No network at all: every request throws before a socket is opened. */
  offline: boolean;
  /** Default per-request timeout (config verify.timeoutMs). */
  timeoutMs: number;
  /** Retries after the first attempt on 429/5xx/connection errors. */
  maxRetries: number;
  /** First backoff delay; doubles each retry. */
  retryBaseMs: number;
  /** A Retry-After longer than this is not waited for: the 429 is returned as is. Also caps backoff. */
  maxRetryWaitMs: number;
  /** Response bodies are cut at this many bytes. */
  maxBodyBytes: number;
  /** Per-issuer overrides from config: concurrency and timeout. */
  perIssuer?: Record<string, { concurrency?: number; timeoutMs?: number }>;
}

export const DEFAULT_HTTP_OPTIONS: HttpClientOptions = {
  offline: false,
  timeoutMs: 10_000,
  maxRetries: 3,
  retryBaseMs: 500,
  maxRetryWaitMs: 30_000,
  maxBodyBytes: 2 * 1024 * 1024,
};

export interface RequestLogEntry {
  issuer: string;
  fingerprint?: string;
  method: string;
  /** Origin + path, secrets replaced by their redacted form, query values of secret-like params masked. */
  url: string;
  host: string;
  attempt: number;
  status?: number;
  error?: string;
  durationMs: number;
  at: string;
}

export type Purpose = 'lookup' | 'revoke';

interface IssuerState {
  limit: LimitFunction;
  intervalMs: number;
  nextSlot: number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const SECRET_PARAMS = /^(key|token|access_token|api_key|apikey|secret|client_secret|refresh_token|sig|password)$/i;

/** True if `host` matches a pattern: exact, or `*.example.com` for any subdomain (not the apex). */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return h === p;
}

/** Host + port as used for the override comparison. */
function originOf(u: URL): string {
  return `${u.protocol}//${u.host}`.toLowerCase();
}

/**
 * The texts a URL-shaped secret (Slack/Discord webhook) shows up as once a module rebuilds the request on its own
 * base: each long, non-numeric path segment (the secret part; short and numeric ids stay readable), else the path.
 */
function urlForms(s: string): string[] {
  if (!/^https?:\/\//i.test(s)) return [];
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return [];
  }
  const segments = u.pathname.split('/').filter((seg) => seg.length >= 16 && !/^\d+$/.test(seg));
  return (segments.length ? segments : [u.pathname]).filter((f) => f.length >= 6);
}

/** Replaces every given secret (raw and URL-encoded) and secret-like query values in a URL or text. */
export function scrubText(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 6) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(redact(s));
    for (const form of urlForms(s)) out = out.split(form).join(redact(form));
  }
  return out;
}

function redactUrl(u: URL, secrets: string[]): string {
  const copy = new URL(u.toString());
  copy.username = '';
  copy.password = '';
  for (const k of [...copy.searchParams.keys()]) if (SECRET_PARAMS.test(k)) copy.searchParams.set(k, '***');
  return scrubText(copy.toString(), secrets);
}

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function looksHtml(contentType: string, text: string): boolean {
  if (/text\/html|application\/xhtml/i.test(contentType)) return true;
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text.slice(0, 512));
}

function parseJson(contentType: string, text: string): unknown {
  const t = text.trimStart();
  if (!/json/i.test(contentType) && !t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A GraphQL body whose operation is a mutation/subscription is never read-only, whatever the caller says. */
function isGraphqlMutation(body: string | Buffer | undefined): boolean {
  if (!body) return false;
  const text = body.toString();
  let query: unknown = text;
  try {
    query = (JSON.parse(text) as { query?: unknown }).query ?? '';
  } catch {
    // not JSON: inspect the raw text
  }
  return typeof query === 'string' && /^\s*(#[^\n]*\n\s*)*(mutation|subscription)\b/i.test(query);
}

export class HttpClient {
  readonly options: HttpClientOptions;
  /** Requests actually sent (each attempt counts), by everyone using this client. */
  requests = 0;
  readonly log: RequestLogEntry[] = [];
  private readonly issuers = new Map<string, IssuerState>();

  constructor(options: Partial<HttpClientOptions> = {}) {
    this.options = { ...DEFAULT_HTTP_OPTIONS, ...options };
  }

  /** Requests per host, for --plan/--verbose summaries. */
  hostCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.log) if (e.status !== undefined || e.error) out[e.host] = (out[e.host] ?? 0) + 1;
    return out;
  }

  /**
   * The handle a module gets for one credential. `override` is the configured base URL (the only way out of the
   * allowlist). A 'lookup' handle refuses `mutating`; only revoke() gets a 'revoke' handle.
   */
  bind(
    module: IssuerModule,
    cred: Pick<Credential, 'secret' | 'companions' | 'fingerprint'> | undefined,
    override: string | undefined,
    purpose: Purpose = 'lookup',
  ): IssuerHttp {
    const secrets = cred ? [cred.secret, ...Object.values(cred.companions ?? {})] : [];
    const overrideUrl = override ? new URL(override) : undefined;
    const trimmedOverride = override?.replace(/\/+$/, '');
    const send = (req: HttpRequest) =>
      this.send(module, req, { secrets, overrideUrl, purpose, fingerprint: cred?.fingerprint });
    return {
      override: trimmedOverride,
      baseUrl: (defaultUrl: string) => trimmedOverride ?? defaultUrl.replace(/\/+$/, ''),
      request: send,
      fetch: (input, init) => this.fetchOver(send, input, init),
    };
  }

  /** Checks a URL against the allowlist without sending anything (used by --plan). */
  checkAllowed(module: IssuerModule, url: string, override?: string): URL {
    return this.assertAllowed(module, url, override ? new URL(override) : undefined, []);
  }

  private assertAllowed(module: IssuerModule, url: string, overrideUrl: URL | undefined, secrets: string[]): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RequestRefused(`refused: not an absolute URL (${scrubText(url, secrets).slice(0, 80)})`, 'host');
    }
    if (overrideUrl && originOf(u) === originOf(overrideUrl)) return u;
    if (u.protocol !== 'https:') {
      throw new RequestRefused(`refused: ${module.id} secrets go over https only (${u.protocol}//${u.host})`, 'scheme');
    }
    if (u.username || u.password) throw new RequestRefused('refused: credentials in the URL authority', 'host');
    if (!module.hosts.some((p) => hostMatches(u.hostname, p))) {
      throw new RequestRefused(
        `refused: host ${u.hostname} is not on the ${module.id} allowlist (${module.hosts.join(', ')}) nor the configured base URL`,
        'host',
      );
    }
    return u;
  }

  private state(module: IssuerModule): IssuerState {
    let s = this.issuers.get(module.id);
    if (!s) {
      const concurrency = this.options.perIssuer?.[module.id]?.concurrency ?? module.rate?.concurrency ?? 4;
      const perSecond = module.rate?.perSecond;
      s = { limit: pLimit(concurrency), intervalMs: perSecond ? 1000 / perSecond : 0, nextSlot: 0 };
      this.issuers.set(module.id, s);
    }
    return s;
  }

  private async pace(s: IssuerState): Promise<void> {
    if (!s.intervalMs) return;
    const now = Date.now();
    const slot = Math.max(now, s.nextSlot);
    s.nextSlot = slot + s.intervalMs;
    if (slot > now) await sleep(slot - now);
  }

  private async send(
    module: IssuerModule,
    req: HttpRequest,
    ctx: { secrets: string[]; overrideUrl?: URL; purpose: Purpose; fingerprint?: string },
  ): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    // Order matters: every check runs before anything touches the network.
    if (this.options.offline) throw new RequestRefused('refused: offline mode, no network', 'offline');
    let url = this.assertAllowed(module, req.url, ctx.overrideUrl, ctx.secrets);
    if (method !== 'GET' && method !== 'HEAD') {
      if (req.mutating) {
        if (ctx.purpose !== 'revoke')
          throw new RequestRefused(`refused: ${method} would change state during a lookup`, 'method');
      } else if (!(method === 'POST' && req.readOnlyPost)) {
        throw new RequestRefused(`refused: ${method} is not a read-only request`, 'method');
      } else if (isGraphqlMutation(req.body)) {
        throw new RequestRefused('refused: GraphQL mutation in a read-only request', 'method');
      }
    }
    const s = this.state(module);
    const timeoutMs = req.timeoutMs ?? this.options.perIssuer?.[module.id]?.timeoutMs ?? this.options.timeoutMs;
    const maxRetries = req.retries ?? this.options.maxRetries;
    return s.limit(async () => {
      let redirects = 0;
      for (let attempt = 0; ; attempt++) {
        await this.pace(s);
        const started = Date.now();
        const entry: RequestLogEntry = {
          issuer: module.id,
          fingerprint: ctx.fingerprint,
          method,
          url: redactUrl(url, ctx.secrets),
          host: url.host,
          attempt,
          durationMs: 0,
          at: new Date(started).toISOString(),
        };
        this.log.push(entry);
        this.requests++;
        let res: HttpResponse;
        try {
          res = await this.once(method, url, req, timeoutMs);
        } catch (err) {
          entry.durationMs = Date.now() - started;
          const failed =
            err instanceof RequestFailed ? err : new RequestFailed(String((err as Error).message), 'network');
          entry.error = scrubText(failed.message, ctx.secrets);
          // A hang is not retried (it would multiply the wait); a reset connection is.
          if (failed.reason === 'network' && attempt < maxRetries) {
            await sleep(Math.min(this.options.retryBaseMs * 2 ** attempt, this.options.maxRetryWaitMs));
            continue;
          }
          throw new RequestFailed(scrubText(failed.message, ctx.secrets), failed.reason);
        }
        entry.durationMs = Date.now() - started;
        entry.status = res.status;
        if (res.status >= 300 && res.status < 400 && res.headers.location && (method === 'GET' || method === 'HEAD')) {
          const next = new URL(res.headers.location, url);
          // Same origin only: a redirect must never carry the secret to another host.
          if (originOf(next) === originOf(url) && redirects < 3) {
            redirects++;
            url = next;
            attempt--;
            continue;
          }
          return res;
        }
        if (RETRYABLE.has(res.status) && attempt < maxRetries) {
          const hinted = parseRetryAfter(res.headers['retry-after'], Date.now());
          if (hinted !== undefined && hinted > this.options.maxRetryWaitMs) return res;
          const backoff = Math.min(this.options.retryBaseMs * 2 ** attempt, this.options.maxRetryWaitMs);
          await sleep(hinted ?? backoff);
          continue;
        }
        return res;
      }
    });
  }

  private async once(method: string, url: URL, req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const headers: Record<string, string> = { 'user-agent': 'keyscope', ...(req.headers ?? {}) };
      const res = await undiciRequest(url, {
        method: method as 'GET',
        headers,
        body: req.body,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body) {
        const b = chunk as Buffer;
        if (size + b.length > this.options.maxBodyBytes) {
          chunks.push(b.subarray(0, this.options.maxBodyBytes - size));
          truncated = true;
          res.body.destroy();
          break;
        }
        chunks.push(b);
        size += b.length;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const hdrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) hdrs[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      const contentType = hdrs['content-type'] ?? '';
      const html = looksHtml(contentType, text);
      return {
        status: res.statusCode,
        headers: hdrs,
        text,
        json: html ? undefined : parseJson(contentType, text),
        html,
        truncated,
      };
    } catch (err) {
      if (controller.signal.aborted || /timeout/i.test((err as Error).name + (err as Error).message)) {
        throw new RequestFailed(`timeout after ${timeoutMs} ms`, 'timeout');
      }
      throw new RequestFailed(`${(err as Error).message || 'network error'}`, 'network');
    } finally {
      clearTimeout(timer);
    }
  }

  /** Adapts request() to the fetch API, for SDKs that take a custom fetch (octokit). */
  private async fetchOver(
    send: (req: HttpRequest) => Promise<HttpResponse>,
    input: string | URL,
    init: FetchInit = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    const h = init.headers;
    if (h && typeof (h as Headers).forEach === 'function')
      (h as Headers).forEach((v, k) => {
        headers[k] = v;
      });
    else if (h && typeof h === 'object')
      for (const [k, v] of Object.entries(h)) if (v !== undefined) headers[k] = String(v);
    const method = (init.method ?? 'GET').toUpperCase() as HttpRequest['method'];
    const body = typeof init.body === 'string' || Buffer.isBuffer(init.body) ? init.body : undefined;
    const res = await send({ method, url: String(input), headers, body, readOnlyPost: init.readOnlyPost });
    const nullBody = res.status === 204 || res.status === 304 || method === 'HEAD';
    const out = new Response(nullBody ? null : res.text, { status: res.status, headers: res.headers });
    Object.defineProperty(out, 'url', { value: String(input) });
    return out;
  }
}
