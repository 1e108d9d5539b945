// An AWS SDK v3 request handler that sends through keyscope's shared HTTP client, so SDK calls obey the same host
// allowlist, offline switch, timeouts and request log as every other issuer call. Lookups may only call read-only
// actions (Get*, List*, Simulate*); revocation passes `mutating`. Retries are the shared client's (the SDK is given
// maxAttempts 1).
import type { IssuerHttp } from './types.js';

/** The parts of a Smithy HttpRequest the handler reads (structural, so no Smithy import is needed). */
interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

const READ_ACTION = /^(Get|List|Simulate)[A-Za-z]*$/;

function queryString(q: SdkRequest['query']): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === null || v === undefined) parts.push(encodeURIComponent(k));
    else
      for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export class AwsSdkHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  /** The last answer was an HTML page (a proxy, not AWS): the caller reports unknown. */
  lastHtml = false;
  lastStatus = 0;

  constructor(
    private readonly http: IssuerHttp,
    private readonly mode: 'lookup' | 'revoke',
  ) {}

  async handle(
    request: SdkRequest,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
    const q = queryString(request.query);
    const url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}${q}`;
    const headers: Record<string, string> = {};
    // undici sets Host and Content-Length itself, to the same values the SDK signed.
    for (const [k, v] of Object.entries(request.headers)) if (!/^(host|content-length)$/i.test(k)) headers[k] = v;
    const body =
      typeof request.body === 'string' || Buffer.isBuffer(request.body)
        ? request.body
        : request.body instanceof Uint8Array
          ? Buffer.from(request.body)
          : undefined;
    if (this.mode === 'lookup') {
      const action = new URLSearchParams(body?.toString() ?? q.slice(1)).get('Action') ?? '';
      if (!READ_ACTION.test(action)) throw new Error(`refused: AWS action ${action || '(none)'} is not read-only`);
    }
    const res = await this.http.request({
      method: request.method.toUpperCase() as 'POST',
      url,
      headers,
      body,
      ...(this.mode === 'revoke' ? { mutating: true } : { readOnlyPost: true }),
    });
    this.lastHtml = res.html;
    this.lastStatus = res.status;
    return {
      response: { statusCode: res.status, headers: res.headers, body: new Uint8Array(Buffer.from(res.text, 'utf8')) },
    };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}
}
