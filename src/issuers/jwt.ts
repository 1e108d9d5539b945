// JWT claims, decoded offline (the signature is not checked: we only read what the token claims about itself).
// Shared by the generic `jwt` issuer and by modules whose tokens are JWTs (Supabase role, Docker Hub, GCP, Azure).
import type { Access } from '../types.js';
import type { IssuerModule } from './types.js';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes a compact JWS (`header.payload.signature`); undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  const header = b64json(parts[0]);
  const claims = b64json(parts[1]);
  if (!header || !claims || typeof header.alg !== 'string') return undefined;
  return { header, claims };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** Scopes from `scope` (space-separated, OAuth) or `scp` / `scopes` (array or string). */
export function jwtScopes(claims: Record<string, unknown>): string[] | undefined {
  for (const key of ['scope', 'scp', 'scopes', 'roles']) {
    const v = claims[key];
    if (typeof v === 'string' && v.trim()) return v.trim().split(/[\s,]+/);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  }
  return undefined;
}

/** Offline facts from claims: expiry (and expired → inactive), scopes, issuer, subject, audience, role. */
export function jwtFacts(claims: Record<string, unknown>, now: Date = new Date()): Partial<Access> {
  const out: Partial<Access> = { notes: [] };
  const exp = claims.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    out.expiresAt = new Date(exp * 1000).toISOString();
    if (exp * 1000 <= now.getTime()) {
      out.status = 'inactive';
      out.notes!.push(`expired ${out.expiresAt} (exp claim)`);
    }
  } else {
    out.notes!.push('no exp claim: does not expire by itself');
  }
  if (typeof claims.iat === 'number') out.createdAt = new Date(claims.iat * 1000).toISOString();
  const scopes = jwtScopes(claims);
  if (scopes) out.scopes = scopes;
  const aud = Array.isArray(claims.aud) ? claims.aud.filter((a) => typeof a === 'string').join(',') : str(claims.aud);
  const role = str(claims.role);
  out.identity = {
    account: str(claims.iss),
    user: str(claims.email) ?? str(claims.preferred_username) ?? str(claims.sub),
    project: str(claims.ref) ?? aud,
    type: role,
  };
  for (const k of Object.keys(out.identity) as (keyof typeof out.identity)[])
    if (!out.identity[k]) delete out.identity[k];
  if (role) out.notes!.push(`role claim: ${role}`);
  if (aud) out.notes!.push(`audience: ${aud}`);
  if (!out.notes!.length) delete out.notes;
  return out;
}

/** The generic `jwt` issuer: offline only (we do not know where an arbitrary JWT would be accepted). */
export const jwt: IssuerModule = {
  id: 'jwt',
  name: 'JSON Web Token',
  hosts: [],
  capabilities: { verify: false, scope: true, revoke: false },
  decode(cred) {
    const d = decodeJwt(cred.secret);
    if (!d) return { notes: ['not a decodable JWT'] };
    const facts = jwtFacts(d.claims, cred.now);
    return { ...facts, tokenType: cred.tokenType ?? `jwt-${String(d.header.alg).toLowerCase()}` };
  },
};
