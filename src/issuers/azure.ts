// Microsoft Azure (ISSUERS.md §12): storage account keys, SAS tokens, Entra ID client secrets and the other
// connection-string keys. Offline first: a SAS token is fully readable (permissions `sp`, services `ss`, resource
// types `srt`, resource `sr`, expiry `se`, start `st`, IP range `sip`, protocol `spr`, stored policy `si`,
// user-delegation `skoid`/`sktid`). Live checks:
//   - storage key + account name: a SharedKey-signed GET https://<account>.blob.core.windows.net/?comp=list
//     (lists containers; read-only);
//   - SAS: with the resource URL it was found in (companion `azure-storage-resource-url`; a base URL override replaces
//     its origin): a list (or HEAD) request the SAS itself permits;
//   - Entra client secret + tenant id + client id: the client-credentials token grant (read-only by design); the
//     token's claims (roles, tid, appid) are read, the token itself is dropped.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { decodeJwt } from './jwt.js';
import { companion, dedupePermissions, isoFromDate, merge, parse, unusable } from './probe.js';
import type { Credential, HttpResponse, IssuerHttp, IssuerModule } from './types.js';

const STORAGE = [
  '*.blob.core.windows.net',
  '*.file.core.windows.net',
  '*.queue.core.windows.net',
  '*.table.core.windows.net',
  '*.dfs.core.windows.net',
];
const LOGIN = 'https://login.microsoftonline.com';
const X_MS_VERSION = '2021-08-06';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------- SAS (offline)

const SERVICES: Record<string, string> = { b: 'blob', f: 'file', q: 'queue', t: 'table' };
const RESOURCES: Record<string, string> = {
  b: 'blob',
  c: 'container',
  d: 'directory',
  f: 'file',
  s: 'share',
  bv: 'blob-version',
  bs: 'blob-snapshot',
};
const SP_NAMES: Record<string, string> = {
  r: 'read',
  a: 'add',
  c: 'create',
  w: 'write',
  d: 'delete',
  x: 'delete-version',
  y: 'permanent-delete',
  l: 'list',
  t: 'tags',
  f: 'filter-by-tags',
  u: 'update',
  p: 'process',
  i: 'set-immutability',
  m: 'move',
  e: 'execute',
  o: 'ownership',
};
const READ_LETTERS = new Set(['r', 'l', 'f']);

export interface SasFacts {
  params: Record<string, string>;
  kind: 'account-sas' | 'service-sas' | 'user-delegation-sas';
  permissions: string[];
  access: Partial<Access>;
}

/** Parses a SAS query string (`sv=…&sig=…`, `&amp;` tolerated, a leading URL ignored). Undefined if it is not one. */
export function parseSas(text: string): Record<string, string> | undefined {
  const q = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
  const params: Record<string, string> = {};
  for (const part of q.replace(/&amp;/g, '&').split('&')) {
    const cut = part.indexOf('=');
    if (cut <= 0) continue;
    try {
      params[part.slice(0, cut).toLowerCase()] = decodeURIComponent(part.slice(cut + 1));
    } catch {
      params[part.slice(0, cut).toLowerCase()] = part.slice(cut + 1);
    }
  }
  return params.sig ? params : undefined;
}

