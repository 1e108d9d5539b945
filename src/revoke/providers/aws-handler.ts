// An AWS SDK v3 request handler that sends through keyscope's shared HTTP client, so SDK calls obey the same host
// allowlist, offline switch, timeouts and request log as every other issuer call. Only revocation uses it, with
// `mutating` set; retries are the shared client's (the SDK is given maxAttempts 1).
import type { IssuerHttp } from '../../issuers/types.js';

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

export function sharedRequestHandler(http: IssuerHttp) {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SdkRequest) {
      const url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}${queryString(request.query)}`;
      const headers: Record<string, string> = {};
      // undici sets Host and Content-Length itself, to the same values the SDK signed.
      for (const [k, v] of Object.entries(request.headers)) if (!/^(host|content-length)$/i.test(k)) headers[k] = v;
      const body =
        typeof request.body === 'string' || Buffer.isBuffer(request.body)
          ? request.body
          : request.body instanceof Uint8Array
            ? Buffer.from(request.body)
            : undefined;
      const res = await http.request({
        method: request.method.toUpperCase() as 'POST',
        url,
        headers,
        body,
        mutating: true,
      });
      return {
        response: { statusCode: res.status, headers: res.headers, body: new Uint8Array(Buffer.from(res.text, 'utf8')) },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}
