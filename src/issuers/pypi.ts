// PyPI API tokens (ISSUERS.md §19): `pypi-` + a base64url v2 macaroon. Offline: the caveats (warehouse
// macaroons/caveats: [0,expires_at,not_before] Expiration, [1,[names]] ProjectName, [2,[ids]] ProjectID,
// [3,"user_id"] RequestUser, [4,"oidc_provider_id"] OIDCProvider; legacy {"version":1,"permissions":"user"|{projects}}).
// Live: the upload endpoint with a multipart form holding ONLY `:action` and `protocol_version` — no name, no version,
// no file. Warehouse checks authentication first (403 "Invalid or non-existent authentication information"), then
// fails metadata validation (400) before any project lookup, so nothing can be created or uploaded.
import type { Access } from '../types.js';
import { basic, invalid, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const UPLOAD = 'https://upload.pypi.org';
const TEST_UPLOAD = 'https://test.pypi.org';

export interface Macaroon {
  location: string;
  identifier: string;
  caveats: string[];
}

function varint(buf: Buffer, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    v |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return [v, pos];
    shift += 7;
    if (shift > 28) throw new Error('varint too long');
  }
}

/** Decodes the libmacaroons v2 binary format (version byte 2, then type/length/value fields). */
export function decodeMacaroon(b64: string): Macaroon | undefined {
  try {
    const buf = Buffer.from(b64, 'base64url');
    if (buf[0] !== 2) return undefined;
    let pos = 1;
    const field = (): [number, Buffer | undefined] => {
      let type: number;
      [type, pos] = varint(buf, pos);
      if (type === 0) return [0, undefined];
      let len: number;
      [len, pos] = varint(buf, pos);
      if (pos + len > buf.length) throw new Error('truncated field');
      const data = buf.subarray(pos, pos + len);
      pos += len;
      return [type, data];
    };
    let location = '';
    let identifier = '';
    // Header: optional location (1), identifier (2), EOS.
    for (;;) {
      const [t, d] = field();
      if (t === 0) break;
      if (t === 1) location = d!.toString('utf8');
      if (t === 2) identifier = d!.toString('utf8');
    }
    const caveats: string[] = [];
    // Caveats: each [location] identifier [vid] EOS; an immediate EOS ends the list.
    for (;;) {
      let cid: string | undefined;
      let fields = 0;
      for (;;) {
        const [t, d] = field();
        if (t === 0) break;
        fields++;
        if (t === 2) cid = d!.toString('utf8');
      }
      if (fields === 0) break;
      if (cid !== undefined) caveats.push(cid);
    }
    return { location, identifier, caveats };
  } catch {
    return undefined;
  }
}

/** Offline facts from the caveats. */
export function pypiFacts(secret: string, now: Date = new Date()): Partial<Access> {
  const m = decodeMacaroon(secret.replace(/^pypi-/, ''));
  if (!m) return { notes: ['macaroon does not decode'] };
  const scopes: string[] = [];
  const notes: string[] = [`token id ${m.identifier}`];
  let expiresAt: string | null = null;
  let status: Access['status'] | undefined;
  let user: string | undefined;
  let type = 'user-token';
  for (const c of m.caveats) {
    let v: unknown;
    try {
      v = JSON.parse(c);
    } catch {
      notes.push('a caveat is not JSON');
      continue;
    }
    if (Array.isArray(v)) {
      const [tag, a, b] = v as [number, unknown, unknown];
      if (tag === 0 && typeof a === 'number') {
        const exp = new Date(a * 1000);
        if (!expiresAt || exp.toISOString() < expiresAt) expiresAt = exp.toISOString();
        if (a * 1000 <= now.getTime() || (typeof b === 'number' && b * 1000 > now.getTime())) status = 'inactive';
      } else if (tag === 1 && Array.isArray(a)) {
        for (const p of a) scopes.push(`project:${p}`);
        type = 'project-token';
      } else if (tag === 2 && Array.isArray(a)) {
        for (const p of a) scopes.push(`project-id:${p}`);
        type = 'project-token';
      } else if (tag === 3 && typeof a === 'string') user = a;
      else if (tag === 4 && typeof a === 'string') {
        type = 'trusted-publisher-token';
        notes.push(`trusted publishing (OIDC provider ${a})`);
      }
    } else if (v && typeof v === 'object') {
      const perms = (v as { permissions?: unknown }).permissions;
      if (perms === 'user') scopes.push('user');
      else if (perms && typeof perms === 'object') {
        for (const p of ((perms as { projects?: unknown[] }).projects ?? []) as string[]) scopes.push(`project:${p}`);
        type = 'project-token';
      }
    }
  }
  if (!scopes.length) scopes.push('user');
  if (status === 'inactive') notes.push('expired (or not yet valid) per its Expiration caveat');
  return {
    tokenType: type,
    scopes,
    permissions: scopes.includes('user')
      ? [{ resource: 'all-projects', access: 'write' }]
      : scopes.map((s) => ({ resource: s.replace(/^project(-id)?:/, ''), access: 'write' as const })),
    expiresAt,
    status,
    identity: user ? { user } : undefined,
    environment: m.location.includes('test') ? 'test' : 'production',
    notes,
  };
}