/** Everything a SAS says about itself. `now` decides expired / not yet valid. */
export function sasFacts(params: Record<string, string>, now: Date): SasFacts {
  const kind: SasFacts['kind'] = params.skoid
    ? 'user-delegation-sas'
    : params.ss || params.srt
      ? 'account-sas'
      : 'service-sas';
  const letters = [...(params.sp ?? '')];
  const permissions = letters.map((l) => SP_NAMES[l] ?? l);
  const writes = letters.some((l) => !READ_LETTERS.has(l));
  const serviceLevel = (params.srt ?? '').includes('s');
  const level: Permission['access'] = !writes ? 'read' : serviceLevel || letters.includes('o') ? 'admin' : 'write';
  const targets = params.ss
    ? [...params.ss].map((s) => SERVICES[s] ?? s)
    : [RESOURCES[params.sr ?? ''] ?? (params.sr ? params.sr : 'storage')];
  const notes: string[] = [`${kind}: ${permissions.join(', ') || 'no permissions'} on ${targets.join(', ')}`];
  const out: Partial<Access> = {
    tokenType: kind,
    scopes: [
      ...(params.sp ? [`sp:${params.sp}`] : []),
      ...(params.ss ? [`ss:${params.ss}`] : []),
      ...(params.srt ? [`srt:${params.srt}`] : []),
      ...(params.sr ? [`sr:${params.sr}`] : []),
    ],
    permissions: letters.length ? dedupePermissions(targets.map((resource) => ({ resource, access: level }))) : [],
    notes,
  };
  if (params.srt)
    notes.push(
      `resource types: ${[...params.srt].map((r) => ({ s: 'service', c: 'container', o: 'object' })[r] ?? r).join(', ')}`,
    );
  const se = params.se ? isoFromDate(params.se) : undefined;
  if (se) {
    out.expiresAt = se;
    if (Date.parse(se) <= now.getTime()) {
      out.status = 'inactive';
      notes.push(`expired ${se} (se)`);
    }
  } else if (params.si) {
    notes.push('expiry comes from the stored access policy');
  } else {
    notes.push('no expiry (se) in the token');
  }
  const st = params.st ? isoFromDate(params.st) : undefined;
  if (st && Date.parse(st) > now.getTime()) notes.push(`not valid before ${st} (st)`);
  if (params.sip) notes.push(`restricted to IP ${params.sip} (sip)`);
  if (params.spr) notes.push(`protocol ${params.spr} (spr)`);
  if (params.si) notes.push(`bound to stored access policy "${params.si}": deleting the policy revokes it`);
  if (params.skoid) {
    notes.push(
      `user delegation SAS signed for object ${params.skoid}${params.sktid ? ` in tenant ${params.sktid}` : ''}: revoke the user delegation keys`,
    );
    out.identity = { user: params.skoid, account: params.sktid };
  }
  return { params, kind, permissions, access: out };
}

// ---------------------------------------------------------------- Storage SharedKey

