// GCP service-account keys (ISSUERS.md §3). The secret is the key file JSON (rules/gcp.toml captures the object, maybe
// with escaped quotes when embedded in a string), or a PEM private key with companions (client_email, key id).
// Offline: identity and project. Live: an RS256 JWT bearer grant at the token endpoint (only Google's allowlisted token
// hosts or the override: the key file's own token_uri is never trusted), then the project's IAM policy
// (getIamPolicy, a read-only POST) filtered to this service account.
import { createSign } from 'node:crypto';
import { z } from 'zod';
import type { Access, Permission } from '../types.js';
import { bearer, companion, inactive, invalid, merge, parse, parseOptional, unknown, unusable } from './probe.js';
import type { IssuerModule } from './types.js';

const TOKEN = 'https://oauth2.googleapis.com';
const CRM = 'https://cloudresourcemanager.googleapis.com';
const TOKEN_HOSTS = new Set(['oauth2.googleapis.com', 'accounts.google.com', 'www.googleapis.com']);

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  token_uri?: string;
  client_id?: string;
}

/** Parses the key file as captured (plain JSON, JSON with escaped quotes) or a PEM key with companions. */
export function parseServiceAccount(
  secret: string,
  companions: Record<string, string> = {},
): ServiceAccountKey | undefined {
  const tries = [secret, secret.replace(/\\"/g, '"').replace(/\\\\n/g, '\\n')];
  for (const t of tries) {
    try {
      const j = JSON.parse(t) as Record<string, unknown>;
      if (typeof j.client_email === 'string' && typeof j.private_key === 'string')
        return j as unknown as ServiceAccountKey;
    } catch {
      // try the next form
    }
  }
  if (secret.includes('-----BEGIN')) {
    const email = companion(companions, /^[a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/, 'email');
    if (!email) return undefined;
    return {
      client_email: email,
      private_key: secret.replace(/\\n/g, '\n'),
      private_key_id: companion(companions, /^[0-9a-f]{40}$/, 'key'),
      project_id: /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1],
    };
  }
  return undefined;
}

function projectOf(sa: ServiceAccountKey): string | undefined {
  return sa.project_id ?? /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(sa.client_email)?.[1];
}

/** An RS256-signed JWT for the jwt-bearer grant. */
export function signGrant(sa: ServiceAccountKey, aud: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(sa.private_key_id ? { kid: sa.private_key_id } : {}) };
  const claims = {
    iss: sa.client_email,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
    aud,
    iat,
    exp: iat + 3600,
  };
  const unsigned = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const sig = createSign('RSA-SHA256').update(unsigned).sign(sa.private_key.replace(/\\n/g, '\n'));
  return `${unsigned}.${sig.toString('base64url')}`;
}

/** roles/* → read/write/admin on the service (or the project for basic roles). */
export function gcpRoleLevels(roles: string[]): Permission[] {
  const out: Permission[] = [];
  for (const r of roles) {
    if (r === 'roles/owner') out.push({ resource: 'project', access: 'admin' });
    else if (r === 'roles/editor') out.push({ resource: 'project', access: 'write' });
    else if (r === 'roles/viewer' || r === 'roles/browser') out.push({ resource: 'project', access: 'read' });
    else {
      const m = /^(?:projects\/[^/]+\/|organizations\/[^/]+\/)?roles\/([a-zA-Z0-9_]+)\.?([a-zA-Z0-9_.]*)$/.exec(r);
      if (!m) continue;
      const svc = m[1];
      const rest = m[2].toLowerCase();
      const access =
        /admin|owner|securityadmin|serviceaccounttokencreator|serviceaccountkeyadmin|serviceaccountuser|setiampolicy/.test(
          rest,
        )
          ? 'admin'
          : /viewer|reader|get|list|browser|observer|accessor/.test(rest)
            ? 'read'
            : 'write';
      out.push({ resource: svc, access });
    }
  }
  return out;
}

export const gcp: IssuerModule = {
  id: 'gcp',
  name: 'Google Cloud service account',
  hosts: [
    'oauth2.googleapis.com',
    'accounts.google.com',
    'www.googleapis.com',
    'cloudresourcemanager.googleapis.com',
    'iam.googleapis.com',
  ],
  defaultBaseUrl: TOKEN,
  rate: { concurrency: 2, perSecond: 5 },
  decode(cred) {
    const sa = parseServiceAccount(cred.secret, cred.companions);
    if (!sa) return { tokenType: 'service-account-key', notes: ['service-account key does not parse'] };
    return {
      tokenType: 'service-account-key',
      identity: { account: sa.client_email, project: projectOf(sa), type: 'service_account' },
      environment: 'unknown',
      expiresAt: null,
      notes: sa.private_key_id ? [`key id ${sa.private_key_id}`] : undefined,
    };
  },
  planLookup(cred, http) {
    const sa = parseServiceAccount(cred.secret, cred.companions);
    const token = sa?.token_uri && !http.override ? sa.token_uri : `${http.baseUrl(TOKEN)}/token`;
    return [`POST ${token}`, `POST ${http.baseUrl(CRM)}/v1/projects/${sa ? projectOf(sa) : '?'}:getIamPolicy`];
  },
  async lookup(cred, http) {
    const sa = parseServiceAccount(cred.secret, cred.companions);
    if (!sa) return unknown('service-account key does not parse');
    // Google's own token endpoints only; with an override, the override. A key file cannot redirect the grant.
    let tokenUrl = `${http.baseUrl(TOKEN)}/token`;
    if (!http.override && sa.token_uri) {
      let host = '';
      try {
        host = new URL(sa.token_uri).hostname;
      } catch {
        // keep the default
      }
      if (!TOKEN_HOSTS.has(host)) {
        return {
          status: 'unknown',
          notes: [`token_uri host ${host || '(bad URL)'} is not Google's: the key was not sent`],
        };
      }
    }
    let assertion: string;
    try {
      assertion = signGrant(
        sa,
        sa.token_uri && !http.override ? sa.token_uri : 'https://oauth2.googleapis.com/token',
        new Date(),
      );
    } catch (err) {
      return invalid(`the private key cannot sign (${(err as Error).message.split('\n')[0]})`);
    }
    if (!http.override && sa.token_uri) tokenUrl = sa.token_uri;
    const res = await http.request({
      method: 'POST',
      url: tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      readOnlyPost: true,
    });
    const bad = unusable(res, 'Google token endpoint');
    if (bad) return bad;
    if (res.status === 400 || res.status === 401) {
      const e = res.json as { error?: string; error_description?: string } | undefined;
      const desc = `${e?.error ?? ''} ${e?.error_description ?? ''}`.trim();
      if (/disabled/i.test(desc)) return inactive(`Google: ${desc}`);
      if (/invalid_grant|invalid_client|unauthorized_client/.test(desc)) return invalid(`Google: ${desc}`);
      return unknown(`Google token endpoint answered HTTP ${res.status}: ${desc}`);
    }
    if (res.status !== 200) return unknown(`Google token endpoint answered HTTP ${res.status}`);
    const tok = parse(
      res,
      z.object({ access_token: z.string(), expires_in: z.number().optional() }).passthrough(),
      'Google token endpoint',
    );
    if (!tok.ok) return tok.access;
    const project = projectOf(sa);
    let out: Partial<Access> = { status: 'live', notes: ['minted a 1-hour access token (not stored)'] };
    if (!project) return merge(out, { notes: ['no project id: IAM policy not read'] });
    const pol = await http.request({
      method: 'POST',
      url: `${http.baseUrl(CRM)}/v1/projects/${encodeURIComponent(project)}:getIamPolicy`,
      headers: { ...bearer(tok.data.access_token), 'content-type': 'application/json' },
      body: JSON.stringify({ options: { requestedPolicyVersion: 3 } }),
      readOnlyPost: true,
    });
    const policy = parseOptional(
      pol,
      z
        .object({
          bindings: z.array(z.object({ role: z.string(), members: z.array(z.string()) }).passthrough()).optional(),
        })
        .passthrough(),
    );
    if (!policy) return merge(out, { notes: [`project IAM policy not readable (HTTP ${pol.status})`] });
    const member = `serviceAccount:${sa.client_email}`;
    const roles = (policy.bindings ?? []).filter((b) => b.members.includes(member)).map((b) => b.role);
    out = merge(out, {
      scopes: roles,
      permissions: gcpRoleLevels(roles),
      reach: [{ kind: 'projects', count: 1, sample: [project] }],
    });
    if (!roles.length)
      out = merge(out, {
        notes: ['no project-level role bindings for this service account (folder/org roles not read)'],
      });
    return out;
  },
  scopeLevels: gcpRoleLevels,
};