const BOUNDARY = '----keyscope-probe-no-file';

export const pypi: IssuerModule = {
  id: 'pypi',
  name: 'PyPI',
  hosts: ['upload.pypi.org', 'test.pypi.org'],
  defaultBaseUrl: UPLOAD,
  rate: { concurrency: 2, perSecond: 2 },
  decode: (cred) => pypiFacts(cred.secret, cred.now),
  planLookup: (cred, http) => [
    `POST ${http.baseUrl(cred.secret.startsWith('pypi-AgENdGVzdC5weXBp') ? TEST_UPLOAD : UPLOAD)}/legacy/ (no file, no metadata)`,
  ],
  async lookup(cred, http) {
    const isTest = decodeMacaroon(cred.secret.replace(/^pypi-/, ''))?.location.includes('test');
    const base = http.baseUrl(isTest ? TEST_UPLOAD : UPLOAD);
    // Only these two fields: nothing that could name a project or carry a file.
    const body = [':action', 'file_upload', 'protocol_version', '1']
      .reduce<string[]>((acc, _v, i, arr) => {
        if (i % 2 === 0)
          acc.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${arr[i]}"\r\n\r\n${arr[i + 1]}\r\n`);
        return acc;
      }, [])
      .join('')
      .concat(`--${BOUNDARY}--\r\n`);
    const res = await http.request({
      method: 'POST',
      url: `${base}/legacy/`,
      headers: { ...basic('__token__', cred.secret), 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
      readOnlyPost: true,
      retries: 1,
    });
    if (res.html && res.status !== 400 && res.status !== 403)
      return unusable(res, 'PyPI') ?? unknown('PyPI answered an HTML page');
    const text = res.text.slice(0, 400);
    if (
      res.status === 403 &&
      /Invalid or non-existent authentication information|invalid_api_token|signatures do not match/i.test(text)
    ) {
      return invalid('PyPI: invalid or non-existent authentication information');
    }
    if (res.status === 403 && /expired/i.test(text)) return { status: 'inactive', notes: ['PyPI: token is expired'] };
    // A 400 is PyPI's metadata/file refusal, reached only after authentication; an HTML 400 must read like PyPI's.
    const pypi400 =
      res.status === 400 && (!res.html || /metadata|invalid value|required|upload|protocol|email/i.test(text));
    if (pypi400 || (res.status === 403 && /not allowed to upload|isn't allowed/i.test(text))) {
      return { status: 'live', notes: ['PyPI accepted the token and refused the empty upload (nothing was uploaded)'] };
    }
    return unusable(res, 'PyPI') ?? unknown(`PyPI answered HTTP ${res.status}`);
  },
  scopeLevels: (scopes) =>
    scopes.includes('user')
      ? [{ resource: 'all-projects', access: 'write' }]
      : scopes.map((s) => ({ resource: s.replace(/^project(-id)?:/, ''), access: 'write' as const })),
  runbook: () => ({
    consoleUrl: 'https://pypi.org/manage/account/token/',
    steps: [
      'Open Account settings → API tokens',
      'Remove the token (its id is in the notes)',
      'Prefer trusted publishing or a project-scoped token',
    ],
  }),
};