/** SharedKey signature for a Blob-service GET/HEAD (no body), as documented for versions ≥ 2015-02-21. */
export function sharedKeySignature(
  method: string,
  account: string,
  key: string,
  url: URL,
  headers: Record<string, string>,
): string {
  const xms = Object.entries(headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .filter(([k]) => k.startsWith('x-ms-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
  const params = [...url.searchParams.entries()]
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const resource = `/${account}${url.pathname || '/'}${params.map(([k, v]) => `\n${k}:${v}`).join('')}`;
  const stringToSign = `${method}\n${'\n'.repeat(11)}${xms}${resource}`;
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

const xmlText = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

/** Storage error XML → status. AuthenticationFailed = the key or SAS signature is wrong (or the SAS expired). */
function storageError(res: HttpResponse, what: string): Partial<Access> | undefined {
  const code = xmlText(res.text, 'Code') ?? res.headers['x-ms-error-code'];
  if (!code) return undefined;
  const detail = xmlText(res.text, 'AuthenticationErrorDetail') ?? '';
  if (code === 'AuthenticationFailed') {
    if (/expire|time frame|not valid/i.test(detail))
      return { status: 'inactive', notes: [`${what}: ${detail || 'outside its validity window'}`] };
    return { status: 'invalid', notes: [`${what}: AuthenticationFailed (signature does not match)`] };
  }
  if (code === 'AccountIsDisabled') return { status: 'inactive', notes: [`${what}: the storage account is disabled`] };
  if (/^Authorization(Permission|ResourceType|Service|Protocol|Source)/.test(code)) {
    return { status: 'live', notes: [`${what}: accepted, but this request is outside its grant (${code})`] };
  }
  return { status: 'unknown', notes: [`${what}: ${code} (HTTP ${res.status})`] };
}

function containersFrom(xml: string): string[] | undefined {
  if (!/<EnumerationResults[\s>]/.test(xml)) return undefined;
  return [...xml.matchAll(/<Container>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
}

function accountName(cred: Credential): string | undefined {
  const fromSecret = /AccountName=([a-z0-9]{3,24})/i.exec(cred.secret)?.[1];
  return fromSecret ?? companion(cred.companions, /^[a-z0-9]{3,24}$/, 'account');
}

function storageKey(cred: Credential): string | undefined {
  if (/AccountKey=/i.test(cred.secret)) return /AccountKey=([A-Za-z0-9+/]+={0,2})/i.exec(cred.secret)?.[1];
  return /^[A-Za-z0-9+/]{60,100}={0,2}$/.test(cred.secret) ? cred.secret : undefined;
}

async function lookupStorageKey(cred: Credential, http: IssuerHttp): Promise<Partial<Access>> {
  const account = accountName(cred);
  const key = storageKey(cred);
  if (!key) return { status: 'unknown', notes: ['not a storage account key'] };
  if (!account) return { status: 'unknown', notes: ['a storage key needs its account name (AccountName=…) to verify'] };
  const base = http.override ?? `https://${account}.blob.core.windows.net`;
  const url = new URL(`${base}/?comp=list&maxresults=100`);
  const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': X_MS_VERSION };
  headers.authorization = `SharedKey ${account}:${sharedKeySignature('GET', account, key, url, headers)}`;
  const res = await http.request({ url: url.toString(), headers });
  const bad = unusable(res, 'Azure Storage');
  if (bad) return bad;
  if (res.status !== 200)
    return (
      storageError(res, 'Azure Storage') ?? { status: 'unknown', notes: [`Azure Storage answered HTTP ${res.status}`] }
    );
  const containers = containersFrom(res.text);
  if (!containers)
    return { status: 'unknown', notes: ['Azure Storage answered an unexpected shape (no EnumerationResults)'] };
  return {
    status: 'live',
    identity: { account },
    permissions: [{ resource: 'storage-account', access: 'admin' }],
    reach: [{ kind: 'containers', count: containers.length, sample: containers.slice(0, 5) }],
  };
}

/** The storage resource a SAS was found with (`https://<account>.blob.core.windows.net/<container>/<blob>`). */
const RESOURCE_URL = /^https:\/\/([a-z0-9]{3,24})\.(?:blob|file|queue|table|dfs)\.core\.windows\.net(\/[^\s?#]*)?$/i;

export function sasResource(cred: Credential): { origin: string; path: string; account: string } | undefined {
  const fromSecret = /^(https:\/\/[^?\s]+)\?/.exec(cred.secret)?.[1];
  const url = [
    fromSecret,
    companion(cred.companions, RESOURCE_URL, 'resource'),
    companion(cred.companions, RESOURCE_URL),
  ]
    .filter((u): u is string => Boolean(u))
    .find((u) => RESOURCE_URL.test(u));
  const m = url ? RESOURCE_URL.exec(url) : null;
  if (!m) return undefined;
  const origin = url!.slice(0, url!.length - (m[2]?.length ?? 0));
  return { origin, path: (m[2] ?? '').replace(/\/+$/, ''), account: m[1].toLowerCase() };
}

/**
 * The request a SAS permits without changing anything: a service list (account SAS with service access and list), a
 * container list (container SAS with list), else a HEAD on the resource (properties only). Where the SAS points is
 * not part of the token: it comes from the URL it was found in (a companion), and a base URL override replaces the
 * origin (or is the whole resource URL when no companion tells the path).
 */
function sasRequest(
  http: IssuerHttp,
  cred: Credential,
  facts: SasFacts,
): { method: 'GET' | 'HEAD'; url: string } | undefined {
  const found = sasResource(cred);
  const override = http.override;
  if (!found && !override) return undefined;
  const origin = found ? (override ? new URL(override).origin : found.origin) : override!;
  const path = found ? found.path : '';
  const p = facts.params;
  const sas = Object.entries(p)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  const canList = (p.sp ?? '').includes('l');
  if (facts.kind === 'account-sas' && canList && (p.srt ?? '').includes('s'))
    return { method: 'GET', url: `${origin}/?comp=list&maxresults=1&${sas}` };
  if (p.sr === 'c' && canList) {
    const container = found ? `/${path.split('/').filter(Boolean)[0] ?? ''}` : '';
    return { method: 'GET', url: `${origin}${container}?restype=container&comp=list&maxresults=1&${sas}` };
  }
  // HEAD reads properties only: never downloads the blob.
  return { method: 'HEAD', url: `${origin}${path}?${sas}` };
}

async function lookupSas(http: IssuerHttp, cred: Credential, facts: SasFacts): Promise<Partial<Access>> {
  const req = sasRequest(http, cred, facts);
  if (!req)
    return {
      status: 'unknown',
      notes: ['SAS verification needs the resource URL (none found next to the token): set [issuers.azure] baseUrl'],
    };
  const { method, url } = req;
  const account = sasResource(cred)?.account;
  const res = await http.request({ method, url });
  const bad = unusable(res, 'Azure Storage');
  if (bad) return bad;
  if (res.status === 200) {
    if (method === 'GET' && !/<EnumerationResults[\s>]/.test(res.text))
      return { status: 'unknown', notes: ['Azure Storage answered an unexpected shape'] };
    const containers = method === 'GET' ? containersFrom(res.text) : undefined;
    return {
      status: 'live',
      identity: account ? { account } : undefined,
      reach: containers?.length
        ? [{ kind: 'containers', count: containers.length, sample: containers.slice(0, 5) }]
        : undefined,
    };
  }
  return (
    storageError(res, 'Azure Storage SAS') ?? {
      status: 'unknown',
      notes: [`Azure Storage answered HTTP ${res.status}`],
    }
  );
}

// ---------------------------------------------------------------- Entra ID client secret

const tokenAnswer = z.object({ token_type: z.string(), expires_in: z.number().optional(), access_token: z.string() });

const GRAPH_ADMIN = new Set([
  'Directory.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory',
  'AppRoleAssignment.ReadWrite.All',
  'Application.ReadWrite.All',
]);

/** Microsoft Graph application roles → levels: `*.Read*` read, `*.ReadWrite*` write, directory/role/app control admin. */
export function graphRoleLevels(roles: string[]): Permission[] {
  const out: Permission[] = [];
  for (const r of roles) {
    const resource = r.split('.')[0].toLowerCase();
    if (GRAPH_ADMIN.has(r)) out.push({ resource, access: 'admin' });
    else if (/\.ReadWrite|\.Write|\.Send|\.Manage/.test(r)) out.push({ resource, access: 'write' });
    else if (/\.Read/.test(r)) out.push({ resource, access: 'read' });
  }
  return dedupePermissions(out);
}

async function lookupEntra(cred: Credential, http: IssuerHttp): Promise<Partial<Access>> {
  const tenant =
    companion(cred.companions, GUID, 'tenant') ??
    companion(cred.companions, /^[a-z0-9-]+\.onmicrosoft\.com$/i, 'tenant');
  const client = Object.entries(cred.companions ?? {}).find(
    ([k, v]) => /client|app/.test(k) && GUID.test(v) && v !== tenant,
  )?.[1];
  if (!tenant || !client)
    return {
      status: 'unknown',
      notes: ['an Entra client secret needs its tenant id and client (application) id to verify'],
    };
  const body = new URLSearchParams({
    client_id: client,
    client_secret: cred.secret,
    grant_type: 'client_credentials',
    scope: 'https://graph.microsoft.com/.default',
  }).toString();
  const res = await http.request({
    method: 'POST',
    url: `${http.baseUrl(LOGIN)}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    readOnlyPost: true,
  });
  const bad = unusable(res, 'Entra ID');
  if (bad) return bad;
  if (res.status === 400 || res.status === 401) {
    const e = res.json as { error?: string; error_codes?: number[] } | undefined;
    const codes = e?.error_codes ?? [];
    if (codes.includes(7000222))
      return { status: 'inactive', notes: ['Entra ID: the client secret has expired (AADSTS7000222)'] };
    if (e?.error === 'invalid_client' || codes.includes(7000215) || codes.includes(700016)) {
      return {
        status: 'invalid',
        notes: [`Entra ID rejected the secret (${codes.map((c) => `AADSTS${c}`).join(', ') || e?.error})`],
      };
    }
    return { status: 'unknown', notes: [`Entra ID answered HTTP ${res.status} (${e?.error ?? 'no error code'})`] };
  }
  if (res.status !== 200) return { status: 'unknown', notes: [`Entra ID answered HTTP ${res.status}`] };
  const t = parse(res, tokenAnswer, 'Entra ID');
  if (!t.ok) return t.access;
  const claims = decodeJwt(t.data.access_token)?.claims ?? {};
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    status: 'live',
    tokenType: 'client-secret',
    identity: {
      account: str(claims.tid),
      user: str(claims.app_displayname) ?? str(claims.appid),
      project: str(claims.appid),
      type: 'service-principal',
    },
    scopes: roles,
    permissions: graphRoleLevels(roles),
    notes: [
      roles.length
        ? `Microsoft Graph application roles: ${roles.length}`
        : 'no Microsoft Graph application roles (Azure RBAC not checked)',
    ],
  };
}

// ---------------------------------------------------------------- module

type Kind =
  | 'storage-key'
  | 'sas'
  | 'client-secret'
  | 'shared-access-key'
  | 'app-configuration-secret'
  | 'acr-password'
  | 'other';

function kindOf(cred: Credential): Kind {
  const t = cred.tokenType ?? '';
  if (t === 'sas-token' || (!t && parseSas(cred.secret))) return 'sas';
  if (t === 'client-secret' || (!t && /^[A-Za-z0-9_~.-]{3}[78]Q~/.test(cred.secret))) return 'client-secret';
  if (t === 'shared-access-key') return 'shared-access-key';
  if (t === 'app-configuration-secret') return 'app-configuration-secret';
  if (t === 'acr-password' || /\+ACR[A-Za-z0-9+/]{6}$/.test(cred.secret)) return 'acr-password';
  if (t === 'storage-account-key' || storageKey(cred)) return 'storage-key';
  return 'other';
}

const OFFLINE_NOTES: Partial<Record<Kind, string>> = {
  'shared-access-key':
    'Service Bus / Event Hubs / IoT Hub shared access key: rights depend on its policy (RootManageSharedAccessKey = manage)',
  'app-configuration-secret':
    'App Configuration access key: reads (and, for a read-write key, changes) every configuration value',
  'acr-password': 'Container Registry password: pulls and (admin user) pushes images',
};

export const azure: IssuerModule = {
  id: 'azure',
  name: 'Microsoft Azure',
  hosts: [...STORAGE, 'login.microsoftonline.com'],
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    const now = cred.now ?? new Date();
    const k = kindOf(cred);
    if (k === 'sas') {
      const p = parseSas(cred.secret);
      return p ? sasFacts(p, now).access : { tokenType: 'sas-token', notes: ['SAS token without a signature'] };
    }
    if (k === 'storage-key') {
      return {
        tokenType: 'storage-account-key',
        permissions: [{ resource: 'storage-account', access: 'admin' }],
        expiresAt: null,
        notes: ['storage account key: full control of every container, share, queue and table; can mint SAS tokens'],
      };
    }
    if (k === 'client-secret') return { tokenType: 'client-secret', notes: ['Entra ID application client secret'] };
    const note = OFFLINE_NOTES[k];
    return { tokenType: cred.tokenType, notes: note ? [note] : undefined };
  },
  planLookup(cred, http) {
    const k = kindOf(cred);
    if (k === 'storage-key') {
      const a = accountName(cred);
      return a ? [`GET ${http.override ?? `https://${a}.blob.core.windows.net`}/?comp=list`] : [];
    }
    if (k === 'sas') {
      const p = parseSas(cred.secret);
      const req = p ? sasRequest(http, cred, sasFacts(p, cred.now ?? new Date())) : undefined;
      return req ? [`${req.method} ${req.url.slice(0, req.url.indexOf('?'))}`] : [];
    }
    if (k === 'client-secret') return [`POST ${http.baseUrl(LOGIN)}/{tenant}/oauth2/v2.0/token`];
    return [];
  },
  async lookup(cred, http) {
    const k = kindOf(cred);
    if (k === 'storage-key') return lookupStorageKey(cred, http);
    if (k === 'sas') {
      const p = parseSas(cred.secret);
      if (!p) return { status: 'unknown', notes: ['not a SAS token'] };
      const facts = sasFacts(p, cred.now ?? new Date());
      return merge(facts.access, await lookupSas(http, cred, facts));
    }
    if (k === 'client-secret') return lookupEntra(cred, http);
    return {
      status: 'unknown',
      notes: ['no read-only check for this Azure key without its endpoint; offline facts only'],
    };
  },
  scopeLevels: graphRoleLevels,
  runbook: (cred) => {
    const k = kindOf(cred);
    if (k === 'storage-key')
      return {
        consoleUrl: 'https://portal.azure.com/#browse/Microsoft.Storage%2FStorageAccounts',
        steps: [
          'Storage account → Security + networking → Access keys',
          'Rotate the leaked key (this also voids account SAS tokens it signed)',
        ],
      };
    if (k === 'sas')
      return {
        consoleUrl: 'https://portal.azure.com/#browse/Microsoft.Storage%2FStorageAccounts',
        steps: [
          'Stored-policy SAS: delete or change the policy',
          'Account/service SAS: rotate the signing account key',
          'User delegation SAS: revoke user delegation keys',
        ],
      };
    if (k === 'client-secret')
      return {
        consoleUrl: 'https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
        steps: ['App registrations → the app → Certificates & secrets', 'Delete the secret and issue a new one'],
      };
    return {
      consoleUrl: 'https://portal.azure.com/',
      steps: ['Regenerate the key on its resource (Access keys / Shared access policies)'],
    };
  },
};
