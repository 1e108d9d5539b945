// Read-only AWS probes for keys whose IAM policies cannot be read (ISSUERS.md §1: "If IAM reads are denied, probe
// read-only calls"): s3:ListBuckets (reach: buckets) and ec2:DescribeRegions. The installed SDK clients are STS and
// IAM only, so these two requests are signed here with SigV4 (node:crypto) and sent through the shared HTTP client,
// like every other lookup. Only the fixed Get/List/Describe actions below can be sent.
import { createHash, createHmac } from 'node:crypto';
import type { Access, Permission, Reach } from '../types.js';
import type { IssuerHttp } from './types.js';

export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Signature Version 4 headers for one request (host, x-amz-date, x-amz-content-sha256, the session token and the
 * given headers are signed). `now` is the signing clock.
 */
export function sigV4Headers(
  req: { method: string; url: string; headers?: Record<string, string>; body?: string },
  keys: AwsKeys,
  region: string,
  service: string,
  now: Date = new Date(),
): Record<string, string> {
  const u = new URL(req.url);
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(req.body ?? '');
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    host: u.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payloadHash,
  };
  if (keys.sessionToken) headers['x-amz-security-token'] = keys.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const path =
    u.pathname
      .split('/')
      .map((seg) => enc(decodeURIComponent(seg)))
      .join('/') || '/';
  const canonical = [req.method, path, query, canonicalHeaders, names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${keys.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign, 'utf8').digest('hex');
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

const xmlText = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

interface Probe {
  action: string;
  service: string;
  region: string;
  defaultUrl: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** What a 200 answer tells. */
  read(xml: string): { ok: boolean; reach?: Reach; detail: string };
}

// Read-only by construction: every action here is a List/Describe.
export const AWS_PROBES: readonly Probe[] = [
  {
    action: 's3:ListBuckets',
    service: 's3',
    region: 'us-east-1',
    defaultUrl: 'https://s3.amazonaws.com',
    method: 'GET',
    path: '/',
    read(xml) {
      if (!/<ListAllMyBucketsResult[\s>]/.test(xml)) return { ok: false, detail: 'unexpected answer' };
      const names = [...xml.matchAll(/<Bucket>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
      const more = /<ContinuationToken>/.test(xml);
      return {
        ok: true,
        reach: { kind: 'buckets', count: names.length, sample: names.slice(0, 5) },
        detail: `${names.length}${more ? '+' : ''} bucket${names.length === 1 ? '' : 's'}`,
      };
    },
  },
  {
    action: 'ec2:DescribeRegions',
    service: 'ec2',
    region: 'us-east-1',
    defaultUrl: 'https://ec2.us-east-1.amazonaws.com',
    method: 'POST',
    path: '/',
    body: 'Action=DescribeRegions&Version=2016-11-15',
    read(xml) {
      if (!/<DescribeRegionsResponse[\s>]/.test(xml)) return { ok: false, detail: 'unexpected answer' };
      const n = [...xml.matchAll(/<regionName>[^<]+<\/regionName>/g)].length;
      return { ok: true, detail: `${n} region${n === 1 ? '' : 's'} enabled` };
    },
  },
];

/** The hosts the probes go to (for the module's allowlist). */
export const AWS_PROBE_HOSTS = AWS_PROBES.map((p) => new URL(p.defaultUrl).host);

const DENIED = /^(AccessDenied|UnauthorizedOperation|UnauthorizedAccess|AllAccessDisabled)$/;

/** Runs the probes; each allowed one adds a read permission (and reach), each denied one a note. */
export async function probeAws(http: IssuerHttp, keys: AwsKeys): Promise<Partial<Access>> {
  const permissions: Permission[] = [];
  const reach: Reach[] = [];
  const allowed: string[] = [];
  const denied: string[] = [];
  const unclear: string[] = [];
  for (const p of AWS_PROBES) {
    if (!/:(Get|List|Describe)[A-Za-z]*$/.test(p.action)) throw new Error(`refused: ${p.action} is not read-only`);
    const url = `${http.baseUrl(p.defaultUrl)}${p.path}`;
    const base: Record<string, string> = p.body
      ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
      : {};
    let res: Awaited<ReturnType<IssuerHttp['request']>>;
    try {
      const headers = sigV4Headers({ method: p.method, url, headers: base, body: p.body }, keys, p.region, p.service);
      res = await http.request({
        method: p.method,
        url,
        headers,
        body: p.body,
        readOnlyPost: p.method === 'POST',
        retries: 1,
      });
    } catch (err) {
      unclear.push(`${p.action} (${(err as Error).message})`);
      continue;
    }
    const code = xmlText(res.text, 'Code');
    if (res.status === 200 && !res.html) {
      const r = p.read(res.text);
      if (!r.ok) {
        unclear.push(`${p.action} (${r.detail})`);
        continue;
      }
      allowed.push(`${p.action} (${r.detail})`);
      permissions.push({ resource: p.service, access: 'read' });
      if (r.reach) reach.push(r.reach);
    } else if (!res.html && code && DENIED.test(code)) denied.push(p.action);
    else unclear.push(`${p.action} (HTTP ${res.status}${res.html ? ', HTML' : code ? `, ${code}` : ''})`);
  }
  const notes: string[] = [];
  if (allowed.length) notes.push(`read-only probes allowed: ${allowed.join(', ')}`);
  if (denied.length) notes.push(`read-only probes denied: ${denied.join(', ')}`);
  if (unclear.length) notes.push(`read-only probes inconclusive: ${unclear.join(', ')}`);
  return {
    permissions: permissions.length ? permissions : undefined,
    reach: reach.length ? reach : undefined,
    notes,
  };
}
